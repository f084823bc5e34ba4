package store

// WriteLockKey is writeLockKey, for the external tests.
const WriteLockKey = writeLockKey
