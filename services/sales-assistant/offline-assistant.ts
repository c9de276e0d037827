/**
 * The deterministic sales assistant: what a human seller sees beside a conversation when no model
 * is configured (and the fallback when the model fails). Pure: the same conversation data always
 * gives the same summary, replies, objection handling and actions; no clock, no I/O.
 *
 * Suggested actions are data naming the tool the AI seller would call (`tool` + `args`), so the
 * console can show them and the service runs an approved one through the same tools. Their `id`
 * is derived from their content, so a double click approves one action once.
 */
import { createHash } from "node:crypto";
import type { EscalationReason } from "../../contracts/events";
import { cartTotal, orderItemOf, variantLabel } from "../../contracts/conversation";
import { coloursSaid, formatMoney, sameSize, sizesSmallestFirst, type StorePolicies } from "../../contracts/catalog";
import { MAX_LINE_QTY, NUMBER_WORDS, PAYMENT_ASKED, PAYMENT_WORDS } from "../../agents/brain/intents";
import { escapeRegExp, fold, singular } from "../../agents/brain/text";

export type Speaker = "customer" | "ai" | "seller";
export type Sentiment = "negative" | "neutral" | "positive";
/**
 * What a customer's doubt is about; "fit" is a worry about the size ("does it run small?"),
 * "problem" something wrong with what they bought ("the zipper broke").
 */
export const OBJECTION_KINDS = ["price", "shipping", "trust", "fit", "problem"] as const;
export type ObjectionKind = (typeof OBJECTION_KINDS)[number];

export interface AssistantMessage {
	from: Speaker;
	text: string;
	at: number;
}

export interface AssistantCartLine {
	sku: string;
	name: string;
	/** The size chosen, for a product that comes in sizes. */
	size?: string;
	/** The colour chosen, for a product that comes in several. */
	color?: string;
	qty: number;
	/** Minor units. */
	unitPrice: number;
	currency: string;
	category?: string;
	/** A product nobody ships (a gift card's code): a cart of only these needs no address. */
	digital?: boolean;
	/** The sizes its product comes in, when it does: a line without `size` then waits for one. */
	sizes?: string[];
	/** The colours its product comes in, when several: a line without `color` then waits for one. */
	colours?: string[];
}

export interface AssistantProduct {
	sku: string;
	name: string;
	/** Minor units. */
	price: number;
	currency: string;
	category?: string;
	stock?: number;
	/** The sizes it comes in, as the catalog lists them ("M", "42", "200x300 cm"). */
	sizes?: string[];
	/** The colours (or shades) it comes in, when several to choose from, as the catalog writes them. */
	colours?: string[];
	/** What the catalog says of it, in English and in Spanish where it has that. */
	description?: string;
	descriptionEs?: string;
}

export interface AssistantPromotion {
	code: string;
	description: string;
	/** The description in Spanish, for the replies to a customer who writes Spanish. */
	descriptionEs?: string;
	kind: "percent" | "fixed";
	/** Percent for `percent`, minor units for `fixed`. */
	value: number;
	brand?: string;
	category?: string;
	minSubtotal?: number;
	/** Only for a customer's first order: not offered once they have one. */
	firstOrderOnly?: boolean;
}

export interface AssistantInput {
	brand: string;
	/** The customer's WhatsApp id; only its last 4 digits ever appear in the output. */
	waId: string;
	customerName?: string | null;
	reason: EscalationReason;
	detail?: string | null;
	priority?: number;
	/** Oldest first. */
	messages: readonly AssistantMessage[];
	cart: readonly AssistantCartLine[];
	/** Products the AI showed or the customer looked at, most relevant first. */
	products?: readonly AssistantProduct[];
	/** Promotions live for this brand now (the host filters by date). */
	promotions?: readonly AssistantPromotion[];
	/** A promotion code already applied to the cart. */
	appliedPromotion?: string | null;
	/** The SKU of the product the customer was looking at (not in the cart), one of `products`. */
	focus?: string | null;
	/** What an action the seller just approved did, in the customer's words (`action_approved`). */
	done?: string | null;
	/** The brand's stated terms of sale (delivery, returns...), the only ones a reply may quote. */
	policies?: StorePolicies | null;
	/** The human seller's name (the model assistant is told it; the store's join message already named them to the customer). */
	sellerName?: string | null;
	/** The customer's language ("en", "es"): the replies are theirs to read; the guidance stays the seller's. */
	lang?: string | null;
	/** Where an order goes: the address the customer last wrote, or the one the conversation kept. */
	deliverTo?: string | null;
	/** The address the customer last wrote in the conversation, if any (not the one kept from before). */
	addressWritten?: string | null;
	/** The conversation's latest order, as the orders service has it now. */
	order?: { id: string; status: string; deliverTo?: string; /** When it was placed, ms. */ at?: number } | null;
}

export interface EscalationSummary {
	who: string;
	wants: string;
	cart: string;
	cartTotal: number;
	currency: string | null;
	sentiment: Sentiment;
	why: string;
	/** The whole summary in one short paragraph, as the queue shows it. */
	text: string;
}

export interface ObjectionHandling {
	kind: ObjectionKind;
	/** What to do, for the seller's eyes only. */
	guidance: string;
	/** Ready-to-send answers. */
	replies: string[];
}

export type SuggestedAction =
	/** Without `qty`, a `size` or `color` goes on the cart line of that product that waits for it (nothing is added). */
	| { id: string; kind: "add_to_cart"; label: string; tool: "add_to_cart"; args: { sku: string; qty?: number; size?: string; color?: string } }
	| { id: string; kind: "apply_promotion"; label: string; tool: "apply_promotion"; args: { code: string } }
	| {
			id: string;
			kind: "create_order";
			label: string;
			tool: "create_order";
			/** Absent from suggestions kept from before addresses: the order takes the conversation's. */
			args: { items: { sku: string; qty: number; size?: string; color?: string }[]; promoCode?: string; deliverTo?: string };
	  }
	/** The customer's order not yet shipped goes to the address they have just written. */
	| { id: string; kind: "change_address"; label: string; tool: "change_address"; args: { orderId: string; deliverTo: string } };

/** `action_approved`: the seller just ran a suggested action; `done` says what, for the customer. */
export type SuggestionTrigger = "accepted" | "customer_message" | "action_approved";

export interface AssistantOutput {
	summary: EscalationSummary;
	objection: ObjectionHandling | null;
	replies: [string, string, string];
	actions: SuggestedAction[];
}

// ---- lexicons (English, Spanish, Portuguese: the languages our customers write in most) ----------

