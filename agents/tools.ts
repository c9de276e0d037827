/**
 * The seller's tools: typed parameter schemas (JSON Schema for the model, compiled into a
 * fastest-validator check that runs before the tool does), and the code that runs them against an
 * injected `ToolContext`. Agents know no transport: the service passes functions that call the
 * catalog and orders services.
 *
 * Every tool reads and writes the `TurnState` of the running turn; what a tool returns is also
 * what the guardrails accept as facts (a price the model repeats must have been seen here).
 */
import Validator, { type ValidationError as FvError, type ValidationSchema } from "fastest-validator";
import { cartTotal, deliveryAddress, orderItemOf, type CartLine, type TurnEscalation } from "../contracts/conversation";
import { DELIVER_TO_MAX, ESCALATION_REASONS, type EscalationReason } from "../contracts/events";
import { colourNamed, formatMoney as money, sameSize, sizeMeasure, type StorePolicies } from "../contracts/catalog";
import { escapeRegExp } from "./language";

/** How many picks `recommend` shows when not told: a page of picks. */
export const PICKS = 3;

export const ToolNames = {
	SearchProducts: "search_products",
	GetProduct: "get_product",
	Recommend: "recommend",
	AddToCart: "add_to_cart",
	RemoveFromCart: "remove_from_cart",
	ViewCart: "view_cart",
	Checkout: "checkout",
	OrderStatus: "order_status",
	CancelOrder: "cancel_order",
	ChangeOrderAddress: "change_order_address",
	ListPromotions: "list_promotions",
	StorePolicy: "store_policy",
	ApplyPromoCode: "apply_promo_code",
	SetDeliveryAddress: "set_delivery_address",
	EscalateToHuman: "escalate_to_human"
} as const;
export type ToolName = (typeof ToolNames)[keyof typeof ToolNames];

export interface Product {
	sku: string;
	name: string;
	brand: string;
	category?: string;
	color?: string;
	description?: string;
	/** The description in Spanish, where the catalog has it. */
	descriptionEs?: string;
	/** The sizes it comes in, as the catalog lists them ("M", "42", "160x230 cm"). */
	sizes?: string[];
	/** Its other specs as the catalog states them, by name ("switches": "blue clicky", "refreshRate": "144 Hz"). */
	attributes?: Record<string, string>;
	/** Minor units (cents). */
	price: number;
	currency: string;
	stock: number;
	promotion?: { code: string; percentOff: number; /** Price after the promotion, minor units. */ price: number };
	/** Its photo, where the catalog has one: sent when the customer asks to see it. */
	imageUrl?: string;
	/** The catalog's tags ("single player", "vegan", "bestseller"): facts its description may not repeat. */
	tags?: string[];
}

export interface SearchQuery {
	brand: string;
	query?: string;
	category?: string;
	color?: string;
	/** A size the product must come in ("M", "42", "King"). */
	size?: string;
	/** Platforms it must work with, any of them ("a wheel for my Switchblade"). */
	platforms?: string[];
	/** The age of who it is for ("for my 10-year-old"): games rated for older players are left out. */
	forAge?: number;
	minPrice?: number;
	maxPrice?: number;
	/** "relevance" unless the customer asked for the cheapest (price_asc), the priciest, or a small (size_asc) or big one. */
	sort?: "relevance" | "price_asc" | "price_desc" | "size_asc" | "size_desc";
	limit: number;
	/** Results to skip: the next page of the same search ("show me more"). */
	offset?: number;
}

/** A price quote for the cart with a promotion code (the catalog's `price`). Minor units. */
export interface QuoteView {
	subtotal: number;
	discount: number;
	total: number;
	currency: string;
	promo?: { code: string; applied: boolean; description?: string; reason?: string; refusal?: string };
}

export interface OrderView {
	orderId: string;
	status: string;
	total: number;
	currency: string;
	/** Where to pay it, while it waits for payment (when the store has a payment link). */
	paymentUrl?: string;
	carrier?: string;
	trackingNumber?: string;
	/** Where it goes. */
	deliverTo?: string;
	/** What it holds, one entry a line, where the orders service says (a cancel names an order by them). */
	items?: OrderItemView[];
}

export interface OrderItemView {
	sku: string;
	name: string;
	qty: number;
	size?: string;
	color?: string;
}

/** A promotion running now: a code the customer gives at checkout, for the brand or one category. */
export interface PromotionView {
	code: string;
	description: string;
	/** The description in Spanish, where the catalog has it. */
	descriptionEs?: string;
	percentOff?: number;
	/** Minor units off the order. */
	amountOff?: number;
	category?: string;
	/** Minor units the order must reach. */
	minSubtotal?: number;
	/** Only for a customer's first order. */
	firstOrderOnly?: boolean;
}

/** What a tool may reach, injected by the host. Each function may throw; the tool reports it. */
export interface ToolContext {
	conversationId: string;
	brand: string;
	waId: string;
	turn: number;
	catalog: {
		/**
		 * `unmatched`: the query's words no product of the store has; the products answer the others.
		 * `missing`: words the store has, but none of these products does ("linen" when no shirt is).
		 * `searchedFor`: the words searched instead, when some were misspelt ("jacket" for "jakcet").
		 */
		search(query: SearchQuery): Promise<{ products: Product[]; unmatched: string[]; missing?: string[]; searchedFor?: string; categories?: string[]; ratedOlder?: number }>;
		get(sku: string): Promise<Product | null>;
		/** With `sku` and `kind`: only products like it, or only ones that go with it. */
		recommend(query: { brand: string; sku?: string; kind?: "similar" | "complementary"; cheaper?: boolean; size?: "bigger" | "smaller"; maxPrice?: number; forAge?: number; gift?: boolean; limit: number; offset?: number }): Promise<Product[]>;
		promotions(query: { brand: string }): Promise<PromotionView[]>;
		/** The brand's terms of sale; a topic it has not stated is absent. */
		policies(query: { brand: string }): Promise<StorePolicies>;
		price(request: { items: { sku: string; qty: number }[]; promoCode: string }): Promise<QuoteView>;
	};
	orders: {
		/** Idempotent per `idempotencyKey`: a retried turn gets the same order back. */
		create(request: {
			waId: string;
			brand: string;
			items: { sku: string; qty: number }[];
			conversationId: string;
			idempotencyKey: string;
			/** A promotion code a human seller applied (the AI seller's checkout never sends one). */
			promoCode?: string;
			deliverTo?: string;
		}): Promise<OrderView>;
		status(query: { waId: string; brand: string; orderId?: string }): Promise<OrderView | null>;
		/** The customer's latest orders of the brand, newest first. */
		recent(query: { waId: string; brand: string; limit: number }): Promise<OrderView[]>;
		/**
		 * Cancels an order (the tool finds it with `status` first, so it is this customer's);
		 * `notCancellable` is the status that forbids it (it shipped meanwhile). Cancelling a
		 * cancelled order gives it back as it is.
		 */
		cancel(request: { orderId: string; reason: string }): Promise<{ order: OrderView } | { notCancellable: string }>;
		/** Where an order not yet shipped goes now; `notChangeable` is the status that forbids it (it shipped meanwhile). */
		setAddress(request: { orderId: string; deliverTo: string }): Promise<{ order: OrderView } | { notChangeable: string }>;
	};
}

/** How many of a customer's orders "where is my order?" looks at. */
const RECENT_ORDERS = 5;

export const POLICY_TOPICS = ["delivery", "returns", "warranty", "payment"] as const;
export type PolicyTopic = (typeof POLICY_TOPICS)[number];

