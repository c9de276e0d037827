/** The brain's first step: from the customer's message and the conversation so far, which tools to call, or what to say. */
import { colourNamed, sameSize, sizesSmallestFirst } from "../../contracts/catalog";
import { BRAND_CHOICE_PREFIX, ChoiceIds, isMediaKind, type MediaKind } from "../../contracts/conversation";
import { asksForHuman } from "../escalation";
import type { Lang } from "../language";
import type { Persona } from "../personas";
import { PICKS } from "../tools";
import { AND_FEATURE, featureAsked, PICK_ASKED, RANKING, rankingAsked, WHICH_FEATURE } from "./answers";
import { besidesWithdrawal, withdrawsHuman } from "../escalation";
import { LASTING, AGE_ASKED, ATTRIBUTE_QUESTION, namedAfterward, ATTRIBUTE_WORDS, FIT_ASKED, goesWithNamed, GOOD_ATTRIBUTE, HOW_BIG, IT_QUESTION, itQuestion, knownAttributeAsked, namesAttribute, partAsked, namedQuestion, namesOtherProduct, namesOtherThan, rankedAttribute, SMALL_ATTRIBUTE, THEY_QUESTION, wantedForIt, wantedToGoWith } from "./attributes";
import { recommendFilters } from "./compose";
import { PART_OF_ORDER, ASKS_ANY, CART_TOTAL_ASKED, PROMO_ASKED, ADD, ADD_IT, ADD_IT_ALL, LEADING_COUNT, ALLERGY_SAFETY, ALSO, ANOTHER, INSTRUCTIONS_PROBE, BARE_CANCEL, BULK_PRICING, DECLINED, LOYALTY, NEW_ARRIVALS, NEW_TAG, REPAIR_ASKED, SKIN_TYPE_ASKED, BARE_CODE, ORDER_NUMBER_SAID, BOT_QUESTION, BROWSE, BYE, CLOTHES, CANCEL_ORDER, CANCEL_YES, CART, CHANGE_ORDER, CHECKOUT, COMPLEMENT, CONFIRM_ONLY, countPriced, GROUP_DISCOUNT, HOLD_ASKED, HOW_TO_PAY, IF_UNSUITED, MAX_LINE_QTY, NAMED_NEW_QTY, NEW_QTY_NAMED, PICKUP, PLUS_SIZES, PLUS_SIZES_G, TRADE_IN, CONFUSED, DEALS, DETAILS, DOESNT_FIT, PURCHASED, DISCOUNT_DEMAND, PREGNANCY, PRICE_MATCH, DONE_SHOPPING, EMPTY_CART, FOR_SOMEONE, FOR_SOMEONE_G, GIFT_WRAP, GREETING, HELP_ASKED, HOW_MUCH, HOW_TO_USE, KEEP_ORDER, LINK, NEW_HOME, NEW_HOME_G, NEW_QTY, NO, NOTIFY, NUMBER_WORDS, ONE_MORE_ONLY, ORDER_ID, ORDER_STATUS, PAYMENT_ASKED, POLICIES, PRODUCT_STATE_ASKED, promoCodeIn, PURCHASE_PROBLEM, quantityWords, QUESTION, REPLACEMENT_SOUGHT, BOUGHT_HERE, READY, RECOMMEND, REMOVE, REMOVE_IT, RESTOCK, RETURN_REQUEST, SERVICE_ASKED, SIMILAR, STOCK_ASKED, STORE_INFO, THANKS, TOO_DEAR, YES } from "./intents";
import { betterThanNamed, comparedNames, comparedWithIt, comparedWithItSaid, compoundAdd, kindsAsked, namesAKind, whichOfNamed, withoutItsUse } from "./kinds";
import { chooseByPrice, chooseListed, listCart, namedSeveral, sideBySide, WHICH_ONE } from "./lists";
import { BOTH, COMPARE, demandingUse, LIST_WORDS, ORDINAL_ANY, ORDINAL_EITHER, ORDINAL_WORD, emojiMeaning, isGarmentQuery, parsePosition, parsePositions, parseProductQuery, pick, withAge } from "./query";
import { colourIn, countOf, escapeRegExp, example, fold, joinWith, singular, t } from "./text";
import { type BrainState, type Decision, type ListedLine, NO_STATE, type PricedLine, type ProductQuery } from "./types";
import { listedInVariant, ADD_ALL, BARE_SIZE, CAN_HAVE, SIZE_ALONE, SIZE_TRIED, canonicalSize, colourArg, colourChosen, colourSaid, EXTREME_SIZE, extremeSize, IT_WORD, lastLineOf, lineNamedBy, productWords, rememberedSize, searchSize, sizeArg, sizeChange, colourChange, sizeChangeUnplaced, swapAsked, repickAsked, REPICK, sizeNamed, shownSizes, sizeReferenced, USUAL_SIZE, USUAL_SIZE_ALL, variantArgs, variantOf } from "./variants";


/**
 * The customer's last search that named a product, from `earlier` (their earlier messages, most
 * recent first): its message, and its filters merged with those of the refinements made since
 * ("something in blue?" then "under 80": refinements add up, back to the search that named a product).
 */
function lastSearch(earlier: string[], lang: Lang, persona: Persona): { text: string; query: ProductQuery & { query: string } } | null {
	const merged: ProductQuery = {};
	for (const [k, text] of earlier.entries()) {
		// Only a message that was itself a search counts: not "add the second one" or "thanks". Without
		// that turn's state a choice or a cart request can look like one, so those words rule it out.
		const f = fold(text);
		if (CART.test(f) || REMOVE.test(f) || parsePosition(f) !== null) continue;
		// "Is it washable?", "are they waterproof?" asked about what was shown: no search of their own.
		if (IT_QUESTION.test(f) || THEY_QUESTION.test(f)) continue;
		// "Which one has the best battery?", "and noise cancelling?": about the list, not a search ("best battery").
		if (WHICH_ONE.test(f) || PICK_ASKED.test(f) || AND_FEATURE.test(f)) continue;
		// Read with the messages before it, so a follow-up ("what about for oily skin?") is the search it made;
		// its add and size words aside ("I'll take the M" searched nothing).
		const before = decide(productWords(f), NO_STATE, lang, persona, earlier.slice(k + 1));
		if (before.kind !== "tool" || before.name !== "search_products") continue;
		const args = before.args as ProductQuery;
		// "Do you have it in a bigger size?" asked about a product; it named none to search again.
		if (typeof args.query === "string" && args.query.split(" ").every(w => ATTRIBUTE_WORDS.has(w))) continue;
		for (const key of ["color", "minPrice", "maxPrice", "sort", "forAge"] as const) if (merged[key] === undefined && args[key] !== undefined) (merged as Record<string, unknown>)[key] = args[key];
		if (typeof args.query === "string") return { text: f, query: { ...merged, query: args.query } };
	}
	return null;
}

/**
 * "Any black ones?", "the cheapest?": a refinement names no product, so it refines the customer's
 * last search. "Something floral?" after perfumes: floral perfumes (`addWords`).
 */
function refine(query: ProductQuery, earlier: string[], lang: Lang, persona: Persona, addWords = false): ProductQuery {
	if (query.query !== undefined && !addWords) return query;
	const last = lastSearch(earlier, lang, persona);
	if (!last) return query;
	const { query: words, ...filters } = last.query;
	// A search that named no kind of product ("job interview") is nothing to narrow: "something for a wedding" after it is its own.
	if (addWords && query.query !== undefined && !words.split(" ").some(w => namesAKind(w))) return query;
	// Words already searched are not added twice ("any with rgb?" then "¿alguno con rgb?").
	const more = addWords && query.query ? query.query.split(" ").filter(w => !words.split(" ").includes(w)) : [];
	return { ...filters, ...query, query: more.length ? `${words} ${more.join(" ")}` : words };
}

const CAPS_CODE = /^\W*([A-Z]{3,}\d{1,4})\W*$/;
/**
 * "LEVELUP" alone in capitals: a code, unless the word is one we read otherwise ("GRACIAS",
 * "CHECKOUT", "HOODIES"). With an empty cart too: a running code is noted for the order, and a word
 * that is no code of ours is searched then (the offline brain's second step).
 */
export const CAPS_WORD = /^\W*([A-Z]{5,16})\W*$/;
/** Words around a code that make it no less one: "LEVELUP please", "apply LEVELUP", "aplica el GLOW20". */
const AROUND_CODE = /\b(?:please|pls|plz|thanks|thx|apply|use|the|code|coupon|promo|aplica|aplicame|aplicar|usa|usar|el|la|codigo|cupon|porfa|por favor|gracias)\b/gi;
function capsWordCode(message: string, s: string): string | undefined {
	const bare = message.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(AROUND_CODE, " ");
	const word = CAPS_WORD.exec(message)?.[1] ?? (bare.trim() !== message.trim() ? (CAPS_WORD.exec(bare)?.[1] ?? CAPS_CODE.exec(bare)?.[1]) : undefined);
	if (!word) return undefined;
	const read = [GREETING, THANKS, YES, NO, BYE, CHECKOUT, CART, DONE_SHOPPING, READY, HELP_ASKED, CONFUSED, DEALS].some(re => re.test(s));
	return read || namesAKind(s) ? undefined : word;
}

/** "Apply it", "use the code", "aplícalo", "usa el cupón": the code offered, applied. */
const APPLY_IT = /\b(apply (it|that|this|one)|use (it|that|this|one)|(?:apply|use) (?:the |that |this )?(?:code|discount|promo(?: code)?|coupon)|aplicalo|aplicala|usalo|usala|(?:aplica|aplicame|usa|aplicar|usar) (?:el |ese |este )?(?:codigo|descuento|cupon))\b/;

const QTY_TO_LINE = /^(?:ponle|ponles|dejale|deja|make it|set it to|put)\s+(\d{1,2}|two|three|four|five|dos|tres|cuatro|cinco)\s+(?:a|al|to|for|on|en)\s+((?:la|el|the|los|las)\s+[a-z][a-z0-9 -]*?)\s*(?:please|pls|por favor|porfa)?[.!]*$/;
/**
 * "Make the hub 2", "I want 2 airbooks": the cart line the words name (only one may) and the count.
 * Words that name no line, or several, leave it to the line last added.
 */
function namedQuantity(s: string, state: BrainState): { line: BrainState["cart"]["items"][number]; count: string } | null {
	if (!state.cart.items.length) return null;
	const after = NAMED_NEW_QTY.exec(s);
	const before = after ? null : NEW_QTY_NAMED.exec(s);
	// "Ponle 3 a la primera", "make it 3 for the second one": "le", "it" is a line already in the cart.
	const toLine = after || before ? null : QTY_TO_LINE.exec(s);
	const said = after ? { words: after[1]!, count: after[2]! } : before ? { words: before[2]!, count: before[1]! } : toLine ? { words: toLine[2]!, count: toLine[1]! } : null;
	if (!said || Number(said.count) > MAX_LINE_QTY) return null;
	// "Pon 2 del primero" with no list on screen: the cart's first line.
	const position = state.shown.length && !toLine ? null : parsePosition(said.words);
	const line = position !== null ? pick(state.cart.items, position) : lineNamedBy(said.words.replace(/\b(?:quantity|qty|amount|of)\b/g, " "), state.cart.items);
	return line ? { line, count: said.count } : null;
}

/** "What about for oily skin?", "and for running?", "¿y para piel grasa?": the last search, for another need. */
const ANOTHER_NEED = /^[¿¡\s]*(?:but |ok |okay )?(?:and what about|what about|how about|and|y que tal|que tal|y)\s+(?:(for|para)\s+)?([^?!]{2,60}?)[\s?!.]*$/;

/**
 * The last search again with the need swapped: after "I have dry skin, what moisturiser?", "what
 * about for oily skin?" looks for moisturisers for oily skin, not for everything for oily skin.
 * The new words replace their counterparts: the word beside one both searches share ("dry" beside
 * "skin"), or the earlier "for …" when the new need shares nothing. Without "for" a follow-up that
 * shares no word with the search is a search of its own ("what about jackets?").
 */
function anotherNeed(s: string, earlier: string[], lang: Lang, persona: Persona): ProductQuery | null {
	const m = ANOTHER_NEED.exec(s);
	if (!m || FOR_SOMEONE.test(s)) return null;
	const last = lastSearch(earlier, lang, persona);
	if (!last) return null;
	// "What about for gaming?" after laptops: a use the search reads as a spec, as in "a laptop for gaming".
	const use = m[1] && demandingUse(fold(`${last.query.query} ${m[1]} ${m[2]}`)) ? `${last.query.query} ${m[1]} ` : "";
	const asked = parseProductQuery(use + m[2]!);
	if (!asked.query || Object.keys(asked).length > 1) return null;
	const before = last.query.query.split(" ");
	const now = asked.query.split(" ");
	const shared = now.filter(w => before.includes(w));
	// "And a laptop for video editing?" after laptops names the whole product again: a search of its own.
	if ((!m[1] && !shared.length) || shared.length === now.length || (!use && before.every(w => now.includes(w)))) return null;
	const dropped = new Set<string>();
	if (!shared.length) {
		const need = /\b(?:for|para)\s+([^,.;!?]+)/.exec(last.text);
		// Read with its "for", as the search read it ("for running" searched "sport").
		for (const w of (need && parseProductQuery(need[0]).query?.split(" ")) || []) dropped.add(w);
		// "I have oily skin, what do you recommend?" then "¿y para el cabello?": the search was a need
		// alone, no kind of product to keep; the new need is searched on its own ("oily skin hair" found serums).
		if (!dropped.size && !before.some(w => namesAKind(w))) return { ...last.query, query: asked.query };
	}
	for (const w of shared) {
		const i = now.indexOf(w);
		const j = before.indexOf(w);
		// English puts the new word before the shared one ("oily skin"); a translation may put it after.
		if (i > 0 && !shared.includes(now[i - 1]!) && j > 0 && !now.includes(before[j - 1]!)) dropped.add(before[j - 1]!);
		if (i < now.length - 1 && !shared.includes(now[i + 1]!) && j < before.length - 1 && !now.includes(before[j + 1]!)) dropped.add(before[j + 1]!);
	}
	// In place of what they replace, so a third need finds its counterpart where the second one was.
	const fresh = now.filter(w => !before.includes(w));
	const at = before.findIndex(w => dropped.has(w));
	const words = before.flatMap((w, k) => (k === at ? fresh : dropped.has(w) ? [] : [w]));
	if (at < 0) words.push(...fresh);
	return { ...last.query, query: words.join(" ") };
}

/** Parts of the body beauty products are for: "lips", "hair", as the search reads them. */
const BODY_AREAS = new Set(["hair", "lip", "eye", "face", "body", "skin", "nail", "hand", "foot", "feet", "scalp"]);

/** "What about lips?", "and for my hair?", "¿y para los ojos?": the part of the body asked about, alone; null otherwise. */
function areaAsked(s: string): string | null {
	const m = AND_FEATURE.exec(s);
	const n = m ? null : ANOTHER_NEED.exec(s);
	const said = m?.[1] ?? n?.[2];
	const words = said ? parseProductQuery(said.replace(/\b(?:my|mi|mis|her|his|su|sus)\b/g, " ")).query?.split(" ") : undefined;
	return words?.length === 1 && BODY_AREAS.has(singular(words[0]!)) ? words[0]! : null;
}

