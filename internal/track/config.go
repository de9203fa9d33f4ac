package track

import (
	"time"

	"pharos/internal/source"
)

// Config holds the tracker's parameters. NewTracker fills zero fields from
// DefaultConfig.
type Config struct {
	QShip  float64 // process noise of AIS ships, m²/s³
	QSmall float64 // process noise of dark targets, which are often small fast boats

	AISSigma    float64 // AIS position 1-sigma, metres
	AISVelSigma float64 // AIS velocity 1-sigma, m/s
	RadarSigma  float64 // radar plot 1-sigma when the plot does not say, metres
	SatSigma    float64 // satellite detection 1-sigma when the detection does not say, metres
	// SatMinConfidence is the least confidence at which a satellite
	// detection that matches no track starts a dark track.
	SatMinConfidence float64

	Gate     float64 // χ² gate (2 degrees of freedom) for plot-to-track association
	MaxSpeed float64 // knots: an AIS report implying more, outside the gate, is rejected

	ConfirmM, ConfirmN int // a radar track is confirmed by M plots in N scans

	AISCoast, AISDrop   time.Duration // an AIS or own-asset track coasts, then is dropped, after this silence
	DarkCoast, DarkDrop time.Duration // the same for tracks no AIS claims

	// UnconfirmedScans: an AIS track inside a radar's coverage that this
	// many scans in a row did not see is marked unconfirmed.
	UnconfirmedScans int

	// SceneDelay is how long a satellite scene waits before it is matched
	// against AIS, so that AIS pings after the acquisition can be used to
	// interpolate each vessel's position at the acquisition time.
	SceneDelay time.Duration

	Radars    []source.RadarSite // coastal radars: their coverage and scan period
	OwnAssets []uint32           // MMSIs of this node's own patrol assets
}

// DefaultConfig is the tracker's configuration unless told otherwise. The
// figures are the usual ones for coastal surveillance: AIS GNSS positions
// to about 10 m, navigation radars to some tens of metres, small boats able
// to turn hard.
func DefaultConfig() Config {
	return Config{
		QShip:            0.05,
		QSmall:           0.5,
		AISSigma:         10,
		AISVelSigma:      0.3,
		RadarSigma:       50,
		SatSigma:         100,
		SatMinConfidence: 0.5,
		Gate:             13.8, // 99.9 % of a true match passes
		MaxSpeed:         80,
		ConfirmM:         3,
		ConfirmN:         5,
		AISCoast:         6 * time.Minute,
		AISDrop:          60 * time.Minute,
		DarkCoast:        30 * time.Second,
		DarkDrop:         3 * time.Minute,
		UnconfirmedScans: 5,
		SceneDelay:       30 * time.Minute,
	}
}

// withDefaults returns c with its zero fields taken from DefaultConfig.
func (c Config) withDefaults() Config {
	d := DefaultConfig()
	set := func(v *float64, def float64) {
		if *v == 0 {
			*v = def
		}
	}
	setD := func(v *time.Duration, def time.Duration) {
		if *v == 0 {
			*v = def
		}
	}
	set(&c.QShip, d.QShip)
	set(&c.QSmall, d.QSmall)
	set(&c.AISSigma, d.AISSigma)
	set(&c.AISVelSigma, d.AISVelSigma)
	set(&c.RadarSigma, d.RadarSigma)
	set(&c.SatSigma, d.SatSigma)
	set(&c.SatMinConfidence, d.SatMinConfidence)
	set(&c.Gate, d.Gate)
	set(&c.MaxSpeed, d.MaxSpeed)
	if c.ConfirmM == 0 || c.ConfirmN == 0 {
		c.ConfirmM, c.ConfirmN = d.ConfirmM, d.ConfirmN
	}
	if c.UnconfirmedScans == 0 {
		c.UnconfirmedScans = d.UnconfirmedScans
	}
	setD(&c.AISCoast, d.AISCoast)
	setD(&c.AISDrop, d.AISDrop)
	setD(&c.DarkCoast, d.DarkCoast)
	setD(&c.DarkDrop, d.DarkDrop)
	setD(&c.SceneDelay, d.SceneDelay)
	return c
}
