package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/schollz/progressbar/v3"

	"pharos/internal/ais"
	"pharos/internal/model"
	"pharos/internal/node"
	"pharos/internal/source"
)

func runIngest(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	quiet := fs.Bool("quiet", false, "no progress bar, even on a terminal")
	config := fs.String("config", "", "node configuration: the radars whose TTM/TLL sentences live feeds carry")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: pharos ingest [--quiet] INPUT…")
		fmt.Fprintln(stderr, "  INPUT is a file or - (NMEA 0183 AIS, or DMA / MarineCadastre CSV; plain or gzip),")
		fmt.Fprintln(stderr, "  or a live feed until Ctrl-C: tcp://host:port, tcp-listen://host:port, udp://host:port (AIS,")
		fmt.Fprintln(stderr, "  and radar TTM/TLL with --config), cot-udp://host:port (own assets' Cursor-on-Target)")
		fs.PrintDefaults()
	}
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return errUsage
	}
	if len(files) == 0 {
		fs.Usage()
		return errUsage
	}
	var (
		sum  summary
		live []string
	)
	for _, name := range files {
		if node.IsLive(name) {
			live = append(live, name)
			continue
		}
		if err := ingestFile(ctx, name, &sum, progressTo(stderr, *quiet)); err != nil {
			return err
		}
	}
	if len(live) > 0 {
		cfg := &node.Config{}
		if *config != "" {
			if cfg, err = node.LoadConfig(*config); err != nil {
				return err
			}
		}
		if err := ingestLive(ctx, live, cfg, &sum, stderr); err != nil {
			return err
		}
	}
	sum.print(stdout)
	return nil
}

// progressTo returns where a progress bar should be drawn: stderr when it
// is a terminal, nowhere otherwise (logs and pipes get no bar).
func progressTo(stderr io.Writer, quiet bool) io.Writer {
	if f, ok := stderr.(*os.File); ok && !quiet {
		if fi, err := f.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
			return stderr
		}
	}
	return nil
}

// ingestFile reads one input into observations and adds them to sum. CSV
// archives are told from NMEA by their header line.
func ingestFile(ctx context.Context, name string, sum *summary, bar io.Writer) error {
	var size int64 = -1
	if fi, err := os.Stat(name); err == nil && name != "-" && !strings.HasSuffix(name, ".gz") {
		size = fi.Size() // the bar counts decompressed bytes: no total for gzip
	}
	f, err := source.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	var r io.Reader = f
	if bar != nil {
		pb := progressbar.NewOptions64(size,
			progressbar.OptionSetWriter(bar),
			progressbar.OptionSetDescription(filepath.Base(name)),
			progressbar.OptionShowBytes(true),
			progressbar.OptionThrottle(100*time.Millisecond),
			progressbar.OptionClearOnFinish())
		defer pb.Finish()
		br := progressbar.NewReader(f, pb)
		r = &br
	}
	br := bufio.NewReaderSize(r, 64<<10)
	head, _ := br.Peek(256)
	feed := sourceName(name)
	if looksLikeCSV(head) {
		return ingestCSV(ctx, br, feed, sum)
	}
	return ingestNMEA(br, feed, sum)
}

func sourceName(path string) string {
	if path == "-" {
		return "stdin"
	}
	return filepath.Base(path)
}

// looksLikeCSV reports whether the first line is a CSV header rather than
// NMEA: NMEA lines start with '!', '$', '\' or a receive time.
func looksLikeCSV(head []byte) bool {
	line, _, _ := strings.Cut(string(head), "\n")
	line = strings.TrimSpace(line)
	if line == "" {
		return false
	}
	switch c := line[0]; {
	case c == '!' || c == '$' || c == '\\':
		return false
	case c >= '0' && c <= '9':
		return false
	}
	return strings.Count(line, ",") >= 3
}

func ingestNMEA(r io.Reader, feed string, sum *summary) error {
	var (
		st ais.Stream
		d  ais.Decoded
	)
	tooLong, err := source.ReadLines(r, func(line []byte) {
		if !st.Line(line, &d) {
			return
		}
		sum.message(&d)
		if o, ok := d.Observation(feed); ok {
			sum.observation(&o)
		}
	})
	for range tooLong {
		st.TooLong()
	}
	st.Close()
	sum.addLines(st.Stats.Lines, st.Stats.Rejects())
	return err
}

func ingestCSV(ctx context.Context, r io.Reader, feed string, sum *summary) error {
	cr, err := source.NewCSVReader(r)
	if err != nil {
		return err
	}
	for n := 0; ; n++ {
		if n%4096 == 0 && ctx.Err() != nil {
			return ctx.Err()
		}
		o, err := cr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		o.Source = feed
		sum.observation(&o)
	}
	sum.lines += cr.Rows()
	for reason, n := range cr.Rejects() {
		sum.rejects[reason] += n
	}
	return nil
}

// summary is what ingest and demo report about their inputs.
type summary struct {
	lines, messages, observations int
	rejects                       map[string]int
	byType                        [28]int
	vessels                       map[uint32]*vesselSeen
	first, last                   time.Time
	minLat, maxLat                float64
	minLon, maxLon                float64
	positions                     int
}

type vesselSeen struct {
	reports int
	name    string
}

func (s *summary) init() {
	if s.vessels == nil {
		s.vessels = map[uint32]*vesselSeen{}
		s.rejects = map[string]int{}
		s.minLat, s.maxLat, s.minLon, s.maxLon = 90, -90, 180, -180
	}
}

func (s *summary) message(d *ais.Decoded) {
	s.init()
	s.messages++
	s.byType[d.Msg.Head().Type]++
}

func (s *summary) addLines(lines int, rejects map[string]int) {
	s.init()
	s.lines += lines
	for reason, n := range rejects {
		s.rejects[reason] += n
	}
}

func (s *summary) observation(o *model.Observation) {
	s.init()
	s.observations++
	if !o.Time.IsZero() {
		if s.first.IsZero() || o.Time.Before(s.first) {
			s.first = o.Time
		}
		if o.Time.After(s.last) {
			s.last = o.Time
		}
	}
	v := s.vessels[o.MMSI]
	if v == nil {
		v = &vesselSeen{}
		s.vessels[o.MMSI] = v
	}
	v.reports++
	if o.Static != nil && o.Static.Name != "" {
		v.name = o.Static.Name
	}
	if o.HasPosition() {
		s.positions++
		s.minLat, s.maxLat = min(s.minLat, o.Lat), max(s.maxLat, o.Lat)
		s.minLon, s.maxLon = min(s.minLon, o.Lon), max(s.maxLon, o.Lon)
	}
}
