package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	mrand "math/rand/v2"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"postdash/internal/postal"
	"postdash/internal/store"
)

func forEachBenchBackend(b *testing.B, fn func(b *testing.B, dsn string)) {
	b.Run("sqlite", func(b *testing.B) { fn(b, filepath.Join(b.TempDir(), "bench.db")) })
	b.Run("postgres", func(b *testing.B) { fn(b, scratchPostgres(b)) })
}

// gridFacts returns n facts over distinct series-months (months from 2000-01
// by 4 directions by 5 categories by partners), each repeated on sheets
// sheets; n is the number of distinct series-months.
func gridFacts(n, sheets int) []postal.Fact {
	facts := make([]postal.Fact, 0, n*sheets)
	start := postal.Month{Year: 2000, Month: 1}
	for sh := range sheets {
		for i := range n {
			f := postal.Fact{
				Month: start.Add(i / 20 % 240),
				Series: postal.Series{
					Direction: postal.Directions[i%4],
					Category:  postal.Categories[i/4%5],
					Partner:   fmt.Sprintf("partner%03d", i/(20*240)),
				},
				Sheet: fmt.Sprintf("Sheet%d", sh), Items: int64(i % 1000), HasItems: true, WeightKg: float64(i%100) / 4, HasWeight: true,
			}
			facts = append(facts, f)
		}
	}
	return facts
}

// settle does what PostgreSQL's autovacuum would do in time: drop the dead
// row versions the superseding commits left in live_series, so that the
// benchmark measures the table's live size.
func settle(b *testing.B, dsn string) {
	b.Helper()
	if !strings.HasPrefix(dsn, "postgres") {
		return
	}
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, "VACUUM ANALYZE live_series"); err != nil {
		b.Fatal(err)
	}
}

func benchCommit(b *testing.B, s store.Store, name string, facts []postal.Fact) {
	b.Helper()
	batch := newBatch(name, facts)
	if err := s.CommitBatch(context.Background(), batch, facts); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkCommit100k commits batches of 100,000 facts, each superseding the
// whole of the one before.
func BenchmarkCommit100k(b *testing.B) {
	facts := gridFacts(100_000, 1)
	forEachBenchBackend(b, func(b *testing.B, dsn string) {
		s := openStore(b, dsn)
		for i := 0; b.Loop(); i++ {
			benchCommit(b, s, fmt.Sprintf("bench-%d", i), facts)
		}
		b.ReportMetric(float64(len(facts))*float64(b.N)/b.Elapsed().Seconds(), "facts/s")
	})
}

// BenchmarkTotals sums 1,000 live series-months by period and category, with
// 1,000 facts loaded (one batch) and with 1,000,000 (ten batches of 100
// sheets each, all holding the same series-months): the cost must not follow
// the number of facts.
func BenchmarkTotals(b *testing.B) {
	const seriesMonths = 1000
	q := store.Query{
		By:   []postal.Field{postal.FieldPeriod, postal.FieldCategory},
		From: postal.Month{Year: 2000, Month: 1}, To: postal.Month{Year: 2030, Month: 12},
	}
	sizes := []struct {
		name            string
		batches, sheets int
	}{
		{"facts=1k", 1, 1},
		{"facts=1M", 10, 100},
	}
	forEachBenchBackend(b, func(b *testing.B, dsn string) {
		for _, size := range sizes {
			b.Run(size.name, func(b *testing.B) {
				s := openStore(b, dsn)
				ctx := context.Background()
				facts := gridFacts(seriesMonths, size.sheets)
				for i := range size.batches {
					benchCommit(b, s, fmt.Sprintf("%s-%d", size.name, i), facts)
				}
				settle(b, dsn)
				for b.Loop() {
					ts, err := s.Totals(ctx, q)
					if err != nil || len(ts) == 0 {
						b.Fatalf("totals: %d rows, %v", len(ts), err)
					}
				}
				// undo everything so the next size starts empty
				bs, _ := s.Batches(ctx)
				for _, bt := range bs {
					if bt.Live() {
						if err := s.UndoBatch(ctx, bt.ID, "bench"); err != nil {
							b.Fatal(err)
						}
					}
				}
			})
		}
	})
}

// BenchmarkPutFile stores a 31 MiB original (random bytes, as incompressible
// as an xlsx) per iteration, each with a different hash, into one store:
// the browser's upload stores the original so beside the parse. cpu-s is
// the process's CPU time per file (user and system: the writes to the WAL
// and the checkpoint are mostly system time).
//
//	go test -run '^$' -bench PutFile -benchtime 10x ./internal/store/
func BenchmarkPutFile(b *testing.B) {
	content := make([]byte, 31<<20)
	r := mrand.New(mrand.NewPCG(3, 4))
	for i := range content {
		content[i] = byte(r.Uint32())
	}
	forEachBenchBackend(b, func(b *testing.B, dsn string) {
		s := openStore(b, dsn)
		ctx := context.Background()
		b.SetBytes(int64(len(content)))
		var cpu time.Duration
		for i := 0; b.Loop(); i++ {
			binary.LittleEndian.PutUint64(content, uint64(i))
			sum := sha256.Sum256(content)
			c0 := processCPU()
			if err := s.PutFile(ctx, hex.EncodeToString(sum[:]), "bench.xlsx", bytes.NewReader(content)); err != nil {
				b.Fatal(err)
			}
			cpu += processCPU() - c0
		}
		b.ReportMetric(cpu.Seconds()/float64(b.N), "cpu-s")
	})
}

// processCPU is the user and system CPU time of the process so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
