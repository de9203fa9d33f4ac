package picture

import (
	"fmt"
	"slices"
	"time"

	"pharos/internal/model"
)

// Status is where an incident is in its life cycle: open when reported,
// validated once an operator confirmed it, closed by its owner.
type Status uint8

// Incident statuses, in life-cycle order.
const (
	StatusOpen Status = iota
	StatusValidated
	StatusClosed
)

var statusNames = [...]string{"open", "validated", "closed"}

func (s Status) String() string {
	if int(s) < len(statusNames) {
		return statusNames[s]
	}
	return "unknown"
}

// MarshalText writes the status's name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText reads a status's name.
func (s *Status) UnmarshalText(b []byte) error {
	i := slices.Index(statusNames[:], string(b))
	if i < 0 {
		return fmt.Errorf("unknown incident status %q", b)
	}
	*s = Status(i)
	return nil
}

// Confidence is how far a report can be trusted, graded as intelligence
// reports are: the reliability of its source, A (completely reliable) to
// F (cannot be judged), and the credibility of the information, 1
// (confirmed by other sources) to 6 (cannot be judged). The third part of
// EUROSUR's confidence, the validation status, is the incident's Status.
type Confidence struct {
	Reliability string `json:"reliability"` // "A" … "F"
	Credibility int    `json:"credibility"` // 1 … 6
}

// Unjudged is the confidence of a report nobody graded yet.
var Unjudged = Confidence{Reliability: "F", Credibility: 6}

// Check reports whether the grades are in range.
func (c Confidence) Check() error {
	if len(c.Reliability) != 1 || c.Reliability[0] < 'A' || c.Reliability[0] > 'F' {
		return fmt.Errorf("source reliability %q, want A to F", c.Reliability)
	}
	if c.Credibility < 1 || c.Credibility > 6 {
		return fmt.Errorf("credibility %d, want 1 to 6", c.Credibility)
	}
	return nil
}

// FirstReportWithin is how soon after an incident of high or very high
// impact is detected its first report is due (EUROSUR).
const FirstReportWithin = 24 * time.Hour

// Incident is an entry of the events layer that people work on: one
// situation at sea, reported, validated and closed by its owner, with
// the detections that show it linked.
type Incident struct {
	ID         string            `json:"id"`
	Category   string            `json:"category"` // EUROSUR category (model.Category…)
	Title      string            `json:"title"`
	Impact     model.ImpactLevel `json:"impact"`
	Confidence Confidence        `json:"confidence"`
	Originator string            `json:"originator"` // who reported it first: a node or a user
	Owner      string            `json:"owner"`      // who answers for it and closes it
	Lat        float64           `json:"lat"`
	Lon        float64           `json:"lon"`
	Detected   time.Time         `json:"detected"` // event time of the first sign
	// Due is when the first report is owed: Detected plus
	// FirstReportWithin for high and very high incidents, zero otherwise.
	Due    time.Time `json:"due,omitzero"`
	Status Status    `json:"status"`
	Closed time.Time `json:"closed,omitzero"`
	// Events are the IDs of the detections linked to the incident.
	Events []string `json:"events,omitempty"`
	// Reports are the first report and its follow-ups, oldest first.
	Reports []Report `json:"reports,omitempty"`
	// Ref is the originator's identifier of an incident another node
	// shared; empty for the node's own.
	Ref string `json:"ref,omitempty"`
}

// Report is a report on an incident: the first one or a follow-up, which
// may change the incident's impact and confidence.
type Report struct {
	Time       time.Time         `json:"t"`
	Author     string            `json:"author"`
	Text       string            `json:"text"`
	Impact     model.ImpactLevel `json:"impact"`
	Confidence Confidence        `json:"confidence"`
	FollowUp   bool              `json:"follow_up"` // false for the first report
}

// Overdue reports whether the first report is owed and late at time at.
func (in *Incident) Overdue(at time.Time) bool {
	return !in.Due.IsZero() && len(in.Reports) == 0 && in.Status != StatusClosed && at.After(in.Due)
}

// setDue sets the first-report deadline from the impact, keeping the
// earliest once set: raising an incident to high starts the clock from its
// detection, as the rule counts from when the authority knew.
func (in *Incident) setDue() {
	if in.Impact >= model.ImpactHigh && in.Due.IsZero() {
		in.Due = in.Detected.Add(FirstReportWithin)
	}
}

// clone copies the incident and its slices.
func (in *Incident) clone() Incident {
	c := *in
	c.Events = slices.Clone(in.Events)
	c.Reports = slices.Clone(in.Reports)
	return c
}
