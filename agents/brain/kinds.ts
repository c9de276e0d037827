/** Several products in one message ("a lamp and a rug", "compare the X with the Y") and the kind of product nearest to a word. */
import { lookupEs } from "../../contracts/catalog";
import { ADD, LEADING_COUNT, NUMBER_WORDS } from "./intents";
import { COMPARE_MAX } from "./lists";
import { COMPARE, parsePosition, parseProductQuery } from "./query";
import { fold, NOUNS_ES, singular } from "./text";
import type { ProductQuery } from "./types";
import { ADD_ALL, productWords, SIZE_IN_ALL, sizeArg } from "./variants";


/** What joins the items of a list ("a, b and c", "a y b"). */
const LIST_SEPARATOR = /\s*(?:,|;|&|\band\b|\by\b|\bplus\b|\balso\b|\btambien\b)\s*/;

/**
 * "I want the biker leather jacket in M and the chelsea boots in 42": an add of two to four
 * products, each named with its own words and size. Null unless every part names a product
 * ("black and white sneakers" is one search).
 */
export function compoundAdd(s: string): { query: ProductQuery; size?: string; qty?: number }[] | null {
	if (!ADD.test(s)) return null;
	const parts = s
		.replace(ADD_ALL, " ")
		.split(LIST_SEPARATOR)
		.map(p => p.trim())
		.filter(Boolean);
	if (parts.length < 2 || parts.length > 4) return null;
	// "2 linen cushion covers": how many of that one.
	const countOf = (p: string) => {
		const count = LEADING_COUNT.exec(p)?.[1];
		const qty = count ? (NUMBER_WORDS[count] ?? Number(count)) : 1;
		return qty > 1 && qty <= 20 ? { qty } : {};
	};
	const each = parts.map(p => ({ query: parseProductQuery(p.replace(SIZE_IN_ALL, " ").replace(/\b\d{2,3}\s?mm\b/g, " ").replace(/^\d{1,2}\s+/, "")), ...sizeArg(p), ...countOf(p) }));
	// "Add the trek watch / 45mm / and a power bank": a size on its own is the one before's.
	const out = each.reduce<typeof each>((kept, o) => (!o.query.query && o.size && kept.length && !kept.at(-1)!.size ? [...kept.slice(0, -1), { ...kept.at(-1)!, size: o.size }] : [...kept, o]), []);
	return out.length >= 2 && out.every(o => o.query.query) ? out : null;
}

/** "Which is better,", "which one would you pick:", "¿cuál es mejor,": a pick asked among products the message goes on to name. */
const WHICH_OF_NAMED =
	/^\W*(?:(?:which|what)(?: one)?(?: is| 's|'s| would you (?:get|pick|choose|recommend)| should i (?:get|buy|pick|go for)| do you recommend)|cual(?: es| me recomiendas| compro| elijo| conviene| abriga| pesa| dura| cuesta| sale)?)(?: (?:the |el |la )?(?:better|best|cheaper|bigger|smaller|nicer|softer|warmer|lighter|comfier|more \w+|mejor|mas(?: \w+)?|menos(?: \w+)?))?(?: (?:for|para) (?:an? |my |mi |una? )?[a-z][a-z0-9 -]{1,30}?(?=,))?(?=[,:]? (?:the |el |la )?\w.* (?:or|o) )[,:]?/;

/** "Which is softer, the velvet cushion or the linen one?": the question alone ("which is softer"), the names aside. */
export const whichOfNamed = (s: string): string | null => WHICH_OF_NAMED.exec(s)?.[0].replace(/[,:]$/, "").trim() ?? null;

/** "Is the Switchblade better than the Nexus?", "¿es mejor la X que la Y?": the two named, as "compare X and Y". */
const BETTER_THAN = /^\W*(?:is|are|es|son) (?:the |el |la )?([a-z0-9][a-z0-9 '&-]*?) (?:any )?(?:better|worse|cheaper|nicer|faster|bigger|smaller|lighter|mejor|peor|mas barat[oa]) (?:than|que) (?:the |el |la )?([a-z0-9][a-z0-9 '&-]*?)\W*$|^\W*(?:es|son) (?:mejor|peor) (?:el |la )?([a-z0-9][a-z0-9 '&-]*?) (?:o|que) (?:el |la )?([a-z0-9][a-z0-9 '&-]*?)\W*$/;

/** The message as a comparison of what it names: "is the X better than the Y?" is "compare X and Y"; others as they are. */
export function asCompared(text: string): string {
	const better = BETTER_THAN.exec(text);
	return better && !/^(?:it|this|that|this one|that one)$/.test(better[1] ?? better[3]!) ? `compare ${better[1] ?? better[3]} and ${better[2] ?? better[4]}` : text;
}

