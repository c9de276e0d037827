/**
 * The WhatsApp gateway's logic, hosted by the `whatsapp` service: webhook pieces accepted exactly
 * once, outbound messages checked, paced and sent (or put in the sandbox outbox), statuses
 * correlated, the 24-hour window enforced with a template fallback.
 *
 * Exactly-once acceptance (ENGINEERING-NOTES, "Dedupe before durable accept loses messages"): a
 * message id is claimed as `pending`, published, and only then marked `done` for 7 days. A failed
 * publish clears the claim and the webhook answers non-200, so Meta's retry is not mistaken for a
 * duplicate. Events get ids derived from the wamid, so a publish repeated after a crash between
 * publishing and marking is skipped by every consumer group. Where the channels are Redis Streams
 * on the store's server, publishing and marking are one atomic step instead (`appendOnce`): no
 * claim to wait for, expire or clear.
 *
 * At most once out, as far as Meta allows: each part of an outbound command is marked `sending`
 * (compare-and-set, so one attempt at a time) before the call and `sent` after it; a redelivery
 * that finds a `sending` mark it cannot explain does not send blind (see `decideUnknownOutcome`).
 */
import { hash, randomUUID } from "node:crypto";
import { Errors, type LoggerInstance } from "moleculer";
import type { BatchOp, RateGateSpec, SetIfAbsentResult, Store, Versioned } from "../../adapters/store/store";
import type { StreamPublisher } from "../../mixins/events.mixin";
import type { Config, WhatsappTemplateRef } from "../../config";
import {
	EventTypes,
	type CloudEvent,
	type CreateEventOptions,
	type EventPayloads,
	type EventType,
	type RefusalReason,
	type WhatsappMessageReceivedV1,
	type WhatsappMessageSendV1,
	sendLaneKey
} from "../../contracts/events";
import { SEND_LANE_TTL_MS } from "../../adapters/send-order";
import { GraphClient, GraphError, GRAPH_TIMEOUT_MS } from "./graph-client";
import { buildMessages, FREE_FORM_KINDS, OutboundInvalid, type GraphMessage } from "./limits";
import { BatchCoalescer } from "./coalesce";
import { Outbox, type OutboxEntry } from "./outbox";
import { Pacer } from "./pacer";
import { conversationIdOf, parseWebhook, toChatMessage, type ParsedStatus } from "./parse";
import { readWindow, recordInboundOp, windowAt, windowKey, type WindowState } from "./window";
import { WhatsappClientError, WhatsappErrorTypes, WhatsappRetryableError } from "./errors";

/** Meta retries for up to 7 days (SPEC §6). */
export const SEEN_TTL_MS = 7 * 24 * 3600 * 1000;
/** A claim outlives any sane accept; a crashed holder's claim expires and Meta's retry gets through. */
const PENDING_TTL_MS = 30_000;
/** How long a delivery waits for a concurrent delivery of the same message before asking for a retry. */
const CONCURRENT_WAIT_MS = 1000;
/** Outbound message ids stay correlatable as long as Meta may report on them. */
const CORRELATION_TTL_MS = 30 * 24 * 3600 * 1000;
/**
 * Keeps two deliveries of one command from working at once. Short, so a crashed holder's claim is
 * gone by the time its command is redelivered; an attempt outliving it is fenced by the part marks.
 */
const SEND_CLAIM_TTL_MS = 30_000;
/**
 * How long the part marks of a recorded send are kept: far beyond the claim, so that an attempt
 * racing the recording finds them; not the 7 days of the result, which answers every later one.
 */
const PART_MARK_LINGER_MS = 10 * 60_000;
/** The longest one Graph call can take (the client's timeout), plus room for clock skew between nodes. */
const OUTCOME_WAIT_MS = GRAPH_TIMEOUT_MS + 5000;
/** Kinds Meta treats as idempotent: sending one twice changes nothing the customer sees. */
const RESENDABLE_KINDS = new Set<WhatsappMessageSendV1["kind"]>(["read", "typing"]);
/** Throttled sends are retried this many times in the customer's lane before the channel takes over. */
const SEND_ATTEMPTS = 3;
/** How often a numbered send looks whether its predecessor is done. */
const ORDER_POLL_MS = 20;
const STATUS_RANK: Record<string, number> = { sent: 1, delivered: 2, read: 3, played: 4, failed: 5 };

export type Publish = <T extends EventType>(type: T, data: EventPayloads[T], opts?: Omit<CreateEventOptions, "source">) => Promise<CloudEvent<EventPayloads[T]>>;

/** An event to publish: its type, data and options, as `Publish` takes them. */
type Outgoing = { [T in EventType]: [T, EventPayloads[T], Omit<CreateEventOptions, "source">] }[EventType];

export interface GatewayDeps {
	config: Config;
	store: Store;
	publish: Publish;
	/**
	 * Where the durable channels are streams on the store's server: a message's events are appended
	 * in the same store step that marks it accepted (`appendOnce`).
	 */
	streams?: StreamPublisher | null;
	logger: LoggerInstance;
	nodeID: string;
	now?: () => number;
	sleep?: (ms: number) => Promise<void>;
}

export interface WebhookResult {
	received: number;
	duplicates: number;
	statuses: number;
	dropped: number;
}

