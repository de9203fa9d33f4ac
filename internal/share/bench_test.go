package share

import (
	"context"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

var perf = flag.Bool("share.perf", false, "run TestSharePerformance: throughput and latency between two nodes (about a minute)")

// benchPair starts Spain and Portugal with their audit logs in SQLite and
// JetStream on disk; Portugal's handler counts the entities it receives
// and the latency of each, from the time the entity was made.
type benchPair struct {
	es, pt   *testNode
	entities atomic.Int64
	mu       sync.Mutex
	lat      []time.Duration
}

func newBenchPair(tb testing.TB) *benchPair {
	p := newPKI(tb, "es", "pt")
	esPort, ptPort := freePort(tb), freePort(tb)
	bp := &benchPair{}
	bp.pt = start(tb, p, spec{name: "pt", dir: tb.TempDir(), port: ptPort, peers: []Peer{{Name: "es", URL: addr(esPort)}},
		policy: memberPolicy(map[string]PeerKind{"es": MemberState}),
		handlers: Handlers{Push: func(_ context.Context, r Received) error {
			now := time.Now()
			bp.mu.Lock()
			for _, e := range r.Message.Payload.Entities {
				bp.lat = append(bp.lat, now.Sub(e.Time))
			}
			bp.mu.Unlock()
			bp.entities.Add(int64(len(r.Message.Payload.Entities)))
			return nil
		}}})
	bp.es = start(tb, p, spec{name: "es", dir: tb.TempDir(), port: esPort, peers: []Peer{{Name: "pt", URL: addr(ptPort)}},
		policy: memberPolicy(map[string]PeerKind{"pt": MemberState})})
	return bp
}

// payload makes k entities as a detector would: an incident each, with a
// vessel involved, stamped with the time they were made.
func payload(k, from int) Payload {
	p := Payload{Classification: ClassNonClassified, Sensitivity: SensGreen, Purpose: "BorderMonitoring",
		KeepUntil: time.Now().Add(24 * time.Hour).UTC()}
	now := time.Now()
	for i := range k {
		id := strconv.Itoa(from + i)
		p.Entities = append(p.Entities, Entity{Type: "IrregularMigrationIncident", ID: "b-" + id, Time: now,
			Where: &Point{36, -4}, Fields: map[string]string{"Description": "benchmark", "Severity": "Medium"},
			Involved: []Entity{{Type: "Vessel", ID: "v-" + id, Fields: map[string]string{"MMSI": "224000001", "Name": "LUNA", "Length": "9"}}}})
	}
	return p
}

// waitEntities waits until Portugal has received n entities.
func (bp *benchPair) waitEntities(tb testing.TB, n int64, within time.Duration) {
	deadline := time.Now().Add(within)
	for bp.entities.Load() < n {
		if time.Now().After(deadline) {
			tb.Fatalf("%d of %d entities after %s", bp.entities.Load(), n, within)
		}
		time.Sleep(time.Millisecond)
	}
}

// BenchmarkPush pushes payloads of 100 entities from Spain to Portugal,
// persisted and audited on both sides, and reports the entities per second
// that reached Portugal's handler.
func BenchmarkPush(b *testing.B) {
	bp := newBenchPair(b)
	ctx := context.Background()
	const k = 100
	n := 0
	begin := time.Now()
	for b.Loop() {
		if _, err := bp.es.Push(ctx, payload(k, n*k), "pt"); err != nil {
			b.Fatal(err)
		}
		n++
	}
	bp.waitEntities(b, int64(n*k), time.Minute)
	b.ReportMetric(float64(n*k)/time.Since(begin).Seconds(), "entities/s")
}

// TestSharePerformance measures, between two nodes on loopback with
// persistence and audit: sustained throughput with 100 entities a message
// and with 10, for ten seconds each; and the end-to-end latency at 1,000
// entities a second, sent one a message and in 10 ms batches. Run it with
// -share.perf; it prints the figures the README quotes.
func TestSharePerformance(t *testing.T) {
	if !*perf {
		t.Skip("run with -share.perf")
	}
	ctx := context.Background()
	report := func(format string, args ...any) {
		t.Logf(format, args...)
		fmt.Fprintf(os.Stderr, format+"\n", args...)
	}
	for _, k := range []int{500, 100} {
		bp := newBenchPair(t)
		n, begin := 0, time.Now()
		for time.Since(begin) < 10*time.Second {
			if _, err := bp.es.Push(ctx, payload(k, n*k), "pt"); err != nil {
				t.Fatal(err)
			}
			n++
		}
		pushed := time.Since(begin)
		bp.waitEntities(t, int64(n*k), 2*time.Minute)
		all := time.Since(begin)
		report("throughput, %3d entities a message: %d entities in %v pushed (%.0f/s), all received after %v: %.0f entities/s end to end",
			k, n*k, pushed.Round(time.Millisecond), float64(n*k)/pushed.Seconds(), all.Round(time.Millisecond), float64(n*k)/all.Seconds())
	}
	for _, k := range []int{1, 10} {
		// Message i is due at begin + i·every and its entities are
		// stamped with that time, so that a push running late counts in
		// the latency.
		bp := newBenchPair(t)
		every := time.Duration(k) * time.Millisecond
		n, begin := 0, time.Now()
		for ; n < int(10*time.Second/every); n++ {
			due := begin.Add(time.Duration(n) * every)
			time.Sleep(time.Until(due))
			p := payload(k, n*k)
			for i := range p.Entities {
				p.Entities[i].Time = due
			}
			if _, err := bp.es.Push(ctx, p, "pt"); err != nil {
				t.Fatal(err)
			}
		}
		bp.waitEntities(t, int64(n*k), time.Minute)
		bp.mu.Lock()
		lat := slices.Clone(bp.lat)
		bp.mu.Unlock()
		slices.Sort(lat)
		q := func(f float64) time.Duration { return lat[int(f*float64(len(lat)-1))].Round(100 * time.Microsecond) }
		report("latency at %.0f entities/s, %2d a message every %v: p50 %v, p90 %v, p99 %v, max %v (%d entities)",
			float64(n*k)/time.Since(begin).Seconds(), k, every, q(0.5), q(0.9), q(0.99), lat[len(lat)-1].Round(time.Millisecond), len(lat))
	}
}
