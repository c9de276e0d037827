/**
 * One writer per conversation with two nodes of the same seller over real NATS (JetStream
 * channels) and Redis: a burst for one conversation, delivered out of order across both nodes, gets
 * exactly one reply per turn, every message answered once, in timestamp order.
 */
import assert from "node:assert/strict";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import { EventTypes, type ChatMessageNewV1, type CloudEvent, type WhatsappMessageSendV1 } from "../../contracts/events";
import AiSellerFashion from "../../services/ai-seller-fashion.service";
import CatalogService from "../../services/catalog.service";
import { readConversationRecord } from "../../services/ai-seller/host";
import { readTranscript } from "../../adapters/transcript";
import { publishEvent } from "../../mixins/events.mixin";
import { infra } from "../helpers/infra";
import { startBroker, testNamespace } from "../helpers/broker";
import { waitFor } from "../helpers/wait";

function sendsProbe() {
	const sends: WhatsappMessageSendV1[] = [];
	const schema: ServiceSchema = {
		name: "sends-probe",
		channels: {
			[EventTypes.WhatsappMessageSend]: { group: "sends-probe", handler: async (e: CloudEvent<WhatsappMessageSendV1>) => void sends.push(e.data) },
			// A JetStream subject needs a consumer's stream before anyone can publish to it.
			[EventTypes.ChatResponse]: { group: "sends-probe", handler: async () => undefined }
		}
	};
	return { schema, sends };
}

describe("ai-seller on two nodes over NATS and Redis: one writer per conversation", function () {
	this.timeout(60_000);
	let nodes: ServiceBroker[] = [];
	afterEach(async () => {
		await Promise.all(nodes.map(n => n.stop()));
		nodes = [];
	});

	async function cluster(extra: Record<string, string>) {
		const { natsUrl, redisUrl } = await infra();
		const env = { TRANSPORTER: natsUrl, REDIS_URL: redisUrl, NAMESPACE: testNamespace(), ...extra };
		const probe = sendsProbe();
		// One after the other: two nodes creating the same JetStream consumer at once may collide.
		// The catalog answers the turns' searches: a missing one is an outage the sellers wait out.
		nodes.push(await startBroker({ env, nodeID: "seller-a", services: [AiSellerFashion, CatalogService, probe.schema] }));
		nodes.push(await startBroker({ env, nodeID: "seller-b", services: [AiSellerFashion] }));
		return { probe, a: nodes[0]!, b: nodes[1]! };
	}

	const waId = "15550003333";
	const id = `fashion:${waId}`;
	let n = 0;
	const chat = (text: string, receivedAt: number): ChatMessageNewV1 => ({
		conversationId: id, brand: "fashion", waId, messageId: `wamid.CLUSTER${++n}`, phoneNumberId: "100000000000001", kind: "text", text, receivedAt
	});
	const record = async (broker: ServiceBroker) => (await readConversationRecord(broker.store, id))!.value;

	it("a burst delivered out of order within the window is one turn, its messages in timestamp order", async () => {
		const { probe, a, b } = await cluster({ AI_COALESCE_MS: "1500" });
		const t = Date.now();
		const burst = [chat("thanks", t + 2000), chat("hello", t), chat("how are you?", t + 1000)];
		// Published from both nodes, newest first: each node's consumer may take any of them.
		await Promise.all(burst.map((m, i) => publishEvent(i % 2 ? b : a, "/test", EventTypes.ChatMessageNew, m)));
		await waitFor(() => probe.sends.length === 1, { timeoutMs: 15_000 });
		await waitFor(async () => (await record(a)).snapshot.context.handled.length === 3);
		assert.equal((await record(a)).snapshot.context.turn, 1, "one turn for the burst");
		const lines = await readTranscript(a.store, id);
		assert.deepEqual(lines.filter(l => l.from === "customer").map(l => l.text), ["hello", "how are you?", "thanks"], "in timestamp order");
		assert.equal(lines.filter(l => l.from === "ai").length, 1);

		// The next message is the next turn, and nothing of the burst is answered again.
		await publishEvent(b, "/test", EventTypes.ChatMessageNew, chat("bye", Date.now()));
		await waitFor(() => probe.sends.length === 2, { timeoutMs: 15_000 });
		assert.deepEqual(probe.sends.map(s => s.idempotencyKey), [`${id}:1:0`, `${id}:2:0`]);
	});

	it("without a window, every turn of a burst gets exactly one reply and every message is answered once", async () => {
		const { probe, a, b } = await cluster({ AI_COALESCE_MS: "0" });
		const t = Date.now();
		const burst = [5, 1, 4, 2, 3].map(i => chat(`message number ${i}`, t + i * 1000));
		await Promise.all(burst.map((m, i) => publishEvent(i % 2 ? b : a, "/test", EventTypes.ChatMessageNew, m)));
		await waitFor(async () => (await record(a)).snapshot.context.handled.length === 5, { timeoutMs: 15_000 });
		const { turn } = (await record(a)).snapshot.context;
		await waitFor(() => probe.sends.length >= turn, { timeoutMs: 15_000 });
		const keys = probe.sends.map(s => s.idempotencyKey).sort();
		assert.deepEqual(keys, Array.from({ length: turn }, (_, i) => `${id}:${i + 1}:0`).sort(), "one reply per turn, none twice");
		const customer = (await readTranscript(a.store, id)).filter(l => l.from === "customer");
		assert.equal(customer.length, 5, "each message once in the transcript");
		assert.deepEqual(new Set(customer.map(l => l.id)), new Set(burst.map(m => m.messageId)));
	});
});
