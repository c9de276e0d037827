/** The catalog's answers that other services and the agents read as they are. */

/**
 * Sizes compared as a customer writes them: "m" is "M", "45mm" is "45 mm", and "200 x 300" is
 * "200x300 cm" (the unit may be left out). One rule for the seller's tools and the orders service.
 */
const sizeKey = (size: string) => size.replace(/\s+/g, "").toUpperCase().replace(/(\d)CM$/, "$1");
export const sameSize = (a: string, b: string): boolean => sizeKey(a) === sizeKey(b);

/**
 * A price as every reply, card and log shows it: "$1,084.99", "€12.50", "MXN 1,200.00". One
 * formatter, so the guardrails, the brain's list parsing and the console all read the same text.
 */
export function formatMoney(minor: number, currency = "USD"): string {
	const sign = minor < 0 ? "-" : "";
	const abs = Math.abs(Math.round(minor));
	const units = Math.floor(abs / 100).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
	const amount = `${units}.${(abs % 100).toString().padStart(2, "0")}`;
	const symbol = ({ USD: "$", EUR: "€", GBP: "£" } as Record<string, string>)[currency];
	return `${sign}${symbol ?? `${currency} `}${amount}`;
}

/**
 * The catalog's colour names a customer's plain colour word covers. Customers ask for "grey" or
 * "blue"; products come in charcoal, space grey, navy and sage, and a search that compared names
 * alone told a customer asking for a grey laptop that there was none.
 */
const COLOUR_FAMILIES: Record<string, readonly string[]> = {
	grey: ["charcoal", "graphite", "slate"],
	blue: ["navy", "indigo", "midnight", "cobalt", "denim"],
	green: ["sage", "olive", "khaki", "emerald", "mint"],
	brown: ["camel", "tan", "cognac", "chocolate", "walnut"],
	beige: ["oatmeal", "cream", "ivory", "stone", "natural", "sand", "tan", "camel"],
	white: ["ivory", "cream"],
	pink: ["blush", "rose", "fuchsia"],
	red: ["burgundy", "terracotta", "rust", "crimson"],
	orange: ["rust", "terracotta"],
	yellow: ["mustard"],
	gold: ["brass"],
	purple: ["lilac", "lavender", "plum"],
	// "Something neutral": the quiet colours and their shades, each family whole.
	neutral: ["beige", "grey", "white", "black", "taupe"]
};

/**
 * Whether a product colour (as the catalog names it, lower case) is the colour asked for: the same
 * name, a shade named with it ("space grey", "light blue"), or one of its family (charcoal for grey).
 */
export function colourCovers(asked: string, colour: string): boolean {
	if (colour === asked || colour.split(/[\s-]+/).includes(asked)) return true;
	// A family may hold families ("neutral" holds grey, so charcoal and space grey too).
	return Object.hasOwn(COLOUR_FAMILIES, asked) && COLOUR_FAMILIES[asked]!.some(c => c === colour || (Object.hasOwn(COLOUR_FAMILIES, c) && colourCovers(c, colour)));
}

/** Attribute keys that list the colours a product comes in (for make-up, its shades), first found first. */
export const COLOUR_ATTRIBUTES = ["colours", "colors", "colour", "color", "shades"] as const;

/** The colours (or shades) a product's attributes list, as the catalog writes them; one to choose from when several. */
export function coloursOf(attributes: Readonly<Record<string, unknown>> | undefined): string[] {
	for (const key of COLOUR_ATTRIBUTES) {
		const v = attributes?.[key];
		if (typeof v === "string" && v.trim()) return v.split(/\s*,\s*/).filter(Boolean);
		if (Array.isArray(v)) return v.filter((c): c is string => typeof c === "string" && c.trim().length > 0);
	}
	return [];
}

/**
 * The one of `offered` a customer's colour names, in the catalog's spelling: the same name first,
 * else the only one it covers ("grey" for "charcoal"); undefined when none or several fit.
 */
export function colourNamed(asked: string, offered: readonly string[]): string | undefined {
	const key = asked.trim().toLowerCase();
	const same = offered.find(c => c.toLowerCase() === key);
	if (same) return same;
	const covered = offered.filter(c => colourCovers(key, c.toLowerCase()));
	return covered.length === 1 ? covered[0] : undefined;
}

/**
 * The plain colour words customers write, in English and Spanish (folded: no accents, lower case),
 * onto the English name a catalog colour is compared with.
 */
