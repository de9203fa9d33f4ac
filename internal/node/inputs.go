package node

import (
	"bufio"
	"bytes"
	"container/heap"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"pharos/internal/ais"
	"pharos/internal/model"
	"pharos/internal/source"
)

// ConfigFile is the name a node configuration has inside an input
// directory (as `pharos sim` writes it).
const ConfigFile = "node.yaml"

// Input is one file read into observations in its own order.
type Input interface {
	// Next returns the next observation, or io.EOF.
	Next() (model.Observation, error)
	// Rejects counts what the input could not use, by reason.
	Rejects() map[string]int
	Name() string
	Close() error
}

// ExpandInputs replaces each directory among paths by the input files it
// holds (sorted by name) and returns the node configuration found in the
// first directory that has one, if any.
func ExpandInputs(paths []string) (files []string, cfg *Config, err error) {
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, nil, err
		}
		if !fi.IsDir() {
			files = append(files, p)
			continue
		}
		entries, err := os.ReadDir(p)
		if err != nil {
			return nil, nil, err
		}
		for _, e := range entries {
			name := e.Name()
			switch {
			case e.IsDir():
			case name == ConfigFile:
				if cfg == nil {
					if cfg, err = LoadConfig(filepath.Join(p, name)); err != nil {
						return nil, nil, err
					}
				}
			case inputKind(name) != "":
				files = append(files, filepath.Join(p, name))
			}
		}
	}
	return files, cfg, nil
}

// inputKind tells an input's format by its name: "nmea", "csv",
// "satellite", "cot", or "" for files that are not inputs.
func inputKind(name string) string {
	n := strings.TrimSuffix(strings.ToLower(name), ".gz")
	switch {
	case strings.HasSuffix(n, ".geojson"):
		return "satellite"
	case strings.HasSuffix(n, ".cot") || strings.HasSuffix(n, ".xml"):
		return "cot"
	case strings.HasSuffix(n, ".csv"):
		return "csv"
	case strings.HasSuffix(n, ".nmea") || strings.HasSuffix(n, ".txt") || strings.HasSuffix(n, ".ais") ||
		strings.HasSuffix(n, ".log") || strings.HasSuffix(n, ".raw") || strings.HasSuffix(n, ".aivdm"):
		return "nmea"
	}
	return ""
}

