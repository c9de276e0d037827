/**
 * The sales assistant's brains for one escalation: the queue summary, the suggestions a human
 * seller sees beside the conversation (three replies, objection handling, suggested actions) and
 * the one-click approval of a suggested action.
 *
 * Facts come from where they live: the transcript tail from the store, the cart and the assigned
 * seller from the conversation's record (`ai-seller-<brand>.get`), products and promotions from the
 * catalog. The deterministic offline assistant always runs; with a model configured its answer
 * replaces the offline one only if it is valid JSON of the agreed shape whose actions name SKUs and
 * promotion codes we gave it. Anything else (timeout, HTTP error, bad JSON, an invented SKU) falls
 * back to the offline answer, so the seller always gets suggestions.
 *
 * Approved actions run through the AI seller's own tools (agents/tools.ts with the same
 * ToolContext the conversation host builds), and a cart change goes through the conversation's one
 * writer (`ai-seller-<brand>.updateCart` → `SELLER_CART_UPDATED`), never around it.
 */
import OpenAI from "openai";
import Validator from "fastest-validator";
import type { LoggerInstance, ServiceBroker } from "moleculer";
import type { LockHandle, Store } from "../../adapters/store/store";
import { readTranscript } from "../../adapters/transcript";
import { brokerConfig } from "../../adapters/broker-config";
import { cartTotal, orderItemOf, variantLabel, type CartLine, type ConversationContext } from "../../contracts/conversation";
import { ForbiddenError, NotFoundError, StoreClientError, UnavailableError } from "../../contracts/errors";
import { ESCALATION_REASONS, type EscalationReason } from "../../contracts/events";
import { colourNamed, coloursOf, formatMoney, type StorePolicies } from "../../contracts/catalog";
import { aiSellerServiceName } from "../../contracts/services";
import { SALES_ASSISTANT_ERRORS, type AssistCartLine, type AssistView, type SuggestedActionView } from "../../contracts/sales-assistant";
import { executeTool, isDigital, newTurnState, ToolError, ToolNames } from "../../agents/tools";
import { addressIn } from "../../agents/brain/address";
import { parseProductQuery } from "../../agents/brain/query";
import { toolContextFor, toProduct, type CatalogProduct } from "../ai-seller/tool-context";
import {
	actionId as actionIdOf,
	addressChange,
	assist,
	digitalOnly,
	orderLabel,
	OBJECTION_KINDS,
	promotionSavings,
	choiceSettings,
	sizesNamed,
	summarize,
	waitsForChoice,
	waitsForColour,
	waitsForSize,
	type AssistantCartLine,
	type AssistantInput,
	type AssistantOutput,
	type AssistantProduct,
	type AssistantPromotion,
	type ObjectionKind,
	type SuggestedAction,
	type SuggestionTrigger
} from "./offline-assistant";

export interface AssistDeps {
	broker: ServiceBroker;
	store: Store;
	logger: LoggerInstance;
	/** Absent: the offline assistant only. `timeoutMs` bounds one model call (default 10 s). */
	openai?: { apiKey: string; baseUrl?: string; model: string; timeoutMs?: number };
	now?: () => number;
	/** The conversation data's retention (CONVERSATION_RETENTION_DAYS); the suggestions' counter lives at least as long. */
	retentionMs?: number;
	/** PAYMENT_LINK_URL: where the customer pays an order a seller created, as for the AI seller's. */
	paymentLinkUrl?: string | null;
}

export interface EscalationFacts {
	escalationId: string;
	conversationId: string;
	brand: string;
	waId: string;
	customerName: string | null;
	reason: string;
	detail: string | null;
}

export const DEFAULT_ASSIST_TIMEOUT_MS = 10_000;
/** Lines of the transcript the assistant reads (and the model sees at most TRANSCRIPT_FOR_MODEL). */
const TRANSCRIPT_TAIL = 40;
const TRANSCRIPT_FOR_MODEL = 20;
const PRODUCTS_MAX = 12;
/** Suggestions, approvals and applied promotions outlive any escalation a seller works on. */
const ASSIST_TTL_MS = 7 * 24 * 3600 * 1000;
const APPROVE_LOCK_TTL_MS = 30_000;
const APPROVE_LOCK_WAIT_MS = 10_000;
const APPROVE_LOCK_POLL_MS = 20;

export const assistKey = (conversationId: string) => `assist:${conversationId}`;
const doneKey = (escalationId: string, actionId: string) => `assist:done:${escalationId}:${actionId}`;
const promoKey = (escalationId: string) => `assist:promo:${escalationId}`;
const approveLockKey = (conversationId: string) => `assist:approve:${conversationId}`;
const generationKey = (conversationId: string) => `assist:generation:${conversationId}`;
/** Orders a seller created through an approved action during an escalation (for conversions). */
export const escalationOrdersKey = (escalationId: string) => `assist:orders:${escalationId}`;

/** What `assist:<conversationId>` holds: the latest suggestions, with the actions' tool arguments. */
export interface StoredAssist {
	escalationId: string;
	/** Increases with every assist of the conversation: tells a fresh suggestion from a repeated click. */
	generation: number;
	view: AssistView;
	actions: SuggestedAction[];
	source: "model" | "offline";
	at: number;
}

interface ConversationRecordView {
	id: string;
	state: string;
	context: ConversationContext;
	version: number;
}

const invalid = (message: string, data?: Record<string, unknown>) => new StoreClientError(message, 422, SALES_ASSISTANT_ERRORS.Invalid, data);
/** The console's vocabulary: a conversation that is not (or no longer) with this seller is FORBIDDEN to them. */
const notYours = (message: string, data?: Record<string, unknown>) => new ForbiddenError(message, data);
const codeOf = (err: unknown) => (err as { code?: number }).code;

// ---- gathering the facts -------------------------------------------------------------------------

