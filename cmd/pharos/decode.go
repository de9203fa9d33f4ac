package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"sync"
	"time"

	"pharos/internal/ais"
	"pharos/internal/source"
)

func runDecode(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per decoded message (the default unless --stats is given alone)")
	withStats := fs.Bool("stats", false, "print one JSON object of counts, rejects by reason and throughput; on stderr when messages are printed too")
	workers := fs.Int("workers", runtime.GOMAXPROCS(0), "decoding workers (cores to use)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: pharos decode [--json] [--stats] [--workers N] FILE…|-")
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
	printMessages := *asJSON || !*withStats
	out := bufio.NewWriterSize(stdout, 1<<16)
	start := time.Now()
	var stats ais.Stats
	for _, name := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		st, err := decodeFile(name, *workers, printMessages, out)
		if err != nil {
			return err
		}
		stats.Add(&st)
	}
	if err := out.Flush(); err != nil {
		return err
	}
	if *withStats {
		w := stdout
		if printMessages {
			w = stderr
		}
		return writeStats(w, &stats, time.Since(start))
	}
	return nil
}

// decodeBlockSize is the unit of work handed to a decoding worker: large
// enough that handing it over costs nothing, small enough to keep every
// core busy on modest files.
const decodeBlockSize = 1 << 20

// decodeFile decodes one input with the given number of workers. The input
// is cut into blocks where a message ends (ais.Cut); block k goes to worker
// k mod n, each with its own stream, so the result does not depend on
// scheduling; the JSON of each block is written in input order.
func decodeFile(name string, workers int, printMessages bool, out io.Writer) (ais.Stats, error) {
	f, err := source.Open(name)
	if err != nil {
		return ais.Stats{}, err
	}
	defer f.Close()
	workers = max(workers, 1)
	// Blocks are recycled, so a large file costs a few buffers, not one
	// per block.
	var pool sync.Pool
	getBlock := func(capacity int) []byte {
		if b, ok := pool.Get().(*[]byte); ok && cap(*b) >= capacity {
			return *b
		}
		return make([]byte, 0, capacity)
	}

	type job struct {
		block  []byte
		result chan []byte
	}
	queues := make([]chan job, workers)
	streams := make([]ais.Stream, workers)
	order := make(chan chan []byte, 4*workers)
	var wg sync.WaitGroup
	for w := range queues {
		queues[w] = make(chan job, 2)
		wg.Add(1)
		go func() {
			defer wg.Done()
			st := &streams[w]
			var d ais.Decoded
			for j := range queues[w] {
				var buf []byte
				dropped := source.EachLine(j.block, func(line []byte) {
					if st.Line(line, &d) && printMessages {
						buf = appendMessageJSON(buf, &d)
					}
				})
				for range dropped {
					st.TooLong()
				}
				blk := j.block[:0]
				pool.Put(&blk)
				j.result <- buf
			}
		}()
	}
	written := make(chan error, 1)
	go func() {
		var err error
		for res := range order {
			if b := <-res; err == nil && len(b) > 0 {
				_, err = out.Write(b)
			}
		}
		written <- err
	}()
	k := 0
	readErr := source.ReadBlocks(f, decodeBlockSize, getBlock, ais.Cut, func(block []byte) {
		j := job{block: block, result: make(chan []byte, 1)}
		order <- j.result
		queues[k%workers] <- j
		k++
	})
	for _, q := range queues {
		close(q)
	}
	wg.Wait()
	close(order)
	writeErr := <-written
	var total ais.Stats
	for i := range streams {
		streams[i].Close()
		total.Add(&streams[i].Stats)
	}
	if readErr != nil {
		return total, fmt.Errorf("read %s: %w", name, readErr)
	}
	return total, writeErr
}

// appendMessageJSON writes one message as a JSON line: its event time and
// source, then the message's own members.
func appendMessageJSON(dst []byte, d *ais.Decoded) []byte {
	dst = append(dst, '{')
	if !d.Time.IsZero() {
		dst = append(dst, `"ts":"`...)
		dst = d.Time.AppendFormat(dst, time.RFC3339Nano)
		dst = append(dst, `",`...)
	}
	if len(d.Source) > 0 {
		dst = append(dst, `"source":`...)
		dst = strconv.AppendQuote(dst, string(d.Source))
		dst = append(dst, ',')
	}
	mark := len(dst)
	dst = d.Msg.AppendJSON(dst)
	// The message's members each start with a comma; drop the first.
	copy(dst[mark:], dst[mark+1:])
	dst = dst[:len(dst)-1]
	return append(dst, '}', '\n')
}

type statsJSON struct {
	Lines        int            `json:"lines"`
	Meta         int            `json:"meta_lines"`
	Sentences    int            `json:"sentences"`
	Messages     int            `json:"messages"`
	ByType       map[string]int `json:"by_type"`
	Rejects      map[string]int `json:"rejects"`
	Seconds      float64        `json:"seconds"`
	LinesPerSec  float64        `json:"lines_per_sec"`
	MessagesPerS float64        `json:"messages_per_sec"`
}

func writeStats(w io.Writer, s *ais.Stats, elapsed time.Duration) error {
	out := statsJSON{
		Lines: s.Lines, Meta: s.Meta, Sentences: s.Sentences, Messages: s.Messages,
		ByType: map[string]int{}, Rejects: s.Rejects(), Seconds: elapsed.Seconds(),
	}
	for t, n := range s.ByType {
		if n > 0 {
			out.ByType[strconv.Itoa(t)] = n
		}
	}
	if sec := elapsed.Seconds(); sec > 0 {
		out.LinesPerSec = float64(s.Lines) / sec
		out.MessagesPerS = float64(s.Messages) / sec
	}
	b, err := json.Marshal(out)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", b)
	return err
}
