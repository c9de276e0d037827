/**
 * Runs one agent turn: persona prompt + conversation state + the customer's new messages → a
 * bounded loop of model calls and tool executions → a guarded reply, the new cart, the intent and
 * an escalation decision, as the `TurnResult` the conversation machine expects in `TURN_COMPLETED`.
 *
 * The model is injected (`Model`: chat-completions shaped), so the same runner drives the OpenAI
 * SDK, the offline brain and a scripted model in tests. `runTurn` never throws: a model that keeps
 * failing turns into an escalation with a polite reply, never into an error shown to the customer.
 */
import type { CartLine, InboundMessage, OutboundReply, TurnEscalation, TurnResult } from "../contracts/conversation";
import { BRAND_CHOICE_PREFIX, cartTotal, ChoiceIds } from "../contracts/conversation";
import { formatMoney as money } from "../contracts/catalog";
import type { TokenUsage } from "../contracts/events";
import { DEFAULT_ESCALATION_RULES, type EscalationRules, escalationAfterTurn, escalationBeforeTurn } from "./escalation";
import { checkReply, correctReply, type Facts, factsFrom, maskPhones, type Violation } from "./guardrails";
import { detectLang, type Lang, wordsBeside } from "./language";
import { type Persona, systemPrompt } from "./personas";
import { cartView, executeTool, isRefusal, newTurnState, type Product, type ToolContext, ToolError, ToolNames, type ToolSpec, toolSpecs, type TurnState } from "./tools";

export interface ChatToolCall {
	id: string;
	name: string;
	/** JSON text, as the model wrote it (it may be malformed). */
	arguments: string;
}

export type ChatMessage =
	| { role: "system"; content: string }
	| { role: "user"; content: string }
	| { role: "assistant"; content: string | null; toolCalls?: ChatToolCall[] }
	| { role: "tool"; toolCallId: string; name: string; content: string };

export interface ModelRequest {
	messages: ChatMessage[];
	tools: ToolSpec[];
}

export interface ModelResponse {
	message: { content: string | null; toolCalls: ChatToolCall[] };
	usage?: { promptTokens: number; completionTokens: number };
	model?: string;
	/** Optional self-report (the offline brain gives it; an LLM usually does not). */
	intent?: string;
	understood?: boolean;
}

/** A chat-completions model. `complete` must honour `signal` (the runner's timeout). */
export interface Model {
	readonly name: string;
	complete(request: ModelRequest, options: { signal: AbortSignal }): Promise<ModelResponse>;
}

/** A model failure; `retryable` says whether another attempt may succeed (timeouts, 429, 5xx). */
export class ModelError extends Error {
	constructor(message: string, readonly retryable: boolean, cause?: unknown) {
		super(message, cause === undefined ? undefined : { cause });
		this.name = "ModelError";
	}
}

/** US dollars per million tokens. */
export interface ModelPrice {
	input: number;
	output: number;
}
export const DEFAULT_PRICING: Readonly<Record<string, ModelPrice>> = {
	"gpt-4o-mini": { input: 0.15, output: 0.6 },
	"gpt-4o": { input: 2.5, output: 10 },
	"gpt-4.1-mini": { input: 0.4, output: 1.6 },
	"gpt-4.1": { input: 2, output: 8 },
	offline: { input: 0, output: 0 }
};
/** For models not in the table: priced like the default model rather than as free. */
export const FALLBACK_PRICE: ModelPrice = DEFAULT_PRICING["gpt-4o-mini"];

export function estimateCostUsd(model: string, promptTokens: number, completionTokens: number, pricing = DEFAULT_PRICING): number {
	// Providers answer with dated names ("gpt-4o-mini-2024-07-18"): the longest listed prefix prices them.
	const key = model in pricing ? model : Object.keys(pricing).filter(k => model.startsWith(`${k}-`)).sort((a, b) => b.length - a.length)[0];
	const price = (key && pricing[key]) || FALLBACK_PRICE;
	return (promptTokens * price.input + completionTokens * price.output) / 1_000_000;
}

