package main

import "testing"

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
