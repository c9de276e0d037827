/**
 * Guardrails on every outgoing AI reply, checked against the facts of this turn (tool results and
 * the cart) rather than trusted from the model:
 *   - every price, stock level and promotion (percent off, promo code) must be one seen in the facts;
 *   - every term of sale (days to deliver or to return, a warranty's length, free delivery) must be
 *     one the store's stated policies gave this turn: a made-up refund promise binds the store;
 *   - no full phone numbers (masked to the last four digits);
 *   - no internal error text (stack traces, exception names, connection errors).
 * `checkReply` lists violations; `correctReply` removes the sentences that carry them and masks
 * phone numbers. The runner regenerates once before it corrects.
 */
import type { CartLine } from "../contracts/conversation";
import type { Product, TurnState } from "./tools";

export interface Facts {
	/** Minor units. */
	amounts: Set<number>;
	percents: Set<number>;
	stocks: Set<number>;
	codes: Set<string>;
	/** Long digit strings that are allowed verbatim (order ids, tracking numbers). */
	identifiers: Set<string>;
	/**
	 * Names of the products seen and in the cart: their figures ("60% Hot-Swap Keyboard",
	 * "Velocity Racer 2") are part of a name, not a claim.
	 */
	names: Set<string>;
	/** Days the store's terms state (delivery span, return window). */
	policyDays: Set<number>;
	/** A warranty's length in months. */
	policyMonths: Set<number>;
	/** A delivery policy was read: delivery costs nothing extra (orders carry no delivery charge). */
	freeDelivery: boolean;
}

export type ViolationKind = "price" | "stock" | "promotion" | "policy" | "phone" | "internal";
export interface Violation {
	kind: ViolationKind;
	text: string;
}

const NUMBER_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, ten: 10, twelve: 12 };
/** "Backed by a two-year warranty": a product's own terms, as its description states them. */
const DESCRIBED_WARRANTY = /\b(\d{1,3}|one|two|three|four|five|six|ten|twelve)[\s-](year|month)s?\b[^.]{0,20}\b(?:warranty|guarantee)\b/gi;

function addProduct(f: Facts, p: Product) {
	f.names.add(p.name);
	for (const m of (p.description ?? "").matchAll(DESCRIBED_WARRANTY)) {
		const n = NUMBER_WORDS[m[1]!.toLowerCase()] ?? Number(m[1]);
		f.policyMonths.add(/^year/i.test(m[2]!) ? n * 12 : n);
	}
	f.amounts.add(p.price);
	f.stocks.add(p.stock);
	if (p.promotion) {
		f.amounts.add(p.promotion.price);
		f.amounts.add(p.price - p.promotion.price);
		f.percents.add(p.promotion.percentOff);
		f.codes.add(p.promotion.code.toUpperCase());
	}
}

function addCart(f: Facts, cart: CartLine[]) {
	let total = 0;
	for (const l of cart) {
		f.names.add(l.name);
		f.amounts.add(l.unitPrice);
		f.amounts.add(l.unitPrice * l.qty);
		total += l.unitPrice * l.qty;
	}
	f.amounts.add(total);
}

/** The facts a reply of this turn may quote: products seen, the cart before and after, promotions, orders. */
export function factsFrom(state: TurnState, cartBefore: CartLine[] = []): Facts {
	const f: Facts = {
		amounts: new Set(),
		percents: new Set(),
		stocks: new Set(),
		codes: new Set(),
		identifiers: new Set(),
		names: new Set(),
		policyDays: new Set(),
		policyMonths: new Set(),
		freeDelivery: false
	};
	for (const p of state.policies) {
		if (p.delivery) {
			f.policyDays.add(p.delivery.minDays).add(p.delivery.maxDays);
			f.freeDelivery = true;
		}
		if (p.returns) f.policyDays.add(p.returns.days);
		if (p.warranty) f.policyMonths.add(p.warranty.months);
	}
	for (const p of state.seen.values()) addProduct(f, p);
	addCart(f, cartBefore);
	addCart(f, state.cart);
	for (const q of state.quotes) for (const amount of [q.subtotal, q.discount, q.total]) f.amounts.add(amount);
	// A refused code may be named too ("X has expired"): it is the customer's word, not a discount.
	for (const q of state.quotes) if (q.promo) f.codes.add(q.promo.code.toUpperCase());
	for (const p of state.promotions) {
		f.codes.add(p.code.toUpperCase());
		if (p.percentOff !== undefined) f.percents.add(p.percentOff);
		if (p.amountOff !== undefined) f.amounts.add(p.amountOff);
		if (p.minSubtotal !== undefined) f.amounts.add(p.minSubtotal);
	}
	for (const o of state.orders) {
		f.amounts.add(o.total);
		for (const id of [o.orderId, o.trackingNumber]) if (id) f.identifiers.add(id.replace(/\D/g, ""));
	}
	// The customer's own address says its postcode back to them ("São Paulo, 01305-000"): no phone number.
	for (const address of [state.deliverTo, ...state.orders.map(o => o.deliverTo)])
		if (address) for (const m of address.matchAll(new RegExp(PHONE.source, "g"))) f.identifiers.add(m[0].replace(/\D/g, ""));
	return f;
}