async function readConversation(deps: AssistDeps, facts: EscalationFacts): Promise<ConversationRecordView | null> {
	try {
		return await deps.broker.call<ConversationRecordView, { id: string }>(`${aiSellerServiceName(facts.brand)}.get`, { id: facts.conversationId });
	} catch (err) {
		if (codeOf(err) === 404) return null;
		throw err;
	}
}

/** A lookup that only enriches the suggestions: its failure is logged and costs that detail only. */
async function optional<T>(deps: AssistDeps, what: string, fallback: T, run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (err) {
		deps.logger.warn(`Sales assistant: ${what} unavailable (${(err as Error).message})`);
		return fallback;
	}
}

async function productOf(deps: AssistDeps, sku: string): Promise<CatalogProduct | null> {
	try {
		// No waId: the assistant looking at a product is not the customer viewing it.
		return await deps.broker.call<CatalogProduct, { sku: string }>("catalog.get", { sku });
	} catch (err) {
		if (codeOf(err) === 404) return null;
		throw err;
	}
}

async function promotionsOf(deps: AssistDeps, brand: string): Promise<AssistantPromotion[]> {
	const res = await deps.broker.call<{ items: (AssistantPromotion & { startsAt?: string; endsAt?: string })[] }, { brand: string }>("catalog.promotions", { brand });
	return res.items.map(p => ({
		code: p.code,
		description: p.description,
		...(p.descriptionEs ? { descriptionEs: p.descriptionEs } : {}),
		kind: p.kind,
		value: p.value,
		...(p.brand ? { brand: p.brand } : {}),
		...(p.category ? { category: p.category } : {}),
		...(p.minSubtotal !== undefined ? { minSubtotal: p.minSubtotal } : {}),
		...(p.firstOrderOnly ? { firstOrderOnly: true } : {})
	}));
}

/** The sizes a catalog product comes in (its view keeps them among its attributes), read as the AI seller's tools read them. */
const sizesOf = (p: CatalogProduct): string[] => toProduct(p).sizes ?? [];

/** The colours (or shades) a catalog product comes in, when several to choose from. */
const coloursToChoose = (p: CatalogProduct): string[] => {
	const colours = coloursOf(p.attributes);
	return colours.length > 1 ? colours : [];
};

const toAssistantProduct = (p: CatalogProduct): AssistantProduct => {
	const sizes = sizesOf(p);
	const colours = coloursToChoose(p);
	return {
		sku: p.sku,
		name: p.name,
		price: p.price,
		currency: p.currency,
		stock: p.stock,
		...(p.category ? { category: p.category } : {}),
		...(sizes.length ? { sizes } : {}),
		...(colours.length ? { colours } : {}),
		...(p.description ? { description: p.description } : {}),
		...(p.descriptionEs ? { descriptionEs: p.descriptionEs } : {})
	};
};

function sellerNameOf(deps: AssistDeps, sellerId: string | null | undefined): string | null {
	if (!sellerId) return null;
	return brokerConfig(deps.broker).sellers?.find(s => s.id === sellerId)?.name ?? null;
}

const reasonOf = (reason: string): EscalationReason => ((ESCALATION_REASONS as readonly string[]).includes(reason) ? (reason as EscalationReason) : "other");

/**
 * Everything the assistant needs, as the offline assistant's input. `withProducts: false` skips the
 * catalog searches (the queue summary needs only the cart's products).
 */
