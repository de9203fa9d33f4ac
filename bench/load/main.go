// Command load is the served node's load test: it feeds a steady rate of
// AIS observations to a running `pharos serve` over its TCP input while
// operators' clients read the live track stream, and reports
// ingest-to-stream latency, the node's memory over time, and observations
// lost. bench/load.sh builds and starts the node and runs it.
//
// Where a backlog builds, when latency grows, shows in the kernel's
// socket queues (see queues): before the node's input, or between the
// node's stream and the clients, which share the machine's cores.
//
// Latency is measured end to end on one clock: every sentence's tag block
// carries its send time in milliseconds (c:), a track's state time is its
// latest observation's, so an event's latency is the time it was read off
// the stream minus the state's "t".
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"os"
	"os/signal"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"

	"pharos/internal/geo"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "load:", err)
		os.Exit(1)
	}
}

type config struct {
	input, api     string
	user, password string
	pid            int
	duration       time.Duration
	rate           float64
	vessels        int
	clients, conns int
	tick, every    time.Duration
	static         time.Duration
	drain          time.Duration
	area           box
	seed           uint64
	flat           float64
}

func parseFlags(args []string, stderr io.Writer) (*config, error) {
	c := &config{}
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.input, "input", "", "the node's TCP input, host:port (required)")
	fs.StringVar(&c.api, "api", "", "the node's API, http://host:port (required)")
	fs.StringVar(&c.user, "user", "duty", "user for the stream and /metrics (any role that reads the picture)")
	fs.StringVar(&c.password, "password", "a demo password only", "the user's password")
	fs.IntVar(&c.pid, "pid", 0, "the serve process, for RSS and CPU from /proc (0: from /metrics)")
	fs.DurationVar(&c.duration, "duration", 10*time.Minute, "how long to send")
	fs.Float64Var(&c.rate, "rate", 10000, "observations (AIS messages) per second")
	fs.IntVar(&c.vessels, "vessels", 10000, "vessels; each reports every vessels/rate seconds")
	fs.IntVar(&c.clients, "clients", 2, "stream clients")
	fs.IntVar(&c.conns, "conns", 2, "TCP connections to the input; a vessel keeps to one")
	fs.DurationVar(&c.tick, "tick", 5*time.Millisecond, "how often a batch goes out on each connection")
	fs.DurationVar(&c.every, "sample", 10*time.Second, "how often to sample the node")
	fs.DurationVar(&c.static, "static", 6*time.Minute, "how often each vessel sends its static report (type 5), as real class A ships do")
	fs.DurationVar(&c.drain, "drain", time.Minute, "longest wait for the stream to catch up once sending stops")
	area := fs.String("box", "-6.0,35.4,-3.0,36.6", "the sea area, min_lon,min_lat,max_lon,max_lat (default: the Strait of Gibraltar and the western Alboran Sea)")
	fs.Uint64Var(&c.seed, "seed", 1, "the fleet's random seed")
	fs.Float64Var(&c.flat, "flat", 1, "MiB per minute: the largest RSS slope over the second half that counts as flat")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	var err error
	if c.area, err = parseBox(*area); err != nil {
		return nil, err
	}
	switch {
	case c.input == "" || c.api == "":
		return nil, errors.New("-input and -api are required")
	case c.rate <= 0 || c.vessels <= 0 || c.clients < 0 || c.conns <= 0 || c.conns > c.vessels:
		return nil, errors.New("want -rate > 0, -vessels > 0, -clients ≥ 0 and 0 < -conns ≤ -vessels")
	case c.duration <= 0 || c.tick <= 0 || c.every <= 0:
		return nil, errors.New("want positive -duration, -tick and -sample")
	}
	c.api = strings.TrimRight(c.api, "/")
	return c, nil
}

