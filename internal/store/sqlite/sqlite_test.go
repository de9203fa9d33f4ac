package sqlite

import (
	"bufio"
	"context"
	"database/sql"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"

	"pharos/internal/store"
	"pharos/internal/store/storetest"
)

func TestSuite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) (store.Store, func() store.Store) {
		path := filepath.Join(t.TempDir(), "pharos.db")
		open := func() store.Store {
			s, err := Open(path)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Close() })
			return s
		}
		return open(), open
	})
}

func TestRefusesNewerSchema(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pharos.db")
	db, err := sql.Open("sqlite", path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec("PRAGMA user_version = 99"); err != nil {
		t.Fatal(err)
	}
	db.Close()
	if s, err := Open(path); err == nil {
		s.Close()
		t.Fatal("opened a store of schema version 99")
	}
}

// crashBatch is the size of the batches the crash test's writer commits.
const crashBatch = 500

// TestSIGKILLLosesNothingAcknowledged runs a writer in a child process
// that commits batches of track states as fast as it can and says on
// stdout which batch each commit acknowledged, kills it with SIGKILL in
// the middle of its writing, and checks that every acknowledged batch is
// in the store, whole.
func TestSIGKILLLosesNothingAcknowledged(t *testing.T) {
	if path := os.Getenv("PHAROS_CRASH_WRITER"); path != "" {
		crashWriter(path)
		return
	}
	path := filepath.Join(t.TempDir(), "pharos.db")
	cmd := exec.Command(os.Args[0], "-test.run=^TestSIGKILLLosesNothingAcknowledged$")
	cmd.Env = append(os.Environ(), "PHAROS_CRASH_WRITER="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked := -1
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		n, err := strconv.Atoi(sc.Text())
		if err != nil {
			continue // the test framework's own output
		}
		if acked = n; acked == 20 {
			cmd.Process.Signal(syscall.SIGKILL) // while batch 21 is being written
			break
		}
	}
	cmd.Wait()
	if acked < 20 {
		t.Fatalf("the writer acknowledged %d batches before it ended, want 20", acked)
	}
	s, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, err := s.TrackHistory(context.Background(), 1, time.Unix(0, 0), time.Unix(1e9, 0))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) < (acked+1)*crashBatch || len(got)%crashBatch != 0 {
		t.Errorf("%d states after the crash; %d batches of %d were acknowledged, and batches are all or none",
			len(got), acked+1, crashBatch)
	}
	t.Logf("%d batches acknowledged, %d states found", acked+1, len(got))
}

// crashWriter commits batch after batch until it is killed.
func crashWriter(path string) {
	s, err := Open(path)
	if err != nil {
		os.Exit(2)
	}
	batch := make([]store.TrackState, crashBatch)
	for n := 0; ; n++ {
		for i := range batch {
			batch[i] = store.TrackState{Time: time.Unix(int64(n*crashBatch+i), 0), TrackID: 1, Lat: 36, Lon: -5.4}
		}
		if err := s.AddTrackStates(context.Background(), batch); err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString(strconv.Itoa(n) + "\n")
	}
}
