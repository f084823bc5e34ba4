package web

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"postdash/internal/i18n"
	"postdash/internal/importer"
	"postdash/internal/sheet"
	"postdash/internal/store"
)

// slowDisk is a store whose originals start being stored only once release
// is closed or the caller's context ends (then the store is asked with the
// ended context): started is closed when the first one is asked for, and
// ended gets what each PutFile answered. (The wait is before the store's
// transaction, which holds SQLite's write lock.)
type slowDisk struct {
	store.Store
	once    sync.Once
	started chan struct{}
	release chan struct{}
	ended   chan error
}

// slowDiskServer is a server over env's database whose store is a
// slowDisk, and that store.
func slowDiskServer(t *testing.T, env *authEnv) (*Server, *slowDisk) {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	st := &slowDisk{Store: env.st, started: make(chan struct{}), release: make(chan struct{}), ended: make(chan error, 4)}
	s, err := New(Config{DefaultLang: i18n.EN}, st, importer.New(st, sheet.Limits{}, nil), cat)
	if err != nil {
		t.Fatal(err)
	}
	return s, st
}

func (s *slowDisk) PutFile(ctx context.Context, sha, name string, r io.Reader) error {
	s.once.Do(func() { close(s.started) })
	select {
	case <-s.release:
	case <-ctx.Done():
	}
	err := s.Store.PutFile(ctx, sha, name, r)
	s.ended <- err
	return err
}

// TestUploadCancelledWhileStoringLeavesNothing: an analyst who cancels an
// upload while its original is still being stored finds it cancelled, and
// nothing of it stays: not the original, not a staged preview, not a
// temporary file; whether the instance storing it is the one that took the
// cancel (the storing stops) or another (the stored copy is dropped).
func TestUploadCancelledWhileStoringLeavesNothing(t *testing.T) {
	for _, where := range []string{"same instance", "other instance"} {
		t.Run(where, func(t *testing.T) {
			env := newAuthEnv(t, false, sheet.Limits{})
			s, st := slowDiskServer(t, env)
			other := env.h // an instance over the same database that does not store this file
			env.h, env.srv = s.Handler(), s
			ali := env.login("ali")
			content := workbook(t, row{"2025-01", "inbound", "", "letter_post", 1, 2})
			sum := sha256.Sum256(content)
			sha := hex.EncodeToString(sum[:])
			id := ali.uploadPage("a.xlsx", content)
			select {
			case <-st.started:
			case <-time.After(30 * time.Second):
				t.Fatal("the original was never stored")
			}
			if where == "other instance" {
				env.h = other
			}
			if rec := ali.post("/upload/"+id+"/cancel", nil); rec.Code != http.StatusSeeOther {
				t.Fatalf("cancel while storing: %d %s", rec.Code, rec.Body)
			}
			if where == "other instance" {
				close(st.release) // the storing instance does not know: it stores the file
			}
			select {
			case err := <-st.ended:
				if where == "same instance" && err == nil {
					t.Error("the original was stored in full after the cancel")
				}
			case <-time.After(30 * time.Second):
				t.Fatal("storing the original did not end after the cancel")
			}
			env.h = s.Handler()
			if p := ali.waitJob(id); p.State != importer.JobCancelled {
				t.Fatalf("job %s after the cancel, want cancelled", p.State)
			}
			// The job's goroutine drops what it left once its read ends;
			// wait for it (Drain) before looking.
			if n := s.jobs.Drain(30 * time.Second); n != 0 {
				t.Fatalf("the job did not end: %d", n)
			}
			if page := ali.get("/upload/" + id).Body.String(); !strings.Contains(page, `id="job-cancelled"`) {
				t.Error("the job's page does not say it was cancelled")
			}
			if _, _, _, err := env.st.OpenFile(context.Background(), sha); !errors.Is(err, store.ErrNotFound) {
				t.Errorf("the original of the cancelled upload is stored: %v", err)
			}
			if n := stagedParts(t, env, id); n != 0 {
				t.Errorf("%d staged parts left by the cancelled upload", n)
			}
			if n := env.batchCount(); n != 0 {
				t.Errorf("%d batches after a cancelled upload", n)
			}
			noTempFiles(t)
		})
	}
}

// TestProgressWaitAnswersWhenDone: a progress poll with wait=true, as the
// job's page sends it, answers the job's progress while it reads (the
// original not yet stored, the job is not ready) and that it is done once
// it is.
func TestProgressWaitAnswersWhenDone(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	s, st := slowDiskServer(t, env)
	env.h, env.srv = s.Handler(), s
	ali := env.login("ali")
	id := ali.uploadPage("a.xlsx", workbook(t, row{"2025-01", "inbound", "", "letter_post", 1, 2}))
	<-st.started
	poll := func() importer.Progress {
		rec := ali.get("/upload/" + id + "/progress?wait=true")
		var p importer.Progress
		if rec.Code != http.StatusOK || jsonDecode(rec.Body, &p) != nil {
			t.Fatalf("progress?wait=true: %d %s", rec.Code, rec.Body)
		}
		return p
	}
	if p := poll(); p.Done || p.State != importer.JobParsing {
		t.Fatalf("while its original is stored the job is %+v, want reading", p)
	}
	close(st.release)
	for range 60 {
		if p := poll(); p.Done {
			if p.State != importer.JobReady {
				t.Fatalf("done as %q, want ready", p.State)
			}
			return
		}
	}
	t.Fatal("the job was not done after 60 held polls")
}