export const COLOUR_WORDS: Readonly<Record<string, string>> = {
	black: "black", negro: "black", negra: "black", white: "white", blanco: "white", blanca: "white",
	red: "red", rojo: "red", roja: "red", blue: "blue", azul: "blue", green: "green", verde: "green",
	pink: "pink", rosa: "pink", rosado: "pink", grey: "grey", gray: "grey", gris: "grey", brown: "brown",
	marron: "brown", beige: "beige", yellow: "yellow", amarillo: "yellow", amarilla: "yellow",
	purple: "purple", morado: "purple", morada: "purple", orange: "orange", naranja: "orange",
	silver: "silver", plateado: "silver", gold: "gold", dorado: "gold", dorada: "gold", navy: "navy", camel: "camel",
	olive: "olive", burgundy: "burgundy", granate: "burgundy", sage: "sage", indigo: "indigo", charcoal: "charcoal",
	// Shades the catalog names that are no other word here ("cream" is a product, "blush" and "tan" shades of make-up).
	rust: "rust", ivory: "ivory", marfil: "ivory", mustard: "mustard", mostaza: "mustard", terracotta: "terracotta", terracota: "terracotta",
	neutral: "neutral", neutro: "neutral", neutra: "neutral",
	cognac: "cognac", oatmeal: "oatmeal", graphite: "graphite", grafito: "graphite", khaki: "khaki", caqui: "khaki", brass: "brass"
};

/**
 * The catalog's colour names (English) as a Spanish speaker would say them; others are said as they
 * are. One list for the replies and the catalog's Spanish descriptions, so both name a colour alike.
 */
export const COLOURS_ES: Readonly<Record<string, string>> = {
	black: "negro", white: "blanco", red: "rojo", blue: "azul", green: "verde", pink: "rosa", grey: "gris", gray: "gris", brown: "marrón", beige: "beige",
	yellow: "amarillo", purple: "morado", orange: "naranja", silver: "plateado", gold: "dorado", navy: "azul marino", olive: "verde oliva", burgundy: "granate",
	camel: "camel", "light blue": "azul claro", indigo: "índigo", tan: "tostado", cream: "crema", cognac: "coñac", "space grey": "gris espacial", midnight: "azul medianoche",
	charcoal: "gris marengo", sage: "verde salvia", oatmeal: "avena", terracotta: "terracota", brass: "latón", natural: "natural", ivory: "marfil", rust: "óxido",
	mustard: "mostaza", blush: "rosa palo", graphite: "grafito", stone: "piedra", "dusty pink": "rosa empolvado", neon: "neón", sand: "arena"
};

const foldWords = (text: string) => ` ${text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/[^a-z0-9]+/g, " ").trim()} `;

/** A word as a dictionary of ours lists it, plurals too: "blancas" → "blanca", "jarrones" → "jarron", "greys" → "grey". */
export function lookupEs<T>(table: Readonly<Record<string, T>>, w: string): T | undefined {
	return table[w] ?? (w.length > 3 && w.endsWith("s") ? (table[w.slice(0, -1)] ?? (w.endsWith("es") ? table[w.slice(0, -2)] : undefined)) : undefined);
}

/**
 * What a text says about the colour of a product that comes in `offered`: the ones it names, in
 * the catalog's spelling and order — by their own name ("space grey", "light blue"), else by a
 * plain colour word that covers just one of them ("negro" for black, "grey" for charcoal) — and
 * the colour words it says that cover none of them (`lacking`, as the customer wrote them). A
 * word that covers several ("blue" of light blue and indigo) names none and lacks nothing.
 */
export function coloursSaid(text: string, offered: readonly string[]): { named: string[]; lacking: string[] } {
	const words = foldWords(text);
	const own = offered.filter(c => words.includes(foldWords(c)));
	if (own.length) return { named: own, lacking: [] };
	const named = new Set<string>();
	const lacking = new Set<string>();
	for (const w of words.trim().split(" ")) {
		const plain = lookupEs(COLOUR_WORDS, w);
		if (!plain) continue;
		const one = colourNamed(plain, offered);
		if (one) named.add(one);
		else if (!offered.some(c => colourCovers(plain, c.toLowerCase()))) lacking.add(w);
	}
	return { named: offered.filter(c => named.has(c)), lacking: named.size ? [] : [...lacking] };
}

