/**
 * The host of one brand's conversation actors: the I/O around the pure conversation machine.
 *
 * One writer per conversation, for every node: a handler takes the conversation's store lock
 * (with its fencing token), restores the actor from the store, feeds it the inbound messages,
 * runs the agent turn the machine asks for OUTSIDE the machine and feeds the result back, then
 * compare-and-sets the record. Only a writer whose CAS succeeded publishes anything: a writer that
 * lost its lock or raced a newer one computes a reply that goes nowhere.
 *
 * Exactly-once output: what a step must publish is written into the record together with the new
 * snapshot (`outbox`), published after the CAS, and cleared by a second CAS. A crash between the two
 * leaves the outbox in the store; the next writer publishes it again, and deterministic event ids and
 * WhatsApp idempotency keys (`<conversation>:<turn>:<part>`) make the repeat a no-op downstream.
 *
 * The inbox list: a message is appended to the conversation's durable inbox BEFORE its handler waits
 * for the lock, so the writer holding the lock when several messages arrive answers all of them in
 * one turn; the handlers that come after find them handled and do nothing.
 */
import type { LoggerInstance, ServiceBroker } from "moleculer";
import {
	type ConversationEmitted,
	type ConversationEvent,
	type InboundMessage,
	type OrderStatus,
	type OutboundReply,
	type PersistedConversation,
	type TranscriptEntry,
	AI_STATES
} from "../../contracts/conversation";
import {
	EventTypes,
	type ChatMessageNewV1,
	type CloudEvent,
	type CreateEventOptions,
	type EventPayloads,
	type EventType,
	type WhatsappMessageSendV1
} from "../../contracts/events";
import { NotFoundError, StoreRetryableError } from "../../contracts/errors";
import type { Store, LockHandle } from "../../adapters/store/store";
import {
	type ConversationActor,
	restoreConversation,
	saveConversation,
	startConversation
} from "../../machines/conversation.persistence";
import { appendTranscript, seqsOf } from "../../adapters/transcript";
import { type Model, runTurn, type TurnInput, type TurnOutcome } from "../../agents/runner";
import { personaFor } from "../../agents/personas";
import { scoreSentiment } from "../../agents/sentiment";
import type { OrderView, Product, ToolContext } from "../../agents/tools";

/** What the store holds per conversation: the machine's record plus what is still to publish. */
export interface ConversationRecord extends PersistedConversation {
	/** Fencing token of the writer that stored this record. */
	fence: number;
	outbox: Publication[];
}

export interface Publication {
	type: EventType;
	id: string;
	data: Record<string, unknown>;
	subject: string;
}

export type Publish = <T extends EventType>(type: T, data: EventPayloads[T], opts?: Omit<CreateEventOptions, "source">) => Promise<unknown>;

export interface HostOptions {
	brand: string;
	broker: ServiceBroker;
	store: Store;
	logger: LoggerInstance;
	publish: Publish;
	model: Model;
	/** Lock expiry; extended before the CAS, so it need only outlast one turn. */
	lockTtlMs?: number;
	/** How long a handler waits for the lock before the channel retries it. */
	lockWaitMs?: number;
	/** Turn runner options (timeouts, retries), for tests. */
	runnerOptions?: Parameters<typeof runTurn>[1]["options"];
	now?: () => number;
}

export const DEFAULT_LOCK_TTL_MS = 60_000;
export const DEFAULT_LOCK_WAIT_MS = 30_000;
const LOCK_POLL_MS = 20;

export const conversationKey = (id: string) => `conv:${id}`;
export const inboxKey = (id: string) => `conv:inbox:${id}`;
export const lockKey = (id: string) => `conv:lock:${id}`;
/** Every conversation id this brand ever stored, for listing (append-only, de-duplicated on read). */
export const indexKey = (brand: string) => `conv:index:${brand}`;

/** Raised when the record changed under this writer; the channel retries the message. */
export class StaleWriterError extends StoreRetryableError {
	constructor(conversationId: string) {
		super(`Conversation ${conversationId} was written by another writer`, 409, "CONVERSATION_STALE_WRITER", { conversationId });
	}
}

