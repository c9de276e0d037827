/**
 * The gateway where the durable channels are Redis Streams on the store's server (REDIS_URL, no
 * TRANSPORTER): a message's events are appended and its id marked in one store step, so at the
 * 200 it is already `done`, and a failed append leaves nothing marked.
 */
import assert from "node:assert/strict";
import Redis from "ioredis";
import type { ServiceBroker } from "moleculer";
import { EventTypes, type WhatsappMessageReceivedV1 } from "../../contracts/events";
import { msg, nowSeconds, shapes, withMessages } from "../fixtures/whatsapp";
import { infra } from "../helpers/infra";
import { testNamespace } from "../helpers/broker";
import { postWebhook, startGateway, type Recorded } from "../helpers/whatsapp";
import { waitFor } from "../helpers/wait";

describe("WhatsApp accept on Redis Streams (one store step per message)", function () {
	this.timeout(30_000);
	let broker: ServiceBroker;
	let seen: Recorded;
	let url: string;
	let raw: Redis;
	let ns: string;

	before(async () => {
		const { redisUrl } = await infra();
		ns = testNamespace();
		({ broker, seen, url } = await startGateway({ env: { REDIS_URL: redisUrl, NAMESPACE: ns } }));
		raw = new Redis(redisUrl);
	});
	after(async () => {
		await broker.stop();
		raw.disconnect();
	});

	const count = (type: string, id: string) => seen[type].filter(e => (e.data as WhatsappMessageReceivedV1).messageId === id).length;
	const mark = (id: string) => `${ns}:wa:in:${id}`;

	it("answers 200 with the message already marked done, its events on the streams once", async () => {
		const m = msg("text", { text: { body: "Is the store open?" } }, { timestamp: nowSeconds() });
		const res = await postWebhook(url, withMessages(m));
		assert.deepEqual(await res.json(), { received: 1, duplicates: 0, statuses: 0, dropped: 0 });
		// Nothing is left to write after the answer: no `pending` claim waiting for a later mark.
		assert.equal(await raw.get(mark(m.id as string)), '"done"');
		assert.ok((await raw.pttl(mark(m.id as string))) > 6 * 24 * 3600 * 1000, "kept for Meta's 7 days of retries");
		await waitFor(() => count(EventTypes.WhatsappMessageReceived, m.id as string) === 1 && count(EventTypes.ChatMessageNew, m.id as string) === 1);
		// The customer's window opened in the same step.
		const window = (await broker.call("whatsapp.window", { waId: m.from as string, brand: "fashion" })) as { open: boolean; lastInboundAt: number };
		assert.deepEqual([window.open, window.lastInboundAt], [true, Number(m.timestamp) * 1000]);
		const sent = broker.metrics.getMetric("moleculer.channels.messages.sent")!;
		assert.ok((sent.get({ channel: EventTypes.WhatsappMessageReceived })?.value as number) >= 1, "counted as sent, as sendToChannel counts");
	});

	it("accepts one of twenty concurrent deliveries of a message; the rest are duplicates", async () => {
		const m = shapes.text();
		const bodies = (await Promise.all(Array.from({ length: 20 }, () => postWebhook(url, withMessages(m)).then(r => r.json())))) as { received: number; duplicates: number }[];
		assert.equal(bodies.reduce((n, b) => n + b.received, 0), 1);
		assert.equal(bodies.reduce((n, b) => n + b.duplicates, 0), 19);
		await waitFor(() => count(EventTypes.WhatsappMessageReceived, m.id as string) === 1);
		const again = await postWebhook(url, withMessages(m));
		assert.deepEqual(await again.json(), { received: 0, duplicates: 1, statuses: 0, dropped: 0 });
		await waitFor(() => count(EventTypes.ChatMessageNew, m.id as string) === 1);
	});

	it("answers non-200 and marks nothing when the append fails; Meta's retry is then accepted", async () => {
		const stream = `${ns}.${EventTypes.WhatsappMessageReceived}`;
		const aside = `${stream}.aside`;
		// The stream swapped for a plain string (its consumer groups go aside with it): XADD fails.
		await raw.rename(stream, aside);
		await raw.set(stream, "not a stream");
		const m = shapes.text();
		try {
			const res = await postWebhook(url, withMessages(m));
			assert.ok(res.status >= 500, `status ${res.status}`);
			assert.equal(await raw.exists(mark(m.id as string)), 0, "not marked: the retry is not a duplicate");
		} finally {
			await raw.del(stream);
			await raw.rename(aside, stream);
		}
		const retry = await postWebhook(url, withMessages(m));
		assert.deepEqual(await retry.json(), { received: 1, duplicates: 0, statuses: 0, dropped: 0 });
		await waitFor(() => count(EventTypes.WhatsappMessageReceived, m.id as string) === 1 && count(EventTypes.ChatMessageNew, m.id as string) === 1);
	});

	it("waits for a delivery that holds a pending claim (a node on the claim-then-publish path), then takes over", async () => {
		const m = shapes.text();
		await raw.set(mark(m.id as string), '"pending"', "PX", 30_000);
		const busy = await postWebhook(url, withMessages(m));
		assert.equal(busy.status, 503, "Meta retries");
		assert.equal(count(EventTypes.WhatsappMessageReceived, m.id as string), 0);
		// The other delivery gave up (its claim released): the retry publishes, once.
		await raw.del(mark(m.id as string));
		const retry = await postWebhook(url, withMessages(m));
		assert.deepEqual(await retry.json(), { received: 1, duplicates: 0, statuses: 0, dropped: 0 });
		await waitFor(() => count(EventTypes.WhatsappMessageReceived, m.id as string) === 1);
	});
});
