/**
 * The escalation actors' host: the I/O around the pure escalation machine, for any number of nodes.
 *
 * One writer per escalation on every node: a step takes the escalation's store lock (with its
 * fencing token), restores the actor from its stored `{ version, snapshot }`, feeds it one event,
 * and compare-and-sets the record. Durable publications of a step (assigned, resolved, SLA breach,
 * the customer's WhatsApp notice) go into the record's `outbox` with the snapshot, are published
 * after the CAS and cleared by a second CAS; a crash in between leaves them for the next writer,
 * and deterministic event ids and idempotency keys make the repeat a no-op downstream. Console
 * pushes and insights follow a committed step and may be lost (a seller recovers with `session`).
 *
 * Nothing lives only in memory: open escalations are listed per brand in the store, deadlines are
 * in the snapshots, presence is in the store, so any node can sweep (one at a time, under a short
 * lock) and a restarted node picks up where the cluster was.
 */
import { createHash, randomUUID } from "node:crypto";
import type { LoggerInstance, ServiceBroker } from "moleculer";
import type { LockHandle, LockOptions, Store } from "../../adapters/store/store";
import { appendTranscript, readTranscript, seqsOf } from "../../adapters/transcript";
import { DEFAULT_CONVERSATION_RETENTION_MS, type SellerConfig } from "../../config";
import type { EscalationEmitted, EscalationEvent, EscalationInput, PersistedEscalation } from "../../contracts/escalation";
import { ForbiddenError, NotFoundError, StoreClientError, StoreRetryableError } from "../../contracts/errors";
import {
	EventTypes,
	type ChatConversationClosedV1,
	type ChatEscalationWithdrawnV1,
	type ChatMessageForwardedV1,
	type CloudEvent,
	type SalesEscalateV1,
	type Publication,
	type Publish,
	type WhatsappMessageRefusedV1
} from "../../contracts/events";
import {
	SALES_ASSISTANT_ERRORS,
	type AssistView,
	type ConsolePush,
	type ConversationView,
	type EscalationView,
	type LostConversationView,
	type SellerView,
	type SessionResult,
	type TranscriptMessage
} from "../../contracts/sales-assistant";
import {
	createEscalation,
	persistEscalation,
	restoreEscalation,
	stateOf,
	type EscalationActor,
	type EscalationSnapshot
} from "../../machines/escalation.machine";
import { conversationKey, readConversationRecord, type StoredConversationRecord } from "../ai-seller/host";
import { personaFor } from "../../agents/personas";
import { SERVICE_WINDOW_MS } from "../../contracts/conversation";
import { approveAction, assistFor, summaryOf, type AssistDeps, type EscalationFacts } from "./assist";
import type { SuggestionTrigger } from "./offline-assistant";
import { insightsOn } from "./insights";
import { compareEntries, EscalationQueue, entryOf, takeRefusal, type SellerAvailability } from "./queue";
import { awayText, closedText, escalationView, joinedText, lostReason, passedOnText, pushesFor, sellerView, transcriptMessage, undeliveredText, waitingText } from "./views";

export interface EscalationRecord extends PersistedEscalation {
	/** Fencing token of the writer that stored this record. */
	fence: number;
	outbox: Publication[];
	/** The brand whose AI seller owns the conversation: what the customer is told goes in its name, whichever team has them. */
	conversationBrand: string;
	summary: string;
}


export interface Timings {
	slaMs: number;
	graceMs: number;
	offerTtlMs: number;
	presenceTtlMs: number;
}

export interface EscalationsOptions {
	broker: ServiceBroker;
	store: Store;
	logger: LoggerInstance;
	publish: Publish;
	/** Sends a frame to console nodes (a plain broadcast: may be lost). */
	push: (push: ConsolePush) => void;
	sellers: readonly SellerConfig[];
	timings: Timings;
	now: () => number;
	openai?: AssistDeps["openai"];
	lockTtlMs?: number;
	lockWaitMs?: number;
	/** How long an escalation's record and the conversation's transcript outlive their last write (CONVERSATION_RETENTION_DAYS); the default's otherwise. */
	retentionMs?: number;
	/** PAYMENT_LINK_URL, for the orders sellers create. */
	paymentLinkUrl?: string | null;
	/** The brands file's AI seller names, by brand: the closing notice names the one who answers next. */
	sellerNames?: Readonly<Record<string, string>>;
}

export const escalationKey = (id: string) => `esc:${id}`;
export const escalationLockKey = (id: string) => `esc:lock:${id}`;
/** Held while a seller takes work, so two accepts of different escalations cannot both fit one slot. */
export const sellerLockKey = (sellerId: string) => `esc:seller-lock:${sellerId}`;
/** The conversation's open escalation: at most one at a time. */
export const conversationPointerKey = (conversationId: string) => `esc:conv:${conversationId}`;
/** Open (not resolved) escalation ids of a brand, as one versioned array. */
export const openIndexKey = (brand: string) => `esc:open:${brand}`;
export const presenceKey = (nodeId: string) => `esc:presence:${nodeId}`;
export const presenceNodesKey = "esc:presence:nodes";
export const pausedKey = (sellerId: string) => `esc:paused:${sellerId}`;
/** How long a pause lasts unless lifted: a seller who forgot it at the end of a shift takes customers again the next day. */
export const PAUSE_TTL_MS = 12 * 3_600_000;
export const sweepLockKey = "esc:sweep";
export const lastAssistKey = (conversationId: string) => `esc:assist:${conversationId}`;
/** An escalation withdrawn before its escalate event arrived: that event then opens nothing. */
export const withdrawnKey = (escalationId: string) => `esc:withdrawn:${escalationId}`;
const WITHDRAWN_TTL_MS = 7 * 24 * 3600 * 1000;
/** A customer waiting for a person is told so at most this often, however many messages they send. */
export const WAITING_NOTICE_EVERY_MS = 10 * 60_000;
/** Words sent this soon after the hand-over message ("ok thanks") need no notice: it was just said. */
export const WAITING_NOTICE_AFTER_MS = 45_000;
const waitingNoticeKey = (escalationId: string) => `esc:waiting-notice:${escalationId}`;
/** The "<seller> stepped away" notice keeps its own pace: it says something the waiting notices did not. */
const awayNoticeKey = (escalationId: string) => `esc:away-notice:${escalationId}`;
/** A seller's reply's send key (its transcript line is `seller:<key>`); a refusal names it, and the pattern finds the seller. */
const sellerReplyKey = (escalationId: string, sellerId: string, clientId: string) => `${escalationId}:reply:${sellerId}:${clientId}`;
const SELLER_REPLY_KEY = /^esc-[0-9a-f]+:reply:([^:]+):/;

const LOCK_POLL_MS = 15;
const SWEEP_LOCK_TTL_MS = 10_000;
/** A sweep that keeps finding due timers stops after this many rounds (the next sweep goes on). */
const SWEEP_ROUNDS = 5;

/** Deterministic per conversation and triggering event: a redelivered escalate finds its own. */
export function escalationIdOf(conversationId: string, eventId: string): string {
	return `esc-${createHash("sha256").update(`${conversationId}\n${eventId}`).digest("hex").slice(0, 20)}`;
}

