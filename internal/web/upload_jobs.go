package web

import (
	"context"
	"fmt"

	"postdash/internal/auth"
	"postdash/internal/importer"
)

// drainJobs ends a shutdown: running imports get importer.DrainTimeout to finish.
func (s *Server) drainJobs() {
	if n := s.jobs.Running(); n > 0 {
		s.log.Info("shutdown: waiting for background imports", "jobs", n, "at_most", importer.DrainTimeout)
	}
	switch n := s.jobs.Drain(importer.DrainTimeout); {
	case n > 0:
		s.log.Warn("shutdown: cancelled background imports; they are recorded as failed", "jobs", n)
	case n < 0:
		s.log.Error("shutdown: background imports did not end when cancelled")
	}
}

// recorder writes an import's outcome to the audit log as who.
func (a *accounts) recorder(who auth.Actor) importer.Recorder {
	return func(ctx context.Context, out importer.Outcome) {
		action := auth.ActImport
		switch out.Status {
		case importer.StatusDryRun:
			action = auth.ActImportDryRun
		case importer.StatusRejected, importer.StatusRefused, importer.StatusDuplicate:
			action = auth.ActImportRefused
		}
		detail := fmt.Sprintf("%s: %s, %d rows, %d facts, %d errors", out.File, out.Status, out.Rows, out.Facts, out.ErrorCount)
		if out.Batch != 0 {
			detail += fmt.Sprintf(", batch %d", out.Batch)
		}
		detail += ", sha256 " + out.SHA256
		_ = a.auth.Record(ctx, who, action, detail)
	}
}

// upload is what the importer takes of a received file.
func (rec *received) upload(user string, p importer.JobParams, record importer.Recorder) importer.Upload {
	return importer.Upload{Path: rec.Path, Name: rec.Name, SHA256: rec.SHA256, Size: rec.Size, Remove: rec.remove,
		User: user, Params: p, Record: record}
}