export async function gather(deps: AssistDeps, facts: EscalationFacts, opts: { withProducts: boolean }): Promise<{ input: AssistantInput; conversation: ConversationRecordView | null }> {
	const lines = await readTranscript(deps.store, facts.conversationId, { last: TRANSCRIPT_TAIL });
	const messages = lines.flatMap(l => (l.from === "system" ? [] : [{ from: l.from, text: l.text, at: l.at }]));
	const conversation = await optional(deps, "conversation record", null, () => readConversation(deps, facts));
	const ctx = conversation?.context;
	const cartSkus = (ctx?.cart ?? []).map(l => l.sku);
	const known = new Map<string, CatalogProduct>();
	const remember = (items: (CatalogProduct | null)[]) => {
		for (const p of items) if (p && p.brand === facts.brand && !known.has(p.sku)) known.set(p.sku, p);
	};
	remember(await optional(deps, "cart products", [], () => Promise.all(cartSkus.map(s => productOf(deps, s)))));
	const cart: AssistantCartLine[] = (ctx?.cart ?? []).map(l => {
		const product = known.get(l.sku);
		const category = product?.category;
		const sizes = product ? sizesOf(product) : [];
		const colours = product ? coloursToChoose(product) : [];
		return {
			sku: l.sku,
			name: l.name,
			...(l.size ? { size: l.size } : {}),
			...(l.color ? { color: l.color } : {}),
			qty: l.qty,
			unitPrice: l.unitPrice,
			currency: l.currency,
			...(category ? { category } : {}),
			...(product && isDigital(product) ? { digital: true } : {}),
			...(sizes.length ? { sizes } : {}),
			...(colours.length ? { colours } : {})
		};
	});

	const inCart = new Set(cartSkus);
	// The product the customer was looking at ("is this real leather?" names none): the queue's
	// summary says which, so it is read even when nothing else is.
	const focusSku = ctx?.focus && !inCart.has(ctx.focus) ? ctx.focus : null;
	const focusProduct = focusSku ? await optional(deps, "product in view", null, () => productOf(deps, focusSku)) : null;
	const focus = focusProduct && focusProduct.brand === facts.brand ? focusProduct : null;
	const products: AssistantProduct[] = [];
	if (!opts.withProducts && focus) products.push(toAssistantProduct(focus));
	if (opts.withProducts) {
		const candidates = new Map<string, CatalogProduct>();
		const add = (items: (CatalogProduct | null)[]) => {
			for (const p of items) if (p && p.brand === facts.brand && !inCart.has(p.sku) && !candidates.has(p.sku)) candidates.set(p.sku, p);
		};
		// The product in view, what the AI last showed, then what the customer's latest words find,
		// then cheaper alternatives to the dearest cart line, or to the product in view with an empty
		// cart (what a price objection needs).
		add([focus]);
		add(await optional(deps, "shown products", [], () => Promise.all((ctx?.shown ?? []).slice(0, 6).map(s => productOf(deps, s)))));
		const said = messages.filter(m => m.from === "customer").slice(-3).map(m => m.text).join(" ").slice(0, 200).trim();
		// Read as the AI seller reads a search: a budget is a price bound ("around 30 dollars" found the SPF 30 cream), words are product words.
		const asked = said ? parseProductQuery(said) : {};
		const bounds = { ...(asked.maxPrice !== undefined ? { maxPrice: asked.maxPrice } : {}), ...(asked.minPrice !== undefined ? { minPrice: asked.minPrice } : {}) };
		if (said)
			add(
				await optional(deps, "catalog search", [], async () =>
					(await deps.broker.call<{ items: CatalogProduct[] }, Record<string, unknown>>("catalog.search", { brand: facts.brand, query: asked.query ?? said, ...bounds, inStock: true, limit: 5 })).items
				)
			);
		const dearest = [...cart].sort((a, b) => b.unitPrice - a.unitPrice)[0] ?? (focus ? { category: focus.category, unitPrice: focus.price } : undefined);
		if (dearest?.category && dearest.unitPrice > 0)
			add(
				await optional(deps, "cheaper alternatives", [], async () =>
					(
						await deps.broker.call<{ items: CatalogProduct[] }, Record<string, unknown>>("catalog.search", {
							brand: facts.brand,
							category: dearest.category,
							maxPrice: dearest.unitPrice - 1,
							inStock: true,
							limit: 3
						})
					).items
				)
			);
		products.push(...[...candidates.values()].slice(0, PRODUCTS_MAX).map(toAssistantProduct));
	}
	const promotions = opts.withProducts ? await optional(deps, "promotions", [], () => promotionsOf(deps, facts.brand)) : [];
	const policies = opts.withProducts
		? await optional<StorePolicies | null>(deps, "policies", null, () => deps.broker.call<StorePolicies, { brand: string }>("catalog.policies", { brand: facts.brand }))
		: null;
	const applied = await deps.store.get<{ code: string }>(promoKey(facts.escalationId));
	// The latest address the customer wrote (to the seller, say) over the one the AI seller kept.
	const written = messages.flatMap(m => (m.from === "customer" ? [addressIn(m.text)] : [])).filter((a): a is string => a !== null).at(-1) ?? null;
	const orderId = ctx?.orderId;
	const order = orderId && opts.withProducts ? await optional(deps, "order", null, () => deps.broker.call<{ id: string; status: string; deliverTo?: string; createdAt?: string }, { id: string }>("orders.get", { id: orderId })) : null;

	const input: AssistantInput = {
		brand: facts.brand,
		waId: facts.waId,
		customerName: facts.customerName ?? ctx?.customer.name ?? null,
		reason: reasonOf(facts.reason),
		detail: facts.detail,
		messages,
		cart,
		products,
		promotions,
		policies,
		appliedPromotion: applied?.code ?? null,
		focus: focus?.sku ?? null,
		sellerName: sellerNameOf(deps, ctx?.sellerId),
		lang: ctx?.lang ?? null,
		deliverTo: written ?? ctx?.deliverTo ?? null,
		addressWritten: written,
		order: order ? { id: order.id, status: order.status, ...(order.deliverTo ? { deliverTo: order.deliverTo } : {}), ...(order.createdAt && Number.isFinite(Date.parse(order.createdAt)) ? { at: Date.parse(order.createdAt) } : {}) } : null
	};
	return { input, conversation };
}

// ---- summary -------------------------------------------------------------------------------------

/** Summary line(s) for the queue (offline, deterministic, never calls the model; may read the store). */
export async function summaryOf(deps: AssistDeps, facts: EscalationFacts): Promise<string> {
	const { input } = await gather(deps, facts, { withProducts: false });
	return summarize(input).text;
}

// ---- suggestions ---------------------------------------------------------------------------------

/** The console's view of an assistant answer. */
export function toAssistView(conversationId: string, out: Pick<AssistantOutput, "replies" | "objection" | "actions">, input?: AssistantInput): AssistView {
	return {
		conversationId,
		items: [...out.replies],
		actions: out.actions.map((a): SuggestedActionView => ({ id: a.id, kind: a.kind, label: a.label, params: { ...a.args } })),
		objection: out.objection ? { kind: out.objection.kind, advice: out.objection.guidance } : null,
		...(input ? { cart: input.cart.map(l => cartLineView(input, l)), promotion: input.appliedPromotion ?? null, deliverTo: input.deliverTo ?? null } : {})
	};
}

function cartLineView(input: AssistantInput, l: AssistantCartLine): AssistCartLine {
	const awaiting = waitsForSize(input, l) ? "size" : waitsForColour(input, l) ? "colour" : null;
	return {
		sku: l.sku,
		name: l.name,
		qty: l.qty,
		...(l.size ? { size: l.size } : {}),
		...(l.color ? { color: l.color } : {}),
		unitPrice: l.unitPrice,
		currency: l.currency,
		...(awaiting ? { awaiting } : {})
	};
}