export class EscalationTakenError extends StoreClientError {
	constructor(escalationId: string, sellerId?: string | null) {
		super(`Escalation '${escalationId}' was taken by another seller`, 409, SALES_ASSISTANT_ERRORS.EscalationTaken, { escalationId, ...(sellerId ? { sellerId } : {}) });
	}
}
export class CapacityFullError extends StoreClientError {
	constructor(sellerId: string, capacity: number) {
		super(`Seller '${sellerId}' already holds ${capacity} conversation(s)`, 409, SALES_ASSISTANT_ERRORS.CapacityFull, { sellerId, capacity });
	}
}
export class InvalidError extends StoreClientError {
	constructor(message: string, data?: Record<string, unknown>) {
		super(message, 422, SALES_ASSISTANT_ERRORS.Invalid, data);
	}
}
export class SellerOfflineError extends StoreClientError {
	constructor(seller: SellerConfig, what = "transfer to a colleague who is online, or to a team") {
		super(
			`${seller.name} is not connected to the console, so nobody would take the customer: ${what}`,
			409,
			SALES_ASSISTANT_ERRORS.SellerOffline,
			{ toSellerId: seller.id }
		);
	}
}
export class ClientIdReusedError extends StoreClientError {
	constructor(clientId: string, conversationId: string) {
		super(
			`clientId '${clientId}' was already used for another message in this conversation: that one was sent as first written, this one was not; send it with a new clientId`,
			409,
			SALES_ASSISTANT_ERRORS.ClientIdReused,
			{ clientId, conversationId }
		);
	}
}
export class NotCancellableError extends StoreClientError {
	constructor(escalationId: string, state: string, sellerId?: string | null) {
		super(
			`Escalation '${escalationId}' is ${state}${sellerId ? ` (with ${sellerId})` : ""}: only a queued or offered escalation can be cancelled`,
			409,
			SALES_ASSISTANT_ERRORS.NotCancellable,
			{ escalationId, state, ...(sellerId ? { sellerId } : {}) }
		);
	}
}
class StaleWriterError extends StoreRetryableError {
	constructor(escalationId: string) {
		super(`Escalation ${escalationId} was written by another writer`, 409, "ESCALATION_STALE_WRITER", { escalationId });
	}
}

interface Loaded {
	version: number;
	record: EscalationRecord;
	snapshot: EscalationSnapshot;
}

interface StepResult {
	snapshot: EscalationSnapshot;
	record: EscalationRecord;
	emitted: EscalationEmitted[];
	/** False when the event changed nothing (ignored by the machine, or the record existed). */
	committed: boolean;
}

type Decide = (snapshot: EscalationSnapshot, record: EscalationRecord) => EscalationEvent | null;

const snapshotOf = (record: EscalationRecord): EscalationSnapshot => restoreEscalation(record).getSnapshot();

export class Escalations {
	private readonly lockTtlMs: number;
	private readonly lockWaitMs: number;
	private readonly retentionMs: number;
	private readonly sellersById: Map<string, SellerConfig>;

	constructor(private readonly o: EscalationsOptions) {
		this.lockTtlMs = o.lockTtlMs ?? 15_000;
		this.lockWaitMs = o.lockWaitMs ?? 10_000;
		this.retentionMs = o.retentionMs ?? DEFAULT_CONVERSATION_RETENTION_MS;
		this.sellersById = new Map(o.sellers.map(s => [s.id, s]));
	}

	private get now(): number {
		return this.o.now();
	}

	private get assistDeps(): AssistDeps {
		return {
			broker: this.o.broker,
			store: this.o.store,
			logger: this.o.logger,
			now: this.o.now,
			retentionMs: this.retentionMs,
			paymentLinkUrl: this.o.paymentLinkUrl ?? null,
			...(this.o.openai ? { openai: this.o.openai } : {})
		};
	}

	seller(sellerId: string): SellerConfig {
		const s = this.sellersById.get(sellerId);
		if (!s) throw new NotFoundError(`Seller '${sellerId}'`, { sellerId });
		return s;
	}

	// ---- the escalate channel ------------------------------------------------------------------

	/**
	 * Opens an escalation for a conversation. A redelivered event finds the one it opened; a new
	 * escalate while the conversation already has an open one is logged and ignored (its customer's
	 * messages reach the seller anyway; the SLA raises its priority if nobody takes it).
	 */
	async onEscalate(event: CloudEvent<SalesEscalateV1>): Promise<{ escalationId: string; created: boolean }> {
		const d = event.data;
		const escalationId = escalationIdOf(d.conversationId, event.id);
		if (await this.o.store.get(withdrawnKey(escalationId))) {
			this.o.logger.info(`Escalate for ${d.conversationId} ignored: its conversation closed before it arrived`);
			return { escalationId, created: false };
		}
		const open = await this.claimConversation(d.conversationId, escalationId);
		if (open !== escalationId) {
			this.o.logger.info(`Escalate for ${d.conversationId} ignored: escalation ${open} is still open`);
			return { escalationId: open, created: false };
		}
		const at = this.now;
		// A hand-over the AI chose ("other") says why in its summary: that is its detail for the seller.
		const detail = d.detail ?? (d.reason === "other" ? d.summary : undefined);
		const facts: EscalationFacts = {
			escalationId,
			conversationId: d.conversationId,
			brand: d.brand,
			waId: d.waId,
			customerName: d.customerName ?? null,
			reason: d.reason,
			detail: detail ?? null
		};
		let summary: string;
		try {
			summary = await summaryOf(this.assistDeps, facts);
		} catch (err) {
			this.o.logger.warn(`Summary of ${escalationId} unavailable: ${(err as Error).message}`);
			summary = d.summary ?? [`Escalated: ${d.reason.replace(/_/g, " ")}`, d.detail].filter(Boolean).join(" — ");
		}
		const input: EscalationInput = {
			escalationId,
			conversationId: d.conversationId,
			brand: d.brand,
			waId: d.waId,
			...(d.customerName ? { customerName: d.customerName } : {}),
			...(d.lang ? { lang: d.lang } : {}),
			reason: d.reason,
			...(detail ? { detail } : {}),
			priority: d.priority ?? 0,
			// Our clock, not the publisher's: the SLA and the queue order must agree across nodes.
			createdAt: at,
			slaMs: this.o.timings.slaMs,
			offerTtlMs: this.o.timings.offerTtlMs,
			graceMs: this.o.timings.graceMs
		};
		// Listed before it is written: a crash in between leaves an id readers skip, never a lost escalation.
		await this.updateIndex(d.brand, ids => (ids.includes(escalationId) ? null : [...ids, escalationId]));
		const res = await this.step(escalationId, { create: { input, conversationBrand: d.brand, summary } });
		await this.afterCommit(res);
		// A person joining "as soon as they can" may be hours away when nobody of the brand is online: the customer hears it now.
		// It counts as the waiting notice: their next words do not bring the same text again a minute later.
		if (res.committed && !(await this.anyoneOnlineFor(d.brand)) && (await this.claimWaitingNotice(escalationId))) await this.tellWaiting({ record: res.record, snapshot: res.snapshot, version: 0 }, waitingText(false, res.snapshot.context.lang), "offline");
		return { escalationId, created: res.committed };
	}

	/** The conversation's open escalation id after trying to make it `escalationId`. */
	private async claimConversation(conversationId: string, escalationId: string): Promise<string> {
		const key = conversationPointerKey(conversationId);
		for (let attempt = 0; attempt < 10; attempt++) {
			const cur = await this.o.store.getVersioned<{ escalationId: string }>(key);
			if (cur && cur.value.escalationId === escalationId) return escalationId;
			if (cur) {
				const other = await this.load(cur.value.escalationId);
				// A resolved one whose pointer a crash left behind no longer holds the conversation.
				if (other && stateOf(other.snapshot) !== "resolved") return cur.value.escalationId;
			}
			if ((await this.o.store.compareAndSet(key, cur?.version ?? 0, { escalationId }, this.retentionMs)) !== null) return escalationId;
		}
		throw new StoreRetryableError(`Conversation ${conversationId} is busy`, 503, "ESCALATION_BUSY", { conversationId });
	}

	// ---- withdrawing ----------------------------------------------------------------------------

	/**
	 * An operator withdraws an escalation nobody has taken yet: it resolves back to the AI, whose
	 * seller hands the conversation back, and it leaves the brand's queues.
	 */
	async cancel(escalationId: string, by: string, note?: string): Promise<EscalationView> {
		const res = await this.step(escalationId, {
			decide: snap => {
				const state = stateOf(snap);
				if (state !== "queued" && state !== "offered") throw new NotCancellableError(escalationId, state, snap.context.sellerId);
				return { type: "CANCEL", note: note?.trim() ? `${note.trim()} (by ${by})` : `cancelled by ${by}`, at: this.now };
			}
		});
		await this.afterCommit(res);
		return escalationView(res.snapshot, res.record.summary);
	}