export interface StepResult {
	state: string;
	published: number;
	turn: TurnOutcome | null;
}

export class ConversationHost {
	readonly brand: string;
	private readonly lockTtlMs: number;
	private readonly lockWaitMs: number;
	private readonly now: () => number;

	constructor(private readonly o: HostOptions) {
		this.brand = o.brand;
		this.lockTtlMs = o.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
		this.lockWaitMs = o.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
		this.now = o.now ?? Date.now;
	}

	/** A customer message of this brand (the caller filtered the brand). */
	async onChatMessage(event: CloudEvent<ChatMessageNewV1>): Promise<StepResult> {
		const m = event.data;
		const conversationId = m.conversationId;
		const inbound: InboundMessage = {
			messageId: m.messageId,
			at: m.receivedAt,
			...(m.text !== undefined ? { text: m.text } : {}),
			...(m.choiceId !== undefined ? { choiceId: m.choiceId } : {}),
			sentiment: scoreSentiment(m.text)
		};
		await this.o.store.append(inboxKey(conversationId), inbound);
		return this.step(
			conversationId,
			{ waId: m.waId, customerName: m.customerName, brands: m.brandChoiceRequired ? m.brands ?? [m.brand] : [m.brand], phoneNumberId: m.phoneNumberId },
			async () => {
				const queued = await this.o.store.range<InboundMessage>(inboxKey(conversationId), 0, -1);
				const byId = new Map<string, InboundMessage>();
				// Its own message is fed explicitly: another writer may have cleared the list meanwhile.
				for (const q of [...queued, inbound]) byId.set(q.messageId, q);
				const messages = [...byId.values()].sort((a, b) => a.at - b.at);
				return {
					event: { type: "MESSAGE_RECEIVED", messages, ...(m.customerName ? { customerName: m.customerName } : {}) },
					inboxRead: queued.length
				};
			}
		);
	}

	/** An order update for a customer of this brand: notified once per order and status. */
	async onOrderEvent(status: OrderStatus, data: { orderId: string; waId: string; brand: string; conversationId?: string; carrier?: string; trackingNumber?: string; reason?: string }): Promise<StepResult> {
		const conversationId = data.conversationId ?? `${data.brand}:${data.waId}`;
		const event: ConversationEvent = {
			type: "ORDER_UPDATED",
			orderId: data.orderId,
			status,
			at: this.now(),
			...(data.carrier ? { carrier: data.carrier } : {}),
			...(data.trackingNumber ? { trackingNumber: data.trackingNumber } : {}),
			...(data.reason ? { reason: data.reason } : {})
		};
		return this.step(conversationId, { waId: data.waId, brands: [data.brand] }, async () => ({ event, inboxRead: 0 }));
	}

	/** An operator's or the human side's event (ESCALATE, CLOSE, HUMAN_ASSIGNED, HANDED_BACK). */
	async send(conversationId: string, event: ConversationEvent): Promise<StepResult> {
		const existing = await this.o.store.getVersioned<ConversationRecord>(conversationKey(conversationId));
		if (!existing) throw new NotFoundError(`Conversation '${conversationId}'`, { conversationId });
		const ctx = existing.value.snapshot.context;
		return this.step(conversationId, { waId: ctx.customer.waId, brands: ctx.brands }, async () => ({ event, inboxRead: 0 }));
	}

	async get(conversationId: string): Promise<ConversationRecord | null> {
		return (await this.o.store.getVersioned<ConversationRecord>(conversationKey(conversationId)))?.value ?? null;
	}

	async list(): Promise<ConversationRecord[]> {
		const ids = [...new Set(await this.o.store.range<string>(indexKey(this.brand), 0, -1))];
		const out: ConversationRecord[] = [];
		for (const id of ids) {
			const r = await this.get(id);
			if (r) out.push(r);
		}
		return out;
	}