const NEGATIVE = [
	"angry", "annoyed", "awful", "bad", "cancel", "disappointed", "frustrated", "frustrating", "hate", "horrible",
	"expensive", "never", "refund", "ridiculous", "scam", "slow", "terrible", "useless", "worst", "waiting", "wrong",
	"broke", "broken", "damaged", "defective", "faulty", "torn", "roto", "rota", "defectuoso", "defectuosa",
	"disaster", "nightmare", "unacceptable", "desastre", "pesadilla", "inaceptable",
	"malo", "pésimo", "pesimo", "enojado", "estafa", "horrível", "horrivel", "péssimo", "pessimo", "raiva"
];
const POSITIVE = [
	"amazing", "awesome", "great", "good", "love", "nice", "perfect", "thank", "thanks", "excellent", "happy",
	"gracias", "genial", "perfecto", "obrigado", "obrigada", "ótimo", "otimo", "perfeito"
];
const OBJECTION_CUES: Record<ObjectionKind, readonly string[]> = {
	price: [
		"expensive", "too much", "pricey", "cheaper", "discount", "discounts", "price", "pricing", "cost", "costs", "afford", "budget", "deal",
		"bulk", "wholesale", "percent off",
		"caro", "barato", "descuento", "descuentos", "desconto", "preço", "preco", "precio", "mayoreo", "al por mayor"
	],
	shipping: [
		"shipping", "delivery", "deliver", "arrive", "ship", "postage", "how long", "when will",
		"envío", "envio", "entrega", "frete", "llega", "chega"
	],
	// "Can I talk to a real person?" asks for a person; it doubts nothing.
	trust: [
		"scam", "trust", "legit", "is this real", "is it real", "real store", "real shop", "real company", "fake", "safe", "secure", "guarantee",
		"warranty", "return", "refund", "reviews",
		"estafa", "confiable", "confiável", "confiavel", "garantía", "garantia", "devolución", "devolucao", "devolução", "seguro"
	],
	problem: [
		"broke", "broken", "damaged", "defective", "faulty", "torn", "ripped", "doesn't work", "does not work", "not working", "stopped working",
		"won't turn on", "wrong size", "wrong item", "wrong colour", "wrong color", "never arrived", "hasn't arrived", "missing", "arrived damaged",
		"was a disaster", "fue un desastre",
		"se rompió", "se rompio", "roto", "rota", "dañado", "dañada", "defectuoso", "defectuosa", "no funciona", "no llegó", "no llego", "llegó mal",
		"talla equivocada", "quebrado", "quebrou", "com defeito", "não funciona", "nao funciona", "não chegou"
	],
	fit: [
		"runs small", "runs big", "runs large", "run small", "run big", "true to size", "fit", "fits", "fitting", "sizing", "size chart",
		"too small", "too big", "too tight", "too loose", "what size", "which size", "my size",
		"talla", "tallas", "horma", "queda chico", "queda chica", "queda grande", "me queda", "calce", "tamanho", "veste"
	]
};
/**
 * Order of precedence when one message raises several objections: something wrong with a purchase
 * before anything else (no selling until it is solved), then money, doubt, fit.
 */
const OBJECTION_ORDER: readonly ObjectionKind[] = ["problem", "price", "trust", "fit", "shipping"];
const NEGATORS = new Set(["not", "no", "never", "don't", "dont", "isn't", "isnt", "nunca", "nada", "não", "nao"]);
const BUY_CUES = [
	"buy", "order it", "i'll take", "i will take", "take it", "checkout", "check out", "purchase", "place the order", "go ahead",
	"comprar", "lo compro", "la compro", "me lo llevo", "me la llevo", "lo quiero", "la quiero", "quero", "pedido", "fechar"
];

const REASONS: Record<EscalationReason, string> = {
	frustration: "the customer is frustrated",
	human_requested: "the customer asked for a person",
	complex: "the request is too complex for the AI",
	high_value: "it is a high-value sale",
	model_failure: "the AI could not answer",
	other: "the AI handed it over"
};