	/**
	 * The conversation closed (operator, idleness) while it waited for a human: nobody needs to take
	 * it any more. Only the escalation its close names is withdrawn, and only while nobody has it; one
	 * whose escalate event has not arrived yet is remembered so that event opens nothing.
	 */
	async onConversationClosed(event: CloudEvent<ChatConversationClosedV1>): Promise<{ cancelled: boolean }> {
		const d = event.data;
		if (!d.escalateEventId) return { cancelled: false };
		// An operator (or idleness) closed it under the seller: it ends for them too, and their
		// console hears it. A seller's own close arrives here already resolved.
		return this.withdraw(d.conversationId, d.escalateEventId, d.reason, `conversation closed (${d.reason})`, d.reason !== "resolved");
	}

	/**
	 * The customer, still waiting, no longer wants a person: the escalation leaves the queue (and any
	 * offer). One a seller took before this arrived stays theirs: they are talking already.
	 */
	async onWithdrawn(event: CloudEvent<ChatEscalationWithdrawnV1>): Promise<{ cancelled: boolean }> {
		const d = event.data;
		return this.withdraw(d.conversationId, d.escalateEventId, "withdrawn", "the customer no longer wants a person", false);
	}

	/** Cancels the escalation `escalateEventId` opened while nobody has it (or, with `endActive`, ends it for its seller too). */
	private async withdraw(conversationId: string, escalateEventId: string, reason: string, note: string, endActive: boolean): Promise<{ cancelled: boolean }> {
		const escalationId = escalationIdOf(conversationId, escalateEventId);
		if (!(await this.load(escalationId))) {
			await this.o.store.setIfAbsent(withdrawnKey(escalationId), { reason, at: this.now }, WITHDRAWN_TTL_MS);
			// The escalate may have opened it between the read and the mark: look once more.
			if (!(await this.load(escalationId))) return { cancelled: false };
		}
		const res = await this.step(escalationId, {
			decide: snap => {
				const state = stateOf(snap);
				if (state === "queued" || state === "offered") return { type: "CANCEL", note, at: this.now };
				if (state === "active" && endActive && snap.context.sellerId) return { type: "RESOLVE", sellerId: snap.context.sellerId, to: "closed", note, at: this.now };
				// Their seller dropped off (the grace is running): nobody is there to answer, so the AI
				// takes them back rather than the request lapsing into the queue after the grace.
				if (state === "active" && reason === "withdrawn" && snap.context.sellerId && snap.context.graceDeadline !== null)
					return { type: "RESOLVE", sellerId: snap.context.sellerId, to: "ai", note, at: this.now };
				return null;
			}
		});
		await this.afterCommit(res);
		return { cancelled: res.committed && stateOf(res.snapshot) === "resolved" };
	}

	// ---- customer messages ---------------------------------------------------------------------

	/** Customer messages of an escalated conversation: to the seller who has it, with fresh suggestions. */
	async onForwarded(event: CloudEvent<ChatMessageForwardedV1>): Promise<void> {
		const d = event.data;
		const open = await this.openOf(d.conversationId);
		if (!open) return;
		const c = open.snapshot.context;
		const state = stateOf(open.snapshot);
		if (state === "queued" || state === "offered") {
			// Nobody has it yet: their words wait for the seller who takes it (the transcript has them);
			// the customer is told they wait, not left writing into silence.
			if (this.now - c.waitingSince >= WAITING_NOTICE_AFTER_MS && (await this.claimWaitingNotice(c.escalationId)))
				await this.tellWaiting(open, waitingText(await this.anyoneOnlineFor(c.brand), c.lang), d.messages.at(-1)?.messageId ?? String(this.now));
			await this.refreshWaitingSummary(open);
			return;
		}
		if (state !== "active" || !c.sellerId) return;
		// Their seller lost the connection (the grace before it goes back to the queue): told, once a while, not left in silence.
		if (c.graceDeadline !== null && (await this.claimWaitingNotice(c.escalationId, awayNoticeKey))) await this.tellWaiting(open, awayText(c.sellerName, c.lang), d.messages.at(-1)?.messageId ?? String(this.now));
		for (const m of d.messages)
			this.o.push({
				to: { sellerIds: [c.sellerId] },
				frame: {
					type: "conversation.message",
					conversationId: d.conversationId,
					seq: m.seq,
					from: "customer",
					text: m.text ?? m.choiceId ?? "",
					at: m.at,
					...(m.media ? { media: m.media } : {}),
					...(m.orderItems?.length ? { orderItems: m.orderItems } : {})
				}
			});
		await this.refreshAssist(open, "customer_message");
	}

	/**
	 * The queue card's summary, written again from the transcript now: what a customer says while
	 * waiting ("it's about a refund, actually") is what the seller choosing whom to take needs, and
	 * the summary of the hand-over no longer says it. The brand's queues get the card as it is now.
	 * A summary that cannot be made now keeps the last one; the customer's message is not failed for it.
	 */
	private async refreshWaitingSummary(open: Loaded): Promise<void> {
		try {
			const res = await this.step(open.snapshot.context.escalationId, {
				decide: () => null,
				summarize: async (snapshot, record) => {
					const state = stateOf(snapshot);
					if (state !== "queued" && state !== "offered") return null;
					return summaryOf(this.assistDeps, this.factsOf({ version: 0, record, snapshot }));
				}
			});
			if (!res.committed) return;
			const view = escalationView(res.snapshot, res.record.summary);
			this.o.push({ to: { brands: [view.brand] }, frame: { type: "escalation.updated", escalation: view } });
		} catch (err) {
			this.o.logger.warn(`Summary of ${open.snapshot.context.escalationId} not refreshed: ${(err as Error).message}`);
		}
	}

	/**
	 * WhatsApp did not take a message a seller typed (the customer's 24-hour window had closed, the
	 * number cannot receive…). The transcript gets a note for the team, which reaches the seller's
	 * console at once and takes the line out of the model's history. Other refusals are not ours.
	 */
	async onRefused(event: CloudEvent<WhatsappMessageRefusedV1>): Promise<void> {
		const d = event.data;
		const key = SELLER_REPLY_KEY.exec(d.idempotencyKey);
		if (!key || !d.conversationId) return;
		const lineId = `seller:${d.idempotencyKey}`;
		const noteId = `undelivered:${d.idempotencyKey}`;
		const seqs = await seqsOf(this.o.store, d.conversationId, [lineId, noteId]);
		const seq = seqs.get(lineId);
		if (seq === undefined) return;
		const text = undeliveredText(d.reason, d.detail, !!d.fallback);
		const at = this.now;
		if (!seqs.has(noteId)) {
			await appendTranscript(this.o.store, d.conversationId, [{ id: noteId, from: "system", text, at, internal: true, undelivered: { id: lineId, seq } }], this.retentionMs);
			seqs.set(noteId, (await seqsOf(this.o.store, d.conversationId, [noteId])).get(noteId)!);
		}
		// The seller who wrote it, and whoever holds the conversation now (it may have been transferred).
		const open = await this.openOf(d.conversationId);
		const holder = open && stateOf(open.snapshot) === "active" ? open.snapshot.context.sellerId : null;
		const sellerIds = [...new Set([key[1]!, ...(holder ? [holder] : [])])];
		this.o.push({
			to: { sellerIds },
			frame: { type: "conversation.message", conversationId: d.conversationId, seq: seqs.get(noteId)!, from: "system", text, at, internal: true, undelivered: seq }
		});
	}

	// ---- seller actions ------------------------------------------------------------------------

	async accept(escalationId: string, sellerId: string, by?: string): Promise<ConversationView> {
		const seller = this.seller(sellerId);
		const slot = await this.acquireKey(sellerLockKey(sellerId), `Seller ${sellerId} is busy`, { sellerId });
		try {
			return await this.acceptHoldingSlot(escalationId, seller, by);
		} finally {
			await slot.release().catch(() => false);
		}
	}

