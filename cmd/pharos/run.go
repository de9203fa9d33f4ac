package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

const usage = `usage: pharos <command> [flags] [args]

commands:
  demo     run a complete demo node: real AIS and a simulated night in the strait, on localhost
  decode   decode NMEA 0183 AIS files (or - for stdin) to JSON lines
  ingest   read AIS inputs (NMEA or CSV archives) into observations
  sim      simulate a scenario: sensor data in real formats, and the truth; or whole years of incidents
  run      track and fuse sensor files in event-time order into tracks.jsonl
  eval     score a run against a simulation's truth (GOSPA, OSPA, id switches, dark targets)
  serve    run a node: live inputs, picture, store and API
  cise     parse a CISE message to JSON; export a run's events as signed CISE Push messages
  report   the annual cross-border crime report, the monthly indicators, risk-analysis products
  audit    verify a node's audit log: its whole hash chain
  passwd   hash a password (read from stdin) for the users of node.yaml
  share    sharing with other nodes: explain what a peer would receive, check the agreements
  sar      detect vessels in a SAR image chip (CFAR) and write them as satellite detections
  help     show this text

Run "pharos <command> -h" for a command's flags.
`

// errUsage reports a command line that cannot be run; the message has
// already been printed.
var errUsage = errors.New("usage")

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errUsage
	}
	cmd, args := args[0], args[1:]
	switch cmd {
	case "decode":
		return runDecode(ctx, args, stdout, stderr)
	case "ingest":
		return runIngest(ctx, args, stdout, stderr)
	case "demo":
		return runDemo(ctx, args, stdout, stderr)
	case "sim":
		return runSim(ctx, args, stdout, stderr)
	case "run":
		return runRun(ctx, args, stdout, stderr)
	case "eval":
		return runEval(ctx, args, stdout, stderr)
	case "serve":
		return runServe(ctx, args, stdout, stderr)
	case "cise":
		return runCISE(ctx, args, stdout, stderr)
	case "report":
		return runReport(ctx, args, stdout, stderr)
	case "audit":
		return runAudit(ctx, args, stdout, stderr)
	case "passwd":
		return runPasswd(ctx, args, os.Stdin, stdout, stderr)
	case "share":
		return runShare(ctx, args, stdout, stderr)
	case "sar":
		return runSAR(ctx, args, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "pharos: unknown command %q\n\n%s", cmd, usage)
	return errUsage
}

// parseInterspersed parses flags that may come before, between or after
// the positional arguments, as users type them: "decode FILE --stats".
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}