export interface SendResult {
	status: "sent" | "refused";
	messageIds: string[];
	phoneNumberId: string;
	sandbox: boolean;
	duplicate?: boolean;
	reason?: RefusalReason;
	fallback?: SendResult;
}

interface Correlation {
	conversationId?: string;
	brand: string;
	to: string;
	kind: WhatsappMessageSendV1["kind"];
	idempotencyKey: string;
	phoneNumberId: string;
}

/** Where one part of an outbound command stands; `sending` is written before each call to Meta. */
interface PartMark {
	/** `failed` and `unknown` (dead-lettered; a replay sends) let the next attempt send. */
	state: "sending" | "sent" | "failed" | "unknown";
	attempt: number;
	node?: string;
	at?: number;
	id?: string | null;
}

/** A send whose earlier attempt may or may not have reached Meta; dead-lettered, not resent. */
class UnknownOutcome extends Error {}

interface Tally {
	accepted: number;
	duplicates: number;
}

/** The values of an inbound idempotency key: claimed by a delivery in progress, or accepted. */
const PENDING = "pending";
const DONE = "done";
const inboundKey = (messageId: string) => `wa:in:${messageId}`;
const statusKey = (s: ParsedStatus) => `wa:st:${s.messageId}:${s.status}`;
const rankKey = (messageId: string) => `wa:st-rank:${messageId}`;

function uniqueBy<T>(items: T[], key: (item: T) => string): T[] {
	const seen = new Set<string>();
	return items.filter(item => !seen.has(key(item)) && (seen.add(key(item)), true));
}

// The one-shot `hash` skips the Hash object `createHash` builds: two of these run per inbound message.
const eventId = (...parts: string[]) => hash("sha256", parts.join("\u0000"), "hex").slice(0, 32);

export class WhatsappGateway {
	readonly sandbox: boolean;
	readonly outbox: Outbox | null;
	private readonly graph: GraphClient | null;
	private readonly pacer: Pacer;
	/** The acknowledgement path's store writes, merged across concurrent deliveries. */
	private readonly batches: BatchCoalescer;
	private readonly brandsByNumber = new Map<string, string[]>();
	private readonly cfg: Config;
	/** Send attempts started by this gateway, numbering them in marks and logs. */
	private attempts = 0;
	/** Deliveries being accepted, so `close` can wait for them. */
	private readonly accepting = new Set<Promise<WebhookResult>>();
	private closing = false;
	private readonly now: () => number;
	private readonly sleep: (ms: number) => Promise<void>;

	constructor(private readonly deps: GatewayDeps) {
		this.cfg = deps.config;
		this.now = deps.now ?? Date.now;
		this.sleep = deps.sleep ?? (ms => new Promise(r => setTimeout(r, ms)));
		for (const b of this.cfg.brands)
			for (const pnid of b.phoneNumberIds) this.brandsByNumber.set(pnid, [...(this.brandsByNumber.get(pnid) ?? []), b.id]);
		const wa = this.cfg.whatsapp;
		this.batches = new BatchCoalescer(deps.store);
		this.sandbox = wa.accessToken === null;
		this.outbox = this.sandbox ? new Outbox(deps.store) : null;
		this.graph = wa.accessToken ? new GraphClient({ baseUrl: wa.apiUrl, token: wa.accessToken, timeoutMs: GRAPH_TIMEOUT_MS }) : null;
		// With Redis every node books on the same gates; alone, in-memory gates cost no round trip.
		const takeSlot = deps.store.kind === "redis" ? (gates: RateGateSpec[]) => deps.store.takeSlot(gates) : undefined;
		this.pacer = new Pacer({ ratePerSecond: wa.ratePerSecond, pairIntervalMs: wa.pairIntervalMs, pairBurst: wa.pairBurst, now: this.now, sleep: this.sleep, takeSlot });
	}

	/**
	 * At stop: lets the deliveries being accepted finish (the api may hand them over in-process,
	 * where the broker's request tracking does not see them), writes the store steps still queued to
	 * ride along with a later batch, closes the Graph pool.
	 */
	async close(): Promise<void> {
		this.closing = true;
		await Promise.allSettled(this.accepting);
		await this.batches.drain();
		await this.graph?.close();
	}

	brandsFor = (phoneNumberId: string): string[] => this.brandsByNumber.get(phoneNumberId) ?? [];

	// ---- inbound ------------------------------------------------------------------------------

	/** Accepts a verified webhook body; resolves only when every piece is durably accepted. */
	acceptWebhook(payload: unknown): Promise<WebhookResult> {
		// Meta retries a 503, so a delivery that arrives while this node stops is only delayed.
		if (this.closing) return Promise.reject(new WhatsappRetryableError("The gateway is stopping; retry later", WhatsappErrorTypes.Stopping));
		const accepting = this.accept(payload);
		this.accepting.add(accepting);
		const forget = () => void this.accepting.delete(accepting);
		accepting.then(forget, forget);
		return accepting;
	}

