package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fireplan/data/pgtest"

	"github.com/jackc/pgx/v5"
)

// TestServeSurvivesTheDatabaseAndFollowsEdits serves from a PostgreSQL
// cluster of the test's own, stops it (the last data keeps being served
// and /api/status says what failed), starts it again, edits a hydrant and
// sees the edit served within the polling interval, then installs the
// triggers and sees the next edit within 2 s, all without a restart.
func TestServeSurvivesTheDatabaseAndFollowsEdits(t *testing.T) {
	pgtest.URL(t) // the shared cluster's tools are installed (or the test fails under CI)
	cluster := startCluster(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	runOK(t, "import", "--sample", "--db", cluster.url)

	addr := freeAddr(t)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, []string{"serve", "--db", cluster.url, "--addr", addr, "--reload-interval", "10s"}, io.Discard, io.Discard)
	}()
	base := "http://" + addr
	t.Cleanup(func() {
		cancel()
		<-done
	})
	status := func() map[string]any {
		var st map[string]any
		getJSON(t, base+"/api/status", &st)
		return st
	}
	waitFor(t, 60*time.Second, "the first load", func() bool { return status()["status"] == "ok" })

	pool := cluster.conn(t)
	var id string
	if err := pool.QueryRow(ctx, "SELECT min(id) FROM hydrants").Scan(&id); err != nil {
		t.Fatal(err)
	}
	pool.Close(ctx)

	cluster.stop(t)
	// The check after a kick fails; everything already loaded is served.
	post(t, base+"/api/reload")
	waitFor(t, 30*time.Second, "/api/status to report the database down", func() bool {
		src, _ := status()["source_status"].(map[string]any)
		return status()["status"] == "stale" && src["error"] != nil
	})
	for _, path := range []string{"/api/layers/hydrants/items?limit=5", "/api/coverage", "/api/hydrants/gaps?limit=5", "/healthz"} {
		if code := getJSON(t, base+path, nil); code != http.StatusOK {
			t.Errorf("%s with the database down: status %d", path, code)
		}
	}
	var health map[string]any
	if getJSON(t, base+"/healthz", &health); health["status"] != "stale" {
		t.Errorf("/healthz with the database down: %v, want status stale", health)
	}

	cluster.start(t)
	pool = cluster.conn(t)
	defer pool.Close(ctx)
	edit := func(id, status string) time.Time {
		t.Helper()
		if _, err := pool.Exec(ctx, "UPDATE hydrants SET status = $1 WHERE id = $2", status, id); err != nil {
			t.Fatal(err)
		}
		return time.Now()
	}
	served := func(id, status string) bool {
		var fc struct {
			Features []struct{ Properties map[string]any }
		}
		getJSON(t, base+"/api/layers/hydrants/items?limit=10000", &fc)
		for _, f := range fc.Features {
			if f.Properties["id"] == id {
				return f.Properties["status"] == status
			}
		}
		return false
	}
	at := edit(id, "broken")
	waitFor(t, 15*time.Second, "the edit served by polling", func() bool { return served(id, "broken") })
	t.Logf("edit served %v after the commit by polling (load took %v)", time.Since(at).Round(time.Millisecond), status()["source_status"].(map[string]any)["last_load_took"])
	if st := status(); st["status"] != "ok" {
		t.Errorf("status after the database came back: %v", st)
	}

	runOK(t, "triggers", "install", "--db", cluster.url)
	waitFor(t, 15*time.Second, "the server to listen", func() bool {
		src, _ := status()["source_status"].(map[string]any)
		return src["listening"] == true
	})
	at = edit(id, "working")
	waitFor(t, 2*time.Second, "the edit served by the trigger", func() bool { return served(id, "working") })
	t.Logf("edit served %v after the commit by the trigger", time.Since(at).Round(time.Millisecond))
}

// cluster is a PostgreSQL cluster of one test's own, to stop and start.
type cluster struct {
	dir, url string
	env      []string
}

func startCluster(t *testing.T) *cluster {
	t.Helper()
	root, err := os.MkdirTemp("", "fireplan-live-")
	if err != nil {
		t.Fatal(err)
	}
	os.Chmod(root, 0o755) // the postgres user runs the cluster when tests run as root
	port := strings.TrimPrefix(freeAddr(t), "127.0.0.1:")
	c := &cluster{dir: filepath.Join(root, "pg"), env: append(os.Environ(), "FIREPLAN_PG_PORT="+port, "FIREPLAN_PG_DIR="+filepath.Join(root, "pg"))}
	c.start(t)
	t.Cleanup(func() {
		c.stop(t)
		os.RemoveAll(root)
	})
	return c
}

func (c *cluster) start(t *testing.T) {
	t.Helper()
	cmd := exec.Command("../../scripts/pg-up")
	cmd.Env = c.env
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("starting a cluster: %v", err)
	}
	url, ok := strings.CutPrefix(strings.TrimSpace(string(out)), "export TEST_DATABASE_URL=")
	if !ok {
		t.Fatalf("pg-up printed %q", out)
	}
	c.url = url
}

func (c *cluster) stop(t *testing.T) {
	t.Helper()
	args := []string{"/usr/lib/postgresql/15/bin/pg_ctl", "-D", c.dir, "-m", "fast", "-w", "stop"}
	if os.Getuid() == 0 {
		args = append([]string{"runuser", "-u", "postgres", "--"}, args...)
	}
	if out, err := exec.Command(args[0], args[1:]...).CombinedOutput(); err != nil && !strings.Contains(string(out), "not running") {
		t.Fatalf("stopping the cluster: %v\n%s", err, out)
	}
}

func (c *cluster) conn(t *testing.T) *pgx.Conn {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), c.url)
	if err != nil {
		t.Fatal(err)
	}
	return conn
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// getJSON gets url and decodes it into into (when not nil); a refused
// connection is status 0.
func getJSON(t *testing.T, url string, into any) int {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	if into != nil {
		json.NewDecoder(resp.Body).Decode(into)
	}
	return resp.StatusCode
}

func post(t *testing.T, url string) {
	t.Helper()
	resp, err := http.Post(url, "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted {
		t.Fatalf("POST %s: status %d", url, resp.StatusCode)
	}
}

func waitFor(t *testing.T, limit time.Duration, what string, ok func() bool) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("waited %v for %s", limit, fmt.Sprint(what))
		}
		time.Sleep(100 * time.Millisecond)
	}
}