/** The mutable state of one turn, shared by the tools and read by the runner afterwards. */
export interface TurnState {
	cart: CartLine[];
	/** Every product a tool returned this turn, by SKU. */
	seen: Map<string, Product>;
	/** Orders a tool returned this turn. */
	orders: OrderView[];
	/** Promotions a tool returned this turn. */
	promotions: PromotionView[];
	/** Quotes a tool returned this turn. */
	quotes: QuoteView[];
	/** Terms of sale a tool returned this turn. */
	policies: StorePolicies[];
	/** The promotion code to apply at checkout (the conversation's, or one given this turn). */
	promoCode?: string;
	/** Where an order goes: the conversation's address, or one given this turn. */
	deliverTo?: string;
	/** The checkout was awaiting confirmation when the turn began. */
	wasAwaitingConfirmation: boolean;
	awaitingConfirmation: boolean;
	orderId?: string;
	/** The order the customer was asked, last turn, to confirm cancelling. */
	wasCancelling: string | null;
	/** The order this turn asks the customer to confirm cancelling. */
	cancelling?: string;
	/** The order this turn cancelled. */
	cancelled?: string;
	escalation?: TurnEscalation;
	/** The last product list shown this turn (search or recommend), in order; empty leaves the earlier one. */
	shown: Product[];
	/** SKUs of the list the customer had when the turn began. */
	listed: string[];
	/** Set by a tool this turn: the product in focus (get_product), or null once the talk moved on; undefined: unchanged. */
	focus?: string | null;
	/** SKUs whose details were shown this turn: two side by side leave no single one in focus. */
	detailed: string[];
	/** The last tool that ran to the end this turn: a list is offered only when a listing came last. */
	lastTool?: string;
	/** A product photo the customer asked to see this turn: the reply goes as that image, its text the caption. */
	photo?: string;
}

export function newTurnState(cart: CartLine[], awaitingConfirmation: boolean, promoCode?: string | null, listed: string[] = [], cancelling: string | null = null, deliverTo: string | null = null): TurnState {
	return {
		wasCancelling: cancelling,
		...(promoCode ? { promoCode } : {}),
		...(deliverTo ? { deliverTo } : {}),
		quotes: [],
		policies: [],
		detailed: [],
		cart: cart.map(l => ({ ...l })),
		seen: new Map(),
		orders: [],
		promotions: [],
		wasAwaitingConfirmation: awaitingConfirmation,
		awaitingConfirmation: false,
		shown: [],
		listed
	};
}

/**
 * Why a tool refused, for a brain that words its own answer: the message is English for the model,
 * but a customer writing Spanish must not read it, so the offline brain composes from these facts.
 */
export type ToolErrorFacts =
	| { code: "insufficient_stock"; sku: string; name: string; inStock: number; inCart: number }
	| { code: "sold_at_checkout"; sku: string; name: string; inStock: number; inCart: number }
	| { code: "confirm_first" }
	| { code: "not_in_cart"; sku: string }
	| { code: "unknown_product"; sku: string }
	| { code: "no_order"; orderId?: string }
	| { code: "no_order_with"; item: string; open: { orderId: string; totalText: string; items?: OrderItemView[] }[] }
	| { code: "not_cancellable"; orderId: string; status: string }
	| { code: "address_fixed"; orderId: string; status: string }
	| { code: "promo_refused"; promoCode: string; refusal: string; reason: string }
	| { code: "address_needed" }
	| { code: "size_needed"; sku: string; name: string; sizes: string[] }
	| { code: "unknown_size"; sku: string; name: string; size: string; sizes: string[] }
	| { code: "color_needed"; sku: string; name: string; colours: string[] }
	| { code: "unknown_color"; sku: string; name: string; color: string; colours: string[] };

/**
 * A refusal by the store's rules (sold out, nothing to remove, no order yet), which the customer is
 * simply told; unlike a failure of the tool or of the model's use of it, it does not count towards
 * handing a conversation the AI cannot serve to a person.
 */
export const isRefusal = (e: ToolError): boolean => e.kind === "rejected" || (e.facts !== undefined && e.facts.code !== "unknown_product");

/** A failure the model may read and recover from; its message never contains internals. */
export class ToolError extends Error {
	constructor(
		message: string,
		/** `unavailable`: the store's own services did not answer (a timeout, a node restarting): worth the turn again, not the customer's problem. */
		readonly kind: "invalid_arguments" | "unknown_tool" | "not_found" | "rejected" | "failed" | "unavailable",
		cause?: unknown,
		readonly facts?: ToolErrorFacts
	) {
		super(message, cause === undefined ? undefined : { cause });
		this.name = "ToolError";
	}
}

/** JSON Schema subset the tools use: enough for the model, and compiled into a validator. */
export interface JsonSchemaProperty {
	type: "string" | "integer" | "number" | "boolean" | "array";
	/** An array's items: strings only, so far. */
	items?: { type: "string"; minLength?: number; maxLength?: number };
	maxItems?: number;
	description?: string;
	enum?: readonly string[];
	minimum?: number;
	maximum?: number;
	minLength?: number;
	maxLength?: number;
	/** A regular expression the whole string must match (anchor it). */
	pattern?: string;
}
export interface ToolParameters {
	type: "object";
	properties: Record<string, JsonSchemaProperty>;
	required: string[];
	additionalProperties: false;
}

export interface ToolSpec {
	name: string;
	description: string;
	parameters: ToolParameters;
}

export interface ToolDefinition<A = Record<string, unknown>> extends ToolSpec {
	name: ToolName;
	run(args: A, ctx: ToolContext, state: TurnState): Promise<unknown>;
}

const validator = new Validator({ haltOnFirstError: false });

/** The fastest-validator schema equivalent to a tool's JSON Schema; unknown arguments are refused. */
export function toValidatorSchema(parameters: ToolParameters): ValidationSchema {
	const schema: ValidationSchema = { $$strict: true };
	for (const [name, p] of Object.entries(parameters.properties)) {
		const optional = !parameters.required.includes(name);
		if (p.enum) schema[name] = { type: "enum", values: [...p.enum], optional };
		else if (p.type === "string") schema[name] = { type: "string", optional, min: p.minLength, max: p.maxLength, ...(p.pattern ? { pattern: new RegExp(p.pattern) } : {}) };
		else if (p.type === "boolean") schema[name] = { type: "boolean", optional };
		else if (p.type === "array") schema[name] = { type: "array", optional, max: p.maxItems, items: { type: "string", min: p.items?.minLength, max: p.items?.maxLength } };
		else schema[name] = { type: "number", integer: p.type === "integer", optional, min: p.minimum, max: p.maximum };
	}
	return schema;
}

/** The unit price a cart line gets: the promotion's when one runs. */
const effectivePrice = (p: Product) => p.promotion?.price ?? p.price;

/** A product as the model sees it: cents plus a formatted price it may quote verbatim. */
export function productView(p: Product) {
	return {
		sku: p.sku,
		name: p.name,
		category: p.category,
		color: p.color,
		price: p.price,
		priceText: money(p.price, p.currency),
		stock: p.stock,
		...(p.sizes?.length ? { sizes: p.sizes } : {}),
		// What it runs on, in a list too: "which of these work with my Switchblade?" is read off it.
		...(p.attributes?.platform ? { attributes: { platform: p.attributes.platform } } : {}),
		...(p.promotion
			? { promotion: { code: p.promotion.code, percentOff: p.promotion.percentOff, priceText: money(p.promotion.price, p.currency) } }
			: {})
	};
}

/** The product as listed, with the attribute its size is measured by ("width": "160 cm") when it states one. */
function measuredView(p: Product) {
	const view = productView(p);
	const size = sizeMeasure(p.attributes);
	// A product's sizes are already in its view, as the list they are.
	return size && size.name !== "sizes" ? { ...view, attributes: { ...view.attributes, [size.name]: size.text } } : view;
}

/** The colours (or shades) a product comes in, as the catalog writes them. */
export const coloursOfProduct = (p: Pick<Product, "color">): string[] => (p.color ? p.color.split(/\s*,\s*/).filter(Boolean) : []);

/** A product nobody ships: a gift card's code arrives as a message ("delivery: digital code"). */
export const isDigital = (p: { attributes?: Record<string, unknown> }): boolean => /\bdigital\b/i.test(String(p.attributes?.delivery ?? ""));