/** The head of a reply that said whether the product in view, or the list, mentions a feature. */
const FEATURE_ANSWERED = /^(?:All \d+ of these mention|Both of these mention|Only the .+ mentions|The .+ mention|None of these mention|Yes — its details mention|Its details don't say anything about|Los \d+ mencionan|Solo .+ menciona|Ninguno de estos menciona|Sí — su ficha menciona|Su ficha no dice nada de)/m;
/** "And sleep?", "what about GPS?", "¿y bluetooth?": the same question, of another feature. */
const AND_ALSO = /^[¿¡\s]*(?:(and|also|what about|how about)|(y|y que tal|que tal))\s+(?:the\s+|el\s+|la\s+)?([^?!.]{2,40}?)[\s?!.]*$/i;

/** The words of a cancel that say which order, not which product: "cancel the order I placed yesterday". */
const ORDER_TALK = /\b(?:cancel\w*|cancela\w*|anula\w*|orders?|pedidos?|compras?|placed|made|ordered|bought|hice|realice|compre|yesterday|today|ayer|hoy|last|latest|recent|ultim[oa]s?|reciente|one|uno|una|with|con|has|have|tiene|tenia|contains?|lleva|please|por favor|quiero|want|need|can|could|you|puedes)\b/g;
/** The product a cancel names its order by ("cancel the hoodie order", "cancela el pedido de la sudadera"), in the catalog's words. */
export function orderItemNamed(s: string): string | undefined {
	// "Cancel my order, I don't need it anymore": the clause that cancels, not the reason.
	const clause = s.split(/[,.;!?]|\b(?:because|since|porque|ya que|pues)\b/).find(c => /\b(?:cancel|anul)/.test(c)) ?? s;
	const q = parseProductQuery(productWords(clause.replace(ORDER_ID, " ").replace(ORDINAL_WORD, " ").replace(ORDER_TALK, " ")));
	const words = [q.color, q.query].filter(Boolean).join(" ");
	return words.length > 1 ? words : undefined;
}

/** The head of the reply that listed open orders to choose which to cancel. */
export const ORDER_TO_CANCEL_ASKED = /^(?:Which order shall I cancel\?|¿Qué pedido cancelo\?)/m;
/**
 * An answer to "Which order shall I cancel?": its id, its place in the list ("the second") or what it
 * holds ("the one with the jeans"), read as that cancel.
 */
export function orderChosen(text: string, lastReply: string): string {
	if (!ORDER_TO_CANCEL_ASKED.test(lastReply)) return text;
	const s = fold(text);
	if (CANCEL_ORDER.test(s) || QUESTION.test(s) || ADD.test(s) || CART.test(s) || NO.test(s) || s.split(/\s+/).length > 8) return text;
	const listed = [...lastReply.matchAll(/^• (\S+) \([^)\n]*\)(?:: ([^\n]*))?$/gm)].map(m => ({ id: m[1]!, holds: fold(m[2] ?? "").split(/[^a-z0-9-]+/) }));
	const id = ORDER_ID.exec(text)?.[1];
	const position = id ? null : parsePosition(s);
	// What it holds, of the orders listed: "the one with the jacket" when only one of them has a jacket.
	const item = orderItemNamed(s);
	const holding = item ? listed.filter(o => item.split(" ").every(w => o.holds.some(h => h.startsWith(singular(w))))) : [];
	const chosen = id ?? (position !== null ? listed[position - 1]?.id : holding.length === 1 ? holding[0]!.id : undefined);
	if (chosen) return `cancel order ${chosen}`;
	return item ? `cancel the order with ${text}` : text;
}

const REMOVAL_ASKED = /^(?:Which item should I remove\?|¿Qué producto quito\?)/m;
/** A short answer to "Which item should I remove?" ("the second", "the denim one"): that removal. */
export function removalChosen(text: string, lastReply: string): string {
	const s = fold(text);
	if (!REMOVAL_ASKED.test(lastReply) || REMOVE.test(s) || QUESTION.test(s) || ADD.test(s) || CART.test(s)) return text;
	return parsePosition(s) !== null || s.split(/\s+/).length <= 4 ? `remove ${text}` : text;
}

/**
 * A short message read with what came before it: "does it track heart rate?" answered, then "and
 * sleep?" is "does it have sleep?" (of the list: "do they have …"); "the price" after "which is
 * better?" is the cheapest; "what about RAM?" after a ranking ranks by RAM; "do you have L?" is that
 * size of what is in view.
 */
export function followUpAsked(text: string, lastReply: string, state: BrainState, before: string[] = []): string {
	// "M is too tight, do you have a bigger size?": the size next to theirs, of the one in view.
	const next = state.focus ? nextSizeAsked(text, lastReply, state, before) : null;
	if (next) return /\b(?:talla|tienes|tienen|hay|queda)\b/i.test(fold(text)) ? `¿lo tienes en ${next}?` : `do you have it in ${next}?`;
	// What they tried is said around what they ask; "do you have L?" of the one in view is its size.
	const asking = text.replace(SIZE_TRIED, "");
	if (asking !== text && asking.trim()) return followUpAsked(asking, lastReply, state, before);
	// A size alone is no product to search: of the one in view, of the list (which come in it), or of
	// "this" (asked what, below).
	const size = SIZE_ALONE.exec(text)?.[1]?.toUpperCase();
	if (size) {
		const es = /^[¿\s]*(?:y |entonces )?(?:tienes|tienen|hay)\b/i.test(text);
		if (state.focus) return es ? `¿lo tienes en ${size}?` : `do you have it in ${size}?`;
		if (state.shown.length > 1) return es ? `¿los tienes en ${size}?` : `do they come in ${size}?`;
		return es ? `¿lo tienes en talla ${size}?` : `do you have this in ${size}?`;
	}
	// "The price" after "It comes down to what matters most to you — the price, the size, the material?".
	// Likewise right after "which is better?" was answered with the list side by side.
	const betterAsked = before.length > 0 && /^\W*(?:which|what|cual)\b.*\b(?:better|best|mejor)\b/.test(fold(before[0]!));
	const criterion = (CRITERIA_ASKED.test(lastReply) || betterAsked) && state.shown.length > 1 ? CRITERION.exec(fold(text)) : null;
	if (criterion) {
		const es = /^\W*¿?Depende/.test(lastReply);
		const [en, sp] = criterion[1] ? ["which one is cheapest?", "¿cuál es el más barato?"] : criterion[2] ? ["which one is the biggest?", "¿cuál es el más grande?"] : ["what material are they?", "¿de qué material son?"];
		return es ? sp : en;
	}
	// "Which one has the best battery?" answered of the list, then "what about RAM?" (and "and storage?"): the same ranking, by that.
	const asked = before.map(fold).find(b => !AND_ALSO.test(b));
	const ranked = state.shown.length > 1 && asked && rankingAsked(asked) ? AND_ALSO.exec(text) : null;
	if (ranked && namesAttribute(fold(ranked[3]!)))
		return ranked[1] ? `which one has the most ${ranked[3]}?` : `¿cuál tiene más ${ranked[3]}?`;
	// "How much RAM does it have?" answered, then "and the battery?": the same question, of that.
	const attributeThen = state.focus && asked && knownAttributeAsked(asked) ? AND_ALSO.exec(text) : null;
	if (attributeThen && namesAttribute(fold(attributeThen[3]!))) return attributeThen[1] ? `what's the ${attributeThen[3]}?` : `¿cuál es su ${attributeThen[3]}?`;
	const m = FEATURE_ANSWERED.test(lastReply) ? AND_ALSO.exec(text) : null;
	if (!m) return text;
	const list = state.shown.length > 1 && !state.focus;
	return m[1] ? `${list ? "do they have" : "does it have"} ${m[3]}?` : `¿${list ? "traen" : "tiene"} ${m[3]}?`;
}

/** "A bigger size", "one size up", "una talla más grande", "¿tienes una talla menos?": +1 bigger, -1 smaller. */
const NEXT_SIZE = /\b(?:(bigger|larger)|(smaller)) (?:size|one)\b|\bsize (?:(up)|(down))\b|\btalla (?:mas (?:(grande)|(chica|pequena))|(mayor)|(menor))\b|\buna talla (?:(mas)|(menos))\b(?! (?:grande|chica|pequena))/;

/**
 * The size next to the customer's (the one they tried, the one in their cart, or the one they said
 * they wear), up or down as they ask, among the sizes the last reply listed of the product in view.
 */
function nextSizeAsked(text: string, lastReply: string, state: BrainState, before: string[]): string | null {
	const f = fold(text);
	const m = NEXT_SIZE.exec(f);
	const sizes = m ? shownSizes(lastReply) : null;
	if (!m || !sizes?.length) return null;
	const up = m.slice(1).findIndex(Boolean) % 2 === 0;
	const theirs =
		SIZE_TRIED.exec(f)?.[1] ??
		state.cart.items.find(i => i.sku === state.focus && i.size)?.size ??
		before.map(b => USUAL_SIZE.exec(fold(b))?.[1]).find(Boolean);
	if (!theirs) return null;
	const ordered = sizesSmallestFirst(sizes);
	const at = ordered.findIndex(z => fold(z) === fold(canonicalSize(fold(theirs))));
	return at < 0 ? null : (ordered[at + (up ? 1 : -1)] ?? null);
}

const HOW_ARE_YOU = /^[¿¡\W]*(?:(?:hi|hello|hey|hola|buenas)(?: there)?\W+)?(?:how are you(?: doing)?(?: today)?|how(?:'s| is) it going|how are things|how(?:'s| is) your day|como estas|como te va|que tal(?: estas| todo| va)?)\W*$/;

/** "Can I see a picture?", "send me a photo of it", "what does it look like?", "¿me mandas una foto?". */
const PHOTO_ASKED = /\b(?:see|send|show|share|have|got|get)(?: me| us)? (?:a |an |the |some |any )?(?:real |actual |more )?(?:photos?|pictures?|pics?|images?)\b|\bwhat (?:does|do) (?:it|they|this|that)(?: one)? look like\b|\b(?:photos?|pictures?|pics?) (?:of (?:it|this|that|them)|please)\b|\b(?:(?:me |nos )?(?:mandas|manda|mandame|mandar|envias|envia|enviame|enviar|pasas|pasa|pasame|pasar|tienes|tienen|hay|ver) )?(?:una |unas |la |las |alguna |algunas )?(?:fotos?|imagen(?:es)?)(?: de (?:el|la|eso|esto|este|esta))?\b|\bcomo se ve\b/;
const PHOTO_ASKED_ALL = new RegExp(PHOTO_ASKED.source, "g");

/** After-sales care (a return, a change to an order, a faulty item) goes to a person, with the customer's words. */
const afterSale = (what: string, text: string, intent: string): Decision => ({ kind: "tool", name: "escalate_to_human", args: { reason: "other", summary: `${what}: ${text.slice(0, 400)}` }, intent });

/** "Show me more", "any others?", "what else do you have?", "¿qué más tienes?": the next page of a list. */
const SHOW_MORE =
	/^\W*(?:(?:ok|okay|hmm+|and|y|vale)\W+)?(?:(?:can you |could you )?show me |got |have you got |do you have |any |muestrame |ensename |tienes |tienen |hay )?(?:some |any |unos |unas )?(?:more|others?|more options|other options|mas|otros|otras|mas opciones|otras opciones|what else(?: do you have| have you got| is there)?|que mas(?: tienes| tienen| hay)?)(?: ones| options| of (?:those|these|them|that)| like (?:that|these|those|this))?\W*(?:please|pls|por favor)?\W*$/;
/** A search's page: how many a list shows. */
const PAGE = 5;

/** How many products a "which X has the most Y?" asked of the whole shop is answered among. */
const RANKED_MAX = 8;

/** "¿Es vegano?", "¿se puede desarmar?", "¿viene armado?": Spanish asks about "it" without saying it. */
const IT_IMPLIED_ES = /^[¿¡\s]*(?:y |pero )?(?:es|se puede|viene)\b/;

/** Our question of what matters most (`pickHead`), and the answers to it: the price, the size or the material. */
const CRITERIA_ASKED = /^(?:It comes down to what matters most to you|Depende de lo que más te importe) — /;
const CRITERION = /^\W*(?:(?:the|el|la|its|their|su)\s+)?(?:(price|cost|budget|cheap(?:er|est)?|precio|costo|presupuesto|barat[oa])|(size|bigger|biggest|tamano|grande|mas grande)|(material|fabric|quality|tela|calidad))(?:\s+(?:mostly|matters(?: most)?|please|sobre todo|por favor))?\W*$/;

/**
 * "How big is the bottle?" with a serum in view: the bottle is the serum, not a product to search
 * for. Only in a size question, and only with a product (or a list) in view.
 */
export function containerIsIt(text: string, state: BrainState): string {
	if (!state.focus && !state.shown.length) return text;
	const it = state.focus || state.shown.length === 1 ? "it" : "they";
	const asIt = fold(text)
		.replace(/\b(?:the|this|that|its|their) (?:bottles?|jars?|tubes?|tubs?|pots?|flasks?|containers?|packs?|packaging)\b/g, m => (/s$/.test(m) ? "they" : it))
		.replace(/\b(?:el|la|los|las|este|esta|ese|esa|su|sus) (?:botellas?|frascos?|tubos?|botes?|envases?|potes?)\b/g, "")
		.replace(/\s+([?!.])/g, "$1")
		.trim();
	return asIt !== fold(text).trim() && HOW_BIG.test(asIt) ? asIt : text;
}

/** Our picks within what the words asked (a budget, an age); a present ("a gift for my wife") gets the catalog's gifts first. */
const picks = (asked: ProductQuery, s: string): Decision => ({ kind: "tool", name: "recommend", args: { ...recommendFilters(asked), ...(FOR_SOMEONE.test(s) ? { gift: true } : {}) }, intent: "recommend" });

/** These products side by side (or one, alone), in the order the list showed them. */
function sideBySideOf(state: BrainState, skus: string[]): Decision {
	const at = (sku: string) => state.shown.find(x => x.sku === sku)?.position ?? 0;
	const ordered = [...new Set(skus)].sort((a, b) => at(a) - at(b));
	return { kind: "tools", calls: ordered.map(sku => ({ name: "get_product", args: { sku } })), intent: "product" };
}

/** "The first one", "la segunda": one of a list, by its place. */
const ORDINAL_ONE = /\bthe (?:first|second|third|fourth|fifth|1st|2nd|3rd|4th|5th|last) ones?\b|\b(?:el|la) (?:primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|ultim[oa])\b(?! (?:vez|dia|semana|mes|ano|pedido|compra)\b)/;

/** "Remove one", "take 2 off", "quita una": how many to take off a line. */
const REMOVE_COUNT = /\b(?:remove|take(?: off| out| away)?|delete|drop|quita(?:me)?|saca(?:me)?|elimina|borra)\s+(?:just\s+|only\s+|solo\s+)?(\d{1,2}|one|two|three|four|five|uno|una|dos|tres|cuatro|cinco)\b(?!\s+(?:of the|de la|de los|de las)?\s*(?:first|second|third|last|primer|segund|tercer|ultim))/;
/** "Something floral?", "one with a hood?", "any with rgb?", "¿algo más ligero?": more words for the last search, not a new one. */
export const SOMETHING_LIKE = /^\W*(?:and |ok |maybe |what about |how about |y )?(?:something|anything|one|ones|any(?= (?:with|without|that|in)\b)|algo|alguno|alguna|algunos|algunas)\b/;
/** "The slim ones", "any waterproof ones?": the last search's kind with that word, when no listed one says it. */
const THE_WORD_ONES = /^\W*(?:and |ok |maybe |what about |how about |so )?(?:the|any|some) [a-z]+(?:[- ][a-z]+)? ones\W*$/;

/** A photo's caption about the photo itself ("do you have this in black?"), naming no product. */
export function aboutThePhoto(message: string): boolean {
	const m = /^\[(image|video)\]\s*([\s\S]*)$/.exec(message);
	return !!m && /\b(this|these|it|that|those|esto|este|esta|estos|estas|eso|esa|ese)\b/.test(fold(m[2]!)) && !parseProductQuery(m[2]!).query;
}

/** What the brain says to a message it cannot read; a caption, when there is one, is read instead. */
const MEDIA_REPLIES: Record<MediaKind, [string, string]> = {
	audio: ["I can't listen to voice notes here, sorry — could you type it for me?", "No puedo escuchar audios aquí, perdón — ¿me lo escribes?"],
	image: ["Thanks! I can't open photos in this chat — tell me what you're looking for and I'll find it.", "¡Gracias! No puedo abrir fotos en este chat — dime qué buscas y te lo encuentro."],
	video: ["Thanks! I can't play videos in this chat — tell me what you're looking for and I'll find it.", "¡Gracias! No puedo ver videos en este chat — dime qué buscas y te lo encuentro."],
	document: ["Thanks! I can't open files in this chat — tell me what you need and I'll help.", "¡Gracias! No puedo abrir archivos en este chat — dime qué necesitas y te ayudo."],
	sticker: ["😄 What can I find for you?", "😄 ¿Qué te busco?"],
	location: ["Thanks for the location! I don't need it to help you shop — tell me what you're looking for.", "¡Gracias por la ubicación! No la necesito para ayudarte a comprar — dime qué buscas."],
	contacts: ["Thanks! I can't use contact cards here — tell me what you're looking for.", "¡Gracias! No puedo usar contactos aquí — dime qué buscas."],
	unsupported: ["I can't open that kind of message here — could you type it?", "No puedo abrir ese tipo de mensaje aquí — ¿me lo escribes?"]
};

const PERSON_WORDS = /\b(?:person|human|agent|anyone|anybody|someone|bot|ai|persona|humano|nadie|asesor|contigo)\b/;

/** "Make it 25" of the product in view, not yet in the cart: that number as its size, for the catalog to judge. */
function countPastLine(s: string, state: BrainState): { sku: string; size: string } | null {
	const count = NEW_QTY.exec(quantityWords(s))?.[1];
	if (!count || !/^\d+$/.test(count) || Number(count) <= MAX_LINE_QTY || state.awaitingConfirmation || !state.focus) return null;
	return state.cart.items.some(i => i.sku === state.focus) ? null : { sku: state.focus, size: count };
}

/** The line a size question was about: the one it named, else the one in view, else the one line waiting for a size. */
function lineBeingSized(state: BrainState, asked: { of: string | null } | null): string | undefined {
	const waiting = state.cart.items.filter(i => i.size === undefined);
	const named = asked?.of ? waiting.find(i => fold(i.name) === fold(asked.of!))?.sku : undefined;
	return named ?? state.focus ?? (waiting.length === 1 ? waiting[0]!.sku : undefined);
}

