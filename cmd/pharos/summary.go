package main

import (
	"cmp"
	"fmt"
	"io"
	"maps"
	"slices"
	"time"

	"pharos/internal/ais"
)

// print writes the summary for a person to read.
func (s *summary) print(w io.Writer) {
	s.init()
	fmt.Fprintf(w, "lines read        %d\n", s.lines)
	if s.messages > 0 {
		fmt.Fprintf(w, "AIS messages      %d\n", s.messages)
		fmt.Fprintf(w, "  by type        ")
		for t, n := range s.byType {
			if n > 0 {
				fmt.Fprintf(w, " %d:%d", t, n)
			}
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "observations      %d (%d with a position)\n", s.observations, s.positions)
	if !s.first.IsZero() {
		fmt.Fprintf(w, "event time        %s → %s (%s)\n", s.first.Format(time.RFC3339), s.last.Format(time.RFC3339),
			s.last.Sub(s.first).Round(time.Second))
	}
	if s.positions > 0 {
		fmt.Fprintf(w, "area              lat %.3f … %.3f, lon %.3f … %.3f\n", s.minLat, s.maxLat, s.minLon, s.maxLon)
	}

	flags := map[string]int{}
	kinds := map[ais.StationKind]int{}
	named := 0
	for mmsi, v := range s.vessels {
		kinds[ais.Classify(mmsi)]++
		if f := ais.Flag(mmsi); f != "" && ais.IsVessel(mmsi) {
			flags[f]++
		}
		if v.name != "" {
			named++
		}
	}
	fmt.Fprintf(w, "stations          %d (%d named)\n", len(s.vessels), named)
	fmt.Fprintf(w, "  by kind        ")
	for _, k := range slices.Sorted(maps.Keys(kinds)) {
		fmt.Fprintf(w, " %s:%d", k, kinds[k])
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  top flags      ")
	for _, f := range topN(flags, 8) {
		fmt.Fprintf(w, " %s:%d", f, flags[f])
	}
	fmt.Fprintln(w)

	busiest := slices.SortedFunc(maps.Keys(s.vessels), func(a, b uint32) int {
		return cmp.Or(cmp.Compare(s.vessels[b].reports, s.vessels[a].reports), cmp.Compare(a, b))
	})
	fmt.Fprintln(w, "busiest stations")
	for _, mmsi := range busiest[:min(5, len(busiest))] {
		v := s.vessels[mmsi]
		fmt.Fprintf(w, "  %09d %-3s %-22s %d reports\n", mmsi, ais.Flag(mmsi), v.name, v.reports)
	}
	if len(s.rejects) == 0 {
		fmt.Fprintln(w, "rejects           none")
		return
	}
	fmt.Fprintf(w, "rejects          ")
	for _, r := range slices.Sorted(maps.Keys(s.rejects)) {
		fmt.Fprintf(w, " %s:%d", r, s.rejects[r])
	}
	fmt.Fprintln(w)
}

// topN returns the n keys with the highest counts, ties by key.
func topN(m map[string]int, n int) []string {
	keys := slices.SortedFunc(maps.Keys(m), func(a, b string) int {
		return cmp.Or(cmp.Compare(m[b], m[a]), cmp.Compare(a, b))
	})
	return keys[:min(n, len(keys))]
}
