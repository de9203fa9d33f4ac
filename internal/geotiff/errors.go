package geotiff

import "errors"

// Errors returned by Open, ReadRows and Georef, wrapped with the detail of
// what was wrong; test for them with errors.Is.
var (
	// ErrNotTIFF: the file does not start with a TIFF header.
	ErrNotTIFF = errors.New("not a TIFF file")
	// ErrMalformed: the file claims something it cannot hold (a tag
	// pointing past the end, a strip missing, a count that does not fit).
	ErrMalformed = errors.New("malformed TIFF")
	// ErrUnsupported: a well-formed TIFF using a feature this package does
	// not read (a compression, a sample type, a layout); the error names it.
	ErrUnsupported = errors.New("unsupported TIFF")
	// ErrTooLarge: reading would need a buffer above the package's memory
	// bounds (a block row or a tag larger than any real scene has).
	ErrTooLarge = errors.New("TIFF block too large")
	// ErrRange: rows outside the image, or a destination too short.
	ErrRange = errors.New("rows out of range")
	// ErrNoGeoref: the image carries no usable georeferencing; the image
	// itself still reads. The error says why (no tags, an unsupported CRS,
	// too few tie points).
	ErrNoGeoref = errors.New("no georeferencing")
)