/** Whether every line of the cart is digital: such an order goes nowhere, so it needs no address. */
async function allDigital(ctx: ToolContext, state: TurnState): Promise<boolean> {
	for (const line of state.cart) {
		const p = state.seen.get(line.sku) ?? (await ctx.catalog.get(line.sku));
		if (!p || !isDigital(p)) return false;
	}
	return state.cart.length > 0;
}

/**
 * An order is not placed with a choice missing (a size, or a colour of several): the first line
 * that needs one is asked about, its size before its colour.
 */
async function requireChoices(ctx: ToolContext, state: TurnState): Promise<void> {
	for (const line of state.cart.filter(l => l.size === undefined || l.color === undefined)) {
		const p = state.seen.get(line.sku) ?? (await ctx.catalog.get(line.sku));
		if (!p) continue;
		const { sizeNeeded: sizes, colourNeeded: colours } = stillToChoose(p, line);
		if (sizes) {
			state.focus = p.sku;
			throw new ToolError(`Which size of ${p.name}? ${sizes.join(", ")}`, "rejected", undefined, { code: "size_needed", sku: p.sku, name: p.name, sizes });
		}
		if (colours) {
			state.focus = p.sku;
			throw new ToolError(`Which colour of ${p.name}? ${colours.join(", ")}`, "rejected", undefined, { code: "color_needed", sku: p.sku, name: p.name, colours });
		}
	}
}

/** Lines are one per product, size and colour. */
const sameLine = (l: CartLine, sku: string, size: string | undefined, color: string | undefined) => l.sku === sku && l.size === size && l.color === color;

/**
 * A cart line changed to another size of its product, in place (its position and quantity kept);
 * a line already in that size takes its quantity instead. Stock is the product's whatever the
 * size, so nothing is checked again. The new size was validated before anything changed.
 */
async function resize(ctx: ToolContext, p: Product, from: string, size: string | undefined, state: TurnState): Promise<Record<string, unknown>> {
	if (size === undefined) throw new ToolError("A size change needs the new size", "invalid_arguments");
	const line = state.cart.find(l => l.sku === p.sku && l.size !== undefined && sameSize(l.size, from));
	if (!line) throw new ToolError(`${p.name} in size ${from} is not in the cart`, "not_found", undefined, { code: "not_in_cart", sku: p.sku });
	const previous = line.size!;
	const kept = changeLine(state, line, l => sameLine(l, p.sku, size, line.color), () => (line.size = size));
	state.focus = p.sku;
	// A colour still to choose is still asked for after the size changed.
	return { resized: { sku: p.sku, name: p.name, from: previous, size, qty: kept.qty }, cart: await cartNow(ctx, state), ...stillToChoose(p, kept) };
}

/** A line changed into one the cart already has joins it; otherwise it takes the change. Returns the line kept. */
function changeLine(state: TurnState, line: CartLine, isSame: (l: CartLine) => boolean, change: () => void): CartLine {
	const same = state.cart.find(l => l !== line && isSame(l));
	if (!same) {
		change();
		return line;
	}
	same.qty += line.qty;
	state.cart.splice(state.cart.indexOf(line), 1);
	return same;
}

/** A cart line's colour changed ("actually in green"): the line takes it, or joins a line already in it. */
async function recolour(ctx: ToolContext, p: Product, from: string, color: string | undefined, size: string | undefined, state: TurnState): Promise<Record<string, unknown>> {
	if (color === undefined) throw new ToolError("A colour change needs the new colour", "invalid_arguments");
	const line = state.cart.find(l => l.sku === p.sku && l.color !== undefined && colourNamed(from, [l.color]) !== undefined && (size === undefined || (l.size !== undefined && sameSize(l.size, size))));
	if (!line) throw new ToolError(`${p.name} in ${from} is not in the cart`, "not_found", undefined, { code: "not_in_cart", sku: p.sku });
	const previous = line.color!;
	const kept = changeLine(state, line, l => sameLine(l, p.sku, line.size, color), () => (line.color = color));
	state.focus = p.sku;
	return { recoloured: { sku: p.sku, name: p.name, from: previous, color, qty: kept.qty }, cart: await cartNow(ctx, state) };
}

/** The cart as order lines: each size and colour its own line. */
export function orderLines(cart: CartLine[]): ReturnType<typeof orderItemOf>[] {
	return cart.map(orderItemOf);
}

/**
 * The colour a cart line gets: one of the product's (as the catalog writes it) when it comes in
 * several, none while the customer has not said (the seller asks; checkout waits for it). The one
 * colour of a single-colour product needs no line of its own; a colour it does not come in is
 * refused with those it does.
 */
function colourFor(p: Product, asked: string | undefined, state: TurnState): string | undefined {
	if (asked === undefined) return undefined;
	const colours = coloursOfProduct(p);
	const colour = colourNamed(asked, colours);
	if (colour) return colours.length > 1 ? colour : undefined;
	// "The terracotta vase": the colour its name says, of a product with no colours to choose.
	if (!colours.length && new RegExp(`\\b${escapeRegExp(asked)}\\b`, "i").test(p.name)) return undefined;
	if (colours.length > 1) state.focus = p.sku;
	throw new ToolError(
		colours.length ? `${p.name} does not come in ${asked}; colours: ${colours.join(", ")}` : `${p.name} comes in one colour only`,
		"rejected",
		undefined,
		{ code: "unknown_color", sku: p.sku, name: p.name, color: asked, colours }
	);
}

/** What a line of `p` still needs chosen: the sizes, or the colours, it can have. */
function stillToChoose(p: Product, line: { size?: string | undefined; color?: string | undefined }): { sizeNeeded?: string[]; colourNeeded?: string[] } {
	const colours = coloursOfProduct(p);
	return {
		...(p.sizes?.length && !line.size ? { sizeNeeded: p.sizes } : {}),
		...(colours.length > 1 && !line.color ? { colourNeeded: colours } : {})
	};
}

/**
 * The size a cart line gets: one of the product's own (as the catalog writes it), or none while the
 * customer has not said (the seller then asks, and checkout waits for it). A size the product does
 * not come in, or any size for a product without sizes, is refused with the sizes it does.
 */
function sizeFor(p: Product, asked: string | undefined, state: TurnState): string | undefined {
	if (asked === undefined) return undefined;
	const sizes = p.sizes ?? [];
	const size = sizes.find(s => sameSize(s, asked));
	if (size) return size;
	if (sizes.length) state.focus = p.sku;
	throw new ToolError(sizes.length ? `${p.name} does not come in ${asked}; sizes: ${sizes.join(", ")}` : `${p.name} comes in one size only`, "rejected", undefined, {
		code: "unknown_size",
		sku: p.sku,
		name: p.name,
		size: asked,
		sizes
	});
}

export function cartView(cart: CartLine[]) {
	const total = cartTotal(cart);
	const currency = cart[0]?.currency ?? "USD";
	return {
		items: cart.map(l => ({ sku: l.sku, name: l.name, ...(l.size ? { size: l.size } : {}), ...(l.color ? { color: l.color } : {}), qty: l.qty, unitPriceText: money(l.unitPrice, l.currency), lineTotalText: money(l.qty * l.unitPrice, l.currency) })),
		total,
		totalText: money(total, currency)
	};
}

/**
 * What can be bought first; a sold-out product stays in the list, marked, after them, unless it
 * has more of the query's words than any in stock ("dry skin moisturiser": the one for dry skin
 * is the answer, sold out or not, and leads).
 */
