/**
 * The WhatsApp gateway's logic, hosted by the `whatsapp` service: webhook pieces accepted exactly
 * once, outbound messages checked, paced and sent (or put in the sandbox outbox), statuses
 * correlated, the 24-hour window enforced with a template fallback.
 *
 * Exactly-once acceptance (ENGINEERING-NOTES, "Dedupe before durable accept loses messages"): a
 * message id is claimed as `pending`, published, and only then marked `done` for 7 days. A failed
 * publish clears the claim and the webhook answers non-200, so Meta's retry is not mistaken for a
 * duplicate. Events get ids derived from the wamid, so a publish repeated after a crash between
 * publishing and marking is skipped by every consumer group.
 */
import { createHash, randomUUID } from "node:crypto";
import type { LoggerInstance } from "moleculer";
import type { Store } from "../../adapters/store/store";
import type { Config, WhatsappTemplateRef } from "../../config";
import {
	EventTypes,
	type CloudEvent,
	type CreateEventOptions,
	type EventPayloads,
	type EventType,
	type RefusalReason,
	type WhatsappMessageReceivedV1,
	type WhatsappMessageSendV1
} from "../../contracts/events";
import { GraphClient, GraphError } from "./graph-client";
import { buildMessages, FREE_FORM_KINDS, OutboundInvalid, type GraphMessage } from "./limits";
import { Outbox, type OutboxEntry } from "./outbox";
import { Pacer } from "./pacer";
import { conversationIdOf, parseWebhook, toChatMessage, type ParsedStatus } from "./parse";
import { readWindow, recordInbound, type WindowState } from "./window";
import { WhatsappClientError, WhatsappErrorTypes, WhatsappRetryableError } from "./errors";

/** Meta retries for up to 7 days (SPEC §6). */
export const SEEN_TTL_MS = 7 * 24 * 3600 * 1000;
/** A claim outlives any sane accept; a crashed holder's claim expires and Meta's retry gets through. */
const PENDING_TTL_MS = 30_000;
/** How long a delivery waits for a concurrent delivery of the same message before asking for a retry. */
const CONCURRENT_WAIT_MS = 1000;
/** Outbound message ids stay correlatable as long as Meta may report on them. */
const CORRELATION_TTL_MS = 30 * 24 * 3600 * 1000;
const SEND_CLAIM_TTL_MS = 120_000;
/** Throttled sends are retried this many times in the customer's lane before the channel takes over. */
const SEND_ATTEMPTS = 3;
const STATUS_RANK: Record<string, number> = { sent: 1, delivered: 2, read: 3, played: 4, failed: 5 };

export type Publish = <T extends EventType>(type: T, data: EventPayloads[T], opts?: Omit<CreateEventOptions, "source">) => Promise<CloudEvent<EventPayloads[T]>>;

export interface GatewayDeps {
	config: Config;
	store: Store;
	publish: Publish;
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

const eventId = (...parts: string[]) => createHash("sha256").update(parts.join("\u0000")).digest("hex").slice(0, 32);

export class WhatsappGateway {
	readonly sandbox: boolean;
	readonly outbox: Outbox | null;
	private readonly graph: GraphClient | null;
	private readonly pacer: Pacer;
	private readonly brandsByNumber = new Map<string, string[]>();
	private readonly cfg: Config;
	private readonly now: () => number;
	private readonly sleep: (ms: number) => Promise<void>;

	constructor(private readonly deps: GatewayDeps) {
		this.cfg = deps.config;
		this.now = deps.now ?? Date.now;
		this.sleep = deps.sleep ?? (ms => new Promise(r => setTimeout(r, ms)));
		for (const b of this.cfg.brands)
			for (const pnid of b.phoneNumberIds) this.brandsByNumber.set(pnid, [...(this.brandsByNumber.get(pnid) ?? []), b.id]);
		const wa = this.cfg.whatsapp;
		this.sandbox = wa.accessToken === null;
		this.outbox = this.sandbox ? new Outbox() : null;
		this.graph = wa.accessToken ? new GraphClient({ baseUrl: wa.apiUrl, token: wa.accessToken }) : null;
		this.pacer = new Pacer({ ratePerSecond: wa.ratePerSecond, pairIntervalMs: wa.pairIntervalMs, pairBurst: wa.pairBurst, now: this.now, sleep: this.sleep });
	}

