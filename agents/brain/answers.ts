/** The head of a reply about products: what their details say about the feature asked, and how several compare. */
import { COLOUR_WORDS, colourCovers, colourNamed, lookupEs, ratingMinimumAge, sizeFigure, sizeMeasure, sizesSmallestFirst, specFigures, suitsAge } from "../../contracts/catalog";
import type { Lang } from "../language";
import { coloursOfProduct } from "../tools";
import { AGE_ASKED, ASKS_WHICH, ATTRIBUTE_NAMES, ATTRIBUTE_QUESTION, attributeAsked, attributeKey, attributeOf, attributeWords, COLOURS_ASKED, FIT_ASKED, FIT_STATED, gameAnswer, HOW_BIG, isGamingGear, itQuestion, namesAttribute, rankedAttribute, whatOfIt } from "./attributes";
import { CHEAPEST, HOW_TO_USE, STOCK_ASKED } from "./intents";
import { centsOf, DEARER } from "./lists";
import { ageOf, DEMANDING_USE, ORDINAL_ALTERNATION, parsePosition, parseProductQuery } from "./query";
import { ACRONYMS, aYearOld, capitalise, colourIn, descriptionIn, escapeRegExp, FEATURES_ES, fold, joinWith, labelIn, LABELS_ES, NOUNS_ES, PHRASES_ES, t } from "./text";
import type { BrainState, ProductOut } from "./types";
import { canonicalSize, lookBack, sizeNamed, sizeReferenced, sizeSaidIn, USUAL_SIZE } from "./variants";


/** Near words that promise less than the feature asked: "water resistant" boots are not waterproof. */
const WEAKER_THAN: Record<string, string[]> = { waterproof: ["water resistant", "water-resistant", "splash"] };
const FEATURE_NAMES_ES: Record<string, string> = { waterproof: "impermeable" };

/** What a description says for a feature asked by another name: "water resistant" boots, asked "waterproof?". */
const NEAR_FEATURES: Record<string, string[]> = {
	waterproof: ["water resistant", "water-resistant", "splash"],
	wireless: ["bluetooth", "2.4 ghz"],
	// "Does it have a zipper?" of "zip pockets".
	zipper: ["zip", "zips", "zipped"],
	// "¿Tiene protector solar?": an SPF is the sunscreen in a cream.
	sunscreen: ["spf", "sun protection", "uva", "uvb"],
	// "Are they warm?": what makes clothes warm, as descriptions say it.
	warm: ["winter", "shearling", "fleece", "insulated", "thermal", "down", "wool", "cashmere", "padded", "lined"],
	// Short for what the details spell out: "does it have a mic?" of a "detachable noise-cancelling microphone".
	mic: ["microphone", "mics", "microphones"],
	anc: ["active noise cancelling", "active noise-cancelling", "noise cancelling", "noise-cancelling", "noise canceling"],
	bt: ["bluetooth"]
};

/**
 * What details say instead of a feature that rules it out: "single player" answers "is it
 * multiplayer?" as plainly as a yes would, where "nothing about multiplayer" would leave it open.
 */
const COUNTERPARTS: Record<string, string[]> = {
	multiplayer: ["single player", "single-player"],
	"co-op": ["single player", "single-player"],
	wireless: ["wired", "corded"],
	cordless: ["wired", "corded"],
	bluetooth: ["wired", "corded"],
	wired: ["wireless", "cordless", "bluetooth"],
	corded: ["wireless", "cordless"],
	"single player": ["multiplayer", "co-op"]
};

/** What a product's details say in words: its name, colours, description and tags. */
const wordsOf = (p: ProductOut): string => `${p.name} ${p.color ?? ""} ${p.description ?? ""} ${(p.tags ?? []).join(", ")}`;

/** The words of a product's details that rule the feature out ("single player" for multiplayer); null when none do. */
function counterSaid(p: ProductOut, feature: string[]): string | null {
	if (feature.length !== 1) return null;
	const counter = COUNTERPARTS[feature[0]!];
	if (!counter) return null;
	const text = fold(`${wordsOf(p)} ${Object.values(p.attributes ?? {}).join(", ")}`);
	return counter.find(c => new RegExp(`\\b${c}\\b`).test(text)) ?? null;
}

/** "Which one is multiplayer?", "¿cuál tiene micrófono?": a feature, asked of the listed ones. */
export const WHICH_FEATURE = /^[¿¡\s]*(?:and |so |ok |y )?(?:which(?: one| ones| of (?:them|these|those))? (?:is|are|has|have|comes with|come with|supports|support|works with|does|do)|cual(?:es)?(?: de (?:ellos|ellas|estos|estas))? (?:es|son|tiene|tienen|viene con|trae))\b/;
/** "Which one is the best?", "which one is lighter?" ranks; "which one is the leather one?" names one. Neither is a feature to look for. */
export const RANKING = /\b(best|better|worse|worst|more|most|less|least|mejor|mejores|peor|mas|menos|[a-z]+est|lighter|heavier|cheaper|pricier|bigger|smaller|larger|faster|slower|warmer|cooler|longer|shorter|newer|older|one|ones)\b/;

/** "(Which one is) better for sensitive skin", "(¿cuál es) mejor para piel grasa": what it is for. */
const FOR_USE = /^\s*(?:the )?(?:better|best|ideal|good|mejor|ideal|buen[oa])(?: one| option| opcion)? (?:for|para) (.+?)\W*$/;

/** "Is the first one fragrance free?", "does the second have pockets?": a feature of a listed product named by its place. */
const POSITION_FEATURE = new RegExp(`^[¿¡\\s]*(?:and |so |ok )?(?:is|does|has|can|will|would|are|do) (?:the )?(?:${ORDINAL_ALTERNATION})(?: ones?)?\\b`);

/** Words that say a thing copes with what comes before them ("dishwasher safe", "water resistant"). */
const QUALIFIERS = new Set(["safe", "friendly", "proof", "resistant", "compatible", "ready"]);

/** Words of a question that are not the feature asked about ("does it come in black?" asks about black). */
const NOT_A_FEATURE = new Set(["come", "comes", "have", "has", "got", "work", "works", "support", "supports", "include", "includes", "any", "also", "really", "actually", "compatible", "compatibility", "tiene", "tienen", "viene", "vienen", "con"]);

/**
 * "And noise cancelling?", "what about waterproof?", "¿y con cancelación de ruido?" after a list: a
 * feature asked of the same products, as "do they have …?" asks it. Not "the …" (one of them).
 */
// "Y macetas tienes?", "and do you have candles?" ask for another product: a search, not a feature of the list.
export const AND_FEATURE = /^\W*(?:and|what about|how about|also|y|y que tal|que tal|y con)\s+(?!(?:the|el|la|los|las|for|para|a|an|un|una|some|any|algun[oa]?s?|something|anything|algo|one|ones)\b)(?!.*\b(?:tienes|tienen|tenes|hay|venden|vendes|have|sell|got)\b)([a-z][a-z -]{2,40}?)\s*\?\s*$/;