function inStockFirst(found: Product[], query: string | undefined): Product[] {
	const plain = (text: string) => text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
	const words = plain(query ?? "").split(/[^a-z0-9]+/).filter(w => w.length > 2);
	const hits = (p: Product) => {
		const text = plain(`${p.name} ${p.category ?? ""} ${p.description ?? ""}`);
		return words.filter(w => new RegExp(`\\b${w}`).test(text)).length;
	};
	const inStock = found.filter(p => p.stock > 0);
	const soldOut = found.filter(p => p.stock <= 0);
	const bar = Math.max(0, ...inStock.map(hits));
	const closer = soldOut.filter(p => hits(p) > bar);
	return [...closer, ...inStock, ...soldOut.filter(p => !closer.includes(p))];
}

const see = (state: TurnState, products: Product[]) => {
	for (const p of products) state.seen.set(p.sku, p);
	return products;
};

const sku = { type: "string", minLength: 1, maxLength: 64, description: "The product SKU from a previous tool result" } as const;
const cents = (description: string) => ({ type: "integer", minimum: 0, maximum: 100_000_000, description }) as const;
const forAge = { type: "integer", minimum: 0, maximum: 120, description: "The age of who it is for, e.g. 10 for 'a gift for my 10-year-old': games rated for older players are left out" } as const;

/**
 * The code the customer applied, priced again for the cart as it is now: its discount when it still
 * applies, or that it no longer does (and it is dropped). None without a code.
 */
async function promotionNow(ctx: ToolContext, state: TurnState) {
	const promo = state.promoCode ? await priceWithCode(ctx, state, state.promoCode) : null;
	const dropped = promo && !promo.promo?.applied ? { code: state.promoCode!, reason: promo.promo?.reason ?? "it does not apply" } : null;
	if (dropped) delete state.promoCode;
	const discount = promo?.promo?.applied ? { code: promo.promo.code, discount: promo.discount, discountText: money(promo.discount, promo.currency), total: promo.total, totalText: money(promo.total, promo.currency) } : null;
	return { ...(discount ? { promotion: discount } : {}), ...(dropped ? { promotionNotApplied: dropped } : {}) };
}

/** The cart as a change leaves it: with the code applied to it taken off again, as the checkout will. */
async function cartNow(ctx: ToolContext, state: TurnState) {
	return { ...cartView(state.cart), ...(state.cart.length ? await promotionNow(ctx, state) : {}) };
}

/** A cart line's product of which fewer are left than the cart holds: it sold while it waited there. */
export interface ShortLine {
	sku: string;
	name: string;
	inStock: number;
	inCart: number;
}

/**
 * The cart's products the catalog no longer has enough of, with what is left (seen this turn, so the
 * reply may quote the stock). A catalog that does not answer flags nothing: the order still checks.
 */
async function shortLines(ctx: ToolContext, state: TurnState): Promise<ShortLine[]> {
	const skus = [...new Set(state.cart.map(l => l.sku))];
	const products = await Promise.all(skus.map(sku => ctx.catalog.get(sku).catch(() => null)));
	return products.flatMap(p => {
		if (!p) return [];
		const lines = state.cart.filter(l => l.sku === p.sku);
		const inCart = lines.reduce((n, l) => n + l.qty, 0);
		if (p.stock >= inCart) return [];
		see(state, [p]);
		return [{ sku: p.sku, name: lines[0]!.name, inStock: Math.max(0, p.stock), inCart }];
	});
}

/** The catalog's quote for the cart with `code`; kept as a fact for the guardrails. */
async function priceWithCode(ctx: ToolContext, state: TurnState, code: string): Promise<QuoteView> {
	const q = await ctx.catalog.price({ items: orderLines(state.cart), promoCode: code });
	state.quotes.push(q);
	return q;
}

async function productOrFail(ctx: ToolContext, state: TurnState, code: string): Promise<Product> {
	const product = state.seen.get(code) ?? (await ctx.catalog.get(code));
	if (!product || product.brand !== ctx.brand) throw new ToolError(`No product with SKU ${code} in this store`, "not_found", undefined, { code: "unknown_product", sku: code });
	see(state, [product]);
	return product;
}

const STILL_OPEN = ["pending", "confirmed"];
const foldedWords = (s: string) =>
	s
		.normalize("NFD")
		.replace(/\p{M}/gu, "")
		.toLowerCase()
		.split(/[^a-z0-9-]+/)
		.filter(w => w.length > 1);
/** "hoodie" is a word of "Fleece Zip Hoodie", "boots" and "boot" of "Chelsea Boots"; a line's colour and size count too. */
function holds(order: OrderView, item: string): boolean {
	const wanted = foldedWords(item).map(w => w.replace(/s$/, ""));
	return (order.items ?? []).some(line => {
		const have = foldedWords(`${line.name} ${line.color ?? ""} ${line.size ?? ""}`);
		return wanted.every(w => have.some(h => h.startsWith(w)));
	});
}

type OrderChoice = { orderId: string; status: string; totalText: string; items?: OrderItemView[] };

/**
 * The order a cancel without an id means, among the customer's latest: the open one holding the
 * product named, else their only open one. Several that fit come back to choose from: the latest of
 * two open orders is a guess, and a wrong guess cancels the order the customer wanted.
 */
async function orderToCancel(item: string | undefined, ctx: ToolContext, state: TurnState): Promise<OrderView | { choose: OrderChoice[] } | null> {
	const recent = await ctx.orders.recent({ waId: ctx.waId, brand: ctx.brand, limit: RECENT_ORDERS });
	if (!recent.length) return null;
	const listed = (o: OrderView): OrderChoice => ({ orderId: o.orderId, status: o.status, totalText: money(o.total, o.currency), ...(o.items?.length ? { items: o.items } : {}) });
	const open = recent.filter(o => STILL_OPEN.includes(o.status));
	// Orders whose contents the orders service did not give can't be told apart by them.
	const named = item && recent.some(o => o.items?.length) ? recent.filter(o => holds(o, item)) : recent;
	if (item && !named.length) {
		state.orders.push(...open);
		throw new ToolError(`None of the customer's recent orders holds "${item}"`, "not_found", undefined, { code: "no_order_with", item, open: open.map(listed) });
	}
	const fits = named.filter(o => STILL_OPEN.includes(o.status));
	if (fits.length > 1) {
		state.orders.push(...fits);
		return { choose: fits.map(listed) };
	}
	// None open: the latest that fits, which the tool then says can't be cancelled (or already is).
	return fits[0] ?? named[0]!;
}