export const DEFAULT_RUNNER_OPTIONS = {
	/** Model calls that may request tools; the next one must answer in text. */
	maxToolRounds: 4,
	/** Per model call. */
	timeoutMs: 20_000,
	/** Extra attempts after a retryable model failure. */
	retries: 2,
	retryBackoffMs: 250,
	/** Regenerations after a guardrail violation before the reply is corrected instead. */
	regenerations: 1,
	rules: DEFAULT_ESCALATION_RULES as EscalationRules,
	pricing: DEFAULT_PRICING
};
export type RunnerOptions = typeof DEFAULT_RUNNER_OPTIONS;

export interface TurnInput {
	conversationId: string;
	brand: string;
	waId: string;
	customerName?: string;
	turn: number;
	messages: InboundMessage[];
	greet: boolean;
	cart: CartLine[];
	/** A promotion code the customer gave in an earlier turn, for checkout. */
	promoCode?: string | null;
	/** Where the customer's orders go, given in an earlier turn. */
	deliverTo?: string | null;
	/** The conversation is in `checkout`: the customer was asked to confirm. */
	awaitingConfirmation: boolean;
	/** SKUs of the last list shown, for "the second one". */
	shown: string[];
	/** The product the customer last asked about, for "add it". */
	focus?: string | null;
	/** The customer's language so far, for a message that does not show its own ("ok", "2"). */
	lang?: string | null;
	/** Sentiment scores, oldest first, this turn's messages included. */
	sentiment: number[];
	/** Consecutive misunderstood turns before this one. */
	misunderstood: number;
	orderId: string | null;
	/** The order the customer was asked, last turn, to confirm cancelling. */
	cancelling?: string | null;
	/** Earlier exchanges (text only), oldest first; the host keeps them short. */
	history?: ChatMessage[];
}

export interface ToolCallRecord {
	name: string;
	ok: boolean;
	error?: string;
	kind?: ToolError["kind"];
}

export interface TurnOutcome {
	result: TurnResult;
	usage: TokenUsage;
	modelCalls: number;
	toolCalls: ToolCallRecord[];
	violations: Violation[];
	regenerated: number;
	corrected: boolean;
	latencyMs: number;
	/** Why the model failed, for logs (never for the customer). */
	modelError?: string;
}

export interface RunnerDeps {
	model: Model;
	persona: Persona;
	/** `turn` is filled in from the input. */
	tools: Omit<ToolContext, "turn">;
	options?: Partial<RunnerOptions>;
	/** Injected for tests; real time otherwise. */
	now?: () => number;
}

const TOOL_INTENTS: Record<string, string> = {
	search_products: "search",
	get_product: "product",
	recommend: "recommend",
	add_to_cart: "add_to_cart",
	remove_from_cart: "remove_from_cart",
	view_cart: "view_cart",
	checkout: "checkout",
	order_status: "order_status",
	list_promotions: "promotions",
	store_policy: "policy",
	apply_promo_code: "promo_code",
	set_delivery_address: "delivery_address",
	change_order_address: "delivery_address",
	escalate_to_human: "human"
};

const HANDOFF: Record<Lang, string> = {
	en: "I'm bringing in a member of our team to help you — they'll join this chat as soon as they can. 🙏",
	es: "Voy a pedirle a una persona de nuestro equipo que te ayude — se unirá a este chat en cuanto pueda. 🙏"
};
const FALLBACK: Record<Lang, string> = {
	en: "Sorry, I couldn't get that just now. Could you tell me a bit more about what you're looking for?",
	es: "Perdón, no pude con eso ahora. ¿Me cuentas un poco más de lo que buscas?"
};

/** What the customer is told when their turn could not run at all and a person takes over. */
export function handoffReply(messages: InboundMessage[]): OutboundReply {
	return { text: HANDOFF[detectLang(userContent(messages))] };
}

