package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"postdash/internal/importer"
	"postdash/internal/sheet"
)

// readMappingFile reads the mapping of `import --mapping FILE.json`; none
// when path is empty.
func readMappingFile(path string) ([]sheet.Mapping, error) {
	if path == "" {
		return nil, nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	m, err := sheet.ParseMapping(b)
	if err != nil {
		return nil, err
	}
	if m.ID == 0 {
		m.Source = filepath.Base(path)
	}
	return []sheet.Mapping{*m}, nil
}

// cmdMappings lists, shows, exports and deletes the saved mappings.
func cmdMappings(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "mappings")
	db := dbFlag(fs, e)
	asJSON := fs.Bool("json", false, "list as JSON")
	user := fs.String("user", e.getenv("USER"), "who deletes (recorded in the audit log)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return 2
	}
	const verbs = "list, show ID, export ID, delete ID"
	if len(pos) == 0 {
		return e.say(2, "cli.usage.verb", map[string]string{"cmd": "mappings", "verbs": verbs})
	}
	verb := pos[0]
	var id int64
	switch verb {
	case "list":
		if len(pos) != 1 {
			return e.say(2, "cli.usage.no_argument", map[string]string{"cmd": "mappings list"})
		}
	case "show", "export", "delete":
		if len(pos) != 2 {
			return e.say(2, "cli.usage.one_mapping", map[string]string{"cmd": "mappings " + verb})
		}
		if id, err = strconv.ParseInt(pos[1], 10, 64); err != nil || id <= 0 {
			return e.say(2, "cli.usage.not_mapping", map[string]string{"cmd": "mappings " + verb, "value": pos[1]})
		}
	default:
		return e.say(2, "cli.usage.unknown_verb", map[string]string{"cmd": "mappings", "value": verb, "verbs": verbs})
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return fail(e, 2, "%v", err)
	}
	defer st.Close()
	imp := importer.New(st, sheet.Limits{}, e.log)
	if verb == "list" {
		list, err := imp.Mappings(ctx)
		if err != nil {
			return fail(e, 3, "mappings: %v", err)
		}
		if *asJSON {
			if list == nil {
				list = []sheet.Mapping{}
			}
			b, _ := json.Marshal(map[string]any{"mappings": list})
			fmt.Fprintln(e.stdout, string(b))
			return 0
		}
		for _, m := range list {
			fmt.Fprintf(e.stdout, "%d\tsaved by %s on %s\t%s\n", m.ID, m.SavedBy, m.SavedAt.Format("2006-01-02"), strings.Join(m.Header, " | "))
		}
		return 0
	}
	if verb == "delete" {
		who := *user
		if who == "" {
			who = "cli"
		}
		if err := imp.DeleteMapping(ctx, id, importer.Actor{User: who, Remote: "cli"}); err != nil {
			return mappingFail(e, verb, id, err)
		}
		e.done("cli.done.mapping_deleted", map[string]string{"id": strconv.FormatInt(id, 10)})
		return 0
	}
	m, err := imp.Mapping(ctx, id)
	if err != nil {
		return mappingFail(e, verb, id, err)
	}
	if verb == "export" {
		b, err := importer.ExportMapping(m)
		if err != nil {
			return fail(e, 3, "%v", err)
		}
		_, _ = e.stdout.Write(b)
		return 0
	}
	fmt.Fprintf(e.stdout, "mapping %d, saved by %s on %s\nheader: %s\n", m.ID, m.SavedBy, m.SavedAt.Format("2006-01-02"), strings.Join(m.Header, " | "))
	for _, c := range m.Columns {
		fmt.Fprintf(e.stdout, "  %s\t%s\n", c.Header, choiceText(c))
	}
	for _, r := range m.Rows {
		c := sheet.ColumnChoice{Meaning: r.Meaning, Category: r.Category, Direction: r.Direction, Partner: r.Partner,
			Marketplace: r.Marketplace, Unit: r.Unit, Multiplier: r.Multiplier}
		fmt.Fprintf(e.stdout, "  row %s\t%s\n", r.Label, choiceText(c))
	}
	return 0
}

func mappingFail(e *env, verb string, id int64, err error) int {
	if errors.Is(err, importer.ErrNoMapping) {
		return e.say(1, "cli.error.no_mapping", map[string]string{"cmd": "mappings " + verb, "id": strconv.FormatInt(id, 10)})
	}
	return fail(e, 3, "mappings %s %d: %v", verb, id, err)
}

// choiceText is one choice in a line: its meaning and the values it gives.
func choiceText(c sheet.ColumnChoice) string {
	parts := []string{c.Meaning}
	for _, v := range []string{c.Category, c.Direction, c.Partner, c.Marketplace} {
		if v != "" {
			parts = append(parts, v)
		}
	}
	if c.Unit != "" {
		u := c.Unit
		if c.Multiplier > 1 {
			u = strconv.FormatFloat(c.Multiplier, 'f', -1, 64) + " " + u
		}
		parts = append(parts, u)
	}
	if c.Year != 0 {
		parts = append(parts, strconv.Itoa(c.Year))
	}
	return strings.Join(parts, " ")
}