/** "Is the Switchblade better than the Nexus?": the two products named, when the message names two; null otherwise. */
export const betterThanNamed = (s: string): ProductQuery[] | null => (BETTER_THAN.test(s) ? comparedNames(s) : null);

/** "Compare the AirBook 13 and the WorkMate 15", "airbook vs workmate": the products named, two to five; null otherwise. */
export function comparedNames(text: string): ProductQuery[] | null {
	const s = asCompared(text);
	// "Which is better, the velvet cushion or the boucle?": the question asked, then the products.
	const picking = WHICH_OF_NAMED.exec(s);
	if (!COMPARE.test(s) && !picking) return null;
	// "vs" both compares and separates: split first, then drop the comparing words.
	const said = (picking ? s.slice(picking[0].length) : s)
		.split(/\s*(?:,|;|&|\band\b|\by\b|\bor\b|\bo\b|\bvs\b\.?|\bversus\b|\bwith\b|\bcon\b)\s*/)
		.map(p => p.replace(new RegExp(COMPARE.source, "g"), " ").replace(/\b(?:between|entre|what'?s|what is|the|cual es|la|el)\b/g, " ").replace(/[?!.]+/g, " ").trim());
	// "The ProBook 14 and 16": the second is the first's name with its own number.
	const named = said.map((p, i) => (/^\d{1,4}$/.test(p) && i > 0 && /\s\d{1,4}$/.test(said[i - 1]!) ? said[i - 1]!.replace(/\d{1,4}$/, p) : p));
	const parts = named.map(p => parseProductQuery(p)).filter(q => q.query);
	return parts.length >= 2 && parts.length <= COMPARE_MAX ? parts : null;
}

/** "Compare it with the ProBook 14", "how does it compare to…", "is it better than…": the one in view against another. */
const COMPARED_WITH_IT =
	/\b(?:compare (?:it|this|that)(?: one)?|how does (?:it|this|that)(?: one)? (?:compare|stack up)|(?:it|this|that)(?: one)? (?:vs\.?|versus)|is (?:it|this|that)(?: one)? (?:any )?(?:better|worse|cheaper|lighter|faster|bigger|smaller) than|difference between (?:it|this|that)(?: one)? and|comparal[oa]|como se compara|(?:es )?(?:mejor|peor) que)\b\s*(?:with|to|against|and|con|a)?\s+(.+)$/;
/** What "compare it with …" compares the one in view with, as said ("the cheapest one", "the ProBook 14"); null for other messages. */
export const comparedWithItSaid = (s: string): string | null => COMPARED_WITH_IT.exec(s)?.[1] ?? null;

export function comparedWithIt(s: string): ProductQuery | null {
	const other = comparedWithItSaid(s);
	// "Compare it with the second" points into the list shown: a pick, not a search.
	if (!other || parsePosition(other) !== null) return null;
	const query = parseProductQuery(other.replace(/\b(?:the|el|la|los|las)\b/g, " "));
	return query.query ? query : null;
}

/**
 * "Cushions for the sofa", "a blanket for the couch", "cojines para el sofá": what it is for, when
 * that is another kind, is no word to search — searched, it found sofas. Kept when nothing before
 * it names a kind ("something for the sofa").
 */
export function withoutItsUse(s: string): string {
	return s.replace(/\b(?:for|para) (?:the|my|a|an|your|our|his|her|el|la|los|las|mi|mis|un|una|tu|su) ([a-z]+)\b/g, (phrase, noun: string, at: number) => {
		const before = parseProductQuery(s.slice(0, at)).query ?? "";
		// A kind as said (or its Spanish), not a maker's model read as its kind: "a charger for my
		// iPhone" keeps the iPhone, which no charger of ours may fit.
		const after = KIND_NOUNS.has(singular(noun)) ? singular(noun) : (lookupEs(NOUNS_ES, noun) ?? "");
		// "A lamp for my desk" is a desk lamp: where it stands makes a kind of its own.
		return namesAKind(before) && namesAKind(after) && !before.split(" ").includes(after) && !/^(?:desk|table)$/.test(after) ? " " : phrase;
	});
}

/** What a product is called at the end of its words ("floor lamp"), in every shop: what makes a part of a list a kind. */
const KIND_NOUNS = new Set(
	(
		"sneaker shoe trainer runner boot jacket coat blazer jeans pants trouser dress skirt shirt t-shirt tshirt tee top hoodie sweater sweatshirt bag backpack scarf hat cap belt sock sandal " +
		"laptop phone smartphone tablet headphone headphones earbud earbuds monitor keyboard mouse watch smartwatch band charger hub cable speaker camera dock stand " +
		"sofa couch loveseat bed lamp rug carpet cover cushion pan pot casserole board blanket throw pillow duvet sheet candle vase basket shelf organiser hamper mirror chair table desk " +
		"cream moisturiser moisturizer serum cleanser balm toner sunscreen shampoo conditioner oil scrub lipstick gloss perfume cologne fragrance mascara foundation eyeshadow blush brush " +
		"console controller gamepad game headset pad wheel microphone mic card"
	).split(" ")
);

/**
 * Kinds a shop may not sell, and the kinds a seller would offer instead ("no coats — our jackets are
 * the nearest"). Only the near kinds the shop does sell are offered (`nearestKind`).
 */
const NEAR_KINDS: Record<string, string[]> = {
	coat: ["jacket"], raincoat: ["jacket"], parka: ["jacket"], anorak: ["jacket"], trench: ["jacket"], blazer: ["jacket"], windbreaker: ["jacket"], gilet: ["jacket"], poncho: ["jacket"],
	sweater: ["hoodie", "sweatshirt"], jumper: ["hoodie", "sweatshirt"], cardigan: ["hoodie", "sweatshirt"], pullover: ["hoodie", "sweatshirt"], sweatshirt: ["hoodie"], fleece: ["hoodie", "jacket"],
	trouser: ["jeans", "pants"], pants: ["jeans"], chino: ["jeans", "pants"], skirt: ["dress"], gown: ["dress"],
	shoe: ["sneaker", "boot"], trainer: ["sneaker"], loafer: ["sneaker"], purse: ["bag"], handbag: ["bag"], tote: ["bag"], clutch: ["bag"], backpack: ["bag"], shawl: ["scarf"],
	earphone: ["headphone", "headset"], computer: ["laptop"], notebook: ["laptop"], pc: ["laptop"], watch: ["smartwatch"], display: ["monitor"], screen: ["monitor"],
	couch: ["sofa"], settee: ["sofa"], armchair: ["sofa"], recliner: ["sofa"], sectional: ["sofa"], futon: ["sofa"], pillow: ["cushion"], blanket: ["bedding"], throw: ["bedding"], duvet: ["bedding"], sheet: ["bedding"],
	perfume: ["fragrance"], cologne: ["fragrance"], lotion: ["bodycare", "moisturiser"], cream: ["moisturiser"],
	gamepad: ["controller"], joystick: ["controller"], headphone: ["headset"],
	// What goes with a device: a case, a charger, a stand.
	case: ["accessory"], cover: ["accessory"], sleeve: ["accessory"], charger: ["accessory"], cable: ["accessory"], adapter: ["accessory"], dongle: ["accessory"],
	stand: ["accessory"], mount: ["accessory"], dock: ["accessory"], microphone: ["accessory"], mic: ["accessory"], powerbank: ["accessory"], mousepad: ["accessory"]
};

/**
 * Other makers' models, the kind they are: "an iPhone" → our smartphones. Only when no word names a
 * kind itself: "a case for my iPhone" is a case.
 */
const MODEL_KINDS: Record<string, string[]> = { iphone: ["smartphone"], galaxy: ["smartphone"], macbook: ["laptop"], chromebook: ["laptop"], ipad: ["tablet"] };

/**
 * "Laptop case" when only laptops were found: the kind asked for is the case, so its nearest kind
 * ("accessory"), searched on its own (what it is for may be in no accessory's words), and the words
 * to quote as what the shop lacks ("laptop case"; "case" of "a case for my phone"). Undefined when
 * no unfound word is such a kind.
 */
export function nearerKind(query: string, unmatched: string[]): { query: string; lacking: string } | undefined {
	const said = unmatched.map(w => singular(fold(w)));
	const words = query.split(/\s+/);
	// A model is what it is for when anything else was found: "a charger for my iphone" is a charger.
	const kinds = said.some(w => NEAR_KINDS[w]) || said.length < words.length ? NEAR_KINDS : MODEL_KINDS;
	const kind = said.find(w => kinds[w]);
	if (!kind) return undefined;
	return { query: kinds[kind]![0]!, lacking: singular(words[words.length - 1]!) === kind ? query : kind };
}
/** What a search found no product for (its `unmatched` words), as the catalog says them. */
export const unmatchedOf = (output: any): string[] => (Array.isArray(output?.unmatched) ? (output.unmatched as string[]) : []);
/**
 * "iPhone 15" searched, and only its number found something (the WorkMate 15): the words of the
 * query that name the product, when none of them is in the shop; null otherwise.
 */
export function onlyNumberMatched(query: unknown, output: any): string | null {
	const named = String(query ?? "").split(/\s+/).filter(Boolean);
	const words = named.filter(w => !/\d/.test(w));
	return words.length && named.length > words.length && words.every(w => unmatchedOf(output).includes(w)) ? named.join(" ") : null;
}

/** The shop's category nearest to a kind it does not sell ("raincoat" → "jackets"), if it has one. */
export function nearestKind(query: string, categories: string[]): string | undefined {
	// The last word is the kind ("a laptop case" is a case), the others what it is for.
	const words = query.split(/[^a-z-]+/).filter(Boolean).map(singular).reverse();
	const kindOf = (category: string) => fold(category).split(/\s+/).map(w => (w === "mice" ? "mouse" : w.endsWith("ies") ? `${w.slice(0, -3)}y` : singular(w)));
	// Word by word, the kind itself first: "laptop accessory" is an accessory, "laptop case" the case's nearest.
	for (const kinds of [NEAR_KINDS, MODEL_KINDS])
		for (const kind of words.flatMap(w => [w, ...(kinds[w] ?? [])])) {
			const hit = categories.find(c => kindOf(c).includes(kind));
			if (hit) return hit;
		}
	return undefined;
}

/** Kinds that end compound names of other kinds ("raincoat", "sweatshirt", "hairbrush"). */
const COMPOUND_KINDS = ["coat", "shirt", "shoe", "boot", "jacket", "dress", "lamp", "phone", "watch", "brush"];
/**
 * Whether searched words name a kind of product ("trench coat", "raincoat"): the shop having none
 * is then an answer, not a misunderstanding. Only a few kinds count at the end of a word, so
 * "understand" and "comfortable" are no stand and no table.
 */
export function namesAKind(words: string): boolean {
	return words.split(/[^a-z-]+/).some(w => KIND_NOUNS.has(singular(w)) || COMPOUND_KINDS.some(k => w.length > k.length && singular(w).endsWith(k)));
}

/** The words of a query that say what it is for, not what it is: "dry skin moisturiser" → "dry skin"; none when it names only a kind, or no kind. */
export function needWords(query: unknown): string | undefined {
	const words = typeof query === "string" ? query.split(" ").filter(Boolean) : [];
	const need = words.filter(w => !namesAKind(w));
	return need.length && need.length < words.length ? need.join(" ") : undefined;
}

/**
 * "I need a sofa, a rug and a floor lamp": the kinds of product one message asks for, in its
 * words ("floor lamp"), from the sentence that lists them; null for one kind. Searched together
 * they would bring whatever matches most words (a lamp, then rugs), and no sofa.
 */
export function kindsAsked(s: string): { query: ProductQuery; words: string }[] | null {
	const sentences = s.split(/[.!?¿¡]+/).map(x => x.trim()).filter(Boolean);
	const items = (x: string) => x.split(LIST_SEPARATOR).length;
	const sentence = sentences.sort((a, b) => items(b) - items(a))[0] ?? "";
	const parts = productWords(sentence)
		.split(LIST_SEPARATOR)
		.map(p => ({ query: parseProductQuery(p) }))
		.filter(p => p.query.query);
	// "I bought a jacket and the zipper broke" is no list: every part must end in what a product is.
	if (parts.length < 2 || parts.length > 4 || !parts.every(p => KIND_NOUNS.has(singular(p.query.query!.split(" ").at(-1)!)))) return null;
	return parts.map(p => ({ ...p, words: p.query.query! }));
}

/** "A skincare routine", "una rutina para piel mixta": the steps of one, asked of a beauty shop. */
const ROUTINE = /\b(?:(?:skin ?care|skin|face|facial|morning|night|daily|basic|whole|full|complete) )?routine\b|\brutina(?: de (?:cuidado|skincare|belleza|noche|dia))?\b/;
const SKIN_TYPE = /\b(oily|dry|combination|sensitive|normal|mature|grasa|seca|mixta|sensible|madura)\b/;
const SKIN_TYPE_EN: Record<string, string> = { grasa: "oily", seca: "dry", mixta: "combination", sensible: "sensitive", madura: "mature" };

/**
 * "I need a whole skincare routine, I have combination skin": its steps, as a list of kinds to show one
 * at a time (cleanser first, the reply names the rest), for that skin; the message as it is otherwise.
 */
export function routineAsked(text: string, brand: string): string {
	const s = fold(text);
	if (brand !== "beauty" || !ROUTINE.test(s)) return text;
	const type = SKIN_TYPE.exec(s)?.[1];
	const skin = type ? `${SKIN_TYPE_EN[type] ?? type} skin ` : "";
	return `I need a ${skin}cleanser, a ${skin}serum, a ${skin}moisturiser and a sunscreen`;
}

/** The kinds asked after the one a search looked for, to offer next; none when it was not one of several. */
export function kindsLater(asked: string, query: unknown): string[] {
	const kinds = kindsAsked(asked);
	const at = kinds?.findIndex(k => k.query.query === query) ?? -1;
	return kinds && at >= 0 ? kinds.filter((_, i) => i !== at).map(k => k.words) : [];
}
