/**
 * Saving and restoring conversation actors as `{ version, snapshot }`, pure (no store I/O: the host
 * reads and writes the JSON).
 *
 * Loading never crashes the process over a snapshot that no longer fits the machine:
 *   - older versions are migrated step by step (MIGRATIONS[n] turns version n into n + 1);
 *   - a state the machine no longer has is moved to a safe state (`cart` when the cart has items,
 *     otherwise `browsing`) with its context kept, and the repair is reported;
 *   - missing or mistyped context fields get their defaults;
 *   - the restored actor's status is checked before `start()` and an error subscriber is always
 *     attached (an actor in status `error` started with no subscriber throws asynchronously).
 * Only what cannot be trusted at all is refused with `ConversationSnapshotError`: not JSON, not a
 * `{ version, snapshot }`, or a version newer than this code (a newer node wrote it; overwriting it
 * would lose data, so the host leaves it to a node that understands it).
 */
import { type Actor, type AnyActorRef, createActor, type InspectionEvent, type SnapshotFrom } from "xstate";
import {
	type CartLine,
	type ConversationContext,
	type ConversationInput,
	type ConversationState,
	type InboundMessage,
	type PersistedConversation,
	type PersistedSnapshot,
	type StoredConversationContext,
	CONVERSATION_SNAPSHOT_VERSION,
	CONVERSATION_STATES,
	DEFAULT_IDLE_TIMEOUT_MS,
	deliveryAddress,
	HANDLED_IDS_LIMIT,
	handledId,
	INBOX_LIMIT,
	isMediaKind,
	newConversationContext,
	NOTIFIED_LIMIT,
	SENTIMENT_HISTORY_LIMIT,
	SHOWN_LIMIT
} from "../contracts/conversation";
import { ESCALATION_REASONS, type EscalationReason } from "../contracts/events";
import { type ConversationMachine, conversationMachine } from "./conversation.machine";

export class ConversationSnapshotError extends Error {
	readonly code = "CONVERSATION_SNAPSHOT_INVALID";
	constructor(message: string, readonly data: Record<string, unknown> = {}) {
		super(message);
		this.name = "ConversationSnapshotError";
	}
}

export type ConversationSnapshot = SnapshotFrom<ConversationMachine>;
export type ConversationActor = Actor<ConversationMachine>;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Version 1 was the prototype's format: state `greeting` instead of `new`, the cart as a map
 * `{ sku: { qty, unitPrice, name } }` in USD, `lastMessageAt`, `escalationReason` as a bare
 * string, and no deadlines, inbox or notification memory.
 */
function migrateV1(snapshot: Json): Json {
	const ctx = isObject(snapshot.context) ? snapshot.context : {};
	const cartMap = isObject(ctx.cart) ? ctx.cart : {};
	const cart: CartLine[] = Object.entries(cartMap).flatMap(([sku, line]) =>
		isObject(line) && Number.isInteger(line.qty) && Number.isInteger(line.unitPrice)
			? [{ sku, name: typeof line.name === "string" ? line.name : sku, qty: line.qty as number, unitPrice: line.unitPrice as number, currency: "USD" }]
			: []
	);
	const lastInboundAt = typeof ctx.lastMessageAt === "number" ? ctx.lastMessageAt : null;
	const reason = ctx.escalationReason;
	const { lastMessageAt: _l, escalationReason: _e, ...rest } = ctx;
	return {
		...snapshot,
		value: snapshot.value === "greeting" ? "new" : snapshot.value,
		context: {
			...rest,
			cart,
			lastInboundAt,
			escalation: typeof reason === "string" ? { reason } : null,
			// A v1 turn in flight cannot be resumed: its result would carry no turn we know.
			pendingTurn: null,
			deadlines: { idleAt: lastInboundAt === null ? null : lastInboundAt + DEFAULT_IDLE_TIMEOUT_MS }
		}
	};
}

/** MIGRATIONS[n] turns a version-n snapshot into a version n + 1 one. */
export const MIGRATIONS: Record<number, (snapshot: Json) => Json> = {
	1: migrateV1
};

