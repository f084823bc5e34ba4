package e2e

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"postdash/internal/auth"
	"postdash/internal/i18n"
	"postdash/internal/importer"
	"postdash/internal/sheet"
	"postdash/internal/store"
	"postdash/internal/web"
)

// chromium finds the browser, or skips (fails when POSTDASH_E2E=1).
func chromium(t *testing.T) string {
	t.Helper()
	candidates := []string{os.Getenv("POSTDASH_CHROMIUM"), "chromium", "chromium-browser", "google-chrome", "/usr/bin/chromium"}
	for _, c := range candidates {
		if c == "" {
			continue
		}
		if p, err := exec.LookPath(c); err == nil {
			return p
		}
	}
	if os.Getenv("POSTDASH_E2E") == "1" {
		t.Fatal("POSTDASH_E2E=1 but no Chromium found (looked for chromium, chromium-browser, google-chrome; set POSTDASH_CHROMIUM)")
	}
	t.Skip("no Chromium found: install Debian's chromium (or set POSTDASH_CHROMIUM) to run the browser test; CI sets POSTDASH_E2E=1 to require it")
	return ""
}

// startServer serves the dashboard, configured by cfg, on a free port of
// 127.0.0.1 with a fresh SQLite database holding the sample workbook and an
// analyst account, password "analyst-password", for each name in analysts.
func startServer(t *testing.T, cfg web.Config, analysts ...string) *httptest.Server {
	t.Helper()
	ctx := context.Background()
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	st, err := store.Open(ctx, filepath.Join(t.TempDir(), "e2e.db"))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() { st.Close() })
	imp := importer.New(st, sheet.Limits{}, logger)
	if err := web.EnsureSample(ctx, st, imp, logger); err != nil {
		t.Fatalf("import sample: %v", err)
	}
	svc, err := auth.New(st, auth.Config{}, logger)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range analysts {
		if _, _, err := svc.CreateUser(ctx, name, auth.Analyst, "analyst-password", auth.Actor{User: "e2e"}); err != nil {
			t.Fatal(err)
		}
	}
	cat, err := i18n.Load()
	if err != nil {
		t.Fatalf("catalogs: %v", err)
	}
	cfg.Logger = logger
	srv, err := web.New(cfg, st, imp, cat)
	if err != nil {
		t.Fatalf("new server: %v", err)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	ts := &httptest.Server{Listener: l, Config: &http.Server{Handler: srv.Handler()}}
	ts.Start()
	t.Cleanup(ts.Close)
	return ts
}

// browserLog collects what the page must never do.
type browserLog struct {
	mu       sync.Mutex
	origin   string
	errors   []string
	foreign  []string
	requests int
}

func (b *browserLog) listen(ev any) {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch ev := ev.(type) {
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			var parts []string
			for _, a := range ev.Args {
				parts = append(parts, string(a.Value)+a.Description)
			}
			b.errors = append(b.errors, "console."+string(ev.Type)+": "+strings.Join(parts, " "))
		}
	case *runtime.EventExceptionThrown:
		d := ev.ExceptionDetails
		text := d.Text
		if d.Exception != nil {
			text += " " + d.Exception.Description
		}
		b.errors = append(b.errors, "exception: "+text)
	case *log.EventEntryAdded:
		if ev.Entry.Level == log.EntryLevelError {
			b.errors = append(b.errors, "log: "+ev.Entry.Text+" "+ev.Entry.URL)
		}
	case *network.EventRequestWillBeSent:
		b.requests++
		u, err := url.Parse(ev.Request.URL)
		if err != nil || (u.Scheme != "data" && u.Scheme != "blob" && u.Scheme+"://"+u.Host != b.origin) {
			b.foreign = append(b.foreign, ev.Request.URL)
		}
	}
}