/** "Does it have a mic?", "is it wireless?", "¿viene con funda?": the feature's words, e.g. ["mic"]; none for other messages. */
/** "How sharp is it?", "how warm is it?": a quality asked of it; sizes, weights, prices and durations are answered as such. */
const HOW_QUALITY = /^[¿¡\s]*(?:and |so |but |ok )?how (?!(?:much|many|big|long|heavy|wide|tall|high|deep|old|large|small|often|soon|fast|far|come|do|does|is|are)\b)([a-z]+) (?:is|does) (?:it|this|that one|this one)\b/;

export function featureAsked(text: string): string[] {
	// "Which one is softer?" ranks by a quality (`qualityHead`): "softer" is no feature to look for.
	if (qualityRanked(text)) return [];
	const quality = HOW_QUALITY.exec(text)?.[1];
	if (quality) return [quality];
	const also = AND_FEATURE.exec(text);
	const s = also ? `do they have ${also[1]}?` : text;
	const ordinal = POSITION_FEATURE.exec(s);
	const which = ordinal ? null : WHICH_FEATURE.exec(s);
	const m = ordinal ?? which ?? itQuestion(s, true);
	// "¿De qué trata (el segundo)?" asks what it is, not whether it has something.
	if (!m || /de que (?:se )?(?:trata|va)/.test(m[0]) || (!ordinal && parsePosition(s) !== null)) return [];
	// "Which one is better for sensitive skin?" ranks by what it is for: that is the feature to look for.
	const forUse = which ? FOR_USE.exec(s.slice(which[0].length)) : null;
	if (forUse) return (parseProductQuery(forUse[1]!).query?.split(/\s+/) ?? []).filter(w => w.length >= 2 && !NOT_A_FEATURE.has(w));
	if (which && RANKING.test(s.slice(which[0].length))) return [];
	const what = m[0] === whatOfIt(s)?.[0] ? attributeWords(m) : undefined;
	// "What colour is it?": the details answer that themselves; no "mention" to look for.
	if (what && (ATTRIBUTE_QUESTION.test(what) || /\b(brand|marca|price|precio|model|modelo)\b/.test(what))) return [];
	const q = parseProductQuery(what ?? s.slice(m.index + m[0].length));
	return [...(q.query?.split(/\s+/) ?? []), ...(q.color ? [q.color] : [])].filter(w => w.length >= 2 && !NOT_A_FEATURE.has(w));
}

/**
 * Which of the products say they have the feature, and the word they say it with ("mic" is
 * "microphone"): a feature word is the start of a word of the name, the colour or the description.
 */
function featureSaid(p: ProductOut, feature: string[]): string | null {
	const raw = wordsOf(p);
	const text = fold(raw);
	// "usb-c" is "USB-C", "usb c" or "usbc" in the details.
	const pattern = (w: string) => w.split(/[^a-z0-9]+/).filter(Boolean).join("[- ]?");
	// A colour is said by a shade of it too: "green" by a sage sofa's colours.
	const shades = coloursOfProduct(p).map(fold);
	const found = feature.map(
		w =>
			(pattern(w) ? new RegExp(`\\b${pattern(w)}(?:[a-z0-9]*-[a-z0-9-]*|s|es|ed|d|ing|er|ers|y|ly|al|able|ible|ant|ance|ion|ions|ive|ness|ful)?(?![a-z0-9])`).exec(text)?.[0] : undefined) ??
			(NEAR_FEATURES[w] ?? []).find(near => new RegExp(`\\b${escapeRegExp(near)}\\b`).test(text)) ??
			shades.find(c => c && colourCovers(w, c))
	);
	// "Dishwasher safe?" of "Dishwasher-friendly": the compound says the qualifier in its own word.
	feature.forEach((w, i) => {
		if (!found[i] && QUALIFIERS.has(w)) found[i] = found.find(f => f && QUALIFIERS.has(f.slice(f.lastIndexOf("-") + 1)));
	});
	if (!found.every((w): w is string => Boolean(w))) return null;
	// "long-lasting" once, not "long-lasting, lasting".
	const words = [...new Set(found)].filter((w, _, all) => !all.some(o => o !== w && o.includes(w)));
	// "slim fit" as the description says it; "microphone, bluetooth" when they are apart.
	// "sensitive, normal skin" when a word or two come between them (in the details' order).
	const inOrder = [...words].sort((a, b) => text.indexOf(a) - text.indexOf(b));
	const near = words.length > 1 ? new RegExp(inOrder.map(w => escapeRegExp(w)).join("(?:\\W+[a-z0-9-]+){0,2}?\\W+")).exec(text)?.[0] : undefined;
	const said = text.includes(words.join(" ")) ? words.join(" ") : (near ?? words.join(", "));
	// "5G" and "USB-C" as the details write them, not "5g"; a name's capitals ("Wool") stay out of the sentence.
	const original = new RegExp(escapeRegExp(said), "i").exec(raw)?.[0];
	return original && original.split(/\s+/).some(w => /[A-Z]/.test(w.slice(1))) ? original : said;
}

/** Words a Spanish speaker writes as the catalog's English does ("¿traen cable?"): nothing to translate. */
const SAME_IN_SPANISH = new Set(["cable", "bluetooth", "usb", "hdmi", "wifi", "led", "rgb", "gps", "nfc", "oled", "ssd", "ram", "spf", "jack", "5g", "4k"]);

/**
 * Whether the details not mentioning the feature says anything. They are in the catalog's English:
 * a Spanish word we do not translate ("¿tiene cremallera?") is never found in them, so its absence
 * means nothing; one we translated ("impermeable" → "waterproof", "vegano" → "vegan") does.
 */
function absenceTells(feature: string[], asked: string, lang: Lang): boolean {
	if (lang !== "es") return true;
	const words = asked.split(/[^a-z0-9]+/);
	const translated = (en: string) => SAME_IN_SPANISH.has(en) || words.some(w => (lookupEs(FEATURES_ES, w) ?? lookupEs(NOUNS_ES, w)) === en);
	return !feature.some(w => !translated(w) && new RegExp(`\\b${w.replace(/[^a-z0-9]/g, "")}`).test(asked));
}

/**
 * The feature as the customer said it, for quoting back: in Spanish their word ("capucha"), not
 * the catalog's English one it was searched as ("hood").
 */
function inTheirWords(feature: string[], asked: string, lang: Lang): string {
	if (lang !== "es") return feature.join(" ");
	// "cancelación de ruido" was searched as one phrase ("noise cancelling").
	const phrase = PHRASES_ES.find(([, en]) => en === feature.join(" "))?.[0];
	const said = phrase ? new RegExp(phrase.source).exec(asked)?.[0] : undefined;
	if (said) return said;
	const words = asked.split(/[^a-z0-9]+/);
	return feature.map(en => words.find(w => (lookupEs(FEATURES_ES, w) ?? lookupEs(NOUNS_ES, w)) === en) ?? en).join(" ");
}

/**
 * The line a product's details open with when the question asks something of them: how to use it
 * (a person tells), a game's rating or platforms, a named attribute ("Layout: US."), a feature
 * ("Yes — its details mention …"), or whether it comes in a colour. Null for a plain look.
 */
