package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strconv"
	"sync/atomic"
	"time"
)

// login returns an HTTP client holding a session of the user.
func login(ctx context.Context, api, user, password string) (*http.Client, error) {
	jar, err := cookiejar.New(nil)
	if err != nil {
		return nil, err
	}
	// Each client its own transport: its own TCP connection to the node,
	// as separate operators' browsers would have.
	c := &http.Client{Jar: jar, Transport: &http.Transport{}}
	body, _ := json.Marshal(map[string]string{"user": user, "password": password})
	req, err := http.NewRequestWithContext(ctx, "POST", api+"/api/login", bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return nil, fmt.Errorf("login: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return nil, fmt.Errorf("login as %s: %s %s", user, resp.Status, bytes.TrimSpace(b))
	}
	return c, nil
}

// streamClient reads /api/stream?kinds=track as an operator's map would,
// timing every track event against the state's own time (the tag block's
// send time) and counting, per vessel, the events it saw.
type streamClient struct {
	id      int
	http    *http.Client
	hist    *histogram
	vessels map[uint32]int // MMSI → vessel index; read only
	seen    []int32        // track events per vessel; read after run returns

	events    atomic.Int64 // track events of the fleet's vessels
	other     atomic.Int64 // track events of other MMSIs or none
	dropped   atomic.Int64 // changes the node said it dropped for this client
	notices   atomic.Int64 // "dropped" events
	malformed atomic.Int64
	negative  atomic.Int64 // events received before their own time: clock trouble
}

// open connects and returns once the node has sent the stream's opening
// comment, so that no change after it is missed.
func (c *streamClient) open(ctx context.Context, api string) (io.ReadCloser, *bufio.Reader, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", api+"/api/stream?kinds=track", nil)
	if err != nil {
		return nil, nil, err
	}
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, nil, fmt.Errorf("stream %d: %w", c.id, err)
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, nil, fmt.Errorf("stream %d: %s", c.id, resp.Status)
	}
	br := bufio.NewReaderSize(resp.Body, 256<<10)
	if _, err := br.ReadSlice('\n'); err != nil {
		resp.Body.Close()
		return nil, nil, fmt.Errorf("stream %d: %w", c.id, err)
	}
	return resp.Body, br, nil
}

// run reads events until the body is closed or fails.
func (c *streamClient) run(br *bufio.Reader) error {
	var kind []byte
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			if errors.Is(err, bufio.ErrBufferFull) {
				c.malformed.Add(1)
				for errors.Is(err, bufio.ErrBufferFull) {
					_, err = br.ReadSlice('\n')
				}
				continue
			}
			return err
		}
		line = bytes.TrimRight(line, "\r\n")
		switch {
		case len(line) == 0:
			kind = kind[:0]
		case bytes.HasPrefix(line, []byte("event: ")):
			kind = append(kind[:0], line[len("event: "):]...)
		case bytes.HasPrefix(line, []byte("data: ")):
			data := line[len("data: "):]
			switch string(kind) {
			case "track":
				c.track(data, time.Now())
			case "dropped":
				var d struct{ Dropped int64 }
				if json.Unmarshal(data, &d) != nil {
					c.malformed.Add(1)
				}
				c.dropped.Add(d.Dropped)
				c.notices.Add(1)
			}
		}
	}
}

// track takes a track event's data. The node writes TrackState with
// encoding/json, so "t" and "mmsi" are found by name without decoding the
// whole object: two clients at 10,000 events a second each should leave the
// machine's cores to the node.
func (c *streamClient) track(data []byte, received time.Time) {
	ts, ok1 := field(data, `"t":"`, '"')
	mmsi, ok2 := field(data, `"mmsi":`, ',')
	if !ok1 {
		c.malformed.Add(1)
		return
	}
	t, err := time.Parse(time.RFC3339Nano, string(ts))
	if err != nil {
		c.malformed.Add(1)
		return
	}
	lat := received.Sub(t)
	if lat < -time.Millisecond {
		c.negative.Add(1)
	}
	c.hist.add(lat)
	if !ok2 {
		c.other.Add(1)
		return
	}
	m, err := strconv.ParseUint(string(mmsi), 10, 32)
	i, ok := c.vessels[uint32(m)]
	if err != nil || !ok {
		c.other.Add(1)
		return
	}
	c.seen[i]++
	c.events.Add(1)
}

// field returns what follows key in data up to end.
func field(data []byte, key string, end byte) ([]byte, bool) {
	i := bytes.Index(data, []byte(key))
	if i < 0 {
		return nil, false
	}
	v := data[i+len(key):]
	j := bytes.IndexByte(v, end)
	if j < 0 {
		j = bytes.IndexAny(v, ",}")
		if j < 0 {
			return nil, false
		}
	}
	return v[:j], true
}

// vesselsOf maps MMSI to index.
func vesselsOf(fleet []*vessel) map[uint32]int {
	m := make(map[uint32]int, len(fleet))
	for i, v := range fleet {
		m[v.mmsi] = i
	}
	return m
}

// liveTracks counts the node's live tracks and how many of them are the
// fleet's.
func liveTracks(ctx context.Context, c *http.Client, api string, vessels map[uint32]int) (all, ours int, err error) {
	req, err := http.NewRequestWithContext(ctx, "GET", api+"/api/tracks", nil)
	if err != nil {
		return 0, 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, 0, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return 0, 0, fmt.Errorf("GET /api/tracks: %s", resp.Status)
	}
	var tracks []struct{ MMSI uint32 }
	if err := json.NewDecoder(resp.Body).Decode(&tracks); err != nil {
		return 0, 0, fmt.Errorf("GET /api/tracks: %w", err)
	}
	distinct := map[uint32]bool{}
	for _, t := range tracks {
		if _, ok := vessels[t.MMSI]; ok {
			distinct[t.MMSI] = true
		}
	}
	return len(tracks), len(distinct), nil
}
