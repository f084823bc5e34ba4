package sheet

import (
	"context"
	"fmt"
	"strings"
	"testing"
)

// BenchmarkReadCSVManifest reads a 100,000-row item manifest (a long sheet).
func BenchmarkReadCSVManifest(b *testing.B) {
	var sb strings.Builder
	sb.WriteString("Дата;Направление;Страна;Категория;Маркетплейс;Вес, г;Кол-во\n")
	dirs := []string{"входящие", "исходящие"}
	for i := 0; i < 100000; i++ {
		fmt.Fprintf(&sb, "%02d.%02d.2025;%s;Китай;посылки;Temu;%d;1\n", i%28+1, i%12+1, dirs[i%2], 100+i%900)
	}
	p := writeFile(b, "manifest.csv", []byte(sb.String()))
	b.SetBytes(int64(sb.Len()))
	b.ResetTimer()
	for b.Loop() {
		res, err := ReadFile(context.Background(), p, "manifest.csv", Options{Now: testNow})
		if err != nil || res.Rows != 100000 || len(res.Facts) != 12 {
			b.Fatalf("rows %v facts %v err %v", res.Rows, len(res.Facts), err)
		}
	}
}