	/**
	 * One locked step: restore (or start), feed one event, run any turn the machine asks for, CAS,
	 * then publish. Throws a retryable error when the lock cannot be had or the CAS lost a race.
	 */
	private async step(
		conversationId: string,
		who: { waId: string; customerName?: string; brands: string[]; phoneNumberId?: string },
		input: () => Promise<{ event: ConversationEvent; inboxRead: number }>
	): Promise<StepResult> {
		const lock = await this.acquire(conversationId);
		try {
			const key = conversationKey(conversationId);
			const stored = await this.o.store.getVersioned<ConversationRecord>(key);
			if (stored && stored.value.fence > lock.token) throw new StaleWriterError(conversationId);
			// A crash after the last CAS left publications behind: they go out first (idempotent).
			if (stored && stored.value.outbox?.length) await this.flush(conversationId, stored.version, stored.value, lock);
			const current = stored ? await this.o.store.getVersioned<ConversationRecord>(key) : null;

			const errors: unknown[] = [];
			const onError = (err: unknown) => errors.push(err);
			let actor: ConversationActor;
			if (current) {
				const restored = restoreConversation(current.value, { onError });
				if (restored.repaired) this.o.logger.warn(`Conversation ${conversationId} repaired on restore: ${restored.repaired}`);
				actor = restored.actor;
			} else {
				const brand = who.brands.length > 1 ? null : this.brand;
				actor = startConversation(
					{ conversationId, brand, brands: who.brands, customer: { waId: who.waId, ...(who.customerName ? { name: who.customerName } : {}) } },
					{ onError }
				);
			}
			const emitted: ConversationEmitted[] = [];
			actor.on("*", e => void emitted.push(e as ConversationEmitted));

			const { event, inboxRead } = await input();
			actor.send(event);
			let turn: TurnOutcome | null = null;
			// The machine asks for at most one turn per event; its result may ask for nothing more.
			for (let i = 0; i < emitted.length; i++) {
				const e = emitted[i]!;
				if (e.type !== "turn.requested") continue;
				const later = emitted.slice(i + 1).some(x => x.type === "turn.requested");
				if (later) continue;
				turn = await this.runTurn(actor, e.turn, e.messages, e.greet);
				actor.send({ type: "TURN_COMPLETED", ...turn.result });
			}
			if (errors.length) throw errors[0];

			const snapshot = actor.getSnapshot();
			actor.stop();
			// The customer's lines go in before the CAS (a retry appends them again; reads skip
			// repeats) so that messages forwarded to a human seller carry their transcript seq.
			if (event.type === "MESSAGE_RECEIVED") await appendTranscript(this.o.store, conversationId, event.messages.map(customerLine));
			const forwarded = emitted.flatMap(e => (e.type === "customer.message.forwarded" ? e.messages.map(m => m.messageId) : []));
			const seqs = forwarded.length ? await seqsOf(this.o.store, conversationId, forwarded) : new Map<string, number>();
			const record: ConversationRecord = {
				...saveConversation(snapshot),
				fence: lock.token,
				outbox: this.publications(conversationId, snapshot.context, emitted, turn, who.phoneNumberId, seqs)
			};
			// The turn may have outlived the lock: a writer that lost it must not write.
			if (!(await lock.extend(this.lockTtlMs))) throw new StaleWriterError(conversationId);
			const version = await this.o.store.compareAndSet(key, current?.version ?? 0, record);
			if (version === null) throw new StaleWriterError(conversationId);
			if (!current) await this.o.store.append(indexKey(this.brand), conversationId);
			// What we say goes in only once committed: a writer that lost the race said nothing.
			await appendTranscript(this.o.store, conversationId, spokenLines(conversationId, emitted, this.now()));
			// Every message read from the inbox is now handled; one appended since is fed by its own handler.
			if (inboxRead > 0 && (await this.o.store.length(inboxKey(conversationId))) === inboxRead) await this.o.store.del(inboxKey(conversationId));
			const published = await this.flush(conversationId, version, record, lock);
			return { state: String(snapshot.value), published, turn };
		} finally {
			await lock.release().catch(() => false);
		}
	}

