package main

// forms lists every form of the gallery. Each one's truth (NN-name.truth,
// beside the saved file) was written by hand from the cells below.
func forms() []form {
	ruMonths := []string{"Январь", "Февраль", "Март", "Апрель", "Май", "Июнь", "Июль", "Август", "Сентябрь", "Октябрь", "Ноябрь", "Декабрь"}
	across := r(any("Показатель"))
	letters := r(any("Письма входящие, кг"))
	parcels := r(any("Посылки входящие, шт"))
	for i, m := range ruMonths {
		across = append(across, m)
		letters = append(letters, 100+10*i)
		parcels = append(parcels, 50+2*i)
	}
	across = append(across, "Итого")
	letters = append(letters, 1860)
	parcels = append(parcels, 732)
	hdr := "A1:Z3" // a generous styled band: LibreOffice writes its empty cells
	return []form{
		x("01-contract-example-uzc", sheet{name: "Хатлар", rows: [][]any{
			r("Ой", "Хат-хабарлар, кг", nil),
			r(nil, "кирувчи", "чиқувчи"),
			r("Январь 2025", 1431, 512),
			r("Февраль 2025", 1275.5, 498),
			r("Март 2025", 1390, 530.25),
		}, merges: []string{"A1:A2", "B1:C1"}, styled: []string{"A1:E2", "D3:E6"}}),
		x("02-two-row-header-ru", sheet{name: "Лист1", rows: [][]any{
			r("Международный почтовый обмен с Почтой Китая"),
			r(),
			r("Месяц", "Письма, кг", nil, "Посылки, шт", nil),
			r(nil, "входящие", "исходящие", "входящие", "исходящие"),
			r("2025-01", 820.5, 140, 1200, 35),
			r("2025-02", 790, 152.25, 1150, 40),
			r("2025-03", 845, 160, 1302, 0),
		}, merges: []string{"A3:A4", "B3:C3", "D3:E3"}, styled: []string{"A3:G4"}}),
		x("03-three-row-header-uzl", sheet{name: "2025", rows: [][]any{
			r("Oy", "Xitoy pochtasi", nil, nil, nil),
			r(nil, "Xatlar", nil, "Posilkalar", nil),
			r(nil, "kiruvchi, kg", "chiquvchi, kg", "kiruvchi, dona", "chiquvchi, dona"),
			r("2025-04", 410, 95.5, 640, 22),
			r("2025-05", 388.75, 101, 702, 19),
		}, merges: []string{"A1:A3", "B1:E1", "B2:C2", "D2:E2"}, styled: []string{hdr}}),
		x("04-title-year-ru", sheet{name: "Отчёт", rows: [][]any{
			r("Отчёт о международном почтовом обмене"),
			r("за 2025 год"),
			r(),
			r("Месяц", "Письма входящие, кг", "Посылки входящие, шт"),
			r("Январь", 1500, 2100),
			r("Февраль", 1420, 1980),
			r("Март", 1610.5, 2230),
		}}),
		x("05-month-dates-en", sheet{name: "Letters", rows: [][]any{
			r("Month", "Letters inbound, kg", "Letters outbound, kg"),
			r(date{2025, 1, 1, "mmm yyyy"}, 300, 120),
			r(date{2025, 2, 1, "mmm yyyy"}, 280.5, 110),
			r(date{2025, 3, 1, "mmm yyyy"}, 310, 125.75),
		}}),
		x("06-months-dotted-uzl", sheet{name: "Hisobot", rows: [][]any{
			r("Oy", "Posilkalar kiruvchi, dona", "EMS chiquvchi, dona"),
			r("01.2025", 540, 12),
			r("02.2025", 498, 9),
			r("03.2025", 611, 15),
		}}),
		x("07-month-names-ru", sheet{name: "Лист1", rows: [][]any{
			r("Период", "Заказные письма входящие, шт", "Посылки исходящие, шт"),
			r("Январь 2025", 75, 30),
			r("Февраль 2025", 68, 27),
			r("Март 2025", 80, 33),
			r("Апрель 2025", 71, 29),
		}}),
		x("08-months-across-ru", sheet{name: "2025", rows: [][]any{
			r("Почтовый обмен, 2025 год"),
			r(),
			across, letters, parcels,
		}, styled: []string{"A3:N3"}}),
		x("09-months-across-uzl", sheet{name: "Varaq1", rows: [][]any{
			r("Ko'rsatkich", "Yanvar 2025", "Fevral 2025", "Mart 2025"),
			r("Xatlar kiruvchi, kg", 210, 198.5, 225),
			r("Xatlar chiquvchi, kg", 45, 50, 47.25),
			r("Posilkalar kiruvchi, dona", 900, 870, 940),
		}}),
		x("10-months-across-iso-en", sheet{name: "Mail", rows: [][]any{
			r("Series", "2025-03", "2025-04", "2025-05"),
			r("Parcels inbound, items", 1200, 1310, 1255),
			r("EMS outbound, items", 14, 11, 17),
			r("Letters transit, kg", 60.5, 58, 61),
		}}),
		x("11-year-columns-ru", sheet{name: "Посылки", rows: [][]any{
			r("Посылки из Китая"),
			r("Месяц", "2024 год, т", "2025 год, т"),
			r("Январь", 12.5, 14.25),
			r("Февраль", 11, 13.5),
			r("Март", 13.75, 15),
		}}),
		x("12-unit-column-ru", sheet{name: "Лист1", rows: [][]any{
			r("Показатель", "Ед. изм.", "Январь 2025", "Февраль 2025", "Март 2025"),
			r("Письма входящие", "кг", 640, 615.5, 700),
			r("Посылки входящие", "шт", 1800, 1750, 1920),
			r("EMS исходящие", "т", 0.25, 0.5, 0.125),
			r("Письма исходящие", "г", 250000, 198500, 301250),
		}}),
		x("13-index-column-uzc", sheet{name: "Ҳисобот", rows: [][]any{
			r("№ п/п", "Ой", "Хатлар кирувчи, кг", "Посилкалар кирувчи, дона"),
			r(1, "2025-01", 512.5, 1200),
			r(2, "2025-02", 498, 1150),
			r(3, "2025-03", 530.75, 1302),
		}}),
		x("14-blocks-partner-ru", sheet{name: "Партнёры", rows: [][]any{
			r("Почта Китая"),
			r("Месяц", "Письма входящие, кг", "Посылки входящие, шт"),
			r("Январь 2025", 820, 1200),
			r("Февраль 2025", 790.5, 1150),
			r(),
			r("Почта Латвии"),
			r("Месяц", "Письма входящие, кг", "Посылки входящие, шт"),
			r("Январь 2025", 45, 12),
			r("Февраль 2025", 50.25, 9),
		}}),
		x("15-blocks-partner-uzl", sheet{name: "Hamkorlar", rows: [][]any{
			r("Xitoy pochtasi"),
			r("Oy", "Xatlar chiquvchi, kg", "EMS chiquvchi, dona"),
			r("2025-01", 140, 20),
			r("2025-02", 152, 18),
			r("Latviya pochtasi"),
			r("Oy", "Xatlar chiquvchi, kg", "EMS chiquvchi, dona"),
			r("2025-01", 12.5, 3),
			r("2025-02", 10, 4),
		}}),
		x("16-blocks-year-uzc", sheet{name: "Йиллар", rows: [][]any{
			r("2024 йил"),
			r("Ой", "Посилкалар кирувчи, дона", "Хатлар кирувчи, кг"),
			r("Январ", 1000, 400),
			r("Феврал", 950, 380.5),
			r(),
			r("2025 йил"),
			r("Ой", "Посилкалар кирувчи, дона", "Хатлар кирувчи, кг"),
			r("Январ", 1200, 512.5),
			r("Феврал", 1150, 498),
		}}),
		x("17-sheet-name-context-uzl", sheet{name: "Xitoy pochtasi 2025", rows: [][]any{
			r("Oy", "Posilkalar kiruvchi, dona", "Xatlar kiruvchi, kg"),
			r("Yanvar", 700, 310),
			r("Fevral", 680, 295.5),
			r("Mart", 720, 330),
		}}),
		x("18-title-direction-ru", sheet{name: "Лист1", rows: [][]any{
			r("Входящая почта из Китая за 2025 год"),
			r("Месяц", "Письма, кг", "Посылки, шт"),
			r("Январь", 812, 1190),
			r("Февраль", 776.5, 1133),
		}}),
		x("19-total-row-ru", sheet{name: "Лист1", rows: [][]any{
			r("Месяц", "Письма входящие, кг", "Посылки входящие, шт"),
			r("Январь 2025", 1200, 300),
			r("Февраль 2025", 1100.5, 280),
			r("Март 2025", 1300, 320),
			r("Итого", 3600.5, 900),
		}}),
		x("20-total-mismatch-uzl", sheet{name: "Varaq1", rows: [][]any{
			r("Oy", "Posilkalar chiquvchi, dona"),
			r("2025-01", 40),
			r("2025-02", 38),
			r("2025-03", 45),
			r("Jami", 125),
		}}),
		x("21-total-column-en", sheet{name: "Parcels", rows: [][]any{
			r("Item", "January 2025", "February 2025", "March 2025", "Total"),
			r("Parcels inbound, items", 500, 520, 480, 1500),
			r("Parcels outbound, items", 20, 25, 30, 75),
			r("Total", 520, 545, 510, 1575),
		}}),
		x("22-half-year-total-ru", sheet{name: "EMS", rows: [][]any{
			r("Месяц", "EMS входящие, шт"),
			r("Январь 2025", 10),
			r("Февраль 2025", 12),
			r("Март 2025", 9),
			r("Апрель 2025", 11),
			r("Май 2025", 14),
			r("Июнь 2025", 13),
			r("Итого за I полугодие", 69),
		}}),
		x("23-parts-add-up-ru", sheet{name: "Интернет-заказы", rows: [][]any{
			r("Показатель", "Январь 2025", "Февраль 2025"),
			r("Интернет-заказы входящие, шт", 1000, 1100),
			r("в т.ч. АлиЭкспресс", 600, 650),
			r("в т.ч. Тему", 300, 320),
		}}),
		x("24-parts-not-adding-uzl", sheet{name: "Varaq1", rows: [][]any{
			r("Ko'rsatkich", "Yanvar 2025", "Fevral 2025"),
			r("Internet-do'kon jo'natmalari kiruvchi, dona", 500, 520),
			r("shu jumladan AliExpress", 300, 310),
			r("shu jumladan Temu", 250, 230),
		}}),
		x("25-derived-ru", sheet{name: "Лист1", rows: [][]any{
			r("Месяц", "Посылки входящие, шт", "Темп роста, %", "Доля в общем объёме, %"),
			r("Январь 2025", 1000, nil, 40),
			r("Февраль 2025", 1100, 110, 42.5),
			r("Март 2025", 990, 90, 38),
		}}),
		x("26-derived-en", sheet{name: "Outbound", rows: [][]any{
			r("Series", "January 2025", "February 2025", "Growth, %"),
			r("Letters outbound, kg", 200, 250, 125),
			r("Parcels outbound, items", 40, 30, 75),
		}}),
		x("27-footnote-ru", sheet{name: "Лист1", rows: [][]any{
			r("Месяц", "Посылки входящие, шт"),
			r("Январь 2025", 230),
			r("Февраль 2025", 214),
			r("Март 2025", "221*"),
			r(),
			r("* предварительные данные"),
		}}),
		x("28-thousand-tonnes-ru", sheet{name: "Лист1", rows: [][]any{
			r("Месяц", "Посылки входящие, тыс. т", "Письма входящие, тыс. шт"),
			r("2025-01", 1.25, 3.5),
			r("2025-02", 1.5, 4.25),
			r("2025-03", 0.75, 2),
		}}),
		x("29-thousand-items-en", sheet{name: "Inbound", rows: [][]any{
			r("Month", "Parcels inbound, '000 items", "Letters inbound, t"),
			r("2025-01", 12.5, 1.2),
			r("2025-02", 11.75, 1.05),
			r("2025-03", 13, 1.3),
		}}),
		x("30-grams-uzc", sheet{name: "Чиқувчи", rows: [][]any{
			r("Ой", "Хатлар чиқувчи, г", "Буюртма хатлар чиқувчи, дона"),
			r("2025-01", 12500, 40),
			r("2025-02", 10250, 38),
			r("2025-03", 9800, 41),
		}}),
		x("31-pounds-en", sheet{name: "Outbound", rows: [][]any{
			r("Month", "Letters outbound, lbs", "Parcels outbound, items"),
			r("2025-01", 100, 12),
			r("2025-02", 250, 15),
			r("2025-03", 80, 9),
		}}),
		x("32-unknown-column-en", sheet{name: "Inbound", rows: [][]any{
			r("Month", "Letters inbound, kg", "Parcels inbound, items", "Foo bar qty"),
			r("2025-01", 300, 1200, 7),
			r("2025-02", 280, 1150, 9),
			r("2025-03", 310, 1302, 4),
		}}),
		x("33-from-china-tonnes-ru", sheet{name: "Китай", rows: [][]any{
			r("Месяц", "Посылки из Китая, т", "Письма в Китай, кг"),
			r("Январь 2025", 12.5, 140),
			r("Февраль 2025", 11.25, 152),
		}}),
		x("34-to-china-uzl", sheet{name: "Xitoy", rows: [][]any{
			r("Oy", "Xitoyga jo'natilgan xatlar, kg", "Xitoydan kelgan posilkalar, dona"),
			r("2025-01", 140.5, 1200),
			r("2025-02", 152, 1150),
			r("2025-03", 160.25, 1302),
		}}),
		x("35-year-conflict-ru", sheet{name: "Лист1", rows: [][]any{
			r("Посылки входящие, шт"),
			r("Месяц", "2024", "2025"),
			r("Январь 2025", 1000, 1200),
			r("Февраль 2025", 950, 1150),
		}}),
		c("36-lbs-and-tonnes-en", csvUTF8, sheet{name: "mail", rows: [][]any{
			r("Month", "Direction", "Mail Class", "Weight LBS", "Metric TONS"),
			r("2025-01", "Inbound", "Letters", 2204.62, 1),
			r("2025-02", "Inbound", "Letters", 4409.24, 2),
			r("2025-03", "Inbound", "Letters", 1102.31, 0.5),
		}}),
		c("37-thousands-commas-en", csvUTF8, sheet{name: "data", rows: [][]any{
			r("Month", "Parcels inbound items", "Letters inbound kg"),
			r("2025-01", 1200, "12,345"),
			r("2025-02", 1150, "1,234,567"),
			r("2025-03", 1302, "13,020.5"),
		}}),
		c("38-decimal-comma-semicolon-ru", csvSemi, sheet{name: "data", rows: [][]any{
			r("Месяц", "Письма входящие, кг", "Посылки входящие, шт"),
			r("Январь 2025", nf{1234.5, "[$-419]#,##0.00"}, nf{1200, "[$-419]#,##0"}),
			r("Февраль 2025", nf{1100, "[$-419]#,##0.00"}, nf{1150, "[$-419]#,##0"}),
			r("Март 2025", nf{987.25, "[$-419]#,##0.00"}, nf{1302, "[$-419]#,##0"}),
		}}),
		c("39-cp1251-ru", csv1251, sheet{name: "data", rows: [][]any{
			r("Месяц", "Страна", "Посылки входящие, т"),
			r("2025-01", "Китай", "12,5"),
			r("2025-01", "Латвия", "0,75"),
			r("2025-02", "Китай", "11,25"),
			r("2025-02", "Латвия", "0,5"),
		}}),
		c("40-tab-list-uzl", csvTab, sheet{name: "data", rows: [][]any{
			r("Davr", "Yoʻnalish", "Toifa", "Soni", "Og‘irlik, kg"),
			r("2025-01", "kiruvchi", "posilkalar", 1200, "4512,5"),
			r("2025-01", "chiquvchi", "EMS", 3, "1,5"),
			r("2025-02", "kiruvchi", "posilkalar", 1100, "4300"),
			r("2025-02", "kiruvchi", "posilkalar", 50, "120,5"),
		}}),
		x("41-quarterly-ru", sheet{name: "Кварталы", rows: [][]any{
			r("Показатель", "I кв. 2025", "II кв. 2025", "III кв. 2025"),
			r("Посылки входящие, шт", 3600, 3500, 3700),
			r("Письма входящие, кг", 4200, 4000, 4100),
		}}),
		x("42-half-year-ru", sheet{name: "Полугодия", rows: [][]any{
			r("Показатель", "январь–июнь 2025", "июль–декабрь 2025"),
			r("Посылки входящие, шт", 7100, 7400),
		}}),
		x("43-running-totals-ru", sheet{name: "С начала года", rows: [][]any{
			r("Нарастающим итогом с начала 2025 года"),
			r("Показатель", "Январь", "Январь–февраль", "Январь–март"),
			r("Посылки входящие, шт", 1000, 2150, 3452),
			r("Письма входящие, кг", 512.5, 1010.5, 1541.25),
		}}),
		x("44-running-totals-gap-ru", sheet{name: "С начала года", rows: [][]any{
			r("Показатель", "Январь–март 2025", "Январь–июнь 2025"),
			r("Посылки входящие, шт", 3600, 7100),
		}}),
		x("45-list-en", sheet{name: "Manifest", rows: [][]any{
			r("Period", "Direction", "Partner", "Category", "Marketplace", "Items", "Weight, kg"),
			r("2025-01", "inbound", "China Post", "e-commerce", "AliExpress", 500, 210.5),
			r("2025-01", "inbound", "China Post", "e-commerce", "Temu", 300, 95),
			r("2025-01", "inbound", "China Post", "e-commerce", "AliExpress", 120, 40.25),
			r("2025-01", "outbound", "Latvia Post", "EMS", nil, 4, 2.5),
			r("2025-02", "inbound", "China Post", "parcels", nil, 1100, nil),
			r("2025-02", "transit", "Vanuatu Post", "letters", nil, nil, 12),
		}}),
		x("46-list-year-month-uzc", sheet{name: "Рўйхат", rows: [][]any{
			r("Йил", "Ой", "Йўналиш", "Ҳамкор", "Тоифа", "Сони", "Оғирлик, кг"),
			r(2025, 1, "кирувчи", "Хитой почтаси", "посилкалар", 1200, 4512.5),
			r(2025, 1, "чиқувчи", "Латвия почтаси", "EMS", 3, 1.5),
			r(2025, "Феврал", "кирувчи", "Хитой почтаси", "посилкалар", 1150, 4300),
			r(2025, 2, "транзит", "Вануату почтаси", "хатлар", nil, 25.5),
		}}),
		x("47-hidden-helper-ru", sheet{name: "Лист1", rows: [][]any{
			r("Месяц", "Код", "Посылки входящие, шт", "Письма входящие, кг"),
			r("Январь 2025", 101, 1200, 512.5),
			r("Февраль 2025", 102, 1150, 498),
		}, hidden: []string{"B"}}),
		x("48-no-header-sheet-en",
			sheet{name: "Notes", rows: [][]any{
				r("Prepared by the statistics department"),
				r("Figures are monthly; see the next sheet."),
			}},
			sheet{name: "Data", rows: [][]any{
				r("Month", "Parcels inbound, items"),
				r("2025-01", 500),
				r("2025-02", 520),
			}}),
		x("49-dashes-empty-uzl", sheet{name: "Varaq1", rows: [][]any{
			r("Oy", "Xatlar kiruvchi, kg", "Xatlar chiquvchi, kg", "EMS kiruvchi, dona"),
			r("2025-01", 120, "-", 5),
			r("2025-02", "–", 30.5, nil),
			r("2025-03", 115, nil, "—"),
		}, styled: []string{"A1:F6"}}),
		x("50-transit-partner-column-ru", sheet{name: "Транзит", rows: [][]any{
			r("Месяц", "Оператор", "Письма транзит, кг", "Посылки транзит, шт"),
			r("2025-01", "Почта Вануату", 12, 3),
			r("2025-01", "Казпочта", 40, 11),
			r("2025-02", "Почта Вануату", 10.5, 2),
		}}),
		x("51-lookalike-letters-uzc", sheet{name: "Рўйхат", rows: [][]any{
			r("Сана", "Ҳамкор", "Тоифа", "Маркетплейс", "Сони"),
			r("14.03.2025", "Xитой почтаси", "электрон тижорат", "АлиЕxпресс", 40),
			r("20.03.2025", "Хитой", "электрон тижорат", "Тему", 25),
			r("02.04.2025", "Xитой", "электрон тижорат", "АлиЭкспресс", 30),
		}}),
		x("52-hidden-sheet-ru",
			sheet{name: "Данные", rows: [][]any{
				r("Месяц", "Посылки исходящие, шт"),
				r("2025-01", 35),
				r("2025-02", 40),
			}},
			sheet{name: "Справочник", state: "hidden", rows: [][]any{
				r("Месяц", "Посылки исходящие, шт"),
				r("2025-01", 999),
			}}),
		func() form {
			f := c("53-ru-locale-dates-list", csvSemi, sheet{name: "data", rows: [][]any{
				r("Дата", "Направление", "Категория", "Кол-во", "Вес, кг"),
				r(date{2025, 3, 14, "dd.mm.yyyy"}, "входящие", "посылки", 12, 40.5),
				r(date{2025, 3, 20, "dd.mm.yyyy"}, "входящие", "посылки", 8, 25.25),
				r(date{2025, 4, 2, "dd.mm.yyyy"}, "исходящие", "EMS", 3, 1.5),
			}})
			f.env = "ru_RU.UTF-8"
			return f
		}(),
		x("54-total-column-down-ru", sheet{name: "Посылки", rows: [][]any{
			r("Месяц", "Посылки входящие, шт", "Посылки исходящие, шт", "Всего"),
			r("Январь 2025", 1200, 35, 1235),
			r("Февраль 2025", 1150, 40, 1190),
			r("Март 2025", 1302, 0, 1302),
		}}),
		x("55-formula-totals-uzc", sheet{name: "Ҳисобот", rows: [][]any{
			r("Ой", "Посилкалар кирувчи, дона", "Хатлар чиқувчи, кг"),
			r("2025-01", 1200, 20.25),
			r("2025-02", 1150, 0),
			r("2025-03", 1302, 18),
			r("Жами", fx("SUM(B2:B4)"), fx("SUM(C2:C4)")),
		}}),
		x("56-of-which-en", sheet{name: "E-commerce", rows: [][]any{
			r("Series", "January 2025", "February 2025"),
			r("E-commerce inbound, items", 900, 950),
			r("of which AliExpress", 500, 520),
			r("of which Shein", 250, 300),
		}}),
		x("57-running-totals-down-uzl", sheet{name: "Varaq1", rows: [][]any{
			r("2025 yil"),
			r("Oy", "Posilkalar kiruvchi yil boshidan, dona"),
			r("Yanvar", 1000),
			r("Fevral", 2150),
			r("Mart", 3452),
		}}),
		x("58-unit-after-number-ru", sheet{name: "Лист1", rows: [][]any{
			r("Месяц", "Письма исходящие, кг"),
			r("2025-01", "12,5 кг"),
			r("2025-02", "14 кг"),
			r("2025-03", "9,75 кг"),
		}}),
		x("59-negative-en", sheet{name: "Inbound", rows: [][]any{
			r("Month", "Parcels inbound, items"),
			r("2025-01", 500),
			r("2025-02", -5),
			r("2025-03", 480),
		}}),
		x("60-not-a-number-ru", sheet{name: "Лист1", rows: [][]any{
			r("Месяц", "Посылки входящие, шт"),
			r("2025-01", 1200),
			r("2025-02", "н/д"),
			r("2025-03", 1302),
		}}),
		x("61-fractional-items-uzl", sheet{name: "Varaq1", rows: [][]any{
			r("Oy", "Posilkalar kiruvchi, dona"),
			r("2025-01", 12.5),
			r("2025-02", 13),
		}}),
		x("62-marketplace-column-ru", sheet{name: "Маркетплейсы", rows: [][]any{
			r("Месяц", "Маркетплейс", "Интернет-заказы входящие, шт"),
			r("2025-01", "АлиЭкспресс", 600),
			r("2025-01", "Тему", 300),
			r("2025-01", "Шейн", 120),
			r("2025-02", "АлиЭкспресс", 650),
		}}),
		x("63-year-month-name-list-en", sheet{name: "List", rows: [][]any{
			r("Year", "Month", "Direction", "Category", "Weight, kg"),
			r(2025, "March", "outbound", "letters", 12.5),
			r(2025, "April", "outbound", "letters", 14),
			r(2025, 3, "outbound", "letters", 2.25),
		}}),
		x("64-quarterly-uzl", sheet{name: "Choraklar", rows: [][]any{
			r("Ko'rsatkich", "1-chorak 2025", "2-chorak 2025"),
			r("Posilkalar kiruvchi, dona", 3600, 3500),
		}}),
		x("65-quarterly-months-down-en", sheet{name: "Quarters", rows: [][]any{
			r("Period", "Parcels inbound, items", "Letters outbound, kg"),
			r("Q1 2025", 3600, 420.5),
			r("Q2 2025", 3500, 400),
		}}),
		// Forms 77 on: wrong refusals and misreadings a tester found after issue 10.
		x("77-running-totals-year-hyphen-ru", sheet{name: "Лист1", rows: [][]any{
			r("Показатель", "Январь 2025", "Январь-февраль 2025", "Январь-март 2025"),
			r("Посылки входящие, шт", 1000, 2150, 3452),
		}}),
		x("78-running-totals-down-uzl", sheet{name: "Varaq1", rows: [][]any{
			r("Davr", "Posilkalar kiruvchi, dona", "Xatlar chiquvchi, kg"),
			r("Yanvar 2025", 400, 50.5),
			r("Yanvar-fevral 2025", 820, 101),
			r("Yanvar—mart 2025", 1300, 160.25),
		}}),
		x("79-running-totals-en-dash-en", sheet{name: "Inbound", rows: [][]any{
			r("Series", "January 2025", "January–February 2025", "January–March 2025", "January–April 2025"),
			r("Parcels inbound, items", 500, 1020, 1500, 2010),
		}}),
		x("80-running-totals-no-year-uzc", sheet{name: "Ҳисобот", rows: [][]any{
			r("2025 йил"),
			r("Ой", "Посилкалар кирувчи, дона"),
			r("Январь", 300),
			r("Январь-феврал", 610),
			r("Январь-март", 900),
		}}),
		x("81-quarter-total-row-ru", sheet{name: "Лист1", rows: [][]any{
			r("Входящая почта за 2025 год"),
			r("Месяц", "Посылки, шт", "Письма, кг"),
			r("Январь", 1200, 500),
			r("Февраль", 1150, 480.5),
			r("Март", 1302, 510),
			r("Итого за I квартал", 3652, 1490.5),
		}}),
		x("82-date-headers-across-ru",
			sheet{name: "Посылки", rows: [][]any{
				r("Показатель", date{2025, 1, 1, "[$-419]mmm.yy"}, date{2025, 2, 1, "[$-419]mmm.yy"}, date{2025, 3, 1, "[$-419]mmm.yy"}),
				r("Посылки входящие, шт", 1200, 1150, 1302),
			}},
			sheet{name: "Письма", rows: [][]any{
				r("Показатель", date{2025, 1, 1, "mm.yyyy"}, date{2025, 2, 1, "mm.yyyy"}),
				r("Письма исходящие, кг", 120.5, 98),
			}}),
		x("83-year-group-header-ru",
			sheet{name: "Посылки", rows: [][]any{
				r("Показатель", "2025 год"),
				r(nil, "Январь", "Февраль", "Март", "Апрель", "Май", "Июнь"),
				r("Посылки входящие, шт", 1000, 1100, 1200, 1300, 1400, 1500),
				r("Письма исходящие, кг", 50, 51.5, 52, 53, 54, 55.25),
			}, merges: []string{"A1:A2", "B1:G1"}, styled: []string{"A1:G2"}},
			sheet{name: "EMS", rows: [][]any{
				r("Показатель", 2025),
				r(nil, "Январь", "Февраль"),
				r("EMS исходящие, шт", 7, 9),
			}, merges: []string{"A1:A2", "B1:C1"}, styled: []string{"A1:C2"}}),
		x("84-including-own-row-ru", sheet{name: "Лист1", rows: [][]any{
			r("Показатель", "Январь 2025", "Февраль 2025"),
			r("Интернет-заказы входящие, шт", 1000, 1100),
			r("в том числе:"),
			r("AliExpress", 600, 650),
			r("Temu", 300, 320),
			r("Посылки входящие, шт", 2000, 2100),
		}}),
		x("85-parts-exceed-ru", sheet{name: "Лист1", rows: [][]any{
			r("Показатель", "Январь 2025", "Февраль 2025"),
			r("Интернет-заказы входящие, шт", 1000, 1100),
			r("в т.ч. АлиЭкспресс", 700, 650),
			r("в т.ч. Тему", 400, 320),
		}}),
		x("86-hidden-unknown-row-ru", sheet{name: "Лист1", rows: [][]any{
			r("Показатель", "Январь 2025", "Февраль 2025"),
			r("Посылки входящие, шт", 1200, 1150),
			r("Код строки", 101, 102),
			r("Письма входящие, кг", 512.5, 498),
		}, hrows: []int{3}}),
		x("87-tonnes-in-kg-column-ru", sheet{name: "Лист1", rows: [][]any{
			r("Месяц", "Письма исходящие, кг"),
			r("2025-01", "12,5 т"),
			r("2025-02", "14 кг"),
		}}),
		x("88-title-year-and-year-columns-ru", sheet{name: "Посылки", rows: [][]any{
			r("Посылки из Китая за 2025 год"),
			r("Месяц", "2024, т", "2025, т"),
			r("Январь", 12.5, 14.25),
			r("Февраль", 11, 13.5),
		}}),
		x("89-thousand-dots-ru", sheet{name: "Лист1", rows: [][]any{
			r("Месяц", "Письма входящие, кг"),
			r("2025-01", "1.234.567"),
			r("2025-02", "2.500"),
		}}),
		x("90-plain-number-in-period-column-ru", sheet{name: "Лист1", rows: [][]any{
			r("Месяц", "Посылки входящие, шт"),
			r("2025-01", 1200),
			r(45717, 1150),
		}}),
		c("91-plain-number-in-period-column-csv", csvUTF8, sheet{name: "data", rows: [][]any{
			r("Month", "Parcels inbound, items"),
			r("2025-01", 1200),
			r(45717, 1150),
		}}),
	}
}
