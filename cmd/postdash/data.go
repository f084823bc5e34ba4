package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"text/tabwriter"
	"time"

	"postdash/internal/i18n"
	"postdash/internal/importer"
	"postdash/internal/postal"
	"postdash/internal/query"
	"postdash/internal/sheet"
	"postdash/internal/store"
	"postdash/internal/workbook"
)

func openStore(ctx context.Context, dsn string) (store.Store, error) {
	st, err := store.Open(ctx, dsn)
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", store.RedactDSN(dsn), err)
	}
	return st, nil
}

func cmdImport(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "import")
	db := dbFlag(fs, e)
	dry := fs.Bool("dry-run", false, "read and validate, write nothing")
	asJSON := fs.Bool("json", false, "print one JSON object per file")
	dir := fs.String("direction", "", "direction for rows that give none: inbound, outbound, transit")
	partner := fs.String("partner", "", "partner for rows that give none (e.g. china_post)")
	market := fs.String("marketplace", "", "marketplace for rows that give none (e.g. aliexpress)")
	user := fs.String("user", e.getenv("USER"), "who imports (recorded in the batch)")
	mappingFile := fs.String("mapping", "", "a mapping (JSON, as `postdash mappings export` writes) saying what columns hold")
	langName := fs.String("lang", envOr(e, "POSTDASH_LANG", string(i18n.EN)), "language of the outcome's sentences and of the JSON's message: en, ru, uz-Latn or uz-Cyrl (env POSTDASH_LANG)")
	files, err := parseFlags(fs, args)
	if err != nil {
		return 2
	}
	l, ok := i18n.ParseLang(*langName)
	if !ok {
		return e.badValue("import", "--lang", *langName, langList)
	}
	e.lang = l
	say := e.t
	if len(files) == 0 {
		return e.say(2, "cli.usage.need_files", map[string]string{"cmd": "import"})
	}
	if *dir != "" && !postal.ValidDirection(*dir) {
		return e.badValue("import", "--direction", *dir, "inbound, outbound, transit, unspecified")
	}
	if *user == "" {
		*user = "cli"
	}
	given, err := readMappingFile(*mappingFile)
	if me, ok := errors.AsType[*importer.MappingError](err); ok {
		return e.say(2, "cli.refused", map[string]string{"cmd": "import --mapping " + *mappingFile, "message": e.t(me.Key, me.Args)})
	}
	if err != nil {
		return fail(e, 2, "import: --mapping %s: %v", *mappingFile, err)
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return fail(e, 2, "%v", err)
	}
	defer st.Close()
	// The API's way: a commit is recorded as a job and its original stored
	// beside the read, so the batch's figures lead back to the file.
	jobs := importer.NewJobs(importer.New(st, sheet.Limits{}, e.log), st, e.log)
	status := 0
	for _, path := range files {
		p := newProgress(e, *asJSON, filepath.Base(path))
		out, err := jobs.ImportNow(ctx, importer.Upload{
			Path: path, Name: filepath.Base(path), User: *user,
			Params:   importer.JobParams{Direction: *dir, Partner: *partner, Marketplace: *market},
			Mappings: given, Progress: p.report,
		}, *dry)
		p.done()
		if err != nil {
			fmt.Fprintf(e.stderr, "postdash: import %s: %v\n", path, err)
			return 3
		}
		out = out.Localize(func(key string, args map[string]string) string {
			return say(key, importer.InZone(args, time.Local)) // a time, as `batches` writes it
		})
		if *asJSON {
			b, _ := json.Marshal(out)
			fmt.Fprintln(e.stdout, string(b))
		} else {
			printOutcome(e, out, say)
		}
		status = max(status, out.ExitCode())
	}
	return status
}