	private async acceptHoldingSlot(escalationId: string, seller: SellerConfig, by?: string): Promise<ConversationView> {
		const sellerId = seller.id;
		const queue = queueOf(await this.openRecords(seller.brands), this.o.now);
		// Offers made to this seller hold their slots until answered; taking another customer instead
		// answers them: they go on to someone else (below), so they do not count against this one.
		const otherOffers = queue.offersTo(sellerId).filter(id => id !== escalationId);
		const load = queue.load(sellerId) - otherOffers.length;
		const res = await this.step(escalationId, {
			decide: snap => {
				const c = snap.context;
				if (!seller.brands.includes(c.brand)) throw new ForbiddenError(`Escalation '${escalationId}' is not of your brands`, { escalationId });
				const state = stateOf(snap);
				if (state === "resolved") throw new EscalationTakenError(escalationId, c.sellerId);
				if (state === "active") {
					if (c.sellerId === sellerId) return null;
					throw new EscalationTakenError(escalationId, c.sellerId);
				}
				if (takeRefusal(entryOf(snap) ?? undefined, { id: seller.id, brands: seller.brands, capacity: seller.capacity, online: true }, load) === "AT_CAPACITY")
					throw new CapacityFullError(sellerId, seller.capacity);
				return { type: "ACCEPT", sellerId, sellerName: seller.name, ...(by ? { by } : {}), at: this.now };
			}
		});
		if (stateOf(res.snapshot) !== "active" || res.snapshot.context.sellerId !== sellerId) throw new EscalationTakenError(escalationId, res.snapshot.context.sellerId);
		// Now at capacity, the offers still open to them are declined, not left waiting out their time.
		if (res.committed && (await this.loadOf(seller)) > seller.capacity) for (const other of otherOffers) await this.decline(other, sellerId);
		const conversation = await this.afterCommit(res);
		if (conversation) return conversation;
		// Accepting what you already hold answers like the first accept did.
		const assist = await this.o.store.get<AssistView>(lastAssistKey(res.snapshot.context.conversationId));
		return this.conversationView({ version: 0, record: res.record, snapshot: res.snapshot }, assist);
	}

	async decline(escalationId: string, sellerId: string): Promise<void> {
		const seller = this.seller(sellerId);
		const res = await this.step(escalationId, {
			decide: snap => {
				if (!seller.brands.includes(snap.context.brand)) throw new ForbiddenError(`Escalation '${escalationId}' is not of your brands`, { escalationId });
				// Declining what is not (or no longer) offered to you changes nothing.
				return stateOf(snap) === "offered" && snap.context.offer?.sellerId === sellerId ? { type: "DECLINE", sellerId, at: this.now } : null;
			}
		});
		await this.afterCommit(res);
	}

	async reply(conversationId: string, sellerId: string, text: string, clientId?: string): Promise<{ seq: number }> {
		const open = await this.assignedTo(conversationId, sellerId);
		const c = open.snapshot.context;
		const key = sellerReplyKey(c.escalationId, sellerId, clientId ?? randomUUID());
		const lineId = `seller:${key}`;
		const at = this.now;
		// A retried clientId appends the same line id again; reads skip the repeat and keep the first.
		const [phoneNumberId] = await Promise.all([
			this.numberOf(conversationId),
			appendTranscript(this.o.store, conversationId, [{ id: lineId, from: "seller", text, at, sellerId }], this.retentionMs)
		]);
		// Checked after the append, not before: of two racing frames with one clientId, the first line
		// in the transcript is the one sent, and the other learns it lost whichever read first.
		const first = (await readTranscript(this.o.store, conversationId)).find(l => l.id === lineId)!;
		// The send's idempotency key is the clientId's: another text under it would be acked and never sent.
		if (first.text !== text) throw new ClientIdReusedError(clientId ?? key, conversationId);
		const seq = first.seq;
		await this.o.publish(
			EventTypes.WhatsappMessageSend,
			{ brand: open.record.conversationBrand, to: c.waId, kind: "text", text, idempotencyKey: key, conversationId, ...(phoneNumberId ? { phoneNumberId } : {}) },
			{ id: `send:${key}`, subject: conversationId, correlationid: conversationId }
		);
		this.o.push({ to: { sellerIds: [sellerId] }, frame: { type: "conversation.message", conversationId, seq, from: "seller", text, at, sellerId } });
		return { seq };
	}

	async resolve(conversationId: string, sellerId: string, to: "ai" | "closed", note?: string): Promise<EscalationView> {
		const open = await this.assignedTo(conversationId, sellerId);
		const res = await this.step(open.snapshot.context.escalationId, {
			decide: snap => {
				if (stateOf(snap) !== "active" || snap.context.sellerId !== sellerId) throw new ForbiddenError(`Conversation '${conversationId}' is not assigned to you`, { conversationId });
				return { type: "RESOLVE", sellerId, to, ...(note ? { note } : {}), at: this.now };
			},
			// Only the seller's own close says goodbye: see `closingNotice` for the closes that do not.
			tellClosed: to === "closed"
		});
		await this.afterCommit(res);
		return escalationView(res.snapshot, res.record.summary);
	}

	async transfer(conversationId: string, sellerId: string, t: { toSellerId?: string; toBrand?: string; note: string }): Promise<EscalationView> {
		const open = await this.assignedTo(conversationId, sellerId);
		const brand = open.snapshot.context.brand;
		if ((t.toSellerId === undefined) === (t.toBrand === undefined)) throw new InvalidError("Transfer to exactly one of toSellerId or toBrand");
		if (!t.note.trim()) throw new InvalidError("A transfer needs a note");
		if (t.toSellerId !== undefined) {
			const target = this.sellersById.get(t.toSellerId);
			if (!target || t.toSellerId === sellerId || !target.brands.includes(brand))
				throw new InvalidError(`Seller '${t.toSellerId}' cannot take a ${brand} conversation`, { toSellerId: t.toSellerId });
			// An offer to someone with no console open waits out its time with the customer told a
			// colleague is coming; the seller keeps them instead and picks someone who is there.
			if (!(await this.onlineSellers()).has(target.id)) throw new SellerOfflineError(target);
			if ((await this.loadOf(target)) >= target.capacity) throw new CapacityFullError(target.id, target.capacity);
		} else if (t.toBrand === brand || !this.o.sellers.some(s => s.brands.includes(t.toBrand!)))
			throw new InvalidError(`Brand '${t.toBrand}' has no sellers to transfer to`, { toBrand: t.toBrand });
		// Told "shortly" by a team with nobody there, the customer would wait on no one: they hear so instead.
		const teamAway = t.toBrand !== undefined && !(await this.anyoneOnlineFor(t.toBrand));
		if (t.toBrand) await this.updateIndex(t.toBrand, ids => (ids.includes(open.snapshot.context.escalationId) ? null : [...ids, open.snapshot.context.escalationId]));
		const res = await this.step(open.snapshot.context.escalationId, {
			decide: snap => {
				if (stateOf(snap) !== "active" || snap.context.sellerId !== sellerId) throw new ForbiddenError(`Conversation '${conversationId}' is not assigned to you`, { conversationId });
				return { type: "TRANSFER", sellerId, ...(t.toSellerId ? { toSellerId: t.toSellerId } : {}), ...(t.toBrand ? { toBrand: t.toBrand } : {}), note: t.note, at: this.now };
			},
			teamAway
		});
		// That notice is the waiting notice of these ten minutes: their next message does not repeat it.
		if (teamAway && res.committed) await this.markWaitingNotice(res.snapshot.context.escalationId);
		if (!res.emitted.some(e => e.type === "escalation.transferred")) throw new InvalidError("The transfer was refused", { conversationId });
		if (t.toBrand) await this.updateIndex(brand, ids => (ids.includes(res.snapshot.context.escalationId) ? ids.filter(i => i !== res.snapshot.context.escalationId) : null));
		await this.afterCommit(res);
		return escalationView(res.snapshot, res.record.summary);
	}

	/**
	 * Runs a suggested action; fresh suggestions follow, the first telling the customer what was
	 * done (the seller sends it, or not).
	 */
	async approve(conversationId: string, sellerId: string, actionId: string): Promise<{ ok: true; result: string; tell: string }> {
		const open = await this.assignedTo(conversationId, sellerId);
		const { result, tell } = await approveAction(this.assistDeps, this.factsOf(open), sellerId, actionId);
		await this.refreshAssist(open, "action_approved", true, tell);
		return { ok: true, result, tell };
	}

	/** An operator hands an escalation to a seller (brand and capacity still apply). */
	async assign(escalationId: string, sellerId: string, by: string, force = false): Promise<EscalationView> {
		// The customer is told the seller joined: with no console open, nobody would write to them.
		const seller = this.o.sellers.find(s => s.id === sellerId);
		if (seller && !force && !(await this.onlineSellers()).has(sellerId))
			throw new SellerOfflineError(seller, "assign it to someone online, or force it if they are signing in now");
		const conversation = await this.accept(escalationId, sellerId, by);
		return conversation.escalation;
	}