const words = (text: string): string[] => text.toLowerCase().normalize("NFC").split(/[^\p{L}\p{N}']+/u).filter(Boolean);

/** A cue of one word matches a whole word; a cue of several words matches as a phrase. */
function hasCue(text: string, cues: readonly string[]): boolean {
	const lower = ` ${words(text).join(" ")} `;
	return cues.some(cue => lower.includes(` ${words(cue).join(" ")} `));
}

/** Positive cues minus negative ones; a cue right after a negator counts the other way ("not happy"). */
function moodCues(text: string): number {
	const list = words(text);
	return list.reduce((sum, w, i) => {
		const value = (POSITIVE.includes(w) ? 1 : 0) - (NEGATIVE.includes(w) ? 1 : 0);
		const negated = NEGATORS.has(list[i - 1] ?? "") || NEGATORS.has(list[i - 2] ?? "");
		return sum + (negated ? -value : value);
	}, 0);
}

/** Every word of `detail` is already in `reason` ("The customer asked for a person."). */
function restates(detail: string, reason: string): boolean {
	const known = new Set(words(reason));
	return words(detail).every(w => known.has(w));
}

export const maskWaId = (waId: string): string => `+•••${waId.replace(/\D/g, "").slice(-4)}`;

const firstName = (name: string | null | undefined): string | null => {
	const first = name?.trim().split(/\s+/)[0];
	return first ? first : null;
};

/** A reply in the customer's language: English unless they wrote Spanish. */
const say = (input: AssistantInput, en: string, es: string) => (input.lang === "es" ? es : en);

const customerMessages = (input: AssistantInput) => input.messages.filter(m => m.from === "customer" && m.text.trim().length > 0);

/**
 * Sentiment of the customer's side: each message scores positive minus negative cues (and `!!`
 * or an all-caps shout counts against); each message weighs three times the one before, so the mood
 * follows the latest words.
 */
export function sentimentOf(messages: readonly AssistantMessage[]): Sentiment {
	const own = messages.filter(m => m.from === "customer").slice(-5);
	let score = 0;
	own.forEach((m, i) => {
		const weight = 3 ** i;
		const letters = m.text.replace(/[^\p{L}]/gu, "");
		const shouting = letters.length >= 6 && letters === letters.toUpperCase() && letters !== letters.toLowerCase();
		const s = moodCues(m.text) - (/!{2,}/.test(m.text) || shouting ? 1 : 0);
		score += s * weight;
	});
	return score < 0 ? "negative" : score > 0 ? "positive" : "neutral";
}

/** Something wrong with a purchase was said: care comes first, and nothing is sold meanwhile. */
const raisesProblem = (said: readonly AssistantMessage[]) => said.some(m => detectObjection(m.text) === "problem");

/** "Is this real leather?" asks what it is made of; "is this real?" doubts the shop. */
const REAL_MATERIAL = /\breal(?=\s+(?:leather|suede|wood|oak|walnut|teak|marble|gold|silver|silk|wool|cashmere|cotton|linen|down|fur|glass|bamboo)\b)/giu;

/** "10% off", "15 % de descuento": a cut of the price asked for in figures. */
const PERCENT_OFF = /\b\d{1,2}\s?%\s?(?:off|de descuento|desconto)\b/giu;

/** The objection the text raises, if any (the first in precedence order). */
export function detectObjection(text: string): ObjectionKind | null {
	// "Can you do 10% off?" haggles over the price, as "discount" does.
	const plain = text.replace(REAL_MATERIAL, "genuine").replace(PERCENT_OFF, " discount ");
	return OBJECTION_ORDER.find(kind => hasCue(plain, OBJECTION_CUES[kind])) ?? null;
}

/** Taking back a wish to buy (folded text). */
const CHANGED_MIND =
	/\b(?:changed my mind|don'?t (?:order|buy|place)|do not (?:order|buy|place)|not (?:buying|ordering) (?:it|anything|now)|hold off|no (?:lo|la|los|las) (?:compro|quiero)|no hagas el pedido|no (?:lo|la) pidas|cambie de opinion|ya no (?:lo |la )?quiero|mejor no)\b/;

export function wantsToBuy(text: string): boolean {
	return hasCue(text, BUY_CUES);
}

/** A question ("is this real leather?", "¿tiene forro?"), not a statement or a request. */
const QUESTION = /\?|^\s*(?:is|are|does|do|can|will|what|which|how|es|son|tiene|tienen|trae|traen|que|cual|como)\b/i;

/**
 * A question about one product (the one it names, else the one in view): its details, for the seller
 * to send as they are — they may answer it, and they are the catalog's words, not a guess.
 */
/** "How do I pay?", "¿cómo pago?": the ways to pay, as the AI seller reads the question, not the product in view. */
const payAsked = (text: string): boolean => PAYMENT_ASKED.test(fold(text));
function paymentReply(input: AssistantInput, last: string): string | null {
	if (!payAsked(last)) return null;
	const methods = input.policies?.payment?.methods ?? [];
	if (!methods.length) return say(input, "Let me check the ways to pay for you — I'll tell you here in a moment.", "Déjame revisar las formas de pago — te cuento por aquí en un momento.");
	const [en, es] = [0, 1].map(i => methods.map(m => PAYMENT_WORDS[m]?.[i] ?? m).join(", "));
	// An order waiting for payment: what it needs is its link.
	const waiting = input.order?.status === "pending";
	return say(
		input,
		`You can pay by ${en}.${waiting ? ` I'll send you the payment link for order ${input.order!.id} here.` : ""}`,
		`Puedes pagar con ${es}.${waiting ? ` Te mando aquí el enlace de pago del pedido ${input.order!.id}.` : ""}`
	);
}

function detailsReply(input: AssistantInput, last: string): string | null {
	// "Can I get a discount?", "how long is delivery?", "how do I pay?" are about the sale, not the product: their own answers.
	const objection = detectObjection(last);
	if (!QUESTION.test(last) || (objection && objection !== "fit") || payAsked(last)) return null;
	const p = productAsked(input);
	const text = p && (input.lang === "es" ? (p.descriptionEs ?? p.description) : p.description);
	if (!p || !text) return null;
	// The details name it themselves ("Waxed Field Jacket: chaqueta…").
	return say(input, `Here's what its details say: ${text}`, `Esto dice su ficha: ${text}`);
}

/** The product's name said, also in the plural ("2 sea salt candles"), or its sku. */
const namesProduct = (text: string, p: { sku: string; name: string }): boolean =>
	hasCue(words(text).map(singular).join(" "), [words(p.name).map(singular).join(" ")]) || text.toUpperCase().includes(p.sku.toUpperCase());

// ---- sizes ---------------------------------------------------------------------------------------

/** A size as a pattern is built from: no spaces, lower case, no "cm" after the figures (the customer may leave it out). */
const sizeKey = (size: string) => size.normalize("NFC").replace(/\s+/g, "").toLowerCase().replace(/(\d)cm$/, "$1");

/**
 * A size stands alone: not inside a word or a figure (the "s" of "shoes", the "42" of "420" or
 * "42.5"), not the "s" of "it's" (straight or curly, as phones type it), not a price nor a percentage.
 */
const SIZE_BEFORE = String.raw`(?<![\p{L}\p{N}])(?<!\p{L}['’])(?<![$€£]\s?)(?<!\d[.,])`;
const SIZE_AFTER = String.raw`(?![\p{L}\p{N}])(?!['’]\p{L})(?!\s?%)(?![.,]\d)`;

function sizePattern(size: string): RegExp {
	const key = sizeKey(size);
	// Spaces may come between figures and letters however the customer types them: "200 x 300", "45mm".
	const runs = (key.match(/\p{N}+|\p{L}+|[^\p{L}\p{N}]+/gu) ?? []).map(escapeRegExp).join(String.raw`\s*`);
	const unit = /\dcm$/i.test(size.replace(/\s+/g, "")) ? String.raw`(?:\s*cm)?` : "";
	return new RegExp(`${SIZE_BEFORE}${runs}${unit}${SIZE_AFTER}`, "iu");
}

/** Which of these sizes a text names, spelled and ordered as the catalog lists them. */
export function sizesNamed(text: string, sizes: readonly string[]): string[] {
	return sizes.filter(s => sizePattern(s).test(text));
}

/** A size as a customer asks for one, whatever the product comes in: a letter size, a figure, a measure. */
const sizeLike = (figures: string) => String.raw`(?:x{0,4}[sml]|${figures}(?:[.,]5)?(?:\s*x\s*\d{2,3})?(?:\s*(?:cm|mm))?)`;
/** "size 44", "talla XL", "número 38". */
const SIZE_AFTER_WORD = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:size|talla|talle|número|numero|medida|tamaño)\s*:?\s*(${sizeLike(String.raw`\d{1,3}`)})${SIZE_AFTER}`, "giu");
/** "… in XL?" at the end of a sentence; elsewhere "in 30" is more likely minutes than a size. */
const SIZE_LAST = new RegExp(String.raw`(?<![\p{L}\p{N}])(?:in|en)\s+(${sizeLike(String.raw`\d{2,3}`)})${SIZE_AFTER}[ \t]*(?:please|pls|por favor)?[ \t]*[.!?]*[ \t]*$`, "gimu");

function sizesAsked(text: string): string[] {
	const raw = [...text.matchAll(SIZE_AFTER_WORD), ...text.matchAll(SIZE_LAST)].map(m => m[1]!.replace(/\s+/g, " ").trim());
	return [...new Set(raw.map(s => (/^[xsml]+$/i.test(s) ? s.toUpperCase() : s)))];
}

interface ChoiceWords {
	/** The product's own sizes (or colours) the customer named. */
	named: string[];
	/** Sizes (or colours) the customer asked for that the product does not come in (only when they named none of its own). */
	lacking: string[];
}

/**
 * What the customer said about one product, from their latest message naming it on: a size or a
 * colour said earlier was about something else. Not named by them (the AI put it in the cart),
 * their last few messages. The product's own name and SKU say nothing about its size or colour
 * ("Retro '90 Runner", "FA-0042", "Black Forest Candle").
 */
function messagesAbout(said: readonly AssistantMessage[], p: { sku: string; name: string }): string[] {
	let from = Math.max(0, said.length - 3);
	for (let i = said.length - 1; i >= 0; i--)
		if (namesProduct(said[i]!.text, p)) {
			from = i;
			break;
		}
	return said.slice(from).map(m =>
		m.text.replace(new RegExp(escapeRegExp(p.name).replace(/\s+/g, String.raw`\s+`), "giu"), " ").replace(new RegExp(escapeRegExp(p.sku), "gi"), " ")
	);
}

const wordsAbout = (said: readonly AssistantMessage[], p: { sku: string; name: string }): string => messagesAbout(said, p).join("\n");

/** A letter size written as one ("let's do L", "XL please"): capitals only, a lone "s" or "m" is too often something else. */
const LETTER_SIZE = new RegExp(`${SIZE_BEFORE}(X{0,3}[SML])${SIZE_AFTER}`, "gu");
const isLetterSize = (size: string) => /^x{0,3}[sml]$/i.test(size.trim());
/** Words about how it fits ("does it run small?", "¿me queda grande?"), not about which size. */
const FIT_WORDS = /\b(?:runs?|running)\s+(?:small|big|large)\b|\btrue to size\b|\bfits?\b|\btight\b|\bloose\b|\bqueda\b|\bhorma\b|\bcalce\b/iu;
const asksAboutFit = (text: string) => text.includes("?") && FIT_WORDS.test(text);

/**
 * The size the customer chose: the latest of their messages that says one decides ("M" and then
 * "let's do L" is L). A size said while asking about the fit ("I usually wear M, does it run
 * small?") chooses nothing yet.
 */
function sizeWords(said: readonly AssistantMessage[], p: { sku: string; name: string; sizes: readonly string[] }): ChoiceWords {
	const lettered = p.sizes.some(isLetterSize);
	const texts = messagesAbout(said, p);
	for (let i = texts.length - 1; i >= 0; i--) {
		const text = texts[i]!;
		if (asksAboutFit(text)) continue;
		const named = sizesNamed(text, p.sizes);
		const asked = [...sizesAsked(text), ...(lettered ? [...text.matchAll(LETTER_SIZE)].map(m => m[1]!) : [])];
		const lacking = named.length ? [] : [...new Set(asked)].filter(a => !p.sizes.some(s => sameSize(s, a)));
		if (named.length || lacking.length) return { named, lacking };
	}
	return { named: [], lacking: [] };
}

const colourWords = (said: readonly AssistantMessage[], p: { sku: string; name: string; colours: readonly string[] }): ChoiceWords =>
	coloursSaid(wordsAbout(said, p), p.colours);

/** The sizes a cart line's product comes in: from the line, else from the products we were given. */
const lineSizes = (input: AssistantInput, l: AssistantCartLine): readonly string[] =>
	l.sizes ?? input.products?.find(p => p.sku === l.sku)?.sizes ?? [];

/** The colours a cart line's product comes in (when several), found as its sizes are. */
const lineColours = (input: AssistantInput, l: AssistantCartLine): readonly string[] =>
	l.colours ?? input.products?.find(p => p.sku === l.sku)?.colours ?? [];

/** What a product's add must name: one of its sizes, one of its colours when it has several. */
const choicesOf = (p: AssistantProduct): { sizes: readonly string[]; colours: readonly string[] } => ({
	sizes: p.sizes ?? [],
	colours: p.colours && p.colours.length > 1 ? p.colours : []
});

/** A line of a product that comes in sizes, with none chosen: no order until it has one. */
export const waitsForSize = (input: AssistantInput, l: AssistantCartLine): boolean => !l.size && lineSizes(input, l).length > 0;

/** A line of a product that comes in several colours, with none chosen: no order until it has one. */
export const waitsForColour = (input: AssistantInput, l: AssistantCartLine): boolean => !l.color && lineColours(input, l).length > 1;

/** A line still missing a choice its order needs (a size, or a colour of several). */
export const waitsForChoice = (input: AssistantInput, l: AssistantCartLine): boolean => waitsForSize(input, l) || waitsForColour(input, l);

/** Products the customer named (by name or SKU) that are in stock and not in the cart yet, most relevant first. */
function productsWanted(input: AssistantInput, said: readonly AssistantMessage[]): AssistantProduct[] {
	// What they asked for before their latest order went into it: only words since then want more.
	// WhatsApp stamps messages to the second: one in the order's second counts as after it.
	const since = input.order?.at === undefined ? undefined : Math.floor(input.order.at / 1000) * 1000;
	const text = (since === undefined ? said : said.filter(m => m.at >= since)).map(m => m.text).join("\n");
	const inCart = new Set(input.cart.map(l => l.sku));
	return (input.products ?? []).filter(p => !inCart.has(p.sku) && !(p.stock !== undefined && p.stock <= 0) && namesProduct(text, p));
}

/**
 * The reply a missing choice calls for, or null. A cart line waiting for its size or colour holds
 * the order back, so it is asked about first; then a product the customer wants that cannot be
 * added without one. The size is asked before the colour, as the AI seller asks them.
 */
export function choiceQuestion(input: AssistantInput): string | null {
	const said = customerMessages(input);
	const open = [
		...input.cart
			.filter(l => waitsForChoice(input, l))
			.map(l => ({ sku: l.sku, name: l.name, sizes: waitsForSize(input, l) ? lineSizes(input, l) : [], colours: waitsForColour(input, l) ? lineColours(input, l) : [] })),
		...productsWanted(input, said).map(p => ({ sku: p.sku, name: p.name, ...choicesOf(p) }))
	];
	for (const p of open) {
		// Exactly one named: the add (or the customer's answer) needs no question.
		const size = p.sizes.length ? sizeWords(said, p) : null;
		const colour = p.colours.length ? colourWords(said, p) : null;
		const ask = size && size.named.length !== 1 ? { of: size, list: p.sizes } : colour && colour.named.length !== 1 ? { of: colour, list: p.colours } : null;
		if (!ask) continue;
		const list = ask.list.join(", ");
		if (ask.of.lacking.length)
			return say(
				input,
				`The ${p.name} doesn't come in ${ask.of.lacking.join(" or ")}; it comes in ${list}. Which one would you like?`,
				`${p.name} no viene en ${ask.of.lacking.join(" ni en ")}; viene en ${list}. ¿Cuál prefieres?`
			);
		// The AI seller reads the answer to these words when the conversation is handed back to it.
		if (ask.of === colour) return say(input, `Which colour would you like in the ${p.name}? ${list}`, `¿En qué color quieres ${p.name}? ${list}`);
		// "Talla" is for clothes and shoes; a rug or a duvet has a "tamaño".
		const word = p.sizes.every(s => /^(?:x{0,4}[sml]|\d{2}(?:[.,]5)?)$/i.test(s.trim())) ? "talla" : "tamaño";
		return say(input, `Which size would you like in the ${p.name}? ${list}`, `¿En qué ${word} quieres ${p.name}? ${list}`);
	}
	return null;
}