// printOutcome writes an outcome's sentences, said by say (the catalogs'
// T in the chosen language); o's own texts are already said in it
// (Outcome.Localize).
func printOutcome(e *env, o importer.Outcome, say func(string, map[string]string) string) {
	w := e.stdout
	line := func(key string, args map[string]string) { fmt.Fprintln(w, say(key, args)) }
	counts := func() map[string]string {
		layout := say("acct.layout."+o.Layout, nil)
		if layout == "acct.layout."+o.Layout {
			layout = o.Layout // no sentence for it: say its name
		}
		return map[string]string{"file": o.File, "batch": strconv.FormatInt(o.Batch, 10), "layout": layout,
			"rows": strconv.FormatInt(o.Rows, 10), "facts": strconv.FormatInt(o.Facts, 10),
			"items": strconv.FormatInt(o.Totals.Items, 10), "kg": strconv.FormatFloat(o.Totals.WeightKg, 'f', -1, 64)}
	}
	switch o.Status {
	case importer.StatusCommitted:
		line("cli.import.committed", counts())
	case importer.StatusDryRun:
		line("cli.import.dry_run", counts())
	case importer.StatusRejected:
		line("cli.import.rejected", map[string]string{"file": o.File, "count": strconv.Itoa(o.ErrorCount)})
		for _, is := range o.Errors {
			line("cli.import.error", map[string]string{"where": is.Sheet + "!" + is.Cell, "message": is.Text})
		}
		if o.ErrorCount > len(o.Errors) {
			line("cli.import.more", map[string]string{"count": strconv.Itoa(o.ErrorCount - len(o.Errors))})
		}
	case importer.StatusRefused:
		line("cli.import.refused", map[string]string{"file": o.File, "message": o.Message})
	case importer.StatusDuplicate:
		line("cli.import.duplicate", map[string]string{"file": o.File, "message": o.Message})
	default:
		fmt.Fprintf(w, "%s: %s: %s\n", o.File, o.Status, o.Message)
	}
	for _, is := range o.Warnings {
		where := is.Sheet
		if is.Cell != "" {
			where += "!" + is.Cell
		}
		line("cli.import.warning", map[string]string{"where": where, "message": is.Text})
	}
}

func cmdQuery(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "query")
	db := dbFlag(fs, e)
	from := fs.String("from", "", "first month, YYYY-MM")
	to := fs.String("to", "", "last month, YYYY-MM")
	by := fs.String("by", "", "group by: period,year,direction,partner,category,marketplace")
	where := fs.String("where", "", "filter: FIELD=VALUE,... (canonical values)")
	asJSON := fs.Bool("json", false, "print JSON")
	if !parseNoArgs(e, fs, "query", args) {
		return 2
	}
	q, err := query.Parse(*from, *to, *by, *where)
	if err != nil {
		return e.queryRefusal("query", err)
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return fail(e, 2, "%v", err)
	}
	defer st.Close()
	totals, err := st.Totals(ctx, q)
	if err != nil {
		return fail(e, 3, "query: %v", err)
	}
	resp := query.Answer(q, totals)
	if *asJSON {
		b, err := json.Marshal(resp)
		if err != nil {
			return fail(e, 3, "query: %v", err)
		}
		fmt.Fprintln(e.stdout, string(b))
		return 0
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	for _, f := range q.By {
		fmt.Fprintf(tw, "%s\t", f)
	}
	fmt.Fprintln(tw, "items\tweight_kg\t")
	for _, r := range resp.Rows {
		for _, f := range q.By {
			fmt.Fprintf(tw, "%s\t", r.Group[f])
		}
		fmt.Fprintf(tw, "%d\t%s\t\n", r.Items, strconv.FormatFloat(r.WeightKg, 'f', -1, 64))
	}
	tw.Flush()
	return 0
}

