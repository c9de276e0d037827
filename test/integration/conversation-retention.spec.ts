/**
 * Conversation data is not kept long term (seed 002): a conversation's record, transcript, index
 * entry, escalations and the customer's catalog history leave the store CONVERSATION_RETENTION_DAYS
 * after its last activity, and nothing that names the customer is kept for good.
 */
import assert from "node:assert/strict";
import Redis from "ioredis";
import type { LoggerInstance, ServiceBroker } from "moleculer";
import { MemoryStore } from "../../adapters/store";
import { readTranscript, transcriptKey } from "../../adapters/transcript";
import { createOfflineBrain } from "../../agents/offline-brain";
import { DAY_MS } from "../../config";
import { createEvent, EventTypes, type ChatMessageNewV1, type WhatsappMessageSendV1 } from "../../contracts/events";
import type { EscalationView } from "../../contracts/sales-assistant";
import AiSellerFashion from "../../services/ai-seller-fashion.service";
import { ConversationHost, conversationKey, type ConversationRecord, readConversationRecord } from "../../services/ai-seller/host";
import CatalogService from "../../services/catalog.service";
import OrdersService from "../../services/orders.service";
import { createSalesAssistantService } from "../../services/sales-assistant.service";
import { escalationKey } from "../../services/sales-assistant/escalations";
import { CUSTOMER, msg, nowSeconds, withMessages } from "../fixtures/whatsapp";
import { testNamespace } from "../helpers/broker";
import { infra } from "../helpers/infra";
import { salesProbe, TestClock } from "../helpers/sales";
import { waitFor } from "../helpers/wait";
import { postWebhook, startGateway } from "../helpers/whatsapp";

const quiet = { info() {}, warn() {}, debug() {}, error() {}, trace() {}, fatal() {} } as unknown as LoggerInstance;
const noTools = { call: async () => { throw new Error("no tools in this test"); } } as unknown as ServiceBroker;

