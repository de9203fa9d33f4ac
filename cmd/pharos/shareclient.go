package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"pharos/internal/share"
)

// The commands of pharos share that act through a running node's API:
// peers, push, pull, subscribe.

// nodeClient calls a node's API with an API token.
type nodeClient struct {
	url, token string
	http       *http.Client
}

// nodeFlags adds --node and --token (env PHAROS_NODE, PHAROS_TOKEN).
func nodeFlags(fs *flag.FlagSet) *nodeClient {
	c := &nodeClient{http: &http.Client{Timeout: 5 * time.Minute}}
	fs.StringVar(&c.url, "node", envOr("PHAROS_NODE", "http://127.0.0.1:8080"), "the node's API (env PHAROS_NODE)")
	fs.StringVar(&c.token, "token", os.Getenv("PHAROS_TOKEN"), "an API token of the node (env PHAROS_TOKEN; make one with POST /api/tokens)")
	return c
}

// call sends a request and decodes the JSON answer into out (when not
// nil); an answer other than 2xx is an error with the node's reason.
func (c *nodeClient) call(ctx context.Context, method, path string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.url, "/")+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode/100 != 2 {
		var e struct{ Error string }
		if json.Unmarshal(b, &e) == nil && e.Error != "" {
			return fmt.Errorf("%s %s: %s (%d)", method, path, e.Error, resp.StatusCode)
		}
		return fmt.Errorf("%s %s: %s", method, path, resp.Status)
	}
	if out == nil || len(b) == 0 {
		return nil
	}
	return json.Unmarshal(b, out)
}

// printJSON writes v indented.
func printJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

func runSharePeers(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("share peers", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := nodeFlags(fs)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 {
		return errUsage
	}
	var peers []share.PeerStatus
	if err := c.call(ctx, "GET", "/api/share/peers", nil, &peers); err != nil {
		return err
	}
	for _, p := range peers {
		state := "down"
		if p.Connected {
			state = "up"
		}
		fmt.Fprintf(stdout, "%-12s %-14s %-4s %d queued  %s\n", p.Name, p.Kind, state, p.Queued, p.URL)
	}
	return nil
}

func runSharePush(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("share push", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := nodeFlags(fs)
	incident := fs.String("incident", "", "the incident to push, e.g. INC-000001")
	var peers peerList
	fs.Var(&peers, "peer", "a peer to push to (repeatable; none: every peer whose agreement lets something through)")
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *incident == "" {
		fmt.Fprintln(stderr, "usage: pharos share push --incident ID [--peer NAME]… [--node URL] [--token T]")
		return errUsage
	}
	var sent []share.Sent
	if err := c.call(ctx, "POST", "/api/incidents/"+*incident+"/share", map[string][]string{"peers": peers}, &sent); err != nil {
		return err
	}
	for _, s := range sent {
		fmt.Fprintln(stdout, s.Decision.String())
	}
	return nil
}

// queryFlags adds the query-by-example flags of pull and subscribe.
func queryFlags(fs *flag.FlagSet) func() (share.Query, error) {
	mmsi := fs.String("mmsi", "", "a vessel's MMSI")
	imo := fs.String("imo", "", "a vessel's IMO number")
	types := fs.String("types", "", "CISE entity types, comma-separated (e.g. Incident,Vessel)")
	bbox := fs.String("bbox", "", "an area: west,south,east,north")
	from := fs.String("from", "", "the period's start (RFC 3339)")
	to := fs.String("to", "", "the period's end (RFC 3339)")
	return func() (share.Query, error) {
		q := share.Query{MMSI: *mmsi, IMO: *imo}
		if *types != "" {
			q.Types = strings.Split(*types, ",")
		}
		if *bbox != "" {
			var b []float64
			for p := range strings.SplitSeq(*bbox, ",") {
				x, err := strconv.ParseFloat(p, 64)
				if err != nil {
					return q, fmt.Errorf("--bbox %q: %v", *bbox, err)
				}
				b = append(b, x)
			}
			if len(b) != 4 {
				return q, fmt.Errorf("--bbox %q: want west,south,east,north", *bbox)
			}
			q.Area = &share.Area{BBox: b}
		}
		for _, f := range []struct {
			v string
			t *time.Time
		}{{*from, &q.From}, {*to, &q.To}} {
			if f.v != "" {
				t, err := time.Parse(time.RFC3339, f.v)
				if err != nil {
					return q, err
				}
				*f.t = t
			}
		}
		return q, nil
	}
}

func runSharePull(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("share pull", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := nodeFlags(fs)
	peer := fs.String("peer", "", "the peer to ask")
	timeout := fs.Duration("timeout", 10*time.Second, "how long the peer has to answer")
	query := queryFlags(fs)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *peer == "" {
		fmt.Fprintln(stderr, "usage: pharos share pull --peer NAME [--mmsi M] [--imo I] [--types T,…] [--bbox w,s,e,n] [--from T] [--to T] [--timeout 10s]")
		return errUsage
	}
	q, err := query()
	if err != nil {
		return err
	}
	var p share.Payload
	body := map[string]any{"peer": *peer, "query": q, "timeout": timeout.String()}
	if err := c.call(ctx, "POST", "/api/share/pull", body, &p); err != nil {
		return err
	}
	return printJSON(stdout, p)
}

func runShareSubscribe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("share subscribe", flag.ContinueOnError)
	fs.SetOutput(stderr)
	c := nodeFlags(fs)
	peer := fs.String("peer", "", "the peer to subscribe at")
	cancel := fs.String("cancel", "", "end the subscription with this ID instead")
	query := queryFlags(fs)
	if err := fs.Parse(args); err != nil || fs.NArg() > 0 || *peer == "" {
		fmt.Fprintln(stderr, "usage: pharos share subscribe --peer NAME [--types T,…] [--bbox w,s,e,n] [--mmsi M] | --peer NAME --cancel ID")
		return errUsage
	}
	if *cancel != "" {
		if err := c.call(ctx, "DELETE", "/api/share/subscriptions/"+*cancel+"?peer="+*peer, nil, nil); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "subscription %s at %s ended\n", *cancel, *peer)
		return nil
	}
	q, err := query()
	if err != nil {
		return err
	}
	var res struct{ Peer, ID string }
	if err := c.call(ctx, "POST", "/api/share/subscriptions", map[string]any{"peer": *peer, "query": q}, &res); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "subscribed at %s: %s (%s)\n", res.Peer, res.ID, q)
	return nil
}