	private async accept(payload: unknown): Promise<WebhookResult> {
		const parsed = parseWebhook(payload, this.brandsFor);
		if (!parsed.ok) throw new WhatsappClientError(`Not a WhatsApp webhook: ${parsed.reason}`, 400, WhatsappErrorTypes.NotWhatsapp);
		const { messages, statuses, notes, drops } = parsed.value;
		const log = this.deps.logger;
		for (const d of drops) log.warn(`Dropped a malformed webhook piece at ${d.at}: ${d.reason}`);
		for (const n of notes) {
			if (n.kind === "value_error") log.warn(`WhatsApp reported error ${n.code} at ${n.at}: ${n.detail}`);
			else log.info(`Webhook ${n.kind.replace("_", " ")} at ${n.at} acknowledged: ${n.detail}`);
		}
		// What the log says was dropped, the answer counts: malformed pieces and an unknown number's.
		const result: WebhookResult = { received: 0, duplicates: 0, statuses: 0, dropped: drops.length + notes.reduce((n, x) => n + (x.dropped ?? 0), 0) };
		// Messages and statuses are independent: their store and channel writes overlap.
		const [m, s] = await Promise.all([
			messages.length ? this.acceptMessages(messages) : { accepted: 0, duplicates: 0 },
			statuses.length ? this.acceptStatuses(statuses) : { accepted: 0, duplicates: 0 }
		]);
		result.received = m.accepted;
		result.statuses = s.accepted;
		result.duplicates = m.duplicates + s.duplicates;
		// One line per delivery is debug, like the api's request log: at Meta's rates info would be flooded.
		log.debug(`Webhook accepted: ${result.received} message(s), ${result.statuses} status(es), ${result.duplicates} duplicate(s), ${result.dropped} dropped`);
		return result;
	}

	/**
	 * The acknowledgement path. Where the channels are streams on the store's server, one store
	 * batch appends each new message's events, marks it done and records the customers' windows:
	 * one round trip, and a message is either published and marked or neither. Elsewhere, three
	 * round trips whatever the number of messages: one batch claims every message id and records
	 * the windows, the claimed messages are published (all at once, in order), one batch marks them
	 * done. Under load the batches of concurrent deliveries share their round trips (`BatchCoalescer`).
	 */
	private async acceptMessages(all: WhatsappMessageReceivedV1[]): Promise<Tally> {
		// A body that repeats a message id counts the repeat as a duplicate.
		const messages = uniqueBy(all, m => m.messageId);
		const tally: Tally = { accepted: 0, duplicates: all.length - messages.length };
		const streams = this.deps.streams;
		const entries = streams ? messages.map(m => this.eventsOf(m).map(([type, data, opts]) => streams.entry(type, data as never, opts))) : [];
		const ops: BatchOp[] = messages.map((m, i) =>
			streams
				? { op: "appendOnce", key: inboundKey(m.messageId), value: DONE, ttlMs: SEEN_TTL_MS, entries: entries[i]! }
				: { op: "setIfAbsent", key: inboundKey(m.messageId), value: PENDING, ttlMs: PENDING_TTL_MS }
		);
		// The window opens whether this delivery or a duplicate wins: the customer wrote either way.
		for (const m of messages) ops.push(recordInboundOp(m.phoneNumberId, m.from, m.timestamp));
		const claims = (await this.batches.run(ops)).slice(0, messages.length) as SetIfAbsentResult[];
		const mine: WhatsappMessageReceivedV1[] = [];
		const contested: WhatsappMessageReceivedV1[] = [];
		claims.forEach((c, i) => {
			if (!c.written) (c.value === DONE ? tally.duplicates++ : contested.push(messages[i]));
			else if (!streams) mine.push(messages[i]);
			else {
				// Appended and marked by the batch itself: accepted.
				streams.sent(entries[i]!);
				this.deps.logger.debug(`Accepted inbound ${messages[i].kind} message`);
				tally.accepted++;
			}
		});
		if (mine.length) tally.accepted += await this.publishClaimed(mine);
		// Rare: another delivery of the same message is being accepted right now (Meta retried, or two nodes).
		for (const m of contested) {
			if (await this.once(inboundKey(m.messageId), () => this.publishMessage(m))) tally.accepted++;
			else tally.duplicates++;
		}
		return tally;
	}

	/** Publishes messages claimed as pending, then marks them done; returns how many were published. */
	private async publishClaimed(mine: WhatsappMessageReceivedV1[]): Promise<number> {
		const published = await Promise.allSettled(mine.map(m => this.publishMessage(m)));
		const ok = mine.filter((_, i) => published[i].status === "fulfilled");
		const failed = mine.filter((_, i) => published[i].status === "rejected");
		// Published events are marked even when a sibling failed: Meta's retry of the body then
		// finds them done. Failed ones are released so that retry is not taken for a duplicate.
		const marks = ok.map(m => ({ op: "set", key: inboundKey(m.messageId), value: DONE, ttlMs: SEEN_TTL_MS }) as BatchOp);
		const rejected = published.find((p): p is PromiseRejectedResult => p.status === "rejected");
		if (rejected) {
			await this.batches.run([...marks, ...failed.map(m => ({ op: "del", key: inboundKey(m.messageId) }) as BatchOp)]);
			throw rejected.reason;
		}
		// Once published the messages are durably accepted, so Meta gets its 200 without waiting
		// for the mark, which rides with the next claims. A mark lost to a crash leaves the claim
		// to expire; Meta's retry then publishes again under the same wamid-derived event ids,
		// which every consumer skips. Until the mark is written a repeat delivery waits for it.
		this.batches.later(marks).catch(err => this.deps.logger.warn(`Inbound messages published but not marked done: ${(err as Error)?.message ?? err}`));
		return ok.length;
	}