	// ---- queries ---------------------------------------------------------------------------------

	async get(escalationId: string): Promise<EscalationView> {
		const l = await this.load(escalationId);
		if (!l) throw new NotFoundError(`Escalation '${escalationId}'`, { escalationId });
		return escalationView(l.snapshot, l.record.summary);
	}

	/** Waiting escalations (queued or offered), by priority then age. */
	async queue(brands?: readonly string[]): Promise<EscalationView[]> {
		const open = await this.openRecords(brands);
		return open
			.filter(l => ["queued", "offered"].includes(stateOf(l.snapshot)))
			.sort((a, b) => compareEntries(entryOf(a.snapshot)!, entryOf(b.snapshot)!))
			.map(l => escalationView(l.snapshot, l.record.summary));
	}

	async sellers(): Promise<SellerView[]> {
		const [online, open, paused] = await Promise.all([this.onlineSellers(), this.openRecords(), this.pausedSellers()]);
		const loads = queueOf(open, this.o.now).loads();
		return this.sellerViews(online, loads, paused);
	}

	private sellerViews(online: ReadonlySet<string>, loads: ReadonlyMap<string, number>, paused: ReadonlySet<string>): SellerView[] {
		return this.o.sellers.map(s => sellerView(s, online.has(s.id), loads.get(s.id) ?? 0, paused.has(s.id)));
	}

	async session(sellerId: string): Promise<SessionResult> {
		const seller = this.seller(sellerId);
		const [online, open, paused] = await Promise.all([this.onlineSellers(), this.openRecords(), this.pausedSellers()]);
		const mine = open.filter(l => stateOf(l.snapshot) === "active" && l.snapshot.context.sellerId === sellerId);
		const loads = queueOf(open, this.o.now).loads();
		const conversations: ConversationView[] = [];
		for (const l of mine) conversations.push(await this.conversationView(l, await this.o.store.get<AssistView>(lastAssistKey(l.snapshot.context.conversationId))));
		const everyone = this.sellerViews(online, loads, paused);
		return {
			seller: everyone.find(s => s.id === sellerId)!,
			queue: await this.queue(seller.brands),
			conversations,
			team: everyone.filter(s => s.id !== sellerId)
		};
	}

	/** The other sellers as they are now: whom a seller can transfer a conversation to. */
	async team(sellerId: string): Promise<SellerView[]> {
		this.seller(sellerId);
		return (await this.sellers()).filter(s => s.id !== sellerId);
	}

	/**
	 * What became of escalations a seller's console still showed as theirs: it was away (a lost
	 * socket, a sleeping laptop) while the grace ran out, a colleague took it, or it ended. Only
	 * escalations of the seller's brands, or that they held, are told about; unknown ids are left out.
	 */
	async lost(sellerId: string, escalationIds: readonly string[]): Promise<LostConversationView[]> {
		const seller = this.seller(sellerId);
		const out: LostConversationView[] = [];
		for (const id of new Set(escalationIds)) {
			let l: Loaded | null;
			try {
				l = await this.load(id);
			} catch (err) {
				this.o.logger.warn(`Escalation ${id} cannot be restored: ${(err as Error).message}`);
				continue;
			}
			if (!l) continue;
			const reason = lostReason(l.snapshot, sellerId);
			if (!reason) continue;
			const c = l.snapshot.context;
			const theirs = [c.brand, l.record.conversationBrand].some(b => seller.brands.includes(b)) || reason !== "other";
			if (theirs) out.push({ conversationId: c.conversationId, reason, escalation: escalationView(l.snapshot, l.record.summary) });
		}
		return out;
	}

	async history(conversationId: string, sellerId: string, afterSeq?: number): Promise<TranscriptMessage[]> {
		await this.assignedTo(conversationId, sellerId);
		const lines = await readTranscript(this.o.store, conversationId, afterSeq !== undefined ? { afterSeq } : {});
		return lines.map(transcriptMessage);
	}

	/**
	 * A seller on a break takes no new customers: nothing is offered to them (what was offered
	 * runs out as any offer does) and the queue waits for others, while the conversations they
	 * hold stay theirs. Kept in the store, so a reload or another console node sees it.
	 */
	async pause(sellerId: string, paused: boolean): Promise<SellerView> {
		this.seller(sellerId);
		if (paused) await this.o.store.set(pausedKey(sellerId), { at: this.now }, PAUSE_TTL_MS);
		else await this.o.store.del(pausedKey(sellerId));
		return (await this.sellers()).find(s => s.id === sellerId)!;
	}

	async pausedSellers(): Promise<Set<string>> {
		const marks = await this.o.store.getMany(this.o.sellers.map(s => pausedKey(s.id)));
		return new Set(this.o.sellers.filter((_, i) => marks[i] !== null).map(s => s.id));
	}

	/** Online and not paused: who may be offered a customer. */
	private async takingCustomers(): Promise<Set<string>> {
		const [online, paused] = await Promise.all([this.onlineSellers(), this.pausedSellers()]);
		return new Set([...online].filter(id => !paused.has(id)));
	}

	// ---- presence --------------------------------------------------------------------------------

	/** A console node's full map of connected sellers; sellers who came or went change their escalations. */
	async presence(nodeId: string, sellers: Record<string, number>): Promise<void> {
		const counts: Record<string, number> = {};
		for (const [id, n] of Object.entries(sellers)) if (n > 0 && this.sellersById.has(id)) counts[id] = n;
		// The store's own expiry only cleans up; liveness is judged on our clock (`at`).
		await this.o.store.set(presenceKey(nodeId), { sellers: counts, at: this.now }, this.o.timings.presenceTtlMs * 4);
		const nodes = await this.readList(presenceNodesKey);
		if (!nodes.includes(nodeId)) await this.updateList(presenceNodesKey, ids => (ids.includes(nodeId) ? null : [...ids, nodeId]));
		await this.reconcilePresence();
	}

	async onlineSellers(): Promise<Set<string>> {
		const nodes = await this.readList(presenceNodesKey);
		const entries = nodes.length ? await this.o.store.getMany<{ sellers: Record<string, number>; at: number }>(nodes.map(presenceKey)) : [];
		const online = new Set<string>();
		const now = this.now;
		for (const e of entries) if (e && now - e.at <= this.o.timings.presenceTtlMs) for (const [id, n] of Object.entries(e.sellers)) if (n > 0) online.add(id);
		return online;
	}

	/** True for the one caller (of any node) whose notice is due: none in the last WAITING_NOTICE_EVERY_MS of our clock. */
	private async claimWaitingNotice(escalationId: string, keyOf: (escalationId: string) => string = waitingNoticeKey): Promise<boolean> {
		const key = keyOf(escalationId);
		const last = await this.o.store.getVersioned<{ at: number }>(key);
		if (last && this.now - last.value.at < WAITING_NOTICE_EVERY_MS) return false;
		return (await this.o.store.compareAndSet(key, last?.version ?? 0, { at: this.now }, this.retentionMs)) !== null;
	}

	/**
	 * The business number the customer last wrote to, as their conversation's record keeps it. A
	 * brand may have several numbers, one shared with other brands: the gateway's default (the
	 * brand's first) may be one the customer never wrote to, where their 24-hour window is closed
	 * and every notice and seller line became a template from a number they do not know. Read at
	 * each send: they may write to another of the brand's numbers while a person has them.
	 */
	private async numberOf(conversationId: string): Promise<string | undefined> {
		return (await this.o.store.getVersioned<StoredConversationRecord>(conversationKey(conversationId)))?.value.phoneNumberId;
	}

	/** Someone of the brand who would be offered the customer: nobody, while all of them are away or paused. */
	private async anyoneOnlineFor(brand: string): Promise<boolean> {
		const taking = await this.takingCustomers();
		return this.o.sellers.some(s => s.brands.includes(brand) && taking.has(s.id));
	}

