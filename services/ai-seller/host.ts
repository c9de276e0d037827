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
 *
 * Why no shard routing (issue 5 allows "an equivalent you can defend"): channel messages reach
 * whichever node of the consumer group pulls them (JetStream and Redis Streams consumer groups), so
 * Moleculer's Shard strategy, which routes `broker.call`s, never sees them; routing would take an
 * extra hop per message (`broker.call` with `strategy: "Shard"`, which `preferLocal` skips), and a
 * shard map moves when a node joins or leaves, exactly when two nodes may briefly both think they own
 * a key. Correctness therefore rests on the store, for any number of nodes: the conversation lock
 * serialises writers, its fencing token and the record's compare-and-set make a writer that lost the
 * lock (GC pause, slow model) commit nothing and send nothing, and the inbox plus `handled` ids make
 * a redelivery or a message answered by another writer a no-op. Within a turn messages are fed in
 * timestamp order; the coalescing window below is what orders a burst that arrives out of order
 * (test/integration/ai-seller-cluster.spec.ts runs it on two nodes over NATS and Redis). The price is
 * lock contention when two nodes get the same conversation, which is rare (one customer types slower
 * than a node answers) and costs a short wait, not a wrong answer.
 *
 * Coalescing (AI_COALESCE_MS): the lock holder waits, re-reading the durable inbox, until the newest
 * queued message is older than the window, at most COALESCE_MAX_FACTOR windows in all, so a flood
 * cannot starve the reply. Waiting under the lock rather than scheduling a deadline keeps one code
 * path: if the node dies while waiting, the un-acked channel message is redelivered and the next
 * writer finds every queued message in the inbox (nothing lost) and answers them once (`handled`).
 * Message age comes from the envelope's `time`, so a backlog (messages already older than the window
 * when delivered) is answered at once: under load coalescing costs no throughput.
 *
 * Shared numbers: the conversation of the number's first brand is the lobby that asks the customer
 * to pick a brand. When the pick is another brand, the lobby records it (`conv:choice:<number>:<wa_id>`),
 * moves the waiting messages into the chosen conversation's inbox, re-publishes the choosing message
 * as that brand's own `store.chat.message.new`, and closes itself; later messages on the shared
 * number are re-published to the chosen brand as they arrive. From then on `ai-seller-<chosen>`
 * owns the conversation (`<chosen>:<wa_id>`), with its persona, its record and its writer.
 *
 * Deadlines: every committed step lists the conversation's idle deadline in a time-bucketed index
 * (deadlines.ts); `sweepIdle`, run by any node under a short store lock, fires IDLE_TIMEOUT for the
 * passed ones, also after a restart.
 */
import type { LoggerInstance, ServiceBroker } from "moleculer";
import type { InspectionEvent } from "xstate";
import {
	type ConversationEmitted,
	type ConversationEvent,
	type InboundMessage,
	type OrderStatus,
	type OutboundReply,
	type PersistedConversation,
	type PersistedSnapshot,
	type TranscriptEntry,
	type TranscriptLine,
	AI_STATES,
	BRAND_CHOICE_PREFIX,
	handledId,
	INBOX_LIMIT,
	isMediaKind,
	noticeName,
	type RefundNotice
} from "../../contracts/conversation";
import {
	EventTypes,
	type ChatMessageNewV1,
	type CloudEvent,
	type WhatsappMessageSendV1,
	type Publication,
	type Publish
} from "../../contracts/events";
import { NotFoundError, StoreRetryableError } from "../../contracts/errors";
import { formatMoney } from "../../contracts/catalog";
import { CONSOLE_PUSH_EVENT, type ConsolePush } from "../../contracts/sales-assistant";
import { DAY_MS, DEFAULT_CONVERSATION_RETENTION_MS, DEFAULT_WHATSAPP_TEMPLATE_LANGUAGES } from "../../config";
import type { BatchOp, Store, LockHandle, Versioned } from "../../adapters/store/store";
import {
	type ConversationActor,
	restoreConversation,
	saveConversation,
	startConversation,
	withContextDefaults
} from "../../machines/conversation.persistence";
import { readTranscript, seqsOf, transcriptAppendOps } from "../../adapters/transcript";
import { historyFromTranscript, HISTORY_MAX_MESSAGES } from "../../agents/history";
import { DEADLINE_BUCKET_MS, DeadlineIndex, sweepLockKey } from "./deadlines";
import { handoffReply, type Model, runTurn, type TurnInput, type TurnOutcome, TurnUnavailableError } from "../../agents/runner";
import { brandNamed, handbackText, personaFor, shopSwitch, type Persona, type SellerNames, type SellerNaming } from "../../agents/personas";
import { detectLang } from "../../agents/language";
import { scoreSentiment } from "../../agents/sentiment";
import { withdrawsHuman } from "../../agents/escalation";
import type { ToolContext } from "../../agents/tools";
import { toolContextFor } from "./tool-context";

/**
 * What the store holds per conversation: the machine's record plus what is still to publish. Its
 * context leaves out the fields at their default, and an empty outbox is not written.
 */
export interface StoredConversationRecord extends PersistedConversation {
	/** Fencing token of the writer that stored this record. */
	fence: number;
	outbox?: Publication[];
	/** The business number the customer last wrote to: replies of steps with no message of theirs
	 * (operator, order updates, deadlines) go out from it, not from the brand's default number. */
	phoneNumberId?: string;
}

/** A record being written with what its step publishes. */
type PublishingRecord = StoredConversationRecord & { outbox: Publication[] };

/** A conversation record as read: every context field there. */
export interface ConversationRecord extends StoredConversationRecord {
	snapshot: PersistedSnapshot;
	outbox: Publication[];
}

export function expandRecord(stored: StoredConversationRecord): ConversationRecord {
	return { ...stored, outbox: stored.outbox ?? [], snapshot: { ...stored.snapshot, context: withContextDefaults(stored.snapshot.context) } };
}

/** What is written back: no empty outbox. The context is as `saveConversation` or the store gave it: compact already. */
function storedRecord(record: StoredConversationRecord): StoredConversationRecord {
	const { outbox, ...rest } = record;
	return { ...rest, ...(outbox?.length ? { outbox } : {}) };
}