func run(ctx context.Context, args []string, out io.Writer) error {
	cfg, err := parseFlags(args, os.Stderr)
	if err != nil {
		return err
	}
	land, err := geo.LoadLand()
	if err != nil {
		return err
	}
	fleet, err := newFleet(cfg.vessels, cfg.area, land, cfg.seed, time.Now())
	if err != nil {
		return err
	}
	interval := time.Duration(float64(cfg.vessels) / cfg.rate * float64(time.Second))
	staticEvery := max(2, int(math.Round(float64(cfg.static)/float64(interval))))
	for i, v := range fleet { // spread the static reports over the period
		v.staticAt = i * 7919 % staticEvery
	}
	vessels := vesselsOf(fleet)

	// Probes and the end of the run go on after an interrupt, so that a
	// run cut short still reports what it measured.
	bg := context.WithoutCancel(ctx)
	mc, err := login(bg, cfg.api, cfg.user, cfg.password)
	if err != nil {
		return err
	}
	mc.Timeout = 30 * time.Second
	pr := &prober{api: cfg.api, pid: cfg.pid, http: mc}

	hist := newHistogram()
	streamCtx, stopStreams := context.WithCancel(bg)
	clients := make([]*streamClient, cfg.clients)
	streamErrs := make([]error, cfg.clients)
	var readers sync.WaitGroup
	defer readers.Wait()
	defer stopStreams() // before the Wait
	for i := range clients {
		hc, err := login(bg, cfg.api, cfg.user, cfg.password)
		if err != nil {
			return err
		}
		c := &streamClient{id: i, http: hc, hist: hist, vessels: vessels, seen: make([]int32, len(fleet))}
		body, br, err := c.open(streamCtx, cfg.api)
		if err != nil {
			return err
		}
		clients[i] = c
		readers.Go(func() {
			defer body.Close()
			if err := c.run(br); streamCtx.Err() == nil {
				streamErrs[i] = fmt.Errorf("stream %d ended early: %v", i, err)
			}
		})
	}

	fmt.Fprintf(out, "load: %d vessels in lon %g…%g lat %g…%g, each reporting every %v (a type 5 in %d), %.0f observations/s over %d TCP connection(s) for %v; %d stream client(s)\n",
		cfg.vessels, cfg.area.minLon, cfg.area.maxLon, cfg.area.minLat, cfg.area.maxLat, interval, staticEvery, cfg.rate, cfg.conns, cfg.duration, cfg.clients)
	senders, err := dialSenders(cfg.input, cfg.conns, fleet, cfg.rate, cfg.tick, staticEvery, cfg.area, land, cfg.seed)
	if err != nil {
		return err
	}
	qs, err := newQueues(cfg.input, cfg.api)
	if err != nil {
		return err
	}
	stopQueues := make(chan struct{})
	defer close(stopQueues)
	go qs.watch(100*time.Millisecond, stopQueues)
	var samples []sample
	var start time.Time
	take := func(label string) sample {
		s := pr.take(bg)
		s.inQ, s.outQ = qs.take()
		if !start.IsZero() {
			s.at = time.Since(start)
		}
		for _, snd := range senders {
			s.messages += snd.messages.Load()
			s.positions += snd.positions.Load()
		}
		for _, c := range clients {
			s.events += c.events.Load()
			s.dropped += c.dropped.Load()
		}
		s.lat = hist.snapshot()
		if len(samples) == 0 {
			printHeader(out)
		}
		printRow(out, label, samples, s, cfg.clients)
		samples = append(samples, s)
		return s
	}
	take("")

	start = time.Now()
	for _, v := range fleet {
		v.last = start
	}
	sendCtx, stopSending := context.WithTimeout(ctx, cfg.duration)
	defer stopSending()
	sendErrs := make([]error, len(senders))
	var sending sync.WaitGroup
	for i, s := range senders {
		sending.Go(func() { sendErrs[i] = s.run(sendCtx, start) })
	}
	sent := make(chan struct{})
	go func() { sending.Wait(); close(sent) }()
	tick := time.NewTicker(cfg.every)
	for done := false; !done; {
		select {
		case <-tick.C:
			take("")
		case <-sent:
			done = true
		}
	}
	tick.Stop()
	sendTime := time.Since(start)
	sendEnd := take("sent")
	if err := errors.Join(sendErrs...); err != nil {
		fmt.Fprintf(out, "load: sending failed: %v\n", err)
	}

	// Drain: the stream should deliver every report sent; stop waiting when
	// every client has them all (or the node said it dropped the rest), the
	// stream has been quiet for 5 s, or -drain has passed.
	drainStart := time.Now()
	quietSince, last := drainStart, int64(-1)
	for time.Since(drainStart) < cfg.drain && ctx.Err() == nil {
		caught := true
		var total int64
		for _, c := range clients {
			n := c.events.Load()
			total += n + c.other.Load()
			caught = caught && n+c.dropped.Load() >= sendEnd.positions
		}
		if caught {
			break
		}
		if total != last {
			quietSince, last = time.Now(), total
		} else if time.Since(quietSince) > 5*time.Second {
			break
		}
		time.Sleep(20 * time.Millisecond)
	}
	drainTime := time.Since(drainStart)
	end := take("drained")
	allTracks, ourTracks, tracksErr := liveTracks(bg, mc, cfg.api, vessels)
	stopStreams()
	readers.Wait()

	summarise(out, cfg, summary{fleet: fleet, senders: senders, clients: clients, samples: samples,
		sendTime: sendTime, drainTime: drainTime, sendEnd: sendEnd, end: end, interval: interval,
		staticEvery: staticEvery, allTracks: allTracks, ourTracks: ourTracks, tracksErr: tracksErr,
		hist: hist, streamErrs: streamErrs})
	return errors.Join(append(sendErrs, streamErrs...)...)
}

