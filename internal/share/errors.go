package share

import "errors"

// Errors the package returns, wrapped with the details.
var (
	// ErrPolicy reports sharing agreements that cannot be used.
	ErrPolicy = errors.New("bad sharing policy")
	// ErrConfig reports a node configuration that cannot be used.
	ErrConfig = errors.New("bad sharing configuration")
	// ErrNotAllowed reports a request the agreement with the peer does not
	// allow; its acknowledgement is Unauthorized.
	ErrNotAllowed = errors.New("not allowed by the sharing agreement")
	// ErrAuthentication reports a message whose signature or sender does
	// not verify; its acknowledgement is AuthenticationError.
	ErrAuthentication = errors.New("message does not authenticate")
	// ErrUnknownPeer reports a peer the node has no link or agreement with.
	ErrUnknownPeer = errors.New("unknown peer")
	// ErrNothingToSend reports a push the policy withheld from every
	// recipient.
	ErrNothingToSend = errors.New("nothing to send")
	// ErrDeadline reports a pull not answered by its deadline.
	ErrDeadline = errors.New("no answer before the deadline")
	// ErrRefused reports a request the peer refused; the error names the
	// acknowledgement code.
	ErrRefused = errors.New("refused by the peer")
	// ErrClosed reports a node closed.
	ErrClosed = errors.New("share node closed")
)
