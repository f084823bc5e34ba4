package stats

import "postdash/internal/store"

// Query and Total are the store's filter and sums, as pages name them.
type (
	Query = store.Query
	Total = store.Total
)

// ErrTooManyRows says a query would answer more rows than a page may show.
var ErrTooManyRows = store.ErrTooManyRows

// SeriesGroup is live values added up in a group (store.LiveGroups).
type SeriesGroup = store.SeriesGroup

// Store and DataState are the store and what a snapshot of it holds.
type (
	Store     = store.Store
	DataState = store.DataState
)
