/** A customer's words as a product search: the words, colour, price bounds, sort, age, and positions on a list. */
import { COLOUR_WORDS, lookupEs, writeSpecBounds } from "../../contracts/catalog";
import { ADD, CHEAPEST, CORRECTION, DEALS, LINK_G, NUMBER_WORDS, PRICIEST, STRETCHED_GREETING } from "./intents";
import { amount, FEATURES_ES, fold, NOUNS_ES, PHRASES_ES, singular, STOPWORDS } from "./text";
import type { ProductQuery } from "./types";


const ORDINALS: Record<string, number> = {
	// "Dame las primeras": a pair of boots is plural in Spanish.
	first: 1, "1st": 1, primero: 1, primera: 1, primer: 1, primeros: 1, primeras: 1,
	second: 2, "2nd": 2, segundo: 2, segunda: 2, segundos: 2, segundas: 2,
	third: 3, "3rd": 3, tercero: 3, tercera: 3, tercer: 3, terceros: 3, terceras: 3,
	fourth: 4, "4th": 4, cuarto: 4, cuarta: 4,
	fifth: 5, "5th": 5, quinto: 5, quinta: 5,
	last: -1, ultimo: -1, ultima: -1, ultimos: -1, ultimas: -1,
	// Thumbs on a phone: the misspellings customers send.
	frist: 1, fisrt: 1, firts: 1, secnd: 2, seccond: 2, scond: 2, secod: 2, thrid: 3, thrd: 3, forth: 4, foruth: 4, fith: 5, fifht: 5, segudno: 2, tecera: 3
};
export const ORDINAL_ALTERNATION = Object.keys(ORDINALS).join("|");
/** Every ordinal word, in the order written. */
export const ORDINAL_WORD = new RegExp(`\\b(${ORDINAL_ALTERNATION})\\b`, "g");
export const ORDINAL_ANY = new RegExp(`\\b(?:${ORDINAL_ALTERNATION})\\b`);
/** "The second one", "the first two", "compare them", "which one is better?": the words that point into a list. */
export const LIST_WORDS = new RegExp(`\\b(?:${ORDINAL_ALTERNATION}|ones?|them|these|those|both|better|best|cheaper|which|cual|cuales|uno|una|mejor)\\b`, "g");
const ORDINAL_PAIR = new RegExp(`\\b(${ORDINAL_ALTERNATION})(?: ones?)?\\s*(?:,|and|&|y|or|o|vs\\.?|versus)\\s*(?:the |el |la )?(${ORDINAL_ALTERNATION})\\b`);
/** "The first or the third?", "¿la primera o la tercera?": two of a list to choose between, side by side, not both bought. */
export const ORDINAL_EITHER = new RegExp(`\\b(?:${ORDINAL_ALTERNATION})(?: ones?)?\\s*(?:or|o|vs\\.?|versus)\\s*(?:the |el |la )?(?:${ORDINAL_ALTERNATION})\\b`);
/** Platforms a customer may name that the shop may not sell for, as `gameAnswer` compares them (letters and figures only). */
// Beside the platforms everyone knows, the consoles of our own catalog, typed in lower case as often.
export const KNOWN_PLATFORMS = /^(?:switchblade|nexus|ps\d|playstation\d?|xbox(?:one|seriesx|seriess|series)?|x?box|switch|nintendoswitch|switch2|nintendo|pc|mac|steam|steamdeck|windows|ios|android|iphone|ipad|wii|3ds)$/;
/**
 * "He's 12 and has a Switchblade", "tengo una Nexus": a device the customer (or who it is for)
 * already owns, which what they buy must work with, not a product to show them. Only a name (a
 * capital, a figure, or a platform everyone knows): "I have a small room" owns no platform.
 */
