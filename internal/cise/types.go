package cise

import (
	"fmt"
	"strings"
	"time"
)

// DateTime is an xs:dateTime. The zero value is absent: the element is
// left out when written.
type DateTime struct{ time.Time }

// Date is an xs:date (a day, written in UTC). The zero value is absent.
type Date struct{ time.Time }

// TimeOfDay is an xs:time (written in UTC). The zero value is absent.
type TimeOfDay struct{ time.Time }

// At returns t as a DateTime.
func At(t time.Time) DateTime { return DateTime{t} }

const dateTimeLayout = "2006-01-02T15:04:05.999999999Z07:00"

// writeXML writes the time with its zone offset (Z for UTC), or nothing
// when zero.
func (t *DateTime) writeXML(w *writer, name string) {
	if !t.IsZero() {
		w.elem(name, t.Format(dateTimeLayout))
	}
}

// writeXML writes the day in UTC, or nothing when zero.
func (d *Date) writeXML(w *writer, name string) {
	if !d.IsZero() {
		w.elem(name, d.UTC().Format("2006-01-02")+"Z")
	}
}

// writeXML writes the time of day in UTC, or nothing when zero.
func (t *TimeOfDay) writeXML(w *writer, name string) {
	if !t.IsZero() {
		w.elem(name, t.UTC().Format("15:04:05.999999999")+"Z")
	}
}

// Layouts read, most common first: with or without fractions, with an
// offset, Z, or no zone at all (taken as UTC, as the reference's Java
// mapping does for zoneless values).
var (
	dateTimeLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04:05.999999999", "2006-01-02T15:04:05.999999999Z0700"}
	dateLayouts     = []string{"2006-01-02Z07:00", "2006-01-02", "2006-01-02Z0700"}
	timeLayouts     = []string{"15:04:05.999999999Z07:00", "15:04:05.999999999", "15:04:05.999999999Z0700"}
)

func parseTime(s string, layouts []string, what string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, l := range layouts {
		if t, err := time.Parse(l, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%w: %s %q", ErrMalformed, what, s)
}

// decodeTree reads an xs:dateTime in any of its lexical forms.
func (t *DateTime) decodeTree(n *node) (err error) {
	t.Time, err = parseTime(n.content(), dateTimeLayouts, n.local)
	return err
}

// decodeTree reads an xs:date, with or without a zone.
func (dt *Date) decodeTree(n *node) (err error) {
	dt.Time, err = parseTime(n.content(), dateLayouts, n.local)
	return err
}

// decodeTree reads an xs:time, with or without a zone.
func (t *TimeOfDay) decodeTree(n *node) (err error) {
	t.Time, err = parseTime(n.content(), timeLayouts, n.local)
	return err
}

// Period is a CISE period: a start and an end, each split into an xs:date
// and an xs:time, and an optional xs:duration.
type Period struct {
	Duration  string    `xml:"Duration,omitempty"`
	EndDate   Date      `xml:"EndDate"`
	EndTime   TimeOfDay `xml:"EndTime"`
	StartDate Date      `xml:"StartDate"`
	StartTime TimeOfDay `xml:"StartTime"`
}

// PeriodOf returns the period from start to end; a zero end leaves the
// period open. Both are written in UTC.
func PeriodOf(start, end time.Time) *Period {
	p := &Period{}
	if !start.IsZero() {
		p.StartDate, p.StartTime = Date{start}, TimeOfDay{start}
	}
	if !end.IsZero() {
		p.EndDate, p.EndTime = Date{end}, TimeOfDay{end}
	}
	return p
}

// Start returns when the period starts (zero when it has no start date).
func (p *Period) Start() time.Time {
	if p == nil {
		return time.Time{}
	}
	return joinDateTime(p.StartDate.Time, p.StartTime.Time)
}

// End returns when the period ends (zero when it has no end date).
func (p *Period) End() time.Time {
	if p == nil {
		return time.Time{}
	}
	return joinDateTime(p.EndDate.Time, p.EndTime.Time)
}

// joinDateTime puts a day and a time of day together, each read as
// written (in its own zone); the time's zone wins. Without a time the day
// starts at midnight.
func joinDateTime(day, clock time.Time) time.Time {
	if day.IsZero() {
		return time.Time{}
	}
	if clock.IsZero() {
		return day.UTC()
	}
	y, m, d := day.Date()
	return time.Date(y, m, d, clock.Hour(), clock.Minute(), clock.Second(), clock.Nanosecond(), clock.Location()).UTC()
}