const LETTER_SIZES = ["XXS", "XS", "S", "M", "L", "XL", "XXL", "XXXL"];
const BED_SIZES = ["single", "twin", "double", "queen", "king"];
/**
 * Sizes as a size chart lists them, smallest first: XS before M, 39 before 42.5, 120x170 cm before
 * 200x300 cm (by area), single before king; anything else after them, as given.
 */
export function sizesSmallestFirst(sizes: readonly string[]): string[] {
	const rank = (size: string): number => {
		const letter = LETTER_SIZES.indexOf(size.toUpperCase());
		if (letter >= 0) return letter;
		const bed = BED_SIZES.indexOf(size.toLowerCase());
		if (bed >= 0) return 10 + bed;
		const figures = size.match(/\d+(?:[.,]\d+)?/g)?.map(f => Number(f.replace(",", ".")));
		return figures ? 100 + figures.reduce((area, f) => area * f, 1) : Number.POSITIVE_INFINITY;
	};
	return [...sizes].sort((a, b) => rank(a) - rank(b));
}

/**
 * The youngest player an age rating allows: ESRB letters (E, E10+, T, M, AO) or a PEGI figure
 * ("PEGI 12", "12"). Undefined for a rating we cannot read ("RP", pending), which no filter trusts.
 */
export function ratingMinimumAge(rating: string | undefined): number | undefined {
	const r = rating?.trim().toUpperCase().replace(/\s+/g, " ");
	if (!r) return undefined;
	const esrb: Record<string, number> = { EC: 3, E: 0, "E10+": 10, E10: 10, T: 13, M: 17, AO: 18 };
	if (r in esrb) return esrb[r];
	const pegi = /^(?:PEGI )?(3|7|12|16|18)\+?$/.exec(r);
	return pegi ? Number(pegi[1]) : undefined;
}

/**
 * Whether a product suits a player of `age`: one with no age rating does (a controller, a gift
 * card); a rated one only when its rating allows that age, and an unreadable rating does not.
 */
export function suitsAge(attributes: Readonly<Record<string, unknown>> | undefined, age: number): boolean {
	const rating = attributes?.rating;
	if (typeof rating !== "string" || !rating.trim()) return true;
	const minimum = ratingMinimumAge(rating);
	return minimum !== undefined && age >= minimum;
}

export const PAYMENT_METHODS = ["card", "paypal", "apple_pay", "bank_transfer", "cash_on_delivery"] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];
export const RETURN_CONDITIONS = ["any", "unused", "unopened"] as const;
export type ReturnCondition = (typeof RETURN_CONDITIONS)[number];

/**
 * A brand's terms of sale, as data the seller quotes (never its own guess). Figures only, no
 * prose: the seller words them in the customer's language. A topic left out is one the store has
 * not stated: the seller says so and offers a person. Orders carry no delivery charge, so none is
 * stated here either.
 */
export interface StorePolicies {
	brand: string;
	/** Business days from the order to the door. */
	delivery?: { minDays: number; maxDays: number };
	/** Days after delivery within which an item may be sent back, and in what state. */
	returns?: { days: number; condition: ReturnCondition };
	warranty?: { months: number };
	payment?: { methods: PaymentMethod[] };
}

/**
 * Spec bounds in a product query ("at least 16 GB of RAM", "128gb or more", "más de 8 GB"): the
 * catalog search and the offline brain read them alike. A bound is written into the query as one
 * token, `min16gbram` or `over8gb`, which every tokenizer keeps whole; the search compares it with
 * the products' attribute figures instead of looking for "16gb" verbatim.
 */
export interface SpecBound {
	/** `min`: the figure or more; `over`: more than the figure. */
	op: "min" | "over";
	/** In the family's base unit (GB for storage, Hz for frequencies, inches for screens). */
	value: number;
	family: string;
	/** The attribute asked about ("ram", "storage"), when the query named it. */
	attr?: string;
	/** As the customer would say it: "at least 16 GB RAM". */
	text: string;
}

