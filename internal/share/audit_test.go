package share

import (
	"strings"
	"testing"
	"time"

	"pharos/internal/audit"
)

// TestGroup: runs of the same actor, action and outcome become one entry
// that lists every message; others stay as they are.
func TestGroup(t *testing.T) {
	at := time.Date(2026, 11, 27, 8, 0, 0, 0, time.UTC)
	e := func(actor, outcome, target string) audit.Entry {
		return audit.Entry{Time: at, Actor: actor, Role: "peer", Action: "share receive Push", Target: target, Outcome: outcome, Detail: "sequence of " + target}
	}
	var list []audit.Entry
	for i := range 250 {
		list = append(list, e("es", "received", "m"+string(rune('a'+i%26))+strings.Repeat("x", i/26)))
	}
	list = append(list, e("es", "refused", "bad"), e("pt", "received", "p1"), e("pt", "received", "p2"))
	got := group(list)
	var want []string
	for _, g := range got {
		want = append(want, g.Target)
	}
	if strings.Join(want, ",") != "100 messages,100 messages,50 messages,bad,2 messages" {
		t.Errorf("groups %v", want)
	}
	for _, in := range list {
		found := false
		for _, g := range got {
			found = found || g.Target == in.Target || strings.Contains(g.Detail, " "+in.Target+": "+in.Detail)
		}
		if !found {
			t.Errorf("entry %s left out", in.Target)
		}
	}
	if got[3] != list[250] {
		t.Errorf("a single entry changed: %+v", got[3])
	}
}
