/** Questions about a product's own traits ("does it have…", "what size is the…") and the answer each attribute gives. */
import { lookupEs, ratingMinimumAge, sizeMeasure, suitsAge } from "../../contracts/catalog";
import type { Lang } from "../language";
import { COMPLEMENT, COMPLEMENT_G } from "./intents";
import { KNOWN_PLATFORMS, parseProductQuery } from "./query";
import { ACRONYMS, aYearOld, capitalise, fold, joinWith, NOUNS_ES, singular, t } from "./text";
import type { ProductOut, ProductQuery } from "./types";
import { productWords } from "./variants";


/** A question about a product's own traits: its colours, sizes, fabric. */
export const ATTRIBUTE_QUESTION = /\b(colou?rs?|shades?|sizes?|size chart|fit|fits|material|fabric|made of|battery|battery life|compatible|compatibility|work with|works with|bateria|compatible con|funciona con|specs?|specifications?|refresh rate|resolution|hz|ram|memory|storage|processor|cpu|screen size|waterproof|impermeables?|resolucion|memoria|almacenamiento|procesador|dimensions?|measurements?|how (big|tall|wide|long|heavy)|how much (?:does|do) (?:it|they) (?:hold|contain)|weigh|weight|tallas?|colores?|tela|talle|de que (esta )?hecho|mide|miden|medidas?|tamano|pesa|cuanto pesa)\b/;
/** Words of an attribute question that name no product ("what colours does it come in?"). */
export const ATTRIBUTE_WORDS = new Set(["colour", "color", "colore", "colores", "shade", "size", "chart", "fit", "material", "fabric", "made", "come", "battery", "last", "life", "compatible", "compatibility", "work", "bateria", "dura", "funciona", "spec", "specification", "refresh", "rate", "resolution", "hz", "ram", "memory", "storage", "processor", "cpu", "screen", "waterproof", "resolucion", "memoria", "almacenamiento", "procesador", "dimension", "measurement", "big", "tall", "wide", "long", "heavy", "weigh", "weight", "mide", "miden", "medida", "tamano", "pesa", "available", "option", "other", "another", "different", "bigger", "larger", "smaller", "longer", "shorter", "wider", "talla", "tela", "talle", "hecho", "viene", "vienen", "tiene", "tienen", "mas", "otra", "otro", "otras", "otros", "grande", "chica", "chico", "hold", "contain"]);
/** "What sizes do the jeans come in?" asks about jeans, not about the product in focus. */
export function namesOtherProduct(s: string): boolean {
	return (parseProductQuery(s).query?.split(" ") ?? []).some(w => !ATTRIBUTE_WORDS.has(w));
}
/**
 * "What goes well with a white dress?": the product that something is to go with, when the
 * customer names it rather than pointing at the one in view ("with it"). Its words, or null.
 */
export const GOES_WITH_NAMED = /\b(?:goes?|go|pairs?|wear|combina[rn]?|va[n]? bien|vaya[n]?) (?:well |nicely |best )?(?:with|con) (?:a |an |the |my |some |un |una |el |la |los |las |mi |mis |unos |unas )?((?!(?:it|them|this|that|these|those|this one|that one|eso|esto|esta|este|ese|esa|estos|estas|esos|esas|ello|ella|el|ellos|ellas)\b)[^?.!,]+)/;
export const goesWithNamed = (s: string): ProductQuery | null => {
	const words = COMPLEMENT.test(s) ? GOES_WITH_NAMED.exec(s)?.[1] : undefined;
	const named = words ? parseProductQuery(words) : null;
	return named?.query ? named : null;
};
/**
 * "What shoes would go with it?", "¿qué bolso combina con esto?": the kind wanted to go with the
 * product in view (one named instead, "with a white dress", is `goesWithNamed`'s). Null for others.
 */
export function wantedToGoWith(s: string): ProductQuery | null {
	if (!COMPLEMENT.test(s) || goesWithNamed(s)) return null;
	const wanted = parseProductQuery(productWords(s.replace(COMPLEMENT_G, " ")));
	return wanted.query ? wanted : null;
}
/** "How much is the linen shirt?" names a product beside the words `re` matches; "how much is it?" does not. */
export const namesOtherThan = (s: string, re: RegExp) => namesOtherProduct(s.replace(new RegExp(re.source, "g"), " "));
/** A question whose subject is "it": the product in focus. */
/** "Is it …", "does this …": English asks about "it" by name. */
const IT_ASKED_EN = /^[¿¡\s]*(?:and |so |but |ok )?(?:(?:is|does|can|will|would|has|did)|how (?!(?:much|many|long|soon|often|far)\b)[a-z]+ (?:is|does)) (?:it|this|that one|this one)\b/;
/** "Can I put it in the dishwasher?", "should I iron it?": what to do with it. */
const IT_CARE_EN = /^[¿¡\s]*(?:and |so |but |ok )?(?:can|could|should|do) (?:i|you|we) (?:put|use|wash|clean|iron|microwave|leave|keep|take|bring|fold|store|charge|connect|pair|carry) (?:it|this|this one|that one)\b/;
/**
 * Spanish asks about it without the word: "¿se puede desarmar?", "¿viene armado?", "¿es vegano?",
 * "¿es para Nexus?", "¿sirve para pelo teñido?". What it asks (the verb, the adjective) is left
 * after the match, as the feature.
 */