const num = (v: unknown, fallback: number): number => (typeof v === "number" && Number.isFinite(v) ? v : fallback);
const numOrNull = (v: unknown): number | null => (typeof v === "number" && Number.isFinite(v) ? v : null);
const strOrNull = (v: unknown): string | null => (typeof v === "string" && v.length > 0 ? v : null);
const strings = (v: unknown, limit: number): string[] =>
	Array.isArray(v) ? v.filter((s): s is string => typeof s === "string").slice(-limit) : [];

function cartLines(v: unknown): CartLine[] {
	if (!Array.isArray(v)) return [];
	return v.flatMap(l =>
		isObject(l) && typeof l.sku === "string" && Number.isInteger(l.qty) && (l.qty as number) > 0 && Number.isInteger(l.unitPrice)
			? [{
					sku: l.sku,
					name: typeof l.name === "string" ? l.name : l.sku,
					...(typeof l.size === "string" && l.size ? { size: l.size } : {}),
					...(typeof l.color === "string" && l.color ? { color: l.color } : {}),
					qty: l.qty as number,
					unitPrice: l.unitPrice as number,
					currency: typeof l.currency === "string" ? l.currency : "USD"
				}]
			: []
	);
}

function orderItems(v: unknown[]): { sku: string; qty: number }[] {
	return v.filter((i): i is Json => isObject(i) && typeof i.sku === "string" && Number.isInteger(i.qty) && (i.qty as number) > 0).map(i => ({ sku: i.sku as string, qty: i.qty as number }));
}

function inbox(v: unknown): InboundMessage[] {
	if (!Array.isArray(v)) return [];
	return v
		.filter((m): m is Json => isObject(m) && typeof m.messageId === "string" && typeof m.at === "number")
		.map(m => ({
			messageId: m.messageId as string,
			at: m.at as number,
			...(typeof m.text === "string" ? { text: m.text } : {}),
			...(typeof m.choiceId === "string" ? { choiceId: m.choiceId } : {}),
			...(typeof m.media === "string" && isMediaKind(m.media) ? { media: m.media } : {}),
			...(Array.isArray(m.orderItems) ? { orderItems: orderItems(m.orderItems) } : {}),
			...(typeof m.sentiment === "number" ? { sentiment: m.sentiment } : {}),
			...(m.withdrawsHuman === true ? { withdrawsHuman: true as const } : {}),
			...(typeof m.namesBrand === "string" ? { namesBrand: m.namesBrand } : {})
		}))
		.slice(-INBOX_LIMIT);
}

/** Every context field with its type checked; a missing or mistyped one gets its default. */
function normaliseContext(raw: Json, problems: string[]): ConversationContext {
	const customer = isObject(raw.customer) ? raw.customer : {};
	const conversationId = strOrNull(raw.conversationId);
	const waId = strOrNull(customer.waId);
	if (!conversationId || !waId) throw new ConversationSnapshotError("The snapshot names no conversation or customer");
	const escalation = isObject(raw.escalation) && ESCALATION_REASONS.includes(raw.escalation.reason as EscalationReason)
		? {
				reason: raw.escalation.reason as EscalationReason,
				...(typeof raw.escalation.detail === "string" ? { detail: raw.escalation.detail } : {})
			}
		: null;
	if (raw.escalation && !escalation) problems.push("unknown escalation reason dropped");
	const brand = strOrNull(raw.brand);
	const brands = strings(raw.brands, 16);
	const deadlines = isObject(raw.deadlines) ? raw.deadlines : {};
	return {
		conversationId,
		brand,
		brands: brands.length ? brands : brand ? [brand] : [],
		customer: { waId, ...(typeof customer.name === "string" ? { name: customer.name } : {}) },
		cart: cartLines(raw.cart),
		// Snapshots from before promotion codes have none.
		promoCode: strOrNull(raw.promoCode),
		// Snapshots from before delivery addresses have none; one that no longer reads as an address is dropped.
		deliverTo: typeof raw.deliverTo === "string" ? deliveryAddress(raw.deliverTo) : null,
		lastInboundAt: numOrNull(raw.lastInboundAt),
		orderId: strOrNull(raw.orderId),
		cancelling: strOrNull(raw.cancelling),
		sentiment: Array.isArray(raw.sentiment)
			? raw.sentiment.filter((s): s is number => typeof s === "number" && s >= 0 && s <= 1).slice(-SENTIMENT_HISTORY_LIMIT)
			: [],
		escalation,
		turn: Math.max(0, Math.trunc(num(raw.turn, 0))),
		pendingTurn: numOrNull(raw.pendingTurn),
		inbox: inbox(raw.inbox),
		// Records written before ids were digested hold raw wamids: kept the way the machine compares them.
		handled: strings(raw.handled, HANDLED_IDS_LIMIT).map(handledId),
		forwarded: strings(raw.forwarded, INBOX_LIMIT),
		shown: strings(raw.shown, SHOWN_LIMIT),
		focus: strOrNull(raw.focus),
		lang: raw.lang === "en" || raw.lang === "es" ? raw.lang : null,
		misunderstood: Math.max(0, Math.trunc(num(raw.misunderstood, 0))),
		notified: strings(raw.notified, NOTIFIED_LIMIT),
		deadlines: { idleAt: numOrNull(deadlines.idleAt) },
		idleTimeoutMs: num(raw.idleTimeoutMs, DEFAULT_IDLE_TIMEOUT_MS),
		sellerId: strOrNull(raw.sellerId)
	};
}

