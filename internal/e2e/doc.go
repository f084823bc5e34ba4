// Package e2e holds postdash's end-to-end tests. The browser tests start
// the dashboard on a fresh SQLite database with the sample workbook, open
// it in a real headless Chromium, and check that every chart draws with no
// console error and no request to another origin, and that an upload goes
// round. The first-run test builds the real binary and plays a newcomer:
// a taken port fails at once, the first serve prints a block from which a
// browser signs in, and every command in the README runs as written. It has
// no code outside its tests.
package e2e