/** Suggested replies (3), objection handling, suggested actions; stored so the actions can be approved. */
export async function assistFor(deps: AssistDeps, facts: EscalationFacts, trigger: SuggestionTrigger, done?: string): Promise<AssistView> {
	const { input } = await gather(deps, facts, { withProducts: true });
	if (done) input.done = done;
	const offline = assist(input, trigger);
	let answer: Pick<AssistantOutput, "replies" | "objection" | "actions"> = offline;
	let source: StoredAssist["source"] = "offline";
	// After an approval the first reply is what the action did, from its result: nothing to ask a model.
	if (deps.openai && trigger !== "action_approved") {
		try {
			answer = await modelAssist(deps.openai, input, offline, trigger);
			source = "model";
		} catch (err) {
			// Never the message bodies: the reason is about the answer's shape or the call.
			deps.logger.warn(`Sales assistant: model suggestions for ${facts.conversationId} not used, offline assistant instead (${(err as Error).message})`);
		}
	}
	const view = toAssistView(facts.conversationId, answer, input);
	const generation = await deps.store.incr(generationKey(facts.conversationId));
	const stored: StoredAssist = { escalationId: facts.escalationId, generation, view, actions: answer.actions, source, at: (deps.now ?? Date.now)() };
	// The counter must not start again while anything numbered by it lives: the suggestions, the
	// approvals (ASSIST_TTL_MS from up to ASSIST_TTL_MS later) and the escalation their orders'
	// idempotency keys name. Each use keeps it that long again.
	const counterTtlMs = Math.max(2 * ASSIST_TTL_MS, deps.retentionMs ?? 0);
	await deps.store.batch([
		{ op: "set", key: assistKey(facts.conversationId), value: stored, ttlMs: ASSIST_TTL_MS },
		{ op: "expire", key: generationKey(facts.conversationId), ttlMs: counterTtlMs }
	]);
	return view;
}

/** Why a model answer was refused; the caller falls back to the offline assistant. */
export class InvalidSuggestionError extends Error {
	constructor(message: string) {
		super(message);
		this.name = "InvalidSuggestionError";
	}
}

const ACTION_KINDS = ["add_to_cart", "apply_promotion", "create_order"] as const;

const checkModelAnswer = new Validator({ haltOnFirstError: false }).compile({
	replies: { type: "array", min: 3, max: 6, items: { type: "string", min: 1, max: 1000 } },
	objection: {
		type: "object",
		optional: true,
		nullable: true,
		props: { kind: { type: "enum", values: [...OBJECTION_KINDS] }, advice: { type: "string", min: 1, max: 600 } }
	},
	actions: {
		type: "array",
		optional: true,
		max: 5,
		items: {
			type: "object",
			props: {
				kind: { type: "enum", values: [...ACTION_KINDS] },
				sku: { type: "string", optional: true, min: 1, max: 64 },
				qty: { type: "number", integer: true, optional: true, min: 1, max: 20 },
				size: { type: "string", optional: true, min: 1, max: 24 },
				color: { type: "string", optional: true, min: 1, max: 32 },
				code: { type: "string", optional: true, min: 1, max: 64 }
			}
		}
	}
});

export interface ModelAnswer {
	replies: string[];
	objection?: { kind: ObjectionKind; advice: string } | null;
	actions?: { kind: (typeof ACTION_KINDS)[number]; sku?: string; qty?: number; size?: string; color?: string; code?: string }[];
}

/** The JSON object in the model's text (a ```json fence around it is tolerated, nothing else). */
export function parseModelAnswer(content: string | null | undefined): ModelAnswer {
	if (!content?.trim()) throw new InvalidSuggestionError("the model answered with no content");
	const text = content.trim().replace(/^```(?:json)?\s*([\s\S]*?)\s*```$/, "$1");
	let value: unknown;
	try {
		value = JSON.parse(text);
	} catch {
		throw new InvalidSuggestionError("the model's answer is not JSON");
	}
	if (typeof value !== "object" || value === null || Array.isArray(value)) throw new InvalidSuggestionError("the model's answer is not a JSON object");
	const result = checkModelAnswer(value);
	if (result !== true) throw new InvalidSuggestionError(`the model's answer does not fit: ${(result as { message?: string }[]).map(e => e.message).join("; ")}`);
	return value as ModelAnswer;
}

/**
 * The model's answer as suggestions, or InvalidSuggestionError. Actions may only name the products
 * and promotion codes the model was given; labels, ids and arguments are ours, built from the
 * catalog data, so nothing the model invents reaches the seller's buttons.
 */
