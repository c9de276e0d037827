/**
 * The channels JetStream adapter with the two traps we hit closed:
 * - two nodes creating the same durable consumer at once: one gets "consumer name already in use";
 *   we retry the subscription, which then binds to the consumer the other node created;
 * - publishing while the adapter stops returns without error in the base adapter (a silent drop);
 *   we throw `ChannelUnavailableError` instead;
 * - a message delivered to a node that is stopping is ignored by the base adapter until its ack
 *   deadline passes; we hand it back at once (with a short delay, to reach another node);
 * - the base adapter creates a channel's stream only when a consumer subscribes, and JetStream
 *   refuses a publish to a subject no stream captures (503). In a split deployment the publisher
 *   may start first, or nothing may consume an event yet (an audit-only fact): the first publish
 *   to a subject creates its stream, with the same name and config a consumer would give it;
 * - JetStream refuses to add a stream that exists with another config, and the base adapter only
 *   logs that: a changed retention (CHANNEL_RETENTION_HOURS) never reached the streams already
 *   there. An existing stream's max_age is brought to the configured one.
 */
import { Adapters } from "@moleculer/channels";
import type { NatsConnection } from "nats";
import { NatsLink } from "../nats-link";
import { assertCanPublish } from "./unavailable";

const NatsAdapterBase = Adapters.NATS as unknown as new (opts: object) => {
	stopping?: boolean;
	connected: boolean;
	logger: { info(...args: unknown[]): void; warn(...args: unknown[]): void };
	connection?: NatsConnection;
	connect(): Promise<void>;
	disconnect(): Promise<void>;
	subscribe(chan: { id: string }): Promise<void>;
	createConsumerHandler(chan: { unsubscribing?: boolean }): ConsumerHandler;
	publish(channel: string, payload: unknown, opts?: object): Promise<void>;
	createStream(streamName: string, subjects: string[], streamOpts: object): Promise<unknown>;
	activeMessages: Map<string, unknown[]>;
	opts: { nats: { streamConfig?: { max_age?: number } } };
	manager: {
		streams: {
			info(name: string): Promise<{ config: { max_age: number } & Record<string, unknown> }>;
			update(name: string, config: object): Promise<unknown>;
		};
	};
};

const SUBSCRIBE_ATTEMPTS = 5;
/** A message that reaches a stopping node goes back after this, when the node has left its group. */
const HAND_BACK_DELAY_MS = 1000;

interface JsMessage {
	nak(delayMs?: number): void;
}
type ConsumerHandler = (err: unknown, message: JsMessage | null) => Promise<void>;

export class NatsChannelAdapter extends NatsAdapterBase {
	/** Subjects whose stream this process has ensured; a failed attempt is forgotten and retried. */
	private readonly streams = new Map<string, Promise<unknown>>();
	/**
	 * The JetStream connection's state. While it is down `connected` is false, so a publish fails at
	 * once with `ChannelUnavailableError` (a webhook answers 503 and Meta retries) instead of waiting
	 * out a JetStream timeout, and the readiness probe says why.
	 */
	link: NatsLink | null = null;

	override async connect(): Promise<void> {
		await super.connect();
		this.link = new NatsLink("NATS JetStream (channels)", this.logger, state => {
			if (!this.stopping) this.connected = state === "connected";
		});
		this.link.watch(this.connection);
	}

	override async disconnect(): Promise<void> {
		if (this.link) this.link.closing = true;
		return super.disconnect();
	}

	override async subscribe(chan: { id: string }): Promise<void> {
		for (let attempt = 1; ; attempt++) {
			try {
				return await super.subscribe(chan);
			} catch (err) {
				const raced = /consumer name already in use|consumer already exists/i.test(String((err as Error)?.message));
				if (!raced || attempt >= SUBSCRIBE_ATTEMPTS) throw err;
				// The failed attempt registered the channel's in-flight tracking; undo it before retrying.
				this.activeMessages.delete(chan.id);
				this.logger.warn(`JetStream consumer for '${chan.id}' was being created by another node; retrying`);
				await new Promise(r => setTimeout(r, 50 * attempt + Math.floor(Math.random() * 50)));
			}
		}
	}

	/**
	 * The base ignores a message delivered while its channel unsubscribes (a node stopping), so the
	 * message waited out the ack deadline (30 s) before another node got it; a message whose retry
	 * was cut short by the stop came straight back to the stopping node and was ignored that way.
	 * It is handed back instead, with a delay that lets the node leave the group first.
	 */
	override createConsumerHandler(chan: { unsubscribing?: boolean }): ConsumerHandler {
		const handle = super.createConsumerHandler(chan);
		return async (err, message) => {
			if (chan.unsubscribing && message) return message.nak(HAND_BACK_DELAY_MS);
			return handle(err, message);
		};
	}

	override async publish(channel: string, payload: unknown, opts?: object): Promise<void> {
		assertCanPublish(this, channel);
		if (this.connected) await this.ensureStream(channel);
		return super.publish(channel, payload, opts);
	}

	override async createStream(streamName: string, subjects: string[], streamOpts: object): Promise<unknown> {
		const maxAge = this.opts.nats.streamConfig?.max_age;
		const name = (streamOpts as { name?: string })?.name ?? streamName;
		// Asked first, so that a stream kept with an older retention is updated rather than refused.
		const existing = maxAge === undefined ? null : await this.manager.streams.info(name).catch(() => null);
		if (!existing) return super.createStream(streamName, subjects, streamOpts);
		if (existing.config.max_age !== maxAge) {
			try {
				await this.manager.streams.update(name, { ...existing.config, max_age: maxAge });
				this.logger.warn(`JetStream stream '${name}' now keeps messages for ${maxAge! / 3.6e12} h (was ${existing.config.max_age / 3.6e12} h)`);
			} catch (err) {
				this.logger.warn(`Could not bring the retention of JetStream stream '${name}' up to date: ${(err as Error)?.message ?? err}`);
			}
		}
		return existing;
	}

	private ensureStream(subject: string): Promise<unknown> {
		let ready = this.streams.get(subject);
		if (!ready) {
			// The base adapter's naming: a stream name may not contain dots. "Already in use" is fine.
			ready = this.createStream(subject.split(".").join("_"), [subject], {}).catch(err => {
				this.streams.delete(subject);
				throw err;
			});
			this.streams.set(subject, ready);
		}
		return ready;
	}
}