/**
 * How the customer's messages reach the model: text as written, taps as `[tap <id>] <title>`.
 * `greet`: the turn greets, after the pick of a shop; a shop's word said later ("makeup" on a number
 * shared with the beauty shop) is what they asked this seller for.
 */
export function userContent(messages: InboundMessage[], greet = true): string {
	// "[audio]", "[image] a caption", "[order FJ-001x2 FJ-002x1]": the model and the brain see what came.
	return messages
		.map(m => {
			// Picking a shop on a shared number chose who answers; it asks nothing of them. A tap of
			// one says so (its words tell the language to say hello in); its name typed is dropped.
			if (greet && m.namesBrand && !m.choiceId?.startsWith(BRAND_CHOICE_PREFIX)) return "";
			const text = m.text ? ` ${m.text}` : "";
			if (m.choiceId) return `[tap ${m.choiceId}]${text}`;
			if (m.orderItems?.length) return `[order ${m.orderItems.map(i => `${i.sku}x${i.qty}`).join(" ")}]${text}`;
			return m.media ? `[${m.media}]${text}` : (m.text ?? "");
		})
		.filter(Boolean)
		.join("\n");
}

/** The state the model (or the offline brain) reads as a system message; JSON after `[state]`. */
export function stateMessage(input: TurnInput, persona: Persona): string {
	return `[state] ${JSON.stringify({
		brand: input.brand,
		seller: persona.name,
		customerName: input.customerName ?? null,
		greet: input.greet,
		awaitingConfirmation: input.awaitingConfirmation,
		cart: cartView(input.cart),
		promoCode: input.promoCode ?? null,
		deliverTo: input.deliverTo ?? null,
		shown: input.shown.map((sku, i) => ({ position: i + 1, sku })),
		focus: input.focus ?? null,
		lastOrderId: input.orderId,
		cancelling: input.cancelling ?? null
	})}`;
}

const truncate = (s: string, n: number) => (s.length <= n ? s : `${s.slice(0, n - 1)}…`);

/**
 * The one product this turn showed in detail (or found alone), in stock and not waiting in the
 * cart for a size: its reply gets an "Add to cart" button, one tap instead of typing "add it".
 */
function productInView(state: TurnState): Product | undefined {
	const sku = state.focus;
	if (!sku || !(state.detailed.includes(sku) || (state.shown.length === 1 && state.shown[0]!.sku === sku))) return undefined;
	// Already in the cart, the reply says so; a second one is a "make it 2" away.
	if (state.detailed.length > 1 || state.cart.some(l => l.sku === sku)) return undefined;
	const product = state.seen.get(sku);
	return product && product.stock > 0 ? product : undefined;
}

/**
 * Meta's limits: 10 rows, row title 24, description 72, button label 20, body 1024 / text 4096.
 * `focusBefore` is the product in focus when the turn began: its photo was shown then, so questions
 * about it get their answer without the same picture again.
 */
