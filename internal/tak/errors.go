package tak

import "errors"

var (
	// ErrURL is returned by [NewSender] for a destination it cannot use;
	// the error says what is wrong with it.
	ErrURL = errors.New("bad tak destination")

	// ErrRunning is returned by [Sender.Run] while another Run of the same
	// Sender is going on.
	ErrRunning = errors.New("sender already running")

	// errPeerClosed ends a TCP session when the server closes the
	// connection.
	errPeerClosed = errors.New("connection closed by server")
)
