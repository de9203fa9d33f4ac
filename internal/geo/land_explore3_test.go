package geo

import (
	"encoding/csv"
	"os"
	"strconv"
	"testing"
)

func TestExploreMC(t *testing.T) {
	ne := landTestLand(t)
	gm := loadAlt(t, "/tmp/landwork/out/gm1km.bin.gz")
	f, _ := os.Open("/work/shared/data/ais-csv/marinecadastre_AIS_2022-01-03_first99999.csv")
	recs, _ := csv.NewReader(f).ReadAll()
	hist := map[[2]int][3]int{}
	for _, rec := range recs[1:] {
		lat, _ := strconv.ParseFloat(rec[2], 64)
		lon, _ := strconv.ParseFloat(rec[3], 64)
		sog, _ := strconv.ParseFloat(rec[4], 64)
		if sog < 3 {
			continue
		}
		k := [2]int{int(lat/5) * 5, int(lon/5) * 5}
		h := hist[k]
		h[0]++
		if ne.Contains(lat, lon) {
			h[1]++
		}
		if gm.Contains(lat, lon) {
			h[2]++
		}
		hist[k] = h
	}
	for k, h := range hist {
		if h[1] > 50 || h[2] > 50 {
			t.Logf("%v n=%d ne10m=%d gm1km=%d", k, h[0], h[1], h[2])
		}
	}
}
