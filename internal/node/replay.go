package node

import (
	"context"
	"errors"
	"io"
	"time"

	"pharos/internal/model"
)

// Shift returns in with every observation's time moved by d: a recording
// made another day replays as today.
func Shift(in Input, d time.Duration) Input { return &shifted{Input: in, d: d} }

type shifted struct {
	Input
	d time.Duration
}

func (s *shifted) Next() (model.Observation, error) {
	o, err := s.Input.Next()
	o.Time = o.Time.Add(s.d)
	return o, err
}

// Loop returns an endless input that opens a recording again each time it
// ends, each round shifted on by the recording's span plus gap, so that
// time keeps going forward. Its rejects are those of the round under way.
func Loop(open func() (Input, error), gap time.Duration) (Input, error) {
	in, err := open()
	if err != nil {
		return nil, err
	}
	return &loop{open: open, gap: gap, cur: in}, nil
}

type loop struct {
	open         func() (Input, error)
	gap          time.Duration
	cur          Input
	shift        time.Duration
	first, last  time.Time // of the round under way, unshifted
	seenAnything bool
}

func (l *loop) Next() (model.Observation, error) {
	for {
		o, err := l.cur.Next()
		if err == nil {
			if !l.seenAnything {
				l.first, l.seenAnything = o.Time, true
			}
			l.last = o.Time
			o.Time = o.Time.Add(l.shift)
			return o, nil
		}
		if !errors.Is(err, io.EOF) || !l.seenAnything {
			return o, err // failed, or empty: looping would spin
		}
		l.cur.Close()
		if l.cur, err = l.open(); err != nil {
			return model.Observation{}, err
		}
		l.shift += l.last.Sub(l.first) + l.gap
		l.seenAnything = false
	}
}

func (l *loop) Rejects() map[string]int { return l.cur.Rejects() }
func (l *loop) Name() string            { return l.cur.Name() }
func (l *loop) Close() error            { return l.cur.Close() }

// Replay feeds an input to a pipeline at the pace its observations
// happened, with their times moved so that the input's time Skip after its
// first observation falls when the replay starts: the observations before
// that go at once (the picture catches up on the recent past), the rest
// each at its time. Event time then runs with the wall clock.
type Replay struct {
	In   Input
	Skip time.Duration
	// Now is the wall clock; nil: time.Now.
	Now func() time.Time
}

// Run replays until the input ends or ctx does.
func (r *Replay) Run(ctx context.Context, send func(model.Observation)) error {
	now := r.Now
	if now == nil {
		now = time.Now
	}
	var shift time.Duration
	started := false
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		o, err := r.In.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if !started {
			shift, started = now().Sub(o.Time.Add(r.Skip)), true
		}
		o.Time = o.Time.Add(shift)
		if wait := o.Time.Sub(now()); wait > 0 {
			timer.Reset(wait)
			select {
			case <-timer.C:
			case <-ctx.Done():
				return nil
			}
		} else if ctx.Err() != nil {
			return nil
		}
		send(o)
	}
}