	brandsFor = (phoneNumberId: string): string[] => this.brandsByNumber.get(phoneNumberId) ?? [];

	// ---- inbound ------------------------------------------------------------------------------

	/** Accepts a verified webhook body; resolves only when every piece is durably accepted. */
	async acceptWebhook(payload: unknown): Promise<WebhookResult> {
		const parsed = parseWebhook(payload, this.brandsFor);
		if (!parsed.ok) throw new WhatsappClientError(`Not a WhatsApp webhook: ${parsed.reason}`, 400, WhatsappErrorTypes.NotWhatsapp);
		const { messages, statuses, notes, drops } = parsed.value;
		const log = this.deps.logger;
		for (const d of drops) log.warn(`Dropped a malformed webhook piece at ${d.at}: ${d.reason}`);
		for (const n of notes) {
			if (n.kind === "value_error") log.warn(`WhatsApp reported error ${n.code} at ${n.at}: ${n.detail}`);
			else log.info(`Webhook ${n.kind.replace("_", " ")} at ${n.at} acknowledged: ${n.detail}`);
		}
		const result: WebhookResult = { received: 0, duplicates: 0, statuses: 0, dropped: drops.length };
		for (const m of messages) {
			if (await this.acceptMessage(m)) result.received++;
			else result.duplicates++;
		}
		for (const s of statuses) {
			if (await this.acceptStatus(s)) result.statuses++;
			else result.duplicates++;
		}
		log.info(`Webhook accepted: ${result.received} message(s), ${result.statuses} status(es), ${result.duplicates} duplicate(s), ${result.dropped} dropped`);
		return result;
	}

	/** True when accepted now, false for a duplicate. */
	private async acceptMessage(m: WhatsappMessageReceivedV1): Promise<boolean> {
		return this.once(`wa:in:${m.messageId}`, async () => {
			const conversationId = conversationIdOf(m.brand ?? m.brands[0], m.from);
			// Ids are known up front, so the window, the fact and the chat turn are written at once:
			// the acknowledgement waits for one round of store and channel writes, not three.
			const received = { id: eventId("received", m.messageId), correlationid: conversationId };
			const chat = toChatMessage(m);
			await Promise.all([
				recordInbound(this.deps.store, m.phoneNumberId, m.from, m.timestamp),
				this.deps.publish(EventTypes.WhatsappMessageReceived, m, { ...received, subject: conversationId }),
				chat && this.deps.publish(EventTypes.ChatMessageNew, chat, { id: eventId("chat", m.messageId), causedBy: received, subject: chat.conversationId })
			]);
			this.deps.logger.debug(`Accepted inbound ${m.kind} message for ${conversationId}`);
		});
	}

