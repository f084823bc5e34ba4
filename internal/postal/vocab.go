package postal

// Kind is what a vocabulary phrase means.
type Kind string

// Kinds of vocabulary phrases. The *Column kinds name a column; the others
// name a value (a direction, a partner, a unit ...).
const (
	KindPeriodColumn      Kind = "period_column" // Value "period" or "month"
	KindYearColumn        Kind = "year_column"
	KindDirectionColumn   Kind = "direction_column"
	KindPartnerColumn     Kind = "partner_column"
	KindCategoryColumn    Kind = "category_column"
	KindMarketplaceColumn Kind = "marketplace_column"
	KindDirection         Kind = "direction"   // Value: a Direction
	KindPartner           Kind = "partner"     // Value: a known partner
	KindCategory          Kind = "category"    // Value: a Category
	KindMarketplace       Kind = "marketplace" // Value: a known marketplace
	KindUnit              Kind = "unit"        // Value: a Unit
	KindMonth             Kind = "month"       // Value: "1" .. "12"
	KindTotal             Kind = "total"       // a total row or column
	KindMultiplier        Kind = "multiplier"  // Value: the factor ("1000", "1000000")
	KindPart              Kind = "part"        // a row that breaks down the row above
	KindDerived           Kind = "derived"     // a %, a growth rate, a share: not a fact
	KindNotMonth          Kind = "not_month"   // Value: "quarter", "half", "running", "year"
	KindIndexColumn       Kind = "index_column"
	KindUnitColumn        Kind = "unit_column"
	KindLabelColumn       Kind = "label_column" // the stub of a cross table: what each row is
)

// Unit is what a measure is counted in.
type Unit string

// Units. UnitWeight is "weight" without a unit, read as kilograms.
const (
	UnitItems  Unit = "items"
	UnitKg     Unit = "kg"
	UnitTonne  Unit = "t"
	UnitGram   Unit = "g"
	UnitWeight Unit = "weight"
	UnitPound  Unit = "lb"
)

// Entry is one line of the vocabulary: a phrase in a language and what it means.
type Entry struct {
	Kind   Kind
	Value  string
	Lang   string // en, uz-Latn, uz-Cyrl, ru
	Phrase string
}

