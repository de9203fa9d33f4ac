package audit

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"
)

// Entry is one line of the audit log.
type Entry struct {
	Seq     int64     `json:"seq"` // 1, 2, … in the order appended
	Time    time.Time `json:"t"`   // wall clock
	Actor   string    `json:"actor"`
	Role    string    `json:"role,omitempty"`
	Action  string    `json:"action"` // e.g. "POST /api/incidents"
	Target  string    `json:"target,omitempty"`
	Outcome string    `json:"outcome"` // ok, denied, failed, …
	Detail  string    `json:"detail,omitempty"`
	Prev    string    `json:"prev"` // the previous entry's Hash; "" for the first
	Hash    string    `json:"hash"`
}

// Seal sets the entry's place in the chain after prev (nil for the first
// entry) and its hash.
func (e *Entry) Seal(prev *Entry) {
	e.Seq, e.Prev = 1, ""
	if prev != nil {
		e.Seq, e.Prev = prev.Seq+1, prev.Hash
	}
	e.Time = e.Time.UTC()
	e.Hash = e.digest()
}

// digest hashes everything in the entry but Hash itself.
func (e *Entry) digest() string {
	c := *e
	c.Hash = ""
	b, _ := json.Marshal(c) // fields of plain types: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// Verify checks a run of consecutive entries: each hash is its content's
// and each links to the one before. after is the entry before the run
// (nil when the run starts the log).
func Verify(after *Entry, entries []Entry) error {
	prev := after
	for i := range entries {
		e := &entries[i]
		switch {
		case prev == nil && (e.Seq != 1 || e.Prev != ""):
			return fmt.Errorf("audit entry %d: the log does not start with it", e.Seq)
		case prev != nil && (e.Seq != prev.Seq+1 || e.Prev != prev.Hash):
			return fmt.Errorf("audit entry %d: does not follow entry %d", e.Seq, prev.Seq)
		case e.Hash != e.digest():
			return fmt.Errorf("audit entry %d: its content does not match its hash", e.Seq)
		}
		prev = e
	}
	return nil
}
