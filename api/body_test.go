package api

import (
	"bufio"
	"encoding/json"
	"fireplan/coverage/scenario"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// onlyReader hides a reader's length, so the client sends it chunked.
type onlyReader struct{ io.Reader }

// TestBodyOverLimitIs413: a body over the limit is a 413 naming the
// limit; one declared too large by Content-Length is refused before it is
// read, so the server never asks for it with 100 Continue.
func TestBodyOverLimitIs413(t *testing.T) {
	_, srv := sampleServer(t)
	limit := strconv.Itoa(scenario.MaxBytes)
	change := `{"changes": [{"layer": "hydrants", "op": "remove", "id": "` + sampleSnap.Hydrants.Items[0].ID + `"}]}`
	huge := strings.Repeat(" ", scenario.MaxBytes+1) + change
	cases := []struct {
		name    string
		path    string
		body    io.Reader
		want    int
		message string // in the error, when a 4xx
	}{
		{"declared length over the limit", "/api/scenarios", strings.NewReader(huge), http.StatusRequestEntityTooLarge, limit},
		{"chunked body over the limit", "/api/scenarios", onlyReader{strings.NewReader(huge)}, http.StatusRequestEntityTooLarge, limit},
		{"body within the limit", "/api/scenarios", strings.NewReader(change), http.StatusCreated, ""},
		{"chunked body within the limit", "/api/scenarios", onlyReader{strings.NewReader(change)}, http.StatusCreated, ""},
	}
	for _, c := range cases {
		resp, err := http.Post(srv.URL+c.path, "application/json", c.body)
		if err != nil {
			t.Fatalf("%s: %v", c.name, err)
		}
		var out struct{ Error string }
		json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if resp.StatusCode != c.want {
			t.Errorf("%s: status %d (%s), want %d", c.name, resp.StatusCode, out.Error, c.want)
		} else if c.message != "" && !strings.Contains(out.Error, c.message) {
			t.Errorf("%s: error %q does not name %s", c.name, out.Error, c.message)
		}
	}

	// curl's way: headers first, the body only after 100 Continue.
	for _, c := range []struct {
		name, headers string
		want          string
	}{
		{"expect 100-continue, 16 MB", "Content-Length: 16777216\r\nExpect: 100-continue\r\n", "HTTP/1.1 413"},
		{"expect 100-continue, one byte over", "Content-Length: " + strconv.Itoa(scenario.MaxBytes+1) + "\r\nExpect: 100-continue\r\n", "HTTP/1.1 413"},
	} {
		conn, err := net.Dial("tcp", strings.TrimPrefix(srv.URL, "http://"))
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(5 * time.Second))
		io.WriteString(conn, "POST /api/scenarios HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"+c.headers+"\r\n")
		line, err := bufio.NewReader(conn).ReadString('\n')
		conn.Close()
		if !strings.HasPrefix(line, c.want) {
			t.Errorf("%s: first response line %q (%v), want %s", c.name, line, err, c.want)
		}
	}
}