func cmdBatches(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "batches")
	db := dbFlag(fs, e)
	asJSON := fs.Bool("json", false, "print JSON")
	if !parseNoArgs(e, fs, "batches", args) {
		return 2
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return fail(e, 2, "%v", err)
	}
	defer st.Close()
	batches, err := st.Batches(ctx)
	if err != nil {
		return fail(e, 3, "batches: %v", err)
	}
	if *asJSON {
		out := query.Batches(batches)
		b, _ := json.Marshal(out)
		fmt.Fprintln(e.stdout, string(b))
		return 0
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ID\tWHEN\tWHO\tFILE\tROWS\tFACTS\tSTATE")
	for _, b := range batches {
		state := "live"
		if !b.Live() {
			state = "undone by " + b.UndoneBy + " " + b.UndoneAt.Local().Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%d\t%d\t%s\n", b.ID, b.CreatedAt.Local().Format("2006-01-02 15:04"), b.User, b.FileName, b.Rows, b.Facts, state)
	}
	tw.Flush()
	return 0
}

func cmdUndo(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "undo")
	db := dbFlag(fs, e)
	user := fs.String("user", e.getenv("USER"), "who undoes (recorded)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return 2
	}
	if len(pos) != 1 {
		return e.say(2, "cli.usage.one_batch", map[string]string{"cmd": "undo"})
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return e.say(2, "cli.usage.not_batch", map[string]string{"cmd": "undo", "value": pos[0]})
	}
	if *user == "" {
		*user = "cli"
	}
	st, err := openStore(ctx, *db)
	if err != nil {
		return fail(e, 2, "%v", err)
	}
	defer st.Close()
	if err := importer.New(st, sheet.Limits{}, e.log).Undo(ctx, id, *user); err != nil {
		switch {
		case errors.Is(err, store.ErrNotFound):
			return e.say(1, "cli.error.no_batch", map[string]string{"cmd": "undo", "id": strconv.FormatInt(id, 10)})
		case errors.Is(err, store.ErrAlreadyUndone):
			return e.say(1, "cli.error.already_undone", map[string]string{"cmd": "undo", "id": strconv.FormatInt(id, 10)})
		}
		return fail(e, 3, "%v", err)
	}
	e.done("cli.done.undone", map[string]string{"id": strconv.FormatInt(id, 10)})
	return 0
}

func cmdTemplate(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "template")
	lang := fs.String("lang", "en", "header language: en, uz-Latn, uz-Cyrl, ru")
	out := fs.String("out", "", "where to write the .xlsx")
	if !parseNoArgs(e, fs, "template", args) {
		return 2
	}
	if l, ok := i18n.ParseLang(*lang); ok && given(fs, "lang") {
		e.lang = l // the headers' language is the messages' too
	}
	if *out == "" {
		return e.say(2, "cli.usage.required", map[string]string{"cmd": "template", "flag": "--out FILE.xlsx"})
	}
	if !workbook.ValidLang(*lang) {
		return e.badValue("template", "--lang", *lang, langList)
	}
	f, err := os.Create(*out)
	if err != nil {
		return fail(e, 2, "template: %v", err)
	}
	if err := workbook.WriteTemplate(f, *lang); err != nil {
		f.Close()
		os.Remove(*out)
		return fail(e, 3, "template: %v", err)
	}
	if err := f.Close(); err != nil {
		return fail(e, 3, "template: %v", err)
	}
	e.done("cli.done.wrote", map[string]string{"file": *out})
	return 0
}

func cmdMigrate(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "migrate")
	db := dbFlag(fs, e)
	if !parseNoArgs(e, fs, "migrate", args) {
		return 2
	}
	applied, err := store.Migrate(ctx, *db)
	if err != nil {
		return fail(e, 1, "migrate %s: %v", store.RedactDSN(*db), err)
	}
	for _, name := range applied {
		fmt.Fprintf(e.stdout, "applied %s\n", name)
	}
	e.done("cli.done.up_to_date", map[string]string{"db": store.RedactDSN(*db)})
	return 0
}

func cmdBackup(ctx context.Context, e *env, args []string) int {
	fs := newFlags(e, "backup")
	db := dbFlag(fs, e)
	out := fs.String("out", "", "where to write the copy")
	if !parseNoArgs(e, fs, "backup", args) {
		return 2
	}
	if *out == "" {
		return e.say(2, "cli.usage.required", map[string]string{"cmd": "backup", "flag": "--out FILE"})
	}
	if err := store.Backup(ctx, *db, *out); err != nil {
		return fail(e, 3, "backup: %v", err)
	}
	e.done("cli.done.wrote", map[string]string{"file": *out})
	return 0
}
