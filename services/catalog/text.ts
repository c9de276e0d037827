/**
 * Text folding shared by the index and the queries: both sides go through the same steps, so a
 * query matches whatever spelling the product uses. Steps: Unicode decomposition with the accents
 * dropped (crème → creme), lower case, hyphenated words kept whole and split (t-shirt → tshirt, t,
 * shirt), English plurals folded (boots → boot, accessories → accessory), then synonyms mapped
 * onto one canonical term (trainers → sneaker).
 */
import { writeSpecBounds } from "../../contracts/catalog";

/** Each group maps onto its first term. Terms are written as they are after plural folding. */
const SYNONYM_GROUPS: readonly string[][] = [
	["sneaker", "trainer", "kick"],
	["runner", "running"],
	["mouse", "mice"],
	["laptop", "notebook"],
	["sofa", "couch", "settee"],
	["tshirt", "tee"],
	["hoodie", "hoody", "sweatshirt"],
	["smartphone", "phone", "mobile", "cellphone"],
	["headphone", "earphone", "headset"],
	["perfume", "fragrance", "cologne", "parfum"],
	["moisturiser", "moisturizer"],
	["colour", "color"],
	["grey", "gray"],
	["organiser", "organizer"],
	["sunscreen", "sunblock", "spf"],
	["rug", "carpet"],
	["tv", "television"],
	["controller", "gamepad", "joypad"],
	// A wheel for driving games is a "steering wheel" to the customer, a "racing wheel" to the shop.
	["racing", "steering"],
	["bag", "handbag", "purse"],
	// Wrinkles are what the catalog tags "anti-ageing" for.
	["ageing", "aging", "wrinkle", "antiageing", "antiaging", "antiwrinkle"],
	// A lamp to read by is a desk lamp.
	["desk", "reading"],
	// Shooters and competitive play are what the catalog tags "esports" gear for.
	["esports", "fps", "shooter", "competitive", "competitivo", "esport"],
	// Taking pictures is what a phone's camera is for.
	["camera", "photo", "picture", "photography", "pic", "selfie"],
	// What decorating asks for is what the catalog tags "decor".
	["decor", "decorate", "decorating", "decoration", "decorative", "ornament"],
	["comfortable", "comfy", "cosy", "cozy", "comfortably", "cozier", "cosier", "comfier", "coziest", "cosiest", "comfiest", "ergonomic"],
	// Training is what the catalog tags "sport" and "fitness".
	["sport", "sporty", "fitness", "gym", "workout", "exercise", "training", "athletic"],
	// What an occasion asks for is what the catalog tags "party".
	["party", "elegant", "formal", "fancy", "dressy", "occasion", "wedding"]
];

const SYNONYMS = new Map<string, string>();
for (const group of SYNONYM_GROUPS) for (const term of group) SYNONYMS.set(term, group[0]!);

const STOP_WORDS = new Set(["a", "an", "and", "the", "for", "with", "of", "in", "on", "to", "my", "me", "i", "some", "any", "show", "want", "need", "looking", "please"]);

/** Words whose final "s" is not a plural. */
const NOT_PLURAL = new Set(["glass", "dress", "boss", "gloss", "lens", "news", "series", "canvas", "jeans", "mattress", "atlas", "chaos", "bus", "plus", "gas", "ps", "xs", "s", "its", "this", "yes", "nexus", "cactus", "citrus", "hummus", "bliss", "press", "mass", "class", "grass", "dos", "xbox"]);

export function foldAccents(text: string): string {
	return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
}