	/**
	 * Their seller's console went and the grace ran out: back in the queue. With someone of the team
	 * there, an offer follows and "someone else will answer" (what they were told) holds. With nobody,
	 * they hear it now and how to carry on with the assistant, whatever notices came before: the last
	 * they had said someone would answer. It starts the notices' ten minutes afresh, so their next
	 * message does not repeat it.
	 */
	private async tellRequeued(l: Loaded, at: number): Promise<void> {
		const c = l.snapshot.context;
		if (await this.anyoneOnlineFor(c.brand)) return;
		await this.markWaitingNotice(c.escalationId);
		await this.tellWaiting(l, waitingText(false, c.lang), `requeued:${at}`);
	}

	private async markWaitingNotice(escalationId: string): Promise<void> {
		const key = waitingNoticeKey(escalationId);
		for (let attempt = 0; attempt < 3; attempt++) {
			const last = await this.o.store.getVersioned<{ at: number }>(key);
			if ((await this.o.store.compareAndSet(key, last?.version ?? 0, { at: this.now }, this.retentionMs)) !== null) return;
		}
	}

	/** A notice to a customer still waiting for a person (`text`), from the conversation's number, kept in the transcript the seller reads. */
	private async tellWaiting(l: Loaded, text: string, tag: string): Promise<void> {
		const c = l.snapshot.context;
		const key = `${c.escalationId}:waiting:${tag}`;
		const [phoneNumberId] = await Promise.all([
			this.numberOf(c.conversationId),
			appendTranscript(this.o.store, c.conversationId, [{ id: key, from: "system", text, at: this.now }], this.retentionMs)
		]);
		await this.o.publish(
			EventTypes.WhatsappMessageSend,
			{ brand: l.record.conversationBrand, to: c.waId, kind: "text", text, idempotencyKey: key, conversationId: c.conversationId, ...(phoneNumberId ? { phoneNumberId } : {}) },
			{ id: `send:${key}`, subject: c.conversationId, correlationid: c.conversationId }
		);
	}

	/** Level-triggered: the machine ignores a disconnect of an away seller and a reconnect of an online one. */
	private async reconcilePresence(open?: Loaded[]): Promise<number> {
		const online = await this.onlineSellers();
		let sent = 0;
		for (const l of open ?? (await this.openRecords())) {
			const c = l.snapshot.context;
			if (stateOf(l.snapshot) !== "active" || !c.sellerId) continue;
			const away = l.snapshot.matches({ active: "away" });
			const isOnline = online.has(c.sellerId);
			if (away === !isOnline) continue;
			const sellerId = c.sellerId;
			const res = await this.step(c.escalationId, {
				decide: () => (isOnline ? { type: "SELLER_RECONNECTED", sellerId, at: this.now } : { type: "SELLER_DISCONNECTED", sellerId, at: this.now })
			});
			await this.afterCommit(res);
			sent++;
		}
		return sent;
	}

	// ---- the sweeper -------------------------------------------------------------------------

	/**
	 * One node at a time: reconciles presence, fires due deadlines (again while firing one arms
	 * another that is already due), then offers queued escalations to available sellers.
	 */
	async sweep(): Promise<{ fired: string[]; offered: number } | null> {
		const lock = await this.o.store.lock(sweepLockKey, SWEEP_LOCK_TTL_MS);
		if (!lock) return null;
		try {
			const fired: string[] = [];
			await this.reconcilePresence();
			for (let round = 0; round < SWEEP_ROUNDS; round++) {
				const due = queueOf(await this.openRecords(), this.o.now).due(this.now);
				if (!due.length) break;
				for (const d of due) {
					const res = await this.step(d.escalationId, { decide: () => ({ type: d.event.type, at: this.now }) as EscalationEvent });
					if (res.committed) fired.push(d.event.type);
					await this.afterCommit(res);
				}
			}
			const offered = await this.makeOffers();
			await this.pruneNodes();
			return { fired, offered };
		} finally {
			await lock.release().catch(() => false);
		}
	}

	private async makeOffers(): Promise<number> {
		const open = await this.openRecords();
		const taking = await this.takingCustomers();
		const availability: SellerAvailability[] = this.o.sellers.map(s => ({ id: s.id, brands: s.brands, capacity: s.capacity, online: taking.has(s.id) }));
		let offered = 0;
		for (const p of queueOf(open, this.o.now).planOffers(availability)) {
			const res = await this.step(p.escalationId, {
				decide: snap => (stateOf(snap) === "queued" && snap.context.brand === p.brand ? { type: "OFFER", sellerId: p.sellerId, at: this.now } : null)
			});
			if (res.committed) offered++;
			await this.afterCommit(res);
		}
		return offered;
	}

	private async pruneNodes(): Promise<void> {
		const nodes = await this.readList(presenceNodesKey);
		if (!nodes.length) return;
		const entries = await this.o.store.getMany<{ at: number }>(nodes.map(presenceKey));
		const gone = nodes.filter((_, i) => !entries[i] || this.now - entries[i]!.at > this.o.timings.presenceTtlMs * 4);
		if (gone.length) await this.updateList(presenceNodesKey, ids => (ids.some(i => gone.includes(i)) ? ids.filter(i => !gone.includes(i)) : null));
	}

	// ---- reading ------------------------------------------------------------------------------

	async load(escalationId: string): Promise<Loaded | null> {
		const v = await this.o.store.getVersioned<EscalationRecord>(escalationKey(escalationId));
		if (!v) return null;
		return { version: v.version, record: v.value, snapshot: snapshotOf(v.value) };
	}

	/** The conversation's open escalation, or null. */
	async openOf(conversationId: string): Promise<Loaded | null> {
		const ptr = await this.o.store.getVersioned<{ escalationId: string }>(conversationPointerKey(conversationId));
		if (!ptr) return null;
		const l = await this.load(ptr.value.escalationId);
		return l && stateOf(l.snapshot) !== "resolved" ? l : null;
	}

	/** Open escalations of these brands (all brands by default), read from the per-brand indexes. */
	async openRecords(brands?: readonly string[]): Promise<Loaded[]> {
		const wanted = brands ?? [...new Set(this.o.sellers.flatMap(s => s.brands))];
		const out: Loaded[] = [];
		const seen = new Set<string>();
		for (const brand of wanted) {
			const ids = await this.readList(openIndexKey(brand));
			const fresh = ids.filter(id => !seen.has(id));
			if (!fresh.length) continue;
			const records = await Promise.all(fresh.map(async id => (await this.o.store.getVersioned<EscalationRecord>(escalationKey(id)))?.value ?? null));
			const resolved: string[] = [];
			records.forEach((r, i) => {
				const id = fresh[i]!;
				if (!r) return; // listed before it was written: a creation in flight
				let snapshot: EscalationSnapshot;
				try {
					snapshot = snapshotOf(r);
				} catch (err) {
					this.o.logger.error(`Escalation ${id} cannot be restored: ${(err as Error).message}`);
					return;
				}
				if (stateOf(snapshot) === "resolved") return void resolved.push(id);
				// A transfer to another brand is listed in both until the old listing is dropped.
				if (snapshot.context.brand !== brand) return;
				seen.add(id);
				out.push({ version: 0, record: r, snapshot });
			});
			if (resolved.length) await this.updateIndex(brand, list => (list.some(i => resolved.includes(i)) ? list.filter(i => !resolved.includes(i)) : null));
		}
		return out;
	}

	private async loadOf(seller: SellerConfig): Promise<number> {
		return queueOf(await this.openRecords(seller.brands), this.o.now).load(seller.id);
	}

	/** The conversation's open escalation, which must be active and held by this seller. */
	private async assignedTo(conversationId: string, sellerId: string): Promise<Loaded> {
		this.seller(sellerId);
		const open = await this.openOf(conversationId);
		if (!open) throw new NotFoundError(`Open escalation of conversation '${conversationId}'`, { conversationId });
		if (stateOf(open.snapshot) !== "active" || open.snapshot.context.sellerId !== sellerId)
			throw new ForbiddenError(`Conversation '${conversationId}' is not assigned to you`, { conversationId });
		return open;
	}

	/**
	 * What the assistant works from. Its brand is the conversation's, whichever brand's sellers have it
	 * now: a transfer to another brand's team moves who helps, while the conversation, its cart and
	 * its orders stay with the brand whose AI seller holds them (a home seller approving a fashion
	 * order under home was refused, and home products went into a fashion cart).
	 */
	private factsOf(l: Loaded): EscalationFacts {
		const c = l.snapshot.context;
		return { escalationId: c.escalationId, conversationId: c.conversationId, brand: l.record.conversationBrand, waId: c.waId, customerName: c.customerName, reason: c.reason, detail: c.detail };
	}