/** The discount a promotion gives this cart now, in minor units (0 when it does not apply). */
export function promotionSavings(promo: AssistantPromotion, cart: readonly AssistantCartLine[], brand: string): number {
	if (promo.brand && promo.brand !== brand) return 0;
	const eligible = promo.category ? cart.filter(l => l.category === promo.category) : cart;
	const subtotal = cartTotal(eligible);
	if (subtotal === 0 || (promo.minSubtotal !== undefined && subtotal < promo.minSubtotal)) return 0;
	const off = promo.kind === "percent" ? Math.round((subtotal * promo.value) / 100) : promo.value;
	return Math.min(off, subtotal);
}

/** The promotion that saves most on this cart, ties to the alphabetically first code. */
export function bestPromotion(input: AssistantInput): { promo: AssistantPromotion; savings: number } | null {
	let best: { promo: AssistantPromotion; savings: number } | null = null;
	// An order of theirs that stands (placed here or not cancelled) rules out a first-order code.
	const ordered = input.order != null && input.order.status !== "cancelled";
	for (const promo of [...(input.promotions ?? [])].sort((a, b) => a.code.localeCompare(b.code))) {
		if (promo.firstOrderOnly && ordered) continue;
		const savings = promotionSavings(promo, input.cart, input.brand);
		if (savings > 0 && (!best || savings > best.savings)) best = { promo, savings };
	}
	return best;
}