describe("conversation data retention", function () {
	this.timeout(30_000);

	describe("a conversation's data lives for the retention after its last step (memory store, simulated days)", () => {
		const WA = "15550006101";
		const conversationId = `fashion:${WA}`;
		let seq = 0;
		const clock = new TestClock(Date.UTC(2026, 10, 1, 12));
		const chat = (text: string) => {
			const messageId = `wamid.RET${++seq}`;
			const data: ChatMessageNewV1 = { conversationId, brand: "fashion", waId: WA, messageId, phoneNumberId: "100000000000001", kind: "text", text, receivedAt: clock.now() };
			return createEvent(EventTypes.ChatMessageNew, data, { source: "/test", id: `chat:${messageId}`, time: new Date(clock.now()) });
		};
		const store = new MemoryStore({ now: clock.now });
		const sends: WhatsappMessageSendV1[] = [];
		const host = new ConversationHost({
			brand: "fashion",
			broker: noTools,
			store,
			logger: quiet,
			model: createOfflineBrain(),
			now: clock.now,
			retentionMs: 10 * DAY_MS,
			publish: async (type, data) => {
				if (type === EventTypes.WhatsappMessageSend) sends.push(data as WhatsappMessageSendV1);
				return undefined as never;
			}
		});
		const listed = async () => (await host.list({ limit: 10, offset: 0 })).items.map(r => r.snapshot.context.conversationId);

		it("keeps it while the customer comes back within the retention, counted from the latest message", async () => {
			await host.onChatMessage(chat("hi"));
			assert.deepEqual(await listed(), [conversationId]);
			clock.advance(8 * DAY_MS);
			await host.onChatMessage(chat("hello again"));
			// 15 days after the first message, 7 after the latest: all of it is still there.
			clock.advance(7 * DAY_MS);
			const lines = await readTranscript(store, conversationId);
			assert.deepEqual(lines.filter(l => l.from === "customer").map(l => l.text), ["hi", "hello again"]);
			assert.ok(await host.get(conversationId), "the record is kept");
			assert.deepEqual(await listed(), [conversationId], "listed under the day of its latest step");
		});

		it("drops the record, the transcript and the listing once the retention has passed, and starts afresh", async () => {
			clock.advance(3 * DAY_MS + 1);
			assert.equal(await host.get(conversationId), null, "the record is gone");
			assert.deepEqual(await readTranscript(store, conversationId), [], "the transcript is gone");
			assert.deepEqual(await listed(), [], "no longer listed");
			const before = sends.length;
			await host.onChatMessage(chat("hi there"));
			const record = (await host.get(conversationId)) as ConversationRecord;
			assert.equal(record.snapshot.context.turn, 1, "a new conversation: its first turn");
			assert.deepEqual((await readTranscript(store, conversationId)).filter(l => l.from === "customer").map(l => l.text), ["hi there"]);
			assert.ok(sends.length > before, "the customer is answered");
			assert.deepEqual(await listed(), [conversationId]);
		});
	});

	describe("after a hand-over to a person and back, over Redis", () => {
		const RETENTION_DAYS = 3;
		let broker: ServiceBroker;
		let url: string;
		let raw: Redis;
		let ns: string;
		const probe = salesProbe();
		const clock = new TestClock();
		const conversationId = `fashion:${CUSTOMER}`;
		const text = (body: string) => msg("text", { text: { body } }, { from: CUSTOMER, timestamp: nowSeconds() });
		const call = <T>(action: string, params: object) => broker.call<T, object>(`sales-assistant.${action}`, params);
		const state = async () => (await readConversationRecord(broker.store, conversationId))?.value.snapshot.value;

		before(async () => {
			const { redisUrl } = await infra();
			ns = testNamespace();
			raw = new Redis(redisUrl);
			const g = await startGateway({
				withProbe: false,
				env: { REDIS_URL: redisUrl, NAMESPACE: ns, CONVERSATION_RETENTION_DAYS: String(RETENTION_DAYS), ESCALATION_SWEEP_MS: "20", SELLER_PRESENCE_TTL_MS: "3600000" },
				services: [CatalogService, OrdersService, AiSellerFashion, createSalesAssistantService({ now: clock.now }), probe.schema]
			});
			broker = g.broker;
			url = g.url;
		});
		after(async () => {
			await broker?.stop();
			raw?.disconnect();
		});

		it("keeps nothing that names the customer for good, and the conversation's data for the retention", async () => {
			await postWebhook(url, withMessages(text("do you have a black jacket?")));
			await waitFor(async () => (await broker.call<unknown[], object>("whatsapp.outbox", { to: CUSTOMER })).length > 0, { message: "the search answered" });
			await postWebhook(url, withMessages(text("tell me more about the first one")));
			await waitFor(async () => (await raw.exists(`${ns}:catalog:viewed:${CUSTOMER}`)) === 1, { message: "the product's details seen" });
			await postWebhook(url, withMessages(text("I want to talk to a human please")));
			const queued = await waitFor(async () => (await call<EscalationView[]>("queue", { brand: "fashion" })).find(e => e.conversationId === conversationId), { message: "escalation queued" });
			await call("presence", { nodeId: "console-1", sellers: { ana: 1 } });
			await waitFor(async () => (await call<EscalationView>("get", { id: queued.id })).offeredTo === "ana");
			await call("accept", { escalationId: queued.id, sellerId: "ana" });
			await waitFor(async () => (await state()) === "human", { message: "conversation in human mode" });
			await call("reply", { conversationId, sellerId: "ana", text: "Hi! Ana here.", clientId: "r1" });
			await call("resolve", { conversationId, sellerId: "ana", to: "ai" });
			await waitFor(async () => ["browsing", "cart"].includes(String(await state())), { message: "handed back to the AI" });

			const keys: string[] = [];
			let cursor = "0";
			do {
				const [next, batch] = await raw.scan(cursor, "MATCH", `${ns}:*`, "COUNT", 1000);
				cursor = next;
				keys.push(...batch);
			} while (cursor !== "0");
			const personal = keys.filter(k => k.includes(CUSTOMER) || k.includes(queued.id));
			const ttls = new Map(await Promise.all(personal.map(async k => [k.slice(ns.length + 1), await raw.pttl(k)] as const)));
			// -1 is kept for good; -2 is a key gone since the scan (a send's claim, released as it finished).
			const forGood = [...ttls].filter(([, ttl]) => ttl === -1).map(([k]) => k);
			assert.deepEqual(forGood, [], "every key naming the customer or their escalation expires");

			const retention = RETENTION_DAYS * DAY_MS;
			const conversationData = [conversationKey(conversationId), transcriptKey(conversationId), escalationKey(queued.id), `catalog:viewed:${CUSTOMER}`];
			for (const key of conversationData) {
				const ttl = ttls.get(key);
				assert.ok(ttl !== undefined, `${key} was written`);
				assert.ok(ttl <= retention && ttl > retention - 60_000, `${key} lives for the retention (${ttl} ms left)`);
			}
			const index = await raw.keys(`${ns}:conv:index:fashion:*`);
			assert.equal(index.length, 1, "one index list: today's");
			const indexTtl = await raw.pttl(index[0]!);
			assert.ok(indexTtl > retention && indexTtl <= retention + DAY_MS, "the index outlives its conversations by a day at most");
		});
	});
});