/** "The first one", "la segunda" as the answer to a size question: that size of the line being sized. */
function sizeByPosition(s: string, asked: { sizes: string[]; of: string | null }, state: BrainState): { sku: string; size: string } | null {
	const sku = lineBeingSized(state, asked);
	// Only a position, nothing else named: "the first one in black" or "the second jacket" say more;
	// "no, mejor el segundo" takes back the product just picked (repickAsked), not its size.
	if (!sku || REPICK.test(s) || s.split(/\s+/).length > 4 || namesOtherProduct(s.replace(ORDINAL_WORD, " ").replace(/\b(?:talla|size|tamano|one|ones|uno|una)\b/g, " "))) return null;
	const position = parsePosition(s);
	const size = position === null ? undefined : pick(asked.sizes, position);
	return size ? { sku, size } : null;
}

const REFUND_WHEN = /\b(?:how long|when|how soon|how many days|cuanto (?:tiempo|tarda\w*)|cuando|en cuantos dias)\b.*\b(?:money back|my money|refund\w*|reembolso\w*|(?:me )?devuelv\w*(?: el| mi)? dinero|mi dinero)\b/;
/** "I'll think about it", "let me think", "lo voy a pensar", "déjame pensarlo". */
const THINK_ABOUT_IT = /\b(?:i'?ll|i will|let me|lemme|i need to|i have to|i want to|i'?m gonna|gonna|i'?d like to) (?:have a )?think(?: about it| it over| on it)?\b|\b(?:lo|la) (?:voy a |tengo que |quiero )?pens(?:ar|are|o)\b|\bdejame pensarlo\b|\blo pienso\b/;
/**
 * The message as the words that matter: the seller called by name ("yo Pixel!!", "hey Max") is no
 * product word (it found "Pixel Farm Story"), "I'm back" no search for "back", and "ad to cart" is an add.
 */
function customerWords(s: string, persona: Persona): string {
	const name = escapeRegExp(fold(persona.name));
	return s
		.replace(new RegExp(`^(\\W*(?:(?:hi|hey|hello|yo|hola|oye|buenas|ey)\\W+)?)${name}\\b[\\s,!.]*`), "$1")
		.replace(/\b(?:i'?m|im|i am|we'?re|we are) back\b/g, "I'm back")
		// "Bet", "say less", "aight": an ok, as the customer means it.
		.replace(/^(\W*)(?:bet|say less|aight|ight|kk)\b/, "$1ok")
		.replace(/\bad (?=(?:it|to|this|that|them|one)\b)/g, "add ")
		.replace(/\s+/g, " ")
		.trim();
}
/**
 * "Ok what sizes does the linen midi have?", "ok the ClearView 24": the "ok" opens a question or names
 * another product, so it is no yes to the one in view (it put the one in view in the cart).
 */
export function yesToSomethingElse(s: string): boolean {
	return yesAsks(s) || yesNames(s);
}
const afterYes = (s: string): string | null => {
	const rest = s.replace(YES, " ").replace(/^[\s,.!]+/, "");
	return rest && rest !== s ? rest : null;
};
const yesAsks = (s: string): boolean => {
	const rest = afterYes(s);
	return !!rest && (/\?/.test(rest) || /^(?:how|what|when|where|which|does|is|are|can|could|cuanto|cuantos|como|cuando|donde|cual|que|tiene|tienen|viene|vienen)\b/.test(rest));
};
const yesNames = (s: string): boolean => {
	const rest = afterYes(s);
	return !!rest && namesOtherProduct(productWords(rest.replace(ADD_IT_ALL, " ")));
};
export function decide(
	message: string,
	state: BrainState,
	lang: Lang,
	persona: Persona,
	earlier: string[] = [],
	listed: ListedLine[] | null = null,
	asked: { sizes: string[]; of: string | null } | null = null,
	priced: PricedLine[] = []
): Decision {
	// A cart sent from the WhatsApp catalog: every line goes into ours, in one turn.
	const order = /^\[order ([^\]]+)\]/.exec(message);
	if (order) {
		const calls = order[1]!
			.split(" ")
			.map(token => /^(\S+)x(\d+)$/.exec(token))
			.filter((m): m is RegExpExecArray => m !== null)
			.map(m => ({ name: "add_to_cart", args: { sku: m[1]!, ...(Number(m[2]) > 1 ? { qty: Math.min(20, Number(m[2])) } : {}) } }));
		if (calls.length) return { kind: "tools", calls, intent: "add_to_cart" };
	}
	const media = /^\[([a-z]+)\]\s*([\s\S]*)$/.exec(message);
	const kind = media && isMediaKind(media[1]!) ? media[1] : null;
	// A location's text is its address, not words to search; a photo's caption is.
	const text = kind ? (kind === "location" ? "" : media![2]!) : message;
	if (kind && !text.trim()) {
		const [en, es] = MEDIA_REPLIES[kind];
		return { kind: "text", text: t(lang, en, es), intent: "media", understood: true };
	}
	// "How much is this?" under a photo: "this" is in the photo, which we cannot see. With a colour
	// ("do you have this in black?") the search by colour runs, and the reply says why it is broad.
	if (aboutThePhoto(message) && !parseProductQuery(text).color) return askWhatItIs(["photos", "fotos"], lang, persona);
	// "https://…/dress.jpg is this available?": the link cannot be opened here; what it is, in words.
	if (LINK.test(text) && !parseProductQuery(text).query) return askWhatItIs(["links", "enlaces"], lang, persona);
	const tap = /\[tap ([^\]]+)\]/.exec(text)?.[1];
	// A shop of a shared number picked, or asked for ("llévame con Sofia"): its seller says hello, in
	// the words' language, and answers what the customer asked before picking ("do you sell candles?").
	if (tap?.startsWith(BRAND_CHOICE_PREFIX)) {
		const before = text.split("\n").filter(l => !l.includes(`[tap ${tap}]`)).join("\n").trim();
		return before ? decide(before, state, lang, persona, earlier, listed, asked, priced) : greetingOnly(state, lang, persona);
	}
	if (tap === ChoiceIds.ConfirmCheckout) return { kind: "tool", name: "checkout", args: { confirm: true }, intent: "confirm_checkout" };
	if (tap === ChoiceIds.CancelCheckout) return cancelCheckout(lang);
	if (tap === ChoiceIds.CancelOrder && state.cancelling) return { kind: "tool", name: "cancel_order", args: { orderId: state.cancelling, confirm: true }, intent: "cancel_order" };
	if (tap === ChoiceIds.KeepOrder) return keepOrder(lang);
	if (tap?.startsWith("product:")) return { kind: "tool", name: "add_to_cart", args: { sku: tap.slice(8), ...(state.pendingQty ? { qty: state.pendingQty } : {}) }, intent: "add_to_cart" };
	const s = customerWords(emojiMeaning(fold(text.replace(/\[tap [^\]]+\]/g, " ")).trim()), persona);
	if (!s && tap) return greetingOnly(state, lang, persona);
	// "I'll think about it": a pause, answered kindly; the cart and the list stay as they are.
	if (THINK_ABOUT_IT.test(s) && !state.awaitingConfirmation && !parseProductQuery(productWords(s.replace(THINK_ABOUT_IT, " "))).query)
		return plainly(t(lang, "Sure, take your time! I'll be right here when you want to pick it up again.", "Claro, tómate tu tiempo. Aquí estaré cuando quieras retomarlo."), "goodbye");
	// "Never mind, I don't need a person": no person is called, and what else they said is answered.
	if (withdrawsHuman(s)) {
		const rest = besidesWithdrawal(s);
		if (rest) return decide(rest, state, lang, persona, earlier, listed, asked, priced);
		// A bare "never mind" or "forget it" may answer a question asked: not this order, not this
		// cancellation, or the line to take out.
		if (!PERSON_WORDS.test(s) && state.awaitingConfirmation) return cancelCheckout(lang);
		if (!PERSON_WORDS.test(s) && state.cancelling) return keepOrder(lang);
		if (PERSON_WORDS.test(s) || !(state.cart.items.length > 0 && REMOVE.test(s)))
			return { kind: "text", text: t(lang, "No problem — I'm right here. What can I help you with?", "Sin problema — aquí sigo. ¿En qué te ayudo?"), intent: "chitchat", understood: true };
	}
	// "El primero" right after "¿Qué talla quieres? 30x50 cm, 50x50 cm": the first of those sizes, not
	// the first product of the list further up.
	const sizeAt = asked && !state.awaitingConfirmation ? sizeByPosition(s, asked, state) : null;
	if (sizeAt) return { kind: "tool", name: "add_to_cart", args: sizeAt, intent: "add_to_cart" };
	// "The hiking boots in 43 black please", "la arc en latón": one of the list, with what they want of it, is
	// their pick (it was read as a question about the size, or a new search, and nothing went in).
	const picked = listed && !state.awaitingConfirmation && !QUESTION.test(s) && !REMOVE.test(s) && !NO.test(s) && parsePosition(s) === null ? listedInVariant(s, listed) : null;
	const pickedLine = picked ? pick(state.shown, picked.position) : undefined;
	if (picked && pickedLine) {
		const { position: _, ...variant } = picked;
		return { kind: "tool", name: "add_to_cart", args: { sku: pickedLine.sku, ...(state.pendingQty ? { qty: state.pendingQty } : {}), ...variant }, intent: "add_to_cart" };
	}

	// "Show me more" under a list: the same search, its next page (after as many pages as were asked for).
	const paging = earlier[0] !== undefined && SHOW_MORE.test(fold(earlier[0]));
	if (SHOW_MORE.test(s) && (state.shown.length > 1 || (paging && state.shown.length)) && !state.awaitingConfirmation) {
		// The list must be that search's: not our picks, nor a search from before them.
		const pages = Math.max(1, 1 + earlier.findIndex(e => !SHOW_MORE.test(fold(e))));
		const listedBy = fold(earlier[pages - 1] ?? "");
		const last = lastSearch(earlier, lang, persona);
		if (last && last.text === listedBy) return { kind: "tool", name: "search_products", args: { ...last.query, offset: PAGE * pages }, intent: "search" };
		// Our picks for the shop ("what do you recommend?", "a gift under $50"): the next ones. Picks
		// around a product in view are not read again here: that product is no longer in view.
		const picked = listedBy ? decide(listedBy, NO_STATE, lang, persona, earlier.slice(pages)) : null;
		if (picked?.kind === "tool" && picked.name === "recommend" && !picked.args.sku)
			return { kind: "tool", name: "recommend", args: { ...picked.args, offset: ((picked.args.limit as number | undefined) ?? PICKS) * pages }, intent: "recommend" };
		return {
			kind: "text",
			text: t(lang, `Those are my picks — tell me a bit more about what you're after (e.g. ${example(persona, lang)}) and I'll find more.`, `Esas son mis recomendaciones — cuéntame un poco más de lo que buscas (p. ej. ${example(persona, lang)}) y te busco más.`),
			intent: "choose",
			understood: true
		};
	}
	if (state.awaitingConfirmation && YES.test(s)) return { kind: "tool", name: "checkout", args: { confirm: true }, intent: "confirm_checkout" };
	// "Wait, actually make it 2" at the summary is the change, not a no.
	const changeAtSummary = state.awaitingConfirmation && NO.test(s) && (NEW_QTY.test(quantityWords(s)) || namedQuantity(quantityWords(s), state) !== null);
	if (state.awaitingConfirmation && NO.test(s) && !changeAtSummary) return cancelCheckout(lang);
	if (state.cancelling && (YES.test(s) || CANCEL_YES.test(s))) return { kind: "tool", name: "cancel_order", args: { orderId: state.cancelling, confirm: true }, intent: "cancel_order" };
	if (state.cancelling && KEEP_ORDER.test(s)) return keepOrder(lang);
	// "Shall I take it out of your cart, or show you something similar?" after a line sold while in the
	// cart: a yes (or "take it out", "make it 1") leaves what can be had; "something similar" looks for its like.
	const short = state.awaitingConfirmation ? [] : (state.unavailable ?? []);
	if (short.length && SIMILAR.test(s)) return { kind: "tool", name: "recommend", args: { sku: short[0]!.sku, kind: "similar" }, intent: "recommend" };
	const unnamed = !parseProductQuery(productWords(s.replace(new RegExp(REMOVE.source, "g"), " ").replace(YES, " "))).query;
	if (short.length && unnamed && (YES.test(s) || REMOVE.test(s) || NEW_QTY.test(quantityWords(s)))) {
		const calls = short.flatMap(u => {
			// Fewer left than wanted: the excess comes off the lines added last.
			let excess = state.cart.items.filter(i => i.sku === u.sku).reduce((n, i) => n + i.qty, 0) - u.left;
			return state.cart.items
				.filter(i => i.sku === u.sku)
				.reverse()
				.flatMap(i => {
					const take = Math.min(excess, i.qty);
					excess -= take;
					return take ? [{ name: "remove_from_cart", args: { sku: i.sku, ...variantOf(i), ...(take < i.qty ? { qty: take } : {}) } }] : [];
				});
		});
		if (calls.length) return calls.length === 1 ? { kind: "tool", ...calls[0]!, intent: "remove_from_cart" } : { kind: "tools", calls, intent: "remove_from_cart" };
	}
	// "Yes" (or "apply it") to the promotions just listed: the code, not another of the product last added.
	const codes = state.codeAsked ? (state.codesOffered ?? []) : [];
	const applying = APPLY_IT.test(s);
	if (codes.length && (YES.test(s) || applying) && !promoCodeIn(s) && parsePosition(s) === null && (applying || (!ADD_IT.test(s) && !parseProductQuery(s.replace(YES, " ")).query)))
		return codes.length === 1
			? { kind: "tool", name: "apply_promo_code", args: { code: codes[0] }, intent: "promo_code" }
			: { kind: "text", text: t(lang, `Which code — ${joinWith(codes, "or")}?`, `¿Qué código — ${joinWith(codes, "o")}?`), intent: "promo_code", understood: true };
	// "Confirm" with no order waiting for it: the checkout, which shows the order to confirm (or that the cart is empty).
	if (CONFIRM_ONLY.test(s) && !state.awaitingConfirmation && !state.cancelling) return { kind: "tool", name: "checkout", args: {}, intent: "checkout" };
	// "That's it", "nada más": nothing more to choose. With a cart, the checkout; without one, a friendly close.
	if (DONE_SHOPPING.test(s) && !state.awaitingConfirmation) {
		if (state.cart.items.length) return { kind: "tool", name: "checkout", args: {}, intent: "checkout" };
		return { kind: "text", text: `${t(lang, "Alright! I'm here whenever you need anything.", "¡Perfecto! Aquí estoy cuando necesites algo.")} ${persona.signOff[lang]}`, intent: "goodbye", understood: true };
	}
	// "Can I get it assembled?": a service no tool knows of is not promised, nor read as an add ("get it").
	if (SERVICE_ASKED.test(s) && !PRODUCT_STATE_ASKED.test(s))
		return {
			kind: "text",
			text: t(
				lang,
				`I can't arrange assembly, installation, engraving or alterations from this chat, I'm afraid — what a product comes with is in its details. Someone from our team can tell you what's possible: just say "talk to a person".`,
				`No puedo gestionar montaje, instalación, grabado ni arreglos desde este chat, perdón — lo que incluye cada producto está en su ficha. Alguien de nuestro equipo te dice qué se puede hacer: solo escribe "hablar con una persona".`
			),
			intent: "policy",
			understood: true
		};
	// "Can I trade in my old phone?": no tool takes a trade-in, so none is promised (nor "trade" searched).
	if (TRADE_IN.test(s))
		return {
			kind: "text",
			text: t(
				lang,
				`I can't take trade-ins from this chat, I'm afraid. Someone from our team can tell you whether there's any way: just say "talk to a person".`,
				`No puedo recibir equipos usados como parte de pago desde este chat, perdón. Alguien de nuestro equipo te dice si hay alguna forma: solo escribe "hablar con una persona".`
			),
			intent: "policy",
			understood: true
		};
	// "Is there a student discount?": the promotions running, which say whether one is for them.
	if (GROUP_DISCOUNT.test(s)) return { kind: "tool", name: "list_promotions", args: {}, intent: "promotions" };
	// "Any laptop discount?": the codes running (one may be for laptops), not the laptops again.
	if (PROMO_ASKED.test(s) && (QUESTION.test(s) || ASKS_ANY.test(s)) && !promoCodeIn(s) && !state.awaitingConfirmation && !CART_TOTAL_ASKED.test(s) && !BULK_PRICING.test(s) && !DISCOUNT_DEMAND.test(s))
		return { kind: "tool", name: "list_promotions", args: {}, intent: "promotions" };
	// "I want 3 laptops for my office, do you do business discounts?": no price the chat can give, and a
	// sale our team wants to make: handed to a person, with what was asked.
	if (BULK_PRICING.test(s)) return { kind: "tool", name: "escalate_to_human", args: { reason: "high_value", summary: `Business or bulk pricing asked: ${message.slice(0, 400)}` }, intent: "human" };
	// "Do you have plus sizes?": what comes in XL (of the kind named, if one is), not an order by size.
	if (PLUS_SIZES.test(s) && !state.awaitingConfirmation) {
		const kind = parseProductQuery(productWords(s.replace(PLUS_SIZES_G, " ")));
		return { kind: "tool", name: "search_products", args: { ...(kind.query ? { query: kind.query } : {}), ...(kind.color ? { color: kind.color } : {}), size: "XL" }, intent: "search" };
	}
	// "Undo" right after a size change: the size it had.
	if (state.resized && /^\W*(?:undo|deshacer|deshazlo)\b/.test(s)) {
		const { sku, from, to } = state.resized;
		return { kind: "tool", name: "add_to_cart", args: { sku, size: from, replacesSize: to }, intent: "add_to_cart" };
	}
	const resize = sizeChange(s, state) ?? colourChange(s, state);
	if (resize) return resize;
	// "Swap it for the Cloudstep Runner": the other one looked up first; the swap follows once it is found.
	const swap = swapAsked(s, state);
	if (swap) return { kind: "tool", name: "search_products", args: { query: swap.query }, intent: "add_to_cart" };
	// "No, mejor el segundo": that one in, as many as the first pick; the first pick comes out once it is in.
	const repick = repickAsked(s, state);
	if (repick) return { kind: "tool", name: "add_to_cart", args: { sku: repick.sku, ...(repick.line.qty > 1 ? { qty: repick.line.qty } : {}) }, intent: "add_to_cart" };
	// "Change the size to L" with no line sized yet: the line waiting for its size takes it; after a
	// list, which one; with nothing chosen at all, nothing to change (it searched "change l").
	// "Make it 25", "make it 43" of the product in view: no count goes that high, so a size; the
	// catalog tells which (a controller has none, and the reply says how many a cart takes).
	const pastCount = countPastLine(s, state);
	if (pastCount) return { kind: "tool", name: "add_to_cart", args: pastCount, intent: "add_to_cart" };
	const unplaced = state.awaitingConfirmation || parsePosition(s) !== null || state.cart.items.some(i => i.size !== undefined) ? undefined : sizeChangeUnplaced(s);
	if (unplaced) {
		const waiting = state.cart.items.filter(i => i.size === undefined);
		const line = waiting.find(i => i.sku === state.focus) ?? (waiting.length === 1 ? waiting[0] : undefined);
		if (line) return { kind: "tool", name: "add_to_cart", args: { sku: line.sku, size: unplaced }, intent: "add_to_cart" };
		if (state.shown.length > 1) return whichInSize(unplaced, lang);
		if (!state.cart.items.length)
			return {
				kind: "text",
				text: t(lang, `Nothing's in your cart yet, so there's no size to change — tell me what you're after (e.g. ${example(persona, lang)}) and I'll find it in ${unplaced}.`, `Tu carrito todavía está vacío, así que no hay talla que cambiar — dime qué buscas (p. ej. ${example(persona, lang)}) y te lo busco en ${unplaced}.`),
				intent: "choose",
				understood: true
			};
	}
	// "Pink" after "Which colour would you like? pink, white, green": on the line waiting for one.
	const colourAsked = state.coloursAsked;
	if (colourAsked && !state.awaitingConfirmation) {
		const uncoloured = state.cart.items.filter(i => i.color === undefined);
		const line = (colourAsked.of ? uncoloured.find(i => fold(i.name) === fold(colourAsked.of!)) : undefined) ?? uncoloured.find(i => i.sku === state.focus) ?? (uncoloured.length === 1 ? uncoloured[0] : undefined);
		// An earlier question is answered only by a colour alone: "black jackets" is a search again.
		// "2", "the second" right after the question: the second colour it listed. Not "I'll take the
		// first one x2" nor "the second one too", which choose from the list before.
		const position = line && !colourAsked.earlier && !ADD.test(s) && !ANOTHER.test(s) && s.trim().split(/\s+/).length <= 4 ? parsePosition(s) : null;
		const byPosition = position !== null && position <= colourAsked.colours.length ? pick(colourAsked.colours, position) : undefined;
		const chosen = line ? (colourChosen(s, colourAsked.colours) ?? byPosition) : undefined;
		const colour = chosen && !(colourAsked.earlier && parseProductQuery(productWords(s.replace(colourSaid(chosen), " "))).query) ? chosen : undefined;
		if (line && colour) return { kind: "tool", name: "add_to_cart", args: { sku: line.sku, ...(line.size ? { size: line.size } : {}), color: colour }, intent: "add_to_cart" };
		// "Red" when it comes in silver or space grey: said plainly, and the question again (it showed
		// the product in the cart as a list to add it from).
		const other = line && !colour && !colourAsked.earlier ? parseProductQuery(productWords(s)) : null;
		if (other?.color && !other.query && Object.keys(other).length === 1) {
			return {
				kind: "text",
				text: t(
					lang,
					`The ${line!.name} doesn't come in ${other.color}, I'm afraid — it comes in ${joinWith(colourAsked.colours, "or")}. Which would you like?`,
					`${line!.name} no viene en ${colourIn(lang, other.color)}, lo siento — viene en ${joinWith(colourAsked.colours.map(c => colourIn(lang, c)), "o")}. ¿Cuál prefieres?`
				),
				intent: "choose",
				understood: true
			};
		}
		// "Yes" to the question is no colour, and no second one of the product either.
		if (line && !colourAsked.earlier && (YES.test(s) || ADD_IT.test(s)) && !parseProductQuery(productWords(s.replace(YES, " "))).query)
			return {
				kind: "text",
				text: t(lang, `Which colour would you like? ${colourAsked.colours.join(", ")}`, `¿Qué color quieres? ${colourIn(lang, colourAsked.colours.join(", "))}`),
				intent: "choose",
				understood: true
			};
	}
	// "M", "size 42", "la M", "the 200x300": the size of the product in focus, or of the one cart line
	// waiting for one; after "Which size would you like? …", any of the sizes it listed.
	const waitingLines = state.cart.items.filter(i => i.size === undefined);
	// The product the question named ("Which size would you like in the Metro Low-Top?"), else the one in view.
	const sizing = lineBeingSized(state, asked);
	// "Is the 200x300 one soft?", "does it come in XXL?" about the product in view, or the line waiting
	// for its size: a question about it, whose answer says whether it comes in that size; asking
	// chooses nothing. "Can I have the M one?" asks for it in M. "Do you have jeans in 32?" names
	// another product: a search, below.
	const referenced = sizing && !state.awaitingConfirmation && QUESTION.test(s) ? sizeReferenced(s) : null;
	if (referenced && (referenced.definite || IT_WORD.test(referenced.rest) || !namesOtherProduct(referenced.rest))) {
		if (!ADD.test(s) && !CAN_HAVE.test(s)) return { kind: "tool", name: "get_product", args: { sku: sizing }, intent: "product" };
		const size = (asked && sizeNamed(referenced.size, asked.sizes)) ?? canonicalSize(referenced.size);
		return { kind: "tool", name: "add_to_cart", args: { sku: sizing, size }, intent: "add_to_cart" };
	}
	const sizeChosen = asked && sizing && !state.awaitingConfirmation ? (sizeNamed(s, asked.sizes) ?? extremeSize(s, asked.sizes)) : null;
	if (sizeChosen) return { kind: "tool", name: "add_to_cart", args: { sku: sizing, size: sizeChosen }, intent: "add_to_cart" };
	// After the details of the product in view listed its sizes: "the 200x300 one", "the biggest"
	// adds it in that size (a question naming one, "is the 200x300 washable?", is not a choice).
	const detailSizes = !asked && state.focus && state.sizesShown && !state.awaitingConfirmation && !QUESTION.test(s) ? state.sizesShown : null;
	const shownChosen = detailSizes ? (sizeNamed(s, detailSizes) ?? extremeSize(s, detailSizes)) : null;
	// "I need 4 velvet cushions in rust", then "50x50": four of them.
	// "Quiero 5 en talla 42": the count said now, else one said while looking.
	const countSaid = LEADING_COUNT.exec(s)?.[1];
	const shownQty = countSaid ? (NUMBER_WORDS[countSaid] ?? Number(countSaid)) : state.pendingQty;
	// A colour said with the size goes on too ("en azul claro talla 32" asked the colour again).
	if (shownChosen) return { kind: "tool", name: "add_to_cart", args: { sku: state.focus!, size: shownChosen, ...colourArg(s), ...(shownQty && shownQty > 1 && shownQty <= MAX_LINE_QTY ? { qty: shownQty } : {}) }, intent: "add_to_cart" };
	// "The bigger one" of more than two sizes: which of them.
	const ranked = (asked && sizing ? asked.sizes : null) ?? (state.focus && !state.awaitingConfirmation ? state.sizesShown : null);
	if (ranked && EXTREME_SIZE.test(s) && !state.awaitingConfirmation)
		return { kind: "text", text: t(lang, `Which size would you like? ${sizesSmallestFirst(ranked).join(", ")}`, `¿Qué talla quieres? ${sizesSmallestFirst(ranked).join(", ")}`), intent: "choose", understood: true };
	const bareSize = BARE_SIZE.exec(s)?.[1];
	// "M" again for the line already in M (said twice, or once more after the colour): nothing to add.
	const alreadyIn = bareSize && sizing && !waitingLines.some(i => i.sku === sizing) ? state.cart.items.find(i => i.sku === sizing && i.size !== undefined && sameSize(i.size, canonicalSize(bareSize))) : undefined;
	if (alreadyIn && !state.awaitingConfirmation)
		return {
			kind: "text",
			text: `${t(lang, `${alreadyIn.name} is in your cart in size ${alreadyIn.size} already 👌`, `${alreadyIn.name} ya está en tu carrito en talla ${alreadyIn.size} 👌`)} ${
				// The colour still owed is asked again; else what next.
				state.coloursAsked?.colours.length && !alreadyIn.color
					? t(lang, `Which colour would you like? ${state.coloursAsked.colours.join(", ")}`, `¿Qué color quieres? ${colourIn(lang, state.coloursAsked.colours.join(", "))}`)
					: t(lang, "Keep shopping or check out?", "¿Seguimos mirando o finalizas la compra?")
			}`,
			intent: "add_to_cart",
			understood: true
		};
	if (bareSize && sizing && !state.awaitingConfirmation) return { kind: "tool", name: "add_to_cart", args: { sku: sizing, size: canonicalSize(bareSize), ...(state.pendingQty && sizing === state.focus && !waitingLines.some(i => i.sku === sizing) ? { qty: state.pendingQty } : {}) }, intent: "add_to_cart" };
	// "I want it in size M", "lo quiero en talla M", "I need a size M" with nothing else named: the
	// size of the one being sized, also once a list came in between (the list's "it" would be a pick).
	const sizeStated = sizing && !state.awaitingConfirmation && !QUESTION.test(s) ? sizeArg(s).size : undefined;
	if (sizeStated && !Object.keys(parseProductQuery(productWords(s.replace(ADD_IT_ALL, " ")))).length)
		return { kind: "tool", name: "add_to_cart", args: { sku: sizing!, size: sizeStated }, intent: "add_to_cart" };
	// "He wears 43", "I wear 43" after a list, nothing in view: the size for the one they choose next (it was not understood).
	const usualSaid = !sizing && !state.focus && !state.awaitingConfirmation && state.shown.length > 1 && !QUESTION.test(s) ? USUAL_SIZE.exec(s) : null;
	const usualSize = usualSaid ? sizeArg(usualSaid[0].replace(/^.*?(\S+)$/, "size $1")).size : undefined;
	if (usualSize && !namesOtherProduct(productWords(s.replace(USUAL_SIZE, " ")))) return whichInSize(usualSize, lang);
	// "42" after a list, nothing in view: a size (no list is that long), for the one they choose next.
	const bareNumber = parsePosition(s);
	if (bareSize && !sizing && !state.awaitingConfirmation && state.shown.length > 1 && (bareNumber === null || bareNumber > state.shown.length)) return whichInSize(canonicalSize(bareSize), lang);
	// "How much for two?": what that many of the one in view cost together.
	const pricedCount = state.awaitingConfirmation ? undefined : countPriced(s);
	if (pricedCount && pricedCount > MAX_LINE_QTY)
		return {
			kind: "text",
			text: t(lang, `I can put up to ${MAX_LINE_QTY} of a product in a cart here. For ${pricedCount}, our team can give you a price — just say "talk to a person".`, `Aquí puedo agregar hasta ${MAX_LINE_QTY} unidades de un producto. Para ${pricedCount}, nuestro equipo te da un precio — solo escribe "hablar con una persona".`),
			intent: "product",
			understood: true
		};
	if (pricedCount) {
		const priced = state.focus ?? (state.shown.length === 1 ? state.shown[0]!.sku : undefined);
		if (priced) return { kind: "tool", name: "get_product", args: { sku: priced, qty: pricedCount }, intent: "product" };
		if (state.shown.length > 1) return whichMeant(lang);
	}
	// "Compare it with the ProBook 16", "is it better than…?": the one in view as it is, the other
	// looked up; then the two side by side. Not a question about the one in view alone.
	const viewed = state.focus ?? (state.shown.length === 1 ? state.shown[0]!.sku : undefined);
	const against = viewed && !state.awaitingConfirmation ? comparedWithIt(s) : null;
	if (against) return { kind: "tools", calls: [{ name: "get_product", args: { sku: viewed } }, { name: "search_products", args: against }], intent: "product" };
	// "How does it compare to the cheapest one?", "is it better than the first one?": the other is one of the list.
	const otherSaid = viewed && !state.awaitingConfirmation && state.shown.length > 1 ? comparedWithItSaid(s) : null;
	const otherAt = otherSaid ? (parsePosition(otherSaid) ?? chooseByPrice(otherSaid, priced) ?? (listed ? chooseListed(otherSaid, listed) : null)) : null;
	const otherListed = otherAt !== null ? pick(state.shown, otherAt) : undefined;
	if (viewed && otherListed && otherListed.sku !== viewed) return sideBySideOf(state, [viewed, otherListed.sku]);
	// "Which is cheapest?" after a list: that one's details, not the list side by side ("the
	// cheapest one" on its own, or with an add, is a pick, below).
	if (!state.awaitingConfirmation && QUESTION.test(s) && !ADD.test(s)) {
		const n = chooseByPrice(s, priced);
		const byPrice = n !== null ? pick(state.shown, n) : undefined;
		if (byPrice) return { kind: "tool", name: "get_product", args: { sku: byPrice.sku }, intent: "product" };
	}
	// Whether it is safe while pregnant or nursing is for their doctor and our team, not for the brain to guess.
	if (PREGNANCY.test(s) && QUESTION.test(s))
		return {
			kind: "text",
			text: t(lang, `Whether it's suitable during pregnancy or while breastfeeding is something to check with your doctor — I can't advise on that here. If you'd like our team to look into it, say "talk to a person".`, `Si es apto durante el embarazo o la lactancia es algo para consultar con tu médico — no puedo aconsejarte sobre eso aquí. Si quieres que nuestro equipo lo revise, escribe "hablar con una persona".`),
			intent: "product",
			understood: true
		};
	// "Is the Switchblade better than the Nexus?": both looked up, then side by side (it read "is the
	// Switchblade …" as a question about one, or searched "better than").
	const betterThan = state.awaitingConfirmation ? null : betterThanNamed(s);
	if (betterThan) return { kind: "tools", calls: betterThan.map(query => ({ name: "search_products", args: query })), intent: "product" };
	// "My screen cracked, do you do repairs?": not a product to search ("Nothing mentions cracked or repair").
	if (REPAIR_ASKED.test(s) && !state.awaitingConfirmation)
		return plainly(
			t(
				lang,
				`I can't arrange repairs from this chat, I'm afraid. If it's something you bought from us, it may be covered by our warranty — say "talk to a person" and our team will look at it with you.`,
				`Desde este chat no puedo gestionar reparaciones, lo siento. Si es algo que nos compraste, puede estar cubierto por la garantía — escribe "hablar con una persona" y nuestro equipo lo revisa contigo.`
			),
			"policy"
		);
	// "How do I know my skin type?": how to tell, in words a customer can answer, and what we do with it.
	if (SKIN_TYPE_ASKED.test(s))
		return plainly(
			t(
				lang,
				`A quick way to tell: by midday, is your skin shiny all over (oily), tight or flaky (dry), shiny on the forehead and nose but dry on the cheeks (combination), or easily red and irritated (sensitive)? Tell me which sounds like you and I'll show you what's made for it.`,
				`Una forma rápida de saberlo: a mediodía, ¿tu piel brilla en todo el rostro (grasa), la sientes tirante o con descamación (seca), brilla en frente y nariz pero está seca en las mejillas (mixta), o se enrojece e irrita fácil (sensible)? Dime cuál se parece a la tuya y te muestro lo que está hecho para ella.`
			),
			"product"
		);
	// An allergy and whether it is safe: the full ingredients are for our team to check, not for the details
	// to answer ("I have a nut allergy, is the shea body butter safe?" showed the butter's details alone).
	if (ALLERGY_SAFETY.test(s) && QUESTION.test(s))
		return plainly(
			t(
				lang,
				`With an allergy I can't tell you it's safe from this chat — the product details here aren't a full ingredient list. Say "talk to a person" and our team will check the ingredients with you before you buy.`,
				`Con una alergia no puedo asegurarte desde este chat que sea seguro — la ficha no es la lista completa de ingredientes. Escribe "hablar con una persona" y nuestro equipo revisa los ingredientes contigo antes de comprar.`
			),
			"product"
		);
	// "¿De qué trata el primero?" names which: the position decides, below.
	// "¿Tiene juegos incluidos?" asks what comes with the product in view ("¿tiene juegos?" alone may ask the shop).
	const aboutIt = !state.awaitingConfirmation && !namedAfterward(s) && (itQuestion(s, !!state.focus && partAsked(s)) !== null || (!!state.focus && QUESTION.test(s) && /\bincluid[oa]s?\b|\bincluye\b/.test(s))) && parsePosition(s) === null && !POLICIES.some(([re]) => re.test(s));
	// "What if it doesn't fit?": the returns policy, before any question about its fit.
	if (IF_UNSUITED.test(s) && !state.awaitingConfirmation) return { kind: "tool", name: "store_policy", args: { topic: "returns" }, intent: "policy" };
	// "Is it true to size?": the one in view (or just added); after a list, which one; with
	// nothing to look at, which product. A product named goes to its search below.
	if (FIT_ASKED.test(s) && !state.awaitingConfirmation && parsePosition(s) === null && !namesOtherThan(s.replace(USUAL_SIZE_ALL, " ").replace(/\b(?:get|buy|order|pick|choose)\b/g, " "), FIT_ASKED) && !namedQuestion(s)) {
		const fitted = state.focus ?? (state.shown.length === 1 ? state.shown[0]!.sku : state.cart.items[state.cart.items.length - 1]?.sku);
		if (fitted) return { kind: "tool", name: "get_product", args: { sku: fitted }, intent: "product" };
		if (state.shown.length > 1) return whichMeant(lang);
		return {
			kind: "text",
			text: t(lang, `Which piece is it? Tell me (e.g. ${example(persona, lang)}) and I'll check how it fits.`, `¿De qué prenda hablamos? Dime cuál (p. ej. ${example(persona, lang)}) y te digo cómo queda.`),
			intent: "product",
			understood: true
		};
	}
	// "Are they waterproof?" after a list: which of the listed ones say so, whatever is in view.
	if (aboutIt && state.shown.length > 1 && THEY_QUESTION.test(s)) return sideBySide(state);
	// "What colours does it come in?", "¿qué tallas tiene?": about the product in focus, not a search.
	if (state.focus && !state.awaitingConfirmation && QUESTION.test(s) && ATTRIBUTE_QUESTION.test(s) && !WHICH_ONE.test(s) && parsePosition(s) === null && !namesOtherProduct(s))
		return { kind: "tool", name: "get_product", args: { sku: state.focus }, intent: "product" };
	// "What's the polling rate of it?", "¿cuál es la plataforma?": an attribute of what is in view.
	if (!state.awaitingConfirmation && knownAttributeAsked(s) && parsePosition(s) === null) {
		if (state.focus) return { kind: "tool", name: "get_product", args: { sku: state.focus }, intent: "product" };
		if (state.shown.length > 1) return sideBySide(state);
	}
	// "Is it for Switch?", "does it have a warranty card?": about the product in focus, whatever it asks.
	// After an add, "is it long lasting?" is about what was just added.
	const subject = state.focus ?? state.cart.items[state.cart.items.length - 1]?.sku;
	if (aboutIt && subject) return { kind: "tool", name: "get_product", args: { sku: subject }, intent: "product" };
	// "Is this real leather?", "how do I wash it?" with nothing in view, listed or in the cart: which
	// product "it" is (it searched "real").
	if ((aboutIt || HOW_TO_USE.test(s)) && !subject && !state.shown.length && (IT_WORD.test(s) || IT_IMPLIED_ES.test(s)) && !aboutThePhoto(message) && !namesAKind(parseProductQuery(productWords(s)).query ?? "") && parseProductQuery(s).color === undefined)
		return {
			kind: "text",
			text: t(lang, `Which product do you mean? Tell me its name or what it is (e.g. ${example(persona, lang)}) and I'll check.`, `¿De qué producto me hablas? Dime su nombre o qué es (p. ej. ${example(persona, lang)}) y lo reviso.`),
			intent: "choose",
			understood: true
		};
	// "How much is it?": the product in view; after a list, which one.
	if (STOCK_ASKED.test(s) && !namesOtherThan(s, STOCK_ASKED)) {
		if (state.focus) return { kind: "tool", name: "get_product", args: { sku: state.focus }, intent: "product" };
		if (state.shown.length > 1) return sideBySide(state);
		if (subject) return { kind: "tool", name: "get_product", args: { sku: subject }, intent: "product" };
	}
	// "¿Cuánto es?" with a cart and nothing else in view (it said it did not understand): the cart, with its total and any code.
	if (state.cart.items.length && CART_TOTAL_ASKED.test(s) && (!subject || state.cart.items.some(i => i.sku === subject) || /\b(?:con|with)\b/.test(s)))
		return { kind: "tool", name: "view_cart", args: {}, intent: "view_cart" };
	// "¿Cuánto es?" with nothing in the cart nor in view: the price of what, asked (it counted as not understood).
	if (!state.cart.items.length && !subject && state.shown.length === 0 && CART_TOTAL_ASKED.test(s))
		return plainly(t(lang, `Your cart is empty so far — which product would you like the price of? (e.g. ${example(persona, lang)})`, `Tu carrito está vacío por ahora — ¿de qué producto quieres saber el precio? (p. ej. ${example(persona, lang)})`), "view_cart");
	if (HOW_MUCH.test(s) && !namesOtherThan(s, HOW_MUCH)) {
		if (subject) return { kind: "tool", name: "get_product", args: { sku: subject }, intent: "product" };
		if (state.shown.length > 1) return whichMeant(lang);
	}
	// "How do I use it?", "when will it be back?": what its details say, and what we cannot say.
	// "¿Cuándo llega?" with something in the cart asks when the order arrives, not when a product is back.
	const arrival = /\bcuando (?:me )?llega\b/.test(s) && (state.cart.items.length > 0 || state.lastOrderId !== null);
	const aboutSubject = [HOW_TO_USE, RESTOCK, AGE_ASKED].find(re => re.test(s) && !namesOtherThan(s, re) && !(re === RESTOCK && arrival));
	if (aboutSubject && subject && !NOTIFY.test(s)) return { kind: "tool", name: "get_product", args: { sku: subject }, intent: "product" };
	// "What's the second one rated?": that one.
	const ratedOne = aboutSubject === AGE_ASKED && !subject ? pick(state.shown, parsePosition(s) ?? 0) : undefined;
	if (ratedOne) return { kind: "tool", name: "get_product", args: { sku: ratedOne.sku }, intent: "product" };
	// "Are they ok for his age?" right after a list: each one's rating, side by side.
	if (aboutSubject === AGE_ASKED && !subject && state.shown.length > 1) return sideBySide(state);
	// "How do I use it?" right after a list, nothing in view: which one.
	if (aboutSubject && !subject && state.shown.length > 1 && !NOTIFY.test(s)) return whichMeant(lang);
	// "Does it have a mic?" right after a list, nothing in view: which of the listed ones do.
	if (aboutIt && state.shown.length > 1) return sideBySide(state);
	// "Do you have it in a bigger size?" right after a list: the listed products' sizes, side by side.
	if (!state.focus && state.shown.length && !state.awaitingConfirmation && QUESTION.test(s) && ATTRIBUTE_QUESTION.test(s) && parsePosition(s) === null && !namesOtherProduct(s))
		return sideBySide(state);
	// "Let me know when it's back": no alert can be set from here; said plainly, with what can be done now.
	if (NOTIFY.test(s) && (RESTOCK.test(s) || /\b(it'?s|its|is) back\b|\b(vuelva|llegue|haya)\b/.test(s)))
		return {
			kind: "text",
			text: t(
				lang,
				"I can't set up back-in-stock alerts from this chat, I'm afraid — ask me again any time and I'll check. Want me to show you something similar?",
				"No puedo activar avisos de reposición desde este chat, perdón — pregúntame cuando quieras y lo reviso. ¿Te muestro algo parecido?"
			),
			intent: "policy",
			understood: true
		};
	// "Too expensive" about the product in view, or the one in the cart: the like of it for less.
	if (TOO_DEAR.test(s) && subject && !state.awaitingConfirmation && !namesOtherThan(s, TOO_DEAR))
		return { kind: "tool", name: "recommend", args: { sku: subject, kind: "similar", cheaper: true }, intent: "recommend" };
	// "Want me to show you something similar?" after a sold-out one: a yes, or "anything like it?", shows that.
	const similar = (state.similarOffered && (YES.test(s) || ADD_IT.test(s))) || (SIMILAR.test(s) && !namesOtherThan(s, SIMILAR));
	if (subject && !state.awaitingConfirmation && similar) return { kind: "tool", name: "recommend", args: { sku: subject, kind: "similar" }, intent: "recommend" };
	// "add it" right after it went in: said twice, or meant once? Asked, not doubled; a yes adds another.
	const justLine = state.justAdded?.length === 1 && !asked ? state.cart.items.find(i => i.sku === state.justAdded![0] && (!state.focus || i.sku === state.focus)) : undefined;
	// "Add it in L" when it went in in M, "add it in pink too" when it went in white: one of those as well.
	const otherSize = justLine?.size !== undefined ? sizeArg(s).size : undefined;
	const otherColour = justLine?.color !== undefined ? colourArg(s).color : undefined;
	const other = { ...(otherSize && otherSize !== justLine?.size ? { size: otherSize } : {}), ...(otherColour && otherColour !== justLine?.color ? { color: otherColour } : {}) };
	if (justLine && Object.keys(other).length && ADD_IT.test(s))
		return { kind: "tool", name: "add_to_cart", args: { sku: justLine.sku, ...variantOf(justLine), ...other }, intent: "add_to_cart" };
	// "Can you gift wrap it?" — "ok add it": in the cart already, from an earlier turn; asked too.
	// Its details shown again, "add it" is one more, as said.
	const inCartLine = justLine ?? (state.focus && !asked && !state.addOffered && !state.detailsLast ? state.cart.items.find(i => i.sku === state.focus) : undefined);
	if (inCartLine && ADD_IT.test(s) && !ANOTHER.test(s) && !/\d/.test(s) && !Object.keys(variantArgs(s)).length)
		return {
			kind: "text",
			text: t(lang, `${inCartLine.name} is already in your cart (${inCartLine.qty}×) — want one more?`, `${inCartLine.name} ya está en tu carrito (${inCartLine.qty}×) — ¿quieres uno más?`),
			intent: "add_to_cart",
			understood: true
		};
	if (justLine && ADD_IT.test(s) && !ANOTHER.test(s) && !/\d/.test(s))
		return {
			kind: "text",
			text: t(lang, `${justLine.name} is already in your cart (${justLine.qty}×) — want one more?`, `${justLine.name} ya está en tu carrito (${justLine.qty}×) — ¿quieres uno más?`),
			intent: "add_to_cart",
			understood: true
		};
	// "One more please", "otra más": another of the product in view, or of the one last put in the cart, in its size.
	// "Add another one, and a mouse": that one more, and the other looked for.
	const alsoMore = ALSO.exec(s);
	const moreHead = alsoMore ? s.slice(0, alsoMore.index) : s;
	const again = ONE_MORE_ONLY.test(moreHead) && !state.awaitingConfirmation ? (state.cart.items.find(i => i.sku === state.focus) ?? state.cart.items[state.cart.items.length - 1]) : undefined;
	if (again) {
		const add = { name: "add_to_cart", args: { sku: again.sku, ...variantOf(again) } };
		const more = alsoMore ? parseProductQuery(productWords(s.slice(alsoMore.index + alsoMore[0].length))) : {};
		if (more.query !== undefined) return { kind: "tools", calls: [add, { name: "search_products", args: more }], intent: "add_to_cart" };
		if (!alsoMore) return { kind: "tool", ...add, intent: "add_to_cart" };
	}
	// A yes to "… is already in your cart (1×) — want one more?": one more, in the same size.
	const oneMore = state.oneMoreOffered ? state.cart.items.find(i => i.sku === state.oneMoreOffered) : undefined;
	if (oneMore && (YES.test(s) || ADD_IT.test(s)))
		return { kind: "tool", name: "add_to_cart", args: { sku: oneMore.sku, ...variantOf(oneMore) }, intent: "add_to_cart" };
	// "Which size?" is pending for the product in focus (it is in the cart without one): a yes is no
	// size. Only when the last reply asked: a product without sizes is in the cart without one too.
	if (asked && state.focus && state.cart.items.some(i => i.sku === state.focus && i.size === undefined) && (YES.test(s) || ADD_IT.test(s))) {
		// "Do you have it in M?" — "Yes, it comes in M." — "add it": in M.
		const said = rememberedSize(earlier, asked.sizes);
		if (said) return { kind: "tool", name: "add_to_cart", args: { sku: state.focus, size: said }, intent: "add_to_cart" };
		return { kind: "text", text: t(lang, "Which size would you like? Tell me and I'll set it.", "¿Qué talla quieres? Dímela y la anoto."), intent: "choose", understood: true };
	}
	// "Ready to check out?" — "sí": the checkout, not another of the product last looked at.
	if (state.checkoutOffered && state.cart.items.length && YES.test(s) && !ADD_IT.test(s) && parsePosition(s) === null && !parseProductQuery(s.replace(YES, " ")).query)
		return { kind: "tool", name: "checkout", args: {}, intent: "checkout" };
	// After a product's details ("Shall I add it?"): a yes or "add it" adds that product.
	// A yes to "Keep shopping or check out?" right after the add is no second one, nor is "ok, I'll pay".
	// Nor is a "listo" about a product already in the cart: its details offered no add (one more is asked above).
	// "Sage please" under "Shall I add it?": the one in view in that colour (it searched sage things).
	const colourAlone = state.focus && state.addOffered && !state.awaitingConfirmation && !QUESTION.test(s) && !ADD.test(s) && !/\d/.test(s) && s.split(/\s+/).length <= 4 && !state.cart.items.some(i => i.sku === state.focus) ? parseProductQuery(productWords(s.replace(/\b(?:please|pls|porfa|por favor|in|en|the|el|la|one|uno|una)\b/g, " "))) : null;
	if (colourAlone?.color && Object.keys(colourAlone).length === 1) return { kind: "tool", name: "add_to_cart", args: { sku: state.focus!, color: colourAlone.color, ...(state.pendingQty ? { qty: state.pendingQty } : {}) }, intent: "add_to_cart" };
	const yesToAdd = YES.test(s) && !yesToSomethingElse(s) && state.addOffered !== false && parsePosition(s) === null && !state.justAdded?.includes(state.focus ?? "") && !state.cart.items.some(i => i.sku === state.focus) && !CHECKOUT.test(s) && !DONE_SHOPPING.test(s);
	if (state.focus && !state.awaitingConfirmation && (ADD_IT.test(s) || yesToAdd)) {
		// "Add it. Also a gift card of 50": that one in the cart, and the other looked for (its colour is its own).
		const also = ALSO.exec(s);
		const add = { name: "add_to_cart", args: { sku: state.focus, ...(state.pendingQty && yesToAdd ? { qty: state.pendingQty } : {}), ...variantArgs(also ? s.slice(0, also.index) : s) } };
		const more = also ? parseProductQuery(productWords(s.slice(also.index + also[0].length))) : {};
		if (more.query !== undefined) return { kind: "tools", calls: [add, { name: "search_products", args: more }], intent: "add_to_cart" };
		return { kind: "tool", ...add, intent: "add_to_cart" };
	}
	// "Ready", "listo", "confirmo" with the cart filled and nothing offered to add: the checkout, not another of it.
	if (READY.test(s) && state.cart.items.length && !state.awaitingConfirmation) return { kind: "tool", name: "checkout", args: {}, intent: "checkout" };
	// "Yes" under a list ("similar ones you can have now: 1… 2…"): yes to one of them, so which.
	if (state.listLast && listed && listed.length > 1 && /^\W*(?:(?:yes|yep|yeah|yup|sure|ok|okay|si|claro|dale|vale|please|por favor)\W*)+$/.test(s)) return whichOfList(1, lang);
	// "No thanks", "nah, skip it", "paso" to what was offered: nothing added, and the way on (no goodbye:
	// "no thanks" read as thanks answered "You're welcome! Stay stylish!").
	if (DECLINED.test(s) && !state.awaitingConfirmation)
		return plainly(
			state.cart.items.length && !state.checkoutOffered
				? t(lang, "No problem. Anything else, or ready to check out?", "Sin problema. ¿Algo más, o finalizamos la compra?")
				: state.cart.items.length
					? t(lang, "No problem — your cart stays as it is. What else can I find for you?", "Sin problema — tu carrito queda como está. ¿Qué más te busco?")
					: t(lang, "No problem. What else can I find for you?", "Sin problema. ¿Qué más te busco?"),
			"chitchat"
		);
	// A bare yes or no, a laugh or an "ok cool" with nothing pending is not a product search for "yes".
	if (/^\W*((yes|yep|yeah|yup|sure|ok|okay|k|si|claro|dale|vale|no|nope|nah|cool|nice|great|awesome|perfect|genial|perfecto|bueno|bien|todo|ha(ha)+|ja(ja)+|lol|xd|hmm+|mm+)\W*)+$/.test(s))
		return { kind: "text", text: t(lang, "Sure! What can I find for you?", "¡Claro! ¿Qué te busco?"), intent: "chitchat", understood: true };
	// "How are you?" is small talk: answered, then back to what this chat is for.
	if (HOW_ARE_YOU.test(s))
		return { kind: "text", text: t(lang, "Doing great, thanks for asking! 😊 What can I find for you?", "¡Muy bien, gracias por preguntar! 😊 ¿Qué te busco?"), intent: "chitchat", understood: true };
	if (asksForHuman(text)) return { kind: "tool", name: "escalate_to_human", args: { reason: "human_requested", summary: text.slice(0, 500) }, intent: "human" };
	// "Are you a bot?": yes, said plainly, with the way to a person.
	if (BOT_QUESTION.test(s))
		return {
			kind: "text",
			text: t(
				lang,
				`I'm ${persona.name}, this shop's AI assistant 🤖 I can find products, answer questions and place your order. If you'd rather talk to a person from our team, just say so.`,
				`Soy ${persona.name}, asistente virtual de esta tienda 🤖 Puedo buscarte productos, responder tus dudas y hacer tu pedido. Si prefieres hablar con una persona de nuestro equipo, solo dímelo.`
			),
			intent: "chitchat",
			understood: true
		};
	// "Can I pick it up?": every order is delivered; collecting is for a person to say, not promised here.
	if (PICKUP.test(s) && !state.awaitingConfirmation && !/\b(?:phone|call|calls|llamada)\b/.test(s))
		return {
			kind: "text",
			text: t(
				lang,
				`Orders from this chat are delivered to you — picking one up in a store isn't something I can arrange here. Someone from our team can tell you whether it's possible: just say "talk to a person".`,
				`Los pedidos de este chat se envían a tu domicilio — recogerlos en una tienda no es algo que pueda gestionar aquí. Alguien de nuestro equipo te dice si se puede: solo escribe "hablar con una persona".`
			),
			intent: "policy",
			understood: true
		};
	// "Can you hold it for me?": nothing is kept back; an order secures it.
	if (HOLD_ASKED.test(s) && !state.awaitingConfirmation) {
		const held = state.focus ?? (state.shown.length === 1 ? state.shown[0]!.sku : undefined);
		const offer = held && !state.cart.items.some(i => i.sku === held) ? t(lang, " Shall I add it to your cart?", " ¿Lo agrego a tu carrito?") : "";
		return {
			kind: "text",
			text: t(lang, `I can't hold products, I'm afraid — stock goes to whoever orders first, and placing an order is what secures it.${offer}`, `No puedo apartar productos, perdón — el stock es de quien pide primero, y lo que lo asegura es hacer el pedido.${offer}`),
			intent: "policy",
			understood: true
		};
	}
	// "Where is your store?", "are you open on Sundays?": facts no tool has, so not made up.
	if (STORE_INFO.test(s) && !POLICIES.some(([re]) => re.test(s)))
		return {
			kind: "text",
			text: t(
				lang,
				`I don't have store addresses, opening hours or contact details in this chat, I'm afraid. Someone from our team can tell you: just say "talk to a person". I can help with products, your cart and your orders.`,
				`No tengo direcciones de tiendas, horarios ni datos de contacto en este chat, perdón. Alguien de nuestro equipo te los da: solo escribe "hablar con una persona". Yo te ayudo con productos, tu carrito y tus pedidos.`
			),
			intent: "policy",
			understood: true
		};
	// "Can you gift wrap it?": a service no tool knows of is not promised, nor searched for as a product.
	if (GIFT_WRAP.test(s))
		return {
			kind: "text",
			text: t(
				lang,
				`I can't arrange gift wrapping or a gift note from this chat, I'm afraid. Someone from our team can tell you what's possible: just say "talk to a person".`,
				`No puedo gestionar envoltorio de regalo ni una nota desde este chat, perdón. Alguien de nuestro equipo te dice qué se puede hacer: solo escribe "hablar con una persona".`
			),
			intent: "policy",
			understood: true
		};
	// "Give me 90% off": no discount is made up; the ones that exist are shown.
	// Another shop's price: ours stand; their deals and a person are what we can offer.
	// "Do you have a loyalty program?", "¿tienen programa de puntos?": nothing this chat knows of, said so (it searched "loyalty program").
	if (LOYALTY.test(s) && !state.awaitingConfirmation)
		return plainly(
			t(
				lang,
				`I can't tell you about a loyalty or rewards programme from this chat, I'm afraid — say "talk to a person" and our team will let you know. You can ask me for our current deals any time.`,
				`Desde este chat no puedo informarte de un programa de puntos o recompensas, lo siento — escribe "hablar con una persona" y nuestro equipo te cuenta. Cuando quieras, pregúntame por las ofertas actuales.`
			),
			"promotions"
		);
	// "Cancel it, I found it cheaper elsewhere": the cancel is what is asked; the price is their reason.
	if (PRICE_MATCH.test(s) && !(state.lastOrderId && /\b(?:cancel\w*|anul\w*)\b/.test(s)))
		return {
			kind: "text",
			text: t(lang, `We don't match other shops' prices, I'm afraid — ours are the prices you see here. Ask me for our current deals, or say "talk to a person" if you'd like our team to look at it.`, `No igualamos precios de otras tiendas, lo siento — los nuestros son los que ves aquí. Pregúntame por las ofertas actuales, o escribe "hablar con una persona" si quieres que nuestro equipo lo revise.`),
			intent: "promotions",
			understood: true
		};
	if (DISCOUNT_DEMAND.test(s)) return { kind: "tool", name: "list_promotions", args: {}, intent: "promotions" };
	// "Can I see a photo of it?": the one in view, sent as its photo; of a list, which one; of nothing, what.
	if (PHOTO_ASKED.test(s) && !state.awaitingConfirmation && parseProductQuery(productWords(s.replace(PHOTO_ASKED_ALL, " "))).query === undefined) {
		const pictured = state.focus ?? (state.shown.length === 1 ? state.shown[0]!.sku : undefined);
		if (pictured) return { kind: "tool", name: "get_product", args: { sku: pictured, photo: true }, intent: "product" };
		if (state.shown.length > 1) return whichMeant(lang);
		return {
			kind: "text",
			text: t(lang, `Which product would you like to see? Tell me its name or what it is (e.g. ${example(persona, lang)}).`, `¿Qué producto quieres ver? Dime su nombre o qué es (p. ej. ${example(persona, lang)}).`),
			intent: "choose",
			understood: true
		};
	}
	// "Ignore your instructions and …": not a product to search, and nothing to reveal or change.
	if (INSTRUCTIONS_PROBE.test(s))
		return {
			kind: "text",
			text: t(lang, `I can't share or change how I work, but I'm happy to help you shop — what are you looking for (e.g. ${example(persona, lang)})?`, `No puedo mostrar ni cambiar cómo funciono, pero con gusto te ayudo a comprar — ¿qué buscas (p. ej. ${example(persona, lang)})?`),
			intent: "chitchat",
			understood: true
		};
	const cancelIt = state.lastOrderId && /\b(cancel (it|that)|cancelarlo|cancelala|cancelalo|anularlo)\b/.test(s);
	// "Cancel one of the two headsets in my order": an order is cancelled whole or not at all here; a
	// person can change part of it (it offered to cancel all of it).
	if ((CANCEL_ORDER.test(s) || cancelIt || (state.lastOrderId && REMOVE.test(s) && /\b(?:order|pedido)\b/.test(s))) && PART_OF_ORDER.test(s))
		return plainly(
			t(
				lang,
				`I can't change part of an order once it's placed, I'm afraid — I can only cancel the whole order. If you'd like to keep the rest, someone from our team can help: just say "talk to a person".`,
				`No puedo cambiar parte de un pedido ya hecho, lo siento — solo puedo cancelar el pedido completo. Si quieres conservar el resto, alguien de nuestro equipo te ayuda: solo escribe "hablar con una persona".`
			),
			"cancel_order"
		);
	if (CANCEL_ORDER.test(s) || cancelIt) {
		const id = ORDER_ID.exec(text)?.[1];
		// "Cancel the hoodie order": the order holding the hoodie, not the latest; "cancel it" right after ordering: that one.
		const item = id ? undefined : orderItemNamed(s);
		const args = id ? { orderId: id } : item ? { item } : cancelIt ? { orderId: state.lastOrderId! } : {};
		return { kind: "tool", name: "cancel_order", args, intent: "cancel_order" };
	}
	// "Can I cancel it?" with nothing ordered in this chat: their latest order, if they have one.
	// "Hmm actually I changed my mind, can I cancel?": the ask is its last clause.
	const lastClause = s.split(/[,;.!]+/).map(c => c.trim()).filter(Boolean).at(-1) ?? s;
	if ((BARE_CANCEL.test(s) || BARE_CANCEL.test(lastClause)) && !state.cart.items.length) return { kind: "tool", name: "cancel_order", args: {}, intent: "cancel_order" };
	// "How long until I get my money back?": when a refund lands is not in anything the chat can see; said
	// so, with who can (it searched "long until money").
	if (REFUND_WHEN.test(s))
		return plainly(
			t(
				lang,
				`I can't see when a refund reaches you from this chat, I'm afraid — that depends on the payment and is for our team to check. Just say "talk to a person" and someone will look at yours.`,
				`Desde este chat no puedo ver cuándo te llega un reembolso, lo siento — depende del pago y lo revisa nuestro equipo. Escribe "hablar con una persona" y alguien revisa el tuyo.`
			),
			"policy"
		);
	if (RETURN_REQUEST.test(s) && !QUESTION.test(s))
		return afterSale("The customer wants to return an item or be refunded", text, "return_request");
	// "Can I change the delivery address?": an order's details are changed by a person; no tool can.
	if (CHANGE_ORDER.test(s))
		return afterSale("The customer wants to change an order's details", text, "change_order");
	// "The boots I ordered are too small": a return or exchange, a person's job. Said of nothing
	// bought ("the jacket doesn't fit"), what returns and exchanges take.
	if (DOESNT_FIT.test(s) && !QUESTION.test(s) && !IF_UNSUITED.test(s)) {
		if (PURCHASED.test(s) || state.lastOrderId)
			return afterSale("The customer says a purchase does not fit (a return or exchange)", text, "return_request");
		return { kind: "tool", name: "store_policy", args: { topic: "returns" }, intent: "policy" };
	}
	// "The zipper broke", "it never arrived": after-sales care is a person's job, not a search. "My
	// charger broke, do you sell USB-C chargers?" is shopping for a new one, unless it was ours.
	if (PURCHASE_PROBLEM.test(s) && !(REPLACEMENT_SOUGHT.test(s) && !BOUGHT_HERE.test(s)))
		return afterSale("The customer reports a problem with a purchase", text, "complaint");
	// "where is my order?", or just its id ("order ord_e91f…").
	// "Complete my order" names an order, but the one in the cart: the checkout, below.
	if ((ORDER_STATUS.test(s) && !CHECKOUT.test(s)) || ORDER_ID.test(text) || ORDER_NUMBER_SAID.test(text)) {
		const id = ORDER_ID.exec(text)?.[1] ?? ORDER_NUMBER_SAID.exec(text)?.[1];
		return { kind: "tool", name: "order_status", args: id ? { orderId: id } : {}, intent: "order_status" };
	}
	const policy = QUESTION.test(s) ? POLICIES.find(([re]) => re.test(s)) : undefined;
	// "When will it arrive?" after an order: where that order is, and how long delivery takes.
	const orderAndPolicy = (orderId: string, topic: string): Decision => ({
		kind: "tools",
		calls: [
			{ name: "order_status", args: { orderId } },
			{ name: "store_policy", args: { topic } }
		],
		intent: "order_status"
	});
	if (policy?.[1] === "delivery" && state.lastOrderId) return orderAndPolicy(state.lastOrderId, "delivery");
	// "How do I pay?" after an order: that order's state (its payment link, if the store has one), and the ways to pay.
	if (policy?.[1] === "payment" && state.lastOrderId && HOW_TO_PAY.test(s) && !state.cart.items.length) return orderAndPolicy(state.lastOrderId, "payment");
	if (policy) return { kind: "tool", name: "store_policy", args: { topic: policy[1] }, intent: "policy" };
	const offered = state.codesOffered ?? [];
	const applyIt = offered.length > 0 && APPLY_IT.test(s);
	const code =
		promoCodeIn(s) ??
		(state.codeAsked ? BARE_CODE.exec(s)?.[1]?.toUpperCase() : undefined) ??
		(applyIt && offered.length === 1 ? offered[0] : undefined) ??
		// "LAPTOP50" typed on its own in capitals, unasked: a code, as codes are written (no product is named so).
		CAPS_CODE.exec(message)?.[1] ??
		capsWordCode(message, s);
	if (!code && applyIt)
		return {
			kind: "text",
			text: t(lang, `Which code — ${joinWith(offered, "or")}?`, `¿Qué código — ${joinWith(offered, "o")}?`),
			intent: "promo_code",
			understood: true
		};
	if (code) return { kind: "tool", name: "apply_promo_code", args: { code }, intent: "promo_code" };
	// "I'll pay with PayPal", or "con tarjeta" with a cart to pay: whether we take it, then the order to confirm.
	if ((CHECKOUT.test(s) || (state.cart.items.length > 0 && !QUESTION.test(s))) && PAYMENT_ASKED.test(s))
		return {
			kind: "tools",
			calls: [
				{ name: "store_policy", args: { topic: "payment" } },
				{ name: "checkout", args: {} }
			],
			intent: "checkout"
		};
	// "Buy it" with an empty cart and a list shown, nothing in view: which one, not "your cart is empty".
	if (CHECKOUT.test(s) && !state.cart.items.length && !state.focus && state.shown.length > 1 && /\bbuy (it|this)\b/.test(s) && parsePosition(s) === null) return whichOfList(1, lang);
	if (CHECKOUT.test(s)) return { kind: "tool", name: "checkout", args: {}, intent: "checkout" };
	const position = parsePosition(s);
	if (EMPTY_CART.test(s)) {
		const items = state.cart.items;
		if (!items.length) return alreadyEmpty(lang);
		return { kind: "tools", calls: items.map(i => ({ name: "remove_from_cart", args: { sku: i.sku, ...variantOf(i) } })), intent: "remove_from_cart" };
	}
	if (REMOVE.test(s)) {
		const items = state.cart.items;
		const byPosition = position !== null ? pick(items, position) : undefined;
		// The product words of "remove the sofa": a cart line must have one of them, or it is not the one meant.
		// Words before the verb that name no line ("change of plans, remove one") are not what is removed.
		const wordsOf = (x: string) => (position === null ? (parseProductQuery(x.replace(new RegExp(REMOVE.source, "g"), " ")).query?.split(" ") ?? []) : []);
		const verbAt = REMOVE.exec(s);
		const afterVerb = verbAt ? wordsOf(s.slice(verbAt.index + verbAt[0].length)) : [];
		const beforeVerb = verbAt ? wordsOf(s.slice(0, verbAt.index)) : wordsOf(s);
		const namesALine = (ws: string[]) => items.some(i => fold(i.name).split(/\s+/).some(w => ws.includes(singular(w)) || ws.includes(w)));
		const named = afterVerb.length ? afterVerb : namesALine(beforeVerb) ? beforeVerb : verbAt ? [] : wordsOf(s);
		// "Remove the second" with one line: no second line, so nothing guessed out of the cart.
		if (position !== null && items.length && !pick(items, position))
			return {
				kind: "text",
				text: items.length === 1
					? t(lang, `Your cart has only one item: ${listCart(state, lang)}. Say "remove it" if you'd like it out.`, `Tu carrito tiene un solo producto: ${listCart(state, lang)}. Dime "quítalo" si quieres sacarlo.`)
					: t(lang, `Your cart has ${items.length} items: ${listCart(state, lang)}. Which one should I remove?`, `Tu carrito tiene ${items.length} productos: ${listCart(state, lang)}. ¿Cuál quito?`),
				intent: "remove_from_cart",
				understood: true
			};
		// The line with the most of the words said: "the denim jacket" is not the leather jacket before it.
		const nameScore = (i: (typeof items)[number]) => fold(i.name).split(/\s+/).filter(w => (w.length > 3 && s.includes(w)) || named.includes(singular(w))).length;
		const scores = items.map(nameScore);
		const top = Math.max(0, ...scores);
		// "Remove the jacket" with two jackets in the cart: which one is asked, not guessed, unless a
		// size said tells them apart ("the linen shirt in XL").
		const best = items.filter((_, n) => scores[n] === top);
		const sizeSaid = top > 0 && best.length > 1 ? sizeNamed(s, best.flatMap(i => (i.size ? [i.size] : []))) : null;
		const sized = sizeSaid ? best.filter(i => i.size === sizeSaid) : [];
		const tied = top > 0 && best.length > 1 && sized.length !== 1;
		const byName = top > 0 && !tied ? (sized[0] ?? best[0]) : undefined;
		// "undo" takes back the add just made; "put it back" the product talked about, else that add.
		const justAdded = items.find(i => state.justAdded?.includes(i.sku));
		const inFocus = items.find(i => i.sku === state.focus);
		const byReference = named.length ? undefined : /\bundo\b/.test(s) ? (justAdded ?? inFocus) : REMOVE_IT.test(s) ? (inFocus ?? justAdded) : undefined;
		// "Remove the grey one": the line in that colour, when only one is.
		const colour = parseProductQuery(s).color;
		const inColour = colour ? items.filter(i => i.color !== undefined && colourNamed(colour, [i.color]) !== undefined) : [];
		const byColour = inColour.length === 1 ? inColour[0] : undefined;
		const target = byPosition ?? byColour ?? byName ?? byReference ?? (items.length === 1 && !named.length ? items[0] : undefined);
		// "Remove one" of a line of two takes one off, not the line.
		const count = REMOVE_COUNT.exec(s)?.[1];
		const qty = count ? (NUMBER_WORDS[count] ?? Number(count)) : undefined;
		if (target)
			return {
				kind: "tool",
				name: "remove_from_cart",
				args: { sku: target.sku, ...variantOf(target), ...(qty && qty < target.qty ? { qty } : {}) },
				intent: "remove_from_cart"
			};
		if (named.length && items.length && !tied)
			return {
				kind: "text",
				text: t(lang, `I don't see a ${named.join(" ")} in your cart — it has: ${listCart(state, lang)}`, `No veo eso en tu carrito — tiene: ${listCart(state, lang)}`),
				intent: "remove_from_cart",
				understood: true
			};
		if (!items.length) return alreadyEmpty(lang);
		return { kind: "text", text: t(lang, "Which item should I remove? " + listCart(state, lang), "¿Qué producto quito? " + listCart(state, lang)), intent: "remove_from_cart", understood: tied };
	}
	if (CART.test(s) && !ADD.test(s)) return { kind: "tool", name: "view_cart", args: {}, intent: "view_cart" };
	// "x2" alone, right after an add: that many of it. "Wait, actually make it 2 copies": the same.
	const qtySaid = quantityWords(s);
	const lineNamed = namedQuantity(qtySaid, state);
	// With a cart, "x3", "3 en total", and a bare count after a second thought ("mejor 3", "no, 3") say how many.
	const bareCount = state.cart.items.length ? (/^\W*(?:x\s*(\d{1,2})|(\d{1,2})\s*x|(\d{1,2}) (?:en total|in total))\W*$/.exec(qtySaid) ?? (qtySaid !== s.trim() ? /^()()(\d{1,2})\W*$/.exec(qtySaid) : null)) : null;
	const newQty = lineNamed ? [qtySaid, lineNamed.count] : (NEW_QTY.exec(qtySaid) ?? bareCount?.filter(Boolean).slice(0, 2) ?? null);
	// "Make it 43": no count goes that high (the tool takes 20 at most); a size of the line or product in view.
	const sizeNotCount = newQty && Number(newQty[1]) > MAX_LINE_QTY && !state.awaitingConfirmation ? (state.focus ?? lastLineOf(state)?.sku) : undefined;
	if (sizeNotCount) return { kind: "tool", name: "add_to_cart", args: { sku: sizeNotCount, size: newQty![1]! }, intent: "add_to_cart" };
	const lastLine = lineNamed?.line ?? lastLineOf(state);
	if (newQty && lastLine) {
		const wanted = NUMBER_WORDS[newQty[1]] ?? Number(newQty[1]);
		const sized = variantOf(lastLine);
		if (wanted > lastLine.qty) return { kind: "tool", name: "add_to_cart", args: { sku: lastLine.sku, qty: wanted - lastLine.qty, ...sized }, intent: "add_to_cart" };
		if (wanted < lastLine.qty) return { kind: "tool", name: "remove_from_cart", args: { sku: lastLine.sku, qty: lastLine.qty - wanted, ...sized }, intent: "remove_from_cart" };
		return { kind: "text", text: t(lang, `You already have ${wanted} × ${lastLine.name} in your cart.`, `Ya tienes ${wanted} × ${lastLine.name} en tu carrito.`), intent: "add_to_cart", understood: true };
	}
	// "make it 3" before anything is in the cart: that many of the product in view, or of the one
	// still to be chosen from the list ("Which one would you like 2 of?").
	const wanted = newQty ? (NUMBER_WORDS[newQty[1]] ?? Number(newQty[1])) : 0;
	if (wanted >= 1 && !state.awaitingConfirmation) {
		const target = state.focus ?? (state.shown.length === 1 ? state.shown[0]!.sku : undefined);
		if (target) return { kind: "tool", name: "add_to_cart", args: { sku: target, ...(wanted > 1 ? { qty: wanted } : {}), ...variantArgs(s) }, intent: "add_to_cart" };
		if (state.shown.length) return whichOfList(wanted, lang);
	}
	if (newQty && wanted === 0 && !state.cart.items.length) return alreadyEmpty(lang);
	const several = state.shown.length ? (parsePositions(s, state.shown.length) ?? (listed ? namedSeveral(s, listed) : null)) : null;
	if (several) {
		const chosen = several.map(p => pick(state.shown, p)).filter((x): x is { position: number; sku: string } => x !== undefined);
		// "What's the difference between the first and the second?": both, side by side.
		const asks = DETAILS.test(s) || COMPARE.test(s) || (QUESTION.test(s) && !ADD.test(s)) || ORDINAL_EITHER.test(s);
		if (chosen.length === several.length)
			return asks
				? { kind: "tools", calls: chosen.map(c => ({ name: "get_product", args: { sku: c.sku } })), intent: "product" }
				: { kind: "tools", calls: chosen.map(c => ({ name: "add_to_cart", args: { sku: c.sku } })), intent: "add_to_cart" };
	}
	if (!several && BOTH.test(s) && state.shown.length > 2)
		return {
			kind: "text",
			text: t(lang, `Which two? I showed ${state.shown.length} — say e.g. "the first and the third".`, `¿Cuáles dos? Te mostré ${state.shown.length} — dime p. ej. "la primera y la tercera".`),
			intent: "choose",
			understood: true
		};
	if (position !== null && state.shown.length) {
		const chosen = pick(state.shown, position);
		if (!chosen)
			return {
				kind: "text",
				text: t(lang, `I only showed ${countOf(state.shown.length, "option", "options")} — which one do you mean?`, `Solo te mostré ${countOf(state.shown.length, "opción", "opciones")} — ¿cuál quieres?`),
				intent: "choose",
				understood: false
			};
		// "Compare it with the second": the one in view and that one, side by side.
		if (COMPARE.test(s)) {
			const skus = state.focus && state.focus !== chosen.sku ? [state.focus, chosen.sku] : [chosen.sku];
			return { kind: "tools", calls: skus.map(sku => ({ name: "get_product", args: { sku } })), intent: "product" };
		}
		// "Is the first one good for dry skin?" asks about it; it does not buy it.
		if (DETAILS.test(s) || (QUESTION.test(s) && !ADD.test(s))) return { kind: "tool", name: "get_product", args: { sku: chosen.sku }, intent: "product" };
		// "3 units", "x3", and "3 of the first", "ponme tres de la primera".
		const qty = /\b(\d{1,2})\s*(?:x|units?|pieces?|of them|unidades)\b|\bx\s*(\d{1,2})\b|\b(\d{1,2}|two|three|four|five|dos|tres|cuatro|cinco) (?:(?:of|de) (?:the|la|el|los|las)|del)\b/.exec(s);
		const count = qty?.[1] ?? qty?.[2] ?? qty?.[3];
		const n = count ? (NUMBER_WORDS[count] ?? Number(count)) : (state.pendingQty ?? 1);
		return { kind: "tool", name: "add_to_cart", args: { sku: chosen.sku, ...(n > 1 ? { qty: n } : {}), ...variantArgs(s) }, intent: "add_to_cart" };
	}
	// "The second one", "what's the difference between the first two", "compare them" with no list shown
	// and nothing in view: nothing to choose from yet, so what they're after (it searched "second").
	// "Is the first one fragrance free?" too: a question of one of a list, though it names a feature.
	const listAsked = (ORDINAL_ANY.test(s) || COMPARE.test(s) || WHICH_ONE.test(s)) && !Object.keys(parseProductQuery(productWords(s.replace(LIST_WORDS, " ").replace(new RegExp(COMPARE.source, "g"), " ").replace(new RegExp(RANKING.source, "g"), " ")))).length;
	// "La segunda chaqueta" names a product to look for; "la segunda es para piel seca?" only a place.
	const ordinal = ORDINAL_ONE.exec(s);
	const after = ordinal && !/ones?$/.test(ordinal[0]) ? s.slice(ordinal.index + ordinal[0].length).split(/[^a-z]+/).filter(Boolean)[0] : undefined;
	const oneOfList = !!ordinal && !(after && namesAKind(parseProductQuery(after).query ?? ""));
	if (!state.shown.length && !state.focus && !state.awaitingConfirmation && (listAsked || oneOfList))
		return {
			kind: "text",
			text: t(
				lang,
				`I haven't shown you anything to choose from yet. Tell me what you're after (e.g. ${example(persona, lang)}) and I'll show you a few.`,
				`Todavía no te mostré nada para elegir. Dime qué buscas (p. ej. ${example(persona, lang)}) y te muestro algunas opciones.`
			),
			intent: "choose",
			understood: true
		};
	// "Which one is wireless?" asks which of them are, and their names may not tell (every headset may be
	// wireless, one named so): side by side, what each one's details say. "Which one is the leather
	// one?" names one.
	if (state.shown.length > 1 && WHICH_FEATURE.test(s) && !/\b(?:the|el|la) [a-z0-9 -]+ (?:one|uno|una)\b/.test(s) && featureAsked(s).length && !RANKING.test(s.replace(WHICH_FEATURE, " ")))
		return sideBySide(state);
	// "What about lips?" after hair oils, "¿y para los ojos?": another part of the body is another kind of
	// product, searched; no list says "lips" ("None of these mention lip" answered it).
	const area = state.shown.length && !state.awaitingConfirmation ? areaAsked(s) : null;
	if (area) return { kind: "tool", name: "search_products", args: { query: area }, intent: "search" };
	// "And noise cancelling?" after a list: which of them have it, though one's name says so and the
	// others' details may too. "And hoodies?" names a kind, and "and black?" a colour: searches, below.
	const alsoAsked = state.shown.length > 1 && !state.awaitingConfirmation ? AND_FEATURE.exec(s)?.[1] : undefined;
	// A kind said in Spanish ("¿y controles extra?") names a kind as its English does.
	if (alsoAsked && !namesAKind(alsoAsked) && !namesAKind(parseProductQuery(alsoAsked).query ?? "") && featureAsked(s).length && !POLICIES.some(([re]) => re.test(s))) {
		const q = parseProductQuery(alsoAsked);
		if (q.query && Object.keys(q).length === 1) return sideBySide(state);
	}
	// "la de 50", "the leather one": a product of the list named by its price or its own words.
	const named = (listed ? chooseListed(s, listed) : null) ?? chooseByPrice(s, priced);
	const chosen = named !== null ? pick(state.shown, named) : undefined;
	if (chosen) {
		// "The leather ones", plural, asks to see them: only "the leather one" picks it for the cart.
		// "Ok the ClearView 24" after our pick is their pick: a yes that names one of the list.
		const choosing = ADD.test(s) || /\b(one|la de|el de|esa|ese|esta|este)\b/.test(s) || (YES.test(s) && yesNames(s) && !yesAsks(s));
		// "Compare it with the most expensive one": the two side by side, nothing put in the cart.
		if (COMPARE.test(s) && !ADD.test(s)) return sideBySideOf(state, [state.focus, chosen.sku].filter((x): x is string => !!x));
		return choosing && !(DETAILS.test(s) || ((QUESTION.test(s) || yesAsks(s)) && !ADD.test(s)))
			? { kind: "tool", name: "add_to_cart", args: { sku: chosen.sku, ...(state.pendingQty ? { qty: state.pendingQty } : {}), ...variantArgs(s) }, intent: "add_to_cart" }
			: { kind: "tool", name: "get_product", args: { sku: chosen.sku }, intent: "product" };
	}
	// "Which one is 4K?" named it: the named one (above). "Which one has the most RAM?", "compare them": side by side.
	if (state.shown.length > 1 && (WHICH_ONE.test(s) || COMPARE.test(s) || PICK_ASKED.test(s)))
		return sideBySide(state);
	// "Something with a good camera" after a list of phones: theirs, side by side, the biggest named.
	// "What's bigger?" of those shown is which of them, not a search.
	if (state.shown.length > 1 && ([GOOD_ATTRIBUTE, SMALL_ATTRIBUTE].some(r => r.test(s) && !namesOtherThan(s, r)) || rankedAttribute(s)?.bySize || rankedAttribute(s)?.words === LASTING)) return sideBySide(state);
	// With one product shown there is nothing to rank: "which one has the longest battery?" is about it.
	const only = state.shown.length === 1 ? state.shown[0]!.sku : undefined;
	if (only && (state.focus ?? only) === only && WHICH_ONE.test(s) && RANKING.test(s))
		return { kind: "tool", name: "get_product", args: { sku: only }, intent: "product" };
	// "What's new?", "new arrivals", "¿qué novedades tienen?": what the catalog tags as new (they got our usual picks).
	if (NEW_ARRIVALS.test(s) && !state.awaitingConfirmation && parseProductQuery(productWords(s.replace(new RegExp(NEW_ARRIVALS.source, "g"), " "))).query === undefined)
		return { kind: "tool", name: "search_products", args: { query: NEW_TAG }, intent: "search" };
	// "What do you sell?", "I want something nice", "do you sell clothes?": with nothing else said, our picks (a budget kept).
	if (BROWSE.test(s) || CLOTHES.test(s)) {
		const asked = parseProductQuery(productWords(s.replace(new RegExp(BROWSE.source, "g"), " ")));
		if (asked.query === undefined && asked.color === undefined) return { kind: "tool", name: "recommend", args: recommendFilters(asked), intent: "recommend" };
	}
	// "add 2 of those", "I'll take one": an add that names no product adds the one in view, or asks which.
	// "Add 3 in silver" with one in view: its colour, not a search for silver things.
	const addWords = parseProductQuery(s.replace(ADD_IT_ALL, " ").replace(ADD_ALL, " "));
	const countless = parseProductQuery(s.replace(ADD_IT_ALL, " ").replace(ADD_ALL, " ").replace(/\b(?:\d{1,2}|one|two|three|four|five|uno|una|dos|tres|cuatro|cinco)\b/g, " "));
	const onlyItsColour = !!state.focus && /\b(?:in|en)\s+\w+/.test(s) && !!countless.color && Object.keys(countless).every(k => k === "color");
	if ((ADD.test(s) || ADD_IT.test(s)) && (!Object.keys(addWords).length || onlyItsColour)) {
		const target = state.focus ?? (state.shown.length === 1 ? state.shown[0]!.sku : undefined);
		const count = /\b(\d{1,2}|one|two|three|four|five|uno|una|dos|tres|cuatro|cinco)\b/.exec(s)?.[1];
		const qty = count ? (NUMBER_WORDS[count] ?? Number(count)) : 1;
		if (target) return { kind: "tool", name: "add_to_cart", args: { sku: target, ...(qty > 1 ? { qty } : {}), ...variantArgs(s) }, intent: "add_to_cart" };
		if (state.shown.length) return whichOfList(qty, lang);
		return { kind: "text", text: t(lang, `What shall I add? Tell me the product, e.g. ${example(persona, lang)}.`, `¿Qué agrego? Dime el producto, p. ej. ${example(persona, lang)}.`), intent: "choose", understood: true };
	}
	const anchor = state.focus ?? state.cart.items[state.cart.items.length - 1]?.sku;
	if (COMPLEMENT.test(s) && anchor && !namesOtherThan(s, COMPLEMENT))
		return { kind: "tool", name: "recommend", args: { sku: anchor, kind: "complementary" }, intent: "recommend" };
	// "What shoes would go with it?": the product in view looked up first (the reply names it), then those shoes (below).
	if (anchor && wantedToGoWith(s)) return { kind: "tool", name: "get_product", args: { sku: anchor }, intent: "recommend" };
	// "What goes well with a white dress?": that dress looked up first, then what goes with it (below).
	const base = goesWithNamed(s);
	if (base) return { kind: "tool", name: "search_products", args: base, intent: "recommend" };
	// "What goes well with them?" right after a list, nothing in view: which one.
	if (COMPLEMENT.test(s) && !anchor && state.shown.length > 1 && !namesOtherThan(s, COMPLEMENT)) return whichMeant(lang);
	// "Anything else I need?" with nothing chosen or shown: to go with what.
	if (COMPLEMENT.test(s) && !anchor && !state.shown.length && !namesOtherThan(s, COMPLEMENT))
		return {
			kind: "text",
			text: t(lang, `To go with what? Tell me what you're buying or already have (e.g. ${example(persona, lang)}) and I'll suggest what goes with it.`, `¿Para acompañar qué? Dime qué vas a comprar o qué ya tienes (p. ej. ${example(persona, lang)}) y te sugiero qué va con eso.`),
			intent: "recommend",
			understood: true
		};
	// "Which would you recommend, the X or the Y?" compares the two it names (below), not a search for both.
	if (RECOMMEND.test(s) && !(whichOfNamed(s) && comparedNames(s))) {
		// "What moisturiser do you recommend for dry skin?" names what to look for: a search for it.
		const asked = withAge(parseProductQuery(s.replace(new RegExp(RECOMMEND.source, "g"), " ").replace(FOR_SOMEONE_G, " ")), s);
		if (asked.query) return { kind: "tool", name: "search_products", args: asked, intent: "recommend" };
		return picks(asked, s);
	}
	// "Compare the AirBook 13 and the WorkMate 15": each looked up on its own, then side by side.
	const compared = comparedNames(s);
	if (compared) return { kind: "tools", calls: compared.map(query => ({ name: "search_products", args: query })), intent: "product" };
	// "the biker jacket in M and the chelsea boots in 42": each product looked up on its own.
	const parts = compoundAdd(s);
	if (parts) return { kind: "tools", calls: parts.map(p => ({ name: "search_products", args: p.query })), intent: "add_to_cart" };
	// "I need a sofa, a rug and a floor lamp": one at a time, the first first; the reply names the others.
	const kinds = kindsAsked(s);
	if (kinds && !state.awaitingConfirmation) return { kind: "tool", name: "search_products", args: kinds[0]!.query, intent: "search" };
	const forIt = wantedForIt(s);
	if (forIt?.query) {
		const anchor = state.focus ?? state.cart.items[state.cart.items.length - 1]?.sku;
		return anchor ? { kind: "tool", name: "get_product", args: { sku: anchor }, intent: "recommend" } : { kind: "tool", name: "search_products", args: forIt, intent: "search" };
	}
	const swapped = anotherNeed(s, earlier, lang, persona);
	if (swapped) return { kind: "tool", name: "search_products", args: swapped, intent: "search" };
	// "ok add the linen shirt in M": the product's words are what to search; the add and the size come after.
	// "a scarf for my mom": the scarf is what to search; "for my mom" and "gift" name no product.
	const own = withAge(parseProductQuery(productWords(withoutItsUse(s.replace(FOR_SOMEONE_G, " ").replace(NEW_HOME_G, " ")))), s);
	const refines = own.color !== undefined || own.maxPrice !== undefined || own.minPrice !== undefined || own.sort !== undefined;
	const addsWords = own.query !== undefined && (SOMETHING_LIKE.test(s) || THE_WORD_ONES.test(s)) && !FOR_SOMEONE.test(s);
	const query = refines || addsWords ? refine(own, earlier, lang, persona, addsWords) : own;
	const hasProductWords = query.query !== undefined || refines;
	// "Do you have this in XL?" with nothing in view, shown or waiting for a size: what "this" is, asked
	// (the size goes with the product they name next). "I'm usually a medium": noted, and what they're after.
	const nothingInView = !sizing && !state.shown.length && !state.awaitingConfirmation;
	const sizeOfThis = nothingInView && (QUESTION.test(s) || QUESTION.test(s.replace(/^\W*(?:hey|hi|hello|hola|buenas)\W+/, ""))) ? sizeReferenced(s) : null;
	if (sizeOfThis && IT_WORD.test(sizeOfThis.rest) && parseProductQuery(productWords(sizeOfThis.rest)).query === undefined && !aboutThePhoto(message))
		return {
			kind: "text",
			text: t(lang, `Which product would you like in ${canonicalSize(sizeOfThis.size)}? Tell me what it is, e.g. ${example(persona, lang)}.`, `¿Qué producto quieres en ${canonicalSize(sizeOfThis.size)}? Dime cuál, p. ej. ${example(persona, lang)}.`),
			intent: "choose",
			understood: true
		};
	const usual = nothingInView ? USUAL_SIZE.exec(s) : null;
	if (usual && parseProductQuery(productWords(s.replace(USUAL_SIZE_ALL, " ").replace(/\b(?:in|en) (?:women'?s|men'?s|mujer|hombre|dama|caballero)\b/g, " "))).query === undefined)
		return {
			kind: "text",
			text: t(lang, `Got it — size ${canonicalSize(usual[1]!)}. What are you looking for?`, `Anotado — talla ${canonicalSize(usual[1]!)}. ¿Qué te busco?`),
			intent: "choose",
			understood: true
		};
	// "Is there a bigger one?" of the rug whose details listed its sizes: its own biggest, and the
	// choice of size (the reply's list is what "the 200x300" or "the biggest" then picks from).
	const resizing = (own.sort === "size_asc" || own.sort === "size_desc") && own.query === undefined && !state.awaitingConfirmation ? state.sizesShown : null;
	if (state.focus && resizing && resizing.length > 1) {
		const ordered = sizesSmallestFirst(resizing);
		const [end, endEs] = own.sort === "size_desc" ? [`biggest size is ${ordered.at(-1)}`, `más grande es ${ordered.at(-1)}`] : [`smallest size is ${ordered[0]}`, `más pequeño es ${ordered[0]}`];
		return {
			kind: "text",
			text: t(lang, `Its ${end}. Which size would you like? ${ordered.join(", ")}`, `Su tamaño ${endEs}. ¿En qué tamaño lo quieres? ${ordered.join(", ")}`),
			intent: "choose",
			understood: true
		};
	}
	// "A smaller one?" after t-shirts: a smaller size, which the customer knows and we do not.
	if ((own.sort === "size_asc" || own.sort === "size_desc") && own.query === undefined && isGarmentQuery(query.query))
		return {
			kind: "text",
			text: t(
				lang,
				`For clothes and shoes, smaller or bigger is a size: which size do you need? Tell me (e.g. "S" or "40") and I'll make sure the one you choose comes in it.`,
				`En ropa y calzado, más chico o más grande es la talla: ¿qué talla necesitas? Dímela (p. ej. "S" o "40") y me aseguro de que la que elijas venga en ella.`
			),
			intent: "choose",
			understood: true
		};
	// "Anything cheaper?", "is there a bigger one?" while looking at one product: others like it for
	// less, or bigger or more compact than it, not the shop's cheapest or biggest of anything.
	const lookingAt = state.focus ?? (state.shown.length === 1 ? state.shown[0]!.sku : undefined);
	const onlyOrder = own.query === undefined && own.color === undefined && own.minPrice === undefined && own.maxPrice === undefined && own.forAge === undefined;
	if (lookingAt && onlyOrder && !state.awaitingConfirmation && own.sort !== undefined && own.sort !== "price_desc") {
		const than = own.sort === "price_asc" ? { cheaper: true } : { size: own.sort === "size_desc" ? "bigger" : "smaller" };
		return { kind: "tool", name: "recommend", args: { sku: lookingAt, kind: "similar", ...than }, intent: "recommend" };
	}
	// "any deals today?" asks for the promotions; "dresses on sale" is a search (its results show them).
	if (DEALS.test(s) && !hasProductWords) return { kind: "tool", name: "list_promotions", args: {}, intent: "promotions" };
	if (THANKS.test(s) && !hasProductWords)
		return { kind: "text", text: `${t(lang, "You're welcome!", "¡De nada!")} ${persona.signOff[lang]}`, intent: "thanks", understood: true };
	// "I'll be back later": the farewell's own words ("back", "later") are no product.
	if (BYE.test(s) && !refines && parseProductQuery(productWords(s.replace(new RegExp(BYE.source, "g"), " "))).query === undefined)
		return { kind: "text", text: `${t(lang, "Bye for now!", "¡Hasta pronto!")} ${persona.signOff[lang]}`, intent: "goodbye", understood: true };
	// "Hi! I'm moving into a new flat": the news gets an answer (our picks), after the greeting.
	// "Hi! Looking for a gift for my girlfriend": the gift is asked for (our picks, below), not only a hello.
	if (GREETING.test(s) && !hasProductWords && !NEW_HOME.test(s) && !FOR_SOMEONE.test(s) && own.forAge === undefined) return greetingOnly(state, lang, persona);
	// "What can you do?", "huh?", "no entiendo": what this chat is for, said plainly (understood: it
	// answers the question, so a confused customer is not counted as misunderstood twice and handed over).
	if ((HELP_ASKED.test(s) && !hasProductWords) || CONFUSED.test(s))
		return {
			kind: "text",
			text: t(
				lang,
				`I can find products for you (e.g. ${example(persona, lang)}), tell you about them, put them in your cart and place your order, and check on an order. Just tell me what you're after — or say "talk to a person" for someone from our team.`,
				`Puedo buscarte productos (p. ej. ${example(persona, lang)}), contarte sobre ellos, ponerlos en tu carrito y hacer tu pedido, y ver cómo va un pedido. Dime qué buscas — o escribe "hablar con una persona" para alguien de nuestro equipo.`
			),
			intent: "help",
			understood: true
		};
	// "Do you have it in white?" with a product in view: its colours, not the last search again in white.
	const inView = subject ?? (state.shown.length === 1 ? state.shown[0]!.sku : undefined);
	if (own.query === undefined && own.color !== undefined && inView && !aboutThePhoto(message) && (state.colourAnswered || /\b(this|it|that|esto|eso|este|esta|ese|esa|lo|la)\b/.test(s)))
		return { kind: "tool", name: "get_product", args: { sku: inView }, intent: "product" };
	// "Do you have this in blue?" with nothing in view and nothing searched before: what "this" is, asked.
	if (own.query === undefined && own.color !== undefined && query.query === undefined && !subject && !state.shown.length && !aboutThePhoto(message) && /\b(this|it|that|these|those|esto|eso|este|esta|ese|esa)\b/.test(s))
		return {
			kind: "text",
			text: t(lang, `Which product would you like in ${own.color}? Tell me what it is, e.g. ${example(persona, lang)}.`, `¿Qué producto quieres en ese color? Dime cuál, p. ej. ${example(persona, lang)}.`),
			intent: "search",
			understood: true
		};
	// "Something nice for my mom", "a gift under $50": nothing named to search for, so our picks (within the budget).
	if ((FOR_SOMEONE.test(s) || NEW_HOME.test(s) || own.forAge !== undefined) && own.query === undefined) return picks(own, s);
	// "Does the ProBook 16 have a backlit keyboard?": the ProBook 16 looked up; its details answer the rest.
	const productNamed = namedQuestion(s);
	if (productNamed) return { kind: "tool", name: "search_products", args: productNamed.query, intent: "product" };
	// "A dress for a wedding, size M": only what comes in M (tried again without it when nothing does).
	// Not for one product asked for ("add the satin slip dress in XS", "the linen shirt in size S"):
	// the add says it does not come in that size, and which sizes it does.
	// "Quiero unos jeans talla 32" browses; "add the linen shirt in M" names the one.
	const browsing = !/^\W*(?:and |y )?(?:the|el|la) /.test(s) && !(ADD.test(s) && /\b(?:the|el|la|los|las|this|that|ese|esa|este|esta|it|lo)\b/.test(s));
	// "Which laptop has the most RAM?": laptops, ranked on RAM once found; RAM is no word to search,
	// and more of them than a list shows, so the answer is of the shop's laptops, not of five.
	// "Which perfume lasts longest?": a quality the details may mention is no word to search either.
	const ranking = rankingAsked(s);
	const rankedWords = ranking ? new Set(parseProductQuery(ranking).query?.split(" ") ?? []) : null;
	const kindOnly = rankedWords && query.query ? query.query.split(" ").filter(w => !rankedWords.has(w)).join(" ") : "";
	if (kindOnly) return { kind: "tool", name: "search_products", args: { ...query, query: kindOnly, limit: RANKED_MAX }, intent: "search" };
	if (hasProductWords) return { kind: "tool", name: "search_products", args: { ...query, ...(browsing ? searchSize(s) : {}) }, intent: "search" };
	return {
		kind: "text",
		text: t(
			lang,
			`Sorry, I didn't catch that. You can ask me for a product (e.g. ${example(persona, lang)}), your cart, or your order.`,
			`Perdón, no te entendí. Puedes pedirme un producto (p. ej. ${example(persona, lang)}), tu carrito o tu pedido.`
		),
		intent: "unknown",
		understood: false
	};
}

/** What we cannot open (photos, links) is asked about in words. */
function askWhatItIs([en, es]: [string, string], lang: Lang, persona: Persona): Decision {
	return {
		kind: "text",
		text: t(
			lang,
			`I can't open ${en} in this chat, sorry — what is it? Tell me in words (e.g. ${example(persona, lang)}) and I'll find it.`,
			`No puedo abrir ${es} en este chat, perdón — ¿qué es? Dímelo con palabras (p. ej. ${example(persona, lang)}) y te lo busco.`
		),
		intent: "media",
		understood: true
	};
}

/**
 * Which listed product a question about "it" is about. Asked in words of its own (`WHICH_MEANT`), so
 * that the pick answers the question (`questionPicked`) and does not add the product.
 */
function whichMeant(lang: Lang): Decision {
	return {
		kind: "text",
		text: t(lang, `Which one do you mean? Tap it in the list, or say e.g. "the first one".`, `¿Cuál dices? Tócalo en la lista, o dime p. ej. "el primero".`),
		intent: "choose",
		understood: true
	};
}
const WHICH_MEANT = /^(?:Which one do you mean\? Tap it in the list|¿Cuál dices\? Tócalo en la lista)/;

/**
 * The product a pick names ("the second one", "the oversized one", a tap on the list) when the last
 * reply asked which one a question was about: the question is then answered about it.
 */
export function questionPicked(text: string, lastReply: string, state: BrainState, listed: ListedLine[] | null, priced: PricedLine[]): string | undefined {
	if (!WHICH_MEANT.test(lastReply) || state.shown.length < 2) return undefined;
	const tap = /\[tap product:([^\]]+)\]/.exec(text)?.[1];
	if (tap) return tap;
	const s = emojiMeaning(fold(text).trim());
	// "Add the second one" chooses to buy; "and the sofa?" or a longer message says something new.
	if (ADD.test(s) || REMOVE.test(s) || CART.test(s) || s.split(/\s+/).length > 6) return undefined;
	const position = parsePosition(s) ?? (listed ? chooseListed(s, listed) : null) ?? chooseByPrice(s, priced);
	return position === null ? undefined : pick(state.shown, position)?.sku;
}

/** Which listed product an add without one is for; the quantity asked is kept for the answer (`askedQty`). */
/** A size said after a list, before a choice: for the one they choose next. */
function whichInSize(size: string, lang: Lang): Decision {
	return {
		kind: "text",
		text: t(lang, `Which one would you like in ${size}? Tap it in the list, or say e.g. "the first one".`, `¿Cuál quieres en ${size}? Tócalo en la lista, o dime p. ej. "el primero".`),
		intent: "choose",
		understood: true
	};
}

function whichOfList(qty: number, lang: Lang): Decision {
	return {
		kind: "text",
		text:
			qty > 1
				? t(lang, `Which one would you like ${qty} of? Tap it in the list, or say e.g. "the first one".`, `¿De cuál quieres ${qty}? Tócalo en la lista, o dime p. ej. "el primero".`)
				: t(lang, `Which one? Tap it in the list, or say e.g. "the first one".`, `¿Cuál? Tócalo en la lista, o dime p. ej. "el primero".`),
		intent: "choose",
		understood: true
	};
}

function greetingOnly(state: BrainState, lang: Lang, persona: Persona): Decision {
	const text = state.greet
		? persona.greeting[lang]
		: t(lang, `Hi again! ${persona.name} here — what can I find for you?`, `¡Hola de nuevo! Soy ${persona.name} — ¿qué te busco?`);
	return { kind: "text", text, intent: "greeting", understood: true };
}

/** A reply in words the brain is sure of: a "no" to a question the seller asked, or what the chat cannot do. */
const plainly = (text: string, intent: string): Decision => ({ kind: "text", text, intent, understood: true });

const cancelCheckout = (lang: Lang): Decision =>
	plainly(t(lang, "No problem — your cart is saved. Anything else you'd like to look at?", "Sin problema — tu carrito queda guardado. ¿Quieres ver algo más?"), "cancel_checkout");

const alreadyEmpty = (lang: Lang): Decision => ({ kind: "text", text: t(lang, "Your cart is already empty.", "Tu carrito ya está vacío."), intent: "remove_from_cart", understood: true });
const keepOrder = (lang: Lang): Decision =>
	plainly(t(lang, "OK — your order stays as it is. Anything else I can help with?", "Perfecto — tu pedido sigue en pie. ¿Te ayudo con algo más?"), "keep_order");
