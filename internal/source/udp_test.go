package source

import (
	"context"
	"errors"
	"net"
	"strings"
	"testing"
	"time"
)

func TestUDPListener(t *testing.T) {
	fn, lines := lineCollector(100)
	u := &UDPListener{MaxLine: 64}
	if err := u.Listen("127.0.0.1:0"); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- u.Serve(ctx, fn) }()

	c, err := net.Dial("udp", u.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	tests := []struct {
		name  string
		dgram string
		want  []string
	}{
		{"one line", "!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24\r\n", []string{"!AIVDM,1,1,,A,13u?etPv2;0n:dDPwUM1U1Cb069D,0*24"}},
		{"several lines", "a\nb\r\nc\r\n", []string{"a", "b", "c"}},
		{"last line unterminated", "d\ne", []string{"d", "e"}},
		{"only blank lines", "\r\n\n", nil},
		{"overlong dropped", strings.Repeat("x", 65) + "\nf", []string{"f"}},
		{"overlong last dropped", "g\n" + strings.Repeat("y", 1000), []string{"g"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// A marker datagram after each case shows where its lines end.
			if _, err := c.Write([]byte(tt.dgram)); err != nil {
				t.Fatal(err)
			}
			if _, err := c.Write([]byte("END")); err != nil {
				t.Fatal(err)
			}
			got := collect(t, 5*time.Second, lines, len(tt.want)+1)
			if got[len(got)-1] != "END" || !equalStrings(got[:len(got)-1], tt.want) {
				t.Errorf("lines %q, want %q then END", got, tt.want)
			}
		})
	}
	cancel()
	if err := within(t, 5*time.Second, errc, "Serve to return"); err != nil {
		t.Errorf("Serve = %v, want nil", err)
	}
	nlines := uint64(len(tests)) // the markers
	for _, tt := range tests {
		nlines += uint64(len(tt.want))
	}
	want := Stats{Datagrams: 2 * uint64(len(tests)), Lines: nlines, Dropped: 2}
	if st := u.Stats(); st != want {
		t.Errorf("stats %+v, want %+v", st, want)
	}
}

func TestUDPListenerNotListening(t *testing.T) {
	var u UDPListener
	if err := u.Serve(t.Context(), func([]byte) {}); !errors.Is(err, ErrNotListening) {
		t.Errorf("Serve = %v, want ErrNotListening", err)
	}
}
