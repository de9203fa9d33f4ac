package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"sync"
)

// The operator's web UI, built from web/ by web/build.sh and committed, so
// that go build needs no npm. TestUIBundleIsFresh checks that it was
// rebuilt after the sources last changed.
//
//go:embed ui
var uiFiles embed.FS

// uiCSP allows the UI its own scripts, styles and connections and nothing
// else: no inline script or style, no other origin, no framing.
const uiCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; " +
	"frame-ancestors 'none'"

// uiTypes are the content types of the files the UI is made of; a file of
// another kind is not served.
var uiTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".json": "application/json",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".txt":  "text/plain; charset=utf-8",
}

// uiAsset is one file of the UI, with its gzip form made on first demand.
type uiAsset struct {
	body, gz []byte
	ctype    string
	etag     string
	once     sync.Once
}

func (a *uiAsset) gzipped() []byte {
	a.once.Do(func() {
		if strings.HasPrefix(a.ctype, "image/png") || len(a.body) < 1024 {
			return
		}
		var b bytes.Buffer
		zw, _ := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
		zw.Write(a.body)
		zw.Close()
		if b.Len() < len(a.body) {
			a.gz = b.Bytes()
		}
	})
	return a.gz
}

// uiAssets are the UI's files by path, read once per process: every
// server serves the same.
var uiAssets = sync.OnceValue(func() map[string]*uiAsset {
	assets := map[string]*uiAsset{}
	fs.WalkDir(uiFiles, "ui", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		ctype, ok := uiTypes[path.Ext(p)]
		if !ok {
			return nil
		}
		body, err := uiFiles.ReadFile(p)
		if err != nil {
			return err
		}
		sum := sha256.Sum256(body)
		assets["/"+p] = &uiAsset{body: body, ctype: ctype, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
		return nil
	})
	// Compress the large files (the basemap) now, in the background, so
	// that the first browser need not wait for it.
	go func() {
		for _, a := range assets {
			a.gzipped()
		}
	}()
	return assets
})

// handleUI serves the UI: index.html at / and its files under /ui/.
func (s *Server) handleUI(mux *http.ServeMux) {
	assets := uiAssets()
	serve := func(w http.ResponseWriter, r *http.Request, a *uiAsset) {
		h := w.Header()
		h.Set("Content-Type", a.ctype)
		h.Set("Content-Security-Policy", uiCSP)
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-cache") // revalidated by ETag: a new binary serves a new UI at once
		h.Set("ETag", a.etag)
		h.Set("Vary", "Accept-Encoding")
		if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, a.etag) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		body := a.body
		if gz := a.gzipped(); gz != nil && strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			h.Set("Content-Encoding", "gzip")
			body = gz
		}
		w.Write(body)
	}
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		serve(w, r, assets["/ui/index.html"])
	})
	mux.HandleFunc("GET /ui/", func(w http.ResponseWriter, r *http.Request) {
		a, ok := assets[r.URL.Path]
		if !ok {
			writeError(w, fail(http.StatusNotFound, "%s: not part of the UI", r.URL.Path))
			return
		}
		serve(w, r, a)
	})
}
