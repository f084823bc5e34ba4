package sheet

import (
	"postdash/internal/i18n"
	"postdash/internal/xlsx"
)

// messages are the English templates of every message the reader can give,
// by catalog key. The i18n catalogs (internal/i18n/catalogs/*/import.json)
// translate the same keys; placeholders are {name}.
var messages = map[string]string{
	// The file cannot be read at all.
	keyRefusedEmpty:     "The file {file} is empty; there is nothing to import.",
	keyRefusedTooLarge:  "The file {file} is {size} MiB, more than the limit of {limit} MiB; split it into smaller files and upload them one by one.",
	keyRefusedInflated:  "The workbook {file} would unpack to more than {limit} MiB, so it was not read; it may be damaged, so save it again from a spreadsheet program or split it.",
	keyRefusedXLS:       "The file {file} is an Excel 97–2003 workbook (.xls) under another name; rename it to end in .xls and upload it again.",
	keyRefusedOldExcel:  "The file {file} is a workbook from Excel 4.0 or earlier, which cannot be read; open it in Excel or LibreOffice, save it as .xlsx and upload it again.",
	keyRefusedTooMuch:   "The workbook {file} holds more cells or text than one upload may; split it into smaller files and upload them one by one.",
	keyRefusedXLSB:      "The file {file} is an Excel binary workbook (.xlsb); open it in Excel and save it as .xlsx, then upload it again.",
	keyRefusedODS:       "The file {file} is an OpenDocument spreadsheet (.ods) under another name; rename it to end in .ods and upload it again.",
	keyRefusedNumbers:   "The file {file} is an Apple Numbers document; export it from Numbers as Excel (.xlsx), then upload it again.",
	keyRefusedEncrypted: "The workbook {file} is protected with a password; open it, remove the password, save it again and upload it.",
	keyRefusedCorrupt:   "The file {file} is damaged or incomplete and cannot be read as a workbook; open it in a spreadsheet program, save it again and upload the new file.",
	keyRefusedText:      "The file {file} holds plain text but is not named .csv; if it is a table, save it from a spreadsheet program as .xlsx or .csv and upload it again.",
	keyRefusedBinary:    "The file {file} holds binary data that is not a workbook; save the table from a spreadsheet program as .xlsx or .csv and upload it again.",
	keyRefusedPDF:       "The file {file} is a PDF document, from which figures cannot be imported; save the table as .xlsx or .csv from the program that made it and upload that.",
	keyRefusedXML:       "The file {file} is an XML document, not a workbook; open it in a spreadsheet program, save it as .xlsx and upload it again.",
	keyRefusedHTML:      "The file {file} is a web page (HTML), not a workbook; open it in a spreadsheet program, save it as .xlsx and upload it again.",
	keyRefusedZip:       "The file {file} is a zip archive, not a workbook; unpack it and upload the .xlsx or .csv file inside.",
	keyRefusedRenamed:   "The file {file} is an Excel workbook (.xlsx) under another name; rename it to end in .xlsx and upload it again.",
	keyRefusedNoFacts:   "No sheet of {file} holds figures that can be imported. {sheets}",
	keyRefusedInternal:  "The file {file} could not be read because of an internal error; please send the file to the administrators.",
	keyRefusedIO:        "The file {file} could not be read from disk; try uploading it again.",

	// A limit reached (see Limits); each names it.
	keyLimitPrefix + xlsx.LimitSharedStrings:     "The workbook {file} holds more than {limit} different texts (shared strings), more than postdash reads; split it into smaller workbooks.",
	keyLimitPrefix + xlsx.LimitSharedStringBytes: "The texts of the workbook {file} take more than {limit} MiB, more than postdash reads; split it into smaller workbooks.",
	keyLimitPrefix + xlsx.LimitCellBytes:         "The file {file} has a cell longer than {limit} KiB, more than postdash reads; the file may be damaged, so save it again from a spreadsheet program.",
	keyLimitPrefix + xlsx.LimitMergedRanges:      "A sheet of {file} has more than {limit} merged ranges, more than postdash reads; unmerge the cells and upload it again.",
	keyLimitPrefix + xlsx.LimitMergedCells:       "The merged ranges of a sheet of {file} cover more than {limit} cells, more than postdash reads; unmerge the cells and upload it again.",
	keyLimitPrefix + limitHeaderBytes:            "The first rows of a sheet of {file}, where its header is looked for, hold more than {limit} MiB of text, more than postdash reads; remove the long texts above and in the header.",
	keyLimitPrefix + xlsx.LimitColumns:           "A row of {file} has more than {limit} columns, more than postdash reads; remove the extra columns and upload it again.",
	keyLimitPrefix + xlsx.LimitRows:              "A sheet of {file} has more than {limit} rows, more than postdash reads; split it into smaller files.",
	keyLimitPrefix + xlsx.LimitSheets:            "The workbook {file} has more than {limit} sheets, more than postdash reads; split it into smaller workbooks.",
	keyLimitPrefix + limitCells:                  "The file {file} has more than {limit} filled cells, more than postdash reads at once; split it into smaller files.",
	keyLimitPrefix + limitFacts:                  "The file {file} holds more than {limit} different series and months, more than postdash imports at once; split it into smaller files.",
	keyLimitPrefix + limitLineBytes:              "A line of {file} is longer than {limit} KiB, more than postdash reads; the file may not be a table, or its separator may be wrong.",
	keyLimitPrefix + limitRecordBytes:            "A row of {file} takes more than {limit} MiB, more than postdash reads; a quote may be left open, so check the file's quotes.",

	// Why a sheet was not read (notes; also given as warnings).
	keyHidden:        "Sheet {sheet} is hidden and was not read.",
	keyNoHeader:      "Sheet {sheet} was skipped: none of its first 30 rows names at least two known columns (such as period, category, items or kg).",
	keyEmptySheet:    "Sheet {sheet} was skipped: it is empty.",
	keyNoMeasure:     "Sheet {sheet} was skipped: the header in row {row} has no column of items or weight.",
	keyNoPeriod:      "Sheet {sheet} was skipped: the header in row {row} has no period column (or year and month columns), and the sheet name and title name no month.",
	keyNoCategory:    "Sheet {sheet} was skipped: neither a column nor the headers, the title or the sheet name say which mail category (letters, registered letters, parcels, EMS, e-commerce) the figures are.",
	keyNoMeasureRows: "Sheet {sheet} was skipped: it has months across its columns, but none of its rows names what it counts (a category such as letters or parcels, and a unit such as kg or items).",
	keyNoRows:        "Sheet {sheet} was read but none of its rows below the header holds a figure.",
	keyOnlyTotals:    "Sheet {sheet} was read, but each of its figures is a total, a part of a total or a derived figure (in a row or column labelled such as Total, of which or %), which are checked, not imported; label the row or column with what it counts (such as Parcels inbound, items) to import it.",
	keyUnreadable:    "Sheet {sheet} was skipped because it could not be read; the workbook may be damaged, so save it again from a spreadsheet program.",

	// Numbers with no understood meaning (errors for a column or row).
	keyColumnUnknown:    "Column {col} {header}: {count} numbers whose meaning is unknown; choose what column {col} holds (a category such as letters or parcels, and a unit such as kg or items), or ignore it: in the upload preview, or with a mapping file (--mapping).",
	keyColumnNoCategory: "Column {col} {header}: {count} numbers with no mail category; choose which category column {col} holds (letters, registered letters, parcels, EMS or e-commerce), or ignore it: in the upload preview, or with a mapping file (--mapping).",
	keyUnitUnknown:      "Column {col} {header}: {count} numbers in a unit that is not known; choose the unit of column {col} (items, kg, t, g or lb), or ignore it: in the upload preview, or with a mapping file (--mapping).",
	keyUnitMissing:      "Column {col} {header}: {count} numbers with no unit; choose the unit of column {col} (items, kg, t, g or lb), or ignore it: in the upload preview, or with a mapping file (--mapping).",

	// Mappings (section 8).
	keyMappingJSON:        "The mapping is not valid JSON; download a mapping from postdash and upload that file unchanged.",
	keyMappingVersion:     "The file is not a postdash mapping of version {version}; download a mapping from postdash's mappings page and use that file.",
	keyMappingEmpty:       "The mapping names no header or no column choice; choose what at least one column holds.",
	keyMappingColumn:      "The mapping's choice for column {header} has a {field} that cannot be used: {value}; correct it or choose again in the upload preview.",
	keyMappingHeaderWins:  "Column {col} {header}: the mapping says {chosen}, but the header says {found}; the header was read.",
	keyMappingUnused:      "The mapping {mapping} was not applied: no table of this file has its header (the closest differs in {columns}).",
	keyRowUnknown:         "Row {row} {header}: {count} numbers whose meaning is unknown; choose what row {row} counts (a category such as letters or parcels, and a unit such as kg or items), or ignore it: in the upload preview, or with a mapping file (--mapping).",
	keyTwoSources:         "Cells {cell} and {other} would both give {meaning}; postdash does not choose between two sources for one value: remove or rename one of the columns.",
	keyUnitConflict:       "The row's label {header} gives one unit and its unit cell {unit} another; postdash does not choose between the two: make them agree.",
	keyMergedColumns:      "The range {range} is one number merged over {first} and {last}; postdash does not split it: give each month and each measure its own cell.",
	keyMergedRows:         "The range {range} is one number merged over rows {first} to {last}; postdash does not split it: give each row its own cell.",
	keyDateForNumber:      "Found {value}, a date where a weight or a number of items was expected; Excel may have turned a number such as 1.5 into 1 May: type the number again.",
	keyPercentForNumber:   "Found {value}, a percentage where a weight or a number of items was expected; 40 % is stored as 0.4, which is not a quantity: type the number again, without %.",
	keyYearConflict:       "The column header {header} says {year}, but the row's period {value} is in another year; postdash does not choose between the two.",
	keyQuarterly:          "Sheet {sheet} holds quarterly figures; postdash needs monthly figures, so it was not read.",
	keyHalfYearly:         "Sheet {sheet} holds half-year figures; postdash needs monthly figures, so it was not read.",
	keyRunningTotals:      "Sheet {sheet} holds running totals from January; postdash needs monthly figures, so it was not read.",
	keyYearly:             "Sheet {sheet} holds yearly figures; postdash needs monthly figures, so it was not read.",
	keyUnitWordUnknown:    "Column {col} {header}: {count} numbers counted in {word}, which is not a known unit; expected items, kg, t, g or lb.",
	keyRowConflict:        "Row {row} {header}: {count} numbers under a label that says two different things, {first} and {second}; postdash does not choose between them: give each its own row.",
	keyRowUnitWordUnknown: "Row {row} {header}: {count} numbers counted in {word}, which is not a known unit; expected items, kg, t, g or lb.",
	keyHeaderConflict:     "Column {col} {header}: {count} numbers under a header that says two different things, {first} and {second}; postdash does not choose between them: give each its own column.",
	keyMappingRowWins:     "Row {row} {header}: the mapping says {chosen}, but the row's label says {found}; the label was read.",

	// Warnings.
	keyAmbiguousMarks:      "Column {col} {header}: numbers such as {value} could be read either way; they were read with {reading}.",
	keyRunningToMonths:     "Sheet {sheet} holds running totals from January (January, January–February, …); each month was read as the difference between consecutive totals.",
	keyRunningGap:          "Found {value}, a running total smaller than the one before it (or with none before it); expected running totals from January that only grow.",
	keyHiddenIgnored:       "Column {col} {header} is hidden and its {count} numbers have no understood meaning; it was ignored.",
	keyFootnote:            "The number {value} carries a footnote mark{note}; it was read as {number}.",
	keyTotalColumnMismatch: "The total {total} differs from the sum of the cells it totals, {sum}.",
	keyUnknownPartner:      "Partner {value} is not a known postal operator; it was kept as written.",
	keyTotalMismatch:       "The total {total} differs from the sum of the rows above it, {sum}.",

	// Cell errors: what was found and what was expected.
	keyNegative:         "Found {value}, a negative number; expected zero or more.",
	keyNotNumber:        "Found {value}; expected a number such as {example}.",
	keyFractionalItems:  "Found {value}; a number of items must be a whole number.",
	keyErrorValue:       "Found the error value {value}; expected a number.",
	keyBoolean:          "Found the true/false value {value}; expected a number.",
	keyUnitIsNotItems:   "Found {value}, given in {unit}; the column counts items, not a weight.",
	keyUnitIsNotWeight:  "Found {value}, given in {unit}; the column holds a weight, not a number of items.",
	keyTooBig:           "Found {value}, far too large a number for this column.",
	keyPeriodMissing:    "The row has figures but no period; expected a month such as 2025-03.",
	keyPeriodInvalid:    "Found {value}; expected a month such as 2025-03, 03.2025, 14.03.2025 or March 2025.",
	keyPeriodImpossible: "Found {value}, a date that does not exist.",
	keyPeriodRange:      "Found {value} ({period}); expected a month from 1990 up to one year from today.",
	keyYearInvalid:      "Found {value}; expected a year such as 2025.",
	keyMonthInvalid:     "Found {value}; expected a month from 1 to 12 or a month name.",
	keyDirectionUnknown: "Found {value}; expected a direction: inbound, outbound or transit.",
	keyCategoryUnknown:  "Found {value}; expected a category: letters, registered letters, parcels, EMS or e-commerce.",
	keyCategoryMissing:  "The row has figures but no category; expected letters, registered letters, parcels, EMS or e-commerce.",

	// Misreadings a tester found after issue 10 (forms 77-91).
	keyRunningMixed:     "Found {value}, a single month among running totals from January; expected a running total such as January–March, or monthly figures throughout.",
	keyUnitDisagrees:    "Found {value}, given in {unit}, a unit other than its column's; postdash does not convert it: write the number in the column's unit, or without one.",
	keyCommasBothWays:   "Column {col} {header} writes “,” both between thousands ({thousands}) and as a decimal mark ({decimal}), so its numbers cannot all be read one way; postdash does not guess: write its thousands with spaces (1 234 567) or its decimals with a dot (12.5).",
	keyDotsBothWays:     "Column {col} {header} writes “.” both between thousands (1.234.567) and as a decimal mark (12.5), so a number such as {value} could be read either way; postdash does not guess: write its thousands with spaces (2 500) or its decimals with a comma (2,5).",
	keyPartsExceed:      "The parts {parts} add up to {sum}, more than the row above, {parent}, gives ({total}); they were not imported as parts, and the row above was kept whole.",
	keyHiddenRowIgnored: "Row {row} {header} is hidden and its {count} numbers have no understood meaning; it was ignored.",
}