	private async acquire(conversationId: string): Promise<LockHandle> {
		const deadline = this.now() + this.lockWaitMs;
		for (;;) {
			const lock = await this.o.store.lock(lockKey(conversationId), this.lockTtlMs);
			if (lock) return lock;
			if (this.now() > deadline) throw new StoreRetryableError(`Conversation ${conversationId} is busy`, 503, "CONVERSATION_BUSY", { conversationId });
			await new Promise(r => setTimeout(r, LOCK_POLL_MS));
		}
	}

	/** Publishes the record's outbox, then clears it (a lost race leaves it for the next writer). */
	private async flush(conversationId: string, version: number, record: ConversationRecord, lock: LockHandle): Promise<number> {
		for (const p of record.outbox) {
			await this.o.publish(p.type, p.data as never, { id: p.id, subject: p.subject, correlationid: conversationId });
		}
		if (record.outbox.length && (await lock.extend(this.lockTtlMs)))
			await this.o.store.compareAndSet(conversationKey(conversationId), version, { ...record, outbox: [] });
		return record.outbox.length;
	}

	private async runTurn(actor: ConversationActor, turn: number, messages: InboundMessage[], greet: boolean): Promise<TurnOutcome> {
		const snap = actor.getSnapshot();
		const ctx = snap.context;
		const brand = ctx.brand ?? this.brand;
		const input: TurnInput = {
			conversationId: ctx.conversationId,
			brand,
			waId: ctx.customer.waId,
			...(ctx.customer.name ? { customerName: ctx.customer.name } : {}),
			turn,
			messages,
			greet,
			cart: ctx.cart,
			awaitingConfirmation: snap.value === "checkout",
			shown: ctx.shown,
			sentiment: ctx.sentiment,
			misunderstood: ctx.misunderstood,
			orderId: ctx.orderId
		};
		const outcome = await runTurn(input, {
			model: this.o.model,
			persona: personaFor(brand),
			tools: this.tools(ctx.conversationId, brand, ctx.customer.waId),
			...(this.o.runnerOptions ? { options: this.o.runnerOptions } : {})
		});
		if (outcome.modelError) this.o.logger.warn(`Turn ${turn} of ${ctx.conversationId}: model failed (${outcome.modelError})`);
		if (outcome.violations.length)
			this.o.logger.info(`Turn ${turn} of ${ctx.conversationId}: ${outcome.violations.length} guardrail violation(s), regenerated ${outcome.regenerated}, corrected ${outcome.corrected}`);
		return outcome;
	}

	/** The tools' reach into the catalog and orders services. */
	private tools(conversationId: string, brand: string, waId: string): Omit<ToolContext, "turn"> {
		const broker = this.o.broker;
		return {
			conversationId,
			brand,
			waId,
			catalog: {
				async search(q) {
					const query = [q.query, q.color].filter(Boolean).join(" ");
					const res = await broker.call<{ items: CatalogProduct[] }, Record<string, unknown>>("catalog.search", {
						brand: q.brand,
						limit: q.limit,
						...(query ? { query } : {}),
						...(q.category ? { category: q.category } : {}),
						...(q.minPrice !== undefined ? { minPrice: q.minPrice } : {}),
						...(q.maxPrice !== undefined ? { maxPrice: q.maxPrice } : {})
					});
					return res.items.map(toProduct);
				},
				async get(sku) {
					try {
						return toProduct(await broker.call<CatalogProduct, { sku: string; waId: string }>("catalog.get", { sku, waId }));
					} catch (err) {
						if ((err as { code?: number }).code === 404) return null;
						throw err;
					}
				},
				async recommend(q) {
					const res = await broker.call<{ items: CatalogProduct[] }, Record<string, unknown>>("catalog.recommend", {
						brand: q.brand,
						waId,
						limit: q.limit,
						...(q.sku ? { sku: q.sku } : {})
					});
					return res.items.map(toProduct);
				}
			},
			orders: {
				async create(req) {
					return toOrderView(await broker.call<OrderLike, typeof req>("orders.create", req));
				},
				async status(q) {
					if (q.orderId) {
						try {
							const o = await broker.call<OrderLike, { id: string }>("orders.get", { id: q.orderId });
							return o.waId === q.waId ? toOrderView(o) : null;
						} catch (err) {
							if ((err as { code?: number }).code === 404) return null;
							throw err;
						}
					}
					const res = await broker.call<{ items: OrderLike[] }, Record<string, unknown>>("orders.list", { waId: q.waId, brand: q.brand, limit: 1 });
					return res.items[0] ? toOrderView(res.items[0]) : null;
				}
			}
		};
	}

