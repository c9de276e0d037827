/**
 * What WhatsApp delivery does to a conversation, end to end through signed webhooks, the gateway
 * (sandbox) and the AI sellers on Redis: duplicates, out-of-order timestamps, bursts, a restart
 * between two messages, and conversations stored by older (and newer) versions of the code.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { ServiceBroker } from "moleculer";
import { readTranscript } from "../../adapters/transcript";
import { DeadLetters } from "../../adapters/dead-letters";
import { createEvent, EventTypes, partitionChannel, sendLaneKey, type ChatMessageNewV1 } from "../../contracts/events";
import CatalogService from "../../services/catalog.service";
import OrdersService from "../../services/orders.service";
import AiSellerFashion from "../../services/ai-seller-fashion.service";
import AiSellerTech from "../../services/ai-seller-tech.service";
import AiSellerHome from "../../services/ai-seller-home.service";
import AiSellerBeauty from "../../services/ai-seller-beauty.service";
import AiSellerGaming from "../../services/ai-seller-gaming.service";
import { conversationKey, readConversationRecord } from "../../services/ai-seller/host";
import { infra } from "../helpers/infra";
import { testNamespace } from "../helpers/broker";
import { startGateway } from "../helpers/whatsapp";
import { waitFor } from "../helpers/wait";
import { customer, outbox, stored } from "../helpers/ai-seller";

const fixture = (name: string) => JSON.parse(readFileSync(path.join(__dirname, "..", "fixtures", "conversation", name), "utf8"));
const SELLERS = [CatalogService, OrdersService, AiSellerFashion, AiSellerTech, AiSellerHome, AiSellerBeauty, AiSellerGaming];
const NUMBER: Record<string, string> = { fashion: "100000000000001", tech: "100000000000002", home: "100000000000003", beauty: "100000000000004", gaming: "100000000000005" };
const seconds = (ms: number) => Math.floor(ms / 1000);

describe("AI seller under real WhatsApp delivery: duplicates, order, bursts, restarts, old snapshots", function () {
	this.timeout(60_000);
	let env: Record<string, string>;
	let broker: ServiceBroker;
	let url: string;

	const start = async (extra: Record<string, string> = {}) => {
		const g = await startGateway({ env: { ...env, ...extra }, withProbe: false, services: SELLERS });
		broker = g.broker;
		url = g.url;
	};
	const transcriptOf = (id: string) => readTranscript(broker.store, id);

	before(async () => {
		const { redisUrl } = await infra();
		env = { REDIS_URL: redisUrl, NAMESPACE: testNamespace(), AI_COALESCE_MS: "0" };
	});
	afterEach(() => broker?.stop());

	it("the same message delivered twice, also concurrently, is answered once", async () => {
		await start();
		const c = customer("15550101001");
		const m = c.text("hello there");
		await Promise.all([c.post(url, m), c.post(url, m)]);
		await c.post(url, m);
		// A later message proves the duplicates were processed before it.
		const next = c.text("do you have sneakers?");
		await c.post(url, next);
		// The file's first turns run on a cold process (catalog load, first compile): a longer deadline under a loaded machine.
		await waitFor(async () => (await stored(broker, "fashion:15550101001"))?.context.handled.includes(next.id) ?? false, { timeoutMs: 15_000 });
		await waitFor(async () => (await outbox(url, c.waId)).length >= 2, { timeoutMs: 15_000 });
		const box = await outbox(url, c.waId);
		assert.deepEqual(box.map(e => e.idempotencyKey), ["fashion:15550101001:1:0", "fashion:15550101001:2:0"]);
		const lines = (await transcriptOf("fashion:15550101001")).filter(l => l.from === "customer");
		assert.deepEqual(lines.map(l => l.id), [m.id, next.id], "each message once in the transcript");
		// Each reply was numbered on the customer's send lane as it was published, and sent in turn.
		await waitFor(async () => (await broker.store.laneDoneOf(sendLaneKey("fashion", c.waId))) === 2, { message: "both replies done on the lane" });
	});

	it("an older message arriving after a newer one, within the window: one reply, answered in timestamp order", async () => {
		await start({ AI_COALESCE_MS: "700" });
		const c = customer("15550101002");
		const now = Date.now();
		const newer = c.text("and in black?", { timestamp: seconds(now) });
		const older = c.text("hi, I'm looking for a jacket", { timestamp: seconds(now) - 5 });
		await c.post(url, newer);
		await c.post(url, older);
		const id = "fashion:15550101002";
		await waitFor(async () => {
			const r = await stored(broker, id);
			return !!r && r.context.handled.includes(newer.id) && r.context.handled.includes(older.id);
		});
		await waitFor(async () => (await outbox(url, c.waId)).length >= 1);
		const r = (await stored(broker, id))!;
		assert.equal(r.context.turn, 1, "both messages answered in one turn");
		assert.deepEqual(r.context.handled, [older.id, newer.id], "handled in timestamp order");
		const lines = await transcriptOf(id);
		assert.deepEqual(lines.filter(l => l.from === "customer").map(l => l.id), [older.id, newer.id]);
		assert.equal(lines.filter(l => l.from === "ai").length, 1);
		// Nothing else arrives for that turn.
		await c.post(url, c.text("thanks"));
		await waitFor(async () => (await outbox(url, c.waId)).length >= 2);
		assert.deepEqual((await outbox(url, c.waId)).map(e => e.idempotencyKey), [`${id}:1:0`, `${id}:2:0`]);
	});

	it("a broken chat message, or one on another brand's channel, is dead-lettered by the seller whose channel it came on; never dropped", async () => {
		await start();
		const good: ChatMessageNewV1 = { conversationId: "tech:15550101009", brand: "tech", waId: "15550101009", messageId: "wamid.BROKEN1", phoneNumberId: NUMBER.tech!, kind: "text", text: "hi", receivedAt: Date.now() };
		const broken = { ...createEvent(EventTypes.ChatMessageNew, good, { source: "/test", id: "broken-for-tech" }), data: { brand: "tech", text: "hi" } };
		const fashions = createEvent(EventTypes.ChatMessageNew, { ...good, conversationId: "fashion:15550101009", brand: "fashion", phoneNumberId: NUMBER.fashion! }, { source: "/test", id: "fashion-on-tech" });
		const techChannel = partitionChannel(EventTypes.ChatMessageNew, "tech");
		await broker.sendToChannel(techChannel, broken);
		await broker.sendToChannel(techChannel, fashions);
		const lettersOf = async (eventId: string) => (await new DeadLetters(broker.store).list({ limit: 500 })).items.filter(d => d.eventId === eventId);
		await waitFor(async () => (await lettersOf("broken-for-tech")).length === 1 && (await lettersOf("fashion-on-tech")).length === 1, { timeoutMs: 10_000 });
		assert.deepEqual((await lettersOf("broken-for-tech")).map(d => [d.group, d.channel]), [["ai-seller-tech", techChannel]]);
		const [misrouted] = await lettersOf("fashion-on-tech");
		assert.equal(misrouted.group, "ai-seller-tech");
		assert.match(misrouted.error.message, /does not belong on channel 'store\.chat\.message\.new\.tech'/);
		assert.equal(await broker.store.get(conversationKey("fashion:15550101009")), null, "no seller acted on the misrouted message");
	});

	it("a burst of 10 messages: none lost, none answered twice, one reply per turn", async () => {
		await start();
		const c = customer("15550101003");
		const id = "fashion:15550101003";
		const t = seconds(Date.now()) - 20;
		const texts = ["hi", "a jacket", "under $150", "in black", "size M", "or a hoodie", "any sneakers?", "white ones", "thanks", "bye"];
		const burst = texts.map((text, i) => c.text(text, { timestamp: t + i }));
		await Promise.all(burst.map(m => c.post(url, m)));
		await waitFor(async () => {
			const r = await stored(broker, id);
			return !!r && burst.every(m => r.context.handled.includes(m.id));
		}, { timeoutMs: 20_000 });
		const r = (await stored(broker, id))!;
		await waitFor(async () => (await outbox(url, c.waId)).length >= r.context.turn);
		const keys = (await outbox(url, c.waId)).map(e => e.idempotencyKey);
		assert.equal(new Set(keys).size, keys.length, `no reply sent twice: ${keys.join(", ")}`);
		assert.deepEqual([...keys].sort(), Array.from({ length: r.context.turn }, (_, i) => `${id}:${i + 1}:0`).sort(), "one reply per turn");
		assert.ok(r.context.turn >= 1 && r.context.turn <= 10);
		const lines = await transcriptOf(id);
		const said = lines.filter(l => l.from === "customer").map(l => l.id);
		assert.deepEqual([...said].sort(), burst.map(m => m.id).sort(), "every message once in the transcript");
		assert.equal(lines.filter(l => l.from === "ai").length, r.context.turn);
		assert.deepEqual(r.context.inbox, [], "nothing left waiting");
	});

	it("a restart between two messages: the new node continues the conversation from Redis", async () => {
		await start();
		const c = customer("15550101004");
		const id = "fashion:15550101004";
		const first = c.text("hello");
		await c.post(url, first);
		await waitFor(async () => (await outbox(url, c.waId)).length === 1);
		await broker.stop();

		await start();
		// Meta retries the first message against the new node: still answered once.
		await c.post(url, first);
		const second = c.text("any black shirts?");
		await c.post(url, second);
		await waitFor(async () => (await outbox(url, c.waId)).length >= 2);
		const r = (await stored(broker, id))!;
		assert.equal(r.context.turn, 2);
		assert.deepEqual(r.context.handled, [first.id, second.id]);
		// The sandbox outbox lives in the store too: both nodes' sends, each once.
		assert.deepEqual((await outbox(url, c.waId)).map(e => e.idempotencyKey), [`${id}:1:0`, `${id}:2:0`]);
	});

	it("old snapshots resume or move to a safe state; a newer one is left untouched; the node keeps serving", async () => {
		await start();
		const put = async (name: string) => {
			const f = fixture(name);
			const id = f.snapshot.context.conversationId as string;
			assert.ok(await broker.store.compareAndSet(conversationKey(id), 0, { ...f, fence: 0, outbox: [] }));
			return { id, brand: id.split(":")[0]!, waId: id.split(":")[1]!, raw: f };
		};
		const v1cart = await put("v1-cart.json");
		const v1esc = await put("v1-escalated.json");
		const removed = await put("v2-removed-state.json");
		const future = await put("v9-future.json");
		const say = async (conv: { brand: string; waId: string }, text: string) => {
			const c = customer(conv.waId, { phoneNumberId: NUMBER[conv.brand] });
			const m = c.text(text);
			await c.post(url, m);
			return m;
		};

		// v1 in `cart`: migrated (the map cart becomes lines, the malformed line is dropped) and answered.
		const m1 = await say(v1cart, "hi there");
		await waitFor(async () => (await outbox(url, v1cart.waId)).length === 1);
		const cart = (await stored(broker, v1cart.id, "tech"))!;
		assert.equal(cart.state, "cart");
		assert.deepEqual(cart.context.cart.map(l => [l.sku, l.qty, l.unitPrice]), [["TH-100", 2, 19900]]);
		assert.deepEqual(cart.context.handled.slice(-1), [m1.id]);
		assert.equal(cart.context.turn, 4, "the turn count continues from the old snapshot");
		assert.equal((await readConversationRecord(broker.store, v1cart.id))!.value.version, 2, "stored again in the current format");

		// v1 escalated: still with a human; the AI stays silent and the message is taken.
		const m2 = await say(v1esc, "hello? is anyone there?");
		await waitFor(async () => (await stored(broker, v1esc.id, "home"))?.context.handled.includes(m2.id) ?? false);
		const esc = (await stored(broker, v1esc.id, "home"))!;
		assert.equal(esc.state, "escalated");
		assert.equal(esc.context.escalation?.reason, "frustration");

		// A state the machine no longer has: moved to a safe state with its cart, then answered.
		await say(removed, "hi");
		await waitFor(async () => (await outbox(url, removed.waId)).length === 1);
		const safe = (await stored(broker, removed.id, "beauty"))!;
		assert.equal(safe.state, "cart");
		assert.deepEqual(safe.context.cart.map(l => l.sku), ["BB-5"]);

		// Written by a newer node: refused, never overwritten, nothing sent; the node keeps serving.
		await say(future, "hello");
		const other = await say({ brand: "gaming", waId: "15550101005" }, "hello");
		await waitFor(async () => (await outbox(url, "15550101005")).length === 1);
		await waitFor(async () => (await stored(broker, "gaming:15550101005", "gaming"))?.context.handled.includes(other.id) ?? false);
		const untouched = await broker.store.getVersioned(conversationKey(future.id));
		assert.deepEqual(untouched?.value, { ...future.raw, fence: 0, outbox: [] });
		assert.deepEqual(await outbox(url, future.waId), []);
		assert.deepEqual(await outbox(url, v1esc.waId), [], "no AI reply while escalated");
	});
});