	/** The fact and the chat turn of one message, with ids derived from its wamid. */
	private eventsOf(m: WhatsappMessageReceivedV1): Outgoing[] {
		const conversationId = conversationIdOf(m.brand ?? m.brands[0], m.from);
		const received = { id: eventId("received", m.messageId), correlationid: conversationId };
		// parseWebhook validated `m` against this very schema, to drop a malformed message alone.
		const events: Outgoing[] = [[EventTypes.WhatsappMessageReceived, m, { ...received, subject: conversationId, dataChecked: true }]];
		const chat = toChatMessage(m);
		if (chat) events.push([EventTypes.ChatMessageNew, chat, { id: eventId("chat", m.messageId), causedBy: received, subject: chat.conversationId }]);
		return events;
	}

	private async publishMessage(m: WhatsappMessageReceivedV1): Promise<void> {
		await Promise.all(this.eventsOf(m).map(([type, data, opts]) => this.deps.publish(type, data as never, opts)));
		this.deps.logger.debug(`Accepted inbound ${m.kind} message`);
	}

	/** Statuses: claim, correlation and rank read in one round trip, then publish, then one batch of marks. */
	private async acceptStatuses(all: ParsedStatus[]): Promise<Tally> {
		const statuses = uniqueBy(all, s => statusKey(s));
		const tally: Tally = { accepted: 0, duplicates: all.length - statuses.length };
		// One message's receipts in body order (each raises the rank the next one reads); messages in parallel.
		const byMessage = new Map<string, ParsedStatus[]>();
		for (const s of statuses) byMessage.set(s.messageId, [...(byMessage.get(s.messageId) ?? []), s]);
		await Promise.all(
			[...byMessage.values()].map(async receipts => {
				for (const s of receipts) {
					if (await this.acceptStatus(s)) tally.accepted++;
					else tally.duplicates++;
				}
			})
		);
		return tally;
	}

	private async acceptStatus(s: ParsedStatus): Promise<boolean> {
		const store = this.deps.store;
		const key = statusKey(s);
		const [claim, corr, seen] = (await this.batches.run([
			{ op: "setIfAbsent", key, value: PENDING, ttlMs: PENDING_TTL_MS },
			{ op: "get", key: `wa:wamid:${s.messageId}` },
			{ op: "get", key: rankKey(s.messageId) }
		])) as [SetIfAbsentResult, Correlation | null, number | null];
		if (!claim.written) {
			if (claim.value === DONE) return false;
			return this.once(key, async () => {
				const marks = await this.publishStatus(s, corr, seen);
				if (marks.length) await store.batch(marks);
			});
		}
		let marks: BatchOp[];
		try {
			marks = await this.publishStatus(s, corr, seen);
		} catch (err) {
			await store.del(key).catch(() => undefined);
			throw err;
		}
		await this.batches.run([...marks, { op: "set", key, value: DONE, ttlMs: SEEN_TTL_MS }]);
		return true;
	}

	/** Publishes a status unless a later one was seen; returns the store writes that record it. */
	private async publishStatus(s: ParsedStatus, corr: Correlation | null, seen: number | null): Promise<BatchOp[]> {
		// Receipts arrive out of order; a state never moves backwards (SPEC §3.4).
		if ((seen ?? 0) >= STATUS_RANK[s.status]) {
			this.deps.logger.debug(`Status '${s.status}' arrived after a later one; not republished`);
			return [];
		}
		const data = { ...s };
		if (corr) {
			data.brand = corr.brand;
			if (corr.conversationId) data.conversationId = corr.conversationId;
		}
		await this.deps.publish(EventTypes.WhatsappMessageStatus, data, {
			id: eventId("status", s.messageId, s.status),
			...(corr?.conversationId ? { correlationid: corr.conversationId, subject: corr.conversationId } : {})
		});
		return [{ op: "set", key: rankKey(s.messageId), value: STATUS_RANK[s.status], ttlMs: SEEN_TTL_MS }];
	}

	/**
	 * The slow path of a contested key: waits for the other delivery to finish, then runs `accept`
	 * once if that delivery gave up. Claims as pending, marks done after `accept` succeeds, clears
	 * the claim when it fails. Returns false for a key already done.
	 */
	private async once(key: string, accept: () => Promise<void>): Promise<boolean> {
		const store = this.deps.store;
		const deadline = this.now() + CONCURRENT_WAIT_MS;
		for (;;) {
			const [claim] = (await store.batch([{ op: "setIfAbsent", key, value: PENDING, ttlMs: PENDING_TTL_MS }])) as [SetIfAbsentResult];
			if (claim.written) break;
			if (claim.value === DONE) return false;
			if (this.now() >= deadline)
				throw new WhatsappRetryableError("The same message is being accepted by another delivery; retry later", WhatsappErrorTypes.InProgress);
			await this.sleep(20);
		}
		try {
			await accept();
		} catch (err) {
			await store.del(key).catch(() => undefined);
			throw err;
		}
		await store.set(key, DONE, SEEN_TTL_MS);
		return true;
	}

	// ---- outbound -----------------------------------------------------------------------------