/** The product the customer was looking at, when we were told which. */
const viewedProduct = (input: AssistantInput): AssistantProduct | undefined =>
	input.focus ? input.products?.find(p => p.sku === input.focus) : undefined;

/** The product the customer's last message names ("10% off if I buy 3 ProBook 14?"), else the one in view. */
const productAsked = (input: AssistantInput): AssistantProduct | undefined => {
	const last = customerMessages(input).at(-1)?.text ?? "";
	return (input.products ?? []).find(p => namesProduct(last, p)) ?? viewedProduct(input);
};

const lineOf = (p: AssistantProduct): AssistantCartLine => ({
	sku: p.sku,
	name: p.name,
	qty: 1,
	unitPrice: p.price,
	currency: p.currency,
	...(p.category ? { category: p.category } : {})
});

/**
 * The promotion worth offering: the one saving most on the cart, or with an empty cart on the
 * product the customer was looking at (`on`): "can I get a discount?" is often asked before adding.
 */
function promotionToOffer(input: AssistantInput): { promo: AssistantPromotion; savings: number; on: AssistantProduct | null } | null {
	if (input.appliedPromotion) return null;
	if (input.cart.length > 0) {
		const best = bestPromotion(input);
		return best && { ...best, on: null };
	}
	const viewed = productAsked(input);
	const best = viewed ? bestPromotion({ ...input, cart: [lineOf(viewed)] }) : null;
	return best && { ...best, on: viewed! };
}

const clip = (text: string, max: number): string => {
	const flat = text.replace(/\s+/g, " ").trim();
	return flat.length <= max ? flat : `${flat.slice(0, max - 1).trimEnd()}…`;
};

export function summarize(input: AssistantInput): EscalationSummary {
	const name = input.customerName?.trim() || "Customer";
	const who = `${name} (${maskWaId(input.waId)})`;
	const said = customerMessages(input);
	const last = said.at(-1);
	const topics = [...new Set(said.map(m => detectObjection(m.text)).filter((k): k is ObjectionKind => k !== null))];
	const allText = said.map(m => m.text).join("\n");
	const product = (input.products ?? []).find(p => namesProduct(allText, p));
	const viewed = viewedProduct(input);
	let wants = last ? `last said: "${clip(last.text, 120)}"` : "has not said anything yet";
	if (said.some(m => wantsToBuy(m.text)) && input.cart.length > 0) wants = `wants to buy; ${wants}`;
	else if (product) wants = `asked about ${product.name}; ${wants}`;
	else if (viewed) wants = `was looking at ${viewed.name} (${formatMoney(viewed.price, viewed.currency)}); ${wants}`;
	if (topics.length > 0) wants += ` (concerns: ${topics.join(", ")})`;
	const currency = input.cart[0]?.currency ?? null;
	const total = cartTotal(input.cart);
	const cart =
		input.cart.length === 0
			? "empty"
			: `${input.cart.map(l => `${l.qty}× ${l.name}${variantLabel(l) ? ` (${variantLabel(l)})` : ""}`).join(", ")} = ${formatMoney(total, currency!)}`;
	const sentiment = sentimentOf(input.messages);
	const detail = input.detail?.trim();
	// "asked for a person" after "the customer asked for a person" says nothing new.
	// "The AI handed it over" says nothing a seller can use: what it said about why does, or the problem reported.
	const reason = input.reason === "other" && topics.includes("problem") ? "the customer reports a problem with a purchase" : REASONS[input.reason];
	const why =
		input.reason === "other" && detail
			? clip(detail.charAt(0).toLowerCase() + detail.slice(1), 160)
			: detail && !restates(detail, reason)
				? `${reason}: ${clip(detail, 160)}`
				: reason;
	const text = `${who} ${wants}. Cart: ${cart}. Mood: ${sentiment}. Escalated because ${why}.`;
	return { who, wants, cart, cartTotal: total, currency, sentiment, why, text };
}

