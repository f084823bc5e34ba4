package importer

import "postdash/internal/store"

// Store is the database the importer writes and the pages read.
type Store = store.Store

// Batch is one committed file, as stored.
type Batch = store.Batch

// Errors of batches and originals callers tell apart.
var (
	ErrNoBatch       = store.ErrNotFound // no such batch, or its original is not kept
	ErrAlreadyUndone = store.ErrAlreadyUndone
)
