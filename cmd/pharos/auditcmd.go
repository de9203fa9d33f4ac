package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"

	"pharos/internal/audit"
	"pharos/internal/node"
)

// auditPage is how many entries audit verify reads at a time.
const auditPage = 10000

// runAudit runs pharos audit verify: it reads a node's whole audit log
// and checks its hash chain, so that any entry changed, removed or put
// out of order since it was written shows.
func runAudit(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "usage: pharos audit verify [--data DIR | --db postgres://…]")
		return errUsage
	}
	fs := flag.NewFlagSet("audit verify", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", envOr("PHAROS_DATA_DIR", "pharos-data"), "the node's data directory (env PHAROS_DATA_DIR)")
	db := fs.String("db", os.Getenv("PHAROS_DB"), "postgres://… when the node's store is PostgreSQL (env PHAROS_DB)")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return errUsage
	}
	st, where, err := node.OpenStore(ctx, *data, *db)
	if err != nil {
		return err
	}
	defer st.Close()
	var prev *audit.Entry
	var after int64
	n := 0
	for {
		page, err := st.AuditLog(ctx, after, auditPage)
		if err != nil {
			return err
		}
		if len(page) == 0 {
			break
		}
		if err := audit.Verify(prev, page); err != nil {
			return fmt.Errorf("audit log of %s: the chain is broken: %w", where, err)
		}
		n += len(page)
		prev = &page[len(page)-1]
		after = prev.Seq
	}
	fmt.Fprintf(stdout, "audit log of %s: %d entries, chain whole\n", where, n)
	return nil
}
