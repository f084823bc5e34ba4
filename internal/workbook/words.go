package workbook

import "postdash/internal/postal"

// Lang is a language code as postdash spells it (en, ru, uz-Latn, uz-Cyrl).
type Lang = string

// Langs are the languages a workbook can be written in.
var Langs = []Lang{"en", "ru", "uz-Latn", "uz-Cyrl"}

// column names the canonical long layout's columns; every header is a word
// the importer's vocabulary knows, so what we write imports back.
var headers = map[Lang][]string{
	"en":      {"Period", "Direction", "Partner", "Category", "Marketplace", "Items", "Weight, kg"},
	"ru":      {"Период", "Направление", "Партнёр", "Категория", "Маркетплейс", "Количество, шт", "Вес, кг"},
	"uz-Latn": {"Davr", "Yo'nalish", "Hamkor", "Toifa", "Marketpleys", "Soni, dona", "Og'irlik, kg"},
	"uz-Cyrl": {"Давр", "Йўналиш", "Ҳамкор", "Тоифа", "Маркетплейс", "Сони, дона", "Оғирлик, кг"},
}

// words spells canonical values in each language, again in the importer's vocabulary.
var words = map[Lang]map[string]string{
	"en": {
		"inbound": "inbound", "outbound": "outbound", "transit": "transit",
		"letter_post": "letter post", "registered_letter": "registered letters", "parcel": "parcels", "ems": "EMS", "ecommerce": "e-commerce",
		"china_post": "China Post", "latvijas_pasts": "Latvijas Pasts", "vanuatu_post": "Vanuatu Post",
		"aliexpress": "AliExpress", "temu": "Temu", "shein": "Shein",
	},
	"ru": {
		"inbound": "входящие", "outbound": "исходящие", "transit": "транзит",
		"letter_post": "письма", "registered_letter": "заказные письма", "parcel": "посылки", "ems": "EMS", "ecommerce": "электронная торговля",
		"china_post": "Почта Китая", "latvijas_pasts": "Почта Латвии", "vanuatu_post": "Почта Вануату",
		"aliexpress": "АлиЭкспресс", "temu": "Тему", "shein": "Шейн",
	},
	"uz-Latn": {
		"inbound": "kiruvchi", "outbound": "chiquvchi", "transit": "tranzit",
		"letter_post": "xat-xabarlar", "registered_letter": "buyurtma xatlar", "parcel": "posilkalar", "ems": "EMS", "ecommerce": "elektron tijorat",
		"china_post": "Xitoy pochtasi", "latvijas_pasts": "Latviya pochtasi", "vanuatu_post": "Vanuatu pochtasi",
		"aliexpress": "AliExpress", "temu": "Temu", "shein": "Shein",
	},
	"uz-Cyrl": {
		"inbound": "кирувчи", "outbound": "чиқувчи", "transit": "транзит",
		"letter_post": "хат-хабарлар", "registered_letter": "буюртма хатлар", "parcel": "посилкалар", "ems": "EMS", "ecommerce": "электрон тижорат",
		"china_post": "Хитой почтаси", "latvijas_pasts": "Латвия почтаси", "vanuatu_post": "Вануату почтаси",
		"aliexpress": "АлиЭкспресс", "temu": "Тему", "shein": "Шеин",
	},
}

// sheetNames are the template's sheet names.
var sheetNames = map[Lang][2]string{
	"en":      {"Data", "Instructions"},
	"ru":      {"Данные", "Инструкция"},
	"uz-Latn": {"Ma'lumotlar", "Yo'riqnoma"},
	"uz-Cyrl": {"Маълумотлар", "Йўриқнома"},
}

// instructions are the lines of the template's instructions sheet.
var instructions = map[Lang][]string{
	"en": {
		"How to fill in this sheet",
		"One row per month and series. Period: a month as 2025-03 (or a date; the day rolls up to its month).",
		"Direction, Partner, Category and Marketplace: pick from the list; another partner or marketplace may be typed as written.",
		"Items: whole number of items. Weight, kg: kilograms, decimal comma or point. Leave a cell empty when unknown; a dash (-) means zero.",
		"Rows with the same period and dimensions add up. Total rows (Total, Jami, Итого) are checked, not imported.",
		"Import with: postdash import FILE.xlsx, or upload the file on the Upload page.",
	},
	"ru": {
		"Как заполнить лист",
		"Одна строка на месяц и ряд. Период: месяц в виде 2025-03 (или дата; день относится к своему месяцу).",
		"Направление, Партнёр, Категория и Маркетплейс: выберите из списка; другого партнёра или маркетплейс можно вписать как есть.",
		"Количество: целое число отправлений. Вес, кг: килограммы, десятичная запятая или точка. Пустая ячейка — нет данных; прочерк (-) — ноль.",
		"Строки с одинаковыми периодом и признаками складываются. Итоговые строки (Итого, Всего) проверяются, но не загружаются.",
		"Загрузка: postdash import ФАЙЛ.xlsx или страница «Загрузка».",
	},
	"uz-Latn": {
		"Varaqni qanday to'ldirish kerak",
		"Har bir oy va qator uchun bitta satr. Davr: oy 2025-03 ko'rinishida (yoki sana; kun o'z oyiga qo'shiladi).",
		"Yo'nalish, Hamkor, Toifa va Marketpleys: ro'yxatdan tanlang; boshqa hamkor yoki marketpleysni yozilganicha kiritish mumkin.",
		"Soni: jo'natmalarning butun soni. Og'irlik, kg: kilogramm, o'nli vergul yoki nuqta. Noma'lum bo'lsa katakni bo'sh qoldiring; chiziqcha (-) nolni bildiradi.",
		"Davri va belgilari bir xil satrlar qo'shiladi. Jami satrlari tekshiriladi, lekin yuklanmaydi.",
		"Yuklash: postdash import FAYL.xlsx yoki «Yuklash» sahifasi.",
	},
	"uz-Cyrl": {
		"Варақни қандай тўлдириш керак",
		"Ҳар бир ой ва қатор учун битта сатр. Давр: ой 2025-03 кўринишида (ёки сана; кун ўз ойига қўшилади).",
		"Йўналиш, Ҳамкор, Тоифа ва Маркетплейс: рўйхатдан танланг; бошқа ҳамкор ёки маркетплейсни ёзилганича киритиш мумкин.",
		"Сони: жўнатмаларнинг бутун сони. Оғирлик, кг: килограмм, ўнли вергул ёки нуқта. Номаълум бўлса катакни бўш қолдиринг; чизиқча (-) нолни билдиради.",
		"Даври ва белгилари бир хил сатрлар қўшилади. Жами сатрлари текширилади, лекин юкланмайди.",
		"Юклаш: postdash import ФАЙЛ.xlsx ёки «Юклаш» саҳифаси.",
	},
}

// exampleRow is the one example row of a template.
var exampleRow = Row{
	Month:    postal.Month{Year: 2025, Month: 1},
	Series:   postal.Series{Direction: postal.Inbound, Partner: postal.ChinaPost, Category: postal.Ecommerce, Marketplace: postal.AliExpress},
	Items:    1200,
	HasItems: true, WeightKg: 3500.5, HasWeight: true,
}
