/**
 * In-process channel adapter for the embedded default (no NATS, no Redis). Unlike the channels
 * Fake adapter it keeps the delivery semantics of the real ones: one queue per consumer group
 * (each group gets every message, the group's consumers share them), at most `maxInFlight`
 * messages in a handler per group, and a failed handler's message is redelivered instead of lost.
 * Messages published before any group subscribed are held for the first group, as a stream would.
 *
 * Retries with backoff and dead-lettering are not done here: the durable-channels middleware does
 * them identically for every adapter.
 */
import type { ServiceBroker, LoggerInstance } from "moleculer";
import { Adapters } from "@moleculer/channels";
import { assertCanPublish } from "./unavailable";

// The package's generated typings for its adapters are not usable as base classes.
const BaseAdapter = Adapters.Base as unknown as new (opts?: object) => BaseAdapterShape;

interface BaseAdapterShape {
	opts: { maxInFlight: number; maxRetries: number; prefix: string | null };
	broker: ServiceBroker;
	logger: LoggerInstance;
	connected: boolean;
	serializer: { serialize(v: unknown): Buffer; deserialize(b: Buffer): unknown };
	init(broker: ServiceBroker, logger: LoggerInstance): void;
	initChannelActiveMessages(id: string, toThrow?: boolean): void;
	stopChannelActiveMessages(id: string): void;
	addChannelActiveMessages(id: string, ids: Array<string | number>): void;
	removeChannelActiveMessages(id: string, ids: Array<string | number>): void;
	getNumberOfChannelActiveMessages(id: string): number;
}

export interface ChannelDef {
	id: string;
	name: string;
	group: string;
	maxInFlight?: number;
	maxRetries?: number;
	unsubscribing?: boolean;
	handler: (msg: unknown, raw: MemoryMessage) => Promise<unknown>;
}

export interface MemoryMessage {
	seq: number;
	data: Buffer;
	headers: Record<string, string>;
	/** Deliveries before this one. */
	redeliveryCount: number;
}

interface Group {
	queue: MemoryMessage[];
	consumers: ChannelDef[];
	inFlight: number;
	next: number;
}

/** Redelivery after a handler failure waits a little so a broken handler cannot spin the loop. */
const REDELIVERY_DELAY_MS = 50;

export class MemoryAdapter extends BaseAdapter {
	private groups = new Map<string, Map<string, Group>>();
	private held = new Map<string, MemoryMessage[]>();
	private seq = 0;
	private timers = new Set<NodeJS.Timeout>();

	constructor(opts: { maxInFlight?: number; maxRetries?: number } = {}) {
		super(opts);
	}

	async connect(): Promise<void> {
		this.connected = true;
	}

	async disconnect(): Promise<void> {
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		this.connected = false;
	}

	async subscribe(chan: ChannelDef): Promise<void> {
		if (chan.maxInFlight == null) chan.maxInFlight = this.opts.maxInFlight;
		if (chan.maxRetries == null) chan.maxRetries = this.opts.maxRetries;
		this.initChannelActiveMessages(chan.id);

		let groups = this.groups.get(chan.name);
		if (!groups) this.groups.set(chan.name, (groups = new Map()));
		let group = groups.get(chan.group);
		if (!group) {
			group = { queue: this.held.get(chan.name) ?? [], consumers: [], inFlight: 0, next: 0 };
			this.held.delete(chan.name);
			groups.set(chan.group, group);
		}
		group.consumers.push(chan);
		this.pump(group);
	}

	async unsubscribe(chan: ChannelDef): Promise<void> {
		if (chan.unsubscribing) return;
		chan.unsubscribing = true;
		const group = this.groups.get(chan.name)?.get(chan.group);
		if (group) group.consumers = group.consumers.filter(c => c !== chan);
		await new Promise<void>(resolve => {
			const check = () => {
				if (this.getNumberOfChannelActiveMessages(chan.id) === 0) return resolve();
				const t = setTimeout(check, 10);
				this.timers.add(t);
			};
			check();
		});
		this.stopChannelActiveMessages(chan.id);
	}

	async publish(channelName: string, payload: unknown, opts: { raw?: boolean; headers?: Record<string, string> } = {}): Promise<void> {
		assertCanPublish(this, channelName);
		const data = opts.raw ? Buffer.from(payload as Buffer) : this.serializer.serialize(payload);
		const headers = { ...(opts.headers ?? {}) };
		const groups = this.groups.get(channelName);
		if (!groups || groups.size === 0) {
			const held = this.held.get(channelName) ?? [];
			held.push({ seq: ++this.seq, data, headers, redeliveryCount: 0 });
			this.held.set(channelName, held);
			return;
		}
		for (const group of groups.values()) {
			group.queue.push({ seq: ++this.seq, data, headers: { ...headers }, redeliveryCount: 0 });
			this.pump(group);
		}
	}

	parseMessageHeaders(raw: MemoryMessage): Record<string, string> | null {
		return raw ? raw.headers : null;
	}

	private pump(group: Group): void {
		while (group.queue.length && group.consumers.length) {
			const chan = group.consumers[group.next++ % group.consumers.length];
			if (group.inFlight >= (chan.maxInFlight ?? 1)) return;
			const msg = group.queue.shift()!;
			group.inFlight++;
			this.addChannelActiveMessages(chan.id, [msg.seq]);
			void this.deliver(group, chan, msg);
		}
	}

	private async deliver(group: Group, chan: ChannelDef, msg: MemoryMessage): Promise<void> {
		try {
			await chan.handler(this.serializer.deserialize(msg.data), msg);
		} catch (err) {
			msg.redeliveryCount++;
			const max = chan.maxRetries ?? 0;
			if (max > 0 && msg.redeliveryCount < max) {
				const t = setTimeout(() => {
					this.timers.delete(t);
					group.queue.push(msg);
					this.pump(group);
				}, REDELIVERY_DELAY_MS);
				this.timers.add(t);
			} else {
				this.logger.error(`Message ${msg.seq} on '${chan.name}' failed ${msg.redeliveryCount} times; dropped`, err);
			}
		} finally {
			group.inFlight--;
			this.removeChannelActiveMessages(chan.id, [msg.seq]);
			this.pump(group);
		}
	}
}
