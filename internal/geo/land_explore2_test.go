package geo

import (
	"encoding/csv"
	"os"
	"sort"
	"strconv"
	"testing"
)

func loadAlt(t *testing.T, path string) *Land {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	l, err := decodeLand(f)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

func TestExploreSources(t *testing.T) {
	srcs := map[string]*Land{"ne10m": landTestLand(t), "gm1km": loadAlt(t, "/tmp/landwork/out/gm1km.bin.gz"), "gm10km": loadAlt(t, "/tmp/landwork/out/gm10km.bin.gz"), "ne50m": loadAlt(t, "/tmp/landwork/out/ne50m.bin.gz")}
	sets := []struct {
		file             string
		lat, lon, sog    int
		comma            rune
	}{
		{"stonesoup_SolentAIS_20160112_130211.csv", 2, 3, 5, ','},
		{"marinecadastre_AIS_2022-01-03_first99999.csv", 2, 3, 4, ','},
		{"ices_wkssfgeo_passive_vessel_ais_adriatic_2017.csv", 3, 2, 4, ','},
		{"dma_aisdk_2018-06-01_head138.csv", 3, 4, 7, ','},
		{"/tmp/landwork/dma_pos.csv", 2, 3, 5, ','},
	}
	for _, s := range sets {
		p := "/work/shared/data/ais-csv/" + s.file
		if s.file[0] == '/' {
			p = s.file
		}
		f, _ := os.Open(p)
		r := csv.NewReader(f)
		r.FieldsPerRecord = -1
		recs, _ := r.ReadAll()
		f.Close()
		var pts [][2]float64
		for _, rec := range recs[1:] {
			lat, e1 := strconv.ParseFloat(rec[s.lat], 64)
			lon, e2 := strconv.ParseFloat(rec[s.lon], 64)
			sog, e3 := strconv.ParseFloat(rec[s.sog], 64)
			if e1 != nil || e2 != nil || e3 != nil || sog < 3 || lat > 90 || lon > 180 || lat == 0 {
				continue
			}
			pts = append(pts, [2]float64{lat, lon})
		}
		for _, name := range []string{"ne10m", "ne50m", "gm1km", "gm10km"} {
			l := srcs[name]
			var inl []float64
			for _, p := range pts {
				if l.Contains(p[0], p[1]) {
					inl = append(inl, l.DistanceToShore(p[0], p[1]))
				}
			}
			sort.Float64s(inl)
			q := func(f float64) float64 {
				if len(inl) == 0 {
					return 0
				}
				return inl[int(f*float64(len(inl)-1))]
			}
			t.Logf("%-50s %-6s moving=%6d on land=%5d (%.2f%%) depth into land p50=%5.0f p90=%5.0f max=%6.0f", s.file, name, len(pts), len(inl), 100*float64(len(inl))/float64(len(pts)), q(0.5), q(0.9), q(1))
		}
	}
}