export const TOOLS: readonly ToolDefinition<any>[] = [
	{
		name: ToolNames.SearchProducts,
		description:
			"Search this store's catalog. Prices are minor units (cents). `unmatched` lists words of the query that no product of this store has: the products found match only the other words, so say so instead of presenting them as what was asked for. `missing` lists words other products have but none of these does (no shirt is linen): likewise, they are the closest, not a match. `searchedFor` is what was searched instead when words were misspelt: say so. `categories`, when nothing was found, is what this store sells: offer those instead of a dead end. `ratedOlder` counts games that matched but were left out because their age rating is above forAge: say so rather than that there are none.",
		parameters: {
			type: "object",
			properties: {
				query: { type: "string", maxLength: 200, description: "Free-text words, e.g. 'leather jacket'; a spec bound in words is compared with the products' figures, e.g. 'laptop at least 16 GB RAM', 'phone 128gb or more'" },
				category: { type: "string", maxLength: 64 },
				color: { type: "string", maxLength: 32 },
				size: { type: "string", maxLength: 32, description: "A size the product must come in, as the customer named it, e.g. 'M', '42', 'King'" },
				platforms: { type: "array", maxItems: 8, items: { type: "string", minLength: 1, maxLength: 32 }, description: "Platforms it must work with, any of them, e.g. ['Switchblade'] for 'a controller for my Switchblade', or a game's platforms for 'a wheel that works with it'" },
				forAge,
				minPrice: cents("Lowest price in cents"),
				maxPrice: cents("Highest price in cents, e.g. 10000 for $100"),
				sort: {
					type: "string",
					enum: ["relevance", "price_asc", "price_desc", "size_asc", "size_desc"],
					description: "price_asc for 'the cheapest', price_desc for 'the most expensive'; size_asc for 'a compact sofa', 'for a small room' (smallest first by what its size is measured by: screen, width, size, capacity, height), size_desc for 'a big one'"
				},
				limit: { type: "integer", minimum: 1, maximum: 10 },
				offset: { type: "integer", minimum: 0, maximum: 50, description: "Results to skip: after a list of 5, offset 5 with the same query and filters shows the next ones ('show me more')" },
				exclude: { type: "array", maxItems: 5, items: { type: "string", minLength: 1, maxLength: 64 }, description: "SKUs to leave out, e.g. the product in view when looking for 'a controller for it'" }
			},
			required: [],
			additionalProperties: false
		},
		async run({ exclude = [], ...args }: Omit<SearchQuery, "brand" | "limit"> & { limit?: number; exclude?: string[] }, ctx, state) {
			const limit = args.limit ?? 5;
			// As many more as may be left out, so a page is still a page.
			const { products: hits, unmatched, missing = [], searchedFor, categories = [], ratedOlder = 0 } = await ctx.catalog.search({ ...args, brand: ctx.brand, limit: limit + exclude.length });
			const found = hits.filter(p => !exclude.includes(p.sku)).slice(0, limit);
			const products = inStockFirst(see(state, found), args.query);
			state.shown = products;
			// One hit is the product the customer is looking at: "add it" means it. Nothing found leaves
			// the customer looking at what they were ("how big is the brass one?" then "I'll take it").
			if (products.length) state.focus = products.length === 1 ? products[0]!.sku : null;
			// Sorted by size: each one's measure in the list, so the order can be read off it.
			const bySize = args.sort === "size_asc" || args.sort === "size_desc";
			return {
				count: products.length,
				products: products.map(p => (bySize ? measuredView(p) : productView(p))),
				...(products.length && unmatched.length ? { unmatched } : {}),
				...(products.length && missing.length ? { missing } : {}),
				...(products.length && searchedFor ? { searchedFor } : {}),
				...(!products.length && categories.length ? { categories } : {}),
				...(ratedOlder > 0 ? { ratedOlder } : {})
			};
		}
	},
	{
		name: ToolNames.GetProduct,
		description: "Details of one product by SKU. With qty (\"how much for two?\"), `forQty` is what that many cost together, at the price the cart would take. With photo=true (\"can I see it?\") the reply is sent as the product's photo with the text as its caption; `photo` says whether it has one. `descriptionEs`, where there is one, is the description to give a customer who writes Spanish.",
		parameters: {
			type: "object",
			properties: {
				sku,
				qty: { type: "integer", minimum: 2, maximum: 20, description: "How many the customer asks the price of" },
				photo: { type: "boolean", description: "true when the customer asks to see a photo of it" }
			},
			required: ["sku"],
			additionalProperties: false
		},
		async run(args: { sku: string; qty?: number; photo?: boolean }, ctx, state) {
			const p = await productOrFail(ctx, state, args.sku);
			if (args.photo && p.imageUrl) state.photo = p.imageUrl;
			// The total is a quote of the catalog's price: a fact the reply may state, as a cart total is.
			const forQty = args.qty ? { subtotal: effectivePrice(p) * args.qty, discount: 0, total: effectivePrice(p) * args.qty, currency: p.currency } : null;
			if (forQty) state.quotes.push(forQty);
			if (!state.detailed.includes(p.sku)) state.detailed.push(p.sku);
			state.focus = state.detailed.length === 1 ? p.sku : null;
			// Products compared side by side that were not all on the last list ("airbook vs probook 14"
			// looked each up): they are the list now, so "the second one" is the second of them.
			const compared = state.detailed.map(sku => state.seen.get(sku)).filter((x): x is Product => x !== undefined);
			const list = state.shown.length ? state.shown.map(s => s.sku) : state.listed;
			if (compared.length > 1 && !compared.every(c => list.includes(c.sku))) state.shown = compared;
			// "Is it long lasting?" after adding it: the answer must not offer to add it again.
			const lines = state.cart.filter(l => l.sku === p.sku);
			const inCart = lines.reduce((n, l) => n + l.qty, 0);
			// A line of it still waiting for its size or colour: the answer goes on to ask for it.
			const waiting = lines.map(l => stillToChoose(p, l)).find(c => c.sizeNeeded || c.colourNeeded);
			return {
				...productView(p),
				description: p.description,
				...(p.descriptionEs ? { descriptionEs: p.descriptionEs } : {}),
				...(p.attributes ? { attributes: p.attributes } : {}),
				// What the catalog tags it with says things its description does not ("single player").
				...(p.tags?.length ? { tags: p.tags } : {}),
				...(args.photo ? { photo: p.imageUrl ? "attached" : "none" } : {}),
				...(inCart ? { inCart } : {}),
				...waiting,
				...(forQty ? { forQty: { qty: args.qty, eachText: money(effectivePrice(p), p.currency), totalText: money(forQty.total, p.currency) } } : {})
			};
		}
	},
	{
		name: ToolNames.Recommend,
		description:
			"Recommended products, optionally related to one SKU: kind 'similar' for ones like it that are in stock (it is sold out, or they want alternatives), 'complementary' for ones that go with it. maxPrice for a budget ('a gift under $50'); cheaper=true with a sku for ones that cost less than it ('too expensive'); size 'bigger' or 'smaller' with a sku for ones bigger or more compact than it ('is there a bigger one?'), the nearest size first. forAge leaves out games rated for older players. offset, with the same arguments, shows the next picks ('show me more').",
		parameters: {
			type: "object",
			properties: { sku, kind: { type: "string", enum: ["similar", "complementary"] }, cheaper: { type: "boolean" }, size: { type: "string", enum: ["bigger", "smaller"] }, maxPrice: cents("Highest price in cents, e.g. 5000 for $50"), forAge, gift: { type: "boolean", description: "Picks for a present: the catalog's gifts first" }, limit: { type: "integer", minimum: 1, maximum: 10 }, offset: { type: "integer", minimum: 0, maximum: 50, description: "Picks to skip: after 3, offset 3 with the same arguments shows the next ones" } },
			required: [],
			additionalProperties: false
		},
		async run(args: { sku?: string; kind?: "similar" | "complementary"; cheaper?: boolean; size?: "bigger" | "smaller"; maxPrice?: number; forAge?: number; gift?: boolean; limit?: number; offset?: number }, ctx, state) {
			const related = args.sku ? { sku: args.sku, ...(args.kind ? { kind: args.kind } : {}), ...(args.cheaper ? { cheaper: true } : {}), ...(args.size ? { size: args.size } : {}) } : {};
			const budget = args.maxPrice !== undefined ? { maxPrice: args.maxPrice } : {};
			const age = args.forAge !== undefined ? { forAge: args.forAge } : {};
			const gift = args.gift ? { gift: true } : {};
			const products = see(state, await ctx.catalog.recommend({ brand: ctx.brand, ...related, ...budget, ...age, ...gift, limit: args.limit ?? PICKS, ...(args.offset ? { offset: args.offset } : {}) }));
			// None bigger, or none to compare with: which of the two is worth saying.
			if (!products.length && args.sku && args.size) {
				const base = await ctx.catalog.get(args.sku);
				if (base && !sizeMeasure(base.attributes, base.sizes)) return { count: 0, products: [], unmeasured: true };
			}
			state.shown = products;
			state.focus = null;
			return { count: products.length, products: products.map(p => (args.size ? measuredView(p) : productView(p))) };
		}
	},
	{
		name: ToolNames.AddToCart,
		description:
			"Add a product to the customer's cart. For a product that comes in sizes (get_product lists them), pass the size the customer chose; for one that comes in several colours (its `color` lists them), the colour. Without them the line waits for them: ask. A size or colour for a line waiting for one goes on that line. To change the size of a line already in the cart, pass its current size as replacesSize: that line takes the new size and nothing is added. Likewise replacesColor (with the new colour as color) changes a line's colour.",
		parameters: {
			type: "object",
			properties: {
				sku,
				qty: { type: "integer", minimum: 1, maximum: 20, description: "Quantity, default 1" },
				size: { type: "string", minLength: 1, maxLength: 24, description: "One of the product's sizes, as the customer chose it" },
				color: { type: "string", minLength: 1, maxLength: 32, description: "One of the product's colours, as the customer chose it" },
				replacesSize: { type: "string", minLength: 1, maxLength: 24, description: "Only to change a cart line's size: the size that line has now" },
				replacesColor: { type: "string", minLength: 1, maxLength: 32, description: "Only to change a cart line's colour: the colour that line has now (pass the new one as color)" }
			},
			required: ["sku"],
			additionalProperties: false
		},
		async run(args: { sku: string; qty?: number; size?: string; color?: string; replacesSize?: string; replacesColor?: string }, ctx, state) {
			const p = await productOrFail(ctx, state, args.sku);
			const size = sizeFor(p, args.size, state);
			const color = colourFor(p, args.color, state);
			if (args.replacesSize !== undefined) return resize(ctx, p, args.replacesSize, size, state);
			if (args.replacesColor !== undefined) return recolour(ctx, p, args.replacesColor, color, size, state);
			// "M" after "which size?", "pink" after "which colour?": the choice goes on the line that was
			// waiting for it (and agrees with what it has), nothing added.
			const fits = (l: CartLine) =>
				l.sku === p.sku &&
				((size !== undefined && l.size === undefined) || (color !== undefined && l.color === undefined)) &&
				(size === undefined || l.size === undefined || l.size === size) &&
				(color === undefined || l.color === undefined || l.color === color);
			const waiting = (size || color) && args.qty === undefined ? state.cart.find(fits) : undefined;
			if (waiting) {
				const chosen = { size: size ?? waiting.size, color: color ?? waiting.color };
				const same = state.cart.find(l => l !== waiting && sameLine(l, p.sku, chosen.size, chosen.color));
				if (same) {
					same.qty += waiting.qty;
					state.cart.splice(state.cart.indexOf(waiting), 1);
				} else Object.assign(waiting, chosen.size ? { size: chosen.size } : {}, chosen.color ? { color: chosen.color } : {});
				const line = same ?? waiting;
				const left = stillToChoose(p, line);
				// As after an add, the product is "it" for what comes next ("what about battery life?").
				state.focus = p.sku;
				return { sized: { sku: p.sku, name: p.name, ...(line.size ? { size: line.size } : {}), ...(line.color ? { color: line.color } : {}), qty: line.qty }, ...left, cart: await cartNow(ctx, state) };
			}
			const qty = args.qty ?? 1;
			const line = state.cart.find(l => sameLine(l, p.sku, size, color));
			// Stock is the product's, whatever the size: every line of it counts.
			const inCart = state.cart.filter(l => l.sku === p.sku).reduce((n, l) => n + l.qty, 0);
			if (p.stock < inCart + qty)
				throw new ToolError(
					p.stock > 0 ? `Only ${p.stock} of ${p.name} in stock` : `${p.name} is out of stock`,
					"rejected",
					undefined,
					{ code: "insufficient_stock", sku: p.sku, name: p.name, inStock: Math.max(0, p.stock), inCart }
				);
			if (line) {
				line.qty += qty;
				line.unitPrice = effectivePrice(p);
			} else state.cart.push({ sku: p.sku, name: p.name, ...(size ? { size } : {}), ...(color ? { color } : {}), qty, unitPrice: effectivePrice(p), currency: p.currency });
			// The product just added is "it" for what comes next ("what's the battery life?"); one with
			// a size or colour still to choose waits for it.
			state.focus = p.sku;
			return { added: { sku: p.sku, name: p.name, ...(size ? { size } : {}), ...(color ? { color } : {}), qty }, ...stillToChoose(p, { size, color }), cart: await cartNow(ctx, state) };
		}
	},
	{
		name: ToolNames.RemoveFromCart,
		description: "Remove a product (or some of its quantity) from the cart.",
		parameters: {
			type: "object",
			properties: {
				sku,
				qty: { type: "integer", minimum: 1, maximum: 20, description: "How many to remove; all when absent" },
				size: { type: "string", minLength: 1, maxLength: 24, description: "Which size's line, when the cart holds several" },
				color: { type: "string", minLength: 1, maxLength: 32, description: "Which colour's line, when the cart holds several" }
			},
			required: ["sku"],
			additionalProperties: false
		},
		async run(args: { sku: string; qty?: number; size?: string; color?: string }, ctx, state) {
			const line = state.cart.find(
				l => l.sku === args.sku && (args.size === undefined || sameSize(l.size ?? "", args.size)) && (args.color === undefined || (l.color !== undefined && colourNamed(args.color, [l.color]) !== undefined))
			);
			if (!line) throw new ToolError(`${args.sku} is not in the cart`, "not_found", undefined, { code: "not_in_cart", sku: args.sku });
			line.qty -= args.qty ?? line.qty;
			if (line.qty <= 0) state.cart.splice(state.cart.indexOf(line), 1);
			return { removed: { sku: line.sku, name: line.name, ...(line.size ? { size: line.size } : {}), ...(line.color ? { color: line.color } : {}) }, cart: await cartNow(ctx, state) };
		}
	},
	{
		name: ToolNames.ViewCart,
		description: "The customer's cart with its total.",
		parameters: { type: "object", properties: {}, required: [], additionalProperties: false },
		async run(_args: Record<string, never>, ctx, state) {
			// "What's my total?" after a code: the total the customer will pay, with its discount.
			// A line sold since it went in (it failed an order already, maybe) is said, not listed as if it could be had.
			const short = state.cart.length ? await shortLines(ctx, state) : [];
			return { ...(await cartNow(ctx, state)), ...(short.length ? { unavailable: short } : {}) };
		}
	},
	{
		name: ToolNames.Checkout,
		description:
			"Start the checkout (without confirm: shows the summary, with where it will be delivered, and asks the customer to confirm), or place the order once the customer confirmed (confirm=true). It needs a delivery address first: ask the customer for it and record it with set_delivery_address. A placed order's `paymentUrl`, when there is one, is where the customer pays: give it to them as it is.",
		parameters: {
			type: "object",
			properties: { confirm: { type: "boolean", description: "true only after the customer said yes to the summary" } },
			required: [],
			additionalProperties: false
		},
		async run(args: { confirm?: boolean }, ctx, state) {
			if (!state.cart.length) throw new ToolError("The cart is empty", "rejected");
			await requireChoices(ctx, state);
			// Asked before the summary: the summary shows where the order goes, so the customer confirms that too.
			// A cart of gift-card codes goes nowhere: none is asked for, and none goes with it.
			const digital = !state.deliverTo && (await allDigital(ctx, state));
			if (!state.deliverTo && !digital)
				throw new ToolError("No delivery address yet: ask the customer where to deliver (street and number, city, postcode), then call set_delivery_address", "rejected", undefined, { code: "address_needed" });
			// A code given earlier is priced again now: the cart may have changed since.
			const promotion = await promotionNow(ctx, state);
			const discount = promotion.promotion ?? null;
			if (!args.confirm) {
				// No summary to confirm that the order would refuse: a line sold since it went in is said first.
				const [short] = await shortLines(ctx, state);
				if (short) throw new ToolError(`Only ${short.inStock} of ${short.name} left; the order can't be placed as it is`, "rejected", undefined, { code: "sold_at_checkout", ...short });
				state.awaitingConfirmation = true;
				return { awaitingConfirmation: true, summary: cartView(state.cart), ...(digital ? { digital: true } : { deliverTo: state.deliverTo }), ...promotion };
			}
			if (!state.wasAwaitingConfirmation)
				throw new ToolError("Show the summary and ask the customer to confirm before placing the order", "rejected", undefined, { code: "confirm_first" });
			// The key is stable across retries of this turn, so the order is created once.
			const order = await ctx.orders
				.create({
					waId: ctx.waId,
					brand: ctx.brand,
					items: orderLines(state.cart),
					conversationId: ctx.conversationId,
					idempotencyKey: `${ctx.conversationId}:checkout:${ctx.turn}`,
					...(state.deliverTo ? { deliverTo: state.deliverTo } : {}),
					...(discount ? { promoCode: discount.code } : {})
				})
				.catch(async (err: unknown) => {
					// Sold while the customer was deciding: which one, and how many are left, so they can choose.
					const short = (err as { data?: { sku?: unknown; available?: unknown } }).data;
					const line = typeof short?.sku === "string" && typeof short.available === "number" ? state.cart.find(l => l.sku === short.sku) : undefined;
					if (!line) throw err;
					state.awaitingConfirmation = false;
					// Seen this turn, as it is now: the stock the reply gives is the catalog's.
					const product = await ctx.catalog.get(line.sku).catch(() => null);
					if (product) see(state, [{ ...product, stock: short!.available as number }]);
					const inCart = state.cart.filter(l => l.sku === line.sku).reduce((n, l) => n + l.qty, 0);
					throw new ToolError(`Only ${short!.available as number} of ${line.name} left; the order was not placed`, "rejected", undefined, {
						code: "sold_at_checkout",
						sku: line.sku,
						name: line.name,
						inStock: short!.available as number,
						inCart
					});
				});
			state.orders.push(order);
			state.orderId = order.orderId;
			state.cart = [];
			delete state.promoCode;
			state.awaitingConfirmation = false;
			return {
				orderId: order.orderId,
				status: order.status,
				total: order.total,
				totalText: money(order.total, order.currency),
				...(digital ? { digital: true } : { deliverTo: state.deliverTo }),
				...(order.paymentUrl ? { paymentUrl: order.paymentUrl } : {}),
				...(discount ? { promotion: { code: discount.code, discountText: discount.discountText } } : {}),
				...(promotion.promotionNotApplied ? { promotionNotApplied: promotion.promotionNotApplied } : {})
			};
		}
	},
	{
		name: ToolNames.SetDeliveryAddress,
		description:
			"Record where the customer wants the order delivered, as they wrote it (street and number, city, postcode; a shared location's place and address). Then call checkout, which shows it in the summary. A new address replaces the old one.",
		parameters: {
			type: "object",
			properties: { address: { type: "string", minLength: 5, maxLength: DELIVER_TO_MAX, description: "The full address, in the customer's words" } },
			required: ["address"],
			additionalProperties: false
		},
		async run(args: { address: string }, _ctx, state) {
			const address = deliveryAddress(args.address);
			if (!address) throw new ToolError("That is not an address an order can go to: ask for the street and number, city and postcode", "invalid_arguments", undefined, { code: "address_needed" });
			state.deliverTo = address;
			return { deliverTo: address };
		}
	},
	{
		name: ToolNames.ListPromotions,
		description: "The promotions running now in this store; apply_promo_code applies one the customer chooses. `descriptionEs`, where there is one, is the description to give a customer who writes Spanish.",
		parameters: { type: "object", properties: {}, required: [], additionalProperties: false },
		async run(_args: Record<string, never>, ctx, state) {
			const promotions = await ctx.catalog.promotions({ brand: ctx.brand });
			state.promotions.push(...promotions);
			return { count: promotions.length, promotions };
		}
	},
	{
		name: ToolNames.StorePolicy,
		description:
			"The store's terms of sale: delivery times, returns, warranty, payment methods. Answer such questions only from this; a topic it does not state is one to say you don't know and offer a person.",
		parameters: {
			type: "object",
			properties: { topic: { type: "string", enum: [...POLICY_TOPICS], description: "The one asked about; omit for all" } },
			required: [],
			additionalProperties: false
		},
		async run(args: { topic?: PolicyTopic }, ctx, state) {
			const policies = await ctx.catalog.policies({ brand: ctx.brand });
			state.policies.push(policies);
			const topics = args.topic ? [args.topic] : POLICY_TOPICS;
			const stated = Object.fromEntries(topics.flatMap(t => (policies[t] ? [[t, policies[t]]] : [])));
			const missing = topics.filter(t => !policies[t]);
			return {
				...(args.topic ? { topic: args.topic } : {}),
				...stated,
				...(missing.length ? { notStated: missing, note: "The store has not stated these: say you don't know and offer a person; never guess." } : {})
			};
		}
	},
	{
		name: ToolNames.ApplyPromoCode,
		description:
			"Apply a promotion code the customer gave to their cart; checkout then places the order with it. With an empty cart a running code is noted (`noted`) and priced once there is something to order; checkout drops it then if it does not apply.",
		parameters: {
			type: "object",
			properties: { code: { type: "string", minLength: 2, maxLength: 32, pattern: "^[A-Za-z0-9_-]+$", description: "The code as the customer wrote it" } },
			required: ["code"],
			additionalProperties: false
		},
		async run(args: { code: string }, ctx, state) {
			const code = args.code.toUpperCase();
			// Nothing to price yet: a code the shop is running is kept for the order (the checkout prices it
			// again, and says so if it turns out not to apply); one it isn't running is refused now.
			if (!state.cart.length) {
				const terms = (await ctx.catalog.promotions({ brand: ctx.brand })).find(p => p.code.toUpperCase() === code);
				if (!terms) throw new ToolError(`${code} is not a promotion code we know`, "rejected", undefined, { code: "promo_refused", promoCode: code, refusal: "unknown", reason: `${code} is not a promotion code we know` });
				state.promoCode = code;
				state.promotions.push(terms);
				return { noted: true, code, description: terms.description, ...(terms.descriptionEs ? { descriptionEs: terms.descriptionEs } : {}) };
			}
			const q = await priceWithCode(ctx, state, code);
			if (!q.promo?.applied) {
				const reason = q.promo?.reason ?? `${code} does not apply`;
				throw new ToolError(reason, "rejected", undefined, { code: "promo_refused", promoCode: code, refusal: q.promo?.refusal ?? "unknown", reason });
			}
			state.promoCode = code;
			// The promotion's own terms (its percentage) become facts the reply may quote.
			const terms = (await ctx.catalog.promotions({ brand: ctx.brand })).find(p => p.code.toUpperCase() === code);
			if (terms) state.promotions.push(terms);
			return {
				applied: true,
				code,
				description: q.promo.description ?? terms?.description,
				...(terms?.descriptionEs ? { descriptionEs: terms.descriptionEs } : {}),
				subtotalText: money(q.subtotal, q.currency),
				discountText: money(q.discount, q.currency),
				totalText: money(q.total, q.currency)
			};
		}
	},
	{
		name: ToolNames.OrderStatus,
		description:
			"Status of the customer's order (the latest one when no id is given; `others` then lists their other orders still on their way). `paymentUrl`, while it waits for payment, is where to pay: give it as it is.",
		parameters: {
			type: "object",
			properties: { orderId: { type: "string", minLength: 1, maxLength: 64 } },
			required: [],
			additionalProperties: false
		},
		async run(args: { orderId?: string }, ctx, state) {
			const [order, ...older] = args.orderId
				? [await ctx.orders.status({ waId: ctx.waId, brand: ctx.brand, orderId: args.orderId })]
				: await ctx.orders.recent({ waId: ctx.waId, brand: ctx.brand, limit: RECENT_ORDERS });
			// The id asked for goes back with the refusal: "no order 12345" is not "no order at all".
			if (!order) throw new ToolError("No order found for this customer", "not_found", undefined, { code: "no_order", ...(args.orderId ? { orderId: args.orderId } : {}) });
			// "Where are my orders?" with two on their way: both, not only the latest.
			const others = older.filter(o => o && o.status !== "delivered" && o.status !== "cancelled") as OrderView[];
			state.orders.push(order, ...others);
			return {
				...order,
				totalText: money(order.total, order.currency),
				...(others.length ? { others: others.map(o => ({ orderId: o.orderId, status: o.status, totalText: money(o.total, o.currency) })) } : {})
			};
		}
	},
	{
		name: ToolNames.ChangeOrderAddress,
		description:
			"Send the customer's order (the latest one when no id is given) to a new address, while it has not shipped. Use it when the customer changes where an order they already placed goes; before an order, use set_delivery_address.",
		parameters: {
			type: "object",
			properties: {
				address: { type: "string", minLength: 5, maxLength: DELIVER_TO_MAX, description: "The full new address, in the customer's words" },
				orderId: { type: "string", minLength: 1, maxLength: 64 }
			},
			required: ["address"],
			additionalProperties: false
		},
		async run(args: { address: string; orderId?: string }, ctx, state) {
			const address = deliveryAddress(args.address);
			if (!address) throw new ToolError("That is not an address an order can go to: ask for the street and number, city and postcode", "invalid_arguments", undefined, { code: "address_needed" });
			// Unnamed, the order that can still change: the latest not yet shipped (a cancelled one after it goes nowhere).
			const recent = args.orderId ? [] : await ctx.orders.recent({ waId: ctx.waId, brand: ctx.brand, limit: RECENT_ORDERS });
			const order = args.orderId ? await ctx.orders.status({ waId: ctx.waId, brand: ctx.brand, orderId: args.orderId }) : (recent.find(o => ["pending", "confirmed"].includes(o.status)) ?? recent[0] ?? null);
			if (!order) throw new ToolError("No order found for this customer", "not_found", undefined, { code: "no_order", ...(args.orderId ? { orderId: args.orderId } : {}) });
			const notChangeable = (status: string) =>
				new ToolError(`Order ${order.orderId} is ${status} and its address can no longer be changed`, "rejected", undefined, { code: "address_fixed", orderId: order.orderId, status });
			if (!["pending", "confirmed"].includes(order.status)) throw notChangeable(order.status);
			const changed = await ctx.orders.setAddress({ orderId: order.orderId, deliverTo: address });
			if ("notChangeable" in changed) throw notChangeable(changed.notChangeable);
			state.orders.push(changed.order);
			// The next order goes there too, unless the customer says otherwise.
			state.deliverTo = address;
			return { orderId: changed.order.orderId, status: changed.order.status, deliverTo: address };
		}
	},
	{
		name: ToolNames.CancelOrder,
		description:
			"Cancel the customer's order while it has not shipped: by id, or the one holding `item`, or their only open one; when several fit it lists them (`choose`) to ask which. Without confirm: shows the order and what it holds, and asks the customer to confirm; confirm=true only in the next turn, after the customer said yes to cancelling that order.",
		parameters: {
			type: "object",
			properties: {
				orderId: { type: "string", minLength: 1, maxLength: 64 },
				item: { type: "string", minLength: 2, maxLength: 100, description: "Without an id: words naming a product in the order the customer means (\"hoodie\", \"black boots\")" },
				confirm: { type: "boolean", description: "true only after the customer said yes to cancelling this order" }
			},
			required: [],
			additionalProperties: false
		},
		async run(args: { orderId?: string; item?: string; confirm?: boolean }, ctx, state) {
			// The customer's own order, by id or the latest: `status` never finds another customer's.
			const chosen = args.orderId ?? (args.confirm ? (state.wasCancelling ?? undefined) : undefined);
			const found = chosen ? await ctx.orders.status({ waId: ctx.waId, brand: ctx.brand, orderId: chosen }) : await orderToCancel(args.item, ctx, state);
			if (found && "choose" in found) return found;
			const order = found;
			if (!order) throw new ToolError("No order found for this customer", "not_found", undefined, { code: "no_order", ...(args.orderId ? { orderId: args.orderId } : {}) });
			state.orders.push(order);
			const view = { orderId: order.orderId, totalText: money(order.total, order.currency), ...(order.items?.length ? { items: order.items } : {}) };
			if (order.status === "cancelled") return { ...view, status: order.status, alreadyCancelled: true };
			const notCancellable = (status: string) =>
				new ToolError(`Order ${order.orderId} is ${status} and can no longer be cancelled`, "rejected", undefined, { code: "not_cancellable", orderId: order.orderId, status });
			if (order.status === "shipped" || order.status === "delivered") throw notCancellable(order.status);
			if (!args.confirm) {
				state.cancelling = order.orderId;
				return { ...view, status: order.status, confirmationNeeded: true };
			}
			if (state.wasCancelling !== order.orderId)
				throw new ToolError("Show the order and ask the customer to confirm cancelling it first", "rejected");
			// Paid (confirmed) orders are refunded by the store's people, not by this chat.
			const wasPaid = order.status === "confirmed";
			const done = await ctx.orders.cancel({ orderId: order.orderId, reason: "Cancelled by the customer in the chat" });
			if ("notCancellable" in done) throw notCancellable(done.notCancellable);
			state.orders.push(done.order);
			state.cancelled = order.orderId;
			return { ...view, status: done.order.status, cancelled: true, wasPaid };
		}
	},
	{
		name: ToolNames.EscalateToHuman,
		description: "Hand the conversation to a human seller.",
		parameters: {
			type: "object",
			properties: {
				reason: { type: "string", enum: ESCALATION_REASONS },
				summary: { type: "string", maxLength: 1000, description: "What the customer needs, for the human seller" }
			},
			required: ["reason"],
			additionalProperties: false
		},
		async run(args: { reason: EscalationReason; summary?: string }, _ctx, state) {
			state.escalation = { reason: args.reason, summary: args.summary };
			return { escalated: true };
		}
	}
];

