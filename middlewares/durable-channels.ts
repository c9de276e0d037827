/**
 * Wraps every channel handler (the channels middleware's `localChannel` hook) with the delivery
 * rules that must hold on every adapter (JetStream, Redis Streams, in-memory):
 *
 * 1. The message must be a valid contract event for the channel it came on; an invalid one goes
 *    straight to the dead-letter queue with its violations. Never a crash, never a silent drop.
 * 2. Idempotent by event id per consumer group: an event handled once is acknowledged and skipped
 *    when redelivered (marks live for 7 days, Meta's retry horizon). A channel whose handler is
 *    idempotent by itself declares `idempotent: true` and is spared the mark (two store commands
 *    and a 7-day key per message).
 * 3. A failing handler is retried in place with exponential backoff (backoff, 2x, 4x...) up to
 *    `maxAttempts` attempts in all, counted in the Store from the first failure on, so a crash or
 *    another node continues the count. A client error (4xx) is not retried. The last failure is
 *    dead-lettered.
 * 4. While a message waits for its retry, the transport is told it is still being worked on
 *    (JetStream's "in progress", a Redis Streams message's idle time restarted), so it is not
 *    redelivered to another node behind our back.
 * 5. A message the transport has delivered more than `MAX_DELIVERIES` times (a handler that
 *    crashes its process never fails in a way we see) is dead-lettered without running again.
 *
 * The handler only throws to the adapter when the dead letter itself cannot be written: the adapter
 * then redelivers it later rather than lose it.
 */
import type { Middleware, ServiceBroker, LoggerInstance, Service } from "moleculer";
import { Errors } from "moleculer";
import { channelOf, validateEvent, type CloudEvent } from "../contracts/events";
import { DEAD_LETTER_HEADERS } from "../contracts/services";
import { DeadLetters } from "../adapters/dead-letters";

export const IDEMPOTENCY_TTL_MS = 7 * 24 * 3600 * 1000;
/** At most this long between "still working" signals; less when the ack deadline is shorter. */
const KEEPALIVE_MS = 10_000;
/** How long a starting service waits for its channels to be registered (microtask work, in practice). */
const REGISTRATION_WAIT_MS = 5000;

/**
 * Deliveries after which a message is dead-lettered without running its handler again. A message
 * delivered this often never reached an outcome: to the transport, a handler that crashes its
 * process (or hangs past the ack deadline) looks like that, and without a bound it would take the
 * nodes down one after the other, for good. Hand-overs by stopping nodes and store outages also
 * redeliver, hence the margin over the attempts a failing handler gets.
 */
export const MAX_DELIVERIES = 20;

/** The transport's number for this delivery of a message (1 for the first), when it tells. */
export function deliveryNumber(raw: unknown): number | null {
	const r = raw as { info?: { redeliveryCount?: unknown }; redeliveryCount?: unknown; deliveries?: unknown } | null;
	// JetStream: deliveries so far, this one included.
	if (typeof r?.info?.redeliveryCount === "number") return r.info.redeliveryCount;
	// The in-memory adapter: deliveries before this one.
	if (typeof r?.redeliveryCount === "number") return r.redeliveryCount + 1;
	// Redis Streams (our adapter): deliveries so far, this one included.
	if (typeof r?.deliveries === "number") return r.deliveries;
	return null;
}

export interface DurableChannelOptions {
	maxAttempts: number;
	backoffMs: number;
	/** Deliveries before a message that never reached an outcome is dead-lettered (`MAX_DELIVERIES`). */
	maxDeliveries?: number;
	/** JetStream's ack deadline: a message waiting for its retry says it is still worked on well within it. */
	ackWaitMs?: number;
}

interface Chan {
	name: string;
	group: string;
	handler?: unknown;
	/**
	 * A channel definition's own cheap filter, run before anything else: a message it returns true
	 * for is acknowledged without validation and without touching the store (a group that reads a
	 * shared channel for a part of it). It must not assume a valid event.
	 */
	skip?: (event: CloudEvent) => boolean;
	/**
	 * The handler makes a repeat a no-op by itself (the conversation's handled ids, the send's
	 * idempotency key), so no done mark is kept. The hot channels of a reply declare it: their
	 * marks were a fifth of the store bytes a conversation left behind.
	 */
	idempotent?: boolean;
}

