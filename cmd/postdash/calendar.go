package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"text/tabwriter"
	"time"

	"postdash/internal/calendar"
	"postdash/internal/postal"
	"postdash/internal/store"
)

const scheduleUsage = `postdash schedule list [--json]
       postdash schedule set [--partner P] [--category C] (--day N | --days-after N) [--from YYYY-MM]
       postdash schedule delete ID`

// cmdSchedule lists, sets and deletes the reporting schedule's rules.
func cmdSchedule(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		return e.usage(scheduleUsage)
	}
	fs := newFlags(e, "schedule "+args[0])
	db := dbFlag(fs, e)
	asJSON := fs.Bool("json", false, "print JSON")
	partner := fs.String("partner", "", "the partner the rule is for (empty: every partner)")
	category := fs.String("category", "", "the category the rule is for (empty: every category)")
	day := fs.Int("day", 0, "due by day N of the month after the month")
	after := fs.Int("days-after", -1, "due N days after the month's last day")
	from := fs.String("from", "", "the first month the rule applies to, YYYY-MM (empty: every month)")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return 2
	}
	svc, st, err := openAuth(ctx, e, *db)
	if err != nil {
		return fail(e, 2, "%v", err)
	}
	defer st.Close()
	who := cliActor(e)
	switch args[0] {
	case "list":
		if len(pos) != 0 {
			return e.usage(scheduleUsage)
		}
		rules, err := st.Schedules(ctx)
		if err != nil {
			return fail(e, 1, "schedule: %v", err)
		}
		out := calendar.RulesJSON(rules, true)
		if *asJSON {
			b, _ := json.Marshal(map[string]any{"schedule": out})
			fmt.Fprintln(e.stdout, string(b))
			return 0
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tPARTNER\tCATEGORY\tDUE\tBY\tAT")
		for _, r := range out {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\n", r.ID, orAll(r.Partner), orAll(r.Category), r.Says, r.User, r.At)
		}
		tw.Flush()
		return 0
	case "set":
		rule, n := calendar.RuleDay, *day
		switch {
		case *day > 0 && *after >= 0, *day <= 0 && *after < 0:
			e.say(2, "cli.usage.one_of", map[string]string{"cmd": "schedule set", "one": "--day N", "other": "--days-after N"})
			return e.usage(scheduleUsage)
		case *after >= 0:
			rule, n = calendar.RuleAfter, *after
		}
		if len(pos) != 0 {
			return e.usage(scheduleUsage)
		}
		sc, err := calendar.ParseRule(*partner, *category, rule, strconv.Itoa(n), *from)
		if err != nil {
			return e.say(2, "cli.refused", map[string]string{"cmd": "schedule set", "message": e.t("schedule.error.rule", nil)})
		}
		sc.User = who.User
		if sc, err = st.PutSchedule(ctx, sc); err != nil {
			return fail(e, 1, "schedule set: %v", err)
		}
		_ = svc.Record(ctx, who, "schedule.set", ruleDetail(sc))
		fmt.Fprintf(e.stdout, "rule %d: %s\n", sc.ID, ruleDetail(sc))
		return 0
	case "delete":
		if len(pos) != 1 {
			return e.usage(scheduleUsage)
		}
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil {
			return e.say(2, "cli.usage.not_rule", map[string]string{"cmd": "schedule delete", "value": pos[0]})
		}
		sc, err := st.DeleteSchedule(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return e.say(1, "cli.error.no_rule", map[string]string{"cmd": "schedule delete", "id": strconv.FormatInt(id, 10)})
		}
		if err != nil {
			return fail(e, 1, "schedule delete: %v", err)
		}
		_ = svc.Record(ctx, who, "schedule.delete", ruleDetail(sc))
		e.done("cli.done.rule_deleted", map[string]string{"id": strconv.FormatInt(id, 10)})
		return 0
	}
	return e.usage(scheduleUsage)
}

// ruleDetail says which rows a rule is for and what it says, as the audit
// log and the CLI print it.
func ruleDetail(sc calendar.Schedule) string {
	return fmt.Sprintf("partner %s, category %s: %s", orAll(sc.Partner), orAll(sc.Category), calendar.Says(sc))
}

func orAll(s string) string {
	if s == "" {
		return "all"
	}
	return s
}

const annotateUsage = `postdash annotate add [--partner P] [--category C] YYYY-MM TEXT
       postdash annotate list [--from YYYY-MM] [--to YYYY-MM] [--json]
       postdash annotate edit [--partner P] [--category C] ID YYYY-MM TEXT
       postdash annotate delete ID`

