//go:build race

package web

// raceEnabled is true under the race detector, which runs the web tests a
// second time in CI: the oracle then checks 20 fact sets (the full run
// checked oracleSets already), and the 25,920-series-month tester's shape
// is left to the full run.
const raceEnabled = true