export function handleObjection(kind: ObjectionKind, input: AssistantInput): ObjectionHandling {
	const currency = input.cart[0]?.currency ?? input.products?.[0]?.currency ?? "USD";
	switch (kind) {
		case "price": {
			const best = promotionToOffer(input);
			const inCart = new Set(input.cart.map(l => l.sku));
			const viewed = productAsked(input);
			// With an empty cart, the product they name or were looking at is the one they find dear.
			const dearest = [...input.cart].sort((a, b) => b.unitPrice - a.unitPrice)[0] ?? (viewed ? lineOf(viewed) : undefined);
			const cheaper = dearest
				? (input.products ?? []).find(
						p =>
							!inCart.has(p.sku) &&
							p.sku !== dearest.sku &&
							p.price < dearest.unitPrice &&
							(!dearest.category || p.category === dearest.category) &&
							(p.stock ?? 1) > 0
					)
				: undefined;
			const replies: string[] = [];
			if (best?.on) {
				const price = formatMoney(best.on.price - best.savings, best.on.currency);
				const was = formatMoney(best.on.price, best.on.currency);
				replies.push(
					say(
						input,
						`Good news: with the code ${best.promo.code} (${best.promo.description}), the ${best.on.name} comes to ${price} instead of ${was}.`,
						`Buenas noticias: con el código ${best.promo.code} (${best.promo.descriptionEs ?? best.promo.description}), ${best.on.name} te queda en ${price} en lugar de ${was}.`
					)
				);
			} else if (best)
				replies.push(
					say(
						input,
						`Good news: with the code ${best.promo.code} (${best.promo.description}) you save ${formatMoney(best.savings, currency)} on this order.`,
						`Buenas noticias: con el código ${best.promo.code} (${best.promo.descriptionEs ?? best.promo.description}) ahorras ${formatMoney(best.savings, currency)} en este pedido.`
					)
				);
			if (cheaper && dearest)
				replies.push(
					say(
						input,
						`If you'd like something lighter on the budget, ${cheaper.name} is ${formatMoney(cheaper.price, cheaper.currency)} instead of ${formatMoney(dearest.unitPrice, dearest.currency)}.`,
						`Si prefieres algo más económico, ${cheaper.name} cuesta ${formatMoney(cheaper.price, cheaper.currency)} en lugar de ${formatMoney(dearest.unitPrice, dearest.currency)}.`
					)
				);
			replies.push(
				say(input, "I understand. What matters most to you here, so I can find the best value for your budget?", "Te entiendo. ¿Qué es lo más importante para ti, así te busco la mejor opción para tu presupuesto?")
			);
			return {
				kind,
				guidance: best
					? `Offer ${best.promo.code}: it saves ${formatMoney(best.savings, currency)} on ${best.on ? `the ${best.on.name}, once in the cart` : "this cart"}.`
					: cheaper
						? `No promotion applies; suggest ${cheaper.name} as a cheaper alternative.`
						: "No promotion applies; stress quality and value, ask about their budget.",
				replies
			};
		}
		case "shipping": {
			const delivery = input.policies?.delivery;
			const span = delivery ? (delivery.minDays === delivery.maxDays ? `${delivery.minDays}` : `${delivery.minDays}–${delivery.maxDays}`) : null;
			const replies: string[] = [];
			// Orders carry no delivery charge: with the time stated, so is the price of delivery.
			if (span)
				replies.push(
					say(
						input,
						`Orders arrive in ${span} business days, delivery included, and you get a tracking number as soon as it ships.`,
						`Los pedidos llegan en ${span} días hábiles, con el envío incluido, y te llega el número de seguimiento en cuanto sale.`
					)
				);
			replies.push(say(input, "I'll follow your order personally and send you the tracking link here on WhatsApp.", "Sigo tu pedido personalmente y te mando el enlace de seguimiento por aquí, por WhatsApp."));
			return {
				kind,
				guidance: span ? `Give the delivery time (${span} business days, no delivery charge) and promise the tracking link.` : "The store states no delivery time: don't promise one; promise the tracking link.",
				replies
			};
		}
		case "fit": {
			const returns = input.policies?.returns;
			const sized = input.cart.find(l => l.sizes?.length) ?? (input.products ?? []).find(p => p.sizes?.length);
			const chosen = sized && "size" in sized && sized.size ? sized.size : null;
			const replies: string[] = [];
			if (sized?.sizes)
				replies.push(
					say(
						input,
						`The ${sized.name} comes in ${sizesSmallestFirst(sized.sizes).join(", ")}${chosen ? `, and you picked ${chosen}` : ""}. What size do you usually wear? I'll help you choose.`,
						`${sized.name} viene en ${sizesSmallestFirst(sized.sizes).join(", ")}${chosen ? `, y elegiste ${chosen}` : ""}. ¿Qué talla usas normalmente? Te ayudo a elegir.`
					)
				);
			if (returns && returns.days > 0)
				replies.push(
					say(
						input,
						`If the size isn't right, you can send it back within ${returns.days} days of delivery, and I'll arrange it with you.`,
						`Si la talla no te queda bien, puedes devolverlo dentro de ${returns.days} días desde la entrega, y lo gestiono contigo.`
					)
				);
			replies.push(say(input, "Tell me your usual size and how you like things to fit, and I'll tell you which one I'd pick.", "Dime tu talla habitual y cómo te gusta que quede, y te digo cuál elegiría."));
			return {
				kind,
				guidance: `A worry about the size: give the sizes it comes in${returns && returns.days > 0 ? ` and the ${returns.days}-day returns` : ""}, ask their usual size; don't promise how it fits unless you know.`,
				replies
			};
		}
		case "problem": {
			const { returns, warranty } = input.policies ?? {};
			const replies = [
				say(
					input,
					"I'm really sorry about that. Could you send me your order number and a photo of the problem? I'll sort it out with you right away.",
					"Lo siento mucho. ¿Me envías tu número de pedido y una foto del problema? Lo resuelvo contigo enseguida."
				)
			];
			if (warranty && warranty.months > 0) {
				const years = warranty.months % 12 === 0 ? warranty.months / 12 : null;
				replies.push(
					say(
						input,
						`Everything we sell has a ${years ? `${years}-year` : `${warranty.months}-month`} warranty, so we'll make this right.`,
						`Todo lo que vendemos tiene ${years ? `${years} año${years === 1 ? "" : "s"}` : `${warranty.months} meses`} de garantía, así que lo vamos a solucionar.`
					)
				);
			}
			if (returns && returns.days > 0)
				replies.push(
					say(
						input,
						`If you'd rather send it back, you can return it within ${returns.days} days of delivery, and I'll arrange it with you.`,
						`Si prefieres devolverlo, puedes hacerlo dentro de ${returns.days} días desde la entrega, y lo gestiono contigo.`
					)
				);
			return {
				kind,
				guidance: `Something is wrong with a purchase: apologise, ask for the order number and a photo${warranty && warranty.months > 0 ? `, and offer the ${warranty.months}-month warranty` : ""}${returns && returns.days > 0 ? ` or the ${returns.days}-day returns` : ""}. Don't sell until it is solved.`,
				replies
			};
		}
		case "trust": {
			const returns = input.policies?.returns;
			return {
				kind,
				guidance: "Reassure: secure payment, order tracking, returns; offer to stay with them until the order is confirmed.",
				replies: [
					say(input, "You're talking to a real person from our team, and I'll stay with you until your order is confirmed.", "Hablas con una persona de nuestro equipo, y me quedo contigo hasta que tu pedido esté confirmado."),
					say(input, "Payment goes through a secure checkout, and you get an order number and tracking for every step.", "El pago es por un checkout seguro, y recibes un número de pedido y seguimiento en cada paso."),
					returns && returns.days > 0
						? say(
								input,
								`If anything isn't right, you can send it back within ${returns.days} days of delivery, and I'll arrange it with you.`,
								`Si algo no está bien, puedes devolverlo dentro de ${returns.days} días desde la entrega, y lo gestiono contigo.`
							)
						: say(input, "If anything isn't right when it arrives, tell me here and I'll sort it out with you.", "Si algo no está bien cuando llegue, dímelo por aquí y lo resolvemos juntos.")
				]
			};
		}
	}
}