	/** What this step's emitted requests become on the bus, with deterministic ids. */
	private publications(
		conversationId: string,
		ctx: ReturnType<ConversationActor["getSnapshot"]>["context"],
		emitted: ConversationEmitted[],
		turn: TurnOutcome | null,
		phoneNumberId: string | undefined,
		seqs: Map<string, number>
	): Publication[] {
		const brand = ctx.brand ?? this.brand;
		const waId = ctx.customer.waId;
		const out: Publication[] = [];
		const send = (idempotencyKey: string, reply: Omit<WhatsappMessageSendV1, "brand" | "to" | "idempotencyKey">) => {
			const data: WhatsappMessageSendV1 = { brand, to: waId, idempotencyKey, conversationId, ...(phoneNumberId ? { phoneNumberId } : {}), ...reply };
			out.push({ type: EventTypes.WhatsappMessageSend, id: `send:${idempotencyKey}`, data: data as unknown as Record<string, unknown>, subject: conversationId });
		};
		const lastMessage = ctx.handled[ctx.handled.length - 1] ?? "none";
		for (const e of emitted) {
			switch (e.type) {
				case "reply.send": {
					send(`${conversationId}:${e.turn}:0`, outbound(e.reply));
					out.push({
						type: EventTypes.ChatResponse,
						id: `response:${conversationId}:${e.turn}`,
						subject: conversationId,
						data: {
							conversationId,
							brand,
							waId,
							from: "ai",
							text: e.reply.text,
							turn: e.turn,
							...(turn?.result.turn === e.turn
								? { usage: turn.usage, latencyMs: turn.latencyMs, ...(turn.result.model ? { model: turn.result.model } : {}) }
								: {})
						}
					});
					break;
				}
				case "brand.choice.requested":
					send(`${conversationId}:brand:${lastMessage}:0`, {
						kind: "list",
						text: "Hi! Which of our shops would you like to talk to?",
						list: {
							button: "Choose a shop",
							sections: [{ rows: e.brands.slice(0, 10).map(b => ({ id: `brand:${b}`, title: personaFor(b).name, description: b })) }]
						}
					});
					break;
				case "escalation.requested":
					out.push({
						type: EventTypes.SalesEscalate,
						id: `escalate:${conversationId}:${ctx.turn}:${e.reason}`,
						subject: conversationId,
						data: {
							conversationId,
							brand,
							waId,
							...(ctx.customer.name ? { customerName: ctx.customer.name } : {}),
							reason: e.reason,
							...(e.detail ? { detail: e.detail } : {}),
							...(e.summary ? { summary: e.summary } : {}),
							priority: e.reason === "frustration" || e.reason === "high_value" ? 1 : 0
						}
					});
					break;
				case "notification.send":
					send(`${conversationId}:order:${e.orderId}:${e.status}:0`, notification(e));
					break;
				case "customer.message.forwarded": {
					const messages = e.messages.flatMap(m => {
						const seq = seqs.get(m.messageId);
						return seq === undefined
							? []
							: [{ messageId: m.messageId, seq, at: m.at, ...(m.text !== undefined ? { text: m.text } : {}), ...(m.choiceId !== undefined ? { choiceId: m.choiceId } : {}) }];
					});
					if (!messages.length) break;
					out.push({
						type: EventTypes.ChatMessageForwarded,
						id: `forwarded:${conversationId}:${messages.map(m => m.messageId).join(",")}`.slice(0, 256),
						subject: conversationId,
						data: { conversationId, brand, waId, ...(ctx.sellerId ? { sellerId: ctx.sellerId } : {}), messages }
					});
					break;
				}
				case "turn.discarded":
					this.o.logger.info(`Conversation ${conversationId}: turn ${e.turn} discarded (${e.reason})`);
					break;
				default:
					break;
			}
		}
		return out;
	}
}