// OpenInput opens a file by its kind. NMEA files may mix AIS and radar
// sentences; radar sentences are placed from the radar named by their tag
// block's source (or the only radar configured).
func OpenInput(path string, cfg *Config) (Input, error) {
	f, err := source.Open(path)
	if err != nil {
		return nil, err
	}
	name := filepath.Base(path)
	switch inputKind(path) {
	case "satellite":
		defer f.Close()
		obs, st, err := source.SatelliteReader{Source: name}.ReadGeoJSON(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		return &sliceInput{name: name, obs: obs, rejects: st.Rejects}, nil
	case "cot":
		defer f.Close()
		dec := source.CoTDecoder{Source: name}
		var obs []model.Observation
		b, err := io.ReadAll(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		dec.Feed(b, func(o model.Observation) { obs = append(obs, o) })
		dec.Flush()
		rejects := map[string]int{}
		for k, v := range dec.Stats().Rejects {
			rejects[k] = int(v)
		}
		return &sliceInput{name: name, obs: obs, rejects: rejects}, nil
	case "csv":
		// Archives are often sorted by vessel, not by time (MarineCadastre
		// is): read the whole file and put it in event-time order.
		defer f.Close()
		r, err := source.NewCSVReader(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		r.Source = name
		var obs []model.Observation
		for {
			o, err := r.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("%s: %w", path, err)
			}
			obs = append(obs, o)
		}
		slices.SortStableFunc(obs, func(a, b model.Observation) int { return a.Time.Compare(b.Time) })
		return &sliceInput{name: name, obs: obs, rejects: r.Rejects()}, nil
	}
	in := &nmeaInput{LineDecoder: NewLineDecoder(name, cfg), br: bufio.NewReaderSize(f, 256<<10), c: f}
	return in, nil
}

type sliceInput struct {
	name    string
	obs     []model.Observation
	rejects map[string]int
}

func (s *sliceInput) Next() (model.Observation, error) {
	if len(s.obs) == 0 {
		return model.Observation{}, io.EOF
	}
	o := s.obs[0]
	s.obs = s.obs[1:]
	return o, nil
}
func (s *sliceInput) Rejects() map[string]int { return s.rejects }
func (s *sliceInput) Name() string            { return s.name }
func (s *sliceInput) Close() error            { return nil }

// LineDecoder turns NMEA lines that mix AIS and radar sentences into
// observations: AIS through an ais.Stream, TTM/TLL through the reader of
// the radar their tag block names (or the only radar configured). It is
// not safe for concurrent use.
type LineDecoder struct {
	Name    string // the observations' source for AIS
	Stream  ais.Stream
	Decoded ais.Decoded // the AIS message of the last line that completed one
	radars  map[string]*source.RadarReader
	unknown int // radar sentences from a radar the configuration does not name
}

// NewLineDecoder returns a decoder for the radars of cfg (nil: none).
func NewLineDecoder(name string, cfg *Config) *LineDecoder {
	d := &LineDecoder{Name: name, radars: map[string]*source.RadarReader{}}
	if cfg != nil {
		for _, s := range cfg.Sites() {
			d.radars[s.ID] = &source.RadarReader{Site: s}
		}
	}
	return d
}

// Line decodes one line. ais reports whether it completed an AIS message
// (then in Decoded), ok whether it gave an observation.
func (n *LineDecoder) Line(line []byte) (o model.Observation, ais, ok bool) {
	if isRadarSentence(line) {
		r := n.radars[string(tagSource(line))]
		if r == nil && len(n.radars) == 1 {
			for _, only := range n.radars {
				r = only
			}
		}
		if r == nil {
			n.unknown++
			return model.Observation{}, false, false
		}
		o, ok, _ := r.Observe(line)
		return o, false, ok
	}
	if !n.Stream.Line(line, &n.Decoded) {
		return model.Observation{}, false, false
	}
	o, ok = n.Decoded.Observation(n.Name)
	return o, true, ok
}

// Rejects counts the lines not used, by reason.
func (n *LineDecoder) Rejects() map[string]int {
	m := n.Stream.Stats.Rejects()
	for _, r := range n.radars {
		for k, v := range r.Rejects() {
			m[k] += v
		}
	}
	if n.unknown > 0 {
		m["radar_unknown_site"] += n.unknown
	}
	return m
}

// nmeaInput reads AIS and radar sentences line by line.
type nmeaInput struct {
	*LineDecoder
	br      *bufio.Reader
	c       io.Closer
	tooLong int
}

func (n *nmeaInput) Next() (model.Observation, error) {
	for {
		line, err := n.br.ReadSlice('\n')
		if errors.Is(err, bufio.ErrBufferFull) {
			n.tooLong++
			for errors.Is(err, bufio.ErrBufferFull) {
				_, err = n.br.ReadSlice('\n')
			}
			continue
		}
		if len(line) > 0 {
			if o, _, ok := n.Line(line); ok {
				return o, nil
			}
		}
		if err != nil {
			if errors.Is(err, io.EOF) {
				n.Stream.Close()
			}
			return model.Observation{}, err
		}
	}
}

// isRadarSentence reports whether the line carries a TTM or TLL sentence.
func isRadarSentence(line []byte) bool {
	i := bytes.IndexByte(line, '$')
	if i < 0 || len(line) < i+7 {
		return false
	}
	f := line[i+3 : i+7]
	return bytes.Equal(f, []byte("TTM,")) || bytes.Equal(f, []byte("TLL,"))
}

// tagSource returns the s: field of a line's tag block, or nil.
func tagSource(line []byte) []byte {
	if len(line) == 0 || line[0] != '\\' {
		return nil
	}
	end := bytes.IndexByte(line[1:], '\\')
	if end < 0 {
		return nil
	}
	tb := line[1 : 1+end]
	for len(tb) > 0 {
		f, rest, _ := bytes.Cut(tb, []byte(","))
		if bytes.HasPrefix(f, []byte("s:")) {
			f, _, _ = bytes.Cut(f[2:], []byte("*"))
			return f
		}
		tb = rest
	}
	return nil
}

func (n *nmeaInput) Rejects() map[string]int {
	m := n.LineDecoder.Rejects()
	if n.tooLong > 0 {
		m["too_long"] += n.tooLong
	}
	return m
}
func (n *nmeaInput) Name() string { return n.LineDecoder.Name }
func (n *nmeaInput) Close() error { return n.c.Close() }

// Merge reads several inputs as one stream in event-time order. Each input
// is assumed to be in time order itself (a little disorder passes through
// to the tracker, which tolerates it); ties go to the input named first.
type Merge struct {
	inputs []Input
	h      mergeHeap
}

type mergeItem struct {
	o   model.Observation
	src int
}

type mergeHeap []mergeItem

func (h mergeHeap) Len() int { return len(h) }
func (h mergeHeap) Less(i, j int) bool {
	if c := h[i].o.Time.Compare(h[j].o.Time); c != 0 {
		return c < 0
	}
	return h[i].src < h[j].src
}
func (h mergeHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *mergeHeap) Push(x any)   { *h = append(*h, x.(mergeItem)) }
func (h *mergeHeap) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// NewMerge starts merging the inputs.
func NewMerge(inputs []Input) (*Merge, error) {
	m := &Merge{inputs: inputs}
	for i, in := range inputs {
		if err := m.fill(i, in); err != nil {
			return nil, err
		}
	}
	heap.Init(&m.h)
	return m, nil
}

func (m *Merge) fill(i int, in Input) error {
	o, err := in.Next()
	if errors.Is(err, io.EOF) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("%s: %w", in.Name(), err)
	}
	m.h = append(m.h, mergeItem{o, i})
	return nil
}

// Next returns the earliest pending observation, or io.EOF when all
// inputs are done.
func (m *Merge) Next() (model.Observation, error) {
	if len(m.inputs) == 1 {
		return m.single()
	}
	if len(m.h) == 0 {
		return model.Observation{}, io.EOF
	}
	it := m.h[0]
	o, err := m.inputs[it.src].Next()
	switch {
	case errors.Is(err, io.EOF):
		heap.Pop(&m.h)
	case err != nil:
		return model.Observation{}, fmt.Errorf("%s: %w", m.inputs[it.src].Name(), err)
	default:
		m.h[0] = mergeItem{o, it.src}
		heap.Fix(&m.h, 0)
	}
	return it.o, nil
}

// single is Next for one input: nothing to merge, no heap to keep.
func (m *Merge) single() (model.Observation, error) {
	if len(m.h) > 0 { // the observation NewMerge read ahead
		o := m.h[0].o
		m.h = m.h[:0]
		return o, nil
	}
	o, err := m.inputs[0].Next()
	if err != nil && !errors.Is(err, io.EOF) {
		return o, fmt.Errorf("%s: %w", m.inputs[0].Name(), err)
	}
	return o, err
}

// Rejects sums the inputs' rejects by reason.
// OpenMerged opens input files with cfg, each through wrap when it is not
// nil (Prefetch, say), as one input in event-time order. On an error it
// closes what it opened.
func OpenMerged(files []string, cfg *Config, wrap func(Input) Input) (*Merge, error) {
	var opened []Input
	closeOpened := func() {
		for _, in := range opened {
			in.Close()
		}
	}
	for _, f := range files {
		in, err := OpenInput(f, cfg)
		if err != nil {
			closeOpened()
			return nil, err
		}
		if wrap != nil {
			in = wrap(in)
		}
		opened = append(opened, in)
	}
	m, err := NewMerge(opened)
	if err != nil {
		closeOpened()
		return nil, err
	}
	return m, nil
}

// Name names the merge by its inputs.
func (m *Merge) Name() string {
	names := make([]string, len(m.inputs))
	for i, in := range m.inputs {
		names[i] = in.Name()
	}
	return strings.Join(names, "+")
}

func (m *Merge) Rejects() map[string]int {
	out := map[string]int{}
	for _, in := range m.inputs {
		for k, v := range in.Rejects() {
			out[k] += v
		}
	}
	return out
}

// Close closes every input.
func (m *Merge) Close() error {
	var errs []error
	for _, in := range slices.Backward(m.inputs) {
		errs = append(errs, in.Close())
	}
	return errors.Join(errs...)
}

// prefetchBatch is how many observations a prefetching input hands over at
// once: enough that the channel costs nothing per observation.
const prefetchBatch = 1024

// Prefetch reads in on a goroutine of its own, a few batches ahead, so
// that decoding an input runs on another core than tracking it. The order
// of observations is unchanged. Close the returned input to stop the
// goroutine.
func Prefetch(in Input) Input {
	p := &prefetched{Input: in, batches: make(chan prefetchResult, 4), stop: make(chan struct{})}
	go p.fill()
	return p
}

type prefetchResult struct {
	obs []model.Observation
	err error
}

type prefetched struct {
	Input
	batches chan prefetchResult
	stop    chan struct{}
	cur     []model.Observation
	err     error
	done    bool
}

func (p *prefetched) fill() {
	defer close(p.batches)
	for {
		batch := make([]model.Observation, 0, prefetchBatch)
		var err error
		for len(batch) < prefetchBatch {
			var o model.Observation
			if o, err = p.Input.Next(); err != nil {
				break
			}
			batch = append(batch, o)
		}
		select {
		case p.batches <- prefetchResult{batch, err}:
		case <-p.stop:
			return
		}
		if err != nil {
			return
		}
	}
}

func (p *prefetched) Next() (model.Observation, error) {
	for len(p.cur) == 0 {
		if p.done {
			return model.Observation{}, p.err
		}
		r, ok := <-p.batches
		if !ok {
			p.done, p.err = true, io.EOF
			continue
		}
		p.cur = r.obs
		if r.err != nil {
			p.done, p.err = true, r.err
		}
	}
	o := p.cur[0]
	p.cur = p.cur[1:]
	return o, nil
}

// Rejects is only complete once the input is read to its end; the
// goroutine has then finished with the input.
func (p *prefetched) Rejects() map[string]int { return p.Input.Rejects() }

func (p *prefetched) Close() error {
	select {
	case <-p.stop:
	default:
		close(p.stop)
	}
	for range p.batches { // let the goroutine finish before closing its input
	}
	return p.Input.Close()
}