type Handler = (msg: unknown, raw: unknown) => Promise<unknown>;

export function backoffDelay(attempt: number, baseMs: number): number {
	return baseMs * 2 ** (attempt - 1);
}

class StoppingError extends Error {
	readonly retryable = true;
}

export function DurableChannelsMiddleware(opts: DurableChannelOptions): Middleware {
	let broker: ServiceBroker;
	let logger: LoggerInstance;
	const waits = new Set<() => void>();
	let stopping = false;
	// A third of the deadline: a signal delayed by a busy event loop still arrives in time.
	const keepAliveMs = Math.min(KEEPALIVE_MS, Math.max(10, Math.floor((opts.ackWaitMs ?? Infinity) / 3)));

	/** Resolves after `ms`; rejects at once when the broker starts stopping. */
	const pause = (ms: number, raw: unknown) =>
		new Promise<void>((resolve, reject) => {
			const keepAlive = setInterval(() => working(raw), keepAliveMs);
			const done = () => {
				clearTimeout(timer);
				clearInterval(keepAlive);
				waits.delete(abort);
			};
			const abort = () => {
				done();
				reject(new StoppingError("Broker is stopping; the message will be redelivered"));
			};
			const timer = setTimeout(() => {
				done();
				resolve();
			}, ms);
			waits.add(abort);
			working(raw);
		});

	/** The handler of every channel the channels middleware has registered so far. */
	const registered = new WeakSet<object>();

	return {
		name: "DurableChannels",

		created(b: ServiceBroker) {
			broker = b;
			logger = b.getLogger("durable-channels");
		},

		/**
		 * @moleculer/channels registers a service's channels in a `serviceCreated` hook that runs on
		 * after it returns (nobody awaits it), and at broker start subscribes only the channels
		 * registered by then: a service with many channels silently lost its last ones (a test
		 * service with 21 channels got 10). Held here, before the service starts and so before the
		 * channels middleware subscribes, until every channel of the service is registered.
		 */
		async serviceStarting(svc: Service) {
			const defs = Object.values((svc.schema as { channels?: Record<string, unknown> }).channels ?? {});
			const handlers = defs.map(d => (typeof d === "function" ? d : (d as { handler?: unknown } | null)?.handler)).filter((h): h is object => typeof h === "function");
			const deadline = Date.now() + REGISTRATION_WAIT_MS;
			while (!handlers.every(h => registered.has(h))) {
				if (Date.now() > deadline) throw new Error(`The channels of service '${svc.fullName}' were not all registered within ${REGISTRATION_WAIT_MS} ms`);
				await new Promise(r => setImmediate(r));
			}
		},

		stopping() {
			stopping = true;
			for (const abort of [...waits]) abort();
		},

		localChannel(next: Handler, chan: Chan): Handler {
			// Still the schema's own handler here: the channels middleware wraps it after this hook.
			if (typeof chan.handler === "function") registered.add(chan.handler);
			const prefix = `${broker.namespace}.`;
			const channel = broker.namespace && chan.name.startsWith(prefix) ? chan.name.slice(prefix.length) : chan.name;

			return async (msg: unknown, raw: unknown) => {
				const store = broker.store;
				const dlq = new DeadLetters(store);
				const headers = (broker.channelAdapter.parseMessageHeaders(raw) ?? {}) as Record<string, string>;
				const target = headers[DEAD_LETTER_HEADERS.TargetGroup];
				if (target && target !== chan.group) return;

				const deadLetter = async (error: { message: string; code: string | number; attempts: number; violations?: unknown[] }) => {
					const event = msg as Partial<CloudEvent>;
					const entry = await dlq.add({
						channel,
						group: chan.group,
						eventId: typeof event?.id === "string" ? event.id : null,
						originalEvent: msg,
						error: {
							message: error.message,
							code: error.code,
							attempts: error.attempts,
							lastAttempt: new Date().toISOString(),
							...(error.violations ? { violations: error.violations as never } : {})
						},
						nodeID: broker.nodeID
					});
					logger.warn(`Dead-lettered a message of '${channel}' for '${chan.group}': ${error.message}`, {
						deadLetterId: entry?.id,
						eventId: event?.id,
						attempts: error.attempts
					});
					broker.emit("dlq.added", { channel, group: chan.group, id: entry?.id });
				};

				// A message the filter leaves to other groups needs no validation here: they validate it
				// (and dead-letter it once, not once per group). A filter that cannot read it skips nothing.
				if (chan.skip) {
					let skipped = false;
					try {
						skipped = chan.skip(msg as CloudEvent);
					} catch {
						skipped = false;
					}
					if (skipped) return;
				}

				const violations = validateEvent(msg);
				if (!violations.length && channelOf((msg as CloudEvent).type, (msg as CloudEvent).data) !== channel)
					violations.push({ field: "type", message: `Event type '${(msg as CloudEvent).type}' does not belong on channel '${channel}'` });
				if (violations.length) {
					await deadLetter({
						message: `Invalid event: ${violations.map(v => v.message).join("; ")}`,
						code: "EVENT_CONTRACT_VIOLATION",
						attempts: 1,
						violations
					});
					return;
				}

				const event = msg as CloudEvent;
				const doneKey = chan.idempotent ? null : `chan:done:${chan.group}:${event.id}`;
				const attemptsKey = `chan:attempts:${chan.group}:${event.id}`;
				if (doneKey && (await store.get(doneKey))) {
					logger.debug(`Skipping event ${event.id} on '${channel}': already handled by '${chan.group}'`);
					return;
				}

				const delivery = deliveryNumber(raw);
				if (delivery !== null && delivery > (opts.maxDeliveries ?? MAX_DELIVERIES)) {
					await deadLetter({
						message: `Delivered ${delivery} times without an outcome: its handler may be crashing the process or hanging; not run again`,
						code: "TOO_MANY_DELIVERIES",
						attempts: delivery - 1
					});
					return;
				}

				// Attempts are counted in the store only from a failure on: a message handled at the
				// first try costs the store nothing (an INCR and a DEL per message and group before, a
				// fifth of a reply's store commands). The first failure adds itself to whatever an
				// earlier delivery of the message counted (a node that stopped or crashed in its
				// backoff), so a count handed over continues, on this node or another.
				let attempt = 1;
				let counted = false;
				for (;;) {
					if (stopping) throw new StoppingError("Broker is stopping; the message will be redelivered");
					try {
						await next(msg, raw);
						if (doneKey) await store.set(doneKey, 1, IDEMPOTENCY_TTL_MS);
						if (counted) await store.del(attemptsKey);
						return;
					} catch (err) {
						const e = err as Error & { code?: string | number; type?: string };
						const permanent = err instanceof Errors.MoleculerClientError;
						if (!counted) {
							attempt = await store.incr(attemptsKey, 1, IDEMPOTENCY_TTL_MS);
							counted = true;
						}
						if (permanent || attempt >= opts.maxAttempts) {
							await deadLetter({
								message: e?.message ?? String(err),
								code: e?.type ?? e?.code ?? "HANDLER_ERROR",
								attempts: attempt
							});
							await store.del(attemptsKey);
							return;
						}
						const delay = backoffDelay(attempt, opts.backoffMs);
						logger.info(`Handler of '${channel}' in '${chan.group}' failed (attempt ${attempt}/${opts.maxAttempts}); retrying in ${delay} ms: ${e?.message}`);
						await pause(delay, raw);
						attempt = await store.incr(attemptsKey, 1, IDEMPOTENCY_TTL_MS);
					}
				}
			};
		}
	} as unknown as Middleware;
}

/** JetStream redelivers a message whose ack is late; `working()` resets that clock. */
function working(raw: unknown): void {
	const w = (raw as { working?: () => void } | null)?.working;
	if (typeof w === "function") w.call(raw);
}