// Vocabulary is every word the importer understands, all four languages equal.
// Adding a word is adding a line.
var Vocabulary = []Entry{
	// Period column. Value "month" marks names that mean a month (used with a year column).
	{KindPeriodColumn, "period", "en", "period"},
	{KindPeriodColumn, "month", "en", "month"},
	{KindPeriodColumn, "period", "en", "date"},
	{KindPeriodColumn, "period", "uz-Latn", "davr"},
	{KindPeriodColumn, "month", "uz-Latn", "oy"},
	{KindPeriodColumn, "month", "uz-Latn", "oylar"},
	{KindPeriodColumn, "period", "uz-Latn", "sana"},
	{KindPeriodColumn, "period", "uz-Cyrl", "давр"},
	{KindPeriodColumn, "month", "uz-Cyrl", "ой"},
	{KindPeriodColumn, "month", "uz-Cyrl", "ойлар"},
	{KindPeriodColumn, "period", "uz-Cyrl", "сана"},
	{KindPeriodColumn, "period", "ru", "период"},
	{KindPeriodColumn, "month", "ru", "месяц"},
	{KindPeriodColumn, "period", "ru", "дата"},

	{KindYearColumn, "year", "en", "year"},
	{KindYearColumn, "year", "uz-Latn", "yil"},
	{KindYearColumn, "year", "uz-Cyrl", "йил"},
	{KindYearColumn, "year", "ru", "год"},

	{KindDirectionColumn, "direction", "en", "direction"},
	{KindDirectionColumn, "direction", "uz-Latn", "yo'nalish"},
	{KindDirectionColumn, "direction", "uz-Cyrl", "йўналиш"},
	{KindDirectionColumn, "direction", "ru", "направление"},

	{KindDirection, string(Inbound), "en", "inbound"},
	{KindDirection, string(Inbound), "en", "incoming"},
	{KindDirection, string(Inbound), "en", "import"},
	{KindDirection, string(Inbound), "en", "in"},
	{KindDirection, string(Inbound), "uz-Latn", "kiruvchi"},
	{KindDirection, string(Inbound), "uz-Latn", "kirish"},
	{KindDirection, string(Inbound), "uz-Cyrl", "кирувчи"},
	{KindDirection, string(Inbound), "uz-Cyrl", "кириш"},
	{KindDirection, string(Inbound), "uz-Cyrl", "импорт"},
	{KindDirection, string(Inbound), "ru", "входящий"},
	{KindDirection, string(Inbound), "ru", "входящие"},
	{KindDirection, string(Inbound), "ru", "ввоз"},
	{KindDirection, string(Inbound), "ru", "импорт"},
	{KindDirection, string(Inbound), "ru", "вх"},
	{KindDirection, string(Outbound), "en", "outbound"},
	{KindDirection, string(Outbound), "en", "outgoing"},
	{KindDirection, string(Outbound), "en", "export"},
	{KindDirection, string(Outbound), "en", "out"},
	{KindDirection, string(Outbound), "uz-Latn", "chiquvchi"},
	{KindDirection, string(Outbound), "uz-Latn", "chiqish"},
	{KindDirection, string(Outbound), "uz-Latn", "eksport"},
	{KindDirection, string(Outbound), "uz-Cyrl", "чиқувчи"},
	{KindDirection, string(Outbound), "uz-Cyrl", "чиқиш"},
	{KindDirection, string(Outbound), "uz-Cyrl", "экспорт"},
	{KindDirection, string(Outbound), "ru", "исходящий"},
	{KindDirection, string(Outbound), "ru", "исходящие"},
	{KindDirection, string(Outbound), "ru", "вывоз"},
	{KindDirection, string(Outbound), "ru", "экспорт"},
	{KindDirection, string(Outbound), "ru", "исх"},
	{KindDirection, string(Transit), "en", "transit"},
	{KindDirection, string(Transit), "uz-Latn", "tranzit"},
	{KindDirection, string(Transit), "uz-Cyrl", "транзит"},
	{KindDirection, string(Transit), "ru", "транзит"},
	{KindDirection, string(Transit), "ru", "транзитные"},

	{KindPartnerColumn, "partner", "en", "partner"},
	{KindPartnerColumn, "partner", "en", "operator"},
	{KindPartnerColumn, "partner", "en", "origin"},
	{KindPartnerColumn, "partner", "en", "country"},
	{KindPartnerColumn, "partner", "uz-Latn", "hamkor"},
	{KindPartnerColumn, "partner", "uz-Latn", "operator"},
	{KindPartnerColumn, "partner", "uz-Latn", "davlat"},
	{KindPartnerColumn, "partner", "uz-Cyrl", "ҳамкор"},
	{KindPartnerColumn, "partner", "uz-Cyrl", "оператор"},
	{KindPartnerColumn, "partner", "uz-Cyrl", "давлат"},
	{KindPartnerColumn, "partner", "ru", "партнёр"},
	{KindPartnerColumn, "partner", "ru", "оператор"},
	{KindPartnerColumn, "partner", "ru", "страна"},

	{KindPartner, ChinaPost, "en", "China Post"},
	{KindPartner, ChinaPost, "en", "China"},
	{KindPartner, ChinaPost, "uz-Latn", "Xitoy pochtasi"},
	{KindPartner, ChinaPost, "uz-Latn", "Xitoy"},
	{KindPartner, ChinaPost, "uz-Cyrl", "Хитой почтаси"},
	{KindPartner, ChinaPost, "uz-Cyrl", "Хитой"},
	{KindPartner, ChinaPost, "ru", "Почта Китая"},
	{KindPartner, ChinaPost, "ru", "Китай"},
	{KindPartner, ChinaPost, "ru", "КНР"},
	{KindPartner, LatvijasPasts, "en", "Latvijas Pasts"},
	{KindPartner, LatvijasPasts, "en", "Latvia Post"},
	{KindPartner, LatvijasPasts, "en", "Latvia"},
	{KindPartner, LatvijasPasts, "uz-Latn", "Latviya pochtasi"},
	{KindPartner, LatvijasPasts, "uz-Latn", "Latviya"},
	{KindPartner, LatvijasPasts, "uz-Cyrl", "Латвия почтаси"},
	{KindPartner, LatvijasPasts, "uz-Cyrl", "Латвия"},
	{KindPartner, LatvijasPasts, "ru", "Почта Латвии"},
	{KindPartner, LatvijasPasts, "ru", "Латвия"},
	{KindPartner, VanuatuPost, "en", "Vanuatu Post"},
	{KindPartner, VanuatuPost, "en", "Vanuatu"},
	{KindPartner, VanuatuPost, "uz-Latn", "Vanuatu pochtasi"},
	{KindPartner, VanuatuPost, "uz-Latn", "Vanuatu"},
	{KindPartner, VanuatuPost, "uz-Cyrl", "Вануату почтаси"},
	{KindPartner, VanuatuPost, "uz-Cyrl", "Вануату"},
	{KindPartner, VanuatuPost, "ru", "Почта Вануату"},
	{KindPartner, VanuatuPost, "ru", "Вануату"},

	{KindCategoryColumn, "category", "en", "category"},
	{KindCategoryColumn, "category", "en", "mail class"},
	{KindCategoryColumn, "category", "en", "type"},
	{KindCategoryColumn, "category", "uz-Latn", "toifa"},
	{KindCategoryColumn, "category", "uz-Latn", "turi"},
	{KindCategoryColumn, "category", "uz-Cyrl", "тоифа"},
	{KindCategoryColumn, "category", "uz-Cyrl", "тури"},
	{KindCategoryColumn, "category", "ru", "категория"},
	{KindCategoryColumn, "category", "ru", "вид"},
	{KindCategoryColumn, "category", "ru", "тип"},

	{KindCategory, string(LetterPost), "en", "letters"},
	{KindCategory, string(LetterPost), "en", "letter post"},
	{KindCategory, string(LetterPost), "en", "correspondence"},
	{KindCategory, string(LetterPost), "uz-Latn", "xat-xabarlar"},
	{KindCategory, string(LetterPost), "uz-Latn", "xatlar"},
	{KindCategory, string(LetterPost), "uz-Latn", "xat"},
	{KindCategory, string(LetterPost), "uz-Latn", "xat yozishmalar"},
	{KindCategory, string(LetterPost), "uz-Cyrl", "хат-хабарлар"},
	{KindCategory, string(LetterPost), "uz-Cyrl", "хатлар"},
	{KindCategory, string(LetterPost), "uz-Cyrl", "хат"},
	{KindCategory, string(LetterPost), "uz-Cyrl", "хат ёзишмалар"},
	{KindCategory, string(LetterPost), "ru", "письма"},
	{KindCategory, string(LetterPost), "ru", "письменная корреспонденция"},
	{KindCategory, string(LetterPost), "ru", "корреспонденция"},
	{KindCategory, string(RegisteredLetter), "en", "registered letters"},
	{KindCategory, string(RegisteredLetter), "en", "registered"},
	{KindCategory, string(RegisteredLetter), "uz-Latn", "buyurtma xatlar"},
	{KindCategory, string(RegisteredLetter), "uz-Cyrl", "буюртма хатлар"},
	{KindCategory, string(RegisteredLetter), "ru", "заказные письма"},
	{KindCategory, string(RegisteredLetter), "ru", "заказные"},
	{KindCategory, string(Parcel), "en", "parcels"},
	{KindCategory, string(Parcel), "uz-Latn", "posilkalar"},
	{KindCategory, string(Parcel), "uz-Latn", "posilka"},
	{KindCategory, string(Parcel), "uz-Cyrl", "посилкалар"},
	{KindCategory, string(Parcel), "uz-Cyrl", "посилка"},
	{KindCategory, string(Parcel), "ru", "посылки"},
	{KindCategory, string(EMS), "en", "EMS"},
	{KindCategory, string(EMS), "en", "express"},
	{KindCategory, string(EMS), "uz-Latn", "EMS"},
	{KindCategory, string(EMS), "uz-Cyrl", "EMS"},
	{KindCategory, string(EMS), "uz-Cyrl", "ЕМС"},
	{KindCategory, string(EMS), "ru", "EMS"},
	{KindCategory, string(EMS), "ru", "экспресс"},
	// Express parcels are EMS: one category, not express and parcels.
	{KindCategory, string(EMS), "en", "express parcels"},
	{KindCategory, string(EMS), "ru", "экспресс-посылки"},
	{KindCategory, string(Ecommerce), "en", "e-commerce"},
	{KindCategory, string(Ecommerce), "en", "ecommerce"},
	{KindCategory, string(Ecommerce), "en", "online orders"},
	{KindCategory, string(Ecommerce), "uz-Latn", "internet-do'kon jo'natmalari"},
	{KindCategory, string(Ecommerce), "uz-Latn", "elektron tijorat"},
	{KindCategory, string(Ecommerce), "uz-Cyrl", "интернет-дўкон жўнатмалари"},
	{KindCategory, string(Ecommerce), "uz-Cyrl", "электрон тижорат"},
	{KindCategory, string(Ecommerce), "ru", "интернет-заказы"},
	{KindCategory, string(Ecommerce), "ru", "электронная торговля"},

	{KindMarketplaceColumn, "marketplace", "en", "marketplace"},
	{KindMarketplaceColumn, "marketplace", "en", "platform"},
	{KindMarketplaceColumn, "marketplace", "uz-Latn", "marketpleys"},
	{KindMarketplaceColumn, "marketplace", "uz-Latn", "platforma"},
	{KindMarketplaceColumn, "marketplace", "uz-Cyrl", "маркетплейс"},
	{KindMarketplaceColumn, "marketplace", "uz-Cyrl", "платформа"},
	{KindMarketplaceColumn, "marketplace", "ru", "маркетплейс"},
	{KindMarketplaceColumn, "marketplace", "ru", "площадка"},

	{KindMarketplace, AliExpress, "en", "AliExpress"},
	{KindMarketplace, AliExpress, "en", "Ali Express"},
	{KindMarketplace, AliExpress, "uz-Latn", "AliExpress"},
	{KindMarketplace, AliExpress, "uz-Cyrl", "АлиЭкспресс"},
	{KindMarketplace, AliExpress, "ru", "АлиЭкспресс"},
	{KindMarketplace, AliExpress, "ru", "АлиЕкспресс"},
	{KindMarketplace, AliExpress, "ru", "АлиЕхпресс"},
	{KindMarketplace, Temu, "en", "Temu"},
	{KindMarketplace, Temu, "uz-Latn", "Temu"},
	{KindMarketplace, Temu, "uz-Cyrl", "Тему"},
	{KindMarketplace, Temu, "ru", "Тему"},
	{KindMarketplace, Shein, "en", "Shein"},
	{KindMarketplace, Shein, "uz-Latn", "Shein"},
	{KindMarketplace, Shein, "uz-Cyrl", "Шеин"},
	{KindMarketplace, Shein, "ru", "Шейн"},

	{KindUnit, string(UnitItems), "en", "items"},
	{KindUnit, string(UnitItems), "en", "pieces"},
	{KindUnit, string(UnitItems), "en", "pcs"},
	{KindUnit, string(UnitItems), "en", "count"},
	{KindUnit, string(UnitItems), "en", "quantity"},
	{KindUnit, string(UnitItems), "en", "qty"},
	{KindUnit, string(UnitItems), "en", "number"},
	{KindUnit, string(UnitItems), "uz-Latn", "dona"},
	{KindUnit, string(UnitItems), "uz-Latn", "soni"},
	{KindUnit, string(UnitItems), "uz-Cyrl", "дона"},
	{KindUnit, string(UnitItems), "uz-Cyrl", "сони"},
	{KindUnit, string(UnitItems), "ru", "шт"},
	{KindUnit, string(UnitItems), "ru", "штук"},
	{KindUnit, string(UnitItems), "ru", "штуки"},
	{KindUnit, string(UnitItems), "ru", "количество"},
	{KindUnit, string(UnitItems), "ru", "кол-во"},
	{KindUnit, string(UnitWeight), "en", "weight"},
	{KindUnit, string(UnitKg), "en", "kg"},
	{KindUnit, string(UnitKg), "en", "kilograms"},
	{KindUnit, string(UnitWeight), "uz-Latn", "og'irlik"},
	{KindUnit, string(UnitKg), "uz-Latn", "kg"},
	{KindUnit, string(UnitWeight), "uz-Cyrl", "оғирлик"},
	{KindUnit, string(UnitKg), "uz-Cyrl", "кг"},
	{KindUnit, string(UnitWeight), "ru", "вес"},
	{KindUnit, string(UnitKg), "ru", "кг"},
	{KindUnit, string(UnitKg), "ru", "килограмм"},
	{KindUnit, string(UnitTonne), "en", "t"},
	{KindUnit, string(UnitTonne), "en", "tonnes"},
	{KindUnit, string(UnitTonne), "en", "tons"},
	{KindUnit, string(UnitTonne), "uz-Latn", "t"},
	{KindUnit, string(UnitTonne), "uz-Latn", "tonna"},
	{KindUnit, string(UnitTonne), "uz-Cyrl", "т"},
	{KindUnit, string(UnitTonne), "uz-Cyrl", "тонна"},
	{KindUnit, string(UnitTonne), "ru", "т"},
	{KindUnit, string(UnitTonne), "ru", "тн"},
	{KindUnit, string(UnitTonne), "ru", "тонн"},
	{KindUnit, string(UnitTonne), "ru", "тонна"},
	{KindUnit, string(UnitGram), "en", "g"},
	{KindUnit, string(UnitGram), "en", "grams"},
	{KindUnit, string(UnitGram), "uz-Latn", "g"},
	{KindUnit, string(UnitGram), "uz-Latn", "gramm"},
	{KindUnit, string(UnitGram), "uz-Cyrl", "г"},
	{KindUnit, string(UnitGram), "uz-Cyrl", "грамм"},
	{KindUnit, string(UnitGram), "ru", "г"},
	{KindUnit, string(UnitGram), "ru", "грамм"},

	{KindUnit, string(UnitPound), "en", "lb"},
	{KindUnit, string(UnitPound), "en", "lbs"},
	{KindUnit, string(UnitPound), "en", "pounds"},
	{KindUnit, string(UnitPound), "uz-Latn", "funt"},
	{KindUnit, string(UnitPound), "uz-Cyrl", "фунт"},
	{KindUnit, string(UnitPound), "ru", "фунт"},
	{KindUnit, string(UnitPound), "ru", "фунтов"},

	{KindMultiplier, "1000", "en", "thousand"},
	{KindMultiplier, "1000", "en", "thousands"},
	{KindMultiplier, "1000", "en", "000"},
	{KindMultiplier, "1000", "en", "k"},
	{KindMultiplier, "1000000", "en", "million"},
	{KindMultiplier, "1000000", "en", "mln"},
	{KindMultiplier, "1000", "uz-Latn", "ming"},
	{KindMultiplier, "1000000", "uz-Latn", "mln"},
	{KindMultiplier, "1000", "uz-Cyrl", "минг"},
	{KindMultiplier, "1000000", "uz-Cyrl", "млн"},
	{KindMultiplier, "1000", "ru", "тыс"},
	{KindMultiplier, "1000", "ru", "тысяч"},
	{KindMultiplier, "1000", "ru", "тысячи"},
	{KindMultiplier, "1000000", "ru", "млн"},

	{KindPart, "part", "en", "including"},
	{KindPart, "part", "en", "of which"},
	{KindPart, "part", "uz-Latn", "shu jumladan"},
	{KindPart, "part", "uz-Latn", "jumladan"},
	{KindPart, "part", "uz-Cyrl", "шу жумладан"},
	{KindPart, "part", "uz-Cyrl", "жумладан"},
	{KindPart, "part", "ru", "в т ч"},
	{KindPart, "part", "ru", "в том числе"},
	{KindPart, "part", "ru", "из них"},

	{KindDerived, "derived", "en", "growth"},
	{KindDerived, "derived", "en", "share"},
	{KindDerived, "derived", "en", "change"},
	{KindDerived, "derived", "en", "percent"},
	{KindDerived, "derived", "uz-Latn", "o'sish"},
	{KindDerived, "derived", "uz-Latn", "o'sish sur'ati"},
	{KindDerived, "derived", "uz-Latn", "ulush"},
	{KindDerived, "derived", "uz-Latn", "ulushi"},
	{KindDerived, "derived", "uz-Cyrl", "ўсиш"},
	{KindDerived, "derived", "uz-Cyrl", "ўсиш суръати"},
	{KindDerived, "derived", "uz-Cyrl", "улуш"},
	{KindDerived, "derived", "uz-Cyrl", "улуши"},
	{KindDerived, "derived", "ru", "темп роста"},
	{KindDerived, "derived", "ru", "темп"},
	{KindDerived, "derived", "ru", "прирост"},
	{KindDerived, "derived", "ru", "доля"},
	{KindDerived, "derived", "ru", "рост"},

	{KindNotMonth, "quarter", "en", "quarter"},
	{KindNotMonth, "quarter", "en", "q1"},
	{KindNotMonth, "quarter", "en", "q2"},
	{KindNotMonth, "quarter", "en", "q3"},
	{KindNotMonth, "quarter", "en", "q4"},
	{KindNotMonth, "quarter", "uz-Latn", "chorak"},
	{KindNotMonth, "quarter", "uz-Cyrl", "чорак"},
	{KindNotMonth, "quarter", "ru", "кв"},
	{KindNotMonth, "quarter", "ru", "квартал"},
	{KindNotMonth, "half", "en", "half year"},
	{KindNotMonth, "half", "en", "h1"},
	{KindNotMonth, "half", "en", "h2"},
	{KindNotMonth, "half", "uz-Latn", "yarim yillik"},
	{KindNotMonth, "half", "uz-Cyrl", "ярим йиллик"},
	{KindNotMonth, "half", "ru", "полугодие"},
	{KindNotMonth, "running", "en", "year to date"},
	{KindNotMonth, "running", "en", "ytd"},
	{KindNotMonth, "running", "en", "cumulative"},
	{KindNotMonth, "running", "uz-Latn", "yil boshidan"},
	{KindNotMonth, "running", "uz-Cyrl", "йил бошидан"},
	{KindNotMonth, "running", "ru", "нарастающим итогом"},
	{KindNotMonth, "running", "ru", "с начала года"},

	{KindIndexColumn, "index", "en", "no"},
	{KindIndexColumn, "index", "ru", "п п"},
	{KindIndexColumn, "index", "uz-Latn", "t r"},
	{KindIndexColumn, "index", "uz-Cyrl", "т р"},
	{KindUnitColumn, "unit", "en", "unit"},
	{KindUnitColumn, "unit", "en", "units"},
	{KindUnitColumn, "unit", "uz-Latn", "o'lchov birligi"},
	{KindUnitColumn, "unit", "uz-Cyrl", "ўлчов бирлиги"},
	{KindUnitColumn, "unit", "ru", "ед изм"},
	{KindUnitColumn, "unit", "ru", "единица измерения"},
	{KindLabelColumn, "label", "en", "indicator"},
	{KindLabelColumn, "label", "uz-Latn", "ko'rsatkich"},
	{KindLabelColumn, "label", "uz-Latn", "ko'rsatkichlar"},
	{KindLabelColumn, "label", "uz-Cyrl", "кўрсаткич"},
	{KindLabelColumn, "label", "uz-Cyrl", "кўрсаткичлар"},
	{KindLabelColumn, "label", "ru", "показатель"},
	{KindLabelColumn, "label", "ru", "показатели"},
	{KindLabelColumn, "label", "ru", "наименование"},

	{KindTotal, "total", "en", "total"},
	{KindTotal, "total", "en", "grand total"},
	{KindTotal, "total", "en", "subtotal"},
	{KindTotal, "total", "uz-Latn", "jami"},
	{KindTotal, "total", "uz-Cyrl", "жами"},
	{KindTotal, "total", "ru", "итого"},
	{KindTotal, "total", "ru", "итог"},
	{KindTotal, "total", "ru", "всего"},
}

