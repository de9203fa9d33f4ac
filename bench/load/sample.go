package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTicks is USER_HZ, the unit of /proc's CPU times: 100 on every
// Linux the node is built for (Go cannot ask sysconf without cgo).
const clockTicks = 100

// sample is one look at the node and at the load, every -sample.
type sample struct {
	at         time.Duration // since sending started
	rss        float64       // bytes: /proc/PID/status VmRSS, else the node's process_resident_memory_bytes
	live       float64       // bytes: the heap live after the last GC, go_memstats_next_gc_bytes / (1 + GOGC/100)
	incidents  float64
	sys        float64 // bytes: go_memstats_sys_bytes, what the Go runtime holds from the OS
	goroutines float64
	nodeCPU    float64 // seconds of CPU the node used so far
	selfCPU    float64 // seconds of CPU this program used so far
	busy, all  uint64  // the machine's busy and total jiffies so far (/proc/stat)
	scrape     time.Duration
	counters   map[string]float64 // the node's pharos_* counters other than HTTP and incidents
	messages   int64              // sent so far
	positions  int64
	events     int64 // track events of the fleet, summed over the clients
	dropped    int64 // changes the node dropped for slow clients, summed
	inQ, outQ  int   // the largest socket backlogs since the sample before, bytes (see queues)
	lat        counts
	err        error // the scrape's, if it failed
}

// prober takes samples of a node.
type prober struct {
	api  string
	pid  int // 0: memory and CPU from /metrics only
	http *http.Client
}

func (p *prober) take(ctx context.Context) sample {
	var s sample
	start := time.Now()
	m, err := p.metrics(ctx)
	s.scrape = time.Since(start)
	s.err = err
	s.sys, s.goroutines = m["go_memstats_sys_bytes"], m["go_goroutines"]
	s.rss, s.nodeCPU = m["process_resident_memory_bytes"], m["process_cpu_seconds_total"]
	if gogc := m["go_gc_gogc_percent"]; gogc > 0 {
		// The sawtooth of heap_alloc hides a trend; the GC's goal is
		// set from the heap it found live, which does not saw.
		s.live = m["go_memstats_next_gc_bytes"] / (1 + gogc/100)
	}
	s.incidents = m["pharos_incidents"]
	s.counters = map[string]float64{}
	for k, v := range m {
		if strings.HasPrefix(k, "pharos_") && !strings.HasPrefix(k, "pharos_http_") &&
			!strings.HasPrefix(k, "pharos_incidents") && !strings.HasPrefix(k, "pharos_audit_") {
			s.counters[k] = v
		}
	}
	if p.pid > 0 {
		if rss, err := procRSS(p.pid); err == nil {
			s.rss = rss
		} else if s.err == nil {
			s.err = err
		}
		if cpu, err := procCPU(p.pid); err == nil {
			s.nodeCPU = cpu
		}
	}
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) == nil {
		s.selfCPU = float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
	}
	s.busy, s.all = machineCPU()
	return s
}

// metrics scrapes /metrics into sums by metric name (labels added up).
func (p *prober) metrics(ctx context.Context) (map[string]float64, error) {
	m := map[string]float64{}
	req, err := http.NewRequestWithContext(ctx, "GET", p.api+"/metrics", nil)
	if err != nil {
		return m, err
	}
	resp, err := p.http.Do(req)
	if err != nil {
		return m, fmt.Errorf("metrics: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return m, fmt.Errorf("metrics: %s", resp.Status)
	}
	return m, parseMetrics(resp.Body, m)
}

// parseMetrics reads the Prometheus text format: "name{labels} value".
func parseMetrics(r io.Reader, m map[string]float64) error {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || line[0] == '#' {
			continue
		}
		sp := strings.LastIndexByte(line, ' ')
		if sp < 0 {
			continue
		}
		name := line[:sp]
		if i := strings.IndexByte(name, '{'); i >= 0 {
			name = name[:i]
		}
		v, err := strconv.ParseFloat(line[sp+1:], 64)
		if err != nil {
			continue
		}
		m[name] += v
	}
	return sc.Err()
}

// procRSS reads VmRSS of a process, in bytes.
func procRSS(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range bytes.SplitSeq(b, []byte("\n")) {
		if rest, ok := bytes.CutPrefix(line, []byte("VmRSS:")); ok {
			f := bytes.Fields(rest)
			if len(f) == 2 && string(f[1]) == "kB" {
				kb, err := strconv.ParseFloat(string(f[0]), 64)
				return kb * 1024, err
			}
		}
	}
	return 0, fmt.Errorf("/proc/%d/status: no VmRSS", pid)
}

// procCPU reads a process's user and system CPU time, in seconds.
func procCPU(pid int) (float64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, err
	}
	// The command name, in parentheses, may hold spaces: count fields
	// after its closing one (field 3 on).
	i := bytes.LastIndexByte(b, ')')
	if i < 0 {
		return 0, fmt.Errorf("/proc/%d/stat: no command name", pid)
	}
	f := bytes.Fields(b[i+1:])
	if len(f) < 13 {
		return 0, fmt.Errorf("/proc/%d/stat: short", pid)
	}
	utime, err1 := strconv.ParseFloat(string(f[11]), 64)
	stime, err2 := strconv.ParseFloat(string(f[12]), 64)
	if err1 != nil || err2 != nil {
		return 0, fmt.Errorf("/proc/%d/stat: bad times", pid)
	}
	return (utime + stime) / clockTicks, nil
}

// machineCPU reads the machine's busy and total CPU time from /proc/stat,
// in jiffies: the machine is shared, and others' work shows here.
func machineCPU() (busy, all uint64) {
	b, err := os.ReadFile("/proc/stat")
	if err != nil {
		return 0, 0
	}
	line, _, _ := bytes.Cut(b, []byte("\n"))
	f := bytes.Fields(line)
	if len(f) < 6 || string(f[0]) != "cpu" {
		return 0, 0
	}
	for k, v := range f[1:] {
		n, _ := strconv.ParseUint(string(v), 10, 64)
		if k >= 8 { // guest times are counted in user already
			break
		}
		all += n
		if k != 3 && k != 4 { // idle, iowait
			busy += n
		}
	}
	return busy, all
}

// slope fits a line to (minutes, MiB) by least squares and returns its
// slope in MiB per minute.
func slope(xs, ys []float64) float64 {
	n := float64(len(xs))
	if n < 2 {
		return 0
	}
	var sx, sy, sxx, sxy float64
	for i := range xs {
		sx += xs[i]
		sy += ys[i]
		sxx += xs[i] * xs[i]
		sxy += xs[i] * ys[i]
	}
	d := n*sxx - sx*sx
	if d == 0 {
		return 0
	}
	return (n*sxy - sx*sy) / d
}

const mib = 1 << 20
