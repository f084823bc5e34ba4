package e2e

import (
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"postdash/internal/i18n"
	"postdash/internal/web"
)

// browser starts a headless Chromium for one test; extra options (a window
// size, a language) are added to the common flags.
func browser(t *testing.T, exe string, listen func(any), extra ...chromedp.ExecAllocatorOption) (context.Context, context.CancelFunc) {
	t.Helper()
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
		chromedp.Flag("hide-scrollbars", true),
	}
	opts = append(opts, extra...)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	var copts []chromedp.ContextOption
	if listen != nil {
		copts = append(copts, chromedp.WithListener(listen))
	}
	ctx, cancelCtx := chromedp.NewContext(actx, copts...)
	ctx, cancelTimeout := context.WithTimeout(ctx, 120*time.Second)
	return ctx, func() { cancelTimeout(); cancelCtx(); cancelAlloc() }
}

// outDir is where screenshots go: POSTDASH_E2E_OUT, or a temporary folder.
func outDir(t *testing.T) string {
	out := os.Getenv("POSTDASH_E2E_OUT")
	if out == "" {
		out = t.TempDir()
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

// waitCharts waits until every chart of the page is drawn and returns how many.
func waitCharts(ctx context.Context) (int, error) {
	return chromedp.Run(ctx, chromedp.Poll[int](`(() => {
		const cs = [...document.querySelectorAll('.chart')];
		const drawn = cs.every(e => e.dataset.drawn === 'true' && e.querySelector('canvas') && e.querySelector('canvas').width > 0);
		return cs.length > 0 && drawn ? cs.length : 0;
	})()`, chromedp.WithPollingTimeout(30*time.Second)))
}

// emptyShare is the part of a page's height above its first and below its
// last row holding anything but white: how much of the page is empty.
func emptyShare(img image.Image) float64 {
	b := img.Bounds()
	inked := func(y int) bool {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if r < 0xF000 || g < 0xF000 || bl < 0xF000 {
				return true
			}
		}
		return false
	}
	top, bottom := b.Min.Y, b.Max.Y-1
	for top < b.Max.Y && !inked(top) {
		top++
	}
	for bottom > top && !inked(bottom) {
		bottom--
	}
	if top >= b.Max.Y {
		return 1
	}
	return float64(b.Dy()-(bottom-top+1)) / float64(b.Dy())
}

// TestBriefingPrints prints the briefing to PDF in each language, as the
// browser's "save as PDF" does, and turns each page into a PNG: the title
// names the period, the summary table is there, and no page is more than
// a third empty.
func TestBriefingPrints(t *testing.T) {
	exe := chromium(t)
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		if os.Getenv("POSTDASH_E2E") == "1" {
			t.Fatal("POSTDASH_E2E=1 but pdftoppm is missing (apt-get install poppler-utils)")
		}
		t.Skip("no pdftoppm")
	}
	ts := startServer(t, web.Config{Public: true, DefaultLang: i18n.UzLatn})
	out := outDir(t)
	bl := &browserLog{origin: ts.URL}
	ctx, cancel := browser(t, exe, bl.listen)
	defer cancel()
	titles := map[string]string{
		"en":      "Postal exchange Uzbekistan — China, January–June 2025",
		"ru":      "Почтовый обмен Узбекистан — Китай, январь–июнь 2025",
		"uz-Latn": "Oʻzbekiston — Xitoy pochta almashinuvi, 2025-yil yanvar–iyun",
		"uz-Cyrl": "Ўзбекистон — Хитой почта алмашинуви, 2025 йил январ–июн",
	}
	printed := func(t *testing.T, name string) {
		t.Helper()
		res, err := chromedp.Call(ctx, page.PrintToPDF, page.PrintToPDFParams{PrintBackground: new(true), PreferCSSPageSize: new(true)})
		if err != nil {
			t.Fatalf("print to PDF: %v", err)
		}
		pdf := filepath.Join(t.TempDir(), "printed.pdf")
		if err := os.WriteFile(pdf, res.Data, 0o644); err != nil {
			t.Fatal(err)
		}
		prefix := filepath.Join(out, name)
		if b, err := exec.Command("pdftoppm", "-r", "60", "-png", pdf, prefix).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, b)
		}
		pages, _ := filepath.Glob(prefix + "-*.png")
		sort.Strings(pages)
		if len(pages) == 0 || len(pages) > 3 {
			t.Fatalf("%d pages, want 1 to 3", len(pages))
		}
		var shares []string
		for _, p := range pages {
			f, err := os.Open(p)
			if err != nil {
				t.Fatal(err)
			}
			img, err := png.Decode(f)
			f.Close()
			if err != nil {
				t.Fatal(err)
			}
			if w, h := img.Bounds().Dx(), img.Bounds().Dy(); h < w {
				t.Errorf("%s is %d×%d: want A4 portrait", p, w, h)
			}
			e := emptyShare(img)
			shares = append(shares, fmt.Sprintf("%.0f %%", e*100))
			if e > 1.0/3 {
				t.Errorf("%s is %.0f %% empty: more than a third", filepath.Base(p), e*100)
			}
		}
		t.Logf("%s: %d pages, empty %s", name, len(pages), strings.Join(shares, ", "))
	}
	t.Run("overview", func(t *testing.T) {
		// Printing the dashboard itself (Ctrl+P) gives full pages too.
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(1200, 900), chromedp.Navigate(ts.URL+"/?lang=ru")); err != nil {
			t.Fatal(err)
		}
		if _, err := waitCharts(ctx); err != nil {
			t.Fatal(err)
		}
		printed(t, "overview-printed-ru")
	})
	for _, lang := range []string{"en", "ru", "uz-Latn", "uz-Cyrl"} {
		t.Run(lang, func(t *testing.T) {
			if err := chromedp.Do(ctx, chromedp.EmulateViewport(900, 1200), chromedp.Navigate(ts.URL+"/briefing?lang="+lang)); err != nil {
				t.Fatal(err)
			}
			n, err := waitCharts(ctx)
			if err != nil || n != 6 {
				t.Fatalf("%d charts drawn (%v), want 6", n, err)
			}
			title, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.getElementById('briefing-title').textContent`))
			if err != nil || title != titles[lang] {
				t.Errorf("title %q (%v), want %q", title, err, titles[lang])
			}
			rows, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll('#summary tbody tr').length`))
			if err != nil || rows != 4 {
				t.Errorf("summary has %d rows (%v), want 4", rows, err)
			}
			labels, err := chromedp.Run(ctx, chromedp.Evaluate[int](`[...document.querySelectorAll('.chart')].filter(el => {
				const o = echarts.getInstanceByDom(el).getOption();
				return (o.series || []).some(s => s.type === 'bar' && s.label && s.label.show);
			}).length`))
			if err != nil || labels < 4 {
				t.Errorf("%d charts with value labels on their bars (%v), want the 4 bar charts of months", labels, err)
			}
			printed(t, "briefing-"+lang)
		})
	}
	bl.mu.Lock()
	defer bl.mu.Unlock()
	if len(bl.errors) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(bl.errors, "\n"))
	}
	if len(bl.foreign) > 0 {
		t.Errorf("requests to other origins:\n%s", strings.Join(bl.foreign, "\n"))
	}
}