	private async conversationView(l: Loaded, assist: AssistView | null): Promise<ConversationView> {
		const lines = await readTranscript(this.o.store, l.snapshot.context.conversationId);
		return { conversationId: l.snapshot.context.conversationId, escalation: escalationView(l.snapshot, l.record.summary), messages: lines.map(transcriptMessage), assist };
	}

	/** Fresh suggestions for the seller who has it; the brains failing never fails the lifecycle. */
	private async refreshAssist(l: Loaded, trigger: SuggestionTrigger, pushFrame = true, done?: string): Promise<AssistView | null> {
		const c = l.snapshot.context;
		let assist: AssistView;
		try {
			assist = await assistFor(this.assistDeps, this.factsOf(l), trigger, done);
		} catch (err) {
			this.o.logger.warn(`Assist for ${c.escalationId} unavailable: ${(err as Error).message}`);
			return null;
		}
		await this.o.store.set(lastAssistKey(c.conversationId), assist, this.retentionMs);
		if (pushFrame && c.sellerId) this.pushSuggestions(c.sellerId, assist);
		return assist;
	}

	private pushSuggestions(sellerId: string, assist: AssistView): void {
		this.o.push({
			to: { sellerIds: [sellerId] },
			// The frame is the view as it is: a field the view gains reaches the console without a copy here.
			frame: { type: "suggestions", ...assist }
		});
	}

	// ---- writing ------------------------------------------------------------------------------

	/**
	 * `summarize`, under the lock, may give the record a new summary (null keeps it): a step that
	 * changes only that is committed too.
	 */
	private async step(
		escalationId: string,
		how: {
			create?: { input: EscalationInput; conversationBrand: string; summary: string };
			decide?: Decide;
			summarize?: (snapshot: EscalationSnapshot, record: EscalationRecord) => Promise<string | null>;
			/** A close this step makes is told to the customer (`closingNotice`). */
			tellClosed?: boolean;
			/** A transfer this step makes goes to a team with nobody online, and the customer is told so. */
			teamAway?: boolean;
		}
	): Promise<StepResult> {
		const lock = await this.acquire(escalationId);
		try {
			const key = escalationKey(escalationId);
			let current = await this.o.store.getVersioned<EscalationRecord>(key);
			if (current && current.value.fence > lock.token) throw new StaleWriterError(escalationId);
			// A crash after the last CAS left publications behind: they go out first (idempotent).
			if (current?.value.outbox.length) {
				await this.flush(escalationId, current.version, current.value, lock);
				current = await this.o.store.getVersioned<EscalationRecord>(key);
			}
			if (current && how.create) return { snapshot: snapshotOf(current.value), record: current.value, emitted: [], committed: false };
			if (!current && !how.create) throw new NotFoundError(`Escalation '${escalationId}'`, { escalationId });

			const actor: EscalationActor = current ? restoreEscalation(current.value) : createEscalation(how.create!.input);
			const emitted: EscalationEmitted[] = [];
			const errors: unknown[] = [];
			actor.on("*", e => void emitted.push(e as EscalationEmitted));
			actor.subscribe({ error: err => void errors.push(err) });
			actor.start();
			let snapshot: EscalationSnapshot;
			let persisted: PersistedEscalation;
			try {
				if (how.decide && current) {
					const event = how.decide(actor.getSnapshot(), current.value);
					if (event) actor.send(event);
				}
				if (errors.length) throw errors[0];
				snapshot = actor.getSnapshot();
				persisted = persistEscalation(actor);
			} finally {
				actor.stop();
			}
			const base = current?.value ?? { conversationBrand: how.create!.conversationBrand, summary: how.create!.summary };
			const summary = (current && how.summarize ? await how.summarize(snapshot, current.value) : null) ?? base.summary;
			if (current && !emitted.length && summary === current.value.summary && JSON.stringify(persisted.snapshot) === JSON.stringify(current.value.snapshot))
				return { snapshot, record: current.value, emitted, committed: false };

			// Fixed in the outbox with the step: a re-sent outbox repeats the same command.
			const closes = how.tellClosed === true && emitted.some(e => e.type === "escalation.resolved" && e.to === "closed");
			const tells = closes || emitted.some(e => e.type === "escalation.assigned" || e.type === "escalation.transferred");
			const conversation = tells ? await readConversationRecord(this.o.store, snapshot.context.conversationId) : null;
			const phoneNumberId = conversation?.value.phoneNumberId;
			const closing = closes ? closingNotice(snapshot, base.conversationBrand, conversation?.value.snapshot.context.lastInboundAt, this.now, this.o.sellerNames?.[base.conversationBrand]) : null;
			const record: EscalationRecord = {
				...persisted,
				fence: lock.token,
				conversationBrand: base.conversationBrand,
				summary,
				outbox: publications(snapshot, base.conversationBrand, phoneNumberId, emitted, { closing, teamAway: how.teamAway === true })
			};
			if (!(await lock.extend(this.lockTtlMs))) throw new StaleWriterError(escalationId);
			const version = await this.o.store.compareAndSet(key, current?.version ?? 0, record, this.retentionMs);
			if (version === null) throw new StaleWriterError(escalationId);
			if (stateOf(snapshot) === "resolved") await this.release(snapshot);
			await this.flush(escalationId, version, record, lock);
			return { snapshot, record, emitted, committed: true };
		} finally {
			await lock.release().catch(() => false);
		}
	}

	/** A resolved escalation leaves its brand's listing and frees its conversation. */
	private async release(snapshot: EscalationSnapshot): Promise<void> {
		const { escalationId, conversationId, brand } = snapshot.context;
		await this.updateIndex(brand, ids => (ids.includes(escalationId) ? ids.filter(i => i !== escalationId) : null));
		const ptr = await this.o.store.getVersioned<{ escalationId: string }>(conversationPointerKey(conversationId));
		if (ptr && ptr.value.escalationId === escalationId) await this.o.store.del(conversationPointerKey(conversationId));
	}

	/** What follows a committed step and may be lost: console pushes, transcript notes, suggestions, insights. */
	private async afterCommit(res: StepResult): Promise<ConversationView | null> {
		if (!res.committed) return null;
		const { snapshot, record, emitted } = res;
		const view = escalationView(snapshot, record.summary);
		for (const p of pushesFor(emitted, view)) this.o.push(p);
		let conversation: ConversationView | null = null;
		for (const e of emitted) {
			if (e.type === "escalation.assigned") {
				if (!greetedBefore(snapshot.context, e.sellerId))
					await appendTranscript(this.o.store, e.conversationId, [
						{ id: `${e.escalationId}:joined:${e.sellerId}:${e.at}`, from: "system", text: joinedText(e.sellerName, snapshot.context.lang), at: e.at, sellerId: e.sellerId }
					], this.retentionMs);
				const loaded: Loaded = { version: 0, record, snapshot };
				const assist = await this.refreshAssist(loaded, "accepted", false);
				conversation = await this.conversationView(loaded, assist);
				this.o.push({ to: { sellerIds: [e.sellerId] }, frame: { type: "escalation.assigned", conversation } });
				if (assist) this.pushSuggestions(e.sellerId, assist);
			}
			if (e.type === "escalation.resolved") {
				await this.o.store.del(lastAssistKey(e.conversationId));
				const told = record.outbox.find(p => p.id === `send:${closedNoticeKey(e.escalationId)}`)?.data as { text?: string } | undefined;
				if (told?.text)
					await appendTranscript(this.o.store, e.conversationId, [{ id: closedNoticeKey(e.escalationId), from: "system", text: told.text, at: e.at, ...(e.sellerId ? { sellerId: e.sellerId } : {}) }], this.retentionMs);
			}
			if (e.type === "escalation.queued" && e.cause === "seller_offline") await this.tellRequeued({ version: 0, record, snapshot }, e.at);
			if (e.type === "escalation.transferred") {
				// As it went out: the step chose its words.
				const told = record.outbox.find(p => p.id === `send:${e.escalationId}:passed-on:${e.transfer.at}`)?.data as { text?: string } | undefined;
				await appendTranscript(this.o.store, e.conversationId, [{ id: `${e.escalationId}:passed-on:${e.transfer.at}`, from: "system", text: told?.text ?? passedOnText(snapshot.context.lang), at: e.transfer.at }], this.retentionMs);
			}
			try {
				for (const insight of await insightsOn(this.assistDeps, e))
					await this.o.publish(EventTypes.SalesInsight, insight, { subject: e.conversationId, correlationid: e.conversationId });
			} catch (err) {
				this.o.logger.warn(`Insights on ${e.type} of ${e.escalationId} unavailable: ${(err as Error).message}`);
			}
		}
		return conversation;
	}

