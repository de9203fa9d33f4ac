package node

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"maps"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"pharos/internal/detect"
	"pharos/internal/geo"
	"pharos/internal/picture"
	"pharos/internal/server"
	"pharos/internal/server/auth"
	"pharos/internal/share"
	"pharos/internal/store"
	"pharos/internal/store/postgres"
	"pharos/internal/store/sqlite"
	"pharos/internal/tak"
)

// Options say where a node keeps its data and what it reads.
type Options struct {
	// Data is the data directory; the SQLite store is Data/pharos.db.
	Data string
	// DB, when set, is a postgres:// URL to keep the store in instead.
	DB string
	// Inputs are live inputs (IsLive).
	Inputs []string
	// Sources are further sources, e.g. replays.
	Sources []Source
	// Status receives what a person starting the node wants to know:
	// the addresses inputs listen on.
	Status io.Writer
	// ErrorLog reports what goes wrong while the node runs.
	ErrorLog *log.Logger
}

// Node is a running node: its store, picture, pipeline and API.
type Node struct {
	Picture *picture.Picture
	Store   store.Store
	Server  *server.Server
	// Where names the store: the SQLite file or "PostgreSQL".
	Where string

	pipe  *Pipeline
	share *sharing
	cfg   *Config
	log   *log.Logger
}

// Open opens the node's store, rebuilds its picture from it and from the
// configuration, and opens its inputs. Serve then runs it; Close releases
// what Open took when Serve is not called.
func Open(ctx context.Context, cfg *Config, opt Options) (*Node, error) {
	if opt.Status == nil {
		opt.Status = io.Discard
	}
	if opt.ErrorLog == nil {
		opt.ErrorLog = log.New(os.Stderr, "pharos: ", 0)
	}
	st, where, err := OpenStore(ctx, opt.Data, opt.DB)
	if err != nil {
		return nil, err
	}
	n := &Node{Store: st, Where: where, cfg: cfg, log: opt.ErrorLog}
	if err := n.open(ctx, cfg, opt); err != nil {
		n.Close()
		return nil, err
	}
	return n, nil
}

func (n *Node) open(ctx context.Context, cfg *Config, opt Options) error {
	areas, err := cfg.AreaSet()
	if err != nil {
		return err
	}
	if n.Picture, err = restorePicture(ctx, cfg, areas, n.Store); err != nil {
		return err
	}
	users := &auth.Users{}
	for _, u := range cfg.Users {
		if err := users.AddHashed(u.Name, auth.Role(u.Role), u.PasswordHash); err != nil {
			return fmt.Errorf("users: %w", err)
		}
	}
	// Users added and tokens made through the API, kept in the store.
	kept, err := n.Store.Items(ctx, server.KindUser)
	if err != nil {
		return err
	}
	for _, it := range kept {
		var rec auth.Record
		if err := json.Unmarshal(it.Value, &rec); err != nil {
			return fmt.Errorf("store: user %s: %w", it.ID, err)
		}
		if err := users.Restore(rec); err != nil {
			return fmt.Errorf("store: %w", err)
		}
	}
	n.Server = &server.Server{Picture: n.Picture, Store: n.Store, Users: users, Now: time.Now, ErrorLog: opt.ErrorLog}
	if n.share, err = openSharing(cfg, opt.Data, areas, n.Picture, n.Store); err != nil {
		return err
	}
	if n.share != nil {
		n.Server.Share, n.Server.SharePayload = n.share.node, n.share.Payload
		fmt.Fprintf(opt.Status, "sharing with %d peers, listening on %s\n", len(cfg.Sharing.Peers), n.share.node.Addr())
	}
	if len(opt.Inputs) == 0 && len(opt.Sources) == 0 {
		return nil
	}
	// The zone detectors watch the areas users drew as well.
	areas = withUserAreas(areas, n.Picture.Items(picture.KindArea))
	if n.pipe, err = newPipeline(cfg, areas, n.Picture, n.Store, opt.ErrorLog); err != nil {
		return err
	}
	n.pipe.SetWatchlist(watchlist(n.Picture))
	for _, in := range opt.Inputs {
		f, err := OpenFeed(in, cfg, func(addr string) { fmt.Fprintf(opt.Status, "input %s on %s\n", in, addr) })
		if err != nil {
			return err
		}
		n.pipe.sources = append(n.pipe.sources, f)
	}
	n.pipe.sources = append(n.pipe.sources, opt.Sources...)
	for _, url := range cfg.CoTOut {
		c, err := tak.NewSender(url, tak.Options{})
		if err != nil {
			return fmt.Errorf("cot_out: %w", err)
		}
		n.pipe.cot, n.pipe.cotURLs = append(n.pipe.cot, c), append(n.pipe.cotURLs, url)
	}
	n.Server.Tracks = n.pipe.Tracks
	n.Server.Collectors = n.pipe.Collectors()
	return nil
}

