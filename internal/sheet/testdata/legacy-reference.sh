#!/usr/bin/env bash
# Rebuilds internal/sheet/testdata/legacy-reference.tsv: converts every .xls
# and .ods of the corpus to .xlsx with LibreOffice headless, then digests
# each converted sheet with excelize (TestWriteLegacyManifest).
# TestLegacyMatchesLibreOffice holds our readers to it. Not run by CI
# (LibreOffice takes minutes); run it when the corpus changes:
#   internal/sheet/testdata/legacy-reference.sh [corpus-dir]
set -euo pipefail
cd "$(dirname "$0")/../../.."
corpus="${1:-$(cd .. && pwd)/shared/corpus}"
out="$(mktemp -d)"
profile="$(mktemp -d)"
trap 'rm -rf "$out" "$profile"' EXIT
for f in "$corpus"/files/*.xls "$corpus"/files/*.ods; do
  # One folder per extension: a.xls and a.ods would both become a.xlsx.
  # -s KILL: on some hostile files soffice.bin dies and oosplash waits forever.
  ext="${f##*.}"
  timeout -s KILL 120 soffice "-env:UserInstallation=file://$profile" --headless \
    --convert-to xlsx --outdir "$out/$ext" "$f" >/dev/null 2>&1 || echo "LibreOffice did not convert $(basename "$f")"
done
POSTDASH_CORPUS="$corpus" POSTDASH_LO_XLSX="$out" go test -count=1 -run '^TestWriteLegacyManifest$' ./internal/sheet/
echo "wrote internal/sheet/testdata/legacy-reference.tsv"
