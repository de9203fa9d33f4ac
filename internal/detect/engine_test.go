package detect

import (
	"slices"
	"testing"

	"pharos/internal/model"
)

// TestEachOpen lists the open events once each, in the order they opened,
// however keys were closed, discarded and reopened before.
func TestEachOpen(t *testing.T) {
	var closed []string
	e := NewEngine(func(ev *model.Event) { closed = append(closed, ev.ID) })
	r := &e.rec
	open := func() []string {
		var ids []string
		e.EachOpen(func(ev *model.Event) { ids = append(ids, ev.ID) })
		return ids
	}
	r.Open("a", model.Event{Type: "go_fast"})
	r.Open("b", model.Event{Type: "ais_gap"})
	r.Open("c", model.Event{Type: "go_fast"})
	r.Close("a", t0)
	r.Discard("b")
	r.Open("a", model.Event{Type: "go_fast"}) // the same key again: a new event
	r.Open("b", model.Event{Type: "ais_gap"})
	want := []string{"go_fast-000002", "go_fast-000003", "ais_gap-000002"} // c, a again, b again
	if got := open(); !slices.Equal(got, want) {
		t.Errorf("open %v, want %v", got, want)
	}
	if !slices.Equal(closed, []string{"go_fast-000001"}) {
		t.Errorf("closed %v", closed)
	}
	e.Flush()
	if got := open(); len(got) != 0 {
		t.Errorf("open after Flush: %v", got)
	}
}
