#!/usr/bin/env bash
# Remakes the forms gallery: writes each form's source workbook with excelize
# (src/, see forms.go) and has LibreOffice open it and save it again as the
# .xlsx or .csv committed here. Run by hand (needs soffice), not in CI:
#   bash internal/sheet/testdata/forms/make.sh            # every form
#   bash internal/sheet/testdata/forms/make.sh 53-x 54-y  # only these
set -euo pipefail
cd "$(dirname "$0")"
tmp=$(mktemp -d /tmp/gallery-make.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
go run ./src -out "$tmp"
profile=file:///tmp/lo-gallery
while IFS=$'\t' read -r name out filter lang; do
	if [ $# -gt 0 ] && ! printf '%s\n' "$@" | grep -qx "$name"; then
		continue
	fi
	mkdir -p "$tmp/out"
	if [ "$lang" = - ]; then
		# LibreOffice's default locale, en-US
		soffice --headless -env:UserInstallation="$profile" --convert-to "$filter" --outdir "$tmp/out" "$tmp/$name.xlsx" >/dev/null
	else
		LANG=$lang LC_ALL=$lang soffice --headless -env:UserInstallation="$profile-$lang" --convert-to "$filter" --outdir "$tmp/out" "$tmp/$name.xlsx" >/dev/null
	fi
	mv "$tmp/out/$name.$out" "./$name.$out"
	echo "$name.$out"
done <"$tmp/forms.list"
