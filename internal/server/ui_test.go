package server

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"pharos/internal/geo"
	"pharos/internal/server/auth"
)

func TestUIServed(t *testing.T) {
	n := newNode(t)
	for _, tc := range []struct {
		path, ctype string
		want        string // in the body
	}{
		{"/", "text/html; charset=utf-8", `<script type="module" src="/ui/app.js">`},
		{"/ui/app.js", "text/javascript; charset=utf-8", "EventSource"},
		{"/ui/app.css", "text/css; charset=utf-8", "--sea"},
		{"/ui/geo/countries-50m.json", "application/json", `"type":"Topology"`},
		{"/ui/icon.svg", "image/svg+xml", "<svg"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			req, _ := http.NewRequest("GET", n.url+tc.path, nil)
			req.Header.Set("Accept-Encoding", "gzip")
			resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gunzip
			if err != nil {
				t.Fatal(err)
			}
			defer resp.Body.Close()
			var body io.Reader = resp.Body
			if resp.Header.Get("Content-Encoding") == "gzip" {
				if body, err = gzip.NewReader(resp.Body); err != nil {
					t.Fatal(err)
				}
			}
			b, _ := io.ReadAll(body)
			if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != tc.ctype || !bytes.Contains(b, []byte(tc.want)) {
				t.Fatalf("%d %q, %d bytes; want 200 %q with %q", resp.StatusCode, resp.Header.Get("Content-Type"), len(b), tc.ctype, tc.want)
			}
			csp := resp.Header.Get("Content-Security-Policy")
			for _, want := range []string{"default-src 'none'", "script-src 'self'", "frame-ancestors 'none'"} {
				if !strings.Contains(csp, want) {
					t.Errorf("Content-Security-Policy %q lacks %q", csp, want)
				}
			}
			if strings.Contains(csp, "unsafe") {
				t.Errorf("Content-Security-Policy %q allows something unsafe", csp)
			}
			if resp.Header.Get("X-Content-Type-Options") != "nosniff" {
				t.Error("no nosniff")
			}
			// A second request with the ETag is answered 304.
			req.Header.Set("If-None-Match", resp.Header.Get("ETag"))
			again, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			again.Body.Close()
			if again.StatusCode != http.StatusNotModified {
				t.Errorf("with its ETag: %d, want 304", again.StatusCode)
			}
		})
	}
	if code, body := n.call(t, nil, "GET", "/ui/nothing.js", "", "", ""); code != 404 || !strings.Contains(body, `"error"`) {
		t.Errorf("a file not in the UI: %d %s", code, body)
	}
	// The API keeps its 405 for a wrong method: the UI takes no path of it.
	if code, _ := n.call(t, nil, "GET", "/api/login", "", "", ""); code != http.StatusMethodNotAllowed {
		t.Errorf("GET /api/login: %d, want 405", code)
	}
}

// TestUIBundleIsFresh fails when web/ changed after the bundle in ui/ was
// built: the digest web/build.mjs wrote of its inputs must be theirs now.
// Run web/build.sh and commit internal/server/ui.
func TestUIBundleIsFresh(t *testing.T) {
	root := filepath.Join("..", "..")
	var files []string
	err := filepath.WalkDir(filepath.Join(root, "web", "src"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"web/build.mjs", "web/package.json", "web/package-lock.json", "internal/ais/mid.go"} {
		files = append(files, filepath.Join(root, f))
	}
	for i, f := range files {
		rel, _ := filepath.Rel(root, f)
		files[i] = filepath.ToSlash(rel)
	}
	slices.Sort(files)
	h := sha256.New()
	for _, f := range files {
		b, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		h.Write([]byte(f + "\x00"))
		h.Write(b)
		h.Write([]byte{0})
	}
	built, err := uiFiles.ReadFile("ui/SOURCES.sha256")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.TrimSpace(string(built)), hex.EncodeToString(h.Sum(nil)); got != want {
		t.Errorf("the UI bundle is older than its sources (built from %s, sources now %s): run web/build.sh and commit internal/server/ui", got, want)
	}
}

func TestSectionShapes(t *testing.T) {
	n := newNode(t)
	n.Picture.AddSections([]geo.Area{{ID: "ES-SEA-1", Kind: geo.KindBorderSection,
		Polygons: [][][][2]float64{{{{-6, 35.8}, {-5.2, 35.8}, {-5.2, 36.2}, {-6, 35.8}}}}}})
	code, body := n.call(t, nil, "GET", "/api/sections/geojson", n.tokens[auth.Auditor], "", "")
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	var fc struct {
		Type     string
		Features []struct {
			ID         string
			Properties map[string]string
			Geometry   struct {
				Type        string
				Coordinates [][][][2]float64
			}
		}
	}
	if err := json.Unmarshal([]byte(body), &fc); err != nil {
		t.Fatal(err)
	}
	if fc.Type != "FeatureCollection" || len(fc.Features) != 1 {
		t.Fatalf("%s", body)
	}
	f := fc.Features[0]
	if f.ID != "ES-SEA-1" || f.Properties["level"] != "low" || f.Properties["reaction"] == "" || f.Properties["name"] != "Strait of Gibraltar" ||
		f.Geometry.Type != "MultiPolygon" || f.Geometry.Coordinates[0][0][2] != [2]float64{-5.2, 36.2} {
		t.Errorf("%+v", f)
	}
	if code, _ := n.call(t, nil, "GET", "/api/sections/geojson", "", "", ""); code != 401 {
		t.Errorf("without credentials: %d", code)
	}
}

func TestTerritorialWaters(t *testing.T) {
	n := newNode(t)
	code, body := n.call(t, nil, "GET", "/api/territorial-waters?bbox=-6,35.7,-5,36.3", n.tokens[auth.Auditor], "", "")
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	var fc struct {
		Features []struct {
			ID       string
			Geometry struct{ Type string }
		}
	}
	if err := json.Unmarshal([]byte(body), &fc); err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, f := range fc.Features {
		ids = append(ids, f.ID)
		if f.Geometry.Type != "MultiPolygon" {
			t.Errorf("%s: geometry %s", f.ID, f.Geometry.Type)
		}
	}
	for _, want := range []string{"TW-ESP", "TW-MAR"} {
		if !slices.Contains(ids, want) {
			t.Errorf("the strait's territorial waters %v lack %s", ids, want)
		}
	}
	if slices.Contains(ids, "TW-AUS") {
		t.Errorf("the strait's territorial waters include Australia's: %v", ids)
	}
	t.Logf("%d areas, %d bytes", len(ids), len(body))
	for _, bad := range []string{"", "?bbox=1,2,3", "?bbox=5,0,1,1"} {
		if code, _ := n.call(t, nil, "GET", "/api/territorial-waters"+bad, n.tokens[auth.Auditor], "", ""); code != 400 {
			t.Errorf("%q: %d, want 400", bad, code)
		}
	}
}