func TestOverviewInBrowser(t *testing.T) {
	exe := chromium(t)
	ts := startServer(t, web.Config{Public: true, DefaultLang: i18n.UzLatn})
	out := os.Getenv("POSTDASH_E2E_OUT")
	if out == "" {
		out = t.TempDir()
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	bl := &browserLog{origin: ts.URL}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(exe),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("hide-scrollbars", true), // as on a phone: the page gets the full width
	}
	actx, cancel := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(bl.listen))
	defer cancel()
	ctx, cancel = context.WithTimeout(ctx, 90*time.Second)
	defer cancel()

	views := []struct {
		name, lang    string
		width, height int64
		want          []string // text the KPI cards must show
	}{
		{"en-laptop", "en", 1366, 900, []string{"3,085\u00a0kg", "6,014", "226.5"}},
		{"uz-Cyrl-laptop", "uz-Cyrl", 1366, 900, []string{"3\u00a0085", "6\u00a0014", "226,5"}},
		{"ru-laptop", "ru", 1366, 900, []string{"3\u00a0085", "6\u00a0014", "226,5"}},
		{"uz-Latn-laptop", "uz-Latn", 1366, 900, []string{"3\u00a0085", "6\u00a0014", "226,5"}},
		{"en-phone", "en", 390, 844, []string{"3,085\u00a0kg"}},
		{"uz-Cyrl-phone", "uz-Cyrl", 390, 844, []string{"3\u00a0085"}},
	}
	for _, v := range views {
		t.Run(v.name, func(t *testing.T) {
			if err := chromedp.Do(ctx,
				chromedp.EmulateViewport(v.width, v.height),
				chromedp.Navigate(ts.URL+"/?lang="+v.lang),
			); err != nil {
				t.Fatalf("navigate: %v", err)
			}
			n, err := chromedp.Run(ctx, chromedp.Poll[int](`(() => {
				const cs = [...document.querySelectorAll('.chart')];
				const drawn = cs.every(e => e.dataset.drawn === 'true' && e.querySelector('canvas') && e.querySelector('canvas').width > 0);
				return cs.length > 0 && drawn ? cs.length : 0;
			})()`, chromedp.WithPollingTimeout(30*time.Second)))
			if err != nil {
				t.Fatalf("charts did not draw: %v", err)
			}
			if n != 7 {
				t.Errorf("%d charts drawn, want 7", n)
			}
			lang, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.lang`))
			if err != nil || lang != v.lang {
				t.Errorf("<html lang> = %q (%v), want %q", lang, err, v.lang)
			}
			kpis, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.kpis').innerText`))
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range v.want {
				if !strings.Contains(kpis, w) {
					t.Errorf("KPI cards lack %q:\n%s", w, kpis)
				}
			}
			// Words in the other script, outside the language switcher and the
			// sources (file and sheet names are the analysts' own).
			foreign, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
				const body = document.body.cloneNode(true);
				body.querySelectorAll('.langs, .sources, script').forEach(e => e.remove());
				const cyrillic = ['ru', 'uz-Cyrl'].includes(document.documentElement.lang);
				const names = /AliExpress|Temu|Shein|EMS|postdash|Excel|CSV|PDF|UTC/g;
				const text = body.textContent.replace(names, ' ');
				const words = text.match(cyrillic ? /[A-Za-z]+/g : /[\u0400-\u04FF]+/g) || [];
				return [...new Set(words)].join(' ');
			})()`))
			if err != nil || foreign != "" {
				t.Errorf("words in the other script: %q (%v)", foreign, err)
			}
			wide, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
				const d = document.documentElement;
				if (d.scrollWidth <= d.clientWidth) return '';
				const over = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > d.clientWidth + 0.5).slice(0, 5);
				return d.scrollWidth + ' > ' + d.clientWidth + ': ' + over.map(e => e.tagName + '.' + e.className).join(', ');
			})()`))
			if err != nil || wide != "" {
				t.Errorf("page scrolls sideways at %d px: %s (%v)", v.width, wide, err)
			}
			// The balance's category labels keep their lines: an ECharts
			// "break" would split the ratio at its decimal comma ("1" / ",48").
			overflow, err := chromedp.Run(ctx, chromedp.Evaluate[string](`String(echarts.getInstanceByDom(document.getElementById('chart-balance')).getOption().yAxis[0].axisLabel.overflow)`))
			if err != nil || overflow == "break" || overflow == "breakAll" {
				t.Errorf("balance labels overflow %q (%v): the ratio may break at its decimal comma", overflow, err)
			}
			if v.width < 600 {
				// On a phone the first screen shows figures, not only the
				// filters, and the sources table fits the width.
				top, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`document.getElementById('kpi-letters').getBoundingClientRect().top + window.scrollY`))
				if err != nil || top > float64(v.height)*0.75 {
					t.Errorf("the first KPI starts at %.0f px of a %d px screen (%v)", top, v.height, err)
				}
				cut, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
					const s = document.querySelector('section.sources .scroll');
					return s && s.scrollWidth > s.clientWidth + 1 ? s.scrollWidth + ' > ' + s.clientWidth : '';
				})()`))
				if err != nil || cut != "" {
					t.Errorf("the sources table is cut on a phone: %s (%v)", cut, err)
				}
			}
			png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if err != nil {
				t.Fatalf("screenshot: %v", err)
			}
			path := filepath.Join(out, fmt.Sprintf("overview-%s.png", v.name))
			if err := os.WriteFile(path, png, 0o644); err != nil {
				t.Fatal(err)
			}
			t.Logf("screenshot: %s", path)
		})
	}
	t.Run("print-A4", func(t *testing.T) {
		// 210 mm × 297 mm at 96 dpi, with the print stylesheet applied.
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(794, 1123), chromedp.Navigate(ts.URL+"/?lang=en")); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: "print"}); err != nil {
			t.Fatalf("emulate print: %v", err)
		}
		hidden, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
			window.dispatchEvent(new Event('beforeprint'));
			return getComputedStyle(document.querySelector('form.filters')).display === 'none';
		})()`))
		if err != nil || !hidden {
			t.Errorf("print stylesheet does not hide the filter form (%v)", err)
		}
		title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('h1')].filter(h => getComputedStyle(h).display !== 'none').map(h => h.textContent).join(' | ')`))
		if err != nil || title != "Postal exchange Uzbekistan — China, January–June 2025" {
			t.Errorf("printed title %q (%v): want what and which period", title, err)
		}
		tools, err := chromedp.Run(ctx, chromedp.Evaluate[string](`[...document.querySelectorAll('.chart')].map(el => {
			const o = echarts.getInstanceByDom(el).getOption();
			const shown = (o.toolbox || []).some(t => t.show !== false) || (o.dataZoom || []).some(d => d.type === 'slider' && d.show !== false);
			return shown ? el.id : '';
		}).filter(Boolean).join(' ')`))
		if err != nil || tools != "" {
			t.Errorf("charts printed with their toolbox or zoom slider: %q (%v)", tools, err)
		}
		// Printed bars carry their values; month labels of two lines have room.
		unlabelled, err := chromedp.Run(ctx, chromedp.Evaluate[string](`['chart-letters', 'chart-registered', 'chart-tonnage', 'chart-yoy'].filter(id => {
			const o = echarts.getInstanceByDom(document.getElementById(id)).getOption();
			return !o.series.every(s => s.label && s.label.show);
		}).join(' ')`))
		if err != nil || unlabelled != "" {
			t.Errorf("printed bars without value labels: %q (%v)", unlabelled, err)
		}
		lh, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`echarts.getInstanceByDom(document.getElementById('chart-letters')).getOption().xAxis[0].axisLabel.lineHeight || 0`))
		if err != nil || lh < 12 {
			t.Errorf("month labels' line height %v (%v): Jan and 2025 overlap", lh, err)
		}
		if err := chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot: %v", err)
		}
		path := filepath.Join(out, "overview-print-a4.png")
		if err := os.WriteFile(path, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", path)
	})
	// Let late requests and log entries (the favicon) arrive before judging.
	if err := chromedp.Do(ctx, chromedp.Sleep(300*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	bl.mu.Lock()
	defer bl.mu.Unlock()
	if len(bl.errors) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(bl.errors, "\n"))
	}
	if len(bl.foreign) > 0 {
		t.Errorf("requests to other origins:\n%s", strings.Join(bl.foreign, "\n"))
	}
	if bl.requests == 0 {
		t.Error("saw no request at all: the network listener is not working")
	}
	t.Logf("%d requests, all to %s", bl.requests, ts.URL)
}
