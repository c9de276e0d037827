import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import { EventTypes, type WhatsappMessageReceivedV1 } from "../../contracts/events";
import { shapes, withMessages } from "../fixtures/whatsapp";
import { infra } from "../helpers/infra";
import { startBroker, testNamespace } from "../helpers/broker";
import { APP_SECRET, baseUrl, postWebhook, startGateway, type Recorded } from "../helpers/whatsapp";
import ApiService from "../../gateway/api.service";
import { waitFor } from "../helpers/wait";

describe("WhatsApp idempotency across gateway nodes (NATS + Redis)", function () {
	this.timeout(60_000);
	const brokers: ServiceBroker[] = [];
	let seen: Recorded;
	let urlA: string;
	let urlB: string;
	let env: Record<string, string>;

	before(async () => {
		const { natsUrl, redisUrl } = await infra();
		env = { TRANSPORTER: natsUrl, REDIS_URL: redisUrl, NAMESPACE: testNamespace() };
		const a = await startGateway({ env, nodeID: "gw-a" });
		const b = await startGateway({ env, nodeID: "gw-b", withProbe: false });
		brokers.push(a.broker, b.broker);
		({ seen, url: urlA } = a);
		urlB = b.url;
	});
	after(async () => {
		for (const b of brokers.reverse()) await b.stop();
	});

	const count = (id: string) => seen[EventTypes.WhatsappMessageReceived].filter(e => (e.data as WhatsappMessageReceivedV1).messageId === id).length;

	it("publishes a message delivered to two nodes at once, and again later, exactly once", async () => {
		const m = shapes.text();
		const [r1, r2] = await Promise.all([postWebhook(urlA, withMessages(m)), postWebhook(urlB, withMessages(m))]);
		assert.deepEqual([r1.status, r2.status].sort(), [200, 200]);
		const bodies = [await r1.json(), await r2.json()] as { received: number; duplicates: number }[];
		assert.equal(bodies.reduce((n, b) => n + b.received, 0), 1);
		assert.equal(bodies.reduce((n, b) => n + b.duplicates, 0), 1);
		const again = await postWebhook(urlB, withMessages(m));
		assert.deepEqual(await again.json(), { received: 0, duplicates: 1, statuses: 0, dropped: 0 });
		await waitFor(() => count(m.id as string) === 1);
		await waitFor(() => seen[EventTypes.ChatMessageNew].filter(e => (e.data as { messageId: string }).messageId === m.id).length === 1);
	});

	it("hands a webhook from a node without the whatsapp service to one that has it", async () => {
		const api = await startBroker({ env: { ...env, WHATSAPP_APP_SECRET: APP_SECRET }, nodeID: "gw-api", services: [ApiService] });
		brokers.push(api);
		await api.waitForServices(["whatsapp"]);
		const m = shapes.text();
		const res = await postWebhook(baseUrl(api), withMessages(m));
		assert.deepEqual(await res.json(), { received: 1, duplicates: 0, statuses: 0, dropped: 0 });
		await waitFor(() => count(m.id as string) === 1);
		assert.deepEqual(await (await postWebhook(urlA, withMessages(m))).json(), { received: 0, duplicates: 1, statuses: 0, dropped: 0 });
	});

	it("still knows the message after a node restarts (Redis holds the marks)", async () => {
		const m = shapes.text();
		assert.equal((await postWebhook(urlB, withMessages(m))).status, 200);
		await brokers[1].stop();
		const b2 = await startGateway({ env, nodeID: "gw-b2", withProbe: false });
		brokers[1] = b2.broker;
		const res = await postWebhook(b2.url, withMessages(m));
		assert.deepEqual(await res.json(), { received: 0, duplicates: 1, statuses: 0, dropped: 0 });
		await waitFor(() => count(m.id as string) === 1);
	});
});
