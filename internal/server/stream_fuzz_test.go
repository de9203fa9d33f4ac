package server

import (
	"net/http/httptest"
	"net/url"
	"testing"

	"pharos/internal/picture"
)

// FuzzStreamFilter feeds arbitrary query strings to the stream's filter:
// a clear error or a filter, never a panic, and a bounding box that is
// never inverted.
func FuzzStreamFilter(f *testing.F) {
	for _, q := range []string{"kinds=incident&bbox=-6.1,35.8,-5.2,36.3", "kinds=section", "bbox=1,2,3", "bbox=NaN,0,1,1", "kinds=,"} {
		f.Add(q)
	}
	f.Fuzz(func(t *testing.T, q string) {
		r := httptest.NewRequest("GET", "/api/stream?"+url.PathEscape(q), nil)
		r.URL.RawQuery = q
		fl, err := parseStreamFilter(r)
		if err != nil {
			return
		}
		if fl.bbox != nil && (fl.bbox[0] > fl.bbox[2] || fl.bbox[1] > fl.bbox[3]) {
			t.Fatalf("%q: inverted box %v", q, *fl.bbox)
		}
		fl.keep(picture.Change{Incident: &picture.Incident{Lat: 36, Lon: -5.5}})
	})
}
