/** The numbered list and the cart as the last reply wrote them, and which of their lines a message chooses. */
import { lookupEs, sizeMeasure } from "../../contracts/catalog";
import type { Lang } from "../language";
import type { ChatMessage } from "../runner";
import { parseProductQuery } from "./query";
import { escapeRegExp, FEATURES_ES, fold, NOUNS_ES, singular, STOPWORDS, t } from "./text";
import type { BrainState, Decision, ListedLine, PricedLine, ProductOut } from "./types";
import { lineName } from "./variants";

/** "Which one is lighter?", "¿cuál tiene más batería?": a question about the whole list. */
export const WHICH_ONE = /\b(which (one|of (them|these|those))|which is (the )?(best|better|most [a-z]+|(?!(?:vest|chest|forest|guest|nest|quest|west|test|interest|request)\b)[a-z]{2,}est)\b|cual (de (ellos|ellas|estos|estas|esos|esas) )?(tiene|es|me recomiendas|conviene))\b/;
/** At most this many products side by side: a WhatsApp message, not a spec sheet. */
export const COMPARE_MAX = 5;
/** The products listed side by side: those the last reply compared, when it compared some of the list, else the list. */
export const sideBySide = (state: BrainState): Decision => {
	const some = state.compared ? state.shown.filter(c => state.compared!.includes(c.position)) : [];
	const which = some.length >= 2 ? some : state.shown;
	return { kind: "tools", calls: which.slice(0, COMPARE_MAX).map(c => ({ name: "get_product", args: { sku: c.sku } })), intent: "product" };
};

export function listCart(state: BrainState, lang: Lang): string {
	return state.cart.items.map((i, n) => `${n + 1}. ${lineName(i, lang)} ×${i.qty}`).join(", ");
}

export function productLines(products: ProductOut[], lang: Lang, measured = false): string {
	return products
		.map((p, i) => {
			const promo = p.promotion ? ` → ${p.promotion.priceText} (${p.promotion.percentOff}% off, code ${p.promotion.code})` : "";
			const soldOut = p.stock > 0 ? "" : ` (${t(lang, "sold out", "agotado")})`;
			const size = measured ? sizeMeasure(p.attributes, p.sizes) : null;
			return `${i + 1}. ${p.name} — ${p.priceText}${promo}${soldOut}${size ? ` · ${size.text}` : ""}`;
		})
		.join("\n");
}

/** "2. Black Denim Jacket — $65.00" or "… — $50.00 → $40.00": a product line our replies number. */
const NUMBERED_LINE = /^(\d+)\. (.+?) — (\$[\d,]+\.\d{2})(?: → (\$[\d,]+\.\d{2}))?( \((?:sold out|agotado)\))?/gm;
export const centsOf = (text: string) => Math.round(Number(text.replace(/[$,]/g, "")) * 100);

/**
 * The numbered list of the last reply ("2. Gaming Gift Card $50 — $50.00"), when it is the list the
 * conversation holds as `shown` (same length): the names and prices "la de 50" or "the leather
 * one" choose from. The conversation keeps only the SKUs, so the words come from what was said.
 */
export function listedLines(lastReply: string, shown: number): ListedLine[] | null {
	const lines = [...lastReply.matchAll(NUMBERED_LINE)];
	if (!shown || lines.length !== shown || lines.some((m, i) => Number(m[1]) !== i + 1)) return null;
	return lines.map(m => ({ name: m[2]!, prices: [m[3], m[4]].filter((x): x is string => !!x).map(centsOf) }));
}

/**
 * The reply whose numbered products are in view: the last one when it numbered any (a list, or two
 * of it side by side), else the latest earlier one that numbered as many as are shown ("¿y la más
 * cara?", "the arc or the brass?" after the details of one of them are still about that list).
 */
export function replyInView(history: ChatMessage[], shown: number): string {
	const replies = history.filter(m => m.role === "assistant" && m.content).map(m => m.content ?? "").reverse();
	const numbered = (r: string) => [...r.matchAll(NUMBERED_LINE)].length;
	if (!replies.length || numbered(replies[0]!)) return replies[0] ?? "";
	const earlier = replies.find(r => numbered(r) > 0);
	return earlier && numbered(earlier) === shown ? earlier : "";
}

