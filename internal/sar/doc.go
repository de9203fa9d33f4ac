// Package sar finds vessels in synthetic-aperture radar images: it turns
// an image chip into satellite detections that fusion (internal/track)
// matches against AIS, flagging the hulls no transponder explains. It sits
// before internal/source in the flow of DESIGN.md: `pharos sar detect`
// writes the satellite-detection GeoJSON that `pharos run` reads.
//
// # What is built
//
//   - Reading 8-bit chips, JPEG or PNG (the standard library's decoders),
//     into a float32 grid of grey levels ([ReadChip]).
//   - A two-parameter CFAR detector ([Score], [Detect]): a pixel is
//     detected when the mean of its target window stands more than
//     [Threshold](Pfa) standard deviations above the mean of its
//     background ring (background window less guard window). Mean and
//     deviation come from summed-area tables of the values, their squares
//     and the pixel count, so each pixel costs O(1) whatever the windows.
//     The ring is censored of bright pixels (chip-wide outliers, then the
//     first pass's detections) so a ship longer than the guard window, or
//     a neighbour, does not hide itself. Default Pfa 10^-6.5 as ESA SNAP's
//     ocean object detection, Gaussian model (threshold 4.99 σ).
//   - Windows: with a pixel spacing, SNAP's 75 m target, 400 m guard and
//     1000 m background and objects of 15–600 m; without one (the usual
//     chip), 3 px target, 61 px guard and 101 px background windows and
//     objects of 3–400 px, chosen for 1–10 m chips: the guard covers a
//     60–600 m hull, and the ring still fits in a 300–500 px chip.
//   - Clustering of detected pixels into objects (pixels within 5 px of
//     each other join, so a hull broken by speckle stays one object; at
//     least 10 pixels): intensity-weighted centre, bounding box, pixel
//     count, length and width from the second moments (a bar of length L
//     has variance L²/12 along it), the axis (0–180°, clockwise from up)
//     and a confidence from how far the peak stands above the threshold.
//   - Scoring against Pascal VOC boxes ([ReadVOC], [MatchBoxes]): a
//     detection matches the unmatched true box it overlaps most when their
//     IoU is at least 0.3 or its centre lies inside the box; a second
//     detection of one ship is a false positive.
//   - Output as satellite-detection GeoJSON ([WriteGeoJSON]) with the
//     pixel centre and box of every detection; positions, sizes in metres
//     and the scene footprint when a north-up chip's corner and spacing
//     are given ([Georef]).
//
// # Measured
//
// On the four chips of the SSDD sample, defaults unchanged for every chip,
// 8 ships: all 8 found and 26 false objects (precision 0.24, recall 1.00,
// F1 0.38). SSDD's clutter is far heavier-tailed than the Gaussian model,
// and its near-shore chips put land in the ring. On synthetic chips
// (Gaussian clutter, 8-bit, hulls of 10–80 px): every hull found, no false
// object, length within 10 %, width within 20 %, axis within 3°. On
// 4-look gamma speckle a 1 px target window gives 5.6e-4 false alarms a
// pixel against the nominal 3.2e-7; the 3×3 window none.
// BenchmarkCFAR: see the README.
//
// # Not built yet
//
// GeoTIFF scenes (16-bit, geotransform or tie points) and tiling, so that
// a full 25,000 × 17,000 scene runs in bounded memory with a progress bar;
// land masking from the embedded land data; the K-distribution variant;
// offshore and near-shore figures kept apart; synthetic chips from
// `pharos sim`; a heading with its 180° ambiguity resolved (the wake).
package sar
