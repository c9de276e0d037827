/**
 * The channels Redis Streams adapter, with what the durable-channels middleware needs from a
 * transport and the stock adapter does not give:
 *
 * - a delivery number on every message (`deliveries`, this one included), so that a message whose
 *   handler crashes its process or hangs is dead-lettered after a bounded number of deliveries
 *   instead of taking the nodes down once a minute for the adapter's thousand;
 * - `working()`, which resets the message's idle time, so that a message waiting in its retry
 *   backoff is not claimed by another node behind our back (JetStream's "in progress");
 * - refusing (not dropping) a publish while it stops;
 * - an auto-pipelined publishing client: a webhook publishes two events, and concurrent webhooks
 *   publish at once, so their XADDs share one write to Redis instead of one system call each;
 * - `entryFor`: the stream entry a publish would append, for a caller that appends it in the same
 *   atomic step as its own writes (the store's `appendOnce`, on the same server: `serves`);
 * - retention: a stream keeps every entry, acknowledged or not, until it is trimmed, and neither
 *   the stock adapter nor a consumer group trims; a channel with no consumer at all (the
 *   `store.whatsapp.message.received` record) would hold every message ever published. Each node
 *   trims the streams it publishes to or reads to the age JetStream keeps (`max_age`), off the hot
 *   path, on a timer: appending with a trim would cost every webhook for what a minute's sweep does.
 */
import { Adapters } from "@moleculer/channels";
import { Serializers } from "moleculer";
import type { StreamEntry } from "../store/store";
import { assertCanPublish } from "./unavailable";

interface RedisClient {
	options: { enableAutoPipelining?: boolean };
	xtrim(stream: string, strategy: "MINID", threshold: string): Promise<number>;
	/** Extended form: `[id, consumer, idle ms, times delivered][]`. */
	xpending(stream: string, group: string, start: string, end: string, count: number): Promise<[string, string, number, number][]>;
	xclaim(stream: string, group: string, consumer: string, minIdleMs: number, id: string, justId: "JUSTID"): Promise<unknown>;
}

interface RedisChan {
	id: string;
	name: string;
	group: string;
	handler: (payload: unknown, raw: object) => Promise<unknown>;
}

/** A batch as the adapter hands it on: XREADGROUP's `[[stream, entries]]` or XAUTOCLAIM's `[[cursor, entries, deleted]]`. */
type Batch = [[Buffer | string, [Buffer | string, unknown][]]];

/** Messages older than `retentionMs` are trimmed from the streams every `trimIntervalMs`. */
export interface RetentionOptions {
	retentionMs: number;
	trimIntervalMs?: number;
}

/** The sweep's period when not given: a small fraction of the retention, at most a minute. */
const MAX_TRIM_INTERVAL_MS = 60_000;

const RedisAdapterBase = Adapters.Redis as unknown as new (opts: object) => {
	stopping?: boolean;
	connected: boolean;
	opts: { redis?: { url?: string } };
	serializer: { serialize(payload: unknown): Buffer };
	addPrefixTopic(channel: string): string;
	pubName: string;
	clients: Map<string, RedisClient>;
	claimName: string;
	logger: { warn(...a: unknown[]): void };
	publish(channel: string, payload: unknown, opts?: object): Promise<void>;
	connect(): Promise<void>;
	disconnect(): Promise<void>;
	subscribe(chan: RedisChan): Promise<void>;
	createRedisClient(name: string, opts: unknown): Promise<RedisClient>;
	processMessage(chan: RedisChan, batch: Batch): Promise<void>;
};

export class RedisChannelAdapter extends RedisAdapterBase {
	/** Every stream this node has published to or reads, by its prefixed name. */
	private readonly streams = new Set<string>();
	private readonly retention: RetentionOptions | null;
	private trimTimer: NodeJS.Timeout | null = null;

	constructor(opts: { retention?: RetentionOptions; [option: string]: unknown }) {
		const { retention, ...rest } = opts;
		super(rest);
		if (retention && !(Number.isSafeInteger(retention.retentionMs) && retention.retentionMs > 0))
			throw new RangeError(`retentionMs must be a positive integer, got ${retention.retentionMs}`);
		this.retention = retention ?? null;
	}