/** "The arc or the brass?", "compare the leather and the denim": listed products named by their own words. */
export function namedSeveral(s: string, lines: ListedLine[]): number[] | null {
	const parts = s.split(/\s*,\s*|\s+(?:or|and|vs|versus|o|y)\s+/);
	if (parts.length < 2) return null;
	const picks = [...new Set(parts.map(part => chooseListed(part, lines)).filter((n): n is number => n !== null))];
	return picks.length >= 2 ? picks.slice(0, COMPARE_MAX) : null;
}

export function pricedLines(lastReply: string): PricedLine[] {
	return [...lastReply.matchAll(NUMBERED_LINE)].map(m => ({ n: Number(m[1]), price: centsOf((m[4] ?? m[3])!), soldOut: m[5] !== undefined }));
}

/** A price rank that wants the dearer end; any other price rank wants the cheaper. */
export const DEARER = /\b(more expensive|pricier|priciest|most expensive|mas car[oa]s?)\b/;
const PRICE_RANKS = "cheaper|cheapest|less expensive|least expensive|most affordable|more expensive|most expensive|pricier|priciest";
/**
 * A product of a list picked by its price: "I'll go with the cheaper one", "la más barata", and
 * "the cheapest" on its own, the questions "which is cheapest?", "which of them is the most expensive?" (nothing after the
 * rank: "what's the cheapest laptop?" after a list of phones is a new search).
 */
const PRICE_RANKED = new RegExp(
	`\\b(?:(?:the|that)\\s+(${PRICE_RANKS})\\s+(?:one|option)\\b|(?:which|what)(?:\\s+one|\\s+of (?:them|these|those))?(?:\\s+is|'s|s)?\\s+(?:the\\s+)?(${PRICE_RANKS})(?:\\s+(?:one|option|of (?:them|these|those)))?[\\s?.!]*$|(?:la|el)\\s+(?:opcion\\s+)?(mas\\s+(?:barat|econom|car)[a-z]*)\\b|^\\W*(?:ok\\s+|and\\s+|so\\s+|then\\s+)?(?:(?:i'?ll take|i want|give me|get me|add|show me)\\s+)?the\\s+(${PRICE_RANKS})(?:\\s+(?:please|then|of (?:them|these|those)))?[\\s?.!]*$)`
);

/** "low" for the cheapest, "high" for the priciest a message picks by price; null when it does not. */
export function priceRank(s: string): "low" | "high" | null {
	const m = PRICE_RANKED.exec(s);
	const by = m?.[1] ?? m?.[2] ?? m?.[3] ?? m?.[4];
	return by ? (DEARER.test(by) ? "high" : "low") : null;
}

/**
 * The cheapest (or priciest) of the products the last reply numbered, by its number there; null
 * when the message does not choose by price or two tie.
 */
export function chooseByPrice(s: string, lines: PricedLine[]): number | null {
	const rank = priceRank(s);
	if (!rank || lines.length < 2) return null;
	// The cheapest one that can be bought: a sold-out one is not a choice while another is in stock.
	const buyable = lines.some(l => !l.soldOut) ? lines.filter(l => !l.soldOut) : lines;
	const target = rank === "low" ? Math.min(...buyable.map(l => l.price)) : Math.max(...buyable.map(l => l.price));
	const hits = buyable.filter(l => l.price === target);
	return hits.length === 1 ? hits[0]!.n : null;
}

/**
 * The one listed product a message names by its price ("la de 50", "the $25 one") or by words only
 * its name has ("the leather one"); null when none or several fit. A word no listed name has
 * ("wireless headphones" beside a wireless controller) makes it a new search, not a choice.
 */
