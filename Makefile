# fireplan: `make run` serves the sample county; `make test` runs every test
# (it starts a throwaway PostGIS on a local port, installing it if missing).
GO      ?= go
ADDR    ?= 127.0.0.1:8080
VERSION ?= $(shell git describe --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -X main.version=$(VERSION)

.PHONY: help build run test bench lint readme db check-go

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-8s %s\n", $$1, $$2}'

check-go:
	@command -v $(GO) >/dev/null || { echo "fireplan needs Go 1.26 or newer on PATH"; exit 1; }

build: check-go ## build bin/fireplan
	$(GO) build -ldflags "$(LDFLAGS)" -o bin/fireplan ./cmd/fireplan

run: build ## serve the built-in sample county at http://localhost:8080
	DATABASE_URL= ./bin/fireplan serve --addr $(ADDR)

test: check-go ## run all tests against a throwaway PostGIS (CI=true: a missing database fails)
	@scripts/test

bench: check-go ## run the benchmarks beside PostGIS and pgRouting
	@scripts/bench

lint: check-go ## go vet, and staticcheck when installed
	$(GO) vet ./...
	@if command -v staticcheck >/dev/null; then staticcheck ./...; fi

readme: check-go ## rewrite the README's parameter table from the routes
	$(GO) test ./api -run TestReadmeParameterTable -count=1 -update

db: ## start the throwaway PostGIS and print its URL
	@scripts/pg-up
