package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestBadLangVariableIsRefused: POSTDASH_LANG naming no language is refused
// as --lang is, naming the variable (not English in silence); --lang given
// on the command line is what counts.
func TestBadLangVariableIsRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	en := catalog(t, "en")
	code, _, stderr := cliEnv(t, db, map[string]string{"POSTDASH_LANG": "xx"}, "undo", "5")
	want := "postdash: " + fill(en["cli.usage.bad_env"], map[string]string{"cmd": "undo", "var": "POSTDASH_LANG", "value": "xx", "values": "en, ru, uz-Latn, uz-Cyrl"})
	if code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("POSTDASH_LANG=xx undo 5: %d %q, want 2 and %q", code, stderr, want)
	}
	if code, _, stderr := cliEnv(t, db, nil, "undo", "5", "--lang", "xx"); code != 2 || !strings.Contains(stderr, "--lang") {
		t.Errorf("undo 5 --lang xx: %d %q, want 2 naming --lang", code, stderr)
	}
	if code, _, stderr := cliEnv(t, db, map[string]string{"POSTDASH_LANG": "xx"}, "migrate", "--lang=ru"); code != 0 {
		t.Errorf("POSTDASH_LANG=xx migrate --lang=ru: %d %q, want the flag to count", code, stderr)
	}
}

// TestUnknownCommandInLang: an unknown command is refused in the language
// --lang asks for.
func TestUnknownCommandInLang(t *testing.T) {
	ru := catalog(t, "ru")
	code, _, stderr := cliEnv(t, "", nil, "frobnicate", "--lang", "ru")
	want := "postdash: " + fill(ru["cli.usage.unknown_command"], map[string]string{"name": "frobnicate"})
	if code != 2 || !strings.Contains(stderr, want) {
		t.Errorf("frobnicate --lang ru: %d %q, want 2 and %q", code, stderr, want)
	}
}

// TestNoArgumentCommandsRefuseArguments: a command that takes no argument
// refuses one, naming it, instead of ignoring it.
func TestNoArgumentCommandsRefuseArguments(t *testing.T) {
	db := filepath.Join(t.TempDir(), "p.db")
	en := catalog(t, "en")
	for _, args := range [][]string{
		{"batches", "extra"}, {"query", "extra"}, {"migrate", "extra"},
		{"backup", "--out", filepath.Join(t.TempDir(), "b.db"), "extra"},
		{"template", "--out", filepath.Join(t.TempDir(), "t.xlsx"), "extra"},
		{"audit", "extra"}, {"user", "list", "extra"}, {"token", "list", "extra"},
		{"mappings", "list", "extra"}, {"schedule", "list", "extra"}, {"serve", "extra"},
	} {
		code, stdout, stderr := cliEnv(t, db, nil, args...)
		if code != 2 || stdout != "" || stderr == "" {
			t.Errorf("%v: %d %q %q, want 2 refusing the argument", args, code, stdout, stderr)
		}
	}
	want := "postdash: " + fill(en["cli.usage.unexpected"], map[string]string{"cmd": "batches", "value": "extra"})
	if _, _, stderr := cliEnv(t, db, nil, "batches", "extra"); !strings.Contains(stderr, want) {
		t.Errorf("batches extra: %q, want %q", stderr, want)
	}
}