	/**
	 * Sends a command (from the channel or the `whatsapp.send` action); idempotent by
	 * `idempotencyKey`. A numbered command (`seq`) waits for the customer's previous one first, and
	 * once it is settled (sent, refused, dead-lettered: anything but a retry to come) lets the next go.
	 */
	async send(cmd: WhatsappMessageSendV1): Promise<SendResult> {
		const seq = cmd.seq;
		if (seq === undefined) return (await this.sendNow(cmd, [])).result;
		const lane = sendLaneKey(cmd.brand, cmd.to);
		await this.waitForTurn(cmd, lane, seq);
		// A send that records its result marks its number done in the same batch.
		let marked = false;
		let retried = false;
		try {
			const sent = await this.sendNow(cmd, [{ op: "laneDone", key: lane, value: seq, ttlMs: SEND_LANE_TTL_MS }]);
			marked = sent.recorded;
			return sent.result;
		} catch (err) {
			// The channel will try it again: it keeps its place, and the next one waits for it (bounded).
			retried = !(err instanceof Errors.MoleculerClientError);
			throw err;
		} finally {
			if (!retried && !marked)
				await this.deps.store.laneDone(lane, seq, SEND_LANE_TTL_MS).catch(err => this.deps.logger.warn(`Send order not recorded (the next message waits its bound): ${(err as Error)?.message ?? err}`));
		}
	}

	/** Until the previous number on the lane is done, or WHATSAPP_ORDER_WAIT_MS has passed. */
	private async waitForTurn(cmd: WhatsappMessageSendV1, lane: string, seq: number): Promise<void> {
		const started = this.now();
		for (;;) {
			const done = await this.deps.store.laneDoneOf(lane);
			// No lane (expired, or numbered before it existed): nothing to wait for.
			if (done === null || done >= seq - 1) return;
			const waited = this.now() - started;
			if (waited >= this.cfg.whatsapp.orderWaitMs) {
				this.deps.logger.warn(
					`Message ${seq} for ${cmd.conversationId ?? conversationIdOf(cmd.brand, cmd.to)} waited ${waited} ms for message ${done + 1} and goes now, out of order`
				);
				return;
			}
			await this.sleep(ORDER_POLL_MS);
		}
	}

	/**
	 * Sends one command unless an earlier attempt already did. `withResult` steps are written in the
	 * batch that records the result; `recorded` tells whether that batch was written (not for a
	 * duplicate, nor when the send failed).
	 */
	private async sendNow(cmd: WhatsappMessageSendV1, withResult: BatchOp[]): Promise<{ result: SendResult; recorded: boolean }> {
		const store = this.deps.store;
		const brand = this.cfg.brands.find(b => b.id === cmd.brand);
		if (!brand) throw new WhatsappClientError(`Unknown brand '${cmd.brand}'`, 422, WhatsappErrorTypes.UnknownBrand, { brand: cmd.brand });
		const phoneNumberId = cmd.phoneNumberId ?? brand.phoneNumberIds[0];
		if (!brand.phoneNumberIds.includes(phoneNumberId))
			throw new WhatsappClientError(`phone_number_id ${phoneNumberId} does not belong to brand '${cmd.brand}'`, 422, WhatsappErrorTypes.UnknownBrand);

		let messages: GraphMessage[];
		try {
			messages = buildMessages(cmd);
		} catch (err) {
			if (!(err instanceof OutboundInvalid)) throw err;
			await this.refuse(cmd, "invalid", err.message);
			throw new WhatsappClientError(err.message, 422, WhatsappErrorTypes.Invalid, { violations: err.violations });
		}

		const doneKey = `wa:out:${cmd.idempotencyKey}`;
		const claimKey = `wa:out-claim:${cmd.idempotencyKey}`;
		const partKeys = messages.map((_, i) => `wa:out-part:${cmd.idempotencyKey}#${i}`);
		const freeForm = FREE_FORM_KINDS.has(cmd.kind);
		// The result of an earlier send, this attempt's claim, the customer's window and where each
		// part stands, in one round trip. Nothing else sends this command while the claim holds.
		const [prior, claim, ...read] = await store.batch([
			{ op: "get", key: doneKey },
			{ op: "setIfAbsent", key: claimKey, value: this.deps.nodeID, ttlMs: SEND_CLAIM_TTL_MS },
			...(freeForm ? [{ op: "getVersioned", key: windowKey(phoneNumberId, cmd.to) } as const] : []),
			...partKeys.map(key => ({ op: "getVersioned", key }) as const)
		]);
		const claimed = (claim as SetIfAbsentResult).written;
		if (prior) {
			if (claimed) await store.del(claimKey).catch(() => undefined);
			return { result: { ...(prior as SendResult), duplicate: true }, recorded: false };
		}
		if (!claimed) throw new WhatsappRetryableError(`A send with idempotency key '${cmd.idempotencyKey}' is in progress`, WhatsappErrorTypes.InProgress);
		const window = freeForm ? windowAt((read.shift() as Versioned<number> | null)?.value ?? null, this.now()) : null;
		const marks = read as (Versioned<PartMark> | null)[];
		let result: SendResult;
		const record: BatchOp[] = [];
		try {
			if (window && !window.open) {
				result = await this.fallback(cmd, phoneNumberId, window.lastInboundAt === null ? "The customer never wrote to this number: only templates may be sent" : "The 24-hour window is closed: only templates may be sent");
			} else {
				try {
					result = await this.transmitAll(cmd, phoneNumberId, messages, partKeys, marks, record);
				} catch (err) {
					if (err instanceof GraphError && err.kind === "window")
						result = await this.fallback(cmd, phoneNumberId, `Meta refused a free-form message (131047): ${err.details ?? err.message}`, 131047);
					else throw await this.failure(cmd, err);
				}
			}
		} catch (err) {
			await store.del(claimKey).catch(() => undefined);
			throw err;
		}
		// A lost write leaves the claim to expire and the last part marked `sending`: a redelivery
		// then treats its outcome as unknown and does not send it blind.
		await store.batch([{ op: "set", key: doneKey, value: result, ttlMs: SEEN_TTL_MS }, { op: "del", key: claimKey }, ...record, ...withResult]);
		return { result, recorded: true };
	}