/** A conversation's record, its context complete, or null when there is none. */
export async function readConversationRecord(store: Store, conversationId: string): Promise<Versioned<ConversationRecord> | null> {
	const found = await store.getVersioned<StoredConversationRecord>(conversationKey(conversationId));
	return found && { version: found.version, value: expandRecord(found.value) };
}


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
	/** The coalescing window (AI_COALESCE_MS); 0 or absent: answer at once. */
	coalesceMs?: number;
	/** Idle timeout of new conversations (AI_IDLE_TIMEOUT_MS); the machine's default otherwise. */
	idleTimeoutMs?: number;
	/** The sweep period (AI_SWEEP_INTERVAL_MS); the sweep lock outlives it. */
	sweepIntervalMs?: number;
	/** Waits `ms` (real time unless a test drives the clock). */
	delay?: (ms: number) => Promise<void>;
	/** Where an order waiting for payment is paid (PAYMENT_LINK_URL, with `{orderId}`); none otherwise. */
	paymentLinkUrl?: string | null;
	/** The languages the order templates are approved in (WHATSAPP_TEMPLATE_LANGUAGES); English otherwise. */
	templateLanguages?: readonly string[];
	/**
	 * How long a conversation's record, transcript and index entry outlive its last step
	 * (CONVERSATION_RETENTION_DAYS); the default's otherwise.
	 */
	retentionMs?: number;
	/** Every agent turn run, for metrics. */
	onTurn?: (brand: string, outcome: TurnOutcome) => void;
	/** A turn whose own code threw (the customer is handed to a person). */
	onTurnFailed?: (brand: string, model: string) => void;
	/** How the brands file (BRANDS_FILE) names each brand's AI seller; the built-in personas otherwise. */
	naming?: Readonly<Record<string, SellerNaming>>;
}

/** The waits before running again a turn whose tools' services did not answer: about 15 s in all, well inside a lock's time. */
export const UNAVAILABLE_BACKOFF_MS: readonly number[] = [1000, 2000, 4000, 8000];
export const DEFAULT_LOCK_TTL_MS = 60_000;
export const DEFAULT_LOCK_WAIT_MS = 30_000;
export const DEFAULT_SWEEP_INTERVAL_MS = 30_000;
/** The longest a burst is held: this many windows after the writer started waiting. */
export const COALESCE_MAX_FACTOR = 4;
/** How long the sweeper waits for a busy conversation before trying it in a later sweep. */
const SWEEP_LOCK_WAIT_MS = 1000;
const LOCK_POLL_MS = 20;

/** Conversation records read per round trip when listing. */
const LIST_BATCH = 200;

export const conversationKey = (id: string) => `conv:${id}`;
export const inboxKey = (id: string) => `conv:inbox:${id}`;
export const lockKey = (id: string) => `conv:lock:${id}`;
/** The brand a customer picked on a shared number (the lobby's hand-over). */
export const choiceKey = (phoneNumberId: string, waId: string) => `conv:choice:${phoneNumberId}:${waId}`;
/**
 * The brand's conversations with a step on `day` (days since the epoch), for listing: one
 * append-only list a day, de-duplicated on read, kept as long as its conversations may be.
 */
