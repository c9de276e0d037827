/**
 * How long the durable channels keep a message (CHANNEL_RETENTION_HOURS). Redis Streams keep every
 * entry, acknowledged or not, until someone trims them: each node trims the streams it publishes to
 * or reads, by age. JetStream streams carry it as max_age, also when they existed before.
 */
import assert from "node:assert/strict";
import Redis from "ioredis";
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { connect as connectNats } from "nats";
import { createEvent, EventTypes, partitionChannel, type CloudEvent } from "../../contracts/events";
import type { RedisChannelAdapter } from "../../adapters/channels/redis-adapter";
import { createBrokerOptions } from "../../moleculer.config";
import { infra } from "../helpers/infra";
import { probeChannel, startBroker, testConfig, testNamespace } from "../helpers/broker";
import { waitFor } from "../helpers/wait";

const SHIPPED = partitionChannel(EventTypes.OrderShipped, "tech");
/** A channel nothing consumes: only retention ever empties its stream. */
const RECEIVED = EventTypes.WhatsappMessageReceived;
const HOUR = 3_600_000;

const shipped = (n: number) =>
	createEvent(EventTypes.OrderShipped, { orderId: `ord_${n}`, waId: "15551234567", brand: "tech", carrier: "UPS", trackingNumber: `T${n}` }, { source: "/test" });

function consumer(seen: string[]): ServiceSchema {
	return { name: "retention-probe", channels: { [SHIPPED]: probeChannel("retention-probe", async (e: CloudEvent) => void seen.push(e.id)) } };
}

describe("channel retention on Redis Streams", function () {
	this.timeout(30_000);
	let redis: Redis;
	const brokers: ServiceBroker[] = [];
	before(async () => {
		redis = new Redis((await infra()).redisUrl);
	});
	after(async () => {
		await Promise.all(brokers.map(b => b.stop()));
		redis.disconnect();
	});

	it("trims, by age, the streams a node reads, publishes to, or appends to in the store's batches, consumed or not", async () => {
		const namespace = testNamespace();
		const seen: string[] = [];
		const broker = await startBroker({ env: { REDIS_URL: (await infra()).redisUrl, NAMESPACE: namespace, CHANNEL_RETENTION_HOURS: "1" }, services: [consumer(seen)] });
		brokers.push(broker);
		const adapter = (broker as unknown as { channelAdapter: RedisChannelAdapter }).channelAdapter;
		const stream = (channel: string) => `${namespace}.${channel}`;

		await broker.sendToChannel(SHIPPED, shipped(1));
		await broker.sendToChannel(RECEIVED, { not: "read by anyone" });
		// What the gateway appends inside its own store batch: entryFor's stream, written here directly.
		const entry = adapter.entryFor(partitionChannel(EventTypes.ChatMessageNew, "home"), { appended: "by the store" });
		await redis.xadd(entry.stream, "*", ...entry.fields);
		await waitFor(() => seen.length === 1, { message: "the consumer handled its message" });
		const before = Date.now();
		await waitFor(() => Date.now() > before, { message: "the clock moved on" });
		await broker.sendToChannel(SHIPPED, shipped(2));
		await broker.sendToChannel(RECEIVED, { not: "read by anyone either" });
		await waitFor(() => seen.length === 2, { message: "the consumer handled the second message" });

		assert.equal(await adapter.trim(), 0, "nothing is an hour old yet");
		assert.deepEqual([await redis.xlen(stream(SHIPPED)), await redis.xlen(stream(RECEIVED)), await redis.xlen(entry.stream)], [2, 2, 1]);

		// An hour after the first messages: they go, read or not; the later ones stay.
		assert.equal(await adapter.trim(before + 1 + HOUR), 3);
		assert.deepEqual([await redis.xlen(stream(SHIPPED)), await redis.xlen(stream(RECEIVED)), await redis.xlen(entry.stream)], [1, 1, 0]);
		const [[, fields]] = (await redis.xrange(stream(RECEIVED), "-", "+")) as [string, string[]][];
		assert.match(fields[1]!, /read by anyone either/);
		// The consumer group is intact and keeps reading.
		await broker.sendToChannel(SHIPPED, shipped(3));
		await waitFor(() => seen.length === 3, { message: "the consumer handled a message after the trim" });
	});

	it("trims on its own, on a timer, and stops with the broker", async () => {
		const cfg = testConfig({ REDIS_URL: (await infra()).redisUrl, NAMESPACE: testNamespace() });
		// Below the hour CHANNEL_RETENTION_HOURS can say, so that the test sees a sweep within seconds.
		cfg.channels.retentionMs = 100;
		const broker = new ServiceBroker(createBrokerOptions(cfg, { logger: false }));
		await broker.start();
		brokers.push(broker);
		await broker.sendToChannel(RECEIVED, { not: "read by anyone" });
		const key = `${cfg.namespace}.${RECEIVED}`;
		assert.equal(await redis.xlen(key), 1);
		await waitFor(async () => (await redis.xlen(key)) === 0, { timeoutMs: 5000, message: "the sweep trimmed the stream" });
		await broker.stop();
		brokers.splice(brokers.indexOf(broker), 1);
		const adapter = (broker as unknown as { channelAdapter: RedisChannelAdapter }).channelAdapter;
		assert.equal(await adapter.trim(Date.now() + HOUR), 0, "a stopped adapter trims nothing");
	});
});

describe("channel retention on NATS JetStream", function () {
	this.timeout(30_000);

	it("is the streams' max_age, also for a stream that existed with another one", async () => {
		const { natsUrl } = await infra();
		const namespace = testNamespace();
		const seen: string[] = [];
		const first = await startBroker({ env: { TRANSPORTER: natsUrl, NAMESPACE: namespace, CHANNEL_RETENTION_HOURS: "24" }, services: [consumer(seen)] });
		const nc = await connectNats({ servers: natsUrl });
		try {
			const jsm = await nc.jetstreamManager();
			const name = `${namespace}.${SHIPPED}`.split(".").join("_");
			assert.equal((await jsm.streams.info(name)).config.max_age, 24 * HOUR * 1e6);
			await first.stop();
			const second = await startBroker({ env: { TRANSPORTER: natsUrl, NAMESPACE: namespace, CHANNEL_RETENTION_HOURS: "48" }, services: [consumer(seen)] });
			try {
				assert.equal((await jsm.streams.info(name)).config.max_age, 48 * HOUR * 1e6);
				// The stream and its consumer still work.
				await second.sendToChannel(SHIPPED, shipped(1));
				await waitFor(() => seen.length === 1, { message: "the consumer handled a message on the updated stream" });
			} finally {
				await second.stop();
			}
		} finally {
			await nc.close();
		}
	});
});