/** Where a conversation whose state is gone continues: with the AI, its cart kept. */
export function safeState(context: ConversationContext): ConversationState {
	return context.cart.length > 0 ? "cart" : "browsing";
}

export interface LoadedConversation {
	snapshot: PersistedSnapshot;
	/** The version the stored value had. */
	fromVersion: number;
	/** What had to be repaired, or null when the snapshot fitted as it was. */
	repaired: string | null;
}

/**
 * Parses, migrates and checks a stored conversation (a JSON string or an already parsed value).
 * Pure: returns a snapshot that fits the current machine, ready for `restoreConversation`.
 */
export function loadConversation(stored: unknown): LoadedConversation {
	let value = stored;
	if (typeof stored === "string") {
		try {
			value = JSON.parse(stored);
		} catch {
			throw new ConversationSnapshotError("The stored conversation is not JSON");
		}
	}
	if (!isObject(value) || !Number.isInteger(value.version) || !isObject(value.snapshot))
		throw new ConversationSnapshotError("The stored conversation is not a { version, snapshot } object");
	const fromVersion = value.version as number;
	if (fromVersion < 1 || fromVersion > CONVERSATION_SNAPSHOT_VERSION)
		throw new ConversationSnapshotError(`Unsupported conversation snapshot version ${fromVersion}`, {
			version: fromVersion,
			supported: CONVERSATION_SNAPSHOT_VERSION
		});

	let snapshot: Json = value.snapshot;
	for (let v = fromVersion; v < CONVERSATION_SNAPSHOT_VERSION; v++) {
		const migrate = MIGRATIONS[v];
		if (!migrate) throw new ConversationSnapshotError(`No migration from conversation snapshot version ${v}`);
		snapshot = migrate(snapshot);
	}

	const problems: string[] = [];
	const context = normaliseContext(isObject(snapshot.context) ? snapshot.context : {}, problems);
	let state = snapshot.value as ConversationState;
	if (typeof snapshot.value !== "string" || !CONVERSATION_STATES.includes(state)) {
		state = safeState(context);
		problems.push(`unknown state ${JSON.stringify(snapshot.value)} moved to ${state}`);
	}
	if (snapshot.status !== undefined && snapshot.status !== "active") problems.push(`status ${String(snapshot.status)} reset to active`);
	return {
		fromVersion,
		repaired: problems.length ? problems.join("; ") : null,
		snapshot: { status: "active", value: state, context, children: {}, historyValue: {} }
	};
}

/** The defaults a stored context's missing fields take (they depend on its brand). */
function defaultsOf(context: StoredConversationContext): ConversationContext {
	return newConversationContext({ conversationId: context.conversationId, brand: context.brand, customer: context.customer });
}