const IT_ASKED_ES =
	/^[¿¡\s]*(?:y |pero )?(?:(?:se puede|(?:lo|la) puedo|(?:lo|la) puedes)(?= [a-z]+(?:ar|er|ir)\b)|viene(?= (?:armad[oa]|montad[oa]|ensamblad[oa]|desarmad[oa]|desmontad[oa])\b)|es(?= (?:vegan[oa]|lavable|impermeable|resistente|hipoalergenic[oa]|natural|organic[oa]|recargable|inalambric[oa]|ajustable|plegable|transpirable|suave|comod[oa])\b)|(?:cuanto (?:tiempo )?(?:me )?dura(?=[\s?!.]*$)|es para|es de(?! que)|es (?:buen[oa]|apt[oa]|adecuad[oa]|ideal|recomendad[oa]) (?:para|con|en)|sirve (?:para|en|con)|funciona (?:en|con|para)|viene con|trae|incluye|de que (?:se )?trata|de que va)\b)/;
export const IT_QUESTION = new RegExp([IT_ASKED_EN, IT_CARE_EN, IT_ASKED_ES].map(r => r.source).join("|"));
/** "Which laptop …", "¿cuál …": a question that picks among products. */
export const ASKS_WHICH = /^[¿\s]*(?:which|what|cual|que)\b/;
/**
 * "¿Tiene luz cálida?" asks about the product too, but "¿tiene chaquetas negras?" asks the shop
 * (usted): a product noun makes it a search.
 */
const IT_HAS_ES = /^[¿¡\s]*(?:y |pero )?(?:tiene|lleva|es|esta)\b(?! (?:un|una|el|la|que|para|demasiado|muy|mucho|caro|cara|barato|barata)\b)/;
/** "Are they waterproof?", "¿son impermeables?": about the products listed, all of them. */
export const THEY_QUESTION = /^[¿¡\s]*(?:and |so |but |ok )?(?:are|do|will|can|would|did) (?:they|these|those|all of them)\b|^[¿¡\s]*(?:y |pero )?(?:(?:son|sirven|vienen|traen|incluyen) |(?:cuanto )?duran\b|(?:los|las) (?:tienes|tienen|tiene|manejas|manejan)\b)/;
/**
 * "What thread count is it?", "which brand are they?", "¿qué marca es?": an attribute of the product
 * in view, asked by a name we may have no field for. The words between say which.
 */
const WHAT_OF_IT = /^[¿¡\s]*(?:and |so |but |ok )?(?:what|which) ([a-z][a-z -]*?) (?:is|are|does|do|has|have) (?:it|they|this|that|these|those)(?: ones?)?(?: (?:have|has|use|come with|got))?\b[\s?.!]*$|^[¿¡\s]*(?:y )?(?:de )?(?:que|cual(?:es)?) ([a-z][a-z ]*?) (?:es|son|tiene|tienen|usa|usan)[\s?.!]*$|^[¿¡\s]*(?:and |so |ok )?(?:what|which) (?!about\b)([a-z]+(?: [a-z]+)?)[\s?.!]*$/;
const NOT_AN_ATTRIBUTE = new Set(["else", "tal", "one", "ones", "size"]);
/**
 * "Does the ProBook 16 have a backlit keyboard?", "how much RAM does the AirBook 13 have?", "¿la
 * chaqueta de cuero tiene bolsillos?": a product named, then asked about. The name is what to look
 * up; `itForm` is the same question about "it", which the product's details then answer.
 */
