package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"strings"
	"testing"
)

func TestBrowseURL(t *testing.T) {
	for addr, want := range map[string]string{
		":8080":           "http://localhost:8080/",
		"0.0.0.0:8080":    "http://localhost:8080/",
		"localhost:18080": "http://localhost:18080/",
		"10.1.2.3:80":     "http://10.1.2.3:80/",
		"[::1]:8080":      "http://[::1]:8080/",
	} {
		if got := browseURL(addr); got != want {
			t.Errorf("browseURL(%q) = %q, want %q", addr, got, want)
		}
	}
}

// TestServeSaysAPortInUseBeforeLoading: the address is taken first, so a
// port in use fails at once instead of after loading a county.
func TestServeSaysAPortInUseBeforeLoading(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	var out bytes.Buffer
	log := slog.New(slog.NewTextHandler(&out, nil))
	err = serve(context.Background(), []string{"--addr", l.Addr().String(), "--scale", "400"}, &out, log)
	if err == nil || !strings.Contains(err.Error(), "address already in use") {
		t.Fatalf("serve on a port in use: %v", err)
	}
	if strings.Contains(out.String(), "loaded") {
		t.Errorf("loaded a county before finding the port taken:\n%s", out.String())
	}
}

// TestHelpExitsZero: -h on any command prints its usage and succeeds; an
// unknown flag fails.
func TestHelpExitsZero(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
	}{
		{[]string{"serve", "-h"}, 0},
		{[]string{"export", "-h"}, 0},
		{[]string{"check", "-h"}, 0},
		{[]string{"hydrants", "-h"}, 0},
		{[]string{"hydrants", "gaps", "-h"}, 0},
		{[]string{"scenario", "--help"}, 0},
		{[]string{"triggers", "-h"}, 0},
		{[]string{"--version"}, 0},
		{[]string{"hydrants"}, 1},
		{[]string{"scenario", "undo"}, 1},
		{[]string{"serve", "--no-such-flag"}, 1},
	} {
		err := run(context.Background(), tc.args, io.Discard, io.Discard)
		if got := exitCode(err); got != tc.code {
			t.Errorf("fireplan %v: exit %d (%v), want %d", tc.args, got, err, tc.code)
		}
	}
}
