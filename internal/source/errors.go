package source

import "errors"

var (
	// ErrNoAddr is returned by [TCPClient.Run] when Addr is empty.
	ErrNoAddr = errors.New("no address")

	// ErrNotListening is returned by Serve when Listen has not succeeded.
	ErrNotListening = errors.New("not listening")

	// ErrCSVFormat is returned when a CSV header matches no known format.
	ErrCSVFormat = errors.New("unrecognised csv format")
)