	private async acceptStatus(s: ParsedStatus): Promise<boolean> {
		return this.once(`wa:st:${s.messageId}:${s.status}`, async () => {
			const store = this.deps.store;
			const corr = await store.get<Correlation>(`wa:wamid:${s.messageId}`);
			// Receipts arrive out of order; a state never moves backwards (SPEC §3.4).
			const rankKey = `wa:st-rank:${s.messageId}`;
			const seen = (await store.get<number>(rankKey)) ?? 0;
			if (seen >= STATUS_RANK[s.status]) {
				this.deps.logger.debug(`Status '${s.status}' arrived after a later one; not republished`);
				return;
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
			await store.set(rankKey, STATUS_RANK[s.status], SEEN_TTL_MS);
		});
	}

	/**
	 * Runs `accept` once per key: claims it as pending, marks it done after `accept` succeeds,
	 * clears the claim when it fails. Returns false for a key already done.
	 */
	private async once(key: string, accept: () => Promise<void>): Promise<boolean> {
		const store = this.deps.store;
		const deadline = this.now() + CONCURRENT_WAIT_MS;
		for (;;) {
			if (await store.setIfAbsent(key, "pending", PENDING_TTL_MS)) break;
			const state = await store.get<string>(key);
			if (state === "done") return false;
			if (state === null) continue;
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
		await store.set(key, "done", SEEN_TTL_MS);
		return true;
	}

	// ---- outbound -----------------------------------------------------------------------------

	/** Sends a command (from the channel or the `whatsapp.send` action); idempotent by `idempotencyKey`. */
	async send(cmd: WhatsappMessageSendV1): Promise<SendResult> {
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
		const prior = await store.get<SendResult>(doneKey);
		if (prior) return { ...prior, duplicate: true };
		const claimKey = `wa:out-claim:${cmd.idempotencyKey}`;
		if (!(await store.setIfAbsent(claimKey, this.deps.nodeID, SEND_CLAIM_TTL_MS)))
			throw new WhatsappRetryableError(`A send with idempotency key '${cmd.idempotencyKey}' is in progress`, WhatsappErrorTypes.InProgress);
		try {
			let result: SendResult;
			const window = FREE_FORM_KINDS.has(cmd.kind) ? await readWindow(store, [phoneNumberId], cmd.to, this.now()) : null;
			if (window && !window.open) {
				result = await this.fallback(cmd, phoneNumberId, window.lastInboundAt === null ? "The customer never wrote to this number: only templates may be sent" : "The 24-hour window is closed: only templates may be sent");
			} else {
				try {
					result = await this.transmitAll(cmd, phoneNumberId, messages, doneKey);
				} catch (err) {
					if (err instanceof GraphError && err.kind === "window")
						result = await this.fallback(cmd, phoneNumberId, `Meta refused a free-form message (131047): ${err.details ?? err.message}`, 131047);
					else throw await this.failure(cmd, err);
				}
			}
			await store.set(doneKey, result, SEEN_TTL_MS);
			return result;
		} finally {
			await store.del(claimKey).catch(() => undefined);
		}
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

	private async transmitAll(cmd: WhatsappMessageSendV1, phoneNumberId: string, messages: GraphMessage[], doneKey: string): Promise<SendResult> {
		const store = this.deps.store;
		const ids: string[] = [];
		for (const [i, body] of messages.entries()) {
			// A split text resumed after a failure sends only the parts that did not leave.
			const partKey = `${doneKey}#${i}`;
			const sent = await store.get<{ id: string | null }>(partKey);
			if (sent) {
				if (sent.id) ids.push(sent.id);
				continue;
			}
			const id = await this.pacer.run(phoneNumberId, cmd.to, () => this.transmit(cmd, phoneNumberId, body));
			await store.set(partKey, { id }, SEEN_TTL_MS);
			if (id) {
				ids.push(id);
				const corr: Correlation = { brand: cmd.brand, to: cmd.to, kind: cmd.kind, idempotencyKey: cmd.idempotencyKey, phoneNumberId, ...(cmd.conversationId ? { conversationId: cmd.conversationId } : {}) };
				await store.set(`wa:wamid:${id}`, corr, CORRELATION_TTL_MS);
			}
		}
		this.deps.logger.info(`Sent ${cmd.kind} (${messages.length} part(s)) for ${cmd.conversationId ?? conversationIdOf(cmd.brand, cmd.to)}${this.sandbox ? " to the sandbox outbox" : ""}`);
		return { status: "sent", messageIds: ids, phoneNumberId, sandbox: this.sandbox };
	}

	/** One Graph call (or outbox entry); throttling is retried here so the message keeps its place. */
	private async transmit(cmd: WhatsappMessageSendV1, phoneNumberId: string, body: GraphMessage): Promise<string | null> {
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
			this.outbox!.add(entry);
			return id;
		}
		for (let attempt = 1; ; attempt++) {
			try {
				const res = await this.graph.sendMessage(phoneNumberId, body);
				return res.messageId ?? null;
			} catch (err) {
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
		if (!(err instanceof GraphError)) return err as Error;
		const what = `${err.code ?? `HTTP ${err.httpStatus}`}: ${err.message}`;
		if (err.kind === "retryable") return new WhatsappRetryableError(`WhatsApp send failed, will retry (${what})`, WhatsappErrorTypes.Throttled, { code: err.code }, err);
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