export function detailsHead(p: ProductOut, feature: string[], answered: boolean, lang: Lang, asked: string, age?: number): string | null {
	if (HOW_TO_USE.test(asked))
		return t(lang, `Here's what its details say — for how to use it, say "talk to a person" and our team will help.`, `Esto dice su ficha — para saber cómo usarlo, escribe "hablar con una persona" y nuestro equipo te ayuda.`);
	const fit = fitAnswer(p, asked, lang);
	if (fit) return fit;
	const game = gameAnswer(p, asked, lang, age);
	if (game) return game;
	const type = typeAnswer(p, asked, lang);
	if (type) return type;
	const attribute = attributeOf(p, asked);
	if (attribute?.[0] === "colours") {
		const colours = coloursOfProduct(p);
		return t(lang, `It comes in ${joinWith(colours, "and")}.`, `Viene en ${joinWith(colours.map(c => colourIn(lang, c)), "y")}.`);
	}
	if (attribute) return `${capitalise(labelIn(lang, attribute[0]))}: ${attribute[1]}.`;
	if (COLOURS_ASKED.test(asked) && !p.color && !parseProductQuery(asked).color) return t(lang, "Its details don't list its colours, I'm afraid.", "Su ficha no indica sus colores, lo siento.");
	// "Is it on sale?": whether it has a promotion of its own, said first (the details alone left it to be guessed).
	if (ON_SALE_ASKED.test(asked))
		return p.promotion
			? t(lang, `Yes — it's on promotion: ${p.promotion.priceText} with the code ${p.promotion.code} (${p.promotion.percentOff}% off).`, `Sí — está en promoción: ${p.promotion.priceText} con el código ${p.promotion.code} (${p.promotion.percentOff}% de descuento).`)
			: t(lang, `It isn't on sale right now, I'm afraid. Ask me for our current deals — a code may apply to your order.`, `No está en oferta ahora, lo siento. Pregúntame por las ofertas actuales — puede que un código aplique a tu pedido.`);
	// "¿Cuánto mide?" of a lamp with no measurements listed: said, not the details alone as if they answered.
	if (HOW_BIG.test(asked) && !rankedAttribute(asked)?.bySize && !sizeMeasure(p.attributes, p.sizes) && !MEASURE_STATED.test(detailsText(p)))
		return t(lang, "Its details don't give its measurements, I'm afraid.", "Su ficha no indica sus medidas, lo siento.");
	if (WEIGHT_ASKED.test(asked) && !WEIGHT_STATED.test(detailsText(p)))
		return t(lang, "Its details don't give its weight, I'm afraid.", "Su ficha no indica el peso, lo siento.");
	if (BATTERY_ASKED.test(asked) && !BATTERY_STATED.test(detailsText(p)))
		return t(
			lang,
			`Its details don't say how long its battery lasts, so I can't confirm it — if it matters, say "talk to a person" and our team will check.`,
			`Su ficha no dice cuánto dura la batería, así que no puedo confirmarlo — si es importante, escribe "hablar con una persona" y nuestro equipo lo revisa.`
		);
	// "What's the battery like?" of a laptop whose details say "all-day battery" but list no battery: what they say.
	const askedWords = attribute ? undefined : attributeAsked(asked);
	const key = askedWords && namesAttribute(askedWords) ? attributeKey(askedWords) : undefined;
	const clause = key ? clauseWith(p.description ?? "", ATTRIBUTE_NAMES[key] ?? key) : null;
	if (key && clause) {
		const clauseEs = lang === "es" && p.descriptionEs ? clauseWith(p.descriptionEs, key) : null;
		return t(lang, `Its details say “${clause}”.`, clauseEs ? `Su ficha dice “${clauseEs}”.` : `Su ficha menciona “${clause}”.`);
	}
	if (answered) return featureLine(p, feature, lang, asked);
	// "Does it come in XXL?" asks the size; "is the M one slim?" only names it.
	const referenced = sizeReferenced(asked);
	const size = referenced && !referenced.definite ? referenced.size : undefined;
	if (size) {
		if (!p.sizes?.length) return t(lang, "Its details don't list sizes, I'm afraid.", "Su ficha no indica tallas, lo siento.");
		const hit = sizeNamed(size, p.sizes);
		const all = sizesSmallestFirst(p.sizes).join(", ");
		return hit ? t(lang, `Yes, it comes in ${hit}.`, `Sí, viene en ${hit}.`) : t(lang, `Not in ${canonicalSize(size)}, I'm afraid — it comes in ${all}.`, `No en ${canonicalSize(size)}, lo siento — viene en ${all}.`);
	}
	// "Do you have it in white?": whether it comes in that colour, from the colours it lists. Not
	// under a photo: what the photo shows is not known to be this product.
	const colour = p.color && !/^\[(image|video)\]/.test(asked) ? parseProductQuery(asked).color : undefined;
	if (!colour) return null;
	const colours = coloursOfProduct(p);
	if (colours.some(c => fold(c) === colour)) return t(lang, `Yes, it comes in ${colour}.`, "Sí, viene en ese color.");
	// "In grey?" of a charcoal sofa: yes, in the catalog's name for it.
	const shade = colours.find(c => colourCovers(colour, fold(c)));
	return shade
		? t(lang, `Yes, it comes in ${shade} (a ${colour}).`, `Sí, viene en ${colourIn(lang, shade)}.`)
		: t(lang, `Not in ${colour}, I'm afraid — it comes in ${p.color}.`, `No en ese color, lo siento — viene en ${colourIn(lang, p.color ?? "")}.`);
}

/**
 * How a garment or shoe fits, from what its details say and nothing else: we know no fit beyond
 * them, so without a word on it the answer says so and points to the customer's usual size. A
 * size they say they wear is checked against its sizes. Null for a product without clothing or
 * shoe sizes (a watch's 41 mm, a rug's 200x300 cm): its details answer as they are.
 */
/** The skin and hair types beauty products are made for, and their Spanish names. */
const TYPES_ES: Record<string, string> = { dry: "seca", oily: "grasa", combination: "mixta", sensitive: "sensible", normal: "normal", mature: "madura", curly: "rizado", coloured: "teñido", fine: "fino", thick: "grueso", straight: "liso", wavy: "ondulado" };
/**
 * "Is it suitable for sensitive skin?", "¿sirve para cabello teñido?": answered from the skin or
 * hair types the product is made for, yes or no, not from whether its details say the words.
 */
function typeAnswer(p: ProductOut, asked: string, lang: Lang): string | null {
	const words = (parseProductQuery(asked).query ?? "").split(" ");
	const of = words.includes("skin") ? "skin" : words.includes("hair") ? "hair" : null;
	const raw = of === "skin" ? p.attributes?.skinType : of === "hair" ? p.attributes?.hairType : undefined;
	const types = (Array.isArray(raw) ? (raw as string[]) : String(raw ?? "").split(/\s*,\s*/)).filter(Boolean).map(x => x.toLowerCase());
	const wanted = words.map(w => (w === "colored" ? "coloured" : w)).filter(w => Object.hasOwn(TYPES_ES, w));
	if (!of || !types.length || !wanted.length) return null;
	const missed = wanted.filter(w => !types.includes(w));
	const es = (list: string[]) => list.map(x => TYPES_ES[x] ?? x);
	const noun = t(lang, of, of === "skin" ? "piel" : "cabello");
	const made = t(lang, `It's made for ${joinWith(types, "and")} ${of}`, `Está hecho para ${noun} ${joinWith(es(types), "y")}`);
	if (!missed.length) return t(lang, `Yes — ${made.charAt(0).toLowerCase()}${made.slice(1)}.`, `Sí — ${made.charAt(0).toLowerCase()}${made.slice(1)}.`);
	return t(lang, `${made} — not ${joinWith(missed, "or")} ${of}, I'm afraid.`, `${made} — no para ${noun} ${joinWith(es(missed), "o")}, lo siento.`);
}