const CURRENCY_BEFORE = /(?:US\$|\$|€|£|USD\s?|EUR\s?)\s?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?/gi;
const CURRENCY_AFTER = /\b(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?\s?(?:USD|dollars?|d[oó]lares|bucks)\b/gi;
const PERCENT = /(\d{1,3}(?:\.\d+)?)\s?%/g;
const STOCK = /\b(?:only\s+|just\s+|solo\s+|sólo\s+|quedan\s+)?(\d{1,6})\s+(?:left|in stock|units? (?:left|available)|available|disponibles?|en stock)\b|\b(?:only|just|solo|sólo|quedan)\s+(\d{1,6})\b/gi;
/**
 * A code after its keyword: upper case ("code SAVE20"), or any case with a digit ("code save20");
 * "a code and I'll apply it" names none.
 */
const PROMO_CODE = /\b(?:[Cc]odes?|CODES?|[Cc]oupons?|COUPONS?|[Cc][oó]digos?|[Cc]up[oó]n(?:es)?)\s*:?\s*([A-Z0-9][A-Z0-9_-]{2,31}|[A-Za-z_-]*\d[A-Za-z0-9_-]*)\b/g;
// A run of 8 or more digits, possibly split by spaces, dots, dashes or parentheses, maybe with +.
// Not inside a longer token: an order id such as ord_2c96e1234567 carries digit runs too.
const PHONE = /(?<![\w-])\+?\d[\d\s().-]{6,}\d(?![\w-])/g;
const DATE = /^\d{4}-\d{2}-\d{2}/;
const INTERNAL = [
	/\b(?:Type|Reference|Syntax|Range|Moleculer|Validation|Request|Service|Tool)?Error\b:?/,
	/\bat\s+[\w.<>]+\s+\([^)]*:\d+:\d+\)/,
	/\bE(?:CONNREFUSED|CONNRESET|TIMEDOUT|NOTFOUND|PIPE)\b/,
	/\b(?:stack trace|traceback|exception|undefined is not|null pointer|status code 5\d\d|internal server error)\b/i,
	/\{\s*"(?:error|code|message)"\s*:/
];

/**
 * Terms of sale, where a figure is a promise: "30-day returns", "return it within 60 days", "a
 * 2-year warranty", "arrives in 3-5 business days". Only next to those words: a product's "14 days
 * of battery" is a spec, not a term.
 */
const N = String.raw`(\d{1,3})(?:\s?(?:-|–|to|a)\s?(\d{1,3}))?`;
const UNIT = String.raw`(?:business\s|working\s)?(days?|d[ií]as?|months?|meses|mes|years?|a[nñ]os?)`;
const POLICY_TERMS = [
	new RegExp(String.raw`\b${N}[\s-]?${UNIT}\s(?:(?:to|for|of|para|de)\s)?(?:free\s)?(?:returns?|refunds?|exchanges?|money[\s-]back|warranty|guarantee|garant[ií]a|devolver|devoluci[oó]n(?:es)?|cambios?)`, "gi"),
	new RegExp(String.raw`\b(?:returns?|refunds?|exchanges?|send (?:it|them|items?) back|money[\s-]back|devolver|devoluci[oó]n(?:es)?|reembolso)\b[^.\n]{0,40}?\b${N}\s${UNIT}`, "gi"),
	new RegExp(String.raw`\b(?:warranty|guarantee|garant[ií]a)\b[^.\n]{0,30}?\b${N}\s${UNIT}`, "gi"),
	new RegExp(String.raw`\b(?:deliver(?:y|ed|s)?|arrives?|ships?|shipping|dispatch(?:ed)?|llega(?:n|r)?|entrega(?:mos|n)?|env[ií]os?|enviamos)\b[^.\n]{0,40}?\b${N}\s${UNIT}`, "gi")
];
const FREE_DELIVERY = /\bfree\s(?:shipping|delivery)\b|\b(?:shipping|delivery)\s(?:is\s)?(?:free|included)\b|\benv[ií]o\s(?:es\s|está\s)?(?:gratis|gratuito|incluido)\b/gi;

function termHolds(facts: Facts, n: number, unit: string): boolean {
	const u = unit.toLowerCase();
	if (/^(day|d[ií]a)/.test(u)) return facts.policyDays.has(n);
	if (/^(month|mes)/.test(u)) return facts.policyMonths.has(n);
	return facts.policyMonths.has(n * 12);
}

const toCents = (whole: string, frac: string | undefined) => Number(whole.replace(/,/g, "")) * 100 + Number((frac ?? "").padEnd(2, "0") || 0);

/** The text with every known product name blanked out (same length, so positions still match). */
function withoutNames(text: string, names: Set<string>): string {
	let out = text;
	// Longest first: "Racer 2 Deluxe" before "Racer 2".
	for (const name of [...names].sort((a, b) => b.length - a.length)) if (/\d/.test(name)) out = out.split(name).join(" ".repeat(name.length));
	return out;
}

export function checkReply(reply: string, facts: Facts): Violation[] {
	const out: Violation[] = [];
	const text = withoutNames(reply, facts.names);
	for (const re of [CURRENCY_BEFORE, CURRENCY_AFTER])
		for (const m of text.matchAll(re)) if (!facts.amounts.has(toCents(m[1], m[2]))) out.push({ kind: "price", text: m[0].trim() });
	for (const m of text.matchAll(PERCENT)) if (!facts.percents.has(Number(m[1]))) out.push({ kind: "promotion", text: m[0] });
	for (const m of text.matchAll(PROMO_CODE)) if (!facts.codes.has(m[1].toUpperCase())) out.push({ kind: "promotion", text: m[0] });
	for (const m of text.matchAll(STOCK)) {
		const n = Number(m[1] ?? m[2]);
		if (!facts.stocks.has(n)) out.push({ kind: "stock", text: m[0] });
	}
	for (const re of POLICY_TERMS)
		for (const m of text.matchAll(re)) if (![m[1], m[2]].every(n => n === undefined || termHolds(facts, Number(n), m[3]!))) out.push({ kind: "policy", text: m[0] });
	if (!facts.freeDelivery) for (const m of text.matchAll(FREE_DELIVERY)) out.push({ kind: "policy", text: m[0] });
	for (const m of text.matchAll(PHONE)) {
		const digits = m[0].replace(/\D/g, "");
		if (digits.length >= 8 && !DATE.test(m[0]) && !facts.identifiers.has(digits)) out.push({ kind: "phone", text: m[0] });
	}
	for (const re of INTERNAL) {
		const m = re.exec(text);
		if (m) out.push({ kind: "internal", text: m[0] });
	}
	return out;
}

export function maskPhones(text: string, facts?: Facts): string {
	return text.replace(PHONE, m => {
		const digits = m.replace(/\D/g, "");
		if (digits.length < 8 || DATE.test(m) || facts?.identifiers.has(digits)) return m;
		return `••••${digits.slice(-4)}`;
	});
}

/**
 * Removes every sentence (or line) that carries a price, stock, promotion, policy or internal violation
 * and masks phone numbers. Returns null when nothing trustworthy is left.
 */
export function correctReply(text: string, facts: Facts): string | null {
	const lines = maskPhones(text, facts)
		.split("\n")
		.map(line =>
			line
				.split(/(?<=[.!?])\s+/)
				.filter(sentence => !checkReply(sentence, facts).some(v => v.kind !== "phone"))
				.join(" ")
		)
		.filter(line => line.trim().length > 0);
	const result = lines.join("\n").trim();
	return result.length ? result : null;
}