export const indexKey = (brand: string, day: number) => `conv:index:${brand}:${day}`;

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
	private readonly retentionMs: number;
	private readonly now: () => number;
	private readonly deadlines: DeadlineIndex;
	private readonly coalesceMs: number;
	private readonly delay: (ms: number) => Promise<void>;
	/** Steps under way, for `drain`. */
	private readonly inflight = new Set<Promise<StepResult>>();
	private draining = false;
	private wakeDrain!: () => void;
	/** Settles when the node starts stopping: a coalescing wait ends then. */
	private readonly drained = new Promise<void>(resolve => (this.wakeDrain = resolve));
	/** The AI sellers' names the brands file gives, by brand (a shared number's shops are called by them). */
	private readonly sellerNames: SellerNames;
	/** Sees every microstep of the actors this host runs (tracing; the model-based tests count transitions). */
	inspect: ((event: InspectionEvent) => void) | undefined = undefined;

	constructor(private readonly o: HostOptions) {
		this.brand = o.brand;
		this.sellerNames = Object.fromEntries(Object.entries(o.naming ?? {}).map(([b, n]) => [b, n.seller]));
		this.lockTtlMs = o.lockTtlMs ?? DEFAULT_LOCK_TTL_MS;
		this.lockWaitMs = o.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
		this.retentionMs = o.retentionMs ?? DEFAULT_CONVERSATION_RETENTION_MS;
		this.now = o.now ?? Date.now;
		this.coalesceMs = o.coalesceMs ?? 0;
		this.delay = o.delay ?? (ms => new Promise(resolve => setTimeout(resolve, ms)));
		this.deadlines = new DeadlineIndex(o.store, o.brand, DEADLINE_BUCKET_MS, this.now);
	}

	/** A customer message of this brand (the caller filtered the brand). */
	async onChatMessage(event: CloudEvent<ChatMessageNewV1>): Promise<StepResult> {
		const m = event.data;
		const conversationId = m.conversationId;
		// Asking, in so many words, for another shop of a shared number ("take me to Bella").
		const switchTo = m.brandChoiceRequired && !m.choiceId ? shopSwitch(m.text, m.brands ?? [], this.sellerNames) : undefined;
		// Back to this shop, the number's first: its conversation has them again (started afresh if it
		// had handed them to another shop and closed).
		const freshLobby = switchTo === this.brand;
		if (m.brandChoiceRequired) {
			const key = choiceKey(m.phoneNumberId, m.waId);
			const chosen = await this.o.store.get<string>(key);
			if (switchTo && switchTo !== this.brand && switchTo !== chosen && (chosen || (await this.pickedHere(conversationId)))) {
				// A customer who picked a shop moves to another: the new one has them from this message on.
				await this.o.store.set(key, switchTo, this.retentionMs);
				return this.forwardToChosen(m, switchTo);
			}
			if (freshLobby && chosen) await this.o.store.del(key);
			else if (chosen && chosen !== this.brand && (m.brands ?? []).includes(chosen)) return this.forwardToChosen(m, chosen);
		}
		const sent = Date.parse(event.time);
		const queuedAt = Number.isFinite(sent) ? sent : this.now();
		// On a shared number, a shop named in words picks it as a tap on the list would.
		const namesBrand = m.brandChoiceRequired && !m.choiceId ? brandNamed(m.text, m.brands ?? [], this.sellerNames) ?? switchTo : undefined;
		const inbound: InboundMessage = {
			messageId: m.messageId,
			at: m.receivedAt,
			...(m.text !== undefined ? { text: m.text } : {}),
			...(m.choiceId !== undefined ? { choiceId: m.choiceId } : {}),
			// Back to this shop from another: a pick, as a tap on the list would be.
			...(freshLobby ? { choiceId: `${BRAND_CHOICE_PREFIX}${this.brand}` } : {}),
			// A voice note is not an empty message: the turn is told what came.
			...(isMediaKind(m.kind) ? { media: m.kind } : {}),
			...(m.orderItems?.length ? { orderItems: m.orderItems } : {}),
			sentiment: scoreSentiment(m.text),
			// Read while waiting for a person: it takes the conversation back from the queue.
			...(withdrawsHuman(m.text) ? { withdrawsHuman: true as const } : {}),
			...(namesBrand ? { namesBrand } : {})
		};
		await this.o.store.append<QueuedMessage>(inboxKey(conversationId), { ...inbound, queuedAt });
		return this.step(
			conversationId,
			{ waId: m.waId, customerName: m.customerName, brands: m.brandChoiceRequired ? m.brands ?? [m.brand] : [m.brand], phoneNumberId: m.phoneNumberId, source: m, freshLobby },
			async (current, lock) => {
				const ctx = current?.snapshot.context;
				// A lobby that already handed this customer over (its pick landed while we waited for the lock).
				if (m.brandChoiceRequired && !freshLobby && ctx?.brand && ctx.brand !== this.brand && (m.brands ?? []).includes(ctx.brand)) {
					await this.forwardToChosen(m, ctx.brand);
					await this.o.store.del(inboxKey(conversationId));
					return null;
				}
				const state = String(current?.snapshot.value ?? "new");
				const waits = this.coalesceMs > 0 && !ctx?.handled.includes(handledId(m.messageId)) && state !== "escalated" && state !== "human";
				if (waits) await this.coalesce(conversationId, queuedAt, lock);
				const queued = await this.o.store.range<QueuedMessage>(inboxKey(conversationId), 0, -1);
				const byId = new Map<string, InboundMessage>();
				// Its own message is fed explicitly: another writer may have cleared the list meanwhile.
				for (const q of [...queued, inbound]) {
					const { queuedAt: _q, ...message } = q as QueuedMessage;
					byId.set(q.messageId, message);
				}
				const messages = [...byId.values()].sort((a, b) => a.at - b.at);
				return {
					event: { type: "MESSAGE_RECEIVED", messages, ...(m.customerName ? { customerName: m.customerName } : {}) },
					inboxRead: queued.length
				};
			}
		);
	}

	/**
	 * Holds the turn until the newest queued message is `coalesceMs` old, re-reading the inbox, and
	 * at most COALESCE_MAX_FACTOR windows in all. The lock is extended on every round, so a writer
	 * that lost it stops waiting at once.
	 */
	private async coalesce(conversationId: string, ownQueuedAt: number, lock: LockHandle): Promise<void> {
		const limit = this.now() + this.coalesceMs * COALESCE_MAX_FACTOR;
		for (;;) {
			const queued = await this.o.store.range<QueuedMessage>(inboxKey(conversationId), 0, -1);
			const newest = Math.max(ownQueuedAt, ...queued.map(q => (typeof q.queuedAt === "number" ? q.queuedAt : 0)));
			const due = Math.min(newest + this.coalesceMs, limit);
			const now = this.now();
			if (due <= now) return;
			if (!(await lock.extend(this.lockTtlMs))) throw new StaleWriterError(conversationId);
			// A node that is stopping answers now rather than leave the burst to a lock's expiry.
			if (this.draining) return;
			await Promise.race([this.delay(due - now), this.drained]);
		}
	}

	/** Whether this shared number's customer picked a shop here before (this brand's own, as no pick is recorded for it). */
	private async pickedHere(conversationId: string): Promise<boolean> {
		const lobby = await readConversationRecord(this.o.store, conversationId);
		return (lobby?.value.snapshot.context.brand ?? null) !== null;
	}

	/** A brand's persona, with the name and personality its brands file gives. */
	private persona(brand: string): Persona {
		return personaFor(brand, this.o.naming?.[brand]);
	}

	/** A later message on a shared number whose customer picked another brand: that brand's now. */
	private async forwardToChosen(m: ChatMessageNewV1, chosen: string): Promise<StepResult> {
		const p = handOverPublication(m, chosen, this.sellerNames);
		await this.o.publish(p.type, p.data as never, { id: p.id, subject: p.subject, correlationid: m.conversationId });
		return { state: "handedOver", published: 1, turn: null };
	}

	/** An order update for a customer of this brand: notified once per order and status. */
	async onOrderEvent(
		status: OrderStatus,
		data: { orderId: string; waId: string; brand: string; conversationId?: string; carrier?: string; trackingNumber?: string; reason?: string; reasonCode?: string; correction?: number; refund?: RefundNotice }
	): Promise<StepResult> {
		const conversationId = data.conversationId ?? `${data.brand}:${data.waId}`;
		const event: ConversationEvent = {
			type: "ORDER_UPDATED",
			orderId: data.orderId,
			status,
			at: this.now(),
			...(data.carrier ? { carrier: data.carrier } : {}),
			...(data.trackingNumber ? { trackingNumber: data.trackingNumber } : {}),
			...(data.reason ? { reason: data.reason } : {}),
			...(data.reasonCode ? { reasonCode: data.reasonCode } : {}),
			...(data.correction ? { correction: data.correction } : {}),
			...(data.refund ? { refund: data.refund } : {})
		};
		return this.step(conversationId, { waId: data.waId, brands: [data.brand] }, async () => ({ event, inboxRead: 0 }));
	}

	/** An operator's or the human side's event (ESCALATE, CLOSE, HUMAN_ASSIGNED, HANDED_BACK). */
	async send(conversationId: string, event: ConversationEvent, lockWaitMs?: number): Promise<StepResult> {
		const existing = await readConversationRecord(this.o.store, conversationId);
		if (!existing) throw new NotFoundError(`Conversation '${conversationId}'`, { conversationId });
		const ctx = existing.value.snapshot.context;
		return this.step(
			conversationId,
			{ waId: ctx.customer.waId, brands: ctx.brands },
			async current => ({
				event: event.type === "HANDED_BACK" && !event.unanswered && current?.snapshot.context.forwarded.length ? { ...event, unanswered: await this.unanswered(conversationId, current.snapshot.context.forwarded) } : event,
				inboxRead: 0
			}),
			lockWaitMs
		);
	}

	/**
	 * What the customer said to the human side after the last line that answered them (the AI's, or
	 * a seller's that reached them); notices and the team's notes answer nothing.
	 */
	private async unanswered(conversationId: string, forwarded: readonly string[]): Promise<InboundMessage[]> {
		const lines = await readTranscript(this.o.store, conversationId, { last: INBOX_LIMIT * 2 });
		const undelivered = new Set(lines.flatMap(l => (l.undelivered ? [l.undelivered.id] : [])));
		const owed: InboundMessage[] = [];
		for (let i = lines.length - 1; i >= 0; i--) {
			const l = lines[i]!;
			if (l.internal || l.from === "system" || undelivered.has(l.id)) continue;
			if (l.from !== "customer") break;
			if (!forwarded.includes(l.id) && !forwarded.includes(handledId(l.id))) continue;
			owed.unshift({
				messageId: l.id,
				at: l.at,
				...(l.text ? { text: l.text } : {}),
				...(l.choiceId !== undefined ? { choiceId: l.choiceId } : {}),
				...(l.media ? { media: l.media } : {}),
				...(l.orderItems?.length ? { orderItems: l.orderItems } : {})
			});
		}
		return owed.slice(-INBOX_LIMIT);
	}

	/**
	 * Fires IDLE_TIMEOUT for the conversations whose idle deadline passed. Any node may call it at
	 * any time: one sweeper at a time runs (a short store lock), the rest return at once.
	 */
	async sweepIdle(): Promise<{ swept: boolean; fired: number }> {
		const interval = this.o.sweepIntervalMs ?? DEFAULT_SWEEP_INTERVAL_MS;
		const lock = await this.o.store.lock(sweepLockKey(this.brand), Math.max(interval, 5000));
		if (!lock) return { swept: false, fired: 0 };
		try {
			const { fired } = await this.deadlines.sweep(async id => {
				const at = this.now();
				const record = await this.get(id);
				const idleAt = record?.snapshot.context.deadlines?.idleAt ?? null;
				if (idleAt === null || idleAt > at) return "not-due";
				try {
					await this.send(id, { type: "IDLE_TIMEOUT", at }, SWEEP_LOCK_WAIT_MS);
					return "fired";
				} catch (err) {
					this.o.logger.warn(`Idle timeout of ${id} not fired yet: ${(err as Error).message}`);
					return "failed";
				}
			});
			return { swept: true, fired };
		} finally {
			await lock.release().catch(() => false);
		}
	}

	/** Days since the epoch by this host's clock: the index's day. */
	private today(): number {
		return Math.floor(this.now() / DAY_MS);
	}

	/** The last `last` lines of a conversation's transcript. */
	transcript(conversationId: string, last: number): Promise<TranscriptLine[]> {
		return readTranscript(this.o.store, conversationId, { last });
	}

	async get(conversationId: string): Promise<ConversationRecord | null> {
		return (await readConversationRecord(this.o.store, conversationId))?.value ?? null;
	}

	/**
	 * The brand's conversations, newest first, `limit` from `offset`, with how many there are (in
	 * `state` when given). Records are read in batches, one round trip each; without a state filter
	 * only the page is read, with one every record is (an operator's question, not a hot path).
	 */
	async list(opts: { state?: string; limit: number; offset: number }): Promise<{ items: ConversationRecord[]; total: number }> {
		// Newest day first, each day's newest first: the order of last activity. Days older than the
		// retention hold only conversations whose data is gone.
		const today = this.today();
		const days = Array.from({ length: Math.ceil(this.retentionMs / DAY_MS) + 1 }, (_, i) => today - i);
		const lists = await Promise.all(days.map(day => this.o.store.range<string>(indexKey(this.brand, day), 0, -1)));
		const ids = [...new Set(lists.flatMap(list => list.reverse()))];
		const read = async (slice: string[]) => {
			const records: ConversationRecord[] = [];
			for (let i = 0; i < slice.length; i += LIST_BATCH) {
				const found = await this.o.store.batch(slice.slice(i, i + LIST_BATCH).map(id => ({ op: "getVersioned", key: conversationKey(id) }) as const));
				for (const r of found as (Versioned<StoredConversationRecord> | null)[]) if (r) records.push(expandRecord(r.value));
			}
			return records;
		};
		if (!opts.state) return { items: await read(ids.slice(opts.offset, opts.offset + opts.limit)), total: ids.length };
		const matching = (await read(ids)).filter(r => r.snapshot.value === opts.state);
		return { items: matching.slice(opts.offset, opts.offset + opts.limit), total: matching.length };
	}

	/**
	 * One locked step: restore (or start), feed one event, run any turn the machine asks for, CAS,
	 * then publish. Throws a retryable error when the lock cannot be had or the CAS lost a race.
	 */
	/**
	 * Lets the steps under way finish, at most `timeoutMs`, before the node stops: a turn waiting out
	 * its coalescing window answers at once. Stopped without it, a turn's lock stayed behind and its
	 * customer waited the lock's whole expiry (a minute) for another node to answer.
	 */
	async drain(timeoutMs: number): Promise<number> {
		this.draining = true;
		this.wakeDrain();
		const pending = [...this.inflight];
		if (!pending.length) return 0;
		let timer: NodeJS.Timeout | undefined;
		await Promise.race([Promise.allSettled(pending), new Promise<void>(resolve => (timer = setTimeout(resolve, timeoutMs)))]);
		clearTimeout(timer);
		return this.inflight.size;
	}

	private step(
		conversationId: string,
		who: StepCustomer,
		input: (current: ConversationRecord | null, lock: LockHandle) => Promise<{ event: ConversationEvent; inboxRead: number } | null>,
		lockWaitMs = this.lockWaitMs
	): Promise<StepResult> {
		const running = this.runStep(conversationId, who, input, lockWaitMs);
		this.inflight.add(running);
		const done = () => void this.inflight.delete(running);
		running.then(done, done);
		return running;
	}

	private async runStep(
		conversationId: string,
		who: StepCustomer,
		input: (current: ConversationRecord | null, lock: LockHandle) => Promise<{ event: ConversationEvent; inboxRead: number } | null>,
		lockWaitMs: number
	): Promise<StepResult> {
		const lock = await this.acquire(conversationId, lockWaitMs);
		try {
			const key = conversationKey(conversationId);
			const stored = await this.o.store.getVersioned<StoredConversationRecord>(key);
			if (stored && stored.value.fence > lock.token) throw new StaleWriterError(conversationId);
			// A crash after the last CAS left publications behind: they go out first (idempotent), as stored.
			const leftover = stored?.value.outbox?.length ? (stored.value as PublishingRecord) : null;
			if (leftover) await this.flush(conversationId, stored!.version, leftover, lock);
			// Read again only when that flush wrote: under the lock, nothing else does.
			const current = leftover ? await readConversationRecord(this.o.store, conversationId) : stored && { version: stored.version, value: expandRecord(stored.value) };

			const errors: unknown[] = [];
			const onError = (err: unknown) => errors.push(err);
			let actor: ConversationActor;
			// A lobby on a shared number that handed the customer to another brand keeps that brand in
			// its closed context; reopened from this brand's own number it would speak as the other
			// brand from this brand's number. It starts afresh here instead (same id, same transcript).
			const ctxBrand = current?.value.snapshot.context.brand ?? null;
			// So does a lobby whose customer, handed to another shop, asked to come back to this one.
			const handedAway =
				current !== null &&
				(who.brands.length === 1 || who.freshLobby === true) &&
				current.value.snapshot.value === "closed" &&
				ctxBrand !== null &&
				ctxBrand !== this.brand;
			if (current && !handedAway) {
				const restored = restoreConversation(current.value, { onError, inspect: this.inspect });
				if (restored.repaired) this.o.logger.warn(`Conversation ${conversationId} repaired on restore: ${restored.repaired}`);
				actor = restored.actor;
			} else {
				const brand = who.brands.length > 1 && !who.freshLobby ? null : this.brand;
				actor = startConversation(
					{
						conversationId,
						brand,
						brands: who.brands,
						customer: { waId: who.waId, ...(who.customerName ? { name: who.customerName } : {}) },
						...(this.o.idleTimeoutMs ? { idleTimeoutMs: this.o.idleTimeoutMs } : {})
					},
					{ onError, inspect: this.inspect }
				);
			}
			const emitted: ConversationEmitted[] = [];
			actor.on("*", e => void emitted.push(e as ConversationEmitted));

			const fed = await input(current?.value ?? null, lock);
			if (!fed) {
				actor.stop();
				return { state: String(actor.getSnapshot().value), published: 0, turn: null };
			}
			const { event, inboxRead } = fed;
			const brandBefore = actor.getSnapshot().context.brand;
			actor.send(event);
			// A shared number's lobby whose customer just picked another brand hands the conversation over.
			const picked = actor.getSnapshot().context.brand;
			const handOverTo = brandBefore === null && picked !== null && picked !== this.brand && who.source && who.phoneNumberId ? picked : null;
			let turn: TurnOutcome | null = null;
			// The machine asks for at most one turn per event; its result may ask for nothing more.
			for (let i = 0; i < emitted.length; i++) {
				const e = emitted[i]!;
				if (e.type !== "turn.requested" || handOverTo) continue;
				const later = emitted.slice(i + 1).some(x => x.type === "turn.requested");
				if (later) continue;
				let failure: string | null = null;
				try {
					turn = await this.runTurnRetrying(actor, e.turn, e.messages, e.greet, lock, conversationId);
				} catch (err) {
					// The runner already turns model failures into an escalation; what reaches here is our
					// own turn code failing (a bug, the store failing mid-turn). Retrying would most likely
					// fail the same way five times and dead-letter the message, leaving the customer with
					// no answer at all: a person takes over instead. This is committed only if the CAS
					// below succeeds, so an outage that also breaks the commit still retries the message.
					failure = err instanceof Error ? err.message : String(err);
					this.o.logger.error(`Turn ${e.turn} of ${conversationId} failed; handing it to a person: ${failure}`);
					this.o.onTurnFailed?.(actor.getSnapshot().context.brand ?? this.brand, this.o.model.name);
				}
				if (turn) actor.send({ type: "TURN_COMPLETED", ...turn.result });
				else actor.send({ type: "TURN_FAILED", turn: e.turn, detail: `turn failed: ${failure ?? "unknown"}`.slice(0, 500), reply: handoffReply(e.messages) });
			}
			const handedOver = handOverTo ? emitted.flatMap(e => (e.type === "turn.requested" ? e.messages : [])) : [];
			if (handOverTo) actor.send({ type: "CLOSE", reason: "resolved" });
			if (errors.length) throw errors[0];

			const snapshot = actor.getSnapshot();
			actor.stop();
			// The customer's lines go in before the CAS (a retry appends them again; reads skip
			// repeats) so that messages forwarded to a human seller carry their transcript seq.
			// With them, in the same round trip, the new idle deadline: listed before the CAS, a
			// crash in between leaves a stale hint, never an unknown deadline.
			const before = event.type === "MESSAGE_RECEIVED" ? transcriptAppendOps(conversationId, event.messages.map(customerLine), this.retentionMs) : [];
			const idleAt = snapshot.context.deadlines.idleAt;
			// The stored record is read with defaults, not migrated: an old version (v1) reads as having no deadline.
			if (idleAt !== null && idleAt !== current?.value.snapshot.context.deadlines?.idleAt) before.push(...this.deadlines.addOps(conversationId, idleAt));
			if (before.length) await this.o.store.batch(before);
			const forwarded = emitted.flatMap(e => (e.type === "customer.message.forwarded" ? e.messages.map(m => m.messageId) : []));
			const seqs = forwarded.length ? await this.seqsOfMessages(conversationId, forwarded) : new Map<string, number>();
			const phoneNumberId = who.phoneNumberId ?? current?.value.phoneNumberId;
			const record: PublishingRecord = {
				...saveConversation(snapshot),
				fence: lock.token,
				outbox: this.publications(conversationId, snapshot.context, emitted, turn, phoneNumberId, seqs),
				...(phoneNumberId ? { phoneNumberId } : {})
			};
			if (handOverTo && who.source && who.phoneNumberId) {
				// Before the CAS: a message arriving meanwhile must already find the pick. Both writes
				// repeat harmlessly on a retry (the inbox is de-duplicated by message id).
				await this.o.store.set(choiceKey(who.phoneNumberId, who.waId), handOverTo, this.retentionMs);
				const target = inboxKey(conversationIdOf(handOverTo, who.waId));
				for (const message of handedOver) await this.o.store.append<QueuedMessage>(target, { ...message, queuedAt: 0 });
				record.outbox.push(handOverPublication(who.source, handOverTo, this.sellerNames));
			}
			// The turn may have outlived the lock: a writer that lost it must not write.
			if (!(await lock.extend(this.lockTtlMs))) throw new StaleWriterError(conversationId);
			const version = await this.o.store.compareAndSet(key, current?.version ?? 0, storedRecord(record), this.retentionMs);
			if (version === null) throw new StaleWriterError(conversationId);
			// In one round trip once committed: the conversation joins today's index; what we say
			// goes in (a writer that lost the race said nothing); every message read from the inbox
			// is handled (one appended since is fed by its own handler).
			const after: BatchOp[] = [];
			// A step with a message of today's was listed today already: the message arrived before
			// that step ran. Not stored in the record, whose every byte counts (issue 5's 2 KB).
			const today = this.today();
			const lastInbound = current?.value.snapshot.context.lastInboundAt;
			if (lastInbound == null || Math.floor(lastInbound / DAY_MS) !== today)
				after.push({ op: "append", key: indexKey(this.brand, today), value: conversationId }, { op: "expire", key: indexKey(this.brand, today), ttlMs: this.retentionMs + DAY_MS });
			const spoken = spokenLines(emitted, this.now(), snapshot.context.lang, this.persona(snapshot.context.brand ?? this.brand));
			after.push(...transcriptAppendOps(conversationId, spoken, this.retentionMs));
			if (inboxRead > 0) after.push({ op: "dropHead", key: inboxKey(conversationId), count: inboxRead });
			if (after.length) await this.o.store.batch(after);
			const published = await this.flush(conversationId, version, record, lock);
			if (snapshot.value === "human" && snapshot.context.sellerId) await this.showNotices(conversationId, snapshot.context.sellerId, spoken);
			return { state: String(snapshot.value), published, turn };
		} finally {
			await lock.release().catch(() => this.releaseLater(lock));
		}
	}

	/**
	 * A lock the store could not release (it was down for a moment) is released again every second
	 * while it could still be held: left to expire, it kept the customer's next message waiting the
	 * lock's whole time (a minute) after a Redis blip of seconds. Safe to repeat: a release frees only
	 * the holder's own lock.
	 */
	private releaseLater(lock: LockHandle): false {
		void (async () => {
			for (let i = 0; i < Math.ceil(this.lockTtlMs / 1000); i++) {
				await this.delay(1000);
				if (await lock.release().then(() => true, () => false)) return;
			}
		})();
		return false;
	}

	/**
	 * An order notice sent while a person holds the conversation ("payment received", "shipped")
	 * shows in their console as it goes out, not at their next reload. A plain broadcast: one lost
	 * with a node is in the transcript, which the console reads on its next resume.
	 */
	private async showNotices(conversationId: string, sellerId: string, spoken: readonly TranscriptEntry[]): Promise<void> {
		const notices = spoken.filter(l => l.from === "system");
		if (!notices.length) return;
		// After the customer's send, and never failing the step it follows: the console catches up on its own.
		const seqs = await seqsOf(this.o.store, conversationId, notices.map(l => l.id)).catch((err: unknown) => {
			this.o.logger.warn(`Conversation ${conversationId}: order notice not shown live to seller ${sellerId} (${(err as Error)?.message ?? err})`);
			return new Map<string, number>();
		});
		for (const l of notices) {
			const seq = seqs.get(l.id);
			if (seq === undefined) continue;
			const push: ConsolePush = { to: { sellerIds: [sellerId] }, frame: { type: "conversation.message", conversationId, seq, from: "system", text: l.text, at: l.at } };
			void this.o.broker.broadcast(CONSOLE_PUSH_EVENT, push);
		}
	}

	/** Transcript seqs of customer messages, by message id (their lines are kept under `handledId`). */
	private async seqsOfMessages(conversationId: string, messageIds: string[]): Promise<Map<string, number>> {
		const byLine = new Map(messageIds.map(id => [handledId(id), id]));
		const found = await seqsOf(this.o.store, conversationId, [...byLine.keys()]);
		return new Map([...found].map(([line, seq]) => [byLine.get(line)!, seq]));
	}

	private async acquire(conversationId: string, waitMs: number): Promise<LockHandle> {
		// Real time, not `now`: lock expiry in the store runs on real time too.
		const deadline = Date.now() + waitMs;
		for (;;) {
			const asked = Date.now();
			const lock = await this.o.store.lock(lockKey(conversationId), this.lockTtlMs, { fenceWith: conversationKey(conversationId) });
			if (lock) return new HeldLock(lock, this.lockTtlMs, asked);
			if (Date.now() > deadline) throw new StoreRetryableError(`Conversation ${conversationId} is busy`, 503, "CONVERSATION_BUSY", { conversationId });
			await new Promise(r => setTimeout(r, LOCK_POLL_MS));
		}
	}

	/** Publishes the record's outbox, then clears it (a lost race leaves it for the next writer). */
	private async flush(conversationId: string, version: number, record: PublishingRecord, lock: LockHandle): Promise<number> {
		// One channel's publications in order (two messages to the customer leave as written); the
		// channels side by side, so a reply and its response event cost one round trip, not two.
		const byChannel = new Map<string, Publication[]>();
		for (const p of record.outbox) byChannel.set(p.type, [...(byChannel.get(p.type) ?? []), p]);
		await Promise.all(
			[...byChannel.values()].map(async list => {
				for (const p of list) await this.o.publish(p.type, p.data as never, { id: p.id, subject: p.subject, correlationid: conversationId });
			})
		);
		if (record.outbox.length && (await lock.extend(this.lockTtlMs)))
			await this.o.store.compareAndSet(conversationKey(conversationId), version, storedRecord({ ...record, outbox: [] }), this.retentionMs);
		return record.outbox.length;
	}

	/**
	 * A turn whose tools' services did not answer (the catalog's node restarting, the transporter
	 * reconnecting) is run again after UNAVAILABLE_BACKOFF_MS, holding the conversation's lock:
	 * a short outage costs the customer a few seconds, not a hand-over to a person. Past that, or on
	 * a node that is stopping, it fails as any turn does (a person takes over).
	 */
	private async runTurnRetrying(actor: ConversationActor, turn: number, messages: InboundMessage[], greet: boolean, lock: LockHandle, conversationId: string): Promise<TurnOutcome> {
		for (let attempt = 0; ; attempt++) {
			try {
				return await this.runTurn(actor, turn, messages, greet);
			} catch (err) {
				const wait = UNAVAILABLE_BACKOFF_MS[attempt];
				if (!(err instanceof TurnUnavailableError) || wait === undefined || this.draining) throw err;
				this.o.logger.warn(`Turn ${turn} of ${conversationId}: ${err.message}; trying again in ${wait} ms`);
				if (!(await lock.extend(this.lockTtlMs))) throw new StaleWriterError(conversationId);
				await Promise.race([this.delay(wait), this.drained]);
			}
		}
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
			// Moved here from another shop of a shared number (or the shop list tapped again): this
			// seller says hello again rather than reading a tap that asks nothing.
			greet: greet || (messages.length > 0 && messages.every(m => m.choiceId?.startsWith(BRAND_CHOICE_PREFIX))),
			cart: ctx.cart,
			promoCode: ctx.promoCode,
			deliverTo: ctx.deliverTo,
			awaitingConfirmation: snap.value === "checkout",
			shown: ctx.shown,
			focus: ctx.focus,
			lang: ctx.lang,
			sentiment: ctx.sentiment,
			misunderstood: ctx.misunderstood,
			orderId: ctx.orderId,
			cancelling: ctx.cancelling
		};
		// The transcript holds what was said before this turn (this turn's lines go in after it).
		const tail = await readTranscript(this.o.store, ctx.conversationId, { last: HISTORY_MAX_MESSAGES + messages.length });
		// This turn's own messages are its input, not history (lines written before ids were digested carry the raw id).
		const history = historyFromTranscript(tail, { exclude: new Set(messages.flatMap(m => [m.messageId, handledId(m.messageId)])) });
		if (history.length) input.history = history;
		const outcome = await runTurn(input, {
			model: this.o.model,
			persona: this.persona(brand),
			tools: this.tools(ctx.conversationId, brand, ctx.customer.waId),
			...(this.o.runnerOptions ? { options: this.o.runnerOptions } : {})
		});
		this.o.onTurn?.(brand, outcome);
		if (outcome.modelError) this.o.logger.warn(`Turn ${turn} of ${ctx.conversationId}: model failed (${outcome.modelError})`);
		if (outcome.violations.length)
			this.o.logger.info(`Turn ${turn} of ${ctx.conversationId}: ${outcome.violations.length} guardrail violation(s), regenerated ${outcome.regenerated}, corrected ${outcome.corrected}`);
		return outcome;
	}

	/** The tools' reach into the catalog and orders services (shared with the sales assistant). */
	private tools(conversationId: string, brand: string, waId: string): Omit<ToolContext, "turn"> {
		return toolContextFor(this.o.broker, conversationId, brand, waId, this.o.paymentLinkUrl ?? null);
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
				case "brand.choice.requested": {
					// In the language of what they wrote while they wait for a shop to answer it.
					const es = detectLang(ctx.inbox.map(m => m.text ?? "").join(" ")) === "es";
					send(`${conversationId}:brand:${lastMessage}:0`, {
						kind: "list",
						text: es ? "¡Hola! ¿Con cuál de nuestras tiendas quieres hablar?" : "Hi! Which of our shops would you like to talk to?",
						list: {
							button: es ? "Elegir tienda" : "Choose a shop",
							sections: [{ rows: e.brands.slice(0, 10).map(b => ({ id: `brand:${b}`, title: this.persona(b).name, description: b })) }]
						}
					});
					break;
				}
				case "escalation.requested":
					out.push({
						type: EventTypes.SalesEscalate,
						id: escalateEventId(conversationId, ctx.turn, e.reason),
						subject: conversationId,
						data: {
							conversationId,
							brand,
							waId,
							...(ctx.customer.name ? { customerName: ctx.customer.name } : {}),
							reason: e.reason,
							...(e.detail ? { detail: e.detail } : {}),
							...(e.summary ? { summary: e.summary } : {}),
							priority: e.reason === "frustration" || e.reason === "high_value" ? 1 : 0,
							...(ctx.lang ? { lang: ctx.lang } : {})
						}
					});
					break;
				case "notification.send":
					send(`${conversationId}:order:${e.orderId}:${noticeName(e)}:0`, notification(e, ctx.lang, this.o.templateLanguages ?? DEFAULT_WHATSAPP_TEMPLATE_LANGUAGES));
					break;
				case "conversation.handed.back":
					// Told who answers now; past the 24-hour window it waits for their next message.
					if (e.withinWindow) send(`${conversationId}:handback:${e.at}`, { kind: "text", text: handbackText(this.persona(brand), ctx.lang, e.answering) });
					break;
				case "customer.message.forwarded": {
					const messages = e.messages.flatMap(m => {
						const seq = seqs.get(m.messageId);
						return seq === undefined
							? []
							: [
									{
										messageId: m.messageId,
										seq,
										at: m.at,
										...(m.text !== undefined ? { text: m.text } : {}),
										...(m.choiceId !== undefined ? { choiceId: m.choiceId } : {}),
										...(m.media ? { media: m.media } : {}),
										...(m.orderItems?.length ? { orderItems: m.orderItems } : {})
									}
								];
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
				case "escalation.withdrawn":
					out.push({
						type: EventTypes.ChatEscalationWithdrawn,
						id: `withdrawn:${conversationId}:${e.turn}:${lastMessage}`,
						subject: conversationId,
						data: { conversationId, brand, waId, escalateEventId: escalateEventId(conversationId, e.turn, e.reason) }
					});
					break;
				case "conversation.closed":
					out.push({
						type: EventTypes.ChatConversationClosed,
						id: `closed:${conversationId}:${ctx.turn}:${lastMessage}`,
						subject: conversationId,
						data: {
							conversationId,
							brand,
							waId,
							reason: e.reason,
							// Still set when it was closed while escalated or with a human: nothing else sets it
							// and a handback or a reopening clears it; the turn has not moved since it escalated.
							...(ctx.escalation ? { escalateEventId: escalateEventId(conversationId, ctx.turn, ctx.escalation.reason) } : {})
						}
					});
					break;
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

/** The id of the `store.sales.escalate` a conversation publishes when it escalates at this turn. */
export function escalateEventId(conversationId: string, turn: number, reason: string): string {
	return `escalate:${conversationId}:${turn}:${reason}`;
}

function outbound(reply: OutboundReply): Omit<WhatsappMessageSendV1, "brand" | "to" | "idempotencyKey"> {
	if (reply.buttons?.length) return { kind: "buttons", text: reply.text, buttons: reply.buttons, ...(reply.image ? { image: { link: reply.image.link } } : {}) };
	if (reply.image) return { kind: "image", image: { link: reply.image.link, caption: reply.text } };
	if (reply.list) return { kind: "list", text: reply.text, list: reply.list };
	return { kind: "text", text: reply.text };
}

type NotificationEmitted = Extract<ConversationEmitted, { type: "notification.send" }>;

/** Order notices in the customer's language (English unless they wrote Spanish). */
const NOTIFICATION_TEXT: Record<OrderStatus, (e: NotificationEmitted, es: boolean) => string> = {
	confirmed: (e, es) =>
		es ? `Tu pedido ${e.orderId} está confirmado — ¡gracias! Te avisamos cuando salga.` : `Your order ${e.orderId} is confirmed — thank you! We'll let you know when it ships.`,
	shipped: (e, es) => {
		const tracking = e.trackingNumber ? ` (${es ? "seguimiento" : "tracking"} ${e.trackingNumber})` : "";
		// A correction says so: the tracking they were given before no longer finds the parcel.
		if (e.correction)
			return es
				? `Actualización: tu pedido ${e.orderId} va con ${e.carrier ?? "nuestro transportista"}${tracking}. Usa este número en lugar del anterior.`
				: `Update: your order ${e.orderId} is with ${e.carrier ?? "our carrier"}${tracking}. Please use this one instead of the earlier number.`;
		return es
			? `Tu pedido ${e.orderId} va en camino con ${e.carrier ?? "nuestro transportista"}${tracking}.`
			: `Your order ${e.orderId} is on its way with ${e.carrier ?? "our carrier"}${tracking}.`;
	},
	delivered: (e, es) => (es ? `Tu pedido ${e.orderId} fue entregado. ¡Que lo disfrutes!` : `Your order ${e.orderId} was delivered. Enjoy it!`),
	// The reason is the provider's or the staff's words ("fraud check failed", "duplicate"): theirs to
	// read in the order, not the customer's; a person explains.
	cancelled: (e, es) =>
		e.reasonCode === "not_paid_in_time"
			? es
				? `Tu pedido ${e.orderId} fue cancelado porque no recibimos el pago a tiempo. Si todavía lo quieres, puedes pedirlo de nuevo aquí.`
				: `Your order ${e.orderId} was cancelled because we didn't receive the payment in time. If you still want it, you can order it again here.`
			: e.withPerson
			? es
				? `Tu pedido ${e.orderId} fue cancelado. Alguien de nuestro equipo está contigo en este chat y te explica lo que necesites.`
				: `Your order ${e.orderId} was cancelled. Someone from our team is with you in this chat and can explain anything you need.`
			: es
				? `Tu pedido ${e.orderId} fue cancelado. Si tienes dudas, escribe "hablar con una persona" y alguien de nuestro equipo te explica.`
				: `Your order ${e.orderId} was cancelled. If you have questions, say "talk to a person" and someone from our team will explain.`
};
/**
 * Money owed back, said plainly: how much, for which order, and that nothing is asked of them. No
 * date is promised (operators make refunds by hand, `orders.refunded`).
 */
function refundText(e: NotificationEmitted & { refund: RefundNotice }, es: boolean): string {
	const amount = formatMoney(e.refund.amount, e.refund.currency);
	switch (e.refund.reason) {
		case "paid_after_cancellation":
			return es
				? `Recibimos tu pago de ${amount} por el pedido ${e.orderId}, pero ese pedido ya estaba cancelado, así que te lo devolvemos: nuestro equipo está gestionando el reembolso, no tienes que hacer nada. Si todavía lo quieres, puedes pedirlo de nuevo aquí.`
				: `We received your payment of ${amount} for order ${e.orderId}, but that order had already been cancelled, so we'll refund it: our team is arranging it, there's nothing you need to do. If you still want it, you can order it again here.`;
		case "paid_twice":
			return es
				? `Recibimos un segundo pago de ${amount} por el pedido ${e.orderId}, que ya estaba pagado. Te devolvemos el pago de más: nuestro equipo está gestionando el reembolso, no tienes que hacer nada.`
				: `We received a second payment of ${amount} for order ${e.orderId}, which was already paid. We'll refund the extra payment: our team is arranging it, there's nothing you need to do.`;
		default:
			return es
				? `Te devolvemos los ${amount} que pagaste por el pedido ${e.orderId}: nuestro equipo está gestionando el reembolso, no tienes que hacer nada.`
				: `You'll get back the ${amount} you paid for order ${e.orderId}: our team is arranging the refund, there's nothing you need to do.`;
	}
}
const noticeText = (e: NotificationEmitted, lang: string | null) =>
	e.refund ? refundText({ ...e, refund: e.refund }, lang === "es") : NOTIFICATION_TEXT[e.status](e, lang === "es");

/**
 * The language of a template for a customer who writes `lang`: one the templates are approved in
 * (Meta refuses any other with 132001), the customer's if it is there (`es` matches `es_MX`),
 * otherwise the first.
 */
function templateLanguage(lang: string | null, approved: readonly string[]): string {
	return (lang && approved.find(code => code === lang || code.startsWith(`${lang}_`))) || approved[0];
}

/** Text inside Meta's 24-hour window; an approved template (`order_<status>`) outside it. */
function notification(e: NotificationEmitted, lang: string | null, templateLanguages: readonly string[]): Omit<WhatsappMessageSendV1, "brand" | "to" | "idempotencyKey"> {
	if (e.withinWindow) return { kind: "text", text: noticeText(e, lang) };
	const params = e.refund
		? [e.orderId, formatMoney(e.refund.amount, e.refund.currency)]
		: [e.orderId, ...(e.status === "shipped" ? [e.carrier ?? "", e.trackingNumber ?? ""] : [])];
	return {
		kind: "template",
		template: {
			name: e.refund ? "order_refund" : `order_${e.status}`,
			language: templateLanguage(lang, templateLanguages),
			components: [{ type: "body", parameters: params.map(text => ({ type: "text", text })) }]
		}
	};
}

/**
 * Whose conversation a step writes: the customer, the brands it may belong to, the number they wrote
 * to and the message that started it; `freshLobby`: a shared number's first shop, asked for again.
 */
interface StepCustomer {
	waId: string;
	customerName?: string;
	brands: string[];
	phoneNumberId?: string;
	source?: ChatMessageNewV1;
	freshLobby?: boolean;
}

/** An inbox entry: the message and when it was published (the coalescing window's clock). */
type QueuedMessage = InboundMessage & { queuedAt?: number };

const conversationIdOf = (brand: string, waId: string) => `${brand}:${waId}`;

/**
 * A shared number's message re-published as the chosen brand's own: same message id (the chosen
 * conversation de-duplicates it like any other), a deterministic event id (a repeat is a no-op).
 */
function handOverPublication(m: ChatMessageNewV1, chosen: string, names: SellerNames): Publication {
	const { brandChoiceRequired: _r, brands: _b, ...rest } = m;
	// A pick written in words ("belleza") reaches the chosen seller as the pick it was, not as words to answer.
	const pickedInWords = !m.choiceId && (brandNamed(m.text, m.brands ?? [], names) ?? shopSwitch(m.text, m.brands ?? [], names)) === chosen ? { choiceId: `${BRAND_CHOICE_PREFIX}${chosen}` } : {};
	const data: ChatMessageNewV1 = { ...rest, ...pickedInWords, conversationId: conversationIdOf(chosen, m.waId), brand: chosen };
	return { type: EventTypes.ChatMessageNew, id: `handover:${chosen}:${m.messageId}`, data: data as unknown as Record<string, unknown>, subject: data.conversationId };
}

/**
 * A held store lock that asks the store to extend it only once a third of its time is gone. Until
 * then it is certainly still held (its expiry counts from when the store took it, which is after
 * `since`), so a turn of a few milliseconds extends nothing: that was two round trips of every turn.
 */
class HeldLock implements LockHandle {
	constructor(
		private readonly held: LockHandle,
		private readonly ttlMs: number,
		private since: number
	) {}

	get key(): string {
		return this.held.key;
	}

	get token(): number {
		return this.held.token;
	}

	async extend(ttlMs: number): Promise<boolean> {
		const asked = Date.now();
		if (ttlMs <= this.ttlMs && asked - this.since < this.ttlMs / 3) return true;
		if (!(await this.held.extend(ttlMs))) return false;
		this.since = asked;
		return true;
	}

	release(): Promise<boolean> {
		return this.held.release();
	}
}

/** Ids are only for skipping a line written twice: short ones keep a transcript small (no raw wamid, no conversation id). */
function customerLine(m: InboundMessage): TranscriptEntry {
	return {
		id: handledId(m.messageId),
		from: "customer",
		text: m.text ?? "",
		at: m.at,
		...(m.choiceId !== undefined ? { choiceId: m.choiceId } : {}),
		// A photo or a voice note with no caption is still something the customer sent: the console and the model say so.
		...(m.media ? { media: m.media } : {}),
		...(m.orderItems?.length ? { orderItems: m.orderItems.map(i => ({ sku: i.sku, qty: i.qty })) } : {})
	};
}

/** The AI's replies, the order notices and the hand-back notice of a committed step, with ids that repeat on a re-run. */
function spokenLines(emitted: readonly ConversationEmitted[], at: number, lang: string | null, persona: Persona): TranscriptEntry[] {
	const lines: TranscriptEntry[] = [];
	for (const e of emitted) {
		if (e.type === "reply.send") lines.push({ id: `ai:${e.turn}`, from: "ai", text: e.reply.text, at, ...(e.reply.image ? { image: e.reply.image.link } : {}) });
		else if (e.type === "notification.send") lines.push({ id: `notice:${e.orderId}:${noticeName(e)}`, from: "system", text: noticeText(e, lang), at });
		else if (e.type === "conversation.handed.back" && e.withinWindow) lines.push({ id: `handback:${e.at}`, from: "ai", text: handbackText(persona, lang, e.answering), at });
	}
	return lines;
}

/** True when the AI seller speaks in this state. */
export const aiSpeaks = (state: string): boolean => (AI_STATES as readonly string[]).includes(state);
