package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"strings"
	"time"

	"pharos/internal/node"
	"pharos/internal/server/auth"
)

// runServe runs the node's API on its store until ctx ends, then shuts
// down gracefully.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	config := fs.String("config", os.Getenv("PHAROS_CONFIG"), "node configuration (YAML): name, areas, users … (env PHAROS_CONFIG)")
	listen := fs.String("listen", envOr("PHAROS_LISTEN", "127.0.0.1:8080"), "address to serve the API on (env PHAROS_LISTEN)")
	data := fs.String("data", envOr("PHAROS_DATA_DIR", "pharos-data"), "data directory; the SQLite store is DATA/pharos.db (env PHAROS_DATA_DIR)")
	db := fs.String("db", os.Getenv("PHAROS_DB"), "postgres://… to keep the store in PostgreSQL instead of DATA (env PHAROS_DB)")
	var inputs []string
	fs.Func("input", "a live input (tcp://, tcp-listen://, udp://, cot-udp://), repeatable", func(v string) error {
		if !node.IsLive(v) {
			return fmt.Errorf("%q is not a live input", v)
		}
		inputs = append(inputs, v)
		return nil
	})
	var replays []string
	fs.Func("replay", "a recording (file or directory of pharos sim output) to replay as live, looping, repeatable", func(v string) error {
		replays = append(replays, v)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 || *config == "" {
		fmt.Fprintln(stderr, "usage: pharos serve --config node.yaml [--input URL]… [--replay FILE]… [--listen ADDR] [--data DIR | --db postgres://…]")
		return errUsage
	}
	cfg, err := node.LoadConfig(*config)
	if err != nil {
		return err
	}
	if len(cfg.Users) == 0 {
		fmt.Fprintln(stderr, "pharos serve: no users in the configuration: nobody can log in (add users: with pharos passwd)")
	}
	opt := node.Options{Data: *data, DB: *db, Inputs: inputs}
	for _, r := range replays {
		in, err := node.Loop(func() (node.Input, error) { return openAll(r, cfg) }, time.Minute)
		if err != nil {
			return fmt.Errorf("--replay %s: %w", r, err)
		}
		defer in.Close()
		opt.Sources = append(opt.Sources, &node.Replay{In: in})
	}
	return serveNode(ctx, cfg, opt, *listen, stdout, stderr)
}

// serveNode opens a node and serves it on listen until ctx ends.
func serveNode(ctx context.Context, cfg *node.Config, opt node.Options, listen string, stdout, stderr io.Writer) error {
	opt.Status = stdout
	opt.ErrorLog = log.New(stderr, "pharos: ", 0)
	n, err := node.Open(ctx, cfg, opt)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", listen)
	if err != nil {
		n.Close()
		return err
	}
	fmt.Fprintf(stdout, "pharos: node %s, store %s, %d incidents, %d border sections\nserving http://%s/\n",
		n.Picture.Node, n.Where, len(n.Picture.Incidents(nil)), len(n.Picture.Sections()), ln.Addr())
	if err := n.Serve(ctx, ln); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "pharos: stopped")
	return nil
}

// runPasswd reads a password from stdin and prints its argon2id hash for
// a configuration's users.
func runPasswd(_ context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) > 0 {
		fmt.Fprintln(stderr, "usage: pharos passwd < password   (prints the password_hash for node.yaml)")
		return errUsage
	}
	line, err := bufio.NewReader(stdin).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return err
	}
	hash, err := auth.HashPassword(strings.TrimRight(line, "\r\n"), auth.DefaultParams)
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, hash)
	return nil
}

// envOr is the environment variable's value, or def when it is unset or
// empty: a flag's default that a service's environment may set.
func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}