/** Plural to singular for the regular English forms; leaves short words and known singulars alone. */
export function singular(word: string): string {
	if (word.length <= 3 || NOT_PLURAL.has(word) || /\d/.test(word)) return word;
	if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
	if (/(ches|shes|sses|xes|zes)$/.test(word)) return word.slice(0, -2);
	if (word.endsWith("ves") && word.length > 5) return `${word.slice(0, -3)}f`;
	if (word.endsWith("s") && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
	return word;
}

export function canonical(word: string): string {
	const one = singular(word);
	return SYNONYMS.get(one) ?? SYNONYMS.get(word) ?? one;
}

/**
 * Phrases whose words alone say something else, onto one term both sides share: "fragrance free"
 * is no fragrance (a perfume's synonym), "dark spots" are what a brightening serum is for.
 */
const PHRASES: [RegExp, string][] = [
	[/\b(?:fragrance|scent|perfume|parfum)[- ]free\b|\bwithout (?:fragrance|scent|perfume)\b/g, "unscented"],
	[/\bdark spots?\b|\b(?:hyper)?pigmentation\b|\buneven (?:skin )?tone\b/g, "brightening"],
	[/\bfine lines?\b/g, "wrinkle"]
];
const joinPhrases = (text: string) => PHRASES.reduce((s, [phrase, term]) => s.replace(phrase, term), text);

/** A word, with the hyphens and apostrophes inside it ("t-shirt", "d'oranger"). */
const WORD = /[a-z0-9]+(?:['’-][a-z0-9]+)*/g;

/** Units a figure is written with, apart or joined ("16 GB", "16gb"); not "in" or a lone letter, which are words too. */
const UNITS = new Set(["gb", "tb", "mb", "hz", "ghz", "mhz", "mm", "cm", "ml", "kg", "w", "mah", "mp", "oz"]);

/**
 * "16 GB" as one word, "16gb", however it was spaced: a figure alone matches every "16" (ProBook
 * 16's name). "Rated T" likewise: a lone letter is no term of its own (it is a size).
 */
function joinFigures(words: string[]): string[] {
	const out: string[] = [];
	for (let i = 0; i < words.length; i++) {
		const next = words[i + 1];
		if (next !== undefined && ((/^\d+$/.test(words[i]!) && UNITS.has(next)) || (words[i] === "rated" && /^(e|t|m)$/.test(next)))) {
			out.push(words[i]! + next);
			i++;
		} else out.push(words[i]!);
	}
	return out;
}

/**
 * Terms of a text, in order, duplicates kept (term frequency matters to ranking). A hyphenated or
 * apostrophised word yields its joined form and its parts.
 */
export function terms(text: string, opts: { keepStopWords?: boolean } = {}): string[] {
	const words = joinFigures(joinPhrases(foldAccents(text).toLowerCase()).match(WORD) ?? []);
	const out: string[] = [];
	for (const word of words) {
		const parts = word.split(/['’-]/);
		const variants = parts.length > 1 ? [parts.join(""), ...parts] : parts;
		for (const v of variants) {
			if (!opts.keepStopWords && STOP_WORDS.has(v)) continue;
			out.push(canonical(v));
		}
	}
	return out;
}

/**
 * The terms of each word of a query, word by word: a hyphenated word gives its joined form and its
 * parts ("white-cast": whitecast, white, cast), any of which may be the one the catalog has.
 */
export function queryWords(text: string): string[][] {
	return saidWords(text).map(w => w.terms);
}

/** The query's words as written (folded), each with its terms: what to tell the customer is the word they used ("running", not "runner"). */
export function saidWords(text: string): { word: string; terms: string[] }[] {
	// A lone letter is a size ("the jacket in M") or an initial, and every product that comes in
	// size M has an "m" among its attributes; "t-shirt" and "usb-c" keep theirs, "Pulse Watch 2" its figure.
	// "at least 16 GB of RAM" becomes one word (`min16gbram`) that the search compares with figures.
	const words = joinFigures(joinPhrases(writeSpecBounds(foldAccents(text).toLowerCase())).match(WORD) ?? []);
	return words.filter(w => w.length > 1 || /\d/.test(w)).map(word => ({ word, terms: terms(word) })).filter(w => w.terms.length > 0);
}

/** Distinct terms of a query. */
export function queryTerms(text: string): string[] {
	return [...new Set(queryWords(text).flat())];
}

/**
 * The words inside a name written as one ("SportFit" → sport fit, "QuietPro" → quiet pro), which a
 * customer says apart: "earbuds for sport" is the SportFit. The index adds them beside the whole.
 */
export function nameParts(text: string): string {
	return (foldAccents(text).match(/\b[A-Za-z]*[a-z][A-Z][A-Za-z]*\b/g) ?? []).map(w => w.replace(/([a-z])(?=[A-Z])/g, "$1 ")).join(" ");
}

/** Folding for exact filters (brand, category): "Sneakers" and "sneaker" compare equal. */
export function foldKey(text: string): string {
	return terms(text, { keepStopWords: true }).join(" ");
}
