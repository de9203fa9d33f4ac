package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"pharos/internal/share"
)

const shareUsage = `usage: pharos share <command> [flags]

commands:
  explain    what each peer would receive of an item, and why, rule by rule
  check      check the sharing settings of node.yaml (or a file of their own)
  nats-config  the users and permissions a node's external NATS needs (nats-server configuration)
  peers      a running node's peers and the state of each link
  push       push one of a running node's incidents to peers
  pull       ask a peer, through a running node, for what matches a query
  subscribe  subscribe, through a running node, at a peer (or end a subscription)

The last four talk to a node's API: --node URL (env PHAROS_NODE, default
http://127.0.0.1:8080) and --token TOKEN (env PHAROS_TOKEN).
`

// peerList is a flag that may be given more than once.
type peerList []string

func (p *peerList) String() string     { return strings.Join(*p, ",") }
func (p *peerList) Set(s string) error { *p = append(*p, s); return nil }

func runShare(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, shareUsage)
		return errUsage
	}
	switch args[0] {
	case "explain":
		return runShareExplain(args[1:], stdout, stderr)
	case "peers":
		return runSharePeers(ctx, args[1:], stdout, stderr)
	case "push":
		return runSharePush(ctx, args[1:], stdout, stderr)
	case "pull":
		return runSharePull(ctx, args[1:], stdout, stderr)
	case "subscribe":
		return runShareSubscribe(ctx, args[1:], stdout, stderr)
	case "check":
		if len(args) != 2 {
			fmt.Fprintln(stderr, "usage: pharos share check node.yaml")
			return errUsage
		}
		s, _, err := readSharing(args[1])
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: %d peers, %d agreements: ok\n", args[1], len(s.Peers), len(s.Agreements))
		return nil
	case "nats-config":
		if len(args) != 2 {
			fmt.Fprintln(stderr, "usage: pharos share nats-config node.yaml")
			return errUsage
		}
		s, name, err := readSharing(args[1])
		if err != nil {
			return err
		}
		if name == "" {
			return fmt.Errorf("%s: no node: name", args[1])
		}
		cfg := share.Config{Name: name, Peers: s.Peers}
		return share.WriteServerAuth(stdout, cfg.Permissions())
	}
	fmt.Fprintf(stderr, "pharos share: unknown command %q\n\n%s", args[0], shareUsage)
	return errUsage
}

// readSharing reads the sharing settings of a file and the node's name,
// if it says it.
func readSharing(path string) (share.Settings, string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return share.Settings{}, "", err
	}
	s, err := share.ParseSettings(b)
	if err != nil {
		return s, "", fmt.Errorf("%s: %w", path, err)
	}
	var top struct {
		Node string `yaml:"node"`
	}
	_ = yaml.Unmarshal(b, &top) // the settings parsed: so does this
	return s, top.Node, nil
}

func runShareExplain(args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("share explain", flag.ContinueOnError)
	fs.SetOutput(stderr)
	config := fs.String("config", "node.yaml", "node.yaml, or a file of sharing agreements")
	itemPath := fs.String("item", "", "the item: a CISE payload as YAML or JSON (metadata and entities)")
	node := fs.String("node", "", "this node's name (default: node.yaml's node)")
	asJSON := fs.Bool("json", false, "write the decisions as JSON")
	var peers peerList
	fs.Var(&peers, "peer", "a peer to explain for (again for more; default every peer with an agreement)")
	if _, err := parseInterspersed(fs, args); err != nil || *itemPath == "" {
		fmt.Fprintln(stderr, "usage: pharos share explain --item FILE [--config node.yaml] [--peer NAME]… [--json]")
		return errUsage
	}
	s, name, err := readSharing(*config)
	if err != nil {
		return err
	}
	if *node != "" {
		name = *node
	}
	b, err := os.ReadFile(*itemPath)
	if err != nil {
		return err
	}
	var item share.Payload
	if err := yaml.Unmarshal(b, &item); err != nil {
		return fmt.Errorf("%s: %w", *itemPath, err)
	}
	if len(peers) == 0 {
		for _, a := range s.Agreements {
			peers = append(peers, a.Peer)
		}
	}
	now := time.Now()
	var all []share.Decision
	for i, peer := range peers {
		d := s.Policy.Explain(item, peer, name, now)
		if *asJSON {
			all = append(all, d)
			continue
		}
		if i > 0 {
			fmt.Fprintln(stdout)
		}
		fmt.Fprint(stdout, d)
		if d.Payload != nil {
			y, err := yaml.Marshal(d.Payload)
			if err != nil {
				return err
			}
			fmt.Fprintf(stdout, "\nwhat %s receives:\n%s", peer, y)
		}
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(all)
	}
	return nil
}