	/** Reacts to a status: a failed 131047 means the window closed under us; fall back to a template. */
	async onStatus(status: EventPayloads["store.whatsapp.message.status"]): Promise<void> {
		if (status.status !== "failed" || !status.errors?.some(e => e.code === 131047)) return;
		const corr = await this.deps.store.get<Correlation>(`wa:wamid:${status.messageId}`);
		if (!corr) {
			this.deps.logger.warn("A message failed with 131047 but was not sent by this gateway (no correlation); no template fallback");
			return;
		}
		if (!FREE_FORM_KINDS.has(corr.kind)) {
			this.deps.logger.error(`A ${corr.kind} message failed with 131047 (outside the window); nothing to fall back to`);
			return;
		}
		const cmd: WhatsappMessageSendV1 = { brand: corr.brand, to: corr.to, kind: corr.kind, idempotencyKey: corr.idempotencyKey, ...(corr.conversationId ? { conversationId: corr.conversationId } : {}) };
		await this.fallback(cmd, corr.phoneNumberId, "Meta reported the message failed with 131047 (re-engagement required)", 131047);
	}

	/**
	 * Sends the parts not sent yet, in order. A part before the last is marked `sent` at once, so a
	 * resumed send skips it; the last part's mark stays `sending`: `record` receives the steps that
	 * go with the result instead (the status correlation of its message id, and a short life for
	 * every part mark, which the recorded result supersedes).
	 */
	private async transmitAll(cmd: WhatsappMessageSendV1, phoneNumberId: string, messages: GraphMessage[], partKeys: string[], marks: (Versioned<PartMark> | null)[], record: BatchOp[]): Promise<SendResult> {
		const store = this.deps.store;
		const ids: string[] = [];
		// Named by node and a local count (marks and logs carry both); no cluster-wide round trip.
		const attempt = ++this.attempts;
		const correlation: Correlation = { brand: cmd.brand, to: cmd.to, kind: cmd.kind, idempotencyKey: cmd.idempotencyKey, phoneNumberId, ...(cmd.conversationId ? { conversationId: cmd.conversationId } : {}) };
		for (const [i, body] of messages.entries()) {
			// A split text resumed after a failure sends only the parts that did not leave.
			const partKey = partKeys[i];
			const mark = marks[i];
			if (mark?.value.state === "sent") {
				if (mark.value.id) ids.push(mark.value.id);
				continue;
			}
			if (mark?.value.state === "sending") await this.decideUnknownOutcome(cmd, i, partKey, mark, attempt);
			const sent = await this.pacer.run(phoneNumberId, cmd.to, () => this.transmit(cmd, phoneNumberId, body, { key: partKey, version: mark?.version ?? 0, attempt }));
			const id = sent.id;
			const correlate: BatchOp[] = id ? [{ op: "set", key: `wa:wamid:${id}`, value: correlation, ttlMs: CORRELATION_TTL_MS }] : [];
			if (id) ids.push(id);
			if (i === messages.length - 1) {
				record.push(...correlate);
				continue;
			}
			// Recorded only over this attempt's own mark: a newer attempt that took over decides for itself.
			if ((await store.compareAndSet<PartMark>(partKey, sent.version, { state: "sent", id, attempt }, SEEN_TTL_MS)) === null)
				this.deps.logger.warn(`Attempt ${attempt} sent part ${i} of '${cmd.idempotencyKey}' after another attempt took it over`);
			if (correlate.length) await store.batch(correlate);
		}
		// The marks outlive the claim a little: an attempt that read no result just before this one
		// recorded it, and got past an expired claim, must still find the parts taken.
		record.push(...partKeys.map(key => ({ op: "expire", key, ttlMs: PART_MARK_LINGER_MS }) as const));
		this.deps.logger.info(`Sent ${cmd.kind} (${messages.length} part(s)) for ${cmd.conversationId ?? conversationIdOf(cmd.brand, cmd.to)}${this.sandbox ? " to the sandbox outbox" : ""}`);
		return { status: "sent", messageIds: ids, phoneNumberId, sandbox: this.sandbox };
	}