func printHeader(w io.Writer) {
	fmt.Fprintf(w, "%8s %8s %9s %7s %8s %8s %8s %8s %8s %6s %6s %7s %7s %7s %7s\n", "time", "sent/s", "events/s", "drops",
		"lat p50", "p99", "max", "RSS MiB", "live MiB", "node", "load", "machine", "input q", "client q", "metrics")
	fmt.Fprintf(w, "%8s %8s %9s %7s %8s %8s %8s %8s %8s %6s %6s %7s %7s %7s %7s\n", "", "", "per client", "",
		"", "", "", "", "Go heap", "cores", "cores", "busy", "max KiB", "max KiB", "scrape")
}

// printRow prints sample s against the one before it: rates, the latency
// of the events between them, memory, CPU.
func printRow(w io.Writer, label string, prev []sample, s sample, clients int) {
	at := fmtDur(s.at)
	if label != "" {
		at = label
	}
	mem := fmt.Sprintf("%8.1f %8.1f", s.rss/mib, s.live/mib)
	if s.err != nil {
		fmt.Fprintf(w, "  (%v)\n", s.err)
	}
	qs := fmt.Sprintf("%7d %7d", s.inQ>>10, s.outQ>>10)
	if len(prev) == 0 {
		fmt.Fprintf(w, "%8s %8s %9s %7s %8s %8s %8s %s %6s %6s %7s %s %6.0fms\n", at, "-", "-", "-", "-", "-", "-", mem, "-", "-", "-",
			qs, float64(s.scrape)/float64(time.Millisecond))
		return
	}
	p := prev[len(prev)-1]
	dt := (s.at - p.at).Seconds()
	if dt < 1 { // the rows taken when sending stops: rates over a moment are noise
		fmt.Fprintf(w, "%8s %8s %9s %7s %8s %8s %8s %s %6s %6s %7s %s %6.0fms\n", at, "", "", "", "", "", "", mem, "", "", "",
			qs, float64(s.scrape)/float64(time.Millisecond))
		return
	}
	lat := s.lat.minus(p.lat)
	evs := "-"
	if clients > 0 {
		evs = fmt.Sprintf("%.0f", float64(s.events-p.events)/float64(clients)/dt)
	}
	machine := "-"
	if s.all > p.all {
		machine = fmt.Sprintf("%.0f%%", 100*float64(s.busy-p.busy)/float64(s.all-p.all))
	}
	fmt.Fprintf(w, "%8s %8.0f %9s %7d %8s %8s %8s %s %6.2f %6.2f %7s %s %6.0fms\n", at, float64(s.messages-p.messages)/dt, evs, s.dropped-p.dropped,
		fmtLat(lat.quantile(0.5), lat), fmtLat(lat.quantile(0.99), lat), fmtLat(lat.highest(), lat), mem,
		(s.nodeCPU-p.nodeCPU)/dt, (s.selfCPU-p.selfCPU)/dt, machine, qs, float64(s.scrape)/float64(time.Millisecond))
}

func fmtLat(d time.Duration, c counts) string {
	if c.total() == 0 {
		return "-"
	}
	return fmtDur(d)
}

// fmtDur prints durations as a reader wants them in a table: 7ms, 1.25s,
// 5m10s.
func fmtDur(d time.Duration) string {
	switch {
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.2fs", d.Seconds())
	}
	return d.Round(time.Second).String()
}

type summary struct {
	fleet                []*vessel
	senders              []*sender
	clients              []*streamClient
	samples              []sample
	sendTime, drainTime  time.Duration
	sendEnd, end         sample
	interval             time.Duration
	staticEvery          int
	allTracks, ourTracks int
	tracksErr            error
	hist                 *histogram
	streamErrs           []error
}