const NAMED_HAS = /^[¿¡\s]*(?:and |so |but |ok )?(does|do|will|would|did) (?:the|your|this|that|these|those) ([a-z0-9][a-z0-9 '&-]*?) (have|has|come with|include|got|support|supports|work with|works with)\b/;
const NAMED_HOW = /^[¿¡\s]*(?:and |so |but |ok )?(how much|how many|what|which) ([a-z][a-z ]*?) (does|do) (?:the|your|this|that|these|those) ([a-z0-9][a-z0-9 '&-]*?) (have|come with|include|use|got)\b/;
const NAMED_HAS_ES = /^[¿¡\s]*(?:y |pero )?(?:el|la|los|las|tu|su) ([a-z0-9][a-z0-9 -]*?) (tiene|tienen|viene con|vienen con|trae|traen|incluye|incluyen|funciona (?:con|en|para)|funcionan (?:con|en|para)|sirve (?:para|con|en)|sirven (?:para|con|en))\b/;
/**
 * "¿Es de cuero la chaqueta biker?", "¿es vegano el sérum de vitamina c?", "¿es apto para su edad el
 * dungeon delve?": Spanish names the product after what it asks.
 */
const NAMED_IS_ES = /^[¿¡\s]*(?:y |pero )?(es|son) ((?:de |para )?[a-z]+(?: para (?:[a-z]+ ){0,3}?[a-z0-9]+)?) (?:el|la|los|las|tu|su) ([a-z0-9][a-z0-9 -]*?)\W*$/;
/** "¿Es apto para su edad el dungeon delve?": the product is named, so the question is not about the one in view. */
export const namedAfterward = (s: string) => NAMED_IS_ES.test(s);
const NAMED_HOW_ES = /^[¿¡\s]*(?:y )?((?:cuant[oa]s?|que|cual(?:es)?) [a-z][a-z ]*?) (tiene|tienen|trae|traen|usa|usan) (?:el|la|los|las|tu|su) ([a-z0-9][a-z0-9 -]*?)\W*$/;
/**
 * "Is the denim jacket warm?", "are the hiking boots good for snow?": the name, then one property
 * word (or "good for …"). Not availability, price or a place ("is the jacket in stock?", "on sale?"):
 * those are other questions, whose words must not be taken for a name and a property.
 */
const NAMED_IS = /^[¿¡\s]*(?:and |so |but |ok )?(?:is|are) (?:(?:the|your|this|that|these|those) ([a-z0-9][a-z0-9 '&-]*?)|(?!(?:it|its|this|that|they|there|these|those|he|she|you|we|i|a|an|any|some|one)\b)([a-z0-9][a-z0-9'&-]* [a-z0-9][a-z0-9 '&-]*?)) ((?:really |very |actually )?(?:(?:good|suitable|ok|okay|safe|comfortable|warm enough) for [a-z0-9 ]+|[a-z]+))[\s?.!]*$/;
const NOT_A_PROPERTY = /^(?:available|true|final|stock|sale|discounted|cheap|cheaper|expensive|free|new|there|here|back|sold|out|ready|shipped|delivered|coming|arriving|returnable|refundable|mine|it|them|one|ones|too|yet|now|left)$/;
const NAME_ENDS_BADLY = /\b(?:in|on|for|with|at|to|of|by|from|still|also|available|a|an|the|it|any|more|much|many)$/;
/** "The first one", "the denim one": a product on the list pointed at, not named. */
const POINTS_AT_LIST = /^(?:first|second|third|fourth|fifth|last|other|next|previous)\b|\bones?\b/;
function namedIs(s: string): { name: string; itForm: string } | null {
	const m = NAMED_IS.exec(s);
	// Without "the", a name of two words or more: "is kart legends multiplayer?", not "is delivery included?".
	const name = m?.[1] ?? m?.[2];
	if (!m || !name || NAME_ENDS_BADLY.test(name) || POINTS_AT_LIST.test(name) || NOT_A_PROPERTY.test(m[3]!)) return null;
	return { name, itForm: `is it ${m[3]}?` };
}
/** "Is the linen shirt true to size?", "how does the denim jacket fit?", "¿la chaqueta de cuero talla grande?". */
const NAMED_FIT = /^[¿¡\s]*(?:and |so |but |ok )?(is|are|does|do|how does|how do|will|would|el|la|los|las)\s+(?:(?:the|your|this|that|these|those)\s+)?([a-z0-9][a-z0-9 '&-]*?)\s+(?=true to size|run|runs|fit|fits|talla|queda|quedan|calza|calzan|viene|vienen)/;
function namedFit(s: string): { name: string; itForm: string } | null {
	const m = NAMED_FIT.exec(s);
	if (!m || !FIT_ASKED.test(s) || NAME_ENDS_BADLY.test(m[2]!) || POINTS_AT_LIST.test(m[2]!) || /^(?:it|they|this|that|these|those|this one|that one)$/.test(m[2]!)) return null;
	const it = /^(?:are|do|how do|los|las)$/.test(m[1]!) ? "they" : "it";
	return { name: m[2]!, itForm: `${/^(?:el|la|los|las)$/.test(m[1]!) ? "" : `${m[1]} ${it} `}${s.slice(m[0].length)}` };
}
export function namedQuestion(s: string): { query: ProductQuery; itForm: string } | null {
	let m: RegExpExecArray | null;
	let name: string;
	let itForm: string;
	let is: ReturnType<typeof namedIs>;
	let fit: ReturnType<typeof namedFit>;
	if ((fit = namedFit(s))) ({ name, itForm } = fit);
	else if ((m = NAMED_HAS.exec(s))) [name, itForm] = [m[2]!, `${m[1]} it ${m[3]}${s.slice(m[0].length)}`];
	else if ((is = namedIs(s))) ({ name, itForm } = is);
	else if ((m = NAMED_HOW.exec(s))) [name, itForm] = [m[4]!, `${m[1]} ${m[2]} ${m[3]} it ${m[5]}${s.slice(m[0].length)}`];
	else if ((m = NAMED_HAS_ES.exec(s))) [name, itForm] = [m[1]!, `${m[2]}${s.slice(m[0].length)}`];
	else if ((m = NAMED_HOW_ES.exec(s))) [name, itForm] = [m[3]!, `${m[1]} ${m[2]}?`];
	else if ((m = NAMED_IS_ES.exec(s))) [name, itForm] = [m[3]!, `¿${m[1]} ${m[2]}?`];
	else return null;
	const query = parseProductQuery(productWords(name));
	return query.query ? { query, itForm } : null;
}
/** The start of a question about "it" ("does it", "¿tiene") or, after a list, about "them"; null for others. */
/**
 * "¿Tiene pantalla táctil?", "¿trae cargador?" with a product in view: a part of it, named in the
 * singular without an article. "¿Tiene chaquetas impermeables?" (plural) asks the shop.
 */
const PART_ASKED_ES = /^[¿¡\s]*(?:y |pero )?(?:tiene|trae|lleva|viene con|incluye) ([a-z]+)(?: [a-z]+)?[\s?!.]*$/;
export function partAsked(s: string): boolean {
	const noun = PART_ASKED_ES.exec(s)?.[1];
	return !!noun && !noun.endsWith("s") && !!lookupEs(NOUNS_ES, noun);
}

export function itQuestion(s: string, ofAProduct = false): RegExpExecArray | null {
	// "¿Tiene teclados?" may ask the shop; asked of a product ("¿tiene teclado retroiluminado?" of the AirBook), it has one or not.
	return IT_QUESTION.exec(s) ?? THEY_QUESTION.exec(s) ?? (!ofAProduct && s.split(/[^a-z0-9]+/).some(w => lookupEs(NOUNS_ES, w)) ? null : IT_HAS_ES.exec(s) ?? whatOfIt(s));
}
/** The attribute words of a `WHAT_OF_IT` question ("thread count"), as the match's last group; null for other messages. */
export function whatOfIt(s: string): RegExpExecArray | null {
	const m = WHAT_OF_IT.exec(s);
	const words = attributeWords(m);
	return m && words && !words.split(" ").some(w => NOT_AN_ATTRIBUTE.has(w)) ? m : null;
}
export const attributeWords = (m: RegExpExecArray | null): string | undefined => m?.[1] ?? m?.[2] ?? m?.[3];

/**
 * A game's age rating or platforms, asked in the customer's words ("how old do you have to be?",
 * "is it for ps5?"), as the answer's first line; null when the question or the product has neither.
 */
export function gameAnswer(p: ProductOut, asked: string, lang: Lang, age?: number): string | null {
	const rating = p.attributes?.rating;
	// "Is it ok for my 10-year-old?" of a controller: gaming gear carries no rating, so no age bars it.
	if (!rating && isGamingGear(p) && AGE_ASKED.test(asked))
		return age === undefined
			? t(lang, "It has no age rating — only games carry one.", "No tiene clasificación por edad — solo los juegos la llevan.")
			: t(lang, `It has no age rating — only games carry one — so it suits ${aYearOld(age)}.`, `No tiene clasificación por edad (solo los juegos la llevan), así que es apto para ${age} años.`);
	if (rating && AGE_ASKED.test(asked)) {
		const meaning = RATINGS[rating.toUpperCase()];
		const said = t(lang, `It's rated ${rating}${meaning ? ` — ${meaning[0]}` : ""}`, `Tiene clasificación ${rating}${meaning ? ` — ${meaning[1]}` : ""}`);
		// "Is it ok for my 10-year-old?": the rating said against that age.
		if (age === undefined || ratingMinimumAge(rating) === undefined) return `${said}.`;
		return suitsAge(p.attributes, age)
			? t(lang, `${said}, so it suits ${aYearOld(age)}.`, `${said}, así que es apto para ${age} años.`)
			: t(lang, `${said}, so it isn't suitable for ${aYearOld(age)}.`, `${said}, así que no es apto para ${age} años.`);
	}
	const platforms = p.attributes?.platform?.split(/\s*,\s*/);
	const wanted = platforms ? PLATFORM_ASKED.exec(asked)?.[1]?.trim() : undefined;
	if (!platforms || !wanted) return null;
	const key = (x: string) => fold(x).replace(/[^a-z0-9]/g, "");
	const match = platforms.find(pl => key(pl) === key(wanted));
	// "Is it good for beginners?" names no platform: not this answer.
	if (!match && !KNOWN_PLATFORMS.test(key(wanted))) return null;
	const list = joinWith(platforms, t(lang, "and", "y"));
	const named = PLATFORM_SPELLING[key(wanted)] ?? (wanted === wanted.toLowerCase() ? capitalise(wanted) : wanted);
	return match ? t(lang, `Yes, it's for ${match}.`, `Sí, es para ${match}.`) : t(lang, `It's for ${list} — not ${named}, I'm afraid.`, `Es para ${list} — no para ${named}, lo siento.`);
}
/** A platform as its maker writes it, whatever case it was typed in ("pc", "ps5"). */
const PLATFORM_SPELLING: Record<string, string> = { pc: "PC", ps4: "PS4", ps5: "PS5", playstation: "PlayStation", playstation5: "PlayStation 5", xbox: "Xbox", xboxone: "Xbox One", xboxseriesx: "Xbox Series X", xboxseriess: "Xbox Series S", switch: "Switch", nintendoswitch: "Nintendo Switch", switch2: "Switch 2", steamdeck: "Steam Deck", mac: "Mac", ios: "iOS", iphone: "iPhone", ipad: "iPad", android: "Android", windows: "Windows", wii: "Wii", "3ds": "3DS" };

/**
 * The attribute a `WHAT_OF_IT` question names, as the product states it: "what layout is it?" →
 * ["layout", "US"], "which switches do they have?" → ["switches", "blue clicky"]; null when the
 * product has no attribute of that name.
 */
export function attributeOf(p: ProductOut, asked: string): [label: string, value: string] | null {
	// The colours are the product's own field, not one of its attributes.
	if (COLOURS_ASKED.test(asked) && !parseProductQuery(asked).color) return p.color ? ["colours", p.color] : null;
	const ranked = rankedAttribute(asked);
	// "¿Cuál es el más grande?" reads as "what's its 'más grande'" too: the size wins.
	if (ranked?.bySize || HOW_BIG.test(asked)) {
		const size = sizeMeasure(p.attributes, p.sizes);
		// "How big is it?" of a rug: its details list the sizes it comes in already.
		return size && (ranked?.bySize || size.name !== "sizes") ? [size.name, size.text] : null;
	}
	const words = attributeWords(whatOfIt(asked)) ?? attributeAsked(asked) ?? ranked?.words;
	if (!words) return null;
	const wanted = attributeKey(words);
	const named = Object.hasOwn(ATTRIBUTE_NAMES, wanted) ? ATTRIBUTE_NAMES[wanted] : undefined;
	// How long it lasts is the burn time of a candle, the battery of a device.
	const names = wanted === LASTING ? ["burn time", "battery"].map(attributeKey) : [wanted, named];
	for (const [name, value] of Object.entries(p.attributes ?? {})) {
		const label = name.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();
		if (names.includes(attributeKey(label))) return [ACRONYMS.has(label) ? label.toUpperCase() : label, value];
	}
	return null;
}

/**
 * "What's the refresh rate?", "how much storage does it have?", "how heavy is it?", "¿cuánta
 * memoria tiene?", "¿cuál es la resolución?": the attribute words of a question about the product
 * in view that the `WHAT_OF_IT` forms do not cover; undefined for other messages. Only a product
 * that has an attribute of that name answers from it, so "how much is it?" stays a price question.
 */
export function attributeAsked(s: string): string | undefined {
	const m = ATTRIBUTE_ASKED.exec(s.trim());
	if (!m) return undefined;
	// Every form but the last captures the attribute's words; the last, a dimension ("how wide").
	const words = m.slice(1, -1).find(w => w !== undefined);
	if (words && !/^(?:it|they|this|that|this one|that one)$/.test(words)) return words;
	const dimension = m.at(-1);
	return dimension ? DIMENSION_OF[dimension] : undefined;
}
const ATTRIBUTE_ASKED = new RegExp(
	[
		/^[¿¡\s]*(?:and |so |ok )?(?:what'?s|what is|whats) (?:the |its |it's )([a-z][a-z ]*?)(?: (?:of|on|in) (?:it|this|that|them|(?:the |this |that )?[a-z]+ one))?(?: like)?[\s?.!]*$/.source,
		/^[¿¡\s]*(?:and |so |ok )?(?:how (?:much|many)|what|which) ([a-z][a-z ]*?) (?:does|do) (?:it|they|this|that|the [a-z]+)(?: one)? (?:have|has|got|come with)[\s?.!]*$/.source,
		// "How much RAM?", "how much storage on it?": the words alone ("how much is it?" names no attribute).
		/^[¿¡\s]*(?:and |so |ok )?how (?:much|many) ([a-z][a-z ]*?)(?: (?:on|in|of) (?:it|them|this|that|this one|that one))?[\s?.!]*$/.source,
		/^[¿¡\s]*(?:y )?(?:cuanta|cuanto|cuantas|cuantos) ([a-z]+(?: (?!(?:tiene|tienen|trae|traen)\b)[a-z]+)?)(?: (?:tiene|tienen|trae|traen)(?: (?:el|la) [a-z]+)?)?[\s?.!]*$/.source,
		/^[¿¡\s]*(?:y )?(?:cual|como) es (?:la |el |su )([a-z]+(?: [a-z]+)?)[\s?.!]*$/.source,
		// "How long does the battery last?", "¿cuánto dura la batería?": the battery, however it is put.
		/^[¿¡\s]*(?:and |so |ok )?how long (?:does|do|will|would) (?:the |its |their |it'?s )?(battery)(?: life)? last(?: (?:on|in|of) (?:it|them|this|that|these|those|each))?[\s?.!]*$/.source,
		/^[¿¡\s]*(?:y )?(?:cuanto|que tanto) (?:dura|duran|le dura|les dura) (?:la |su )?(bateria)[\s?.!]*$/.source,
		/^[¿¡\s]*(?:and |so |ok )?(?:how long|how good) (?:is|are) (?:the |its |their |it'?s )?(battery)(?: life)?(?: (?:on|in|of) (?:it|them|this|that|these|those|each))?[\s?.!]*$/.source,
		// "How long does it burn?", "¿cuántas horas dura la vela?": a candle's burn time.
		/^[¿¡\s]*(?:and |so |ok )?how (?:long|many hours) (?:does|do|will|would|can) (?:it|they|this|that|this one|that one|the [a-z]+)(?: one)? (burn)(?: for)?[\s?.!]*$/.source,
		/^[¿¡\s]*(?:y )?(?:cuanto|cuantas horas|que tanto) (?:dura|duran|se quema|arde) (?:la |esta |esa |su )?(vela)[\s?.!]*$/.source,
		// "What console is it for?", "which platforms does it work with?", "¿para qué consola es?": its platforms.
		/^[¿¡\s]*(?:and |so |ok )?(?:what|which) (consoles?|platforms?|systems?)(?: (?:is|are|does|do))? (?:it|they|this|that|this one|that one)(?: (?:for|on|work (?:with|on)|run on|play on|compatible with))?[\s?.!]*$/.source,
		/^[¿¡\s]*(?:y )?(?:para|en|con) (?:que|cual(?:es)?) (consolas?|plataformas?|sistemas?) (?:es|son|funciona|funcionan|sirve|sirven|va|van|corre|corren)[\s?.!]*$/.source,
		/^[¿¡\s]*(?:and |so |ok )?how (heavy|wide|tall|high|deep) (?:is|are) (?:it|they|this|that)(?: one)?[\s?.!]*$/.source
	].join("|")
);
/**
 * An `attributeAsked` question whose words name an attribute products have: before the product
 * is fetched, only these are sure not to be something else ("what's the cheapest?").
 */
export function knownAttributeAsked(s: string): boolean {
	const words = attributeAsked(s);
	return !!words && namesAttribute(words);
}
/** Words that name an attribute products have ("RAM", "battery", "almacenamiento"). */
export function namesAttribute(words: string): boolean {
	const key = attributeKey(words);
	return Object.hasOwn(ATTRIBUTE_NAMES, key) || isKnownAttribute(key);
}
/** An attribute's name or the customer's words for it, compared word by word in the singular. */
export const attributeKey = (text: string) => text.split(/[^a-z0-9]+/).filter(Boolean).map(singular).join(" ");
/** Attribute names the catalog's products carry (data/catalog.json). */
const KNOWN_ATTRIBUTES = [
	"material", "storage", "screen", "platform", "skin type", "connection", "compatibility", "shades", "battery", "resolution", "layout", "switches", "dpi",
	"cpu", "ram", "genre", "rating", "capacity", "camera", "width", "height", "depth", "weight", "bulb", "burn time", "wax", "hair type", "finish", "notes",
	"refresh rate", "panel", "water resistance", "spf", "scent", "max weight"
];
const KNOWN_ATTRIBUTE_KEYS = new Set(KNOWN_ATTRIBUTES.map(attributeKey));
const isKnownAttribute = (key: string) => KNOWN_ATTRIBUTE_KEYS.has(key);

/** "What colours does it come in?", "¿en qué colores viene?": the list of them, no colour named. */
export const COLOURS_ASKED = /\b(?:what|which|other|more|any) (?:colou?rs?|shades?)\b|\b(?:colou?rs?|shades?) (?:does|do|is|are|can|it|they|available|options?|choices?)\b|\b(?:colou?r|shade) options?\b|\bin (?:other|different|more) (?:colou?rs|shades)\b|\b(?:que|cuales|en que) tonos\b|\bde que colou?r(?:es)? (?:es|son|viene|vienen)\b|\b(?:que|cuales|en que|otros|mas) colores\b|\bcolores (?:tiene|hay|viene|vienen|disponibles)\b/;
/** "How heavy is it?": the attribute a dimension's adjective asks for. */
const DIMENSION_OF: Record<string, string> = { heavy: "weight", wide: "width", tall: "height", high: "height", deep: "depth" };
/** The customer's word for an attribute → the catalog's name for it (as `attributeOf` keys it). */
export const ATTRIBUTE_NAMES: Record<string, string> = {
	memory: "ram",
	memoria: "ram",
	plataforma: "platform",
	console: "platform",
	consola: "platform",
	system: "platform",
	sistema: "platform",
	processor: "cpu",
	procesador: "cpu",
	chip: "cpu",
	space: "storage",
	ssd: "storage",
	disk: "storage",
	"hard drive": "storage",
	almacenamiento: "storage",
	"screen size": "screen",
	display: "screen",
	pantalla: "screen",
	burn: "burn time",
	vela: "burn time",
	"battery life": "battery",
	bateria: "battery",
	autonomia: "battery",
	peso: "weight",
	ancho: "width",
	alto: "height",
	capacidad: "capacity",
	resolucion: "resolution",
	camara: "camera",
	"polling rate": "refresh rate",
	fabric: "material",
	tela: "material"
};
/**
 * "Something with a good camera", "which has the best screen?", "which one has the most RAM?",
 * "con buena cámara", "¿cuál tiene más memoria?": an attribute to compare the listed by, the biggest first.
 */
export const GOOD_ATTRIBUTE = /\b(?:with|has|have|that has|con|que tenga|(?:cual|que)(?: [a-z]+)? tienen?) (?:a |an |the |el |la )?(?:good|great|better|best|nice|big|bigger|biggest|large|larger|largest|long|longer|longest|lots of|more|most|high|higher|highest|fast|faster|fastest|buena|buen|mejor|gran|mas|mayor|alta|alto) ([a-z]+(?: (?:rate|life|size|count))?)\b/;
/** "Which has the smallest screen?", "¿cuál tiene menos peso?": the same, the smallest first. */
export const SMALL_ATTRIBUTE = /\b(?:with|has|have|that has|con|que tenga|(?:cual|que)(?: [a-z]+)? tienen?) (?:a |an |the |el |la )?(?:small|smaller|smallest|least|lowest|shortest|fewest|menos|menor) ([a-z]+(?: (?:rate|life|size|count))?)\b/;
/** "Which one is the smallest?", "¿cuál es el más grande?": a size, with no attribute named. */
const SIZE_RANKED = /\b(?:which|what)(?: one)?(?: is|'s| are) (?:the )?(smallest|biggest|largest|widest|narrowest|most compact|smaller|bigger|larger|wider|narrower|more compact)\b|\bcual (?:es )?(?:el |la )?mas (grande|pequen[oa]|chic[oa]|compact[oa]|anch[oa])\b/;
/** The attribute words of a GOOD_ATTRIBUTE, SMALL_ATTRIBUTE or SIZE_RANKED question, and which end of it is wanted. */
/** "Which one lasts longer?", "¿cuál dura más?": how long it lasts, which a candle states as its burn time and a device as its battery. */
const LASTS_RANKED = /\b(?:which|what)(?: one)?(?: of (?:them|these|those))? (?:lasts?|burns?|runs?) (?:the )?(longest|longer|shortest|shorter|less|more)\b|\bcual(?: de (?:ellas|ellos|estas|estos|esas|esos))? (?:dura|aguanta|rinde) (mas|menos)\b/;
export const LASTING = "lasting";
export function rankedAttribute(s: string): { words: string; smallest: boolean; bySize?: true } | undefined {
	const lasts = LASTS_RANKED.exec(s);
	if (lasts) return { words: LASTING, smallest: /short|less|menos/.test(lasts[1] ?? lasts[2]!) };
	const big = GOOD_ATTRIBUTE.exec(s);
	if (big) return { words: big[1]!, smallest: false };
	const small = SMALL_ATTRIBUTE.exec(s);
	if (small) return { words: small[1]!, smallest: true };
	const sized = SIZE_RANKED.exec(s);
	return sized ? { words: "size", smallest: /smalle|narrowe|compact|pequen|chic/.test(sized[0]), bySize: true } : undefined;
}
/** "How old do you have to be to play it?", "is it ok for kids?", "¿para qué edad es?": its age rating. */
export const AGE_ASKED = /\bhow old(?: (?:do|does|must|should) (?:you|i|one|they|he|she|my (?:son|daughter|kid)) (?:have to |need to )?be(?: to (?:play|use|watch) (?:it|this|that|them))?)?\b|\b(?:what|which) age\b|\bage (?:rating|limit|range)\b|\b(?:pegi|esrb)\b|\b(?:ok|okay|good|suitable|safe|fine|appropriate|alright|right) for (?:kids|children|a child|my (?:son|daughter|kid|kids)|(?:his|her|their|your) age|(?:a|an|my|his|her) \d{1,2}[ -]?(?:(?:years?|yrs?)[ -]?olds?|y\/?o)(?: (?:son|daughter|kid|boy|girl|child))?)\b|\bwhat(?:'?s| is| are) (?:it|this|that|they|these|those|this one|that one|the [a-z]+(?: one)?) rated\b|\b(?:is|are) (?:it|this|that|they|these|those) (?:ok|okay|fine|suitable|appropriate|alright|safe)\b(?=.*\b\d{1,2}\b)|\b\d{1,2}\b.*\b(?:is|are) (?:it|this|that|they|these|those) (?:ok|okay|fine|suitable|appropriate|alright|safe)\b|\bque edad\b|\bpara (?:que|cual) edad\b|\bapt[oa]s? para (?:ninos|menores|su edad|(?:un nino|una nina|alguien|mi hij[oa]) de \d{1,2} anos)\b|\b(?:apropiad|adecuad)[oa]s? para (?:su edad|(?:un nino|una nina|alguien|mi hij[oa]) de \d{1,2} anos)\b/;
/** What the ratings a game's `rating` attribute holds mean (ESRB's letters). */
const RATINGS: Record<string, [string, string]> = {
	E: ["Everyone", "para todos"],
	E10: ["Everyone 10 and up", "de 10 años en adelante"],
	"E10+": ["Everyone 10 and up", "de 10 años en adelante"],
	T: ["Teen, 13 and up", "adolescentes, de 13 años en adelante"],
	M: ["Mature, 17 and up", "adultos, de 17 años en adelante"],
	AO: ["Adults only, 18 and up", "solo adultos, de 18 años en adelante"]
};
/** "Is it available for ps5?", "does it run on the Switchblade?", "¿es para Nexus?": the platform asked about. */
const PLATFORM_ASKED = /\b(?:available (?:for|on)|out (?:for|on)|play(?:able)? (?:it )?on|runs? on|works? (?:on|with)|compatible with|for|on|para|en|funcionan? con)\s+(?:the\s+|el\s+|la\s+)?([a-z0-9][a-z0-9 ]{0,20}?)\s*[?.!]*$/;

/** Directions for use, which no product's details carry. */
/**
 * "Is it true to size?", "do they run small?", "what size should I get?", "¿qué talla me
 * recomiendas?": how a garment or shoe fits, which its details may say ("relaxed fit") and its
 * sizes answer the rest of.
 */
export const FIT_ASKED = /\b(?:true to size|(?:run|runs|running|fit|fits) (?:a (?:bit|little|size) |too )?(?:small|large|big|narrow|wide|tight|loose|true)|size (?:up|down)|(?:what|which) size (?:should|do|would|shall|will|must) (?:i|we)|(?:what|which) size (?:would|do) you (?:recommend|suggest)|how (?:does|do|will|would) (?:it|they|this|that|this one|that one|these|those|the [a-z0-9' -]{2,40}?) fit(?=[\s?.!]*$)|how (?:is|are) the (?:fit|sizing)|what(?:'?s| is) the (?:fit|sizing) like|sizing|size (?:guide|chart)|(?:talla|talle|horma) (?:normal|real|grande|pequena|chica)|(?:queda|quedan|calza|calzan|viene|vienen) (?:grande|pequen[oa]s?|chic[oa]s?|justo|justa|holgad[oa]s?|ajustad[oa]s?)|que talla (?:me )?(?:recomiendas|recomiendan|pido|elijo|compro|tomo|uso|llevo)|como (?:me |te |le )?(?:queda|quedan|calza|calzan)(?=[\s?.!]*$)|horma|como (?:se|sabre|saber|elijo) (?:cual es )?(?:mi|que) talla|guia de tallas|tabla de tallas|how do i (?:know|find|pick|choose) my size)\b/;
/** How a garment is cut, as its details may say it. */
export const FIT_STATED = /\b(?:(?:relaxed|slim|regular|tailored|boxy|loose|skinny|straight|athletic|classic|comfort|easy|wide|cropped|oversized)[- ](?:fit|cut|leg)|oversized|fitted|cropped|true to size|runs? (?:small|large|big|true)|pre-?shrunk|stretchy|stretch)\b/i;

/**
 * "A controller that works with it", "¿un mando que funcione con ese?": another product, for the one
 * in view. Its details say what it runs on, and the search looks for that too.
 */
export const WITH_IT = /\b(?:that |which |to )?(?:works?|goes|plays?|fits?|is compatible|are compatible|compatible) (?:with|on|for) (?:it|this|that|them|this one|that one|this game|that game)\b|\bfor (?:it|this game|that game)(?=\W*$)|\b(?:que )?(?:funcione|funcionen|sirva|sirvan|compatibles?) (?:con|para) (?:el|la|eso|ese|esa|este|esta|ello)\b/;
const WITH_IT_G = new RegExp(WITH_IT.source, "g");
/** What is asked for with `WITH_IT` ("a controller"), without the words about "it"; null for other messages. */
export const wantedForIt = (s: string): ProductQuery | null => (WITH_IT.test(s) ? parseProductQuery(s.replace(WITH_IT_G, " ")) : null);

/** The platforms a product's details name ("Nexus, Switchblade"), folded; none for most products. */
export function platformsOf(p: ProductOut): string[] {
	return platformNames(p).map(fold);
}
/** Its platforms as the catalog writes them ("Nexus"), for the search to match. */
export function platformNames(p: ProductOut): string[] {
	return String(p.attributes?.platform ?? "").split(/\s*,\s*/).filter(Boolean);
}
/** "How big is it?", "¿de qué tamaño es?", "¿cuánto mide?": its size, by whatever it is measured in. */
export const HOW_BIG = /\bhow (?:big|large|small)\b|\b(?:what|which) size (?:is|are) (?:it|they|this|that)(?: one)?[\s?.!]*$|\bhow much (?:does|do) (?:it|they) (?:hold|contain)\b|\b(?:de )?que tamano\b|\bque tan grande\b|\bcuanto (?:mide|miden|trae|traen|contiene|contienen)\b/;
/**
 * The seller's pick among products side by side: the first that can be bought, in the order of the
 * list, which the search ranked by what the customer asked for, and that comes in the size and
 * colour they said while looking ("do they come in 45?", then "which would you pick?"). Nothing
 * more is claimed for it.
 */
/** Gear for games (a wheel, a console, a gift card): what it runs on, or its kind, says so; no age rating applies to it. */
export const isGamingGear = (p: ProductOut) =>
	!p.attributes?.rating && Boolean(p.attributes?.platform ?? p.attributes?.compatibility ?? /\b(?:gaming|games?|consoles?|controllers?|headsets?|gift cards?)\b/.exec(fold(p.category ?? "")));
