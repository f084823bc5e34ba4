package sheet

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
)

// writeFile writes b to a file called name in a temporary directory.
func writeFile(t testing.TB, name string, b []byte) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func readBytes(t testing.TB, name string, b []byte) (*Result, error) {
	t.Helper()
	return ReadFile(context.Background(), writeFile(t, name, b), name, Options{Now: testNow})
}

func TestCSVEncodingsAndDelimiters(t *testing.T) {
	const ru = "Период;Посылки, шт;Вес, кг\n2025-03;1 234;12,5\n"
	cp1251, err := charmap.Windows1251.NewEncoder().String(ru)
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		content string
	}{
		{"utf8 semicolon", ru},
		{"utf8 with BOM and CRLF", "\ufeffПериод;Посылки, шт;Вес, кг\r\n2025-03;1 234;12,5\r\n"},
		{"windows-1251", cp1251},
		{"comma with quoted decimal commas", "Период,\"Посылки, шт\",\"Вес, кг\"\n2025-03,1234,\"12,5\"\n"},
		{"tab", "Период\tПосылки, шт\tВес, кг\n2025-03\t1 234\t12,5\n"},
		{"title line and blank lines", "Отчёт\n\nПериод;Посылки, шт;Вес, кг\n2025-03;1 234;12,5\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := readBytes(t, "data.csv", []byte(tt.content))
			if err != nil {
				t.Fatal(err)
			}
			want := lines("2025-03 unspecified - parcel - items=1234 kg=12.5")
			if got := factLines(res.Facts); got != want {
				t.Errorf("facts:\n%s\nwant:\n%s", got, want)
			}
			if res.Sheets[0].Name != "data" || res.Sheets[0].Columns[0].Header != "Период" {
				t.Errorf("sheet %+v", res.Sheets[0])
			}
		})
	}
}

func TestSingleByteCharset(t *testing.T) {
	ru, _ := charmap.Windows1251.NewEncoder().String("Посылки из Китая;Вес")
	fr, _ := charmap.Windows1252.NewEncoder().String("Date opération;Libellé;Référence")
	if singleByteCharset([]byte(ru)) != charmap.Windows1251 || singleByteCharset([]byte(fr)) != charmap.Windows1252 {
		t.Error("charset not detected")
	}
}

func TestDetectDelimiter(t *testing.T) {
	tests := []struct {
		text string
		want rune
	}{
		{"a;b;c\n1,5;2,5;3,5\n4,5;5;6\n", ';'},
		{"a,b,c\n1,2,3\n", ','},
		{"a\tb\n1,5\t2\n", '\t'},
		{"\"a;x\",b,c\n1,2,3\n", ','},
	}
	for _, tt := range tests {
		if got := detectDelimiter([]byte(tt.text)); got != tt.want {
			t.Errorf("detectDelimiter(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func FuzzReadCSV(f *testing.F) {
	f.Add([]byte("Period;Parcels, pcs\n2025-03;12\n"))
	f.Add([]byte("Период,\"Посылки, шт\"\n03.2025,\"1 234\"\nИтого,1234\n"))
	f.Add([]byte("\ufeffMonth\tLetters inbound, kg\tLetters outbound, kg\n2025-01\t1,5\t-\n"))
	f.Add([]byte("Год;Месяц;EMS, кг\n2025;март;12,5 кг\n2025;13;x\n"))
	f.Add([]byte("\"unterminated;quote\nPeriod;Items\n"))
	addHostileSeeds(f, ".csv")
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 1<<16 {
			return
		}
		fuzzReadFile(t, b, "f.csv", Options{Now: testNow})
	})
}

// fuzzReadFile imports content as a file named name and checks what every
// input must end in: a result with sound facts, or a refusal that is not a
// recovered panic.
func fuzzReadFile(t *testing.T, content []byte, name string, opts Options) {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, content, 0o600); err != nil {
		t.Fatal(err)
	}
	res, err := ReadFile(context.Background(), p, name, opts)
	if err != nil {
		re, ok := err.(*RefusedError)
		if !ok {
			t.Fatalf("error is not a refusal: %v", err)
		}
		if re.Key == keyRefusedInternal {
			t.Fatalf("internal error (a recovered panic): %s", re.Text)
		}
		return
	}
	for _, fct := range res.Facts {
		if !fct.HasItems && !fct.HasWeight || fct.Items < 0 || fct.WeightKg < 0 {
			t.Fatalf("bad fact %+v", fct)
		}
	}
	if res.ErrorCount < len(res.Errors) {
		t.Fatalf("ErrorCount %d < kept %d", res.ErrorCount, len(res.Errors))
	}
}

// Section 2: Windows-1251 has no ʻ, қ, ғ or ҳ, so Excel and LibreOffice
// save them as "?" in a CSV; the words must still be recognised.
func TestCSVWindows1251WithLostUzbekLetters(t *testing.T) {
	tests := []struct{ name, content string }{
		{"uz-Latn", "Sana;Yo?nalish;Hamkor;Toifa;Soni;Og?irlik, kg\n2025-01;chiqish;Xitoy;posilkalar;3;1,5\n"},
		{"uz-Cyrl", "Ой;Посилкалар, дона чи?увчи;?амкор\n2025-01;3;Латвия\nЖами;3;\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := charmap.Windows1251.NewEncoder().String(tt.content)
			if err != nil {
				t.Fatal(err)
			}
			res, err := readBytes(t, "data.csv", []byte(b))
			if err != nil {
				t.Fatal(err)
			}
			got := factLines(res.Facts)
			if !strings.HasPrefix(got, "2025-01 outbound ") || !strings.Contains(got, " parcel - items=3") || res.ErrorCount != 0 {
				t.Errorf("facts:\n%s\nerrors %v", got, res.Errors)
			}
		})
	}
}