function fitAnswer(p: ProductOut, asked: string, lang: Lang): string | null {
	if (!FIT_ASKED.test(asked) || !p.sizes?.length || !p.sizes.every(z => /^(?:x{0,3}[sml]|x{1,3}l|\d{2}(?:[.,]5)?|one size)$/i.test(z.trim()))) return null;
	const said = FIT_STATED.exec(p.description ?? "")?.[0];
	const small = said && /runs? small/i.test(said);
	const large = said && /runs? (?:large|big)/i.test(said);
	const head = said
		? small
			? t(lang, `Its details say it ${said.toLowerCase()}, so one size up is the safer pick.`, `Su ficha dice “${said.toLowerCase()}”: talla pequeño, así que una talla más es lo más seguro.`)
			: large
				? t(lang, `Its details say it ${said.toLowerCase()}, so one size down may fit you better.`, `Su ficha dice “${said.toLowerCase()}”: talla grande, así que una talla menos puede quedarte mejor.`)
				: t(lang, `Its details say “${said.toLowerCase()}” and nothing about it running small or large, so your usual size is the one to pick.`, `Su ficha dice “${said.toLowerCase()}” y nada de que talle pequeño o grande, así que tu talla de siempre es la indicada.`)
		: t(lang, "Its details don't say it runs small or large, so your usual size is the one to pick.", "Su ficha no dice que talle pequeño o grande, así que tu talla de siempre es la indicada.");
	const usual = USUAL_SIZE.exec(asked)?.[1];
	if (!usual) return head;
	const wanted = canonicalSize(usual);
	const hit = sizeNamed(wanted, p.sizes);
	if (hit) return `${head} ${t(lang, `It comes in ${hit}.`, `Viene en ${hit}.`)}`;
	const all = sizesSmallestFirst(p.sizes).join(", ");
	return `${head} ${t(lang, `It doesn't come in ${wanted}, I'm afraid — it comes in ${all}.`, `No viene en ${wanted}, lo siento — viene en ${all}.`)}`;
}

/**
 * What its details say, quoted as the customer reads them: to a Spanish-speaking customer, the clause
 * of the Spanish description that says their word ("batería para todo el día" for "all-day battery"),
 * where there is one; the catalog's English words otherwise.
 */
function quotedFor(lang: Lang, p: ProductOut, said: string, feature: string[], asked: string): string {
	if (lang !== "es" || !p.descriptionEs) return said;
	// Their words for it: "forro" for "lining", and an attribute's ("batería" for "battery").
	const named = asked.split(/[^a-z0-9]+/).filter(w => feature.length === 1 && Object.hasOwn(ATTRIBUTE_NAMES, w) && ATTRIBUTE_NAMES[w] === feature[0]);
	const theirs = named.length ? named : inTheirWords(feature, asked, lang).split(/\s+/).filter(w => w.length > 2);
	const clause = theirs.length ? clauseWith(p.descriptionEs, theirs[0]!) : null;
	if (clause && clause.length <= 60 && theirs.every(w => new RegExp(`\\b${escapeRegExp(w)}`).test(fold(clause)))) return clause;
	// "¿Tiene cremallera?" of a ficha that says "cierre": the Spanish word it does use for the same thing.
	const other = feature.length === 1 ? Object.entries(FEATURES_ES).flatMap(([es, en]) => (en === feature[0] ? [clauseWith(p.descriptionEs!, es)] : [])).find(Boolean) : null;
	return other && other.length <= 60 ? other : said;
}

/** "Does it have a mic?" about the one product in view: whether its details say so, before them. */
function featureLine(p: ProductOut, feature: string[], lang: Lang, asked: string): string | null {
	const words = featureSaid(p, feature);
	const colours = new Set(Object.values(COLOUR_WORDS));
	// "Is it available in green?" of a sage sofa: yes, in the catalog's name for that green.
	const colour = feature.length === 1 && colours.has(feature[0]!) ? feature[0]! : undefined;
	if (words && colour && fold(words) === colour) return t(lang, `Yes, it comes in ${colour}.`, "Sí, viene en ese color.");
	if (words && colour && words !== colour && colourCovers(colour, words)) return t(lang, `Yes, it comes in ${words} (a ${colour}).`, `Sí, viene en ${colourIn(lang, words)}.`);
	// "Water resistant" is less than the "waterproof" asked: said as such, not as a yes a buyer would rely on.
	if (words && feature.length === 1 && (WEAKER_THAN[feature[0]!] ?? []).some(near => fold(words).includes(near)))
		return t(lang, `Not fully — its details say “${words}”, which is less than ${feature[0]}.`, `No del todo — su ficha dice “${quotedFor(lang, p, words, feature, asked)}”, que es menos que ${FEATURE_NAMES_ES[feature[0]!] ?? feature[0]}.`);
	if (words) return t(lang, `Yes — its details mention “${words}”.`, `Sí — su ficha menciona “${quotedFor(lang, p, words, feature, asked)}”.`);
	// A colour is not a maybe when the details list the ones it comes in,
	const listsColours = fold(p.description ?? "").split(/[^a-z]+/).some(w => colours.has(w));
	if (feature.length === 1 && colours.has(feature[0]!) && listsColours) return t(lang, `Not in ${feature[0]}, I'm afraid — here are the colours it comes in:`, "No en ese color, lo siento — estos son los colores en que viene:");
	// nor when the catalog lists them.
	if (colour && p.color) return t(lang, `Not in ${colour}, I'm afraid — it comes in ${p.color}.`, `No en ese color, lo siento — viene en ${colourIn(lang, p.color)}.`);
	const spec = specStated(p, feature, lang);
	if (spec) return spec;
	// "Is it soft and waterproof?" of "Soft lambskin": the part it says, and the part it does not.
	const partly = feature.length > 1 ? feature.filter(w => featureSaid(p, [w])) : [];
	if (partly.length) {
		const unsaid = inTheirWords(feature.filter(w => !partly.includes(w)), asked, lang);
		const said = featureSaid(p, partly);
		return t(
			lang,
			`Its details mention “${said}”, but nothing about “${unsaid}”, so I can't confirm that part — if it matters, say "talk to a person" and our team will check.`,
			`Su ficha menciona “${said}”, pero nada sobre “${unsaid}”, así que eso no puedo confirmarlo — si es importante, escribe "hablar con una persona" y nuestro equipo lo revisa.`
		);
	}
	const counter = counterSaid(p, feature);
	if (counter) return t(lang, `Its details say “${counter}”.`, `Su ficha dice “${counter}”.`);
	if (!absenceTells(feature, asked, lang)) return null;
	const what = inTheirWords(feature, asked, lang);
	return t(
		lang,
		`Its details don't say anything about “${what}”, so I can't confirm it — if it matters, say "talk to a person" and our team will check.`,
		`Su ficha no dice nada de “${what}”, así que no puedo confirmarlo — si es importante, escribe "hablar con una persona" y nuestro equipo lo revisa.`
	);
}