// Catalog keys.
const (
	keyRefusedEmpty     = "import.refused.empty"
	keyRefusedTooLarge  = "import.refused.too_large"
	keyRefusedInflated  = "import.refused.inflated"
	keyRefusedXLS       = "import.refused.xls"
	keyRefusedOldExcel  = "import.refused.old_excel"
	keyRefusedTooMuch   = "import.refused.too_much"
	keyRefusedXLSB      = "import.refused.xlsb"
	keyRefusedODS       = "import.refused.ods"
	keyRefusedNumbers   = "import.refused.numbers"
	keyRefusedEncrypted = "import.refused.encrypted"
	keyRefusedCorrupt   = "import.refused.corrupt"
	keyRefusedText      = "import.refused.text"
	keyRefusedBinary    = "import.refused.binary"
	keyRefusedPDF       = "import.refused.pdf"
	keyRefusedXML       = "import.refused.xml"
	keyRefusedHTML      = "import.refused.html"
	keyRefusedZip       = "import.refused.zip"
	keyRefusedRenamed   = "import.refused.renamed"
	keyRefusedNoFacts   = "import.refused.no_facts"
	keyRefusedInternal  = "import.refused.internal"
	keyRefusedIO        = "import.refused.io"
	keyLimitPrefix      = "import.refused.limit."

	keyHidden        = "import.sheet.hidden"
	keyNoHeader      = "import.sheet.no_header"
	keyEmptySheet    = "import.sheet.empty"
	keyNoMeasure     = "import.sheet.no_measure"
	keyNoPeriod      = "import.sheet.no_period"
	keyNoCategory    = "import.sheet.no_category"
	keyNoRows        = "import.sheet.no_rows"
	keyOnlyTotals    = "import.sheet.only_totals"
	keyNoMeasureRows = "import.sheet.no_measure_rows"
	keyUnreadable    = "import.sheet.unreadable"

	keyColumnUnknown      = "import.cell.column_unknown"
	keyColumnNoCategory   = "import.cell.column_no_category"
	keyUnitUnknown        = "import.cell.unit_unknown"
	keyRowUnknown         = "import.cell.row_unknown"
	keyUnitMissing        = "import.cell.unit_missing"
	keyMappingJSON        = "import.mapping.json"
	keyMappingVersion     = "import.mapping.version"
	keyMappingEmpty       = "import.mapping.empty"
	keyMappingColumn      = "import.mapping.column"
	keyMappingHeaderWins  = "import.mapping.header_wins"
	keyMappingUnused      = "import.mapping.unused"
	keyTwoSources         = "import.cell.two_sources"
	keyYearConflict       = "import.cell.year_conflict"
	keyUnitConflict       = "import.cell.unit_conflict"
	keyDateForNumber      = "import.cell.date_for_number"
	keyPercentForNumber   = "import.cell.percent_for_number"
	keyMergedColumns      = "import.cell.merged_columns"
	keyMergedRows         = "import.cell.merged_rows"
	keyQuarterly          = "import.sheet.quarterly"
	keyHalfYearly         = "import.sheet.half_yearly"
	keyRunningTotals      = "import.sheet.running_totals"
	keyYearly             = "import.sheet.yearly"
	keyUnitWordUnknown    = "import.cell.unit_word_unknown"
	keyHeaderConflict     = "import.cell.header_conflict"
	keyRowConflict        = "import.cell.row_conflict"
	keyRowUnitWordUnknown = "import.cell.row_unit_word_unknown"
	keyMappingRowWins     = "import.mapping.row_wins"

	keyAmbiguousMarks      = "import.warning.ambiguous_marks"
	keyHiddenIgnored       = "import.warning.hidden_ignored"
	keyRunningToMonths     = "import.warning.running_to_months"
	keyRunningGap          = "import.cell.running_gap"
	keyFootnote            = "import.warning.footnote"
	keyTotalColumnMismatch = "import.warning.total_column_mismatch"
	keyUnknownPartner      = "import.warning.unknown_partner"
	keyTotalMismatch       = "import.warning.total_mismatch"

	keyNegative         = "import.cell.negative"
	keyNotNumber        = "import.cell.not_number"
	keyFractionalItems  = "import.cell.fractional_items"
	keyErrorValue       = "import.cell.error_value"
	keyBoolean          = "import.cell.boolean"
	keyUnitIsNotItems   = "import.cell.unit_not_items"
	keyUnitIsNotWeight  = "import.cell.unit_not_weight"
	keyTooBig           = "import.cell.too_big"
	keyPeriodMissing    = "import.cell.period_missing"
	keyPeriodInvalid    = "import.cell.period_invalid"
	keyPeriodImpossible = "import.cell.period_impossible"
	keyPeriodRange      = "import.cell.period_range"
	keyYearInvalid      = "import.cell.year_invalid"
	keyMonthInvalid     = "import.cell.month_invalid"
	keyDirectionUnknown = "import.cell.direction_unknown"
	keyCategoryUnknown  = "import.cell.category_unknown"
	keyCategoryMissing  = "import.cell.category_missing"
)