/** Equal as stored. The defaults are flat: primitives, arrays of them, `{ idleAt }`. */
function sameValue(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => x === b[i]);
	if (!isObject(a) || !isObject(b)) return false;
	const keys = Object.keys(a);
	return keys.length === Object.keys(b).length && keys.every(k => a[k] === b[k]);
}

/** What the defaults are drawn from: never left out. */
const ALWAYS_STORED = new Set<string>(["conversationId", "customer", "brand"]);

/** The context as stored: the fields still at their default left out (`StoredConversationContext`). */
export function compactContext(context: StoredConversationContext): StoredConversationContext {
	const defaults = defaultsOf(context) as unknown as Json;
	const kept: Json = {};
	for (const [field, value] of Object.entries(context))
		if (ALWAYS_STORED.has(field) || !sameValue(value, defaults[field])) kept[field] = value;
	return kept as StoredConversationContext;
}

/**
 * A stored context with the fields it leaves out put back. Nothing is checked (`loadConversation`
 * does that): this is for reading a record's context, not for restoring it.
 */
export function withContextDefaults(context: StoredConversationContext): ConversationContext {
	return { ...defaultsOf(context), ...context };
}

/** What the host stores after every turn: small, JSON-safe, versioned. */
export function saveConversation(actorOrSnapshot: AnyActorRef | ConversationSnapshot): PersistedConversation {
	const persisted =
		"getPersistedSnapshot" in actorOrSnapshot && typeof actorOrSnapshot.getPersistedSnapshot === "function"
			? actorOrSnapshot.getPersistedSnapshot()
			: conversationMachine.getPersistedSnapshot(actorOrSnapshot as ConversationSnapshot);
	// Only what restoring needs: the machine has no child actors and no history states (loading
	// rebuilds both empty), and a status is written only when it is not "active".
	const { status, value, context } = persisted as unknown as PersistedSnapshot;
	return { version: CONVERSATION_SNAPSHOT_VERSION, snapshot: { ...(status !== "active" ? { status } : {}), value, context: compactContext(context) } };
}

export interface RestoreOptions {
	/** Errors of the running actor; the host logs them and drops the actor from memory. */
	onError(err: unknown): void;
	/** Do not start the actor (a caller that only inspects the state). */
	start?: boolean;
	/** Sees every microstep (tracing; the model-based tests count the transitions taken). */
	inspect?: (event: InspectionEvent) => void;
}

export interface RestoredConversation extends LoadedConversation {
	actor: ConversationActor;
}

/**
 * Restores a stored conversation as an actor, subscribed to errors before it starts. If XState
 * still rejects the snapshot, the conversation continues from its safe state with its context.
 */
export function restoreConversation(stored: unknown, options: RestoreOptions): RestoredConversation {
	const loaded = loadConversation(stored);
	const input = {
		conversationId: loaded.snapshot.context.conversationId,
		brand: loaded.snapshot.context.brand,
		brands: loaded.snapshot.context.brands,
		customer: loaded.snapshot.context.customer
	};
	let actor = createActor(conversationMachine, { snapshot: loaded.snapshot as never, input, inspect: options.inspect });
	let repaired = loaded.repaired;
	if (actor.getSnapshot().status !== "active") {
		const reason = errorText(actor.getSnapshot().error);
		const state = safeState(loaded.snapshot.context);
		const snapshot = { ...loaded.snapshot, value: state };
		actor = createActor(conversationMachine, { snapshot: snapshot as never, input, inspect: options.inspect });
		repaired = [repaired, `rejected by the machine (${reason}), moved to ${state}`].filter(Boolean).join("; ");
		loaded.snapshot = snapshot;
	}
	actor.subscribe({ error: options.onError });
	if (options.start !== false) actor.start();
	return { ...loaded, repaired, actor };
}

/** A new conversation actor, subscribed to errors before it starts. */
export function startConversation(
	input: ConversationInput,
	options: RestoreOptions
): ConversationActor {
	const actor = createActor(conversationMachine, { input, inspect: options.inspect });
	actor.subscribe({ error: options.onError });
	if (options.start !== false) actor.start();
	return actor;
}

function errorText(err: unknown): string {
	return err instanceof Error ? err.message : String(err);
}
