package sheet

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// zipOf builds a zip archive holding the named members.
func zipOf(t *testing.T, members map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for name, body := range members {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// cfbOf is the start of an OLE compound file: its header sector, then a
// directory sector whose one entry names the stream of an encrypted OOXML
// package or of a workbook (a UTF-16LE name, its length at offset 64).
func cfbOf(encrypted bool) []byte {
	b := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 1024-8)...)
	name := "Workbook"
	if encrypted {
		name = "EncryptedPackage"
	}
	entry := b[512:]
	for i, r := range name {
		entry[2*i] = byte(r)
	}
	binary.LittleEndian.PutUint16(entry[64:], uint16(2*len(name)+2))
	return b
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name, file string
		content    []byte
		key        string
		says       string
	}{
		{"empty file", "a.xlsx", nil, keyRefusedEmpty, "empty"},
		{"empty csv", "a.csv", nil, keyRefusedEmpty, "empty"},
		{"truncated xls", "a.xls", cfbOf(false), keyRefusedCorrupt, "damaged"},
		{"xls renamed to xlsx", "a.xlsx", cfbOf(false), keyRefusedXLS, "rename it to end in .xls"},
		{"excel 4 stream", "a.xls", []byte{0x09, 0x04, 0x06, 0x00, 0x00, 0x00, 0x10, 0x00}, keyRefusedOldExcel, "Excel 4.0 or earlier"},
		{"encrypted workbook", "a.xlsx", cfbOf(true), keyRefusedEncrypted, "remove the password"},
		{"ods", "a.ods", zipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet", "content.xml": "<x/>"}), keyRefusedBinary, "not a workbook"},
		{"ods renamed to xlsx", "a.xlsx", zipOf(t, map[string]string{"mimetype": "application/vnd.oasis.opendocument.spreadsheet"}), keyRefusedODS, "rename it to end in .ods"},
		{"xlsb", "a.xlsb", zipOf(t, map[string]string{"xl/workbook.bin": "x"}), keyRefusedXLSB, ".xlsb"},
		{"numbers", "a.numbers", zipOf(t, map[string]string{"Index/Document.iwa": "x"}), keyRefusedNumbers, "Numbers"},
		{"text named xlsx", "a.xlsx", []byte("Period,Items\n2025-01,1\n"), keyRefusedText, "plain text"},
		{"text named txt", "a.txt", []byte("Period,Items\n2025-01,1\n"), keyRefusedText, "save it from a spreadsheet program as .xlsx or .csv"},
		{"binary named csv", "a.csv", []byte{0, 1, 2, 3, 0xff, 0xfe, 0, 0}, keyRefusedBinary, "binary"},
		{"workbook named csv", "a.csv", zipOf(t, map[string]string{"xl/workbook.xml": "<x/>"}), keyRefusedRenamed, "rename it to end in .xlsx"},
		{"workbook named xls", "a.xls", zipOf(t, map[string]string{"xl/workbook.xml": "<x/>"}), keyRefusedRenamed, "rename it to end in .xlsx"},
		{"xls named csv", "a.csv", cfbOf(false), keyRefusedXLS, "rename it to end in .xls"},
		{"truncated zip named csv", "a.csv", zipOf(t, map[string]string{"xl/workbook.xml": strings.Repeat("x", 500)})[:60], keyRefusedCorrupt, "damaged"},
		{"zip named zip", "a.zip", zipOf(t, map[string]string{"a.txt": "x"}), keyRefusedZip, "unpack it"},
		{"xml named xml", "a.xml", []byte(`<?xml version="1.0"?><Workbook/>`), keyRefusedXML, "XML"},
		{"truncated zip", "a.xlsx", zipOf(t, map[string]string{"xl/workbook.xml": strings.Repeat("x", 500)})[:60], keyRefusedCorrupt, "damaged"},
		{"pdf", "a.pdf", []byte("%PDF-1.4 ..."), keyRefusedPDF, "PDF"},
		{"html named xls", "a.xls", []byte("<html><table><tr><td>1</td></tr></table></html>"), keyRefusedHTML, "web page"},
		{"json", "a.json", []byte(`{"a":1}`), keyRefusedText, ".xlsx or .csv"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := readBytes(t, tt.file, tt.content)
			re, ok := err.(*RefusedError)
			if !ok {
				t.Fatalf("want a refusal, got %v", err)
			}
			if re.Key != tt.key || !strings.Contains(re.Text, tt.says) || !strings.Contains(re.Text, "“"+tt.file+"”") {
				t.Errorf("refusal %s: %q; want %s saying %q", re.Key, re.Text, tt.key, tt.says)
			}
			if strings.Count(re.Text, ". ") > 1 {
				t.Errorf("refusal is more than one sentence: %q", re.Text)
			}
		})
	}
}

func TestNameWithoutExtensionIsReadByContent(t *testing.T) {
	res, err := readBytes(t, "upload", []byte("Period;Parcels, pcs\n2025-01;3\n"))
	if err != nil || len(res.Facts) != 1 {
		t.Fatalf("res %+v err %v", res, err)
	}
}

func TestFileOverLimitRefusedBeforeReading(t *testing.T) {
	p := filepath.Join(t.TempDir(), "big.csv")
	if err := os.WriteFile(p, []byte(strings.Repeat("Period;Items\n", 100)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := ReadFile(t.Context(), p, "big.csv", Options{Limits: Limits{MaxFileBytes: 1000}})
	if key := refusedKey(t, err); key != keyRefusedTooLarge {
		t.Errorf("key = %s", key)
	}
}

func TestMissingFileIsRefused(t *testing.T) {
	_, err := ReadFile(t.Context(), filepath.Join(t.TempDir(), "nope.xlsx"), "nope.xlsx", Options{})
	if key := refusedKey(t, err); key != keyRefusedIO {
		t.Errorf("key = %s", key)
	}
}

// A zip whose directory lists more parts than any workbook has is refused
// without archive/zip loading that directory, as xlsx.Open guarantees: the
// sniffing that runs before it must not load the directory either.
func TestZipOfManyPartsRefusedInBoundedMemory(t *testing.T) {
	const n = 131072 // a bare central directory of empty entries: 6 MiB
	b := make([]byte, 4, 4+46*n+22)
	copy(b, "PK\x03\x04")
	entry := make([]byte, 46)
	copy(entry, "PK\x01\x02")
	for range n {
		b = append(b, entry...)
	}
	end := make([]byte, 22)
	copy(end, "PK\x05\x06")
	binary.LittleEndian.PutUint32(end[12:], 46*n)
	binary.LittleEndian.PutUint32(end[16:], 4)
	b = append(b, end...)
	p := filepath.Join(t.TempDir(), "parts.xlsx")
	if err := os.WriteFile(p, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, err := ReadFile(context.Background(), p, "parts.xlsx", Options{})
	runtime.ReadMemStats(&after)
	if got := refusedKey(t, err); got != keyRefusedInflated {
		t.Errorf("refused as %s, want %s", got, keyRefusedInflated)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("allocated %d MiB refusing it, want under 8", alloc>>20)
	}
}
