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
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"pharos/internal/node"
	"pharos/internal/picture"
	"pharos/internal/server"
	"pharos/internal/server/auth"
	"pharos/internal/store"
	"pharos/internal/store/postgres"
	"pharos/internal/store/sqlite"
)

// runServe runs the node's API on its store until ctx ends, then shuts
// down gracefully.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	config := fs.String("config", "", "node configuration (YAML): name, areas, users …")
	listen := fs.String("listen", "127.0.0.1:8080", "address to serve the API on")
	data := fs.String("data", "pharos-data", "data directory; the SQLite store is DATA/pharos.db")
	db := fs.String("db", "", "postgres://… to keep the store in PostgreSQL instead of DATA")
	var inputs []string
	fs.Func("input", "a live input (tcp://, tcp-listen://, udp://, cot-udp://), repeatable", func(v string) error {
		if !isLive(v) {
			return fmt.Errorf("%q is not a live input", v)
		}
		inputs = append(inputs, v)
		return nil
	})
	if err := fs.Parse(args); err != nil {
		return errUsage
	}
	if fs.NArg() > 0 || *config == "" {
		fmt.Fprintln(stderr, "usage: pharos serve --config node.yaml [--input URL]… [--listen ADDR] [--data DIR | --db postgres://…]")
		return errUsage
	}
	cfg, err := node.LoadConfig(*config)
	if err != nil {
		return err
	}
	st, where, err := openStore(ctx, *data, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	pic, err := restorePicture(ctx, cfg, st)
	if err != nil {
		return err
	}
	users := &auth.Users{}
	for _, u := range cfg.Users {
		if err := users.AddHashed(u.Name, auth.Role(u.Role), u.PasswordHash); err != nil {
			return fmt.Errorf("%s: users: %w", *config, err)
		}
	}
	if len(cfg.Users) == 0 {
		fmt.Fprintln(stderr, "pharos serve: no users in the configuration: nobody can log in (add users: with pharos passwd)")
	}
	errLog := log.New(stderr, "pharos serve: ", 0)
	srv := &server.Server{Picture: pic, Store: st, Users: users, Now: time.Now, ErrorLog: errLog}
	pipeDone := make(chan struct{})
	pipeCtx, stopPipe := context.WithCancel(ctx)
	defer stopPipe()
	if len(inputs) > 0 {
		pipe, err := newLivePipeline(cfg, pic, st, errLog)
		if err != nil {
			return err
		}
		if err := pipe.open(inputs, cfg, stdout); err != nil {
			return err
		}
		srv.Tracks = pipe.tracks
		go func() { pipe.run(pipeCtx); close(pipeDone) }()
	} else {
		close(pipeDone)
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: srv.Handler(), ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "pharos serve: node %s, store %s, %d incidents, %d border sections\nserving http://%s/\n",
		pic.Node, where, len(pic.Incidents(nil)), len(pic.Sections()), ln.Addr())
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	stopPipe()
	<-pipeDone
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	fmt.Fprintln(stdout, "pharos serve: stopped")
	return nil
}

// openStore opens PostgreSQL when db is set, else SQLite in the data
// directory, and says which.
func openStore(ctx context.Context, data, db string) (store.Store, string, error) {
	if db != "" {
		if !strings.HasPrefix(db, "postgres://") && !strings.HasPrefix(db, "postgresql://") {
			return nil, "", fmt.Errorf("--db %q: want postgres://…", db)
		}
		st, err := postgres.Open(ctx, db)
		return st, "PostgreSQL", err
	}
	if err := os.MkdirAll(data, 0o700); err != nil {
		return nil, "", err
	}
	path := filepath.Join(data, "pharos.db")
	st, err := sqlite.Open(path)
	return st, path, err
}

// restorePicture rebuilds the picture from the store and adds the border
// sections of the configuration's areas it does not hold yet.
func restorePicture(ctx context.Context, cfg *node.Config, st store.Store) (*picture.Picture, error) {
	dets, err := st.Detections(ctx, time.Time{})
	if err != nil {
		return nil, err
	}
	incs, err := st.Incidents(ctx)
	if err != nil {
		return nil, err
	}
	secs, err := st.Sections(ctx)
	if err != nil {
		return nil, err
	}
	pic := picture.New(cfg.NodeName())
	if err := pic.Restore(dets, incs, secs); err != nil {
		return nil, err
	}
	areas, err := cfg.AreaSet()
	if err != nil {
		return nil, err
	}
	pic.AddSections(areas.List())
	for _, s := range pic.Sections() {
		if !slices.ContainsFunc(secs, func(kept picture.Section) bool { return kept.ID == s.ID }) {
			if err := st.SaveSection(ctx, s); err != nil { // new in the configuration
				return nil, err
			}
		}
	}
	return pic, nil
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
