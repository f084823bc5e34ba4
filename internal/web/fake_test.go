package web

import (
	"context"
	"sort"
	"strconv"
	"time"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// fakeStore is an in-memory store.Store with just what the dashboard reads.
// Methods it does not define panic through the nil embedded interface.
type fakeStore struct {
	store.Store
	live    []store.SeriesMonth
	batches []store.Batch
	version int64
	reads   int // LiveSeries and Totals calls
}

func (f *fakeStore) match(sm store.SeriesMonth, q store.Query) bool {
	if !q.From.IsZero() && sm.Month.Before(q.From) || !q.To.IsZero() && q.To.Before(sm.Month) {
		return false
	}
	for field, vals := range q.Where {
		v := fieldValue(sm, field)
		ok := false
		for _, w := range vals {
			ok = ok || w == v
		}
		if !ok {
			return false
		}
	}
	return true
}

func fieldValue(sm store.SeriesMonth, f postal.Field) string {
	switch f {
	case postal.FieldPeriod:
		return sm.Month.String()
	case postal.FieldYear:
		return strconv.Itoa(sm.Year)
	case postal.FieldDirection:
		return string(sm.Direction)
	case postal.FieldPartner:
		return sm.Partner
	case postal.FieldCategory:
		return string(sm.Category)
	default:
		return sm.Marketplace
	}
}

func (f *fakeStore) LiveSeries(_ context.Context, q store.Query) ([]store.SeriesMonth, error) {
	f.reads++
	var out []store.SeriesMonth
	for _, sm := range f.live {
		if f.match(sm, q) {
			out = append(out, sm)
		}
	}
	return out, nil
}

func (f *fakeStore) Totals(_ context.Context, q store.Query) ([]store.Total, error) {
	f.reads++
	idx := map[string]int{}
	var out []store.Total
	for _, sm := range f.live {
		if !f.match(sm, q) {
			continue
		}
		g := map[postal.Field]string{}
		key := ""
		for _, b := range q.By {
			g[b] = fieldValue(sm, b)
			key += g[b] + "\x00"
		}
		i, ok := idx[key]
		if !ok {
			i = len(out)
			idx[key] = i
			out = append(out, store.Total{Group: g})
		}
		if sm.HasItems {
			out[i].Items += sm.Items
			out[i].HasItems = true
		}
		if sm.HasWeight {
			out[i].WeightKg += sm.WeightKg
			out[i].HasWeight = true
		}
	}
	sort.SliceStable(out, func(a, b int) bool {
		for _, f := range q.By {
			if out[a].Group[f] != out[b].Group[f] {
				return out[a].Group[f] < out[b].Group[f]
			}
		}
		return false
	})
	return out, nil
}

func (f *fakeStore) Sources(_ context.Context, q store.Query) ([]store.Source, error) {
	n := int64(0)
	for _, sm := range f.live {
		if f.match(sm, q) {
			n++
		}
	}
	if n == 0 || len(f.batches) == 0 {
		return nil, nil
	}
	b := f.batches[0]
	return []store.Source{{BatchID: b.ID, FileName: b.FileName, Sheet: "=HYPERLINK(1)", User: b.User, At: b.CreatedAt, Facts: n}}, nil
}

func (f *fakeStore) MonthRange(context.Context) (first, last postal.Month, err error) {
	for _, sm := range f.live {
		if first.IsZero() || sm.Month.Before(first) {
			first = sm.Month
		}
		if last.IsZero() || last.Before(sm.Month) {
			last = sm.Month
		}
	}
	return first, last, nil
}

func (f *fakeStore) DataVersion(context.Context) (int64, error) { return f.version, nil }

func (f *fakeStore) Batches(context.Context) ([]store.Batch, error) { return f.batches, nil }

// sampleStore holds the sample workbook's figures: Jan–Jun 2025, letters in
// and out (kg), registered letters in and out (items), e-commerce inbound (kg)
// by partner and marketplace, plus June 2024 letters (500 kg) for a year-over-year.
func sampleStore() *fakeStore {
	f := &fakeStore{version: 1, batches: []store.Batch{{ID: 1, FileName: "uz-cn-post-2025-h1.xlsx", User: "test", CreatedAt: time.Date(2025, 7, 2, 9, 30, 0, 0, time.UTC)}}}
	lettersIn := []float64{198, 176, 221, 205, 232, 214}
	lettersOut := []float64{287, 301, 312, 298, 321, 320}
	regIn := []int64{512, 468, 540, 501, 530, 519}
	regOut := []int64{470, 455, 498, 502, 515, 504}
	ecom := []float64{33000, 35200, 37100, 38900, 40100, 42200}
	type split struct {
		partner, market string
		share           float64
	}
	splits := []split{{postal.ChinaPost, postal.AliExpress, 0.5}, {postal.ChinaPost, postal.Temu, 0.3}, {postal.LatvijasPasts, "Shein <b>&</b>", 0.2}}
	for i := 0; i < 6; i++ {
		m := postal.Month{Year: 2025, Month: i + 1}
		add := func(d postal.Direction, p string, c postal.Category, mk string, items int64, hasItems bool, kg float64, hasKg bool) {
			f.live = append(f.live, store.SeriesMonth{Month: m, Series: postal.Series{Direction: d, Partner: p, Category: c, Marketplace: mk},
				Items: items, HasItems: hasItems, WeightKg: kg, HasWeight: hasKg})
		}
		add(postal.Inbound, postal.ChinaPost, postal.LetterPost, "", 0, false, lettersIn[i], true)
		add(postal.Outbound, postal.ChinaPost, postal.LetterPost, "", 0, false, lettersOut[i], true)
		add(postal.Inbound, postal.ChinaPost, postal.RegisteredLetter, "", regIn[i], true, 0, false)
		add(postal.Outbound, postal.ChinaPost, postal.RegisteredLetter, "", regOut[i], true, 0, false)
		for _, s := range splits {
			add(postal.Inbound, s.partner, postal.Ecommerce, s.market, 0, false, ecom[i]*s.share, true)
		}
	}
	for _, d := range []struct {
		dir postal.Direction
		kg  float64
	}{{postal.Inbound, 200}, {postal.Outbound, 300}} {
		f.live = append(f.live, store.SeriesMonth{Month: postal.Month{Year: 2024, Month: 6}, Series: postal.Series{Direction: d.dir, Partner: postal.ChinaPost, Category: postal.LetterPost}, WeightKg: d.kg, HasWeight: true})
	}
	return f
}

// PruneJobs has nothing to prune: the fake keeps no uploads.
func (f *fakeStore) PruneJobs(context.Context, time.Time, ...string) (int64, int64, error) {
	return 0, 0, nil
}