	override async connect(): Promise<void> {
		await super.connect();
		if (!this.retention) return;
		const every = this.retention.trimIntervalMs ?? Math.max(1000, Math.min(MAX_TRIM_INTERVAL_MS, Math.floor(this.retention.retentionMs / 10)));
		this.trimTimer = setInterval(() => void this.trim().catch(err => this.logger.warn(`Could not trim the channel streams: ${(err as Error)?.message ?? err}`)), every);
		this.trimTimer.unref();
	}

	override async disconnect(): Promise<void> {
		if (this.trimTimer) clearInterval(this.trimTimer);
		this.trimTimer = null;
		return super.disconnect();
	}

	override async subscribe(chan: RedisChan): Promise<void> {
		this.streams.add(chan.name);
		return super.subscribe(chan);
	}

	override async publish(channel: string, payload: unknown, opts?: object): Promise<void> {
		assertCanPublish(this, channel);
		this.streams.add(channel);
		return super.publish(channel, payload, opts);
	}

	/**
	 * Drops the entries older than the retention from every stream this node knows; returns how many.
	 * Stream ids are their append times in milliseconds, so MINID cuts by age. Exact, not `~`: a
	 * sweep a minute evicts the same entries either way, and exact keeps the promise to the millisecond.
	 * A node that never touched a stream leaves it to the nodes that do; several trimming at once agree.
	 */
	async trim(now = Date.now()): Promise<number> {
		const client = this.clients.get(this.claimName);
		if (!this.retention || !client || !this.connected) return 0;
		const threshold = String(Math.max(0, now - this.retention.retentionMs));
		let trimmed = 0;
		for (const stream of this.streams) trimmed += await client.xtrim(stream, "MINID", threshold);
		return trimmed;
	}

	/** What `publish` appends for `payload` on `channel` (the unprefixed name, as `sendToChannel` takes it). */
	entryFor(channel: string, payload: unknown): StreamEntry {
		const stream = this.addPrefixTopic(channel);
		assertCanPublish(this, stream);
		this.streams.add(stream);
		// The JSON serializer's bytes as a string: a command of strings is written without the
		// buffer copies ioredis makes for Buffer arguments.
		const data = this.serializer instanceof Serializers.JSON ? JSON.stringify(payload) : this.serializer.serialize(payload);
		return { stream, fields: ["payload", data] };
	}

	/** Whether the streams live on the Redis server at `url`. */
	serves(url: string): boolean {
		return this.opts.redis?.url === url;
	}

	override async createRedisClient(name: string, opts: unknown): Promise<RedisClient> {
		const client = await super.createRedisClient(name, opts);
		// ioredis reads this option on every command; only the publisher's commands are independent.
		if (name === this.pubName) client.options.enableAutoPipelining = true;
		return client;
	}

	override async processMessage(chan: RedisChan, batch: Batch): Promise<void> {
		const [head, entries] = batch[0];
		const ids = entries.map(e => String(e[0]));
		// XREADGROUP's ">" hands out only messages never delivered before: the first delivery, no
		// round trip. A claimed batch (the first element is XAUTOCLAIM's cursor, not the stream) is
		// asked for its counts: XAUTOCLAIM has already counted this delivery.
		const claimed = String(head) !== chan.name;
		const deliveries = claimed ? await this.deliveries(chan, ids) : ids.map(() => 1);
		const pub = this.clients.get(this.pubName)!;
		// The stock processMessage calls the handler once per entry, in order, before its first
		// await: swapped in and back synchronously, the wrapper sees exactly this batch's messages.
		const handler = chan.handler;
		let i = 0;
		chan.handler = (payload, raw) => {
			const n = i++;
			const id = ids[n]!;
			return handler(payload, {
				...raw,
				deliveries: deliveries[n],
				// JUSTID: the idle time restarts and the delivery count stays as it is.
				working: () => void pub.xclaim(chan.name, chan.group, chan.id, 0, id, "JUSTID").catch(() => undefined)
			});
		};
		try {
			return super.processMessage(chan, batch);
		} finally {
			chan.handler = handler;
		}
	}

	/** Times delivered, per id; 1 for one no longer pending (acknowledged meanwhile: it will be skipped). */
	private async deliveries(chan: RedisChan, ids: string[]): Promise<number[]> {
		const pub = this.clients.get(this.pubName)!;
		return Promise.all(
			ids.map(async id => {
				const [entry] = await pub.xpending(chan.name, chan.group, id, id, 1).catch(() => []);
				return entry ? Number(entry[3]) : 1;
			})
		);
	}
}
