package storetest

import (
	"bufio"
	"context"
	"os"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"

	"pharos/internal/model"
	"pharos/internal/store"
)

// crashEnv names, in the writer process, the store it writes to.
const crashEnv = "PHAROS_CRASH_STORE"

// crashBatch is the size of the batches the writer commits.
const crashBatch = 500

// Crash checks that a store loses nothing it acknowledged when its process
// is killed: it runs the calling test again as a child process that
// commits batches of track states as fast as it can and says on stdout
// which batch each commit acknowledged, kills it with SIGKILL while it
// writes, and looks in the store for every acknowledged batch, whole.
// newStore makes an empty store somewhere and says where; open opens the
// store there (in the child, and after the kill).
func Crash(t *testing.T, newStore func(t *testing.T) string, open func(t *testing.T, where string) store.Store) {
	if where := os.Getenv(crashEnv); where != "" {
		crashWriter(open(t, where))
		return
	}
	where := newStore(t)
	cmd := exec.Command(os.Args[0], "-test.run=^"+t.Name()+"$")
	cmd.Env = append(os.Environ(), crashEnv+"="+where)
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
	s := open(t, where)
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
func crashWriter(s store.Store) {
	batch := make([]model.TrackState, crashBatch)
	for n := 0; ; n++ {
		for i := range batch {
			batch[i] = model.TrackState{Time: time.Unix(int64(n*crashBatch+i), 0), TrackID: 1, Lat: 36, Lon: -5.4}
		}
		if err := s.AddTrackStates(context.Background(), batch); err != nil {
			os.Exit(3)
		}
		os.Stdout.WriteString(strconv.Itoa(n) + "\n")
	}
}
