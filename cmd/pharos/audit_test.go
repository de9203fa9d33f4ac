package main

import (
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pharos/internal/audit"
	"pharos/internal/store/sqlite"
)

// TestAuditVerify checks a node's audit log with pharos audit verify,
// then edits one entry in the database behind the node's back: verify
// finds it.
func TestAuditVerify(t *testing.T) {
	dir := t.TempDir()
	st, err := sqlite.Open(filepath.Join(dir, "pharos.db"))
	if err != nil {
		t.Fatal(err)
	}
	for i, outcome := range []string{"ok", "denied", "ok"} {
		e := audit.Entry{Time: time.Date(2026, 11, 27, 3, i, 0, 0, time.UTC), Actor: "duty", Role: "operator",
			Action: "POST /api/incidents", Outcome: outcome}
		if _, err := st.AppendAudit(context.Background(), e); err != nil {
			t.Fatal(err)
		}
	}
	st.Close()
	out, stderr, err := runCmd(t, "audit", "verify", "--data", dir)
	if err != nil || !strings.Contains(out, "3 entries, chain whole") {
		t.Fatalf("verify: %q %v %s", out, err, stderr)
	}
	db, err := sql.Open("sqlite", filepath.Join(dir, "pharos.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(`UPDATE audit SET doc = replace(doc, '"denied"', '"ok"') WHERE seq = 2`); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if _, _, err := runCmd(t, "audit", "verify", "--data", dir); err == nil || !strings.Contains(err.Error(), "audit entry 2") {
		t.Errorf("verify of an edited log: %v", err)
	}
}