interface CatalogProduct {
	sku: string;
	brand: string;
	name: string;
	description?: string;
	category?: string;
	price: number;
	currency: string;
	stock: number;
	attributes?: Record<string, string | string[]>;
}

interface OrderLike {
	id: string;
	waId: string;
	status: string;
	total: number;
	currency: string;
	carrier?: string;
	trackingNumber?: string;
}

function toProduct(p: CatalogProduct): Product {
	const color = p.attributes?.color ?? p.attributes?.colours;
	return {
		sku: p.sku,
		name: p.name,
		brand: p.brand,
		price: p.price,
		currency: p.currency,
		stock: p.stock,
		...(p.category ? { category: p.category } : {}),
		...(p.description ? { description: p.description } : {}),
		...(color ? { color: Array.isArray(color) ? color.join(", ") : color } : {})
	};
}

function toOrderView(o: OrderLike): OrderView {
	return {
		orderId: o.id,
		status: o.status,
		total: o.total,
		currency: o.currency,
		...(o.carrier ? { carrier: o.carrier } : {}),
		...(o.trackingNumber ? { trackingNumber: o.trackingNumber } : {})
	};
}

function outbound(reply: OutboundReply): Omit<WhatsappMessageSendV1, "brand" | "to" | "idempotencyKey"> {
	if (reply.list) return { kind: "list", text: reply.text, list: reply.list };
	if (reply.buttons?.length) return { kind: "buttons", text: reply.text, buttons: reply.buttons };
	return { kind: "text", text: reply.text };
}

const NOTIFICATION_TEXT: Record<OrderStatus, (e: Extract<ConversationEmitted, { type: "notification.send" }>) => string> = {
	confirmed: e => `Your order ${e.orderId} is confirmed — thank you! We'll let you know when it ships.`,
	shipped: e => `Your order ${e.orderId} is on its way with ${e.carrier ?? "our carrier"}${e.trackingNumber ? ` (tracking ${e.trackingNumber})` : ""}.`,
	delivered: e => `Your order ${e.orderId} was delivered. Enjoy it!`,
	cancelled: e => `Your order ${e.orderId} was cancelled${e.reason ? `: ${e.reason}` : ""}.`
};

/** Text inside Meta's 24-hour window; an approved template (`order_<status>`) outside it. */
function notification(e: Extract<ConversationEmitted, { type: "notification.send" }>): Omit<WhatsappMessageSendV1, "brand" | "to" | "idempotencyKey"> {
	if (e.withinWindow) return { kind: "text", text: NOTIFICATION_TEXT[e.status](e) };
	const params = [e.orderId, ...(e.status === "shipped" ? [e.carrier ?? "", e.trackingNumber ?? ""] : [])];
	return {
		kind: "template",
		template: {
			name: `order_${e.status}`,
			language: "en_US",
			components: [{ type: "body", parameters: params.map(text => ({ type: "text", text })) }]
		}
	};
}

function customerLine(m: InboundMessage): TranscriptEntry {
	return { id: m.messageId, from: "customer", text: m.text ?? "", at: m.at, ...(m.choiceId !== undefined ? { choiceId: m.choiceId } : {}) };
}

/** The AI's replies and the order notices of a committed step, with ids that repeat on a re-run. */
function spokenLines(conversationId: string, emitted: readonly ConversationEmitted[], at: number): TranscriptEntry[] {
	const lines: TranscriptEntry[] = [];
	for (const e of emitted) {
		if (e.type === "reply.send") lines.push({ id: `ai:${conversationId}:${e.turn}`, from: "ai", text: e.reply.text, at });
		else if (e.type === "notification.send") lines.push({ id: `notice:${e.orderId}:${e.status}`, from: "system", text: NOTIFICATION_TEXT[e.status](e), at });
	}
	return lines;
}

/** True when the AI seller speaks in this state. */
export const aiSpeaks = (state: string): boolean => (AI_STATES as readonly string[]).includes(state);