const checks = new Map(
	TOOLS.map(t => [t.name, validator.compile(toValidatorSchema(t.parameters)) as (v: unknown) => true | FvError[]])
);
const byName = new Map(TOOLS.map(t => [t.name as string, t]));

/** The tool specs the model is offered. */
export const toolSpecs = (): ToolSpec[] => TOOLS.map(({ name, description, parameters }) => ({ name, description, parameters }));

/**
 * Parses, validates and runs one tool call. Throws `ToolError` for an unknown tool, arguments
 * that are not a JSON object or do not fit the schema, and for tool-level refusals; any other
 * error from the injected context becomes a `ToolError` of kind `failed` with a neutral message.
 */
export async function executeTool(name: string, rawArguments: string, ctx: ToolContext, state: TurnState): Promise<unknown> {
	const tool = byName.get(name);
	if (!tool) throw new ToolError(`Unknown tool '${name}'`, "unknown_tool");
	let args: unknown;
	try {
		args = rawArguments.trim() ? JSON.parse(rawArguments) : {};
	} catch {
		throw new ToolError(`Arguments of ${name} are not valid JSON`, "invalid_arguments");
	}
	if (typeof args !== "object" || args === null || Array.isArray(args))
		throw new ToolError(`Arguments of ${name} must be a JSON object`, "invalid_arguments");
	const result = checks.get(tool.name)!(args);
	if (result !== true)
		throw new ToolError(`Invalid arguments for ${name}: ${result.map(e => e.message).join("; ")}`, "invalid_arguments");
	try {
		const output = await tool.run(args, ctx, state);
		state.lastTool = tool.name;
		return output;
	} catch (err) {
		if (isUnavailable(err)) throw new ToolError(`${name} is unavailable right now`, "unavailable", err);
		if (err instanceof ToolError) throw err;
		throw new ToolError(`${name} is unavailable right now`, "failed", err);
	}
}

/** A failure marked retryable by whoever raised it (Moleculer's request timeouts and unavailable services, a store outage), here or in its causes. */
function isUnavailable(err: unknown): boolean {
	let e: unknown = err;
	for (let depth = 0; e && depth < 4; depth++, e = (e as { cause?: unknown }).cause)
		if ((e as { retryable?: unknown }).retryable === true) return true;
	return false;
}