// cmdAnnotate adds, lists, edits and deletes notes on months.
func cmdAnnotate(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 {
		return e.usage(annotateUsage)
	}
	fs := newFlags(e, "annotate "+args[0])
	db := dbFlag(fs, e)
	asJSON := fs.Bool("json", false, "print JSON")
	partner := fs.String("partner", "", "the partner the note is about (empty: all)")
	category := fs.String("category", "", "the category the note is about (empty: all)")
	fromF := fs.String("from", "", "first month listed, YYYY-MM")
	toF := fs.String("to", "", "last month listed, YYYY-MM")
	pos, err := parseFlags(fs, args[1:])
	if err != nil {
		return 2
	}
	svc, st, err := openAuth(ctx, e, *db)
	if err != nil {
		return fail(e, 2, "%v", err)
	}
	defer st.Close()
	who := cliActor(e)
	detail := func(a calendar.Annotation) string {
		return fmt.Sprintf("note %d, %s, partner %s, category %s: %s", a.ID, a.Month, orAll(a.Partner), orAll(a.Category), a.Text)
	}
	switch args[0] {
	case "list":
		var from, to postal.Month
		for _, m := range []struct {
			s   string
			dst *postal.Month
		}{{*fromF, &from}, {*toF, &to}} {
			if m.s == "" {
				continue
			}
			if *m.dst, err = postal.ParseMonth(m.s); err != nil {
				return fail(e, 2, "annotate list: %v", err)
			}
		}
		notes, err := st.Annotations(ctx, from, to)
		if err != nil {
			return fail(e, 1, "annotate list: %v", err)
		}
		out := calendar.AnnotationsJSON(notes, true)
		if *asJSON {
			b, _ := json.Marshal(map[string]any{"annotations": out})
			fmt.Fprintln(e.stdout, string(b))
			return 0
		}
		tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
		fmt.Fprintln(tw, "ID\tMONTH\tPARTNER\tCATEGORY\tBY\tAT\tTEXT")
		for _, a := range out {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", a.ID, a.Month, orAll(a.Partner), orAll(a.Category), a.CreatedBy, a.CreatedAt, strconv.Quote(a.Text))
		}
		tw.Flush()
		return 0
	case "add":
		if len(pos) != 2 {
			return e.usage(annotateUsage)
		}
		a, err := calendar.ParseNote(pos[0], *partner, *category, pos[1])
		if err != nil {
			return e.say(2, "cli.refused", map[string]string{"cmd": "annotate add", "message": e.t("annotations.error", nil)})
		}
		a.CreatedBy = who.User
		if a, err = st.AddAnnotation(ctx, a); err != nil {
			return fail(e, 1, "annotate add: %v", err)
		}
		_ = svc.Record(ctx, who, "annotation.add", detail(a))
		e.done("cli.done.note_added", map[string]string{"id": strconv.FormatInt(a.ID, 10), "month": a.Month.String()})
		return 0
	case "edit":
		if len(pos) != 3 {
			return e.usage(annotateUsage)
		}
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil {
			return e.say(2, "cli.usage.not_note", map[string]string{"cmd": "annotate edit", "value": pos[0]})
		}
		old, err := st.Annotation(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return e.say(1, "cli.error.no_note", map[string]string{"cmd": "annotate edit", "id": strconv.FormatInt(id, 10)})
		}
		if err != nil {
			return fail(e, 1, "annotate edit: %v", err)
		}
		p, c := old.Partner, old.Category // kept unless given again
		fs.Visit(func(f *flag.Flag) {
			switch f.Name {
			case "partner":
				p = *partner
			case "category":
				c = *category
			}
		})
		a, err := calendar.ParseNote(pos[1], p, c, pos[2])
		if err != nil {
			return e.say(2, "cli.refused", map[string]string{"cmd": "annotate edit", "message": e.t("annotations.error", nil)})
		}
		a.ID = id
		a, err = st.UpdateAnnotation(ctx, a, who.User)
		if errors.Is(err, store.ErrNotFound) {
			return e.say(1, "cli.error.no_note", map[string]string{"cmd": "annotate edit", "id": strconv.FormatInt(id, 10)})
		}
		if err != nil {
			return fail(e, 1, "annotate edit: %v", err)
		}
		_ = svc.Record(ctx, who, "annotation.edit", detail(a))
		e.done("cli.done.note_edited", map[string]string{"id": strconv.FormatInt(a.ID, 10), "at": a.UpdatedAt.Format(time.RFC3339)})
		return 0
	case "delete":
		if len(pos) != 1 {
			return e.usage(annotateUsage)
		}
		id, err := strconv.ParseInt(pos[0], 10, 64)
		if err != nil {
			return e.say(2, "cli.usage.not_note", map[string]string{"cmd": "annotate delete", "value": pos[0]})
		}
		a, err := st.DeleteAnnotation(ctx, id)
		if errors.Is(err, store.ErrNotFound) {
			return e.say(1, "cli.error.no_note", map[string]string{"cmd": "annotate delete", "id": strconv.FormatInt(id, 10)})
		}
		if err != nil {
			return fail(e, 1, "annotate delete: %v", err)
		}
		_ = svc.Record(ctx, who, "annotation.delete", detail(a))
		e.done("cli.done.note_deleted", map[string]string{"id": strconv.FormatInt(id, 10)})
		return 0
	}
	return e.usage(annotateUsage)
}
