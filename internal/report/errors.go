package report

import "errors"

// ErrOptions reports options a report cannot be made with: an empty
// period, an unknown output format.
var ErrOptions = errors.New("report options")