	private acquire(escalationId: string): Promise<LockHandle> {
		return this.acquireKey(escalationLockKey(escalationId), `Escalation ${escalationId} is busy`, { escalationId }, { fenceWith: escalationKey(escalationId) });
	}

	private async acquireKey(key: string, busy: string, data: Record<string, string>, opts?: LockOptions): Promise<LockHandle> {
		const deadline = Date.now() + this.lockWaitMs;
		for (;;) {
			const lock = await this.o.store.lock(key, this.lockTtlMs, opts);
			if (lock) return lock;
			if (Date.now() > deadline) throw new StoreRetryableError(busy, 503, "ESCALATION_BUSY", data);
			await new Promise(r => setTimeout(r, LOCK_POLL_MS));
		}
	}

	private async flush(escalationId: string, version: number, record: EscalationRecord, lock: LockHandle): Promise<void> {
		for (const p of record.outbox) await this.o.publish(p.type, p.data as never, { id: p.id, subject: p.subject, correlationid: p.subject });
		if (record.outbox.length && (await lock.extend(this.lockTtlMs)))
			await this.o.store.compareAndSet(escalationKey(escalationId), version, { ...record, outbox: [] }, this.retentionMs);
	}

	private async readList(key: string): Promise<string[]> {
		return (await this.o.store.getVersioned<string[]>(key))?.value ?? [];
	}

	private updateIndex(brand: string, change: (ids: string[]) => string[] | null): Promise<void> {
		return this.updateList(openIndexKey(brand), change);
	}

	/** Read-modify-CAS of a small list; `change` returns null when there is nothing to do. */
	private async updateList(key: string, change: (ids: string[]) => string[] | null): Promise<void> {
		for (let attempt = 0; attempt < 50; attempt++) {
			const cur = await this.o.store.getVersioned<string[]>(key);
			const next = change(cur?.value ?? []);
			if (next === null) return;
			if ((await this.o.store.compareAndSet(key, cur?.version ?? 0, next)) !== null) return;
		}
		throw new StoreRetryableError(`List ${key} is contended`, 503, "ESCALATION_INDEX_BUSY", { key });
	}
}

function queueOf(open: readonly Loaded[], now: () => number): EscalationQueue {
	const q = new EscalationQueue(now);
	for (const l of open) q.apply(l.snapshot);
	return q;
}

/**
 * Whether the customer is with this seller already: one whose transfer came back to them (nobody
 * took it in time) takes it again without introducing themselves a second time.
 */
function greetedBefore(c: EscalationSnapshot["context"], sellerId: string): boolean {
	return c.transfers.at(-1)?.fromSellerId === sellerId;
}

/** The one closing notice of an escalation: its send's idempotency key and its transcript line's id. */
const closedNoticeKey = (escalationId: string) => `${escalationId}:closed`;

/**
 * What the customer is told when their seller closes the conversation, or null when nothing is.
 *
 * Only a seller's own close says goodbye (the caller asks for it): the customer was talking with
 * them, and without a word a closed chat looks like a seller who stopped answering, with no hint
 * that writing again reaches the AI seller. An operator's close (spam, a test, a mistake) and an idle
 * close (the customer went quiet long ago) are the store's housekeeping, which the AI side does not
 * announce either; a customer's own withdrawal and any hand-back to the AI are answered by the AI
 * seller's hand-back notice. Outside WhatsApp's 24-hour window a text is refused and the gateway
 * sends its "please reply" template instead, which a goodbye does not warrant; a conversation
 * whose record we cannot read is told (the gateway still enforces the window).
 */
function closingNotice(snapshot: EscalationSnapshot, conversationBrand: string, lastInboundAt: number | null | undefined, now: number, sellerName?: string): string | null {
	const c = snapshot.context;
	if (lastInboundAt === null || (lastInboundAt !== undefined && now - lastInboundAt >= SERVICE_WINDOW_MS)) return null;
	let assistant: string | null;
	try {
		assistant = personaFor(conversationBrand, { seller: sellerName }).name;
	} catch {
		assistant = null;
	}
	return closedText(c.sellerName, assistant, c.lang);
}

/**
 * The durable events of a committed step, with ids that repeat if the step's outbox is re-sent.
 * What the customer is told goes as the conversation's brand, from the number of their
 * conversation (`phoneNumberId`), whichever brand's team has them now.
 */
function publications(
	snapshot: EscalationSnapshot,
	conversationBrand: string,
	phoneNumberId: string | undefined,
	emitted: readonly EscalationEmitted[],
	say: { closing?: string | null; teamAway?: boolean } = {}
): Publication[] {
	const c = snapshot.context;
	const out: Publication[] = [];
	const origin = conversationBrand !== c.brand ? { conversationBrand } : {};
	const from = phoneNumberId ? { phoneNumberId } : {};
	for (const e of emitted) {
		switch (e.type) {
			case "escalation.assigned": {
				out.push({
					type: EventTypes.SalesEscalationAssigned,
					id: `assigned:${e.escalationId}:${e.sellerId}:${e.at}`,
					subject: e.conversationId,
					data: { escalationId: e.escalationId, conversationId: e.conversationId, brand: e.brand, sellerId: e.sellerId, ...(e.sellerName ? { sellerName: e.sellerName } : {}), ...origin }
				});
				const idempotencyKey = `${e.escalationId}:joined:${e.sellerId}:${e.at}`;
				if (!greetedBefore(c, e.sellerId))
					out.push({
						type: EventTypes.WhatsappMessageSend,
						id: `send:${idempotencyKey}`,
						subject: e.conversationId,
						data: { brand: conversationBrand, to: c.waId, kind: "text", text: joinedText(e.sellerName, c.lang), idempotencyKey, conversationId: e.conversationId, ...from }
					});
				break;
			}
			case "escalation.transferred": {
				// Told they are passed on; the colleague introduces themselves when they take it.
				const idempotencyKey = `${e.escalationId}:passed-on:${e.transfer.at}`;
				out.push({
					type: EventTypes.WhatsappMessageSend,
					id: `send:${idempotencyKey}`,
					subject: e.conversationId,
					data: { brand: conversationBrand, to: c.waId, kind: "text", text: passedOnText(c.lang, !say.teamAway), idempotencyKey, conversationId: e.conversationId, ...from }
				});
				break;
			}
			case "escalation.resolved": {
				// Published before the resolution: numbered on the customer's lane ahead of anything the AI seller says next.
				if (say.closing) {
					const idempotencyKey = closedNoticeKey(e.escalationId);
					out.push({
						type: EventTypes.WhatsappMessageSend,
						id: `send:${idempotencyKey}`,
						subject: e.conversationId,
						data: { brand: conversationBrand, to: c.waId, kind: "text", text: say.closing, idempotencyKey, conversationId: e.conversationId, ...from }
					});
				}
				out.push({
					type: EventTypes.SalesEscalationResolved,
					id: `resolved:${e.escalationId}`,
					subject: e.conversationId,
					data: { escalationId: e.escalationId, conversationId: e.conversationId, brand: e.brand, ...(e.sellerId ? { sellerId: e.sellerId } : {}), to: e.to, ...(e.note ? { note: e.note } : {}), ...origin }
				});
				break;
			}
			case "escalation.slaBreached":
				out.push({
					type: EventTypes.SalesSlaBreached,
					id: `sla:${e.escalationId}:${c.slaBreaches}`,
					subject: e.conversationId,
					data: { escalationId: e.escalationId, conversationId: e.conversationId, brand: e.brand, waitedMs: e.waitedMs, priority: e.priority }
				});
				break;
			default:
				break;
		}
	}
	return out;
}