	/**
	 * A part marked `sending` by an earlier attempt that never recorded how the call ended: the
	 * attempt crashed (or lost the store) after the call went out, or is still waiting for Meta.
	 *
	 * Meta's send API takes no idempotency key, so once a request may have reached Meta, only its
	 * answer can tell whether the message exists; that answer died with the attempt. The decision:
	 * - a mark younger than the longest a call can take (OUTCOME_WAIT_MS): the attempt may still be
	 *   running and record its answer, so this one backs off (retryable) and looks again later;
	 * - older, for read receipts and typing indicators: sent again; Meta treats repeats as no-ops;
	 * - older, for everything the customer sees: dead-lettered with reason `outcome_unknown`, not
	 *   resent. A duplicate order confirmation or payment link is worse than a message an operator
	 *   resends from the dead-letter queue; a `sent`/`delivered` status for the lost wamid may
	 *   still arrive, but it cannot be correlated (the id was never stored).
	 * The mark then says `unknown`: replaying the dead letter is the operator's decision to send it
	 * again, and the replay sends.
	 * Residual risk: a crash between Meta accepting the call and the `sent` mark leaves such a
	 * message for an operator instead of sending it twice; nothing is sent twice by a redelivery.
	 * A call that fails without an answer (timeout, reset connection) is still retried: Meta may
	 * have accepted it, so a timeout can duplicate a message, as before this mark existed.
	 */
	private async decideUnknownOutcome(cmd: WhatsappMessageSendV1, part: number, partKey: string, current: Versioned<PartMark>, attempt: number): Promise<void> {
		const mark = current.value;
		const age = this.now() - (mark.at ?? 0);
		const what = `part ${part} of '${cmd.idempotencyKey}' was being sent by attempt ${mark.attempt} on ${mark.node ?? "another node"} ${Math.round(age / 1000)} s ago and its outcome was never recorded`;
		if (age < OUTCOME_WAIT_MS)
			throw new WhatsappRetryableError(`Waiting for an earlier attempt: ${what}`, WhatsappErrorTypes.InProgress, { attempt, earlierAttempt: mark.attempt });
		if (RESENDABLE_KINDS.has(cmd.kind)) {
			this.deps.logger.warn(`Sending a ${cmd.kind} again (attempt ${attempt}): ${what}; repeats are harmless`);
			return;
		}
		// If another attempt moved the mark meanwhile, it decided; this one steps back.
		if ((await this.deps.store.compareAndSet<PartMark>(partKey, current.version, { state: "unknown", attempt, at: this.now() }, SEEN_TTL_MS)) === null)
			throw new WhatsappRetryableError(`Another attempt is sending '${cmd.idempotencyKey}'; retry later`, WhatsappErrorTypes.InProgress);
		throw new UnknownOutcome(what);
	}

	/**
	 * One Graph call (or outbox entry) under this attempt's `sending` mark, written (compare-and-set
	 * on the version read before) right before each call, so two attempts never send one part at
	 * once; throttling is retried here so the message keeps its place in the customer's lane.
	 */
	private async transmit(cmd: WhatsappMessageSendV1, phoneNumberId: string, body: GraphMessage, part: { key: string; version: number; attempt: number }): Promise<{ id: string | null; version: number }> {
		const store = this.deps.store;
		let version = part.version;
		const markSending = async () => {
			const next = await store.compareAndSet<PartMark>(part.key, version, { state: "sending", attempt: part.attempt, node: this.deps.nodeID, at: this.now() }, SEEN_TTL_MS);
			if (next === null) throw new WhatsappRetryableError(`Another attempt is sending '${cmd.idempotencyKey}'; retry later`, WhatsappErrorTypes.InProgress);
			version = next;
		};
		// Meta answered (or the call never got through): nothing is in doubt, a later attempt may send.
		const clear = () => store.compareAndSet<PartMark>(part.key, version, { state: "failed", attempt: part.attempt, at: this.now() }, SEEN_TTL_MS).catch(() => null);
		if (!this.graph) {
			const id = cmd.kind === "read" || cmd.kind === "typing" ? null : `wamid.sandbox.${randomUUID()}`;
			const entry: OutboxEntry = {
				id: id ?? `sandbox.${cmd.kind}.${randomUUID()}`,
				at: new Date(this.now()).toISOString(),
				brand: cmd.brand,
				phoneNumberId,
				to: cmd.to,
				kind: cmd.kind,
				idempotencyKey: cmd.idempotencyKey,
				...(cmd.conversationId ? { conversationId: cmd.conversationId } : {}),
				message: body
			};
			await markSending();
			await this.outbox!.add(entry);
			return { id, version };
		}
		for (let attempt = 1; ; attempt++) {
			await markSending();
			try {
				const res = await this.graph.sendMessage(phoneNumberId, body);
				return { id: res.messageId ?? null, version };
			} catch (err) {
				if (err instanceof GraphError) version = (await clear()) ?? version;
				if (!(err instanceof GraphError) || err.kind !== "retryable" || attempt >= SEND_ATTEMPTS) throw err;
				// Pair limit: Meta suggests waiting 4^X (SPEC §7); the others back off exponentially.
				const base = this.cfg.channels.backoffMs;
				const delay = err.code === 131056 ? base * 4 ** attempt : base * 2 ** (attempt - 1);
				this.deps.logger.info(`Graph API asked to slow down (${err.code ?? `HTTP ${err.httpStatus}`}); retrying in ${delay} ms`);
				await this.sleep(delay);
			}
		}
	}

