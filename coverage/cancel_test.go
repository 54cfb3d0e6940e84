package coverage

import (
	"context"
	"errors"
	"net/url"
	"runtime"
	"testing"
	"time"

	"fireplan/coverage/internal/fixture"
	"fireplan/coverage/network"
	"fireplan/coverage/response"
)

// stopsWithin runs work, cancels its context after delay and requires it
// to return context.Canceled within limit of the cancel (times slowdown
// under the race detector).
func stopsWithin(t *testing.T, name string, delay, limit time.Duration, work func(ctx context.Context) error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- work(ctx) }()
	select {
	case err := <-done:
		cancel()
		t.Fatalf("%s finished (err %v) before the cancel at %v: make the case larger", name, err, delay)
	case <-time.After(delay):
	}
	cancel()
	at := time.Now()
	select {
	case err := <-done:
		t.Logf("%s stopped %v after the cancel", name, time.Since(at))
		if took := time.Since(at); took > limit*slowdown {
			t.Errorf("%s stopped %v after the cancel, want within %v", name, took, limit)
		}
		if !errors.Is(err, context.Canceled) {
			t.Errorf("%s returned %v after the cancel, want context.Canceled", name, err)
		}
	case <-time.After(10 * time.Second):
		t.Fatalf("%s did not stop within 10 s of the cancel", name)
	}
}

func TestCancelStopsTheWork(t *testing.T) {
	s := fixture.Scale20(t) // where a build or a siting run lasts long enough to be cancelled
	// Collect the garbage of building that county (over a gigabyte) first:
	// a collection under way stalls the build's allocations for hundreds of
	// milliseconds on a loaded machine, which is not the build's latency.
	runtime.GC()
	p := response.DefaultParams()
	c, err := New(p, 4<<30)
	if err != nil {
		t.Fatal(err)
	}
	stopsWithin(t, "truck graph build", 30*time.Millisecond, 100*time.Millisecond, func(ctx context.Context) error {
		_, err := network.Truck(ctx, s, p.Profile, nil)
		return err
	})
	// A siting request through the catalogue: its response analysis is
	// computed first (not cancelled), then the siting run is.
	e, _ := c.Entry("station_siting")
	v, err := e.Parse(url.Values{"k": {"5"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.response(context.Background(), s, v); err != nil {
		t.Fatal(err)
	}
	stopsWithin(t, "station siting request", 100*time.Millisecond, 100*time.Millisecond, func(ctx context.Context) error {
		_, err := c.Table(ctx, e, s, v)
		return err
	})
	// The request has gone; so must the computation it started (within
	// 20 ms on a quiet machine; the bound allows for a loaded one, and is a
	// small part of the run left).
	start := time.Now()
	for c.Cache.Stats().InFlight > 0 {
		if time.Since(start) > 300*time.Millisecond*slowdown {
			t.Fatalf("siting still computing %v after its only request went away", time.Since(start))
		}
		time.Sleep(time.Millisecond)
	}
	t.Logf("siting stopped %v after its request went away", time.Since(start))
}