/**
 * "Does it have 16 GB of RAM?" of a product whose RAM is an attribute, not in its description: that
 * attribute, with a yes when its figure is the one asked.
 */
function specStated(p: ProductOut, feature: string[], lang: Lang): string | null {
	const keys = new Set(feature.flatMap(w => [attributeKey(w), ATTRIBUTE_NAMES[attributeKey(w)]]).filter(Boolean));
	for (const [name, value] of Object.entries(p.attributes ?? {})) {
		const label = name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
		if (!keys.has(attributeKey(label))) continue;
		const askedFigure = specFigures(feature.join(" "))[0];
		const has = specFigures(value)[0];
		const yes = askedFigure && has && askedFigure.family === has.family && askedFigure.value === has.value;
		const shown = labelIn(lang, ACRONYMS.has(label) ? label.toUpperCase() : label);
		return yes ? `${t(lang, "Yes — ", "Sí — ")}${shown}: ${value}.` : `${capitalise(shown)}: ${value}.`;
	}
	return null;
}

/** Ranked words the price, promotion and stock answers own, not the products' details. */
const PRICE_WORD = /^(?:price|prices|precio|precios|cost|costo|value|valor|discount|discounts|descuento|descuentos|deal|deals|offer|offers|oferta|ofertas|stock)$/;
/**
 * "Which one has the most battery?" when none of them states it as an attribute: no ranking made
 * up, but what their details say of it. Null for a single product (nothing to rank).
 */
function unrankedHead(products: ProductOut[], words: string, lang: Lang): string | null {
	if (products.length < 2) return null;
	const key = attributeKey(words);
	const name = Object.hasOwn(ATTRIBUTE_NAMES, key) ? ATTRIBUTE_NAMES[key]! : key;
	// The catalog's name in the customer's language when it has one; otherwise their own words.
	const shown = ACRONYMS.has(name) ? name.toUpperCase() : Object.hasOwn(LABELS_ES, name) ? labelIn(lang, name) : words;
	return mentionedHead(
		products,
		name,
		lang,
		words,
		[`Their details don't say how they compare on ${shown}, I'm afraid — side by side:`, `Sus fichas no dicen cómo se comparan en ${shown}, lo siento — lado a lado:`],
		[`nothing in their details puts one above the ${products.length === 2 ? "other" : "others"} on ${shown}`, `nada en sus fichas pone a uno por encima de los demás en ${shown}`]
	);
}

/**
 * What several products' details say of something no figure of theirs ranks: that none says it,
 * that all say it alike (so no ranking is made up), or which of them do. Each is quoted by the
 * clause of its description that says it ("warm lining", "all-day battery").
 */
function mentionedHead(products: ProductOut[], word: string, lang: Lang, question: string, none: [en: string, es: string], alike: [en: string, es: string]): string {
	const said = products.map(p => {
		const mention = featureSaid(p, [word]);
		return mention ? quotedFor(lang, p, clauseWith(p.description ?? "", word) ?? clauseWith(p.description ?? "", fold(mention)) ?? mention, [word], question) : null;
	});
	if (said.every(w => !w)) return t(lang, ...none);
	if (said.every(w => w && fold(w) === fold(said[0]!)))
		return t(lang, `${products.length === 2 ? "Both" : `All ${products.length}`} say “${said[0]}” — ${alike[0]}:`, `${products.length === 2 ? "Los dos dicen" : `Los ${products.length} dicen`} “${said[0]}” — ${alike[1]}:`);
	return featureHead(products, [word], lang, question);
}

/**
 * "Which one is the warmest?", "¿cuál es más abrigada?": a quality the details can mention but not
 * measure, by the word that says it and the customer's own words for the comparison.
 */
const QUALITIES: [feature: string, en: string, es: string][] = [
	["warm", "warm(?:er|est)", "abrigad[oa]s?|calid[oa]s?"],
	["soft", "soft(?:er|est)", "suaves?"],
	["comfortable", "comfi(?:er|est)|(?:more|most) comfortable", "comod[oa]s?"],
	["quiet", "quiet(?:er|est)|(?:more|most) silent", "silencios[oa]s?"],
	["breathable", "(?:more|most) breathable", "transpirables?"],
	["long-lasting", "lasts? (?:the )?long(?:er|est)|long(?:er|est)[- ]lasting|(?:more|most) long[- ]lasting", "duracion|duraderos?|duraderas?"]
];
const QUALITY_RANKED = QUALITIES.map(([feature, en, es]) => ({ feature, re: new RegExp(`\\bwhich\\b.*?\\b((?:the )?(?:${en}))\\b|\\bcual(?:es)?\\b.*?\\b(mas (?:${es}))\\b`) }));
/**
 * "Which laptop has the most RAM?", "which perfume lasts longest?": the words of what a question
 * picking among a kind ranks them by; null for other messages, and for a size (a sorted search answers that).
 */
export function rankingAsked(s: string): string | null {
	if (!ASKS_WHICH.test(s)) return null;
	const ranked = rankedAttribute(s);
	if (ranked) return ranked.bySize ? null : ranked.words;
	return qualityRanked(s)?.said ?? null;
}
function qualityRanked(s: string): { feature: string; said: string } | null {
	for (const { feature, re } of QUALITY_RANKED) {
		const m = re.exec(s);
		if (m) return { feature, said: m[1] ?? m[2]!.replace(/^mas\b/, "más") };
	}
	return null;
}

/** "Which one is the warmest?" of products whose details only say "warm lining": what they say, no ranking made up. */
function qualityHead(products: ProductOut[], asked: string, lang: Lang): string | null {
	const quality = qualityRanked(asked);
	if (!quality || products.length < 2) return null;
	// "Which lasts longest", not "which is lasts longest".
	const verb = /^lasts? /.test(quality.said);
	const [en, es] = [verb ? `which ${quality.said.replace(/^last /, "lasts ")}` : `which is ${quality.said}`, `cuál es ${quality.said}`];
	return mentionedHead(
		products,
		quality.feature,
		lang,
		asked,
		[`Their details don't say ${en}, I'm afraid — side by side:`, `Sus fichas no dicen ${es}, lo siento — lado a lado:`],
		[`nothing in their details says ${en}`, `nada en sus fichas dice ${es}`]
	);
}

/** The part of a description that says a word: "all-day battery" of "…, 14 in display and all-day battery." */
function clauseWith(description: string, word: string): string | null {
	const said = new RegExp(`\\b${escapeRegExp(word)}`);
	const clause = description.split(/[,;:]|\.(?!\d)|\s(?:and|with|y|con)\s/).find(c => said.test(fold(c)));
	return clause ? clause.trim().replace(/^(?:a|an|the|un|una|el|la)\s+/i, "") : null;
}