/** Units a spec is compared in: their family and the factor to the family's base unit. */
const SPEC_UNITS: Record<string, { family: string; factor: number; label: string }> = {
	mb: { family: "bytes", factor: 1 / 1024, label: "MB" },
	gb: { family: "bytes", factor: 1, label: "GB" },
	tb: { family: "bytes", factor: 1024, label: "TB" },
	hz: { family: "hz", factor: 1, label: "Hz" },
	mhz: { family: "hz", factor: 1e6, label: "MHz" },
	ghz: { family: "hz", factor: 1e9, label: "GHz" },
	mah: { family: "mah", factor: 1, label: "mAh" },
	mp: { family: "mp", factor: 1, label: "MP" },
	w: { family: "w", factor: 1, label: "W" },
	kg: { family: "kg", factor: 1, label: "kg" },
	ml: { family: "ml", factor: 1, label: "ml" },
	in: { family: "in", factor: 1, label: "in" },
	// A piece of furniture's width ("280 cm"): compared, never written as a bound.
	cm: { family: "cm", factor: 1, label: "cm" },
	// A battery's or a candle's hours ("30 h"): compared, never written as a bound.
	h: { family: "h", factor: 1, label: "h" }
};
/** Words naming the attribute a bound is about, onto the attribute keys the catalog uses. */
const SPEC_ATTRS: Record<string, string> = {
	ram: "ram", memory: "ram", memoria: "ram",
	storage: "storage", almacenamiento: "storage", ssd: "storage", disk: "storage", disco: "storage",
	battery: "battery", bateria: "battery",
	camera: "camera", camara: "camera",
	screen: "screen", display: "screen", pantalla: "screen",
	refresh: "refreshrate"
};
const UNIT_WORD = "(gb|tb|mb|ghz|mhz|hz|mah|mp|w|kg|ml|inch(?:es)?|in|\")";
const ATTR_WORD = `(?:\\s+(?:of|de))?\\s+(${Object.keys(SPEC_ATTRS).join("|")})\\b`;
const FIGURE = "(\\d+(?:\\.\\d+)?)\\s?-?";
const BEFORE = new RegExp(`\\b(at least|minimum|min|no less than|al menos|como minimo|minimo|more than|over|above|greater than|bigger than|larger than|mas de|mayor a|mayor que)\\s+${FIGURE}${UNIT_WORD}(?![a-z0-9])(?:${ATTR_WORD})?`, "g");
const AFTER = new RegExp(`(?<![a-z0-9.])${FIGURE}${UNIT_WORD}(?:${ATTR_WORD})?(?:\\s?\\+|\\s+(?:or more|or higher|or above|or bigger|and up|and above|plus|minimum|min|at least|o mas|como minimo|minimo))(?![a-z0-9])`, "g");
const STRICT = /^(more than|over|above|greater than|bigger than|larger than|mas de|mayor a|mayor que)$/;
const TOKEN = /^(min|over)(\d+(?:p\d+)?)(gb|tb|mb|ghz|mhz|hz|mah|mp|w|kg|ml|in)([a-z]*)$/;

const unitKey = (word: string) => (word.startsWith("inch") || word === '"' ? "in" : word);
const token = (op: "min" | "over", figure: string, unit: string, attr: string | undefined) =>
	` ${op}${figure.replace(".", "p")}${unitKey(unit)}${attr ? SPEC_ATTRS[attr] : ""} `;

/** The query with each spec bound written as its token (expects lower case without accents). */
export function writeSpecBounds(query: string): string {
	return query
		.replace(BEFORE, (_m, op: string, figure: string, unit: string, attr?: string) => token(STRICT.test(op) ? "over" : "min", figure, unit, attr))
		.replace(AFTER, (_m, figure: string, unit: string, attr?: string) => token("min", figure, unit, attr));
}

/** The bound a query token stands for, or null for any other word. */
export function readSpecBound(word: string): SpecBound | null {
	const m = TOKEN.exec(word);
	if (!m) return null;
	const unit = SPEC_UNITS[m[3]!]!;
	const figure = Number(m[2]!.replace("p", "."));
	const attr = m[4] ? m[4] : undefined;
	const text = `${m[1] === "min" ? "at least" : "more than"} ${figure} ${unit.label}${attr ? ` ${attr === "ram" ? "RAM" : attr}` : ""}`;
	return { op: m[1] as "min" | "over", value: figure * unit.factor, family: unit.family, ...(attr ? { attr } : {}), text };
}

/** What a product's size is measured by, first found first: a screen's diagonal, a sofa's width, a bottle's size, a bag's capacity, a vase's height. */
export const SIZE_MEASURES = ["screen", "width", "size", "capacity", "height"] as const;