// Serve runs the pipeline and serves the API on ln until ctx ends, then
// shuts down gracefully: inputs stop, the history held is stored, requests
// under way finish (10 s at most), the store closes.
func (n *Node) Serve(ctx context.Context, ln net.Listener) error {
	defer n.Store.Close()
	pipeCtx, stopPipe := context.WithCancel(ctx)
	defer stopPipe()
	pipeDone := make(chan struct{})
	tidy := make(chan struct{})
	go func() { n.keepTidy(pipeCtx, n.cfg, n.log); close(tidy) }()
	defer func() { <-tidy }()
	if n.share != nil {
		defer n.share.node.Close()
		go n.share.follow(pipeCtx)
	}
	if n.pipe != nil {
		go func() { n.pipe.Run(pipeCtx); close(pipeDone) }()
		go n.followWatchlist(pipeCtx)
		for _, c := range n.pipe.cot {
			go c.Run(pipeCtx)
		}
	} else {
		close(pipeDone)
	}
	hs := &http.Server{Handler: n.Server.Handler(), ReadHeaderTimeout: 10 * time.Second}
	done := make(chan error, 1)
	go func() { done <- hs.Serve(ln) }()
	select {
	case err := <-done:
		stopPipe()
		<-pipeDone
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
	return nil
}

// Sharing is the node's side of sharing with its peers, or nil.
func (n *Node) Sharing() *share.Node {
	if n.share == nil {
		return nil
	}
	return n.share.node
}

// Close releases a node that was opened and not served.
func (n *Node) Close() error {
	if n.share != nil {
		n.share.node.Close()
	}
	return n.Store.Close()
}

// followWatchlist hands the pipeline the watchlist each time it changes.
func (n *Node) followWatchlist(ctx context.Context) {
	changes, stop := n.Picture.WatchOnly(64, func(c *picture.Change) bool {
		return c.Item != nil && c.Item.Kind == picture.KindWatchlist || c.Deleted != nil && c.Deleted.Kind == picture.KindWatchlist
	})
	defer stop()
	for {
		select {
		case <-ctx.Done():
			return
		case c := <-changes:
			if c.Dropped > 0 || c.Item != nil && c.Item.Kind == picture.KindWatchlist ||
				c.Deleted != nil && c.Deleted.Kind == picture.KindWatchlist {
				n.pipe.SetWatchlist(watchlist(n.Picture))
			}
		}
	}
}

// watchlist is the picture's watchlist as the detector takes it.
func watchlist(pic *picture.Picture) []detect.WatchEntry {
	var list []detect.WatchEntry
	for _, it := range pic.Items(picture.KindWatchlist) {
		var e picture.WatchEntry
		if err := it.Decode(&e); err == nil {
			list = append(list, detect.WatchEntry(e))
		}
	}
	return list
}

// withUserAreas adds the areas users drew to a set.
func withUserAreas(areas *geo.Areas, items []picture.Item) *geo.Areas {
	if len(items) == 0 {
		return areas
	}
	list := slices.Clone(areas.List())
	for _, it := range items {
		var a picture.Area
		if err := it.Decode(&a); err != nil {
			continue
		}
		kind := geo.KindUserArea
		if a.Kind == "closed_area" {
			kind = geo.KindClosedArea
		}
		list = append(list, geo.Area{ID: a.ID, Name: a.Name, Kind: kind, Polygons: [][][][2]float64{{a.Polygon}}})
	}
	return geo.NewAreas(list)
}

// OpenStore opens PostgreSQL when db is set, else SQLite in the data
// directory (data/pharos.db, the directory made if need be), and says
// which: the SQLite file or "PostgreSQL". A node opens its store this way,
// and so do the commands that read one, such as pharos report.
func OpenStore(ctx context.Context, data, db string) (store.Store, string, error) {
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

// restorePicture rebuilds the picture from the store and adds what the
// configuration names that the store does not hold yet: border sections
// and watchlist entries.
func restorePicture(ctx context.Context, cfg *Config, areas *geo.Areas, st store.Store) (*picture.Picture, error) {
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
	// A detection still open when the node stopped can no longer end: its
	// detector's state is gone. It ends at its last evidence, marked.
	for i := range dets {
		if ev := &dets[i]; ev.End.IsZero() {
			ev.End = ev.Start
			if n := len(ev.Evidence); n > 0 {
				ev.End = ev.Evidence[n-1].Time
			}
			if ev.Details == nil {
				ev.Details = map[string]any{}
			}
			ev.Details["interrupted"] = true
			if err := st.SaveDetection(ctx, *ev); err != nil {
				return nil, err
			}
		}
	}
	pic := picture.New(cfg.NodeName())
	if err := pic.Restore(dets, incs, secs); err != nil {
		return nil, err
	}
	for _, kind := range picture.Kinds() {
		kept, err := st.Items(ctx, kind)
		if err != nil {
			return nil, err
		}
		items := make([]picture.Item, len(kept))
		for i, k := range kept {
			if items[i], err = k.LayerItem(); err != nil {
				return nil, err
			}
		}
		if err := pic.RestoreItems(items); err != nil {
			return nil, err
		}
	}
	pic.AddSections(areas.List())
	for _, s := range pic.Sections() {
		if !slices.ContainsFunc(secs, func(kept picture.Section) bool { return kept.ID == s.ID }) {
			if err := st.SaveSection(ctx, s); err != nil { // new in the configuration
				return nil, err
			}
		}
	}
	for _, e := range cfg.Watchlist {
		if _, ok := pic.Item(picture.KindWatchlist, e.ID); ok {
			continue
		}
		b, err := json.Marshal(e)
		if err != nil {
			return nil, err
		}
		it, err := pic.Put(picture.KindWatchlist, b, "configuration", time.Now())
		if err != nil {
			return nil, err
		}
		if err := st.SaveItem(ctx, store.LayerItem(it)); err != nil {
			return nil, err
		}
	}
	return pic, nil
}

// janitorEvery is how often a node applies its retention.
const janitorEvery = time.Hour

// keepTidy applies the retention and the personal-data limits now and
// every janitorEvery until ctx ends.
func (n *Node) keepTidy(ctx context.Context, cfg *Config, errLog *log.Logger) {
	tick := time.NewTicker(janitorEvery)
	defer tick.Stop()
	for {
		now := time.Now()
		for _, kind := range slices.Sorted(maps.Keys(cfg.Retention)) {
			if _, err := n.Store.Prune(ctx, kind, now.Add(-cfg.Retention[kind])); err != nil && ctx.Err() == nil {
				errLog.Printf("retention of %s: %v", kind, err)
			}
		}
		for _, kind := range slices.Sorted(maps.Keys(cfg.PersonalData)) {
			if _, err := n.Store.ExpirePersonal(ctx, kind, now.Add(-cfg.PersonalData[kind])); err != nil && ctx.Err() == nil {
				errLog.Printf("personal data of %s: %v", kind, err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