// MonthNames are the month names understood in periods (`March 2025`,
// `mart 2025`, `марта 2025`), with short and genitive forms.
var MonthNames = []Entry{
	{KindMonth, "1", "en", "january"}, {KindMonth, "1", "en", "jan"},
	{KindMonth, "2", "en", "february"}, {KindMonth, "2", "en", "feb"},
	{KindMonth, "3", "en", "march"}, {KindMonth, "3", "en", "mar"},
	{KindMonth, "4", "en", "april"}, {KindMonth, "4", "en", "apr"},
	{KindMonth, "5", "en", "may"},
	{KindMonth, "6", "en", "june"}, {KindMonth, "6", "en", "jun"},
	{KindMonth, "7", "en", "july"}, {KindMonth, "7", "en", "jul"},
	{KindMonth, "8", "en", "august"}, {KindMonth, "8", "en", "aug"},
	{KindMonth, "9", "en", "september"}, {KindMonth, "9", "en", "sep"}, {KindMonth, "9", "en", "sept"},
	{KindMonth, "10", "en", "october"}, {KindMonth, "10", "en", "oct"},
	{KindMonth, "11", "en", "november"}, {KindMonth, "11", "en", "nov"},
	{KindMonth, "12", "en", "december"}, {KindMonth, "12", "en", "dec"},

	{KindMonth, "1", "uz-Latn", "yanvar"},
	{KindMonth, "2", "uz-Latn", "fevral"},
	{KindMonth, "3", "uz-Latn", "mart"},
	{KindMonth, "4", "uz-Latn", "aprel"},
	{KindMonth, "5", "uz-Latn", "may"},
	{KindMonth, "6", "uz-Latn", "iyun"},
	{KindMonth, "7", "uz-Latn", "iyul"},
	{KindMonth, "8", "uz-Latn", "avgust"},
	{KindMonth, "9", "uz-Latn", "sentabr"}, {KindMonth, "9", "uz-Latn", "sentyabr"},
	{KindMonth, "10", "uz-Latn", "oktabr"}, {KindMonth, "10", "uz-Latn", "oktyabr"},
	{KindMonth, "11", "uz-Latn", "noyabr"},
	{KindMonth, "12", "uz-Latn", "dekabr"},

	{KindMonth, "1", "uz-Cyrl", "январ"},
	{KindMonth, "2", "uz-Cyrl", "феврал"},
	{KindMonth, "3", "uz-Cyrl", "март"},
	{KindMonth, "4", "uz-Cyrl", "апрел"},
	{KindMonth, "5", "uz-Cyrl", "май"},
	{KindMonth, "6", "uz-Cyrl", "июн"},
	{KindMonth, "7", "uz-Cyrl", "июл"},
	{KindMonth, "8", "uz-Cyrl", "август"},
	{KindMonth, "9", "uz-Cyrl", "сентябр"},
	{KindMonth, "10", "uz-Cyrl", "октябр"},
	{KindMonth, "11", "uz-Cyrl", "ноябр"},
	{KindMonth, "12", "uz-Cyrl", "декабр"},

	{KindMonth, "1", "ru", "январь"}, {KindMonth, "1", "ru", "января"}, {KindMonth, "1", "ru", "янв"},
	{KindMonth, "2", "ru", "февраль"}, {KindMonth, "2", "ru", "февраля"}, {KindMonth, "2", "ru", "фев"},
	{KindMonth, "3", "ru", "март"}, {KindMonth, "3", "ru", "марта"}, {KindMonth, "3", "ru", "мар"},
	{KindMonth, "4", "ru", "апрель"}, {KindMonth, "4", "ru", "апреля"}, {KindMonth, "4", "ru", "апр"},
	{KindMonth, "5", "ru", "май"}, {KindMonth, "5", "ru", "мая"},
	{KindMonth, "6", "ru", "июнь"}, {KindMonth, "6", "ru", "июня"},
	{KindMonth, "7", "ru", "июль"}, {KindMonth, "7", "ru", "июля"},
	{KindMonth, "8", "ru", "август"}, {KindMonth, "8", "ru", "августа"}, {KindMonth, "8", "ru", "авг"},
	{KindMonth, "9", "ru", "сентябрь"}, {KindMonth, "9", "ru", "сентября"}, {KindMonth, "9", "ru", "сен"}, {KindMonth, "9", "ru", "сент"},
	{KindMonth, "10", "ru", "октябрь"}, {KindMonth, "10", "ru", "октября"}, {KindMonth, "10", "ru", "окт"},
	{KindMonth, "11", "ru", "ноябрь"}, {KindMonth, "11", "ru", "ноября"}, {KindMonth, "11", "ru", "ноя"},
	{KindMonth, "12", "ru", "декабрь"}, {KindMonth, "12", "ru", "декабря"}, {KindMonth, "12", "ru", "дек"},
}

