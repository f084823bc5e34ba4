package importer

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"postdash/internal/sheet"
)

// ErrNoTable is returned for choices about a table the preview does not have.
var ErrNoTable = &Error{Key: "map.no_table", Text: "no such table in the preview"}

// choices are the mappings the analyst chose in the job's preview, named
// as such for the outcome.
func (p JobParams) choices() []sheet.Mapping {
	out := make([]sheet.Mapping, len(p.Choices))
	for i, m := range p.Choices {
		m.Source = "preview"
		out[i] = m
	}
	return out
}

// Mapping types, for the callers that do not read sheets themselves.
type (
	Mapping      = sheet.Mapping
	ColumnChoice = sheet.ColumnChoice
	RowChoice    = sheet.RowChoice
	MappingRef   = sheet.MappingRef
	MappingError = sheet.MappingError
)

// The meanings and units a choice may give.
var (
	ChoiceMeanings = sheet.ChoiceMeanings
	MappingUnits   = sheet.MappingUnits
	RowMeanings    = sheet.RowMeanings
)

// ParseMapping reads a mapping's JSON; source names it in the outcome when
// it is not a saved one (a file's name).
func ParseMapping(b []byte, source string) (Mapping, error) {
	m, err := sheet.ParseMapping(b)
	if err != nil {
		return Mapping{}, err
	}
	if m.ID == 0 {
		m.Source = source
	}
	return *m, nil
}

// Remap reads a previewed job's file again with the analyst's choice for
// one column (its header cell) of one table of its preview (sheet si,
// table ti), in the same job: no second upload. The choice replaces the
// one made for that column before; a choice with no meaning clears it.
// The job reads again (JobParsing), then shows a new preview.
func (j *Jobs) Remap(ctx context.Context, job Job, si, ti int, cell string, choice ColumnChoice) error {
	var prev JobResult
	if job.State != JobReady || json.Unmarshal(job.Result, &prev) != nil || prev.Outcome.Status != StatusDryRun && prev.Outcome.Status != StatusRejected {
		return ErrNotConfirmable
	}
	if si < 0 || si >= len(prev.Outcome.Sheets) || ti < 0 || ti >= len(prev.Outcome.Sheets[si].Tables) {
		return ErrNoTable
	}
	table := prev.Outcome.Sheets[si].Tables[ti]
	m := sheet.Mapping{Format: sheet.MappingFormat, Version: sheet.MappingVersion}
	if table.Layout == sheet.LayoutAcross {
		return j.remapRow(ctx, job, table, cell, choice)
	}
	for _, c := range table.Columns {
		if c.Header != "" {
			m.Header = append(m.Header, c.Header)
		}
		if c.Cell == cell {
			choice.Header, choice.Column = c.Header, strings.TrimRight(c.Cell, "0123456789")
		}
	}
	if choice.Header == "" {
		return ErrNoTable // no column of that cell, or one with no header text
	}
	var p JobParams
	_ = json.Unmarshal(job.Params, &p)
	kept := p.Choices[:0]
	for _, old := range p.Choices {
		if old.Key() == m.Key() {
			m.Columns = old.Columns // the choices made before for this table
		} else {
			kept = append(kept, old)
		}
	}
	p.Choices = kept
	if m.Columns == nil && table.Mapping != nil && table.Mapping.ID != 0 {
		// The table read with a saved mapping: the new choice adds to it.
		if saved, err := j.imp.Mapping(ctx, table.Mapping.ID); err == nil {
			m.Columns = saved.Columns
		}
	}
	cols := m.Columns[:0:0]
	for _, c := range m.Columns {
		if sheet.HeaderKey([]string{c.Header}) != sheet.HeaderKey([]string{choice.Header}) {
			cols = append(cols, c)
		}
	}
	if choice.Meaning != "" {
		cols = append(cols, choice)
	}
	m.Columns = cols
	if len(m.Columns) > 0 {
		if err := m.Check(); err != nil {
			return err
		}
		p.Choices = append(p.Choices, m)
	}
	return j.reread(ctx, job, p)
}