export function composeReply(text: string, state: TurnState, lang: Lang, focusBefore: string | null = null): OutboundReply {
	// A yes-or-no question: [id, English title, Spanish title] of each answer.
	const asking = (...answers: [string, string, string][]): OutboundReply => ({
		text: truncate(text, 1024),
		buttons: answers.map(([id, en, es]) => ({ id, title: lang === "es" ? es : en }))
	});
	if (state.awaitingConfirmation) return asking([ChoiceIds.ConfirmCheckout, "Confirm order", "Confirmar pedido"], [ChoiceIds.CancelCheckout, "Cancel", "Cancelar"]);
	if (state.cancelling) return asking([ChoiceIds.CancelOrder, "Yes, cancel it", "Sí, cancelarlo"], [ChoiceIds.KeepOrder, "No, keep it", "No, mantenerlo"]);
	const inView = state.orderId ? undefined : productInView(state);
	const addToCart = inView && [{ id: ChoiceIds.product(inView.sku), title: lang === "es" ? "Agregar al carrito" : "Add to cart" }];
	// "Can I see it?": the photo, the answer as its caption (Meta's caption limit is the body's, 1024),
	// with the button when the photo is of the product it adds.
	if (state.photo) return { text: truncate(text, 1024), image: { link: state.photo }, ...(addToCart && inView.imageUrl === state.photo ? { buttons: addToCart } : {}) };
	// A product card: its photo as the message's header the first time it is in view.
	if (addToCart) return { text: truncate(text, 1024), buttons: addToCart, ...(inView.imageUrl && inView.sku !== focusBefore ? { image: { link: inView.imageUrl } } : {}) };
	// After "add the loveseat" found by a search, the list of that one search is not what comes next.
	const listing = state.lastTool === ToolNames.SearchProducts || state.lastTool === ToolNames.Recommend;
	if (state.shown.length && listing && !state.orderId)
		return {
			text: truncate(text, 1024),
			list: {
				button: lang === "es" ? "Ver productos" : "View products",
				sections: [
					{
						title: lang === "es" ? "Productos" : "Products",
						rows: state.shown.slice(0, 10).map((p: Product) => ({
							id: ChoiceIds.product(p.sku),
							title: truncate(p.name, 24),
							description: truncate(`${money(p.promotion?.price ?? p.price, p.currency)}${p.stock > 0 ? "" : lang === "es" ? " · agotado" : " · out of stock"}`, 72)
						}))
					}
				]
			}
		};
	return { text: truncate(text, 4096) };
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

async function callModel(
	model: Model,
	request: ModelRequest,
	opts: RunnerOptions
): Promise<{ response: ModelResponse; attempts: number }> {
	let lastError: unknown;
	for (let attempt = 1; attempt <= opts.retries + 1; attempt++) {
		const controller = new AbortController();
		let timer: NodeJS.Timeout | undefined;
		const timeout = new Promise<never>((_, reject) => {
			timer = setTimeout(() => {
				controller.abort();
				reject(new ModelError(`The model did not answer within ${opts.timeoutMs} ms`, true));
			}, opts.timeoutMs);
		});
		try {
			const response = await Promise.race([model.complete(request, { signal: controller.signal }), timeout]);
			return { response, attempts: attempt };
		} catch (err) {
			lastError = err;
			const retryable = err instanceof ModelError ? err.retryable : true;
			if (!retryable || attempt > opts.retries) break;
			await sleep(opts.retryBackoffMs * 2 ** (attempt - 1));
		} finally {
			clearTimeout(timer);
		}
	}
	throw lastError instanceof ModelError ? lastError : new ModelError(String((lastError as Error)?.message ?? lastError), false, lastError);
}

/** A turn given up because a tool's service did not answer: nothing of it is kept, and it can run again. */
export class TurnUnavailableError extends Error {
	constructor(message: string, cause?: unknown) {
		super(message, cause === undefined ? undefined : { cause });
		this.name = "TurnUnavailableError";
	}
}

export async function runTurn(input: TurnInput, deps: RunnerDeps): Promise<TurnOutcome> {
	const opts: RunnerOptions = { ...DEFAULT_RUNNER_OPTIONS, ...deps.options };
	const now = deps.now ?? Date.now;
	const started = now();
	const text = userContent(input.messages, input.greet);
	const earlier = (input.history ?? []).flatMap(m => (m.role === "user" ? [m.content] : [])).join(" ");
	const fallbackLang = detectLang(earlier, input.lang === "es" ? "es" : "en");
	const lang = detectLang(text, fallbackLang);
	const state = newTurnState(input.cart, input.awaitingConfirmation, input.promoCode, input.shown, input.cancelling ?? null, input.deliverTo ?? null);
	const usage = { promptTokens: 0, completionTokens: 0 };
	let modelName = deps.model.name;
	const toolCalls: ToolCallRecord[] = [];
	let modelCalls = 0;

	const finish = (
		replyText: string,
		extra: { intent: string; understood: boolean; escalation?: TurnEscalation | null; violations?: Violation[]; regenerated?: number; corrected?: boolean; modelError?: string }
	): TurnOutcome => {
		// An address given this turn says nothing of the language ("12 Rue de Rivoli"): the words around it do.
		const given = state.deliverTo && state.deliverTo !== input.deliverTo ? state.deliverTo : null;
		const replyLang = given ? detectLang(wordsBeside(text, given), fallbackLang) : lang;
		const reply = extra.escalation ? { text: replyText } : composeReply(replyText, state, replyLang, input.focus ?? null);
		const tokens: TokenUsage = {
			...usage,
			totalTokens: usage.promptTokens + usage.completionTokens,
			costUsd: estimateCostUsd(modelName, usage.promptTokens, usage.completionTokens, opts.pricing)
		};
		return {
			result: {
				turn: input.turn,
				reply,
				cart: state.cart,
				promoCode: state.promoCode ?? null,
				...(state.deliverTo && state.deliverTo !== input.deliverTo ? { deliverTo: state.deliverTo } : {}),
				...(state.orderId ? { orderId: state.orderId } : {}),
				...(state.cancelling && !extra.escalation ? { cancelling: state.cancelling } : {}),
				...(state.cancelled ? { cancelledOrderId: state.cancelled } : {}),
				awaitingConfirmation: !extra.escalation && state.awaitingConfirmation,
				intent: extra.intent,
				understood: extra.understood,
				escalation: extra.escalation ?? null,
				shown: state.shown.map(p => p.sku),
				...(state.focus !== undefined ? { focus: state.focus } : {}),
				lang: replyLang,
				usage: tokens,
				model: modelName
			},
			usage: tokens,
			modelCalls,
			toolCalls,
			violations: extra.violations ?? [],
			regenerated: extra.regenerated ?? 0,
			corrected: extra.corrected ?? false,
			latencyMs: now() - started,
			...(extra.modelError ? { modelError: extra.modelError } : {})
		};
	};

	// A clear signal before the model runs saves a paid call that would end with a person anyway.
	const before = escalationBeforeTurn({ text, sentiment: input.sentiment }, opts.rules);
	if (before) return finish(HANDOFF[lang], { intent: before.reason === "human_requested" ? "human" : "frustrated", understood: true, escalation: before });

	const messages: ChatMessage[] = [
		{ role: "system", content: systemPrompt(deps.persona) },
		{ role: "system", content: stateMessage(input, deps.persona) },
		...(input.history ?? []),
		{ role: "user", content: text || "(the customer sent a message with no text)" }
	];
	const ctx: ToolContext = { ...deps.tools, turn: input.turn };
	const tools = toolSpecs();
	let intent: string | undefined;
	let selfReport: { intent?: string; understood?: boolean } = {};
	let replyText: string | null = null;
	let failures = 0;

	const ask = async (withTools: boolean) => {
		const { response } = await callModel(deps.model, { messages, tools: withTools ? tools : [] }, opts);
		modelCalls++;
		usage.promptTokens += response.usage?.promptTokens ?? 0;
		usage.completionTokens += response.usage?.completionTokens ?? 0;
		if (response.model) modelName = response.model;
		selfReport = { intent: response.intent ?? selfReport.intent, understood: response.understood ?? selfReport.understood };
		return response;
	};

	try {
		for (let round = 0; ; round++) {
			const canUseTools = round < opts.maxToolRounds;
			const response = await ask(canUseTools);
			const calls = canUseTools ? response.message.toolCalls : [];
			if (!calls.length) {
				replyText = response.message.content?.trim() || null;
				break;
			}
			messages.push({ role: "assistant", content: response.message.content, toolCalls: calls });
			for (const call of calls) {
				intent ??= TOOL_INTENTS[call.name];
				try {
					const output = await executeTool(call.name, call.arguments, ctx, state);
					toolCalls.push({ name: call.name, ok: true });
					messages.push({ role: "tool", toolCallId: call.id, name: call.name, content: JSON.stringify(output) });
				} catch (err) {
					const e = err instanceof ToolError ? err : new ToolError("The tool failed", "failed", err);
					// The store's own services are down for a moment: the turn is tried again whole, rather
					// than counted as the customer's request failing (which hands them to a person).
					if (e.kind === "unavailable") throw new TurnUnavailableError(e.message, e);
					// A refusal by the store's rules is an answer for the customer, not a tool failing.
					if (!isRefusal(e)) failures++;
					toolCalls.push({ name: call.name, ok: false, error: e.message, kind: e.kind });
					messages.push({ role: "tool", toolCallId: call.id, name: call.name, content: JSON.stringify({ error: e.message, ...e.facts }) });
				}
			}
			if (state.escalation) break;
		}
	} catch (err) {
		if (err instanceof TurnUnavailableError) throw err;
		const detail = err instanceof Error ? err.message : String(err);
		return finish(HANDOFF[lang], {
			intent: intent ?? "unknown",
			understood: false,
			escalation: { reason: "model_failure", detail },
			modelError: detail
		});
	}

	if (state.escalation)
		return finish(HANDOFF[lang], { intent: "human", understood: true, escalation: state.escalation });

	// Guardrails: regenerate with the violations named, then correct what is still wrong.
	const cartBefore = input.cart;
	const facts: Facts = factsFrom(state, cartBefore);
	let violations = replyText ? checkReply(replyText, facts) : [];
	const allViolations = [...violations];
	let regenerated = 0;
	try {
		while (replyText && violations.some(v => v.kind !== "phone") && regenerated < opts.regenerations) {
			regenerated++;
			messages.push({ role: "assistant", content: replyText });
			messages.push({
				role: "system",
				content: `Your reply quoted ${violations.map(v => `"${v.text}"`).join(", ")}, which is not in the catalog data or the store's policies of this conversation. Rewrite it quoting only prices, stock, promotions and terms of sale from the tool results, or none.`
			});
			const response = await ask(false);
			replyText = response.message.content?.trim() || null;
			violations = replyText ? checkReply(replyText, facts) : [];
			allViolations.push(...violations);
		}
	} catch {
		// A failed regeneration leaves the first reply to be corrected below.
	}
	let corrected = false;
	if (replyText && violations.length) {
		const fixed = violations.some(v => v.kind !== "phone") ? correctReply(replyText, facts) : maskPhones(replyText, facts);
		corrected = true;
		replyText = fixed;
	}

	// Without a self-report: a turn whose every tool call failed, or with no usable text, was not understood.
	const understood = selfReport.understood ?? (replyText !== null && !(toolCalls.length > 0 && failures === toolCalls.length));
	const finalIntent = selfReport.intent ?? intent ?? (input.greet ? "greeting" : "chat");
	const misunderstood = understood ? 0 : input.misunderstood + 1;
	const after = escalationAfterTurn(
		{ sentiment: input.sentiment, toolFailures: failures, misunderstood, cartTotal: cartTotal(state.cart), cartTotalBefore: cartTotal(input.cart) },
		opts.rules
	);
	const safeText = replyText ?? FALLBACK[lang];
	if (after) {
		const text = after.reason === "high_value" && replyText ? `${replyText}\n\n${HANDOFF[lang]}` : HANDOFF[lang];
		return finish(text, { intent: finalIntent, understood, escalation: after, violations: allViolations, regenerated, corrected });
	}
	return finish(safeText, { intent: finalIntent, understood: understood && replyText !== null, violations: allViolations, regenerated, corrected });
}
