// Package templates carries postdash's html/template files inside the binary.
package templates

import "embed"

// FS holds every page template (*.html).
//
//go:embed *.html
var FS embed.FS