// summarise prints the figures a closing note quotes, one a line.
func summarise(w io.Writer, cfg *config, r summary) {
	first := r.samples[0]
	line := func(key, format string, args ...any) {
		fmt.Fprintf(w, "%-15s %s\n", key, fmt.Sprintf(format, args...))
	}
	fmt.Fprintln(w, "\n== load test summary ==")
	line("load", "%v sending at %.0f observations/s target: %d vessels, each every %v (type 1; a type 5 in %d), %d TCP connection(s), %d stream client(s)",
		fmtDur(r.sendTime), cfg.rate, len(r.fleet), r.interval, r.staticEvery, cfg.conns, cfg.clients)
	var slow, longest int64
	for _, s := range r.senders {
		slow += s.slowWrites.Load()
		longest = max(longest, s.maxWrite.Load())
	}
	sent, pos := r.sendEnd.messages, r.sendEnd.positions
	line("sent", "%d observations (%.1f/s achieved): %d position reports, %d static; %d TCP writes took longer than %v (longest %v)",
		sent, float64(sent)/r.sendTime.Seconds(), pos, sent-pos, slow, cfg.tick, fmtDur(time.Duration(longest)))

	all := r.end.lat
	n := all.total()
	if n == 0 {
		line("latency", "no track events received")
	} else {
		p99 := all.quantile(0.99)
		verdict := "met"
		if p99 > time.Second {
			verdict = "MISSED"
		}
		line("latency p50", "%v", fmtDur(all.quantile(0.5)))
		line("latency p90", "%v", fmtDur(all.quantile(0.9)))
		line("latency p99", "%v (target ≤ 1s: %s)", fmtDur(p99), verdict)
		line("latency max", "%v (%d track events timed, 1 ms resolution)", fmtDur(time.Duration(r.hist.max.Load()).Round(time.Millisecond)), n)
		worst, worstAt := time.Duration(0), time.Duration(0)
		for i := 1; i < len(r.samples); i++ {
			win := r.samples[i].lat.minus(r.samples[i-1].lat)
			if q := win.quantile(0.99); win.total() > 0 && q > worst {
				worst, worstAt = q, r.samples[i].at
			}
		}
		line("latency worst", "p99 %v in the %v-window ending at %v", fmtDur(worst), cfg.every, fmtDur(worstAt))
	}

	// Memory: the samples taken while sending, from the start on.
	var during []sample
	for _, s := range r.samples {
		if s.at <= r.sendTime {
			during = append(during, s)
		}
	}
	maxRSS := 0.0
	var oneMin sample
	for _, s := range during {
		maxRSS = max(maxRSS, s.rss)
		if oneMin.at == 0 && s.at >= time.Minute {
			oneMin = s
		}
	}
	memAt := ""
	if oneMin.at > 0 {
		memAt = fmt.Sprintf(", at %v %.0f MiB", fmtDur(oneMin.at), oneMin.rss/mib)
	}
	line("memory RSS", "%.0f MiB idle before sending%s, %.0f MiB when sending stopped, max %.0f MiB (live Go heap %.0f → %.0f MiB; the runtime holds %.0f MiB)",
		first.rss/mib, memAt, r.sendEnd.rss/mib, maxRSS/mib, first.live/mib, r.sendEnd.live/mib, r.sendEnd.sys/mib)
	var xs, rss, live []float64
	for _, s := range during {
		if s.at >= r.sendTime/2 {
			xs = append(xs, s.at.Minutes())
			rss = append(rss, s.rss/mib)
			live = append(live, s.live/mib)
		}
	}
	if len(xs) >= 3 {
		sr := slope(xs, rss)
		flat := "yes"
		if math.Abs(sr) > cfg.flat {
			flat = "NO"
		}
		line("memory slope", "%+.2f MiB/min RSS, %+.2f MiB/min live Go heap: least squares over the second half (%d samples, %v–%v); flat (|RSS slope| ≤ %g MiB/min): %s",
			sr, slope(xs, live), len(xs), fmtDur(time.Duration(xs[0]*float64(time.Minute))), fmtDur(r.sendTime), cfg.flat, flat)
	} else {
		line("memory slope", "too few samples in the second half (%d): run longer or sample more often", len(xs))
	}

	var dropped, notices int64
	for _, c := range r.clients {
		dropped += c.dropped.Load()
		notices += c.notices.Load()
	}
	line("stream drops", "%d changes dropped by the node for slow clients (%d \"dropped\" events), over %d client(s)", dropped, notices, len(r.clients))
	lostLine(line, r, pos)
	counters(line, first, r.end, sent)
	if r.tracksErr != nil {
		line("live tracks", "%v", r.tracksErr)
	} else {
		line("live tracks", "%d on the node at the end: %d of the %d vessels", r.allTracks, r.ourTracks, len(r.fleet))
	}
	line("incidents", "%.0f in the picture at the end (%.0f before sending): detections the fleet's movements raised", r.end.incidents, first.incidents)
	var maxIn, maxOut int
	for _, s := range r.samples {
		maxIn, maxOut = max(maxIn, s.inQ), max(maxOut, s.outQ)
	}
	line("backlogs", "largest socket queues: %d KiB written to the input and not yet read by the node, %d KiB streamed by the node and not yet read by the clients (kernel queues, sampled every 100 ms)", maxIn>>10, maxOut>>10)
	line("drain", "%v for the stream to deliver the last reports after sending stopped", fmtDur(r.drainTime))
	cores := (r.sendEnd.nodeCPU - first.nodeCPU) / r.sendTime.Seconds()
	busiest := 0.0
	for i := 1; i < len(during); i++ {
		if dt := (during[i].at - during[i-1].at).Seconds(); dt > 0 {
			busiest = max(busiest, (during[i].nodeCPU-during[i-1].nodeCPU)/dt)
		}
	}
	ncpu := float64(runtime.NumCPU())
	line("node CPU", "%.2f cores on average while sending (%.0f%% of %g), busiest window %.2f", cores, 100*cores/ncpu, ncpu, busiest)
	line("load CPU", "%.2f cores (this program: fleet, encoding, %d stream client(s))", (r.sendEnd.selfCPU-first.selfCPU)/r.sendTime.Seconds(), len(r.clients))
	if r.sendEnd.all > first.all {
		line("machine CPU", "%.0f%% busy on average while sending (every process on the %g cores)",
			100*float64(r.sendEnd.busy-first.busy)/float64(r.sendEnd.all-first.all), ncpu)
	}
	for _, err := range r.streamErrs {
		if err != nil {
			line("stream error", "%v", err)
		}
	}
}