export function validateModelAnswer(answer: ModelAnswer, input: AssistantInput, offline: AssistantOutput): Pick<AssistantOutput, "replies" | "objection" | "actions"> {
	const replies = [...new Set(answer.replies.map(r => r.trim()).filter(Boolean))];
	if (replies.length < 3) throw new InvalidSuggestionError("the model gave fewer than three distinct replies");
	const products = new Map((input.products ?? []).map(p => [p.sku.toUpperCase(), p]));
	const promotions = new Map((input.promotions ?? []).map(p => [p.code.toUpperCase(), p]));
	const actions: SuggestedAction[] = [];
	let promoCode = input.appliedPromotion ?? undefined;
	const currency = input.cart[0]?.currency ?? input.products?.[0]?.currency ?? "USD";
	for (const a of answer.actions ?? []) {
		if (a.kind === "add_to_cart") {
			const p = a.sku ? products.get(a.sku.toUpperCase()) : undefined;
			if (!p) throw new InvalidSuggestionError(`the model suggested adding an unknown product${a.sku ? ` (${a.sku.slice(0, 64)})` : ""}`);
			if (p.stock !== undefined && p.stock < (a.qty ?? 1)) throw new InvalidSuggestionError(`the model suggested ${p.sku} beyond its stock`);
			// The size as the offline assistant reads a customer's words, in the catalog's spelling; the
			// model's own text is not echoed in the reason (it may carry anything).
			const sizes = p.sizes ?? [];
			const named = a.size === undefined ? [] : sizesNamed(a.size, sizes);
			if (a.size !== undefined && !sizes.length) throw new InvalidSuggestionError(`the model suggested a size of ${p.sku}, which comes in one size only`);
			if (a.size !== undefined && named.length !== 1) throw new InvalidSuggestionError(`the model suggested ${p.sku} in a size it does not come in`);
			if (sizes.length && !named.length) throw new InvalidSuggestionError(`the model suggested adding ${p.sku} without its size`);
			const size = named[0];
			// The colour likewise; naming the only colour of a product is no choice, and is dropped.
			const colours = p.colours ?? [];
			const color = a.color === undefined || !colours.length ? undefined : colourNamed(a.color, colours);
			if (a.color !== undefined && colours.length && !color) throw new InvalidSuggestionError(`the model suggested ${p.sku} in a colour it does not come in`);
			if (colours.length && !color) throw new InvalidSuggestionError(`the model suggested adding ${p.sku} without its colour`);
			const args = { sku: p.sku, qty: a.qty ?? 1, ...(size ? { size } : {}), ...(color ? { color } : {}) };
			const variant = variantLabel(args);
			actions.push({
				id: actionIdOf("add_to_cart", args),
				kind: "add_to_cart",
				tool: "add_to_cart",
				label: `Add ${args.qty > 1 ? `${args.qty}× ` : ""}${p.name} (${variant ? `${variant}, ` : ""}${formatMoney(p.price, p.currency)}) to the cart`,
				args
			});
		} else if (a.kind === "apply_promotion") {
			const promo = a.code ? promotions.get(a.code.toUpperCase()) : undefined;
			if (!promo) throw new InvalidSuggestionError(`the model suggested an unknown promotion code${a.code ? ` (${a.code.slice(0, 64)})` : ""}`);
			const savings = promotionSavings(promo, input.cart, input.brand);
			const args = { code: promo.code };
			promoCode = promo.code;
			actions.push({
				id: actionIdOf("apply_promotion", args),
				kind: "apply_promotion",
				tool: "apply_promotion",
				label: savings > 0 ? `Apply ${promo.code} (saves ${formatMoney(savings, currency)})` : `Apply ${promo.code} (${promo.description})`,
				args
			});
		} else {
			if (!input.cart.length) throw new InvalidSuggestionError("the model suggested an order for an empty cart");
			const waiting = input.cart.find(l => waitsForChoice(input, l));
			if (waiting) throw new InvalidSuggestionError(`the model suggested an order while ${waiting.sku} waits for its ${waitsForSize(input, waiting) ? "size" : "colour"}`);
			if (!input.deliverTo && !digitalOnly(input)) throw new InvalidSuggestionError("the model suggested an order before the customer said where to deliver it");
			const args = { items: input.cart.map(orderItemOf), ...(promoCode ? { promoCode } : {}), ...(input.deliverTo ? { deliverTo: input.deliverTo } : {}) };
			actions.push({ id: actionIdOf("create_order", args), kind: "create_order", tool: "create_order", label: orderLabel(input, promoCode), args });
		}
	}
	// Setting a size or colour the customer has just named is read from their words, not judged: the model need not find it.
	const unique = [...new Map([...choiceSettings(input), ...addressChange(input), ...actions].map(a => [a.id, a])).values()];
	// The model's reading of an objection wins; when it saw none but the customer's words carry one,
	// the deterministic handling keeps the seller covered.
	const objection = answer.objection ? { kind: answer.objection.kind, guidance: answer.objection.advice, replies: [] } : offline.objection;
	return { replies: [replies[0]!, replies[1]!, replies[2]!], objection, actions: unique };
}

const SYSTEM_PROMPT = [
	"You assist a human sales seller of an online shop who has taken over a WhatsApp conversation from the shop's AI seller.",
	"Answer with ONE JSON object and nothing else, of this shape:",
	'{"replies": [three short messages the seller can send to the customer as they are, in the customer\'s language],',
	` "objection": null, or {"kind": ${OBJECTION_KINDS.map(k => `"${k}"`).join(" | ")}, "advice": "what the seller should do, for the seller's eyes"} when the customer's latest message objects ("fit": a worry about the size; "problem": something wrong with a purchase, when the replies apologise and ask for the order number and a photo, and no action sells),`,
	' "actions": [at most 3 of {"kind": "add_to_cart", "sku": "...", "qty": 1, "size": "...", "color": "..."} | {"kind": "apply_promotion", "code": "..."} | {"kind": "create_order"}]}.',
	"Use only SKUs listed in `products` and codes listed in `promotions`; never invent products, prices or codes.",
	"A product with `sizes` is added only with the size the customer chose, one of its `sizes`; a product without `sizes` takes no size. When the customer has not said which size, suggest no add_to_cart: one reply asks which of its sizes they want.",
	"A product with `colours` is added only with the colour the customer chose, one of its `colours`; when they have not said which, suggest no add_to_cart: one reply asks which colour (after the size, when both are missing).",
	"A cart line with `sizes` and no `size`, or with `colours` and no `color`, waits for that choice: no create_order until the customer names it; ask.",
	"Quote delivery times, returns, warranty and payment only from `policies`; a topic it does not state, do not promise.",
	"Suggest create_order only when the cart is not empty and the customer wants to buy.",
	'When `trigger` is "accepted", the shop has just told the customer that the seller joined, by name: the replies pick the conversation up and do not introduce the seller again.',
	"`productInView` is the product the customer was looking at: \"this\" and \"it\" in their words mean it."
].join("\n");