function featureHead(products: ProductOut[], feature: string[], lang: Lang, question: string): string {
	const saying = products.map(p => ({ p, words: featureSaid(p, feature) })).filter(x => x.words);
	const asked = inTheirWords(feature, question, lang);
	// "Comfortable for walking?" when they say "for all-day walking": what they do say, and what not.
	const said = saying.length || feature.length < 2 ? [] : feature.filter(w => products.some(p => featureSaid(p, [w])));
	// "Sensitive skin?" of creams that all say "skin": a word every one says tells nothing apart.
	const partly = said.some(w => !products.every(p => featureSaid(p, [w]))) ? said : [];
	// "Are they leather and denim?": each word said by one or another, none by all at once — who says which.
	if (partly.length && partly.length === feature.length) {
		const each = [...new Set(feature)].map(w => {
			const sayers = products.filter(p => featureSaid(p, [w]));
			const word = featureSaid(sayers[0]!, [w]);
			const names = joinWith(sayers.map(p => p.name), t(lang, "and", "y"));
			return t(lang, `the ${names} ${sayers.length === 1 ? "mentions" : "mention"} “${word}”`, `${names} ${sayers.length === 1 ? "menciona" : "mencionan"} “${word}”`);
		});
		return `${capitalise(each.join("; "))}:`;
	}
	if (partly.length) {
		const unsaid = inTheirWords(feature.filter(w => !partly.includes(w)), question, lang);
		const head = featureHead(products, partly, lang, question);
		const rest = head.charAt(0).toLowerCase() + head.slice(1);
		return t(lang, `None of them says “${unsaid}” in so many words, but ${rest}`, `Sus fichas no lo dicen tal cual, pero ${rest}`);
	}
	// "Are they multiplayer?" of games that all say "single player": that, not that none mention it.
	const counters = products.map(p => counterSaid(p, feature));
	if (!saying.length && counters.every(c => c && c === counters[0]))
		return t(lang, `${products.length === 2 ? "Both" : `All ${products.length}`} say “${counters[0]}”:`, `${products.length === 2 ? "Los dos dicen" : `Los ${products.length} dicen`} “${counters[0]}”:`);
	if (!saying.length) return absenceTells(feature, question, lang) ? t(lang, `None of these mention “${asked}”:`, `Ninguno de estos menciona “${asked}”:`) : t(lang, "Side by side:", "Lado a lado:");
	const words = quotedFor(lang, saying[0]!.p, saying[0]!.words!, feature, question);
	if (saying.length === products.length) return t(lang, products.length === 2 ? `Both of these mention “${words}”:` : `All ${products.length} of these mention “${words}”:`, `Los ${products.length} mencionan “${words}”:`);
	const names = joinWith(saying.map(x => x.p.name), t(lang, "and", "y"));
	return saying.length === 1
		? t(lang, `Only the ${names} mentions “${words}”:`, `Solo ${names} menciona “${words}”:`)
		: t(lang, `The ${names} mention “${words}”; the others don't:`, `${names} mencionan “${words}”; los demás no:`);
}

/**
 * Two or more products side by side, from their details; the catalog's words, not the brain's.
 * Numbered as the list they came from, so "the third" after "compare the first and the third" is the third.
 */
export function composeComparison(outputs: any[], lang: Lang, shown: BrainState["shown"], asked: string, earlier: string[] = [], named = false): { text: string; understood: boolean } {
	// "Which is better for video editing, the ProBook 16 or the AirBook 13?": no description says "video
	// editing", but memory is what that work wants of a computer: judged by their RAM, and said why.
	const use = DEMANDING_USE.exec(asked)?.[1];
	const withRam = outputs.filter(o => o && typeof o.name === "string" && attributeOf(o as ProductOut, "which has the most ram"));
	if (use && withRam.length >= 2 && !rankedAttribute(asked)) {
		const byRam = composeComparison(outputs, lang, shown, "which has the most ram", earlier, named);
		return { ...byRam, text: `${t(lang, `For ${use}, memory (RAM) matters most.`, "Para ese uso, lo que más importa es la memoria (RAM).")} ${byRam.text}` };
	}
	// "Do they come in XXL?": the size is answered from their sizes (`sizeHead`), not looked for in their details.
	const feature = featureAsked(sizeReferenced(asked)?.rest ?? asked);
	const products = outputs.filter(o => o && typeof o.error !== "string" && typeof o.name === "string") as ProductOut[];
	if (!products.length) return { text: t(lang, "Sorry, I couldn't open those just now.", "Perdón, no pude abrirlos ahora."), understood: false };
	// "How many do you have?" after a list: each one's stock, in its line.
	const stockAsked = STOCK_ASKED.test(asked);
	const stockOf = (p: ProductOut) => (p.stock > 0 ? (stockAsked ? ` — ${t(lang, `${p.stock} in stock`, `${p.stock} disponibles`)}` : "") : ` (${t(lang, "sold out", "agotado")})`);
	// "Which switches do they have?": each one's, by the attribute's name, when any of them states it
	// (their descriptions then stay out: the answer is the point, in a message that fits a phone).
	const attributes = products.map(p => attributeOf(p, asked));
	const label = attributes.find(a => a)?.[0];
	// "Something with a good camera", "the smallest screen": which one's figure is the biggest (or
	// smallest), said first. The list keeps its order, so "the first one" still means the first of
	// the list the customer was shown. A product that states no figure is in neither end.
	const ranked = rankedAttribute(asked);
	// A rug in 120x170 cm and 200x300 cm is as big as its biggest, as compact as its smallest.
	const sized = label === "sizes" ? products.map(p => sizeMeasure(p.attributes, p.sizes)) : null;
	const figures = sized
		? sized.map(m => (m ? sizeFigure(m, !!ranked?.smallest) : -1))
		: attributes.map(a => specFigures(a?.[1] ?? "")[0]?.value ?? -1);
	const figureText = (i: number) => (sized ? ((ranked?.smallest ? sized[i]?.leastText : sized[i]?.mostText) ?? "") : attributes[i]![1]);
	const stated = figures.filter(f => f >= 0);
	const end = stated.length ? (ranked?.smallest ? Math.min(...stated) : Math.max(...stated)) : -1;
	const leaders = ranked && end >= 0 ? figures.flatMap((f, i) => (f === end ? [i] : [])) : [];
	const leader = leaders.length === 1 ? leaders[0]! : -1;
	const pair = products.length === 2;
	// Hours last: "the ProBook 16's is the longer (18 h)", not "the bigger".
	const hours = leaders.length > 0 && specFigures(attributes[leaders[0]!]?.[1] ?? "")[0]?.family === "h";
	// A screen or more RAM is bigger; a camera's megapixels or a refresh rate are higher.
	const rate = leaders.length > 0 && /^(?:hz|mp)$/.test(specFigures(attributes[leaders[0]!]?.[1] ?? "")[0]?.family ?? "");
	const [low, high] = hours ? ["short", "long"] : rate ? ["low", "high"] : ["small", "bigg"];
	const superlative = ranked?.smallest ? t(lang, pair ? `the ${low}er` : `the ${low}est`, "el menor") : t(lang, pair ? `the ${high}er` : `the ${high}est`, "el mayor");
	const attributeLine = (i: number) => (label ? `\n   ${capitalise(labelIn(lang, label))}: ${attributes[i]?.[1] ?? t(lang, "not stated", "no indicado")}` : "");
	const lines = products.map(
		(p, i) =>
			`${shown.find(x => x.sku === p.sku)?.position ?? i + 1}. ${p.name} — ${p.priceText}${stockOf(p)}${attributeLine(i)}${p.description && !label ? `\n   ${descriptionIn(lang, p)}` : ""}${p.sizes?.length && !sized ? `\n   ${t(lang, "Sizes", "Tallas")}: ${sizesSmallestFirst(p.sizes).join(", ")}` : ""}`
	);
	// "Which one is cheaper, the arc or the rattan?": the answer first, among those that can be bought.
	const byPrice = DEARER.test(asked) ? "high" : CHEAPEST.test(asked) ? "low" : null;
	const buyable = products.some(p => p.stock > 0) ? products.filter(p => p.stock > 0) : products;
	const prices = buyable.map(p => centsOf(p.priceText));
	const target = byPrice === "high" ? Math.max(...prices) : Math.min(...prices);
	const priceLeader = byPrice && products.length > 1 && prices.filter(x => x === target).length === 1 ? buyable[prices.indexOf(target)]! : null;
	const priceHead = priceLeader
		? byPrice === "low"
			? t(lang, `The ${priceLeader.name} is the ${products.length === 2 ? "cheaper" : "cheapest"} one you can have now (${priceLeader.priceText}) — side by side:`, `La opción más económica disponible es ${priceLeader.name} (${priceLeader.priceText}) — lado a lado:`)
			: t(lang, `The ${priceLeader.name} is the ${products.length === 2 ? "pricier" : "priciest"} one you can have now (${priceLeader.priceText}) — side by side:`, `La opción más cara disponible es ${priceLeader.name} (${priceLeader.priceText}) — lado a lado:`)
		: null;
	// Several at the top share it: all of them named, none made the winner.
	const tiedHead = () => {
		const value = figureText(leaders[0]!);
		if (leaders.length === products.length && sized) return t(lang, `The sizes of each — all of them come in ${value}:`, `Los tamaños de cada uno — todos vienen en ${value}:`);
		if (leaders.length === products.length) return t(lang, `The ${label} of each — all the same (${value}):`, `${capitalise(labelIn(lang, label!))} de cada uno — todos iguales (${value}):`);
		const names = leaders.map(i => products[i]!.name);
		return t(lang, `The ${label} of each — ${joinWith(names.map(n => `the ${n}`), "and")} share ${superlative} (${value}):`, `${capitalise(labelIn(lang, label!))} de cada uno — ${joinWith(names, "y")} empatan con ${superlative} (${value}):`);
	};
	const head = label
		? leader >= 0
			? t(lang, `The ${label} of each — the ${products[leader]!.name}'s is ${superlative} (${figureText(leader)}):`, `${capitalise(labelIn(lang, label))} de cada uno — ${superlative} es el de ${products[leader]!.name} (${figureText(leader)}):`)
			: leaders.length > 1
				? tiedHead()
				: t(lang, `The ${label} of each:`, `${capitalise(labelIn(lang, label))} de cada uno:`)
		: (ageHead(products, asked, lang, earlier) ??
			differenceHead(products, asked, lang) ??
			(feature.length
			? featureHead(products, feature, lang, asked)
			: stockAsked
				? t(lang, "What I have of each right now:", "Lo que tengo de cada uno ahora:")
				: WEIGHT_ASKED.test(asked) && !products.some(p => WEIGHT_STATED.test(detailsText(p)))
					? t(lang, "Their details don't give their weight, I'm afraid — side by side:", "Sus fichas no indican el peso, lo siento — lado a lado:")
					: BATTERY_ASKED.test(asked) && !products.some(p => BATTERY_STATED.test(detailsText(p)))
					? t(lang, "Their details don't say how long their batteries last, I'm afraid — side by side:", "Sus fichas no dicen cuánto dura la batería, lo siento — lado a lado:")
					: (priceHead ??
						sizeHead(products, asked, lang) ??
						qualityHead(products, asked, lang) ??
						(ranked && !ranked.bySize && !PRICE_WORD.test(ranked.words) ? unrankedHead(products, ranked.words, lang) : null) ??
						pickHead(products, asked, lang, earlier, named) ??
						t(lang, "Side by side:", "Lado a lado:"))));
	return { text: `${head}\n${lines.join("\n")}\n${t(lang, "Which one shall I add?", "¿Cuál agrego?")}`, understood: true };
}