const OWNED = /\b(?:(?:he|she|they|i|we|my (?:son|daughter|nephew|niece|kid|brother|sister|boyfriend|girlfriend|husband|wife|friend|partner))(?: already| also)? (?:has|have|owns?|got|has got|plays? on)|(?:he|she|they|i|we)'(?:s|ve) got|\band (?:already |also )?(?:has|owns|plays on)|tengo|tenemos|juego en|(?:mi|su) (?:hijo|hija|sobrin[oa]|herman[oa]|novi[oa]|espos[oa]|amig[oa]|pareja) (?:ya )?(?:tiene|juega en|juega con))\s+(?:a |an |the |his |her |their |my |un |una |el |la |su |mi )?([A-Za-z0-9][\w-]*(?: [A-Z0-9][\w-]*)?)/i;
export function ownedPlatform(text: string): string | null {
	const name = OWNED.exec(text)?.[1];
	return name && (/^[A-Z0-9]/.test(name) || /\d/.test(name) || KNOWN_PLATFORMS.test(fold(name).replace(/[^a-z0-9]/g, ""))) ? name : null;
}
/** A search for what works with the device owned: its platforms, without its name as a word to look for. */
export function ownedSearch(args: Record<string, unknown>, platform: string): Record<string, unknown> {
	const device = new Set(fold(platform).split(/[^a-z0-9]+/));
	const { query, ...rest } = args;
	const words = String(query ?? "").split(/\s+/).filter(w => w && !device.has(w));
	return { ...rest, ...(words.length ? { query: words.join(" ") } : {}), platforms: [platform] };
}

const PERSON_EN = "son|daughter|kids?|child|boy|girl|nephew|niece|grandson|granddaughter|brother|sister|cousin|friend|teen|teenager|player|gamer";
const PERSON_ES = "hij[oa]|nin[oa]|nene|nena|chic[oa]|sobrin[oa]|niet[oa]|herman[oa]|prim[oa]|amig[oa]|alguien|adolescente";
/**
 * The age of who a product is for, as a customer gives it: "for my 10 year old (son)", "a
 * 12-year-old", "my son is 10", "she's 8", "aged 9", "mi hijo de 10 años", "mi sobrina tiene 7".
 * Only of a person: "my laptop is 5 years old" says nothing of who plays.
 */
const AGE_OF = new RegExp(
	[
		`\\b(?:a|an|my|our|his|her|their|for) (\\d{1,2})[ -]?(?:(?:years?|yrs?)[ -]?olds?|y\\/?o)\\b(?! (?:laptop|phone|computer|pc|console|tv|car)\\b)(?: (?:${PERSON_EN})s?\\b)?`,
		`\\b(\\d{1,2})[ -]?(?:years?|yrs?)[ -]?old (?:${PERSON_EN})s?\\b`,
		`\\bmy (?:${PERSON_EN}) (?:is|turns|is turning|will be|who(?:'|’)?s|who is|who turns|who is turning) (\\d{1,2})\\b(?![.,]\\d| ?(?:\\$|%|cm|in\\b|kg))`,
		`\\b(?:he|she)(?:'|’)?s (\\d{1,2})\\b(?![.,]\\d| ?(?:\\$|%|cm|in\\b|kg))|\\b(?:he|she) (?:is|turns|is turning|will be) (\\d{1,2})\\b(?![.,]\\d| ?(?:\\$|%|cm|in\\b|kg))`,
		`\\baged? (\\d{1,2})\\b`,
		`\\b(?:un |una |mi |su |tu )?(?:${PERSON_ES})s? de (\\d{1,2}) anos\\b`,
		`\\b(?:${PERSON_ES}) (?:que )?(?:tiene|cumple|va a cumplir|cumplira) (\\d{1,2})(?: anos)?\\b`,
		`\\b(?:el|ella) tiene (\\d{1,2}) anos\\b`
	].join("|")
);
const PERSON_WORDS = new RegExp(`\\b(?:${PERSON_EN}|${PERSON_ES})s?\\b`, "g");
/** The age of who it is for, said in the customer's recent messages (newest first): who they shop for outlasts a choice. */
export function ageOf(said: string[]): { age?: number } {
	const found = said.slice(0, 6).map(m => ageIn(fold(m))).find(Boolean);
	return found ? { age: found.age } : {};
}
/** A query read from words with who it is for taken out ("para mi hijo"), with the age those words gave ("de 14 años"). */
export function withAge(q: ProductQuery, s: string): ProductQuery {
	const age = q.forAge === undefined ? ageIn(s) : undefined;
	return age ? { ...q, forAge: age.age } : q;
}
/** The age `AGE_OF` reads in a folded text, and the words that said it; none outside 1–99. */
function ageIn(s: string): { age: number; said: string } | undefined {
	const m = AGE_OF.exec(s);
	const age = m ? Number(m.slice(1).find(g => g !== undefined)) : NaN;
	return m && age >= 1 && age <= 99 ? { age, said: m[0] } : undefined;
}

/** A figure followed by a unit is a spec, not a price: "at least 16gb", "under 15 inches", "over 120 hz". */
const UNIT_AFTER = /^\s*(?:x\s?\d|gb|tb|mb|ghz|mhz|hz|inch(?:es)?|in\b|"|cm|mm|m\b|ml|l\b|kg|g\b|oz|w\b|watts?|mah|mp|k\b|hours?|hrs?|h\b|%|players?|jugadores|pulgadas|horas)/;
/** Inches as a customer writes them after a screen's figure. */
const INCHES = /^(?:inch|inches|in|pulgada|pulgadas|pulg)$/;
/** Units a figure in a product query may carry, spelled apart ("120 hz"). */
const SPEC_UNIT = /^(gb|tb|mb|ghz|mhz|hz|mm|cm|ml|kg|w|mah|mp|oz)$/;
/** Digits grouped by thousands ("1,300", "12.500"): no price has three decimals. */
const THOUSANDS = /\b(\d{1,3})((?:[.,]\d{3})+)(?!\d)/g;

/** The match of a price pattern, unless its figure is a spec's. */
function priced(re: RegExp, s: string): RegExpExecArray | null {
	const m = re.exec(s);
	return m && !UNIT_AFTER.test(s.slice(m.index + m[0].length)) ? m : null;
}

/**
 * What a computer is wanted for, when that asks for a spec: a seller steers "a laptop for video
 * editing" to one with enough memory, where a search for the words finds nothing that says
 * "video". Written into the query as the bound the search reads (`writeSpecBounds`).
 */
export const DEMANDING_USE = /\b(?:for|para) ((?:video|photo|4k) editing|editing (?:videos?|photos?)|gaming|games|programming|coding|software development|3d(?: modell?ing| rendering| work)?|music production|graphic design|design work|editar (?:videos?|fotos?)|edicion de (?:videos?|fotos?)|jugar|juegos|programar|programacion|diseno grafico|producir musica|produccion musical)\b/;
const COMPUTER = /\b(?:laptops?|notebooks?|computers?|pcs?|macbooks?|computadoras?|portatil(?:es)?|ordenador(?:es)?)\b/;
/** At least 16 GB of RAM: what editing, compiling and games want of a computer today. */
export const DEMANDING_BOUND = "min16gbram";
/**
 * The demanding use a query names with a computer ("video editing"), and whether the bound is ours
 * to add: a RAM figure of the customer's own ("at least 8 GB") is what they asked for.
 */
export function demandingUse(query: string): { words: string; bounded: boolean } | undefined {
	const m = COMPUTER.test(query) ? DEMANDING_USE.exec(query) : null;
	return m ? { words: m[1]!, bounded: !/\b(?:min|over)\d+(?:p\d+)?gbram\b/.test(query) } : undefined;
}

const CHEAPEST_ALL = new RegExp(CHEAPEST.source, "g");
const MY_PERSON = new RegExp(`\\b(?:my|our|his|her|their|mi|mis|nuestro|nuestra|su|sus) (?:${PERSON_EN}|${PERSON_ES}|kid|kids|husband|wife|partner|boyfriend|girlfriend|mom|mum|dad|grandma|grandpa|esposo|esposa|novio|novia|mama|papa)(?:'?s)?\\b`, "g");
/** "a black jacket under $100" → { query: "jacket", color: "black", maxPrice: 10000 }; "the cheapest laptop" sorts by price. */
export function parseProductQuery(text: string): ProductQuery {
	// "at least 16 GB of RAM" goes to the search as one word, before "at least 16" reads as a price;
	// "$1,300" (or "1.300") is a thousand three hundred, not $1.30 and a stray "0".
	let s = writeSpecBounds(
		fold(text)
			.replace(LINK_G, " ")
			.replace(THOUSANDS, (_m, head: string, groups: string) => head + groups.replace(/[.,]/g, ""))
			// "200 x 300 cm" is one size, as the catalog writes it ("200x300 cm").
			.replace(/\b(\d{2,4})\s?[x×]\s?(\d{2,4})\b/g, "$1x$2")
			// 27" is 27 inches.
			.replace(/\b(\d{1,3})\s?["”]/g, "$1 inch")
			// "Más chico" is smaller; "un chico" alone is a boy.
			.replace(/\bmas chic[oa]s?\b/g, "smaller")
	);
	// Either way the use's words are not product words: nothing in the catalog says "editing".
	const use = demandingUse(s);
	if (use) s = s.replace(DEMANDING_USE, use.bounded ? ` ${DEMANDING_BOUND} ` : " ");
	const out: ProductQuery = {};
	// "Games for my 10-year-old": an age, not a figure to search for or a price.
	const age = ageIn(s);
	if (age) {
		out.forAge = age.age;
		// "For kids aged 9": who it is for is no product word either.
		s = s.replace(age.said, " ").replace(PERSON_WORDS, " ");
	}
	// "My kid wants…", "mi hijo quiere…": who it is for is no product word (read after any age they gave).
	s = s.replace(MY_PERSON, " ");
	// "Nothing too expensive" is an order, not words to find.
	if (CHEAPEST.test(s)) {
		out.sort = "price_asc";
		s = s.replace(CHEAPEST_ALL, " ");
	}
	else if (PRICIEST.test(s)) out.sort = "price_desc";
	const between = priced(/\bbetween\s*\$?\s*(\d+(?:[.,]\d{1,2})?)\s*(?:and|-)\s*\$?\s*(\d+(?:[.,]\d{1,2})?)|\bentre\s*\$?\s*(\d+(?:[.,]\d{1,2})?)\s*y\s*\$?\s*(\d+(?:[.,]\d{1,2})?)/, s);
	if (between) {
		out.minPrice = amount(between[1] ?? between[3]);
		out.maxPrice = amount(between[2] ?? between[4]);
		s = s.replace(between[0], " ");
	}
	// "budget around 1500", "about $80": a budget with some give either way, so a tenth over it.
	// "de unos 50 dólares", "como $30": the same, when a currency says it is a price.
	const budget = priced(
		/\b(?:budget|presupuesto)\b[^\d$]{0,24}\$?\s*(\d+(?:[.,]\d{1,2})?)|\b(?:around|about|approximately|roughly|alrededor de|cerca de|aproximadamente)\s*\$?\s*(\d+(?:[.,]\d{1,2})?)\s*(?:usd|dollars?|dolares|bucks)?|\b(?:unos|como)\s*(?:\$\s*(\d+(?:[.,]\d{1,2})?)|(\d+(?:[.,]\d{1,2})?)\s*(?:usd|dollars?|dolares|bucks|pesos)\b)/,
		s
	);
	const budgetSaid = budget ? (budget[1] ?? budget[2] ?? budget[3] ?? budget[4]) : undefined;
	if (budget && budgetSaid !== undefined && amount(budgetSaid) >= 1000) {
		const loose = budget[1] === undefined || /\b(around|about|approx|roughly|alrededor|cerca|aproximadamente|unos)/.test(budget[0]);
		const cents = amount(budgetSaid);
		out.maxPrice = loose ? Math.round((cents * 1.1) / 100) * 100 : cents;
		s = s.replace(budget[0], " ");
	}
	// "que no pase de 100 dólares"; "100 bucks tops", "50 dólares máximo": the most, said after the figure.
	const max = priced(
		/\b(?:under|below|less than|cheaper than|max(?:imum)?|up to|at most|no more than|menos de|hasta|por debajo de|maximo|(?:que )?no (?:pase|cueste mas|salga mas|sea mas) de|no mas de)\s*(?:usd\s*)?\$?\s*(\d+(?:[.,]\d{1,2})?)\s*(?:usd|dollars?|dolares|bucks)?|<\s*\$?\s*(\d+)|\$?\s*\b(\d+(?:[.,]\d{1,2})?)\s*(?:usd|dollars?|dolares|bucks)\s*(?:tops|max(?:imum)?|at most|maximo|como maximo)\b/,
		s
	);
	if (max) {
		out.maxPrice = amount(max[1] ?? max[2] ?? max[3]);
		s = s.replace(max[0], " ");
	}
	const min = priced(/\b(?:over|above|more than|at least|from|mas de|desde|minimo)\s*\$?\s*(\d+(?:[.,]\d{1,2})?)\s*(?:usd|dollars?|dolares)?/, s);
	if (min) {
		out.minPrice = amount(min[1]);
		s = s.replace(min[0], " ");
	}
	// The currency left after a price was read ("my budget is 100 bucks tops"): no product words ("tops" are clothes).
	if (out.maxPrice !== undefined || out.minPrice !== undefined) s = s.replace(/\b(?:usd|dollars?|dolares|bucks|pesos)\b(?:\s+(?:tops|max(?:imum)?|maximo|at most))?/g, " ");
	for (const [phrase, term] of PHRASES_ES) s = s.replace(phrase, term);
	// "a 3 seater", "a three-seat sofa": the catalog's "3-Seater".
	s = s.replace(/\b(\d|two|three|four|five) ?-?seat(?:er|s)?\b/g, (_m, n: string) => `${NUMBER_WORDS[n] ?? n}-seater`);
	// "No white cast", "blue light": a colour word that is no colour of the product, kept as one word.
	s = s.replace(/\b(white) (cast)\b|\b(blue) (light)\b|\b(black) (friday)\b/g, (m: string) => m.replace(" ", "-"));
	const promos = DEALS.test(s);
	const words = s.match(/[a-z0-9'-]+/g) ?? [];
	// "a red dress, no wait, blue": a colour after a correction replaces the one before it.
	const correctedAt = words.map(w => CORRECTION.test(w)).lastIndexOf(true);
	let corrected = false;
	const rest: string[] = [];
	let kept = false;
	for (const [i, word] of words.entries()) {
		// "what's", "you're", "I'll": the word without its contraction.
		const w = word.replace(/'(s|re|ll|ve|d|m)?$/, "");
		const after = kept;
		kept = false;
		const color = lookupEs(COLOUR_WORDS, w);
		if (color) {
			if (out.color === undefined || (correctedAt >= 0 && i > correctedAt && !corrected)) {
				corrected = correctedAt >= 0 && i > correctedAt;
				out.color = color;
			}
			continue;
		}
		// A figure right after a product word is part of its model name ("probook 14", "pulse watch 2");
		// elsewhere it is a count, a price or a size.
		if (/^\d{1,3}$/.test(w) && after && !/^(x|cm|mm|units?|pieces?|of|unidades)$/.test(words[i + 1] ?? "") && !/^(size|talla|talle)$/.test(words[i - 1] ?? "")) {
			rest.push(w);
			continue;
		}
		// "A 27 inch monitor", "de 27 pulgadas": the screen's figure, as the catalog's names carry it
		// ("Designer 27 4K Monitor"); the unit is no word to find. A bound ("under 15 inches") is not one.
		if (/^\d{1,3}$/.test(w) && INCHES.test(words[i + 1] ?? "") && !/^(?:under|over|below|above|than|menos|mas|hasta|max|min)$/.test(words[i - 1] ?? "")) {
			rest.push(w);
			continue;
		}
		// "120 hz", "16 gb": a figure with its unit is a spec to look for.
		if (/^\d+$/.test(w) && SPEC_UNIT.test(words[i + 1] ?? "")) {
			rest.push(w);
			continue;
		}
		// "Soy" is "I am" in Spanish, but "soy wax" is a candle's.
		const soyWax = w === "soy" && /^(wax|candles?)$/.test(words[i + 1] ?? "");
		// "For my sister's housewarming": the "'s" left of a name taken out is no word.
		if (!w || (STOPWORDS.has(w) && !soyWax) || /^\d+$/.test(w) || STRETCHED_GREETING.test(w)) continue;
		kept = true;
		// "any promos running?" asks what runs now; "running shoes" are shoes.
		if (w === "running" && promos) continue;
		const noun = lookupEs(NOUNS_ES, w) ?? lookupEs(FEATURES_ES, w) ?? w;
		rest.push(singular(noun));
	}
	// "A compact sofa", "for a small living room", "un sofá pequeño": the smallest first, by what its
	// size is measured by ("a big rug": the biggest first). Where it goes is no word its details say.
	// Of clothes, "small" and "grande" are the garment's size. Alone ("something smaller?") it orders
	// the search before.
	const sizing = rest.find(w => SMALL_WORDS.has(w) || BIG_WORDS.has(w));
	const named = rest.filter(w => !SMALL_WORDS.has(w) && !BIG_WORDS.has(w) && !SPACE_WORDS.has(w));
	if (sizing && out.sort === undefined && !named.some(w => GARMENT_WORDS.has(w))) {
		out.sort = SMALL_WORDS.has(sizing) ? "size_asc" : "size_desc";
		rest.splice(0, rest.length, ...named);
	}
	if (rest.length) out.query = rest.join(" ");
	return out;
}

const SMALL_WORDS = new Set(["small", "smaller", "smallest", "compact", "tiny", "pequeno", "pequena", "compacto", "compacta", "chiquito", "chiquita"]);
const BIG_WORDS = new Set(["big", "bigger", "biggest", "large", "larger", "largest", "huge", "spacious", "grande", "amplio", "amplia", "espacioso", "espaciosa"]);
/** Where a product goes, said with its size: "for a small living room", "para un piso pequeño". */
const SPACE_WORDS = new Set(["space", "room", "living", "lounge", "flat", "apartment", "studio", "bedroom", "home", "house", "espacio", "cuarto", "salon", "departamento", "piso", "apartamento", "dormitorio", "habitacion", "casa"]);
/** Clothes, in the catalog's words: "small" of them is a size S, not the smallest first. */
/** A search for clothes or shoes, whose small and big are sizes to choose, not a measure to order by. */
export const isGarmentQuery = (query: string | undefined) => (query ?? "").split(/\s+/).some(w => GARMENT_WORDS.has(w));
const GARMENT_WORDS = new Set(["t-shirt", "shirt", "tee", "top", "blouse", "hoodie", "sweater", "jumper", "cardigan", "jacket", "coat", "blazer", "vest", "jeans", "pant", "pants", "trouser", "short", "shorts", "skirt", "dress", "legging", "leggings", "sneaker", "trainer", "shoe", "boot", "sandal", "sock", "glove", "hat", "cap", "size", "talla", "talle"]);

/** Words said around a choice by number ("ok 2 then", "2 please", "dale, el 2"), which choose nothing themselves. */
const AROUND_A_CHOICE = "(?:ok|okay|alright|yes|yeah|yep|sure|so|then|please|pls|thanks|the|vale|bueno|dale|si|pues|entonces|el|la|por favor|gracias)";
/** "the second one", "#2", "number 2", "el segundo", "the last one" → a 1-based position (or -1). */
export function parsePosition(text: string): number | null {
	const s = fold(text);
	// With several ordinals, the one the customer chooses: the first after "take/want/add…"
	// ("the first is nice but I'll take the second"), else the first one written.
	const found = [...s.matchAll(ORDINAL_WORD)]
		// "the last one", but not "how long does the battery last?" nor "last week".
		.filter(m => m[1] !== "last" || /\b(the|el|la)\s+$/.test(s.slice(0, m.index!)) || /^last\s+(ones?|item|option)\b/.test(s.slice(m.index!)))
		.map(m => ({ at: m.index!, n: ORDINALS[m[1]!]! }));
	if (found.length) {
		const verb = ADD.exec(s);
		const afterVerb = verb ? found.find(f => f.at > verb.index) : undefined;
		return (afterVerb ?? found[0]!).n;
	}
	const m =
		/(?:#|\bnumber\s*|\bno\.?\s*|\bnumero\s*|\boption\s*|\bopcion\s*)(\d{1,2})\b/.exec(s) ??
		// "I'll go with 2", "me quedo con el 2" choose; "go with 2 of them" counts.
		/\b(?:go with|going with|me quedo con(?: el| la)?|elijo(?: el| la)?)\s+(\d{1,2})\b(?!\s*(?:of|de)\b)/.exec(s) ??
		// "2", or "ok 2 then", "2 please": the number alone but for a word or two around it.
		new RegExp(`^\\W*(?:${AROUND_A_CHOICE}\\W+)*(\\d{1,2})(?:\\W+${AROUND_A_CHOICE})*\\W*$`).exec(s);
	return m ? Number(m[1]) : null;
}

export const pick = <T>(items: T[], position: number): T | undefined => (position === -1 ? items[items.length - 1] : items[position - 1]);

/**
 * Several listed products at once: "both" (of two), "all of them", "the first two", "the first and
 * the third". Null when the message picks one or none.
 */
export const COMPARE = /\b(difference|differences|compare|comparison|versus|vs|diferencia|diferencias|comparar|compara)\b/;
export const BOTH = /\b(both|los dos|las dos|ambos|ambas)\b/;
/** A message of emoji alone, as WhatsApp customers send them: a wave, a thumbs-up, a thank-you. */
const EMOJI_MEANINGS: [RegExp, string][] = [
	[/^(?:👋|🙋|✋|🤚)+$/u, "hi"],
	[/^(?:👍|👌|✅|🆗|💯)+$/u, "yes"],
	[/^(?:👎|❌|🙅)+$/u, "no"],
	[/^(?:🙏|❤|😍|🥰|😊|☺|💖|💕|🤗|😘)+$/u, "thanks"],
	[/^(?:💳|💰|💵|💸)+$/u, "checkout"],
	[/^(?:🛒|🛍)+$/u, "my cart"],
	[/^(?:📦|🚚)+$/u, "where is my order"],
	[/^(?:❓|❔)+$/u, "help"]
];
export function emojiMeaning(s: string): string {
	// Skin tones, gender signs, joiners and presentation selectors change no meaning.
	const bare = s.replace(/[\s\u{1F3FB}-\u{1F3FF}\u200D\uFE0F♀♂]/gu, "");
	return EMOJI_MEANINGS.find(([re]) => re.test(bare))?.[1] ?? s;
}

export function parsePositions(text: string, listed: number): number[] | null {
	const s = fold(text);
	if (/\b(all of them|all (three|four|five)|todos|todas)\b/.test(s)) return Array.from({ length: listed }, (_, i) => i + 1);
	if (BOTH.test(s)) return listed === 2 ? [1, 2] : null;
	const firstN = /\b(?:first|primeros|primeras)\s+(two|three|2|3|dos|tres)\b/.exec(s);
	if (firstN) return Array.from({ length: NUMBER_WORDS[firstN[1]!] ?? Number(firstN[1]) }, (_, i) => i + 1);
	// Two ordinals joined ("the first and the third"), not merely both mentioned ("the first is nice, but…").
	const pair = ORDINAL_PAIR.exec(s);
	return pair && ORDINALS[pair[1]!] !== ORDINALS[pair[2]!] ? [ORDINALS[pair[1]!]!, ORDINALS[pair[2]!]!] : null;
}
