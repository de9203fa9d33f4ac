package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"path/filepath"
	"sync"
	"time"

	"pharos/internal/node"
	"pharos/internal/share"
)

// The demo's sharing: Spain's centre and its peers, each a node of its own
// on this machine.
const demoSelf = "ESP-NCC"

// demoPeer is one of the demo node's peers and what Spain agrees to share
// with it.
type demoPeer struct {
	name      string
	agreement share.Agreement
}

var demoPeers = []demoPeer{
	{"PRT-NCC", share.Agreement{Kind: share.MemberState, Entities: []string{"Incident", "Vessel"},
		MaxClassification: share.ClassEURestricted, MaxSensitivity: share.SensAmber, Purposes: []share.Purpose{"BorderMonitoring", "SAR"},
		Retention: 30 * 24 * time.Hour}},
	{"EU-HUB", share.Agreement{Kind: share.EUAgency, Entities: []string{"Incident", "Vessel"},
		MaxClassification: share.ClassEURestricted, MaxSensitivity: share.SensAmber, Purposes: []share.Purpose{"BorderMonitoring", "SAR"},
		Retention: 90 * 24 * time.Hour}},
	// A third country under a narrow agreement: migrants' boats in
	// distress, for rescue, without the vessels' identifiers.
	{"MAR-NCC", share.Agreement{Kind: share.ThirdCountry, Entities: []string{"IrregularMigrationIncident"},
		MaxClassification: share.ClassNonClassified, MaxSensitivity: share.SensGreen, Purposes: []share.Purpose{"BorderMonitoring", "SAR"},
		NoIdentifiers: true, Retention: 7 * 24 * time.Hour}},
}

// demoSharing gives the demo node its peers, writes their certificates
// and starts each peer as a node with its own API; Portugal and the hub
// subscribe to Spain's incidents. It returns a function that waits until
// the peers stopped, after ctx ended.
func demoSharing(ctx context.Context, cfg *node.Config, dir string, stdout, stderr io.Writer) (wait func(), err error) {
	pki := filepath.Join(dir, "pki")
	names := []string{demoSelf}
	for _, p := range demoPeers {
		names = append(names, p.name)
	}
	if err := os.MkdirAll(pki, 0o700); err != nil {
		return nil, err
	}
	if err := share.WriteLocalPKI(pki, names...); err != nil {
		return nil, err
	}
	addr := map[string]string{}
	for _, n := range names {
		a, err := freeLoopback()
		if err != nil {
			return nil, err
		}
		addr[n] = a
	}
	settings := func(self string) *share.Settings {
		return &share.Settings{Listen: addr[self], Cert: filepath.Join(pki, self+".pem"), Key: filepath.Join(pki, self+".key"),
			CA: filepath.Join(pki, "ca.pem"), Codec: "cise"}
	}
	cfg.Sharing = settings(demoSelf)
	apis := map[string]string{}
	var running sync.WaitGroup
	for _, p := range demoPeers {
		a := p.agreement
		a.Peer = p.name
		cfg.Sharing.Peers = append(cfg.Sharing.Peers, share.Peer{Name: p.name, URL: "tls://" + addr[p.name]})
		cfg.Sharing.Agreements = append(cfg.Sharing.Agreements, a)
		// The peer shares its incidents with Spain as a member state does.
		pc := &node.Config{Node: p.name, Users: cfg.Users, Areas: cfg.Areas, Sharing: settings(p.name)}
		pc.Sharing.Peers = []share.Peer{{Name: demoSelf, URL: "tls://" + addr[demoSelf]}}
		pc.Sharing.Agreements = []share.Agreement{{Peer: demoSelf, Kind: share.MemberState, Entities: []string{"Incident", "Vessel"},
			MaxClassification: share.ClassEURestricted, MaxSensitivity: share.SensAmber, Purposes: []share.Purpose{"BorderMonitoring", "SAR"}}}
		n, err := node.Open(ctx, pc, node.Options{Data: filepath.Join(dir, p.name), ErrorLog: log.New(stderr, p.name+": ", 0)})
		if err != nil {
			return nil, fmt.Errorf("peer %s: %w", p.name, err)
		}
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			n.Close()
			return nil, err
		}
		apis[p.name] = ln.Addr().String()
		running.Go(func() {
			if err := n.Serve(ctx, ln); err != nil {
				fmt.Fprintf(stderr, "%s: %v\n", p.name, err)
			}
		})
		if p.agreement.Kind != share.ThirdCountry {
			go subscribeWhenUp(ctx, n, stderr)
		}
	}
	for _, p := range demoPeers {
		fmt.Fprintf(stdout, "Peer %s (%s) on http://%s/\n", p.name, p.agreement.Kind, apis[p.name])
	}
	return running.Wait, nil
}

// subscribeWhenUp subscribes a peer to Spain's incidents once the link is
// up, trying for a minute.
func subscribeWhenUp(ctx context.Context, n *node.Node, stderr io.Writer) {
	for end := time.Now().Add(time.Minute); ctx.Err() == nil; time.Sleep(500 * time.Millisecond) {
		sub, cancel := context.WithTimeout(ctx, 5*time.Second)
		_, err := n.Sharing().Subscribe(sub, demoSelf, share.Query{Types: []string{"Incident"}})
		cancel()
		if err == nil || time.Now().After(end) {
			if err != nil {
				fmt.Fprintf(stderr, "demo: subscription to %s: %v\n", demoSelf, err)
			}
			return
		}
	}
}

func freeLoopback() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