// newIssue builds an Issue whose Text is the English sentence of key.
func newIssue(sheet, cell, key string, args map[string]string) Issue {
	return Issue{Sheet: clip(sheet), Cell: cell, Key: key, Args: args, Text: i18n.Fill(messages[key], args)}
}

// refuse builds the RefusedError for key.
func refuse(key string, args map[string]string) *RefusedError {
	return &RefusedError{Key: key, Args: args, Text: i18n.Fill(messages[key], args)}
}

// quote puts a user's value in quotes for a sentence, cut to maxEchoRunes.
func quote(s string) string { return "“" + clip(s) + "”" }

// maxEchoRunes is the most of a cell's text a message or report repeats: a
// hostile file must not turn one long text into a long answer.
const maxEchoRunes = 200

// clip cuts s after maxEchoRunes runes, marking the cut with an ellipsis.
func clip(s string) string {
	if len(s) <= maxEchoRunes {
		return s
	}
	n := 0
	for i := range s {
		if n == maxEchoRunes {
			return s[:i] + "…"
		}
		n++
	}
	return s
}

// clipReport cuts the texts a sheet's report repeats from its cells.
func clipReport(rep *SheetReport) {
	for i := range rep.Columns {
		rep.Columns[i].Header = clip(rep.Columns[i].Header)
	}
	for _, row := range rep.Preview {
		for j := range row {
			row[j] = clip(row[j])
		}
	}
}

// Templates returns the English template of every message key the reader can
// produce (a copy: the i18n catalogs are checked against it).
func Templates() map[string]string {
	out := make(map[string]string, len(messages))
	for k, v := range messages {
		out[k] = v
	}
	return out
}

// Catalog keys of the misreadings a tester found after issue 10.
const (
	keyRunningMixed     = "import.cell.running_mixed"
	keyUnitDisagrees    = "import.cell.unit_disagrees"
	keyDotsBothWays     = "import.cell.dots_both_ways"
	keyCommasBothWays   = "import.cell.commas_both_ways"
	keyPartsExceed      = "import.warning.parts_exceed"
	keyHiddenRowIgnored = "import.warning.hidden_row_ignored"
)