export interface SizeMeasure {
	/** The attribute it is read from: "screen", "width"…, or "sizes" for the sizes a product comes in. */
	name: string;
	/** As the product states it; of sizes, all of them smallest first. */
	text: string;
	/** The figure in base units; of sizes, the biggest's. */
	value: number;
	/** Of sizes, the smallest: its figure and its text, with the biggest's text. */
	least?: number;
	leastText?: string;
	mostText?: string;
}

/** A size compared going up (its biggest) or going down (its smallest): a rug in two sizes is as big as its biggest, as compact as its smallest. */
export const sizeFigure = (m: SizeMeasure, smallest: boolean): number => (smallest ? (m.least ?? m.value) : m.value);

type Sized = { attributes?: Readonly<Record<string, string | readonly string[]>>; sizes?: readonly string[] };
/**
 * How far bigger ("is there a bigger one?") or more compact a product is than a base, measured as
 * the base is (a sofa's width against sofas' widths); null when it is not, or either states no size.
 */
export function sizeBeyond(p: Sized, base: Sized, way: "bigger" | "smaller"): number | null {
	const [mine, theirs] = [sizeMeasure(p.attributes, p.sizes), sizeMeasure(base.attributes, base.sizes)];
	if (!mine || !theirs || mine.name !== theirs.name) return null;
	const smallest = way === "smaller";
	const gap = sizeFigure(mine, smallest) - sizeFigure(theirs, smallest);
	return (smallest ? gap < 0 : gap > 0) ? Math.abs(gap) : null;
}

/** A size that states its measure: "160x230 cm", "45 mm". */
const MEASURED_SIZE = /^(\d+(?:[.,]\d+)?(?:\s?[x×]\s?\d+(?:[.,]\d+)?)*)\s?(mm|cm|m|in)$/i;
const LENGTH_IN_MM: Record<string, number> = { mm: 1, cm: 10, m: 1000, in: 25.4 };

/** A size's area (or length, of one figure) in millimetres, or a bed size's rank; undefined when it states neither. */
function sizeValue(size: string): number | undefined {
	const bed = BED_SIZES.indexOf(size.toLowerCase());
	if (bed >= 0) return bed + 1;
	const m = MEASURED_SIZE.exec(size.trim());
	if (!m) return undefined;
	const factor = LENGTH_IN_MM[m[2]!.toLowerCase()]!;
	return m[1]!.split(/\s?[x×]\s?/).reduce((area, f) => area * Number(f.replace(",", ".")) * factor, 1);
}

/**
 * The attribute a product's size is measured by, with its figure in base units; null when none
 * states one. A product sold in several measured sizes (a rug in 120x170 cm and 200x300 cm, a duvet
 * from single to king) is as big as the biggest it comes in, and as compact as the smallest:
 * `least` is that one. Letter and shoe sizes fit a body, so they measure nothing here.
 */
export function sizeMeasure(
	attributes: Readonly<Record<string, string | readonly string[]>> | undefined,
	sizes: readonly string[] | undefined = Array.isArray(attributes?.sizes) ? (attributes.sizes as readonly string[]) : undefined
): SizeMeasure | null {
	for (const name of SIZE_MEASURES) {
		const text = attributes?.[name];
		const figure = typeof text === "string" ? specFigures(text)[0] : undefined;
		if (figure) return { name, text: text as string, value: figure.value };
	}
	if (!sizes?.length) return null;
	const measured = sizes.map(size => ({ size, value: sizeValue(size) }));
	if (measured.some(m => m.value === undefined)) return null;
	const ordered = (measured as { size: string; value: number }[]).sort((a, b) => a.value - b.value);
	const [least, most] = [ordered[0]!, ordered.at(-1)!];
	return { name: "sizes", text: ordered.map(m => m.size).join(", "), value: most.value, least: least.value, leastText: least.size, mostText: most.size };
}

/** The figures an attribute value states ("512 GB SSD", "15.6 in", "5000 mAh"), in base units. */
export function specFigures(value: string): { value: number; family: string }[] {
	const out: { value: number; family: string }[] = [];
	for (const m of value.toLowerCase().matchAll(/(\d+(?:\.\d+)?)\s?(gb|tb|mb|ghz|mhz|hz|mah|mp|w|kg|ml|in|cm|h)(?![a-z0-9])/g)) {
		const unit = SPEC_UNITS[m[2]!]!;
		out.push({ value: Number(m[1]) * unit.factor, family: unit.family });
	}
	return out;
}