// lostLine judges losses per vessel: a track confirms at its first AIS
// report, so every position report sent should come back as one track
// event on every client. Reports missing and not announced by "dropped"
// events were lost inside the node.
func lostLine(line func(key, format string, args ...any), r summary, pos int64) {
	if len(r.clients) == 0 {
		line("stream lost", "not judged: no stream clients")
		return
	}
	var parts []string
	worst := int64(0)
	for _, c := range r.clients {
		var lost, extra int64
		short := 0
		for i, v := range r.fleet {
			switch d := int64(v.positions) - int64(c.seen[i]); {
			case d > 0:
				lost += d
				short++
			case d < 0:
				extra -= d
			}
		}
		unexplained := max(0, lost-c.dropped.Load())
		worst = max(worst, lost)
		p := fmt.Sprintf("client %d: %d missing from %d vessels, %d unexplained by drop notices", c.id, lost, short, unexplained)
		if extra > 0 {
			p += fmt.Sprintf(", %d more than sent", extra)
		}
		if o := c.other.Load(); o > 0 {
			p += fmt.Sprintf(", %d events of other tracks", o)
		}
		if m := c.malformed.Load(); m > 0 {
			p += fmt.Sprintf(", %d malformed", m)
		}
		if neg := c.negative.Load(); neg > 0 {
			p += fmt.Sprintf(", %d received before their time", neg)
		}
		parts = append(parts, p)
	}
	verdict := "met"
	if worst > 0 {
		verdict = "MISSED"
	}
	line("stream lost", "%d of %d position reports never reached the worst client as track events (per vessel: reports sent − events received; target 0: %s)", worst, pos, verdict)
	for _, p := range parts {
		line("", "%s", p)
	}
}

// counters compares the node's own ingest counters, when /metrics has
// any, with what was sent.
func counters(line func(key, format string, args ...any), first, end sample, sent int64) {
	if len(end.counters) == 0 {
		line("node counters", "none: /metrics exposes no ingest counters (HTTP, incidents, audit failures, Go runtime and process only)")
		return
	}
	names := make([]string, 0, len(end.counters))
	for k := range end.counters {
		names = append(names, k)
	}
	sort.Strings(names)
	var parts []string
	for _, k := range names {
		parts = append(parts, fmt.Sprintf("%s +%.0f", k, end.counters[k]-first.counters[k]))
	}
	line("node counters", "%s", strings.Join(parts, ", "))
	if v, ok := end.counters["pharos_observations_total"]; ok {
		got := int64(v - first.counters["pharos_observations_total"])
		line("node ingest", "%d observations counted by the node of %d sent: %d lost before the tracker", got, sent, sent-got)
	}
}
