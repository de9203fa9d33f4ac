package node

import (
	"context"
	"errors"
	"io"
	"testing"
	"time"

	"pharos/internal/model"
)

var t0 = time.Date(2026, 11, 27, 1, 0, 0, 0, time.UTC)

// obsAt is a recording of observations at the given seconds after t0.
func obsAt(secs ...int) func() (Input, error) {
	return func() (Input, error) {
		var obs []model.Observation
		for _, s := range secs {
			obs = append(obs, model.NewObservation(t0.Add(time.Duration(s)*time.Second), "rec", model.SensorAIS))
		}
		return &sliceInput{name: "rec", obs: obs}, nil
	}
}

func times(t *testing.T, in Input, n int) []time.Duration {
	t.Helper()
	var got []time.Duration
	for range n {
		o, err := in.Next()
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, o.Time.Sub(t0))
	}
	return got
}

func TestLoopAndShift(t *testing.T) {
	in, err := Loop(obsAt(0, 10, 30), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	got := times(t, Shift(in, time.Hour), 7)
	// Each round is shifted on by the span (30 s) and the gap (5 s).
	want := []time.Duration{0, 10, 30, 35, 45, 65, 70}
	for i := range want {
		if got[i] != time.Hour+want[i]*time.Second {
			t.Fatalf("loop times %v, want an hour after %v s", got, want)
		}
	}
	empty, err := Loop(obsAt(), 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := empty.Next(); !errors.Is(err, io.EOF) {
		t.Errorf("an empty recording looped: %v", err)
	}
}

// TestReplayPaces sends what is before the skip at once and the rest at
// its time, moved to the wall clock.
func TestReplayPaces(t *testing.T) {
	in, _ := obsAt(0, 60, 100, 100, 101)()
	start := time.Now()
	r := &Replay{In: in, Skip: 100 * time.Second}
	var got []model.Observation
	var at []time.Duration
	if err := r.Run(context.Background(), func(o model.Observation) {
		got = append(got, o)
		at = append(at, time.Since(start))
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 5 {
		t.Fatalf("replayed %d observations", len(got))
	}
	// The skip point falls at the start: the first four go at once, the
	// last a second later, each stamped with the time it is sent.
	if at[3] > 500*time.Millisecond || at[4] < 900*time.Millisecond {
		t.Errorf("sent at %v", at)
	}
	if d := got[4].Time.Sub(start); d < 900*time.Millisecond || d > 1500*time.Millisecond {
		t.Errorf("the last observation is stamped %v after the start, want a second", d)
	}
	if d := got[4].Time.Sub(got[0].Time); d != 101*time.Second {
		t.Errorf("the replay keeps %v between first and last, want 101 s", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	in, _ = obsAt(0, 3600)()
	n := 0
	if err := (&Replay{In: in}).Run(ctx, func(model.Observation) { n++ }); err != nil || n > 1 {
		t.Errorf("a cancelled replay sent %d, %v", n, err)
	}
}
