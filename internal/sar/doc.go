// Package sar finds vessels in synthetic-aperture radar images: it turns
// a scene or a chip into satellite detections that fusion (internal/track)
// matches against AIS, flagging the hulls no transponder explains. It sits
// before internal/source in the flow of DESIGN.md: `pharos sar detect`
// writes the satellite-detection GeoJSON that `pharos run` reads.
//
// # What is built
//
//   - Images: 8-bit chips, JPEG or PNG ([ReadChip]), and anything read by
//     rows ([Rows]): a GeoTIFF scene through internal/geotiff, whose
//     georeferencing (geotransform or tie points) places the pixels.
//     Non-finite pixels are no data (`pharos sar detect` reads a
//     GeoTIFF's no-data value as NaN): like land, never detected nor
//     taken as clutter.
//   - A two-parameter CFAR detector ([Score], [Detect]) under either of
//     two clutter models. Gaussian, SNAP's: a pixel is detected when the
//     mean of its target window stands more than [Threshold](Pfa)
//     standard deviations above the mean of its background ring
//     (background window less guard window). K ([KDist]): the ring's
//     intensities are taken as K-distributed, gamma speckle of L looks on
//     a gamma texture whose shape ν comes from the ring's own moments,
//     v/m² = (1+1/L)(1+1/ν) − 1; the threshold is the intensity that such
//     clutter exceeds with probability Pfa, tabulated once per (Pfa, L)
//     over ν from 0.05 to 50 by integrating the speckle's tail over the
//     texture (kdist.go; checked against draws from the model). Mean and
//     variance come from summed-area tables of the values, their squares
//     and the pixel count, so each pixel costs O(1) whatever the windows.
//     The ring is censored of bright pixels (image-wide outliers, then
//     the first pass's detections) so a ship longer than the guard window,
//     or a neighbour, does not hide itself.
//   - Windows: with a pixel spacing, SNAP's 75 m target, 400 m guard and
//     1000 m background and objects of 15–600 m; without one (the usual
//     chip), 3 px target, 61 px guard and 101 px background windows and
//     objects of 3–400 px, chosen for 1–10 m chips: the guard covers a
//     60–600 m hull, and the ring still fits in a 300–500 px chip.
//     [SmallCraft] gives settings for boats down to 15 m: the K model, a
//     3 px target window (a 10 m product's resolution cell, where SNAP's
//     75 m window averages a small hull away) and Pfa 10^-3.
//   - Land ([LandMask], [SceneOptions]): with a georeference and the
//     embedded land data, pixels on land or within 500 m of the coastline
//     (the 1:10m coastline is off by up to a few hundred metres, and
//     quays and moored ships lie along it) are neither detected nor taken
//     as clutter. The coastline is sampled on cells a quarter of the
//     buffer wide, whole cells masked, erring on the side of land.
//   - Objects: detected pixels within 5 px of each other join (a hull
//     broken by speckle stays one object); intensity-weighted centre,
//     box, length and width from the second moments (a bar of length L
//     has variance L²/12 along it), the axis (0–180°: SAR does not tell
//     bow from stern) and a confidence from how far the peak stands above
//     the threshold. An object must hold at least 10 speckle grains: the
//     clutter's autocorrelation is measured (correlationArea), and where
//     an image is resampled finer than its resolution, as SSDD's chips
//     are (a grain of 5–15 px), so are its false alarms. An object longer
//     than 10 widths is a streak (an edge column, a range line), not a
//     hull.
//   - Scenes ([DetectScene]): tiles of 1024 px, each read with a margin of
//     half the background window, half the largest object and the join
//     distance, so that every pixel of a tile has its whole ring and
//     every object its whole hull (on homogeneous clutter the detections
//     are those of the whole grid, tested); the outlier cut and the
//     speckle grain are measured on each tile, so where clutter changes
//     across a scene they follow it. An object belongs to the tile its
//     centre falls in. One band
//     of rows is held at a time (the rows bands share are moved, not read
//     again), tiles run on several workers, and a progress callback feeds
//     the command's bar.
//   - Scoring: against Pascal VOC boxes ([ReadVOC], [MatchBoxes]: IoU ≥ 0.3
//     or the centre inside the box), and against true centres by xView3's
//     rule ([PairCentres], [ScoreChip]: within 200 m, one to one, the most
//     pairs of least total distance by linear assignment), ships within
//     2 km of the coastline counted as near-shore.
//   - Synthetic images ([Synth], [SynthSet]) with exact truth: K clutter
//     (4 looks, ν = 4, as a Sentinel-1 IW GRD product of a moderate sea),
//     land from the embedded data rendered bright and spiky, hulls blurred
//     over the radar's 2-pixel resolution with a signal to clutter ratio
//     of 10 dB for a 15 m boat rising 12 dB a decade of length, ±3 dB
//     ([ShipSCR]). `pharos sim --sar-chips` writes them with their truth;
//     `pharos sim` renders a scenario pass's image when it asks for one.
//   - Output as satellite-detection GeoJSON ([WriteGeoJSON]) with the
//     pixel centre and box of every detection; positions, sizes in metres
//     and the scene footprint when the image is georeferenced.
//
// # Measured
//
// Synthetic sets of seeds 2 and 3 (24 chips of 800 × 800 px at 10 m, 129
// ships; the small-craft settings were chosen on seed 1), centres within
// 200 m (TestSynthSet):
//
//	                      offshore F1   near-shore F1   false objects
//	SNAP defaults         0.56          0.62            0
//	small craft (K, L=4)  0.92          0.84            0
//
// SNAP's 75 m target window misses most boats under 40 m; what the small
// craft settings miss is boats of 15–30 m at the low end of their signal,
// and near-shore ships inside the land buffer.
//
// The SSDD sample (4 real chips, 8 ships, no georeference and so no land
// mask; TestSSDDSample): offshore (2 chips, 2 ships) every ship found
// and no false object, F1 1.00, with either setting, against 10 false
// objects before the speckle-grain rule; near-shore (2 chips with land)
// F1 0.40 with the defaults, the false objects being land. Two ships are
// too few to show anything but that the rule holds on real clutter.
//
// Throughput (BenchmarkCFAR, one core, 1024 × 1024): about 17 megapixels a
// second under either model. A full 25,000 × 17,000 scene
// (bench/sar-scene.sh): see the README, within 2 GiB.
//
// # Not built
//
// A heading with its 180° ambiguity resolved (the wake, or the Doppler
// shift of a moving hull); azimuth ambiguities of bright ships are not
// told apart from ships; the speckle-grain rule and the windows were set
// on the data above, which is little.
package sar
