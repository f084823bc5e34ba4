// Package e2e holds postdash's browser test: it starts the dashboard on a
// fresh SQLite database with the sample workbook, opens the overview in a
// real headless Chromium, and checks that every chart draws with no console
// error and no request to another origin. It has no code outside its test.
package e2e