/** "65W", "65 w", "1TB": a figure and its unit written as one word, however it was spaced. */
const joinUnits = (s: string) => s.replace(/\b(\d+(?:[.,]\d+)?)\s+(w|gb|tb|mah|mm|hz|mp|ml)\b/g, "$1$2");
export function chooseListed(text: string, given: ListedLine[]): number | null {
	const s = joinUnits(fold(text));
	const lines = given.map(l => ({ ...l, name: joinUnits(fold(l.name)) }));
	const unique = (fits: (l: ListedLine) => boolean) => {
		const hits = lines.flatMap((l, i) => (fits(l) ? [i + 1] : []));
		return hits.length === 1 ? hits[0]! : null;
	};
	// "the denim one", "la de 50": the words between name the product, whatever else is asked.
	const marked =
		/\b(?:the|that|this)\s+((?:[a-z0-9$.,'-]+\s+){0,2}?[a-z0-9$.,'-]+)\s+ones?\b/.exec(s)?.[1] ?? /\b(?:la|el|las|los|esa|ese)\s+del?\s+(\$?[a-z0-9.,-]+)/.exec(s)?.[1];
	const query = parseProductQuery(marked ?? s);
	if (!marked && (query.color || query.minPrice !== undefined || query.maxPrice !== undefined || query.sort)) return null;
	for (const m of (marked ?? s).matchAll(/(?<![\w.])\$?\s?(\d{1,6})(?:[.,](\d{2}))?(?![\w.%])/g)) {
		const whole = Number(m[1]);
		const exact = whole * 100 + Number(m[2] ?? 0);
		const byPrice = unique(l => l.prices.some(p => (m[2] ? p === exact : Math.floor(p / 100) === whole)) || new RegExp(`\\$${whole}(?!\\d)`).test(l.name));
		if (byPrice) return byPrice;
		// "the 14" after the ProBook 14 and the ProBook 16: the model number in one name only.
		// Not when the words name something else: "a game for my daughter who's 12" is no pick of the MMO 12-Button Mouse.
		const others = marked ? [] : (query.query?.split(" ") ?? []).filter(w => w !== m[1]);
		const byModel = m[2] ? null : unique(l => fold(l.name).split(/[^a-z0-9]+/).includes(m[1]!) && others.every(w => fold(l.name).split(/[^a-z0-9]+/).map(singular).includes(w)));
		if (byModel) return byModel;
	}
	// A figure with its unit ("65w") names a product; a bare number is a price or a model, read above.
	const words = marked ? marked.split(/\s+/).filter(w => !STOPWORDS.has(w) && !/^\$?\d+(?:[.,]\d+)?$/.test(w)).map(w => singular(lookupEs(NOUNS_ES, w) ?? lookupEs(FEATURES_ES, w) ?? w)) : (query.query?.split(" ") ?? []);
	if (!words.length) return null;
	const nameWords = (l: ListedLine) => fold(l.name).split(/[^a-z0-9]+/).map(singular);
	return unique(l => words.every(w => nameWords(l).includes(w)));
}

export function itemLines(cart: { items: { name: string; size?: string; qty: number; lineTotalText: string }[] }, lang: Lang): string {
	return cart.items.map(i => `• ${lineName(i, lang)} ×${i.qty} — ${i.lineTotalText}`).join("\n");
}

/** A code applied to the cart: what it takes off, and the total after it. */
export type CartPromotion = { code: string; discountText: string; totalText?: string };

/**
 * The cart's lines and total; with a code applied, the subtotal, what the code takes off and the
 * total after it, and a line when the code no longer applies (the cart changed).
 */
export function cartLines(cart: { items: { name: string; qty: number; lineTotalText: string }[]; totalText: string; promotion?: CartPromotion; promotionNotApplied?: { code: string } }, lang: Lang): string {
	const promo = cart.promotion;
	const lines = promo
		? `${itemLines(cart, lang)}\nSubtotal: ${cart.totalText}\n${t(lang, "Discount", "Descuento")} ${promo.code}: −${promo.discountText}\nTotal: ${promo.totalText}`
		: `${itemLines(cart, lang)}\nTotal: ${cart.totalText}`;
	return `${lines}${promotionLost(cart, lang)}`;
}

/** A code that stopped applying (the cart changed): said, on a line of its own; nothing otherwise. */
export function promotionLost(output: { promotionNotApplied?: { code: string } }, lang: Lang): string {
	const lost = output.promotionNotApplied;
	return lost ? `\n${t(lang, `(Code ${lost.code} doesn't apply to this order any more.)`, `(El código ${lost.code} ya no aplica a este pedido.)`)}` : "";
}

/** A reply that put one of those side by side first: "the X's is the biggest", "the X is the cheapest one…", "only the X mentions…". */
const RANKED_FIRST =
	/^(?:The .+? of each — the (.+?)'s is the (?:bigg|small|high|low|long|short)(?:er|est) \(|.+? de cada uno — el (?:mayor|menor) es el de (.+?) \(|The (.+?) is the (?:cheaper|cheapest|pricier|priciest) one you can have now \(|La opción más (?:económica|cara) disponible es (.+?) \(|Only the (.+?) mentions “|Solo (.+?) menciona “|I'd go for the (.+?) \(|Yo elegiría (.+?) \(|In [^:\n]+: the (.+?)(?:, sold out right now)? — side by side:|En [^:\n]+: (.+?)(?:, agotado por ahora)? — lado a lado:)/m;
/** The product such a reply put first, among those shown: what "it" means in the next message. */
export function rankedFirst(lastReply: string, state: BrainState): string | undefined {
	const name = RANKED_FIRST.exec(lastReply)?.slice(1).find(Boolean);
	if (!name) return undefined;
	const line = [...lastReply.matchAll(NUMBERED_LINE)].find(m => m[2] === name);
	return line ? state.shown.find(x => x.position === Number(line[1]))?.sku : undefined;
}

/**
 * The cart lines the last reply said can't be had as they are ("Black Denim Jacket sold out while we
 * were at it", "only 1 of the Black Denim Jacket left now"), with how many are left.
 */
export function unavailableSaid(lastReply: string, cart: BrainState["cart"]["items"]): { sku: string; left: number }[] {
	return [...new Set(cart.map(i => i.sku))].flatMap(sku => {
		const name = escapeRegExp(cart.find(i => i.sku === sku)!.name);
		if (new RegExp(`${name} (?:sold out while we were at it|is sold out now|se agotó)`).test(lastReply)) return [{ sku, left: 0 }];
		const some = new RegExp(`\\b(?:only (\\d+) of the ${name} left now|solo quedan (\\d+) de ${name}\\b)`, "i").exec(lastReply);
		return some ? [{ sku, left: Number(some[1] ?? some[2]) }] : [];
	});
}


const ORDINAL_OF_KIND = /\b(?:the |el |la |los |las )?(first|second|third|fourth|fifth|last|primer[oa]?|segund[oa]|tercer[oa]?|cuart[oa]|quint[oa]|ultim[oa])\s+([a-z]+)\b/;
const ORDINAL_AT: Record<string, number> = { first: 0, primer: 0, primero: 0, primera: 0, second: 1, segundo: 1, segunda: 1, third: 2, tercer: 2, tercero: 2, tercera: 2, fourth: 3, cuarto: 3, cuarta: 3, fifth: 4, quinto: 4, quinta: 4, last: -1, ultimo: -1, ultima: -1 };
/**
 * "The first jacket you showed me", "la segunda chaqueta" when the list in view has no jacket: the name
 * of that jacket on an earlier list of ours (newest first), counted among its jackets; null otherwise.
 * It showed the first of the list in view instead, a pair of boots.
 */
export function earlierListed(text: string, history: ChatMessage[], inView: ListedLine[] | null): string | null {
	const m = ORDINAL_OF_KIND.exec(fold(text));
	if (!m) return null;
	const kind = singular(lookupEs(NOUNS_ES, m[2]!) ?? m[2]!);
	if (kind.length < 3 || STOPWORDS.has(kind) || /^(?:one|ones|uno|una|item|product|option)$/.test(kind)) return null;
	const hasKind = (name: string) => fold(name).split(/[^a-z0-9]+/).map(singular).includes(kind);
	if (!inView || inView.some(l => hasKind(l.name))) return null;
	const replies = history.filter(h => h.role === "assistant" && h.content).map(h => h.content ?? "").reverse();
	for (const reply of replies) {
		const names = [...reply.matchAll(NUMBERED_LINE)].map(l => l[2]!).filter(hasKind);
		if (!names.length) continue;
		const at = ORDINAL_AT[m[1]!] ?? 0;
		return (at < 0 ? names.at(-1) : names[at]) ?? null;
	}
	return null;
}