/**
 * A cart line waiting for its size or colour that the customer has now named: one click sets it.
 * The line's own size goes with a colour, so the tool finds that line among the product's others.
 */
export function choiceSettings(input: AssistantInput, said: readonly AssistantMessage[] = customerMessages(input)): SuggestedAction[] {
	return input.cart.flatMap(l => {
		const size = waitsForSize(input, l) ? sizeWords(said, { sku: l.sku, name: l.name, sizes: lineSizes(input, l) }).named : [];
		const colour = waitsForColour(input, l) ? colourWords(said, { sku: l.sku, name: l.name, colours: lineColours(input, l) }).named : [];
		if (size.length !== 1 && colour.length !== 1) return [];
		const chosen = { ...(size.length === 1 ? { size: size[0]! } : {}), ...(colour.length === 1 ? { color: colour[0]! } : {}) };
		const args = { sku: l.sku, ...(l.size ? { size: l.size } : {}), ...chosen };
		const what = [chosen.size && `size ${chosen.size}`, chosen.color && `colour ${chosen.color}`].filter(Boolean).join(" and ");
		return [{ id: actionId("add_to_cart", args), kind: "add_to_cart" as const, tool: "add_to_cart" as const, label: `Set ${what} on ${l.name} in the cart`, args }];
	});
}

/** Derived from the content, so the same suggestion always has the same id. */
export const actionId = (kind: string, args: unknown): string =>
	`${kind}:${createHash("sha256").update(JSON.stringify(args)).digest("hex").slice(0, 12)}`;

/**
 * How many of a product the customer asked for: a count right before a word of its name ("2 Sea
 * Salt Candles please", "quiero tres velas sea salt"), latest message first; 1 when none is said.
 */
function countOf(said: readonly AssistantMessage[], name: string): number {
	const named = new Set(fold(name).split(/[^a-z0-9]+/).filter(w => w.length > 2).map(singular));
	for (const m of [...said].reverse()) {
		const words = fold(m.text).split(/[^a-z0-9]+/).filter(Boolean);
		for (let i = 0; i < words.length - 1; i++) {
			const n = NUMBER_WORDS[words[i]!] ?? (/^\d{1,2}$/.test(words[i]!) ? Number(words[i]) : 0);
			if (n > 1 && n <= MAX_LINE_QTY && words.slice(i + 1, i + 4).some(w => named.has(singular(w)))) return n;
		}
	}
	return 1;
}

export function suggestActions(input: AssistantInput): SuggestedAction[] {
	const actions: SuggestedAction[] = [];
	const said = customerMessages(input);
	// A complaint about a purchase is not a sale: the product it names is not to be added again.
	if (raisesProblem(said)) return actions;
	// "42" after "which size?", "black" after "which colour?": the choice goes on the line that waits
	// for it, and the order can follow.
	actions.push(...choiceSettings(input, said));
	for (const p of productsWanted(input, said)) {
		// Without exactly one of its sizes, and one of its colours, named there is nothing to add yet:
		// the replies ask which.
		const { sizes, colours } = choicesOf(p);
		const size = sizes.length ? sizeWords(said, { ...p, sizes }).named : [];
		const colour = colours.length ? colourWords(said, { ...p, colours }).named : [];
		if ((sizes.length && size.length !== 1) || (colours.length && colour.length !== 1)) continue;
		const qty = countOf(said, p.name);
		const args = { sku: p.sku, qty, ...(size.length ? { size: size[0]! } : {}), ...(colour.length ? { color: colour[0]! } : {}) };
		const variant = variantLabel(args);
		actions.push({
			id: actionId("add_to_cart", args),
			kind: "add_to_cart",
			tool: "add_to_cart",
			label: `Add ${qty > 1 ? `${qty}× ` : ""}${p.name} (${variant ? `${variant}, ` : ""}${formatMoney(p.price, p.currency)}${qty > 1 ? " each" : ""}) to the cart`,
			args
		});
	}
	const best = input.appliedPromotion ? null : bestPromotion(input);
	if (best) {
		const args = { code: best.promo.code };
		actions.push({
			id: actionId("apply_promotion", args),
			kind: "apply_promotion",
			tool: "apply_promotion",
			label: `Apply ${best.promo.code} (saves ${formatMoney(best.savings, input.cart[0]!.currency)})`,
			args
		});
	}
	const lastWords = said.at(-1)?.text ?? "";
	actions.push(...addressChange(input));
	// An order with a size or colour missing would ship without it, and one with no address would not
	// ship at all: the replies ask for them first.
	// "Wait, don't order anything, I changed my mind" after "I'll take it": no order to approve.
	const lastIndex = (test: (text: string) => boolean) => said.reduce((at, m, i) => (test(m.text) ? i : at), -1);
	const lastBuy = lastIndex(wantsToBuy);
	const backedOut = lastIndex(text => CHANGED_MIND.test(fold(text))) > lastBuy;
	if (input.cart.length > 0 && (input.deliverTo || digitalOnly(input)) && !input.cart.some(l => waitsForChoice(input, l)) && !backedOut && (wantsToBuy(lastWords) || lastBuy >= 0)) {
		const promoCode = input.appliedPromotion ?? best?.promo.code;
		const args = { items: input.cart.map(orderItemOf), ...(promoCode ? { promoCode } : {}), ...(input.deliverTo ? { deliverTo: input.deliverTo } : {}) };
		actions.push({ id: actionId("create_order", args), kind: "create_order", tool: "create_order", label: orderLabel(input, promoCode), args });
	}
	return actions;
}

/**
 * A new address for an order that has not shipped: the order goes there instead (the customer wrote
 * it after ordering, so it is not the one the order has). Read from their words, not judged, so the
 * model assistant's suggestions carry it too.
 */
export function addressChange(input: AssistantInput): SuggestedAction[] {
	const order = input.order;
	if (!order || (order.status !== "pending" && order.status !== "confirmed") || !input.addressWritten || input.addressWritten === order.deliverTo) return [];
	const args = { orderId: order.id, deliverTo: input.addressWritten };
	return [{ id: actionId("change_address", args), kind: "change_address", tool: "change_address", label: `Send order ${order.id} to ${input.addressWritten}`, args }];
}

/** What the seller reads on the order button: what goes, with which code, and where. */
/** A cart of gift-card codes and the like: nothing in it ships. */
export const digitalOnly = (input: Pick<AssistantInput, "cart">): boolean => input.cart.length > 0 && input.cart.every(l => l.digital === true);

export function orderLabel(input: Pick<AssistantInput, "cart" | "deliverTo">, promoCode: string | undefined): string {
	const count = input.cart.reduce((n, l) => n + l.qty, 0);
	return `Create the order (${count} item${count === 1 ? "" : "s"}${promoCode ? `, ${promoCode}` : ""}) ${input.deliverTo ? `to ${input.deliverTo}` : "as a digital code"}`;
}