async function modelAssist(
	openai: NonNullable<AssistDeps["openai"]>,
	input: AssistantInput,
	offline: AssistantOutput,
	trigger: SuggestionTrigger
): Promise<Pick<AssistantOutput, "replies" | "objection" | "actions">> {
	const client = new OpenAI({
		apiKey: openai.apiKey,
		...(openai.baseUrl ? { baseURL: openai.baseUrl } : {}),
		// One attempt: a seller waiting for suggestions is better served by the offline ones now.
		maxRetries: 0,
		timeout: openai.timeoutMs ?? DEFAULT_ASSIST_TIMEOUT_MS
	});
	const facts = {
		shop: input.brand,
		trigger,
		customerFirstName: input.customerName?.trim().split(/\s+/)[0] ?? null,
		customerLanguage: input.lang ?? null,
		sellerFirstName: input.sellerName?.trim().split(/\s+/)[0] ?? null,
		escalationReason: input.reason,
		summary: offline.summary.text,
		transcript: input.messages.slice(-TRANSCRIPT_FOR_MODEL).map(m => ({ from: m.from, text: m.text })),
		cart: input.cart.map(l => ({
			sku: l.sku,
			name: l.name,
			qty: l.qty,
			price: formatMoney(l.unitPrice, l.currency),
			...(l.size ? { size: l.size } : l.sizes?.length ? { sizes: l.sizes } : {}),
			...(l.color ? { color: l.color } : l.colours?.length ? { colours: l.colours } : {})
		})),
		products: (input.products ?? []).map(p => ({
			sku: p.sku,
			name: p.name,
			price: formatMoney(p.price, p.currency),
			stock: p.stock,
			category: p.category,
			...(p.sizes?.length ? { sizes: p.sizes } : {}),
			...(p.colours?.length ? { colours: p.colours } : {}),
			...(p.description ? { description: input.lang === "es" ? (p.descriptionEs ?? p.description) : p.description } : {})
		})),
		promotions: (input.promotions ?? []).map(p => ({ code: p.code, description: p.description })),
		policies: input.policies ?? null,
		appliedPromotion: input.appliedPromotion ?? null,
		productInView: input.focus ?? null
	};
	let completion: OpenAI.Chat.Completions.ChatCompletion;
	try {
		completion = await client.chat.completions.create({
			model: openai.model,
			response_format: { type: "json_object" },
			temperature: 0.4,
			messages: [
				{ role: "system", content: SYSTEM_PROMPT },
				{ role: "user", content: JSON.stringify(facts) }
			]
		});
	} catch (err) {
		if (err instanceof OpenAI.APIConnectionTimeoutError) throw new Error("the model call timed out");
		if (err instanceof OpenAI.APIError && err.status) throw new Error(`the model endpoint answered ${err.status}`);
		throw new Error(`the model call failed: ${(err as Error).name}`);
	}
	return validateModelAnswer(parseModelAnswer(completion.choices?.[0]?.message?.content), input, offline);
}

// ---- approval ------------------------------------------------------------------------------------

async function acquire(deps: AssistDeps, key: string): Promise<LockHandle> {
	const deadline = Date.now() + APPROVE_LOCK_WAIT_MS;
	for (;;) {
		const lock = await deps.store.lock(key, APPROVE_LOCK_TTL_MS);
		if (lock) return lock;
		if (Date.now() > deadline) throw new UnavailableError("Another action on this conversation is still running", { key });
		await new Promise(r => setTimeout(r, APPROVE_LOCK_POLL_MS));
	}
}

const sameCart = (a: readonly CartLine[], b: readonly CartLine[]) =>
	a.length === b.length && a.every((l, i) => l.sku === b[i]!.sku && l.qty === b[i]!.qty && l.size === b[i]!.size && l.color === b[i]!.color);

/** What was done, for the customer: the seller sends it as it is (the first suggestion after an approval). */
export interface Approved {
	/** For the seller's eyes. */
	result: string;
	/** For the customer, in their language. */
	tell: string;
}

/** The customer's words: Spanish when they write it. */
const tellIn = (conversation: ConversationRecordView, en: string, es: string) => (conversation.context.lang === "es" ? es : en);

const cartTotalText = (cart: readonly CartLine[]) => formatMoney(cartTotal(cart), cart[0]!.currency);

const cartText = (cart: readonly CartLine[]) => {
	if (!cart.length) return "the cart is now empty";
	const total = cartTotal(cart);
	const count = cart.reduce((n, l) => n + l.qty, 0);
	return `the cart now holds ${count} item${count === 1 ? "" : "s"} for ${formatMoney(total, cart[0]!.currency)}`;
};

/**
 * Runs a suggested action the seller approved; NotFoundError for an unknown or stale actionId.
 * One at a time per conversation (a store lock), and once per suggestion: a second click (or a
 * stale tab) gets the first click's result, and an order's idempotency key comes from the action id.
 * Ids come from the content, so the same id suggested again by a LATER assist (the customer wants
 * a second one after the first was ordered) is a new suggestion and runs.
 */
export async function approveAction(deps: AssistDeps, facts: EscalationFacts, sellerId: string, actionId: string): Promise<Approved> {
	const lock = await acquire(deps, approveLockKey(facts.conversationId));
	try {
		const done = await deps.store.get<Approved & { generation: number }>(doneKey(facts.escalationId, actionId));
		const stored = await deps.store.get<StoredAssist>(assistKey(facts.conversationId));
		const action = stored && stored.escalationId === facts.escalationId ? stored.actions.find(a => a.id === actionId) : undefined;
		if (done && !(action && stored!.generation > done.generation)) return { result: done.result, tell: done.tell ?? "" };
		if (!action || !stored) throw new NotFoundError(`Suggested action '${actionId}'`, { conversationId: facts.conversationId, actionId });
		let conversation = await readConversation(deps, facts);
		if (!conversation) throw new NotFoundError(`Conversation '${facts.conversationId}'`, { conversationId: facts.conversationId });
		if (conversation.state === "escalated") {
			// The caller checked that this seller holds the escalation; the durable assignment event
			// has not reached the conversation yet. Assigning it here is what that event will do
			// (again, harmlessly) when it arrives.
			await deps.broker.call(`${aiSellerServiceName(facts.brand)}.send`, { id: facts.conversationId, type: "HUMAN_ASSIGNED", sellerId });
			conversation = (await readConversation(deps, facts))!;
		}
		if (conversation.state !== "human" || conversation.context.sellerId !== sellerId)
			throw notYours(`The conversation is not with seller ${sellerId} (it is ${conversation.state})`, { conversationId: facts.conversationId, state: conversation.state });

		let approved: Approved;
		if (action.kind === "add_to_cart") approved = await addToCart(deps, facts, sellerId, conversation, action.args);
		else if (action.kind === "apply_promotion") approved = await applyPromotion(deps, facts, sellerId, conversation, action.args.code);
		else if (action.kind === "change_address") approved = await changeAddress(deps, facts, sellerId, conversation, action.args);
		else approved = await createOrder(deps, facts, sellerId, conversation, action, stored.generation);
		await deps.store.set(doneKey(facts.escalationId, actionId), { ...approved, generation: stored.generation }, ASSIST_TTL_MS);
		return approved;
	} finally {
		await lock.release().catch(() => false);
	}
}

