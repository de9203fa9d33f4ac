package main

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"os"
	"path/filepath"
	"time"

	"pharos/internal/cise"
	"pharos/internal/eval"
	"pharos/internal/model"
)

// runCISE runs pharos cise parse|export.
func runCISE(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "parse":
			return runCISEParse(args[1:], stdout, stderr)
		case "export":
			return runCISEExport(ctx, args[1:], stdout, stderr)
		}
	}
	fmt.Fprintln(stderr, "usage: pharos cise parse FILE | pharos cise export --run RUN --out DIR [--node NAME]")
	return errUsage
}

// runCISEParse prints a CISE message as JSON; a message that does not
// decode or does not validate is an error saying why.
func runCISEParse(args []string, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		fmt.Fprintln(stderr, "usage: pharos cise parse FILE   (- for stdin)")
		return errUsage
	}
	var data []byte
	var err error
	if args[0] == "-" {
		data, err = io.ReadAll(io.LimitReader(os.Stdin, cise.MaxMessageSize+1))
	} else {
		data, err = os.ReadFile(args[0])
	}
	if err != nil {
		return err
	}
	m, err := cise.Decode(data)
	if err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	if err := cise.Validate(m); err != nil {
		return fmt.Errorf("%s: %w", args[0], err)
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// runCISEExport writes one signed Push per event of a run, for inspection
// and interoperability tests, with the certificate that verifies them.
func runCISEExport(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("cise export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	runDir := fs.String("run", "", "a pharos run output directory (its events.jsonl)")
	out := fs.String("out", "", "directory to write the messages into")
	nodeName := fs.String("node", "pharos", "the node's name, first part of the identifiers")
	if err := fs.Parse(args); err != nil || *runDir == "" || *out == "" || fs.NArg() > 0 {
		fmt.Fprintln(stderr, "usage: pharos cise export --run RUN --out DIR [--node NAME]")
		return errUsage
	}
	f, err := os.Open(filepath.Join(*runDir, EventsFile))
	if err != nil {
		return err
	}
	events, err := eval.ReadEvents(f)
	f.Close()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	signer, certPEM, err := exportSigner(*nodeName)
	if err != nil {
		return err
	}
	certFile := filepath.Join(*out, "signer-cert.pem")
	if err := os.WriteFile(certFile, certPEM, 0o644); err != nil {
		return err
	}
	mapper := cise.Mapper{Node: *nodeName}
	for _, ev := range events {
		m := exportPush(mapper, ev)
		b, err := signer.Sign(m)
		if err != nil {
			return fmt.Errorf("event %s: %w", ev.ID, err)
		}
		if err := os.WriteFile(filepath.Join(*out, ev.ID+".xml"), b, 0o644); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "cise export: %d signed Push messages in %s; they verify with %s\n", len(events), *out, certFile)
	return nil
}

// exportPush is the Push of one detection, as an anomaly, to whoever
// consumes the node's anomaly service.
func exportPush(mapper cise.Mapper, ev model.Event) *cise.Message {
	created := ev.End
	if created.IsZero() {
		created = ev.Start
	}
	return &cise.Message{Kind: cise.KindPush, ID: cise.NewID(), CorrelationID: mapper.Node + "/event/" + ev.ID,
		Created: created, Priority: cise.PriorityMedium,
		Sender:    &cise.Service{ServiceID: mapper.Node + ".anomaly.push.provider", ServiceOperation: "Push", ServiceType: "AnomalyService"},
		Recipient: &cise.Service{ServiceID: "any.anomaly.push.consumer", ServiceOperation: "Push", ServiceType: "AnomalyService"},
		Payload: &cise.Payload{SecurityLevel: cise.SecurityNonClassified, Sensitivity: cise.TLPGreen,
			Purpose: cise.PurposeBorderMonitoring, PersonalData: len(ev.MMSI) > 0, Entities: []cise.Entity{mapper.Anomaly(ev)}}}
}

// exportSigner makes a throwaway RSA key and self-signed certificate for
// an export: the messages are for inspection, not for a network.
func exportSigner(node string) (*cise.Signer, []byte, error) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return nil, nil, err
	}
	serial, err := rand.Int(rand.Reader, big.NewInt(1<<62))
	if err != nil {
		return nil, nil, err
	}
	now := time.Now()
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: pkix.Name{CommonName: node + " export", Organization: []string{node}},
		NotBefore: now.Add(-time.Hour), NotAfter: now.AddDate(1, 0, 0),
		KeyUsage: x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign, BasicConstraintsValid: true, IsCA: true}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return nil, nil, err
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, nil, errors.New("export certificate: " + err.Error())
	}
	return &cise.Signer{Key: key, Chain: []*x509.Certificate{cert}}, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), nil
}
