package geo

import "testing"

func TestInRing(t *testing.T) {
	square := [][2]float64{{-6, 35.5}, {-5, 35.5}, {-5, 36.5}, {-6, 36.5}, {-6, 35.5}}
	tests := []struct {
		name     string
		lat, lon float64
		want     bool
	}{
		{"inside", 36, -5.5, true},
		{"west", 36, -6.5, false},
		{"north", 37, -5.5, false},
		{"near the edge inside", 35.501, -5.999, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := InRing(tt.lat, tt.lon, square); got != tt.want {
				t.Errorf("InRing(%v, %v) = %v, want %v", tt.lat, tt.lon, got, tt.want)
			}
		})
	}
}