function toolFailure(err: unknown, what: string): Error {
	if (err instanceof ToolError && err.kind !== "failed") return invalid(err.message, { tool: what });
	return new UnavailableError(`${what} could not run right now`, { tool: what }, err);
}

/**
 * The customer's order goes to the address they wrote, while it has not shipped; the conversation
 * keeps the address for the next order. An order of another conversation is refused.
 */
async function changeAddress(deps: AssistDeps, facts: EscalationFacts, sellerId: string, conversation: ConversationRecordView, args: { orderId: string; deliverTo: string }): Promise<Approved> {
	const current = await deps.broker.call<{ id: string; conversationId?: string; waId: string }, { id: string }>("orders.get", { id: args.orderId });
	if (current.waId !== facts.waId || (current.conversationId && current.conversationId !== facts.conversationId))
		throw notYours(`Order ${args.orderId} is not this conversation's`, { orderId: args.orderId, conversationId: facts.conversationId });
	try {
		await deps.broker.call("orders.setAddress", { id: args.orderId, deliverTo: args.deliverTo });
	} catch (err) {
		if (codeOf(err) === 409) throw invalid(`Order ${args.orderId} has already shipped: its address can no longer change`, { orderId: args.orderId });
		throw err;
	}
	await writeCart(deps, facts, sellerId, conversation.context.cart, undefined, args.deliverTo);
	return {
		result: `Order ${args.orderId} now goes to ${args.deliverTo}.`,
		tell: tellIn(conversation, `Done — your order ${args.orderId} now goes to ${args.deliverTo}.`, `Listo — tu pedido ${args.orderId} ahora va a ${args.deliverTo}.`)
	};
}

async function writeCart(deps: AssistDeps, facts: EscalationFacts, sellerId: string, cart: CartLine[], orderId?: string, deliverTo?: string, promoCode?: string | null): Promise<CartLine[]> {
	const after = await deps.broker.call<{ state: string; cart: CartLine[] }, Record<string, unknown>>(`${aiSellerServiceName(facts.brand)}.updateCart`, {
		id: facts.conversationId,
		sellerId,
		cart,
		...(orderId ? { orderId } : {}),
		...(deliverTo ? { deliverTo } : {}),
		...(promoCode !== undefined ? { promoCode } : {})
	});
	// The machine ignores a seller who no longer has the conversation: then the cart did not change.
	if (!sameCart(after.cart, cart)) throw notYours("The conversation changed hands before the cart could be updated", { conversationId: facts.conversationId });
	return after.cart;
}

async function addToCart(
	deps: AssistDeps,
	facts: EscalationFacts,
	sellerId: string,
	conversation: ConversationRecordView,
	args: { sku: string; qty?: number; size?: string; color?: string }
): Promise<Approved> {
	const ctx = { ...toolContextFor(deps.broker, facts.conversationId, facts.brand, facts.waId), turn: conversation.context.turn };
	const state = newTurnState(conversation.context.cart, false);
	type Line = { name: string; qty: number; size?: string; color?: string };
	let out: { added?: Line; sized?: Line };
	try {
		// The size and colour ride in the args: the tool checks them against the catalog again, as for the AI seller.
		out = (await executeTool(ToolNames.AddToCart, JSON.stringify(args), ctx, state)) as typeof out;
	} catch (err) {
		throw toolFailure(err, ToolNames.AddToCart);
	}
	const cart = await writeCart(deps, facts, sellerId, state.cart);
	const total = cartTotalText(cart);
	if (out.sized) {
		const { name } = out.sized;
		const variant = variantLabel(out.sized);
		return {
			result: `Set ${name} to ${variant}; ${cartText(cart)}.`,
			tell: tellIn(conversation, `Done — your ${name} is now ${variant} in the cart. The total is ${total}.`, `Listo — tu ${name} queda en ${variant} en el carrito. El total es ${total}.`)
		};
	}
	const added = out.added!;
	const what = `${added.qty}× ${added.name}${variantLabel(added) ? ` (${variantLabel(added)})` : ""}`;
	return {
		result: `Added ${what} to the cart; ${cartText(cart)}.`,
		tell: tellIn(conversation, `Done — I've added ${what} to your cart. The total is ${total}.`, `Listo — agregué ${what} a tu carrito. El total es ${total}.`)
	};
}

interface Quote {
	subtotal: number;
	discount: number;
	total: number;
	currency: string;
	promo?: { code: string; applied: boolean; description?: string; reason?: string };
}

/**
 * A promotion applied by a seller is a code kept with the escalation: the cart lines keep their
 * catalog prices, and the order the seller creates carries the code (the catalog prices the
 * discount). Only a code running now for this brand that applies to this cart is accepted.
 */