// remapRow is Remap for a stub row (its label cell) of a months-across
// table: the choice names the row by its label, and the mapping is keyed
// by the table's header texts other than its months.
func (j *Jobs) remapRow(ctx context.Context, job Job, table sheet.Table, cell string, choice ColumnChoice) error {
	m := sheet.Mapping{Format: sheet.MappingFormat, Version: sheet.MappingVersion, Layout: sheet.LayoutAcross, Header: table.MapHeader}
	rc := sheet.RowChoice{Meaning: choice.Meaning, Category: choice.Category, Direction: choice.Direction, Partner: choice.Partner,
		Marketplace: choice.Marketplace, Unit: choice.Unit, Multiplier: choice.Multiplier}
	for _, c := range table.Columns {
		if c.Cell == cell && c.Row > 0 {
			rc.Label, rc.Row = c.Header, c.Row
		}
	}
	if rc.Label == "" || len(m.Header) == 0 {
		return ErrNoTable // no stub row of that cell
	}
	var p JobParams
	_ = json.Unmarshal(job.Params, &p)
	kept := p.Choices[:0]
	for _, old := range p.Choices {
		if old.Key() == m.Key() {
			m.Rows = old.Rows // the choices made before for this table
		} else {
			kept = append(kept, old)
		}
	}
	p.Choices = kept
	if m.Rows == nil && table.Mapping != nil && table.Mapping.ID != 0 {
		if saved, err := j.imp.Mapping(ctx, table.Mapping.ID); err == nil {
			m.Rows = saved.Rows
		}
	}
	rows := m.Rows[:0:0]
	for _, r := range m.Rows {
		if sheet.HeaderKey([]string{r.Label}) != sheet.HeaderKey([]string{rc.Label}) {
			rows = append(rows, r)
		}
	}
	if rc.Meaning != "" {
		rows = append(rows, rc)
	}
	m.Rows = rows
	if len(m.Rows) > 0 {
		if err := m.Check(); err != nil {
			return err
		}
		p.Choices = append(p.Choices, m)
	}
	return j.reread(ctx, job, p)
}

// reread reads the job's file again with its new params, for a new preview.
func (j *Jobs) reread(ctx context.Context, job Job, p JobParams) error {
	params, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("job params: %w", err)
	}
	turn, err := j.gate.Enter(job.User)
	if err != nil {
		return err
	}
	up, err := j.fetchFile(ctx, job.SHA256, job.FileName)
	if err != nil {
		turn.Leave()
		return fmt.Errorf("%w: remap: %w", ErrStorage, err)
	}
	switched, err := j.st.SwitchJobParams(ctx, job.ID, JobReady, JobParsing, params)
	if err != nil || !switched {
		up.remove()
		turn.Leave()
		if err != nil {
			return fmt.Errorf("remap: %w", err)
		}
		return ErrNotConfirmable
	}
	if err := j.st.DropStaged(ctx, job.ID); err != nil {
		j.log.WarnContext(ctx, "drop the preview read before the choices", "job", job.ID, "err", err)
	}
	j.start(run{job: job, up: up, params: p, dryRun: true, turn: turn})
	return nil
}

// saveChoices saves, once the job committed, the choices made in its
// preview as mappings, so later files of the same form read the same; the
// outcome then names the first of them.
func (j *Jobs) saveChoices(ctx context.Context, job Job, p JobParams, out *Outcome) {
	for i, m := range p.Choices {
		saved, err := j.imp.SaveMapping(ctx, m, Actor{User: job.User}, ActMappingSave)
		if err != nil {
			j.log.ErrorContext(ctx, "save the preview's choices as a mapping", "job", job.ID, "err", err)
			continue
		}
		if i == 0 {
			out.Mapping = saved.Ref()
		}
	}
}