/**
 * "What's the difference between the Nova X and the Nova X Pro?": what their details state differently
 * (storage, shades, price), said first; it showed them side by side and left the reading to the customer.
 */
function differenceHead(products: ProductOut[], asked: string, lang: Lang): string | null {
	if (products.length !== 2 || !/\b(?:difference|differences|differ|diferencia|diferencias|distinto|distintos)\b/.test(asked)) return null;
	const [a, b] = products as [ProductOut, ProductOut];
	const value = (p: ProductOut, key: string) => {
		const v = (p.attributes as Record<string, unknown> | undefined)?.[key];
		return v === undefined ? undefined : Array.isArray(v) ? v.join(", ") : String(v);
	};
	const keys = [...new Set([...Object.keys(a.attributes ?? {}), ...Object.keys(b.attributes ?? {})])];
	const parts = keys.flatMap(key => {
		const [x, y] = [value(a, key), value(b, key)];
		if (x === undefined || y === undefined || fold(x) === fold(y)) return [];
		const label = key.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
		const shown = (v: string) => (/colou?rs|shades/.test(label) ? colourIn(lang, v) : v);
		return [`${labelIn(lang, ACRONYMS.has(label) ? label.toUpperCase() : label)}: ${shown(x)} ${t(lang, "vs", "vs.")} ${shown(y)}`];
	});
	// The colours (or shades) are the product's own field, not an attribute.
	if (a.color && b.color && fold(a.color) !== fold(b.color)) parts.push(`${t(lang, "colours", "colores")}: ${colourIn(lang, a.color)} ${t(lang, "vs", "vs.")} ${colourIn(lang, b.color)}`);
	// Nothing stated of both that differs: their descriptions side by side say it better than a price alone.
	if (!parts.length) return null;
	if (a.priceText !== b.priceText) parts.push(`${t(lang, "price", "precio")}: ${a.priceText} ${t(lang, "vs", "vs.")} ${b.priceText}`);
	return t(lang, `The ${a.name} and the ${b.name} differ in ${parts.join("; ")} — side by side:`, `${a.name} y ${b.name} se diferencian en ${parts.join("; ")} — lado a lado:`);
}

/** "Do they come in 43?" after a list: which of them do, and whether those can be had now. */
function sizeHead(products: ProductOut[], asked: string, lang: Lang): string | null {
	const referenced = sizeReferenced(asked);
	if (!referenced || referenced.definite || !products.some(p => p.sizes?.length)) return null;
	const size = canonicalSize(referenced.size);
	const fits = products.filter(p => p.sizes?.length && sizeNamed(size, p.sizes));
	const buyable = fits.filter(p => p.stock > 0);
	if (!fits.length) return t(lang, `None of these comes in ${size}, I'm afraid — side by side:`, `Ninguno de estos viene en ${size}, lo siento — lado a lado:`);
	const names = (list: ProductOut[]) => joinWith(list.map(p => p.name), t(lang, "and", "y"));
	if (!buyable.length)
		return t(lang, `In ${size}: the ${names(fits)}, sold out right now — side by side:`, `En ${size}: ${names(fits)}, agotado por ahora — lado a lado:`);
	return t(lang, `In ${size}: the ${names(buyable)} — side by side:`, `En ${size}: ${names(buyable)} — lado a lado:`);
}