/** How a seller who was asked about it takes the topic up. */
const TOPIC: Record<Exclude<ObjectionKind, "problem">, { en: string; es: string }> = {
	price: { en: "let's find the best price for you.", es: "busquemos el mejor precio para ti." },
	shipping: { en: "I'll tell you all about delivery.", es: "te cuento todo sobre el envío." },
	trust: { en: "ask me anything about us.", es: "pregúntame lo que quieras sobre nosotros." },
	fit: { en: "let's find the right size for you.", es: "busquemos la talla correcta para ti." }
};

/**
 * Three replies the seller can send as they are: a greeting when they accept, otherwise answers to
 * the customer's last message (objection handling first, then the next step of the sale).
 */
export function suggestReplies(input: AssistantInput, trigger: SuggestionTrigger): [string, string, string] {
	const customer = firstName(input.customerName);
	const said = customerMessages(input);
	const last = said.at(-1)?.text ?? "";
	const candidates: string[] = [];
	// Something wrong with a purchase: care first, no selling (sizes, adds, codes, orders) meanwhile.
	const problem = raisesProblem(said);
	const choosing = problem ? null : choiceQuestion(input);
	if (trigger === "accepted") {
		// The customer has just read who joined (the store sends it on acceptance): the seller's first
		// words pick the conversation up, they don't introduce themselves again.
		// What they asked a person about ("questions about sizing"), or the pricing of a large order the AI
		// handed over, is what the seller takes up.
		const asked = detectObjection(last);
		const to = (en: string, es: string) => (customer ? say(input, `${customer}, ${en}`, `${customer}, ${es}`) : say(input, en.charAt(0).toUpperCase() + en.slice(1), es.charAt(0).toUpperCase() + es.slice(1)));
		const opening =
			input.reason === "frustration" || problem
				? to("I'm sorry for the trouble — I've read the conversation and I'll sort this out with you now.", "siento las molestias — ya leí la conversación y lo resolvemos ahora mismo.")
				: input.reason === "human_requested" || (asked === "price" && input.reason === "high_value")
					? asked && asked !== "problem"
						? to(`I've read the conversation — ${TOPIC[asked].en}`, `ya leí la conversación — ${TOPIC[asked].es}`)
						: to("I've read the conversation so far. What can I do for you?", "ya leí la conversación. ¿En qué te ayudo?")
					: to("I've read the conversation, so there's no need to repeat anything. I'll take it from here.", "ya leí la conversación, así que no hace falta que repitas nada. Sigo yo desde aquí.");
		candidates.push(opening);
		// The seller greets first; what is missing for the sale comes right after.
		if (choosing) candidates.push(choosing);
		const details = problem ? null : detailsReply(input, last);
		if (details) candidates.push(details);
		if (input.cart.length > 0 && !problem) {
			const names = input.cart.map(l => l.name).join(", ");
			candidates.push(say(input, `I can see ${names} in your cart — shall we go over it together?`, `Veo ${names} en tu carrito — ¿lo revisamos juntos?`));
		}
		const objection = problem ? "problem" : detectObjection(last);
		if (objection) candidates.push(...handleObjection(objection, input).replies);
	} else if (trigger === "action_approved") {
		// The customer hears what was done first; what the message before it asked, the action answered.
		if (input.done) candidates.push(input.done);
		if (choosing) candidates.push(choosing);
		if (input.cart.length === 0) candidates.push(say(input, "Is there anything else I can help you with?", "¿Hay algo más en lo que te pueda ayudar?"));
	} else {
		// Nothing moves without the size or colour: the customer's next answer should be it.
		if (choosing) candidates.push(choosing);
		const details = problem ? null : detailsReply(input, last);
		if (details) candidates.push(details);
		const paying = problem ? null : paymentReply(input, last);
		if (paying) candidates.push(paying);
		const objection = detectObjection(last);
		if (objection) candidates.push(...handleObjection(objection, input).replies);
		if (input.cart.length > 0 && wantsToBuy(last))
			candidates.push(
				input.deliverTo
					? say(input, `Perfect, I'll prepare your order now — delivery to ${input.deliverTo} — and send you the confirmation here.`, `Perfecto, preparo tu pedido ahora — entrega en ${input.deliverTo} — y te mando la confirmación por aquí.`)
					: digitalOnly(input)
						? say(input, "Perfect, I'll prepare your order now — it's a digital code, so no address needed — and send you the confirmation here.", "Perfecto, preparo tu pedido ahora — es un código digital, así que no hace falta dirección — y te mando la confirmación por aquí.")
						: say(input, "Perfect! Where shall we deliver your order? Send me the street and number, city and postcode.", "¡Perfecto! ¿A dónde te enviamos el pedido? Mándame calle y número, ciudad y código postal.")
			);
	}
	const best = input.appliedPromotion || problem ? null : bestPromotion(input);
	if (best) {
		const saves = formatMoney(best.savings, input.cart[0]!.currency);
		candidates.push(say(input, `By the way, ${best.promo.code} saves you ${saves} on this order.`, `Por cierto, con ${best.promo.code} ahorras ${saves} en este pedido.`));
	}
	if (problem) candidates.push(say(input, "I'm on it — I'll keep you posted here until it's solved.", "Ya me ocupo — te voy contando por aquí hasta que quede resuelto."));
	else if (input.cart.length > 0) candidates.push(say(input, "Would you like me to place the order for you?", "¿Quieres que haga el pedido por ti?"));
	else if (input.products?.[0] && trigger !== "action_approved")
		candidates.push(say(input, `Would you like me to add ${input.products[0].name} to your cart?`, `¿Quieres que agregue ${input.products[0].name} a tu carrito?`));
	// Always at least three, whatever the conversation held.
	candidates.push(say(input, "Could you tell me a bit more about what you're looking for?", "¿Me cuentas un poco más de lo que buscas?"));
	candidates.push(say(input, "Give me a moment, I'm checking that for you.", "Dame un momento, lo reviso."));
	candidates.push(say(input, "Is there anything else I can help you with?", "¿Hay algo más en lo que te pueda ayudar?"));
	const unique = [...new Set(candidates)];
	return [unique[0]!, unique[1]!, unique[2]!];
}

/** Everything the console shows for one escalation, on acceptance or after a customer message. */
export function assist(input: AssistantInput, trigger: SuggestionTrigger): AssistantOutput {
	const last = customerMessages(input).at(-1)?.text ?? "";
	const kind = trigger === "action_approved" ? null : detectObjection(last);
	return {
		summary: summarize(input),
		objection: kind ? handleObjection(kind, input) : null,
		replies: suggestReplies(input, trigger),
		actions: suggestActions(input)
	};
}
