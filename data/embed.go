// Package data carries the sample workbook inside the binary, so that
// `postdash serve` can show real-looking figures on a fresh database.
package data

import _ "embed"

// SampleName is the file name of the sample workbook.
const SampleName = "uz-cn-post-2025-h1.xlsx"

// Sample is the sample workbook: January–June 2025, kept as a ministry would
// keep it (wide layout, Uzbek Cyrillic, merged title and headers, a total row).
// Its half-year totals are the published ones; the monthly split is illustrative.
// Regenerate with `go run ./data/gen`.
//
//go:embed uz-cn-post-2025-h1.xlsx
var Sample []byte