async function applyPromotion(deps: AssistDeps, facts: EscalationFacts, sellerId: string, conversation: ConversationRecordView, code: string): Promise<Approved> {
	const promotions = await promotionsOf(deps, facts.brand);
	const promo = promotions.find(p => p.code.toUpperCase() === code.toUpperCase());
	if (!promo) throw invalid(`${code} is not a running promotion of ${facts.brand}`, { code });
	const cart = conversation.context.cart;
	if (!cart.length) throw invalid(`The cart is empty: add a product before applying ${promo.code}`, { code });
	const q = await deps.broker.call<Quote, Record<string, unknown>>("catalog.price", { items: cart.map(l => ({ sku: l.sku, qty: l.qty })), promoCode: promo.code, waId: facts.waId });
	if (!q.promo?.applied) throw invalid(`${promo.code} does not apply to this cart: ${q.promo?.reason ?? "not applicable"}`, { code: promo.code });
	await deps.store.set(promoKey(facts.escalationId), { code: promo.code }, ASSIST_TTL_MS);
	// The conversation keeps it too: handed back to the AI, the customer still gets the price they were told.
	await writeCart(deps, facts, sellerId, cart, undefined, undefined, promo.code);
	const [off, total, was] = [formatMoney(q.discount, q.currency), formatMoney(q.total, q.currency), formatMoney(q.subtotal, q.currency)];
	return {
		result: `${promo.code} applied (${promo.description}): ${off} off, the total becomes ${total} instead of ${was} when you create the order.`,
		tell: tellIn(
			conversation,
			`Done — I've applied ${promo.code} (${promo.description}): ${off} off, so your total comes to ${total} instead of ${was}.`,
			`Listo — apliqué ${promo.code} (${promo.descriptionEs ?? promo.description}): ${off} de descuento, así que el total queda en ${total} en lugar de ${was}.`
		)
	};
}

async function createOrder(
	deps: AssistDeps,
	facts: EscalationFacts,
	sellerId: string,
	conversation: ConversationRecordView,
	action: Extract<SuggestedAction, { kind: "create_order" }>,
	generation: number
): Promise<Approved> {
	// The orders service takes a line with no size or colour for any product: one that comes in them
	// would ship without. The catalog says which products do (a suggestion may predate the check, or the catalog).
	for (const item of action.args.items.filter(i => !i.size || !i.color)) {
		const product = await productOf(deps, item.sku);
		if (!product) continue;
		const sizes = item.size ? [] : sizesOf(product);
		if (sizes.length) throw invalid(`${product.name} needs a size before the order (sizes: ${sizes.join(", ")}): ask the customer`, { actionId: action.id, sku: item.sku, sizes });
		const colours = item.color ? [] : coloursToChoose(product);
		if (colours.length) throw invalid(`${product.name} needs a colour before the order (colours: ${colours.join(", ")}): ask the customer`, { actionId: action.id, sku: item.sku, colours });
	}
	const applied = await deps.store.get<{ code: string }>(promoKey(facts.escalationId));
	const promoCode = action.args.promoCode ?? applied?.code;
	const deliverTo = action.args.deliverTo ?? conversation.context.deliverTo;
	// A cart of gift-card codes goes nowhere: no address to ask for.
	const digital = !deliverTo && (await Promise.all(action.args.items.map(i => productOf(deps, i.sku)))).every(p => p !== null && isDigital(p));
	if (!deliverTo && !digital) throw invalid("The order needs a delivery address: ask the customer where to deliver it", { actionId: action.id });
	const tools = toolContextFor(deps.broker, facts.conversationId, facts.brand, facts.waId, deps.paymentLinkUrl ?? null);
	let order: Awaited<ReturnType<typeof tools.orders.create>>;
	try {
		order = await tools.orders.create({
			waId: facts.waId,
			brand: facts.brand,
			items: action.args.items,
			conversationId: facts.conversationId,
			// From the suggestion: a double click or a retry finds the same order.
			idempotencyKey: `sales:${facts.escalationId}:${generation}:${action.id}`,
			...(deliverTo ? { deliverTo } : {}),
			...(promoCode ? { promoCode } : {})
		});
	} catch (err) {
		if (codeOf(err) !== undefined && codeOf(err)! >= 400 && codeOf(err)! < 500) throw invalid(`The order could not be created: ${(err as Error).message}`, { actionId: action.id });
		throw err;
	}
	await deps.store.append(escalationOrdersKey(facts.escalationId), order.orderId);
	// The code went with this order; the next one starts without it, as after the AI seller's checkout.
	if (applied) await deps.store.del(promoKey(facts.escalationId));
	// What was ordered leaves the cart, as after the AI seller's checkout; the rest stays.
	const lineKey = (l: { sku: string; size?: string; color?: string }) => `${l.sku}\n${l.size ?? ""}\n${l.color ?? ""}`;
	const ordered = new Map(action.args.items.map(i => [lineKey(i), i.qty]));
	const remaining = conversation.context.cart.flatMap(l => {
		const qty = l.qty - (ordered.get(lineKey(l)) ?? 0);
		return qty > 0 ? [{ ...l, qty }] : [];
	});
	await writeCart(deps, facts, sellerId, remaining, order.orderId, deliverTo ?? undefined, applied ? null : undefined);
	const names = new Map(conversation.context.cart.map(l => [l.sku, l.name]));
	const what = action.args.items.map(i => `${i.qty}× ${names.get(i.sku) ?? i.sku}${variantLabel(i) ? ` (${variantLabel(i)})` : ""}`).join(", ");
	const total = formatMoney(order.total, order.currency);
	const pay = order.status === "pending" && order.paymentUrl ? order.paymentUrl : null;
	return {
		result: `Order ${order.orderId} created for ${what}: ${total}${promoCode ? ` with ${promoCode}` : ""}, ${deliverTo ? `to ${deliverTo}` : "a digital code"}, ${order.status === "pending" ? "awaiting payment" : order.status}${pay ? ` (payment link: ${pay})` : ""}; ${cartText(remaining)}.`,
		tell: tellIn(
			conversation,
			`Your order ${order.orderId} is placed: ${what}, ${total}${promoCode ? ` with ${promoCode}` : ""}.${deliverTo ? ` It goes to ${deliverTo}.` : ""}${pay ? ` You can pay here: ${pay}` : ""}`,
			`Tu pedido ${order.orderId} está hecho: ${what}, ${total}${promoCode ? ` con ${promoCode}` : ""}.${deliverTo ? ` Va a ${deliverTo}.` : ""}${pay ? ` Puedes pagarlo aquí: ${pay}` : ""}`
		)
	};
}
