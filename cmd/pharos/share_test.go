package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"
)

// TestShareExplain: pharos share explain says, for each peer, what it would
// receive and why; check names the line of a bad agreement.
func TestShareExplain(t *testing.T) {
	var out, errb bytes.Buffer
	err := run(context.Background(), []string{"share", "explain", "--config", "../../internal/share/testdata/policy.good.yml",
		"--item", "../../internal/share/testdata/item.yml", "--node", "es"}, &out, &errb)
	if err != nil {
		t.Fatalf("%v: %s", err, errb.String())
	}
	for _, want := range []string{"pt receives 6 entities (1 withheld)", "frontex receives 6 entities", "ma receives 2 entities (6 withheld)",
		"NO  MaritimeSafetyIncident pt-inc-5: onward: originated by pt, which has not consented", "what ma receives:"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in:\n%s", want, out.String())
		}
	}

	out.Reset()
	err = run(context.Background(), []string{"share", "explain", "--config", "../../internal/share/testdata/node.good.yml",
		"--item", "../../internal/share/testdata/item.yml", "--peer", "ma", "--json"}, &out, &errb)
	if err != nil {
		t.Fatal(err)
	}
	var ds []struct {
		Peer     string `json:"peer"`
		Send     bool   `json:"send"`
		Withheld int    `json:"withheld"`
	}
	// node.yaml's agreement with Morocco is for search and rescue only.
	if err := json.Unmarshal(out.Bytes(), &ds); err != nil || len(ds) != 1 || ds[0].Peer != "ma" || ds[0].Send || ds[0].Withheld != 8 {
		t.Errorf("json %s: %v", out.String(), err)
	}

	err = run(context.Background(), []string{"share", "check", "../../internal/share/testdata/node.kind.bad.yml"}, &out, &errb)
	if err == nil || !strings.Contains(err.Error(), "line 12: agreement 2 (ma)") {
		t.Errorf("check of a bad file: %v", err)
	}

	// The users an external NATS of Spain's needs: Spain free, each peer
	// only its inbox subject and its replies.
	out.Reset()
	if err := run(context.Background(), []string{"share", "nats-config", "../../internal/share/testdata/node.good.yml"}, &out, &errb); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`{user: "urn:pharos:node:es", permissions: {publish: [">"], subscribe: [">"]}}`,
		`{user: "urn:pharos:node:pt", permissions: {publish: ["pharos.es.in.pt"], subscribe: ["_INBOX_pt.>"]}}`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("nats-config lacks %s:\n%s", want, out.String())
		}
	}
}