// TestSameFileCancelledTwiceLeavesNothing: the same file uploaded and
// cancelled twice while it is read (each time on another instance than the
// one storing it, so the stored copy must be dropped) leaves no original:
// the first cancelled job does not keep the second's copy; and cancelling
// a ready preview drops its original too.
func TestSameFileCancelledTwiceLeavesNothing(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	s, st := slowDiskServer(t, env)
	other := env.h
	ali := env.login("ali")
	content := workbook(t, row{"2025-01", "inbound", "", "letter_post", 1, 2})
	sum := sha256.Sum256(content)
	sha := hex.EncodeToString(sum[:])
	for round := range 2 {
		st.once, st.started, st.release = sync.Once{}, make(chan struct{}), make(chan struct{})
		env.h = s.Handler()
		id := ali.uploadPage("a.xlsx", content)
		<-st.started
		env.h = other
		if rec := ali.post("/upload/"+id+"/cancel", nil); rec.Code != http.StatusSeeOther {
			t.Fatalf("round %d: cancel while storing: %d %s", round, rec.Code, rec.Body)
		}
		close(st.release)
		if err := <-st.ended; err != nil {
			t.Fatalf("round %d: store: %v", round, err)
		}
		if n := s.jobs.Drain(30 * time.Second); n != 0 {
			t.Fatalf("round %d: the job did not end: %d", round, n)
		}
		if _, _, _, err := env.st.OpenFile(context.Background(), sha); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("round %d: the original of the cancelled upload is stored: %v", round, err)
		}
	}
	// A ready preview cancelled: its original goes too.
	id := ali.uploadPage("a.xlsx", content)
	if p := ali.waitJob(id); p.State != importer.JobReady {
		t.Fatalf("job %s, want ready", p.State)
	}
	if rec := ali.post("/upload/"+id+"/cancel", nil); rec.Code != http.StatusSeeOther {
		t.Fatalf("cancel a preview: %d %s", rec.Code, rec.Body)
	}
	if _, _, _, err := env.st.OpenFile(context.Background(), sha); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the original of a cancelled preview is stored: %v", err)
	}
	noTempFiles(t)
}

// TestReadingPageOffersCancel: the page of an upload still being read
// offers a Cancel form (with the session's CSRF token, in the page's
// language); posting it cancels the job, and nothing of it stays.
func TestReadingPageOffersCancel(t *testing.T) {
	env := newAuthEnv(t, false, sheet.Limits{})
	s, st := slowDiskServer(t, env)
	env.h, env.srv = s.Handler(), s
	ali := env.login("ali")
	content := workbook(t, row{"2025-01", "inbound", "", "letter_post", 1, 2})
	sum := sha256.Sum256(content)
	id := ali.uploadPage("a.xlsx", content)
	<-st.started
	page := ali.get("/upload/" + id).Body.String()
	form := regexp.MustCompile(`<form[^>]*action="(/upload/[^"]+/cancel)"><input type="hidden" name="csrf" value="([^"]+)"><button type="submit" id="job-cancel">Cancel</button>`).FindStringSubmatch(page)
	if !strings.Contains(page, `id="job-progress"`) || form == nil {
		t.Fatalf("the reading page offers no Cancel form:\n%s", page)
	}
	if form[1] != "/upload/"+id+"/cancel" || form[2] != ali.csrf {
		t.Fatalf("cancel form posts to %s with token %q, want /upload/%s/cancel with the session's", form[1], form[2], id)
	}
	if rec := ali.post(form[1], url.Values{"csrf": {form[2]}}); rec.Code != http.StatusSeeOther {
		t.Fatalf("cancel from the reading page: %d %s", rec.Code, rec.Body)
	}
	<-st.ended
	if n := s.jobs.Drain(30 * time.Second); n != 0 {
		t.Fatalf("the job did not end: %d", n)
	}
	if page := ali.get("/upload/" + id).Body.String(); !strings.Contains(page, `id="job-cancelled"`) {
		t.Error("the job's page does not say it was cancelled")
	}
	if _, _, _, err := env.st.OpenFile(context.Background(), hex.EncodeToString(sum[:])); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the original of the cancelled upload is stored: %v", err)
	}
	noTempFiles(t)
}
