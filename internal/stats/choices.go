package stats

import (
	"context"
	"errors"
	"fmt"

	"postdash/internal/postal"
	"postdash/internal/store"
)

// Choices are the values a filter form offers: those that live data hold.
type Choices struct {
	First, Last  postal.Month
	Partners     []string
	Marketplaces []string // without the empty (unknown) marketplace
}

// maxChoices bounds the values a filter form offers for one field.
const maxChoices = 2000

// LoadChoices reads the partners and marketplaces present in live data.
func LoadChoices(ctx context.Context, st store.Store) (Choices, error) {
	var c Choices
	var err error
	if c.First, c.Last, err = st.MonthRange(ctx); err != nil {
		return c, fmt.Errorf("month range: %w", err)
	}
	values := func(f postal.Field, order []string) ([]string, error) {
		rows, err := st.Totals(ctx, store.Query{By: []postal.Field{f}, MaxRows: maxChoices})
		if errors.Is(err, store.ErrTooManyRows) {
			return nil, nil // too many to offer: the form offers none, a URL still filters
		}
		if err != nil {
			return nil, fmt.Errorf("totals by %s: %w", f, err)
		}
		var out []string
		for _, r := range rows {
			if v := r.Group[f]; v != "" {
				out = append(out, v)
			}
		}
		sortKeys(out, order)
		return out, nil
	}
	if c.Partners, err = values(postal.FieldPartner, PartnerOrder()); err != nil {
		return c, err
	}
	if c.Marketplaces, err = values(postal.FieldMarketplace, MarketplaceOrder()); err != nil {
		return c, err
	}
	return c, nil
}
