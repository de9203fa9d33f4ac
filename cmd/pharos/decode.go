package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strconv"
	"time"

	"pharos/internal/ais"
	"pharos/internal/source"
)

func runDecode(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("decode", flag.ContinueOnError)
	fs.SetOutput(stderr)
	asJSON := fs.Bool("json", false, "print one JSON object per decoded message (the default unless --stats is given alone)")
	withStats := fs.Bool("stats", false, "print one JSON object of counts, rejects by reason and throughput; on stderr when messages are printed too")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "usage: pharos decode [--json] [--stats] FILE…|-")
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
	var (
		st    ais.Stream
		d     ais.Decoded
		buf   []byte
		start = time.Now()
	)
	emit := func(line []byte) {
		if !st.Line(line, &d) || !printMessages {
			return
		}
		buf = appendMessageJSON(buf[:0], &d)
		out.Write(buf)
	}
	for _, name := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := decodeFile(name, &st, emit); err != nil {
			return err
		}
	}
	st.Close()
	if err := out.Flush(); err != nil {
		return err
	}
	if *withStats {
		w := stdout
		if printMessages {
			w = stderr
		}
		return writeStats(w, &st.Stats, time.Since(start))
	}
	return nil
}

func decodeFile(name string, st *ais.Stream, emit source.LineFunc) error {
	f, err := source.Open(name)
	if err != nil {
		return err
	}
	defer f.Close()
	tooLong, err := source.ReadLines(f, emit)
	for range tooLong {
		st.TooLong()
	}
	if err != nil {
		return fmt.Errorf("read %s: %w", name, err)
	}
	return nil
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