	/** Refuses a free-form message outside the window and sends the configured template instead. */
	private async fallback(cmd: WhatsappMessageSendV1, phoneNumberId: string, detail: string, code?: number): Promise<SendResult> {
		const tpl: WhatsappTemplateRef = this.cfg.whatsapp.fallbackTemplates[cmd.kind] ?? this.cfg.whatsapp.fallbackTemplates.default;
		const fallbackKey = `${cmd.idempotencyKey}:fallback`;
		await this.refuse(cmd, "window_closed", detail, code, { template: tpl.name, idempotencyKey: fallbackKey });
		const sent = await this.send({
			brand: cmd.brand,
			to: cmd.to,
			kind: "template",
			idempotencyKey: fallbackKey,
			phoneNumberId,
			template: { name: tpl.name, language: tpl.language, ...(tpl.components ? { components: tpl.components } : {}) },
			...(cmd.conversationId ? { conversationId: cmd.conversationId } : {})
		});
		return { status: "refused", reason: "window_closed", messageIds: [], phoneNumberId, sandbox: this.sandbox, fallback: sent };
	}

	/** Turns a send failure into the error the channel acts on, with a refusal event for permanent ones. */
	private async failure(cmd: WhatsappMessageSendV1, err: unknown): Promise<Error> {
		if (err instanceof UnknownOutcome) {
			await this.refuse(cmd, "outcome_unknown", `${err.message}; not sent again (Meta may have it already): replay the dead letter to send it`);
			return new WhatsappClientError(`Outcome of an earlier send unknown, not resent: ${err.message}`, 409, WhatsappErrorTypes.OutcomeUnknown);
		}
		if (!(err instanceof GraphError)) return err as Error;
		const what = `${err.code ?? `HTTP ${err.httpStatus}`}: ${err.message}`;
		if (err.kind === "retryable") return new WhatsappRetryableError(`WhatsApp send failed with a retryable error (${what})`, WhatsappErrorTypes.Throttled, { code: err.code }, err);
		if (err.kind === "auth") {
			this.deps.logger.error(`ALERT: the WhatsApp access token was refused (${what}); outbound messages are dead-lettered until it is replaced`);
			await this.refuse(cmd, "token_expired", what, err.code);
			return new WhatsappClientError(`WhatsApp access token refused (${what})`, 401, WhatsappErrorTypes.TokenExpired, { code: err.code }, err);
		}
		const reason: RefusalReason = err.code === 131026 ? "undeliverable" : "rejected";
		await this.refuse(cmd, reason, `${what}${err.details ? ` (${err.details})` : ""}`, err.code);
		return new WhatsappClientError(`WhatsApp refused the message (${what})`, 422, WhatsappErrorTypes.Rejected, { code: err.code, details: err.details }, err);
	}

	private async refuse(cmd: WhatsappMessageSendV1, reason: RefusalReason, detail: string, code?: number, fallback?: { template: string; idempotencyKey: string }): Promise<void> {
		const conversationId = cmd.conversationId ?? conversationIdOf(cmd.brand, cmd.to);
		this.deps.logger.warn(`Refused a ${cmd.kind} message for ${conversationId} (${reason}): ${detail}${fallback ? `; sending template '${fallback.template}' instead` : ""}`);
		// The event must be valid even for a command that is not; its fields are clamped to the contract.
		if (!/^\d{5,20}$/.test(cmd.to) || !/^[a-z][a-z0-9-]{0,31}$/.test(cmd.brand)) return;
		await this.deps.publish(
			EventTypes.WhatsappMessageRefused,
			{
				idempotencyKey: cmd.idempotencyKey,
				brand: cmd.brand,
				to: cmd.to,
				kind: cmd.kind,
				reason,
				detail: detail.slice(0, 2048),
				...(code !== undefined ? { code } : {}),
				...(cmd.conversationId ? { conversationId: cmd.conversationId } : {}),
				...(fallback ? { fallback } : {})
			},
			{ id: eventId("refused", cmd.idempotencyKey, reason), correlationid: conversationId, subject: conversationId }
		);
	}

	// ---- queries ------------------------------------------------------------------------------

	async window(waId: string, brandId: string): Promise<WindowState & { phoneNumberId: string | null; brand: string }> {
		const brand = this.cfg.brands.find(b => b.id === brandId);
		if (!brand) throw new WhatsappClientError(`Unknown brand '${brandId}'`, 422, WhatsappErrorTypes.UnknownBrand, { brand: brandId });
		return { ...(await readWindow(this.deps.store, brand.phoneNumberIds, waId, this.now())), brand: brandId };
	}

	async media(mediaId: string, phoneNumberId?: string): Promise<{ mimeType: string | null; sha256?: string; size: number; data: string }> {
		if (!this.graph) throw new WhatsappClientError("Media download needs WHATSAPP_ACCESS_TOKEN (the gateway is in sandbox mode)", 409, WhatsappErrorTypes.LiveOnly);
		try {
			const info = await this.graph.mediaInfo(mediaId, phoneNumberId);
			const file = await this.graph.download(info.url);
			return { mimeType: file.mimeType ?? info.mimeType ?? null, ...(info.sha256 ? { sha256: info.sha256 } : {}), size: file.data.length, data: file.data.toString("base64") };
		} catch (err) {
			if (err instanceof GraphError && err.kind === "retryable") throw new WhatsappRetryableError(`Media download failed: ${err.message}`, WhatsappErrorTypes.Throttled, { code: err.code }, err);
			if (err instanceof GraphError) throw new WhatsappClientError(`Media download refused: ${err.message}`, err.httpStatus === 404 ? 404 : 422, WhatsappErrorTypes.Rejected, { code: err.code }, err);
			throw err;
		}
	}
}