/** "Which one do you recommend?", "¿cuál me recomiendas?": the seller's pick, not only the facts. */
export const PICK_ASKED =
	/\b(?:which|what) (?:one |ones |of (?:these|them|those) )?(?:do|would|should|can|will) (?:you|u) (?:recommend|suggest|pick|choose|go for|get)\b|\bwhich (?:one )?(?:is|'s) (?:the )?(?:best|better|your (?:favou?rite|pick))\b|\bwhat(?:'s| is) your (?:pick|favou?rite|recommendation)\b|\bwhich (?:one )?should i (?:get|buy|choose|pick|go for)\b|\bcual (?:me |nos )?(?:recomiendas|recomiendan|sugieres|elegirias|escogerias|conviene)\b|\bcual es (?:el |la )?mejor\b|\bcual (?:me )?(?:llevo|compro)\b|\b(?:you|u) (?:pick|choose|decide)\b|\b(?:pick|choose) (?:one|the best(?: one)?|for me)\b|\b(?:elige|escoge|elegi|escogeme|eligeme|elijeme) (?:tu|uno|una|por mi)\b|^\W*(?:elige|escoge) tu\W*$/;

/**
 * "Are they ok for his age?" of a list of games or gaming gear: which suit the age the customer
 * gave (in this message or lately), by their ratings; without an age, that the ratings are below.
 */
function ageHead(products: ProductOut[], asked: string, lang: Lang, earlier: string[]): string | null {
	if (!AGE_ASKED.test(asked)) return null;
	const age = ageOf([asked, ...earlier]).age;
	if (products.every(isGamingGear))
		return age === undefined
			? t(lang, "None of these has an age rating — only games carry one:", "Ninguno tiene clasificación por edad — solo los juegos la llevan:")
			: t(lang, `None of these has an age rating — only games carry one — so any of them suits ${aYearOld(age)}:`, `Ninguno tiene clasificación por edad (solo los juegos la llevan), así que cualquiera es apto para ${age} años:`);
	if (!products.some(p => ratingMinimumAge(p.attributes?.rating) !== undefined)) return null;
	if (age === undefined) return t(lang, "Their age ratings are in their details:", "Su clasificación por edad está en su ficha:");
	const fit = products.filter(p => suitsAge(p.attributes, age));
	if (fit.length === products.length) return t(lang, `All of these suit ${aYearOld(age)}:`, `Todos son aptos para ${age} años:`);
	if (!fit.length) return t(lang, `None of these is rated for ${aYearOld(age)}:`, `Ninguno de estos es apto para ${age} años:`);
	const names = (ps: ProductOut[]) => joinWith(ps.map(p => p.name), t(lang, "and", "y"));
	const older = products.filter(p => !fit.includes(p));
	return t(
		lang,
		`For ${aYearOld(age)}, the ${names(fit)}; ${names(older)} ${older.length === 1 ? "is" : "are"} rated for older players:`,
		`Para ${age} años, ${names(fit)}; ${names(older)} ${older.length === 1 ? "es" : "son"} para mayores:`
	);
}

function pickHead(products: ProductOut[], asked: string, lang: Lang, earlier: string[], named: boolean): string | null {
	if (!PICK_ASKED.test(asked) || products.length < 2) return null;
	const buyable = products.filter(p => p.stock > 0);
	if (!buyable.length) return t(lang, "All of these are sold out right now, I'm afraid — side by side:", "Todos estos están agotados ahora, lo siento — lado a lado:");
	const said = [asked, ...earlier];
	const size = lookBack(said, sizeSaidIn);
	const colour = lookBack(said, f => parseProductQuery(f).color);
	const sized = (p: ProductOut) => !size || !p.sizes?.length || sizeNamed(size, p.sizes) !== null;
	const coloured = (p: ProductOut) => !colour || !p.color || colourNamed(colour, coloursOfProduct(p)) !== undefined;
	const pick = buyable.find(p => sized(p) && coloured(p));
	// The need said, as the customer said it; only what tells these products apart.
	const need = [size && products.some(p => !sized(p)) ? size : undefined, colour && products.some(p => !coloured(p)) ? colour : undefined].filter((x): x is string => !!x);
	const inNeed = joinWith(need.map(x => colourIn(lang, x)), t(lang, "and", "y"));
	if (!pick) return t(lang, `None of these that you can have now comes in ${inNeed}, I'm afraid — side by side:`, `Ninguno de estos que tengo ahora viene en ${inNeed}, lo siento — lado a lado:`);
	// "Which is better, the X or the Y?" names them: no search put one first, so neither is the better match.
	if (named && !need.length)
		return t(lang, "It comes down to what matters most to you — the price, the size, the material? Side by side:", "Depende de lo que más te importe — ¿el precio, el tamaño, el material? Lado a lado:");
	return need.length
		? t(
				lang,
				`I'd go for the ${pick.name} (${pick.priceText}) — it comes in ${inNeed}, and it's the best match for what you asked that you can have now. Side by side:`,
				`Yo elegiría ${pick.name} (${pick.priceText}) — viene en ${inNeed} y es lo que mejor encaja con lo que pediste y está disponible. Lado a lado:`
			)
		: t(
				lang,
				`I'd go for the ${pick.name} (${pick.priceText}) — it's the best match for what you asked that you can have now. Side by side:`,
				`Yo elegiría ${pick.name} (${pick.priceText}) — es lo que mejor encaja con lo que pediste y está disponible. Lado a lado:`
			);
}

/** "Which is lighter?", "¿cuál pesa menos?": a weight to compare. */
const WEIGHT_ASKED = /\b(lighter|lightest|heavier|heaviest|heavy(?! duty)|weighs?|weight|liviano|livianos|ligero|ligeros|pesa|pesado|pesados|peso)\b/;
/** "Is it on sale?", "any discount on it?", "¿está en oferta?": whether the product in view is discounted. */
const ON_SALE_ASKED = /\b(?:on sale|on offer|on promotion|discounted|(?:any|a) discount on (?:it|this|that|them)|(?:en|de) (?:oferta|promocion|rebaja|descuento)|rebajad[oa]s?|tiene descuento)\b/;
/** A measurement in a product's details: a figure in cm, mm, m, in or ml, or dimensions ("200x300"). */
const MEASURE_STATED = /\b\d+(?:\.\d+)?\s?(?:cm|mm|m|in|inch(?:es)?|ml|l|oz)\b|\b\d+\s?x\s?\d+\b|\b(?:width|height|depth|dimensions?|capacity)\b/i;
/** A weight in a product's details: a figure in kg, g or lb, or an attribute named for it. */
const WEIGHT_STATED = /\b\d+(?:\.\d+)?\s?(?:kg|g|lbs?|grams?)\b|\bweight\b/i;
/** "How long is the battery?", "¿cuánto dura la batería?": a battery life to give. */
const BATTERY_ASKED = /\b(batter(?:y|ies)|baterias?|battery life|charge lasts?)\b/;
/** A battery in a product's details: said in its description, or an attribute named for it. */
const BATTERY_STATED = /\bbatter(?:y|ies)\b|\b\d+\s?(?:h|hours?)\b/i;
/** The details (description and attribute names) that say what a product weighs or how long it lasts. */
const detailsText = (p: ProductOut) => `${p.description ?? ""} ${Object.keys(p.attributes ?? {}).join(" ")}`;