// YearWords may stand next to a year in a period (`2025 г.`, `2025-yil`).
var YearWords = []string{"г", "год", "года", "yil", "yili", "йил", "йили", "y", "year"}

// DirectionWords give a partner's direction by a preposition before it
// (`из Китая`, `from China`) or a case ending on it (`Xitoydan`, `Хитойга`).
// Seen from Uzbekistan: from a partner is inbound, to a partner outbound.
var DirectionWords = []struct {
	Direction Direction
	Lang      string
	Before    string // a preposition, folded, as a whole token before the partner
	Suffix    string // a case ending on the partner's last word
}{
	{Inbound, "en", "from", ""},
	{Outbound, "en", "to", ""},
	{Inbound, "ru", "из", ""},
	{Inbound, "ru", "от", ""},
	{Outbound, "ru", "в", ""},
	{Outbound, "ru", "во", ""},
	{Inbound, "uz-Latn", "", "dan"},
	{Outbound, "uz-Latn", "", "ga"},
	{Outbound, "uz-Latn", "", "ka"},
	{Outbound, "uz-Latn", "", "qa"},
	{Inbound, "uz-Cyrl", "", "дан"},
	{Outbound, "uz-Cyrl", "", "га"},
	{Outbound, "uz-Cyrl", "", "ка"},
	{Outbound, "uz-Cyrl", "", "қа"},
}
