package main

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// What the multi-instance test reads back: batches and all live data, as
// the API answers them, and the state a file should leave.

// batchJSON is one batch of /api/v1/batches.
type batchJSON struct {
	ID   int64  `json:"id"`
	File string `json:"file"`
	Live bool   `json:"live"`
}

func batchesOf(t *testing.T, br *browser, in *instance) []batchJSON {
	t.Helper()
	r := br.get(in, "/api/v1/batches", http.StatusOK)
	var out struct{ Batches []batchJSON }
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatalf("batches on %s: %v: %s", in.name, err, shorten(r.body))
	}
	return out.Batches
}

// liveBatchOf returns the id of the live batch of a file.
func liveBatchOf(t *testing.T, br *browser, in *instance, file string) int64 {
	t.Helper()
	for _, bt := range batchesOf(t, br, in) {
		if bt.File == file && bt.Live {
			return bt.ID
		}
	}
	t.Fatalf("no live batch of %s on %s", file, in.name)
	return 0
}

// measure is a live value of one series in one month.
type measure struct {
	Items int64
	Kg    float64
}

// state is all live data, by "month direction partner category marketplace".
type state map[string]measure

func seriesKey(month, direction, partner, category, marketplace string) string {
	return strings.Join([]string{month, direction, partner, category, marketplace}, " ")
}

// liveState reads all live data from the totals API of in.
func liveState(t *testing.T, br *browser, in *instance) state {
	t.Helper()
	r := br.get(in, "/api/v1/totals?by=period,direction,partner,category,marketplace", http.StatusOK)
	var out struct {
		Rows []struct {
			Period, Direction, Partner, Category, Marketplace string
			Items                                             int64
			WeightKg                                          float64 `json:"weight_kg"`
		}
	}
	if err := json.Unmarshal([]byte(r.body), &out); err != nil {
		t.Fatalf("totals on %s: %v: %s", in.name, err, shorten(r.body))
	}
	st := state{}
	for _, row := range out.Rows {
		st[seriesKey(row.Period, row.Direction, row.Partner, row.Category, row.Marketplace)] = measure{row.Items, row.WeightKg}
	}
	return st
}

// sameState fails when a and b answer different totals.
func sameState(t *testing.T, br *browser, a, b *instance) {
	t.Helper()
	if sa, sb := liveState(t, br, a), liveState(t, br, b); !equalStates(sa, sb) {
		t.Errorf("A and B answer different totals:\n%s", stateDiff(sa, sb))
	}
}

// overlay is st after committing a file of rows: the file's values replace
// those of the series-months it holds.
func overlay(st state, rows []sheetRow) state {
	out := state{}
	for k, v := range st {
		out[k] = v
	}
	fresh := map[string]bool{}
	for _, r := range rows {
		k := seriesKey(r.month, r.direction, r.partner, r.category, "")
		m := out[k]
		if !fresh[k] {
			m, fresh[k] = measure{}, true
		}
		out[k] = measure{m.Items + r.items, m.Kg + r.kg}
	}
	return out
}

func equalStates(a, b state) bool {
	if len(a) != len(b) {
		return false
	}
	for k, va := range a {
		vb, ok := b[k]
		if !ok || va.Items != vb.Items || math.Abs(va.Kg-vb.Kg) > 1e-6 {
			return false
		}
	}
	return true
}

// stateDiff lists the series-months where got and want differ.
func stateDiff(got, want state) string {
	var keys []string
	for k := range got {
		keys = append(keys, k)
	}
	for k := range want {
		if _, ok := got[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		g, gok := got[k]
		w, wok := want[k]
		if gok == wok && g.Items == w.Items && math.Abs(g.Kg-w.Kg) <= 1e-6 {
			continue
		}
		fmt.Fprintf(&b, "  %s: got %s, want %s\n", k, showMeasure(g, gok), showMeasure(w, wok))
	}
	return b.String()
}

func showMeasure(m measure, ok bool) string {
	if !ok {
		return "nothing"
	}
	return fmt.Sprintf("%d items %g kg", m.Items, m.Kg)
}
