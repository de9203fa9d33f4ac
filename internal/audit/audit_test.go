package audit

import (
	"slices"
	"strings"
	"testing"
	"time"
)

func chain(n int) []Entry {
	var list []Entry
	for i := range n {
		e := Entry{Time: time.Date(2026, 11, 27, 8, i, 0, 0, time.UTC), Actor: "olga", Role: "operator",
			Action: "POST /api/incidents", Outcome: "ok"}
		var prev *Entry
		if i > 0 {
			prev = &list[i-1]
		}
		e.Seal(prev)
		list = append(list, e)
	}
	return list
}

func TestVerify(t *testing.T) {
	good := chain(5)
	if err := Verify(nil, good); err != nil {
		t.Fatal(err)
	}
	if err := Verify(&good[1], good[2:]); err != nil {
		t.Errorf("a run from the middle: %v", err)
	}
	for _, tc := range []struct {
		name   string
		change func([]Entry) []Entry
		want   string
	}{
		{"changed", func(l []Entry) []Entry { l[2].Actor = "mallory"; return l }, "entry 3: its content"},
		{"removed", func(l []Entry) []Entry { return slices.Delete(l, 2, 3) }, "entry 4: does not follow entry 2"},
		{"swapped", func(l []Entry) []Entry { l[1], l[2] = l[2], l[1]; return l }, "does not follow"},
		{"first cut", func(l []Entry) []Entry { return l[1:] }, "does not start"},
		{"rehashed alone", func(l []Entry) []Entry { l[2].Actor = "mallory"; l[2].Hash = l[2].digest(); return l }, "entry 4: does not follow entry 3"},
	} {
		err := Verify(nil, tc.change(slices.Clone(good)))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
		}
	}
}
