package main

import (
	"bufio"
	"bytes"
	"net"
	"net/url"
	"os"
	"strconv"
	"sync"
	"time"
)

// queues watches the kernel's socket queues on the node's two ports, to
// tell where a backlog sits when latency grows: bytes sent to the input
// that the node has not read yet, or bytes the node streamed that the
// clients have not read yet (on a shared machine the clients can be the
// ones starved of CPU). Localhost TCP buffers grow to tens of megabytes,
// seconds of data at 10,000 reports a second, so either side can hide a
// long delay without a write ever blocking.
type queues struct {
	input, api uint16 // ports

	mu      sync.Mutex
	in, out int // the largest seen since the last take, bytes
}

func newQueues(input, api string) (*queues, error) {
	_, ip, err := net.SplitHostPort(input)
	if err != nil {
		return nil, err
	}
	u, err := url.Parse(api)
	if err != nil {
		return nil, err
	}
	in, err := strconv.ParseUint(ip, 10, 16)
	if err != nil {
		return nil, err
	}
	ap, err := strconv.ParseUint(u.Port(), 10, 16)
	if err != nil {
		return nil, err
	}
	return &queues{input: uint16(in), api: uint16(ap)}, nil
}

// watch samples the queues every interval until stop is closed.
func (q *queues) watch(interval time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		in, out := q.read()
		q.mu.Lock()
		q.in, q.out = max(q.in, in), max(q.out, out)
		q.mu.Unlock()
	}
}

// take returns the largest queues since the last take, in bytes.
func (q *queues) take() (in, out int) {
	q.mu.Lock()
	defer q.mu.Unlock()
	in, out = q.in, q.out
	q.in, q.out = 0, 0
	return in, out
}

// read sums, from /proc/net/tcp and tcp6, the bytes queued in the
// kernel on the input connections and on the API connections.
func (q *queues) read() (in, out int) {
	for _, f := range []string{"/proc/net/tcp", "/proc/net/tcp6"} {
		b, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Scan() // the header
		for sc.Scan() {
			// sl local_address rem_address st tx_queue:rx_queue …
			fl := bytes.Fields(sc.Bytes())
			if len(fl) < 5 || string(fl[3]) != "01" { // established
				continue
			}
			local, remote := port(fl[1]), port(fl[2])
			txs, rxs, ok := bytes.Cut(fl[4], []byte(":"))
			if !ok {
				continue
			}
			tx, err1 := strconv.ParseUint(string(txs), 16, 32)
			rx, err2 := strconv.ParseUint(string(rxs), 16, 32)
			if err1 != nil || err2 != nil {
				continue
			}
			// Each connection's two ends are both here: the receiving
			// end's unread bytes, and the sending end's bytes the
			// receiver's full window holds back.
			switch {
			case local == q.input: // the node's end of an input connection
				in += int(rx)
			case remote == q.input: // ours
				in += int(tx)
			case local == q.api: // the node's end of a client connection
				out += int(tx)
			case remote == q.api: // ours
				out += int(rx)
			}
		}
	}
	return in, out
}

// port reads the port of a /proc/net/tcp address, "0100007F:1F90".
func port(addr []byte) uint16 {
	i := bytes.LastIndexByte(addr, ':')
	if i < 0 {
		return 0
	}
	p, _ := strconv.ParseUint(string(addr[i+1:]), 16, 16)
	return uint16(p)
}
