/**
 * The AI sellers' runtime features through real brokers: shared-number hand-over via signed
 * webhooks and the sandbox outbox, the model's history and token metrics with the OpenAI stub
 * (real HTTP, the real SDK), and idle deadlines fired after a restart on the same Redis.
 */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ServiceBroker } from "moleculer";
import type { OutboxEntry } from "../../gateway/whatsapp/outbox";
import { EventTypes, type ChatMessageNewV1 } from "../../contracts/events";
import CatalogService from "../../services/catalog.service";
import AiSellerFashion from "../../services/ai-seller-fashion.service";
import AiSellerBeauty from "../../services/ai-seller-beauty.service";
import { readConversationRecord } from "../../services/ai-seller/host";
import { PERSONAS } from "../../agents/personas";
import { body, msg, nowSeconds, value, CUSTOMER, CUSTOMER2 } from "../fixtures/whatsapp";
import { infra } from "../helpers/infra";
import { startBroker, testNamespace } from "../helpers/broker";
import { postWebhook, startGateway } from "../helpers/whatsapp";
import { startOpenAIStub } from "../helpers/openai-stub";
import { waitFor } from "../helpers/wait";
import { publishEvent } from "../../mixins/events.mixin";
import { runConv } from "../../repl/conversations";

const SHARED = "100000000000009";
type Body = { body?: string };
function textOf(e: OutboxEntry): string {
	const m = e.message as { text?: Body; interactive?: { body?: { text?: string } } };
	return m.text?.body ?? m.interactive?.body?.text ?? "";
}

describe("AI sellers: shared numbers, history, metrics, idle deadlines", function () {
	this.timeout(60_000);
	let redisUrl: string;
	before(async () => {
		({ redisUrl } = await infra());
	});

	/** The fashion and beauty sellers behind a gateway whose brands file is `brands`, with no human sellers. */
	async function sharedNumber(brands: { id: string; seller: string; personality: string; phoneNumberIds: string[] }[]) {
		const dir = mkdtempSync(path.join(tmpdir(), "brands-"));
		writeFileSync(path.join(dir, "brands.json"), JSON.stringify(brands));
		writeFileSync(path.join(dir, "sellers.json"), "[]");
		return startGateway({
			env: { REDIS_URL: redisUrl, NAMESPACE: testNamespace(), BRANDS_FILE: path.join(dir, "brands.json"), SELLERS_FILE: path.join(dir, "sellers.json") },
			withProbe: false,
			services: [CatalogService, AiSellerFashion, AiSellerBeauty]
		});
	}

	it("on a shared number the conversation belongs to the chosen brand's seller, with its persona", async () => {
		const g = await sharedNumber([
			{ id: "fashion", seller: "Luna", personality: "p", phoneNumberIds: [SHARED, "100000000000001"] },
			{ id: "beauty", seller: "Bella", personality: "p", phoneNumberIds: [SHARED] }
		]);
		try {
			const say = (m: Record<string, unknown>) => postWebhook(g.url, body(value({ phoneNumberId: SHARED, messages: [m] })));
			const outbox = async () => (await (await fetch(`${g.url}/sandbox/outbox?to=${CUSTOMER}`)).json()) as OutboxEntry[];
			const record = async (id: string) => (await readConversationRecord(g.broker.store, id))?.value;

			assert.equal((await say(msg("text", { text: { body: "hello" } }, { timestamp: nowSeconds() }))).status, 200);
			await waitFor(async () => (await outbox()).length === 1);
			const ask = (await outbox())[0]!;
			const rows = ((ask.message as { interactive?: { action?: { sections?: { rows: { id: string }[] }[] } } }).interactive?.action?.sections ?? []).flatMap(s => s.rows);
			assert.deepEqual(rows.map(r => r.id), ["brand:fashion", "brand:beauty"], "the first reply asks to pick a brand");

			await say(msg("interactive", { interactive: { type: "list_reply", list_reply: { id: "brand:beauty", title: "Bella" } } }, { timestamp: nowSeconds() }));
			await waitFor(async () => (await outbox()).length === 2);
			const greeting = (await outbox())[1]!;
			assert.equal(greeting.brand, "beauty");
			assert.match(textOf(greeting), new RegExp(PERSONAS.beauty!.name), "the chosen brand's persona greets");
			assert.doesNotMatch(textOf(greeting), /couldn.t find|found|I searched|Busqué|encontr/i, "the pick is no search for the seller's name");
			assert.match(greeting.idempotencyKey, new RegExp(`^beauty:${CUSTOMER}:1:0$`), "from the chosen brand's own conversation");

			// The gateway still publishes the number's first brand; the chosen seller answers.
			await say(msg("text", { text: { body: "thanks!" } }, { timestamp: nowSeconds() }));
			await waitFor(async () => (await outbox()).length === 3);
			const later = (await outbox())[2]!;
			assert.equal(later.brand, "beauty");
			assert.match(later.idempotencyKey, new RegExp(`^beauty:${CUSTOMER}:2:0$`));
			const beauty = (await record(`beauty:${CUSTOMER}`))!;
			assert.equal(beauty.snapshot.context.brand, "beauty");
			assert.equal(beauty.snapshot.context.handled.length, 3, "the lobby's messages moved with the customer");
			const lobby = (await record(`fashion:${CUSTOMER}`))!;
			assert.equal(lobby.snapshot.value, "closed", "the lobby closed itself");
			assert.equal(lobby.snapshot.context.pendingTurn, null);
			const keys = (await outbox()).map(e => e.idempotencyKey);
			assert.equal(keys.filter(k => k.startsWith("fashion:")).length, 1, `the lobby only asked for the brand: ${keys.join(", ")}`);
			assert.equal(new Set(keys).size, 3, "nothing answered twice");

			// Later the customer writes to the fashion brand's own number: Luna answers, as for anyone new.
			const own = { ...msg("text", { text: { body: "hello" } }, { timestamp: nowSeconds() }) };
			assert.equal((await postWebhook(g.url, body(value({ phoneNumberId: "100000000000001", messages: [own] })))).status, 200);
			await waitFor(async () => (await outbox()).length === 4);
			const direct = (await outbox())[3]!;
			assert.equal(direct.brand, "fashion");
			assert.match(textOf(direct), new RegExp(PERSONAS.fashion!.name), "fashion's own persona, not the brand chosen on the shared number");
			assert.equal((await record(`fashion:${CUSTOMER}`))!.snapshot.context.brand, "fashion");

			// A Spanish customer is asked in Spanish, and picks by writing the shop's name in their words.
			const other = async () => (await (await fetch(`${g.url}/sandbox/outbox?to=${CUSTOMER2}`)).json()) as OutboxEntry[];
			await say(msg("text", { text: { body: "hola, ¿qué tal?" } }, { from: CUSTOMER2, timestamp: nowSeconds() }));
			await waitFor(async () => (await other()).length === 1);
			assert.match(textOf((await other())[0]!), /^¡Hola! ¿Con cuál de nuestras tiendas quieres hablar\?/);
			await say(msg("text", { text: { body: "belleza" } }, { from: CUSTOMER2, timestamp: nowSeconds() }));
			await waitFor(async () => (await other()).length === 2);
			const picked = (await other())[1]!;
			assert.equal(picked.brand, "beauty");
			assert.match(textOf(picked), /^Hola, soy Bella 💄/, "the chosen seller greets in Spanish, and answers the '¿qué tal?' said before the pick");
			assert.doesNotMatch(textOf(picked), /No encontré|Busqué|Esto es lo que/i, "the shop's name is searched for nothing");

			// The first customer, whose fashion conversation is open again, asks for the other shop, and
			// back: each shop says hello from its own conversation, and the next words go to the last one asked for.
			await say(msg("text", { text: { body: "can you take me to Luna please?" } }, { timestamp: nowSeconds() }));
			await waitFor(async () => (await outbox()).length === 5);
			const luna = (await outbox())[4]!;
			assert.deepEqual([luna.brand, textOf(luna)], ["fashion", PERSONAS.fashion!.greeting.en], "Luna says hello; 'Luna' is searched for nothing");
			await say(msg("text", { text: { body: "actually switch back to the beauty shop" } }, { timestamp: nowSeconds() }));
			await waitFor(async () => (await outbox()).length === 6);
			const bella = (await outbox())[5]!;
			assert.deepEqual([bella.brand, textOf(bella)], ["beauty", PERSONAS.beauty!.greeting.en]);
			assert.match(bella.idempotencyKey, new RegExp(`^beauty:${CUSTOMER}:`), "the beauty conversation the customer had");
			await say(msg("text", { text: { body: "any lipstick?" } }, { timestamp: nowSeconds() }));
			await waitFor(async () => (await outbox()).length === 7);
			const more = (await outbox())[6]!;
			assert.equal(more.brand, "beauty");
			assert.match(textOf(more), /Lipstick/);
			// A shop's word with no ask to move is what they want from this shop ("ropa" at Bella's is no switch).
			assert.equal((await record(`beauty:${CUSTOMER}`))!.snapshot.context.brand, "beauty");

			// The Spanish customer, handed from the lobby to Bella, asks for Luna: the lobby, closed when it
			// handed them over, starts again as Luna's, in Spanish.
			await say(msg("text", { text: { body: "mejor llévame con Luna" } }, { from: CUSTOMER2, timestamp: nowSeconds() }));
			await waitFor(async () => (await other()).length === 3);
			const back = (await other())[2]!;
			assert.deepEqual([back.brand, textOf(back)], ["fashion", PERSONAS.fashion!.greeting.es]);
			await say(msg("text", { text: { body: "¿tienen vestidos de lino?" } }, { from: CUSTOMER2, timestamp: nowSeconds() }));
			await waitFor(async () => (await other()).length === 4);
			assert.equal((await other())[3]!.brand, "fashion");
			assert.match(textOf((await other())[3]!), /Vestido|Dress/i);
		} finally {
			await g.broker.stop();
		}
	});

	it("a brands file that names the AI seller otherwise is obeyed: the seller greets, hands over and is picked by that name", async () => {
		const g = await sharedNumber([
			{ id: "fashion", seller: "Camila", personality: "stylish, trend-aware", phoneNumberIds: [SHARED] },
			{ id: "beauty", seller: "Bella", personality: "caring, expert", phoneNumberIds: [SHARED] }
		]);
		try {
			const waId = "15550006001";
			const say = (text: string) => postWebhook(g.url, body(value({ phoneNumberId: SHARED, messages: [msg("text", { text: { body: text } }, { from: waId, timestamp: nowSeconds() })] })));
			const outbox = async () => (await (await fetch(`${g.url}/sandbox/outbox?to=${waId}`)).json()) as OutboxEntry[];
			await say("hi");
			await waitFor(async () => (await outbox()).length === 1);
			const rows = ((await outbox())[0]!.message as { interactive?: { action?: { sections?: { rows: { title: string }[] }[] } } }).interactive?.action?.sections?.[0]?.rows ?? [];
			assert.deepEqual(rows.map(r => r.title), ["Camila", "Bella"], "the shop list names the sellers as the brands file does");
			await say("Camila");
			await waitFor(async () => (await outbox()).length === 2);
			assert.equal(textOf((await outbox())[1]!), "Hi, I'm Camila ✨ your personal stylist. Looking for something special today?");
			await say("take me to Bella please");
			await waitFor(async () => (await outbox()).length === 3);
			assert.equal((await outbox())[2]!.brand, "beauty");
			await say("pásame con Camila");
			await waitFor(async () => (await outbox()).length === 4);
			assert.equal(textOf((await outbox())[3]!), "¡Hola! Soy Camila ✨ tu estilista personal. ¿Buscas algo especial hoy?");
		} finally {
			await g.broker.stop();
		}
	});

	it("the model gets the conversation's history; token usage and cost are metrics per brand and model", async () => {
		const stub = await startOpenAIStub([
			{ content: "Hi! I'm Luna, how can I help?", usage: { prompt: 120, completion: 12 } },
			{ content: "You're welcome!", usage: { prompt: 200, completion: 5 } }
		]);
		const g = await startGateway({
			env: { REDIS_URL: redisUrl, NAMESPACE: testNamespace(), OPENAI_API_KEY: "sk-test-1234567890", OPENAI_BASE_URL: stub.baseURL, OPENAI_MODEL: "gpt-4o-mini" },
			withProbe: false,
			services: [CatalogService, AiSellerFashion]
		});
		try {
			const outbox = async () => (await (await fetch(`${g.url}/sandbox/outbox?to=${CUSTOMER}`)).json()) as OutboxEntry[];
			await postWebhook(g.url, body(value({ messages: [msg("text", { text: { body: "hi" } }, { timestamp: nowSeconds() })] })));
			await waitFor(async () => (await outbox()).length === 1);
			await postWebhook(g.url, body(value({ messages: [msg("text", { text: { body: "thanks a lot" } }, { timestamp: nowSeconds() })] })));
			await waitFor(async () => (await outbox()).length === 2);

			const prior = stub.requests[1]!.messages.filter((m: { role: string }) => m.role !== "system");
			assert.deepEqual(prior.map((m: { role: string; content: string }) => [m.role, m.content]), [
				["user", "hi"],
				["assistant", "Hi! I'm Luna, how can I help?"],
				["user", "thanks a lot"]
			]);

			const text = await (await fetch(`${g.url}/metrics`)).text();
			const value_ = (name: string) => {
				const line = text.split("\n").find(l => l.startsWith(`${name}{`) && l.includes('brand="fashion"') && l.includes('model="gpt-4o-mini"'));
				return line ? Number(line.trim().split(" ").pop()) : NaN;
			};
			assert.equal(value_("ai_seller_tokens_prompt"), 320, text.split("\n").filter(l => l.startsWith("ai_seller")).join("\n"));
			assert.equal(value_("ai_seller_tokens_completion"), 17);
			assert.ok(Math.abs(value_("ai_seller_cost_usd") - (320 * 0.15 + 17 * 0.6) / 1e6) < 1e-12);
			const turns = text.split("\n").find(l => l.startsWith("ai_seller_turn_latency_bucket{") && l.includes('brand="fashion"') && l.includes('le="+Inf"'));
			assert.equal(turns?.split(" ").pop(), "2", "two turns in the latency histogram");
			const buckets = text
				.split("\n")
				.filter(l => l.startsWith("ai_seller_turn_latency_bucket{") && l.includes('brand="fashion"') && l.includes('model="gpt-4o-mini"'))
				.map(l => /le="([^"]+)"/.exec(l)![1]);
			assert.deepEqual(buckets, ["0.01", "0.05", "0.1", "0.25", "0.5", "1", "2", "5", "10", "20", "60", "+Inf"], "buckets in ascending order");

			const conv = await runConv(g.broker, { id: `fashion:${CUSTOMER}`, options: {} });
			assert.match(conv, /customer: thanks a lot/);
			assert.match(conv, /ai: You're welcome!/);
		} finally {
			await g.broker.stop();
			await stub.close();
		}
	});

	it("an idle deadline that passes while no node is up fires after a restart", async () => {
		const env = { REDIS_URL: redisUrl, NAMESPACE: testNamespace(), AI_IDLE_TIMEOUT_MS: "1000", AI_SWEEP_INTERVAL_MS: "3600000" };
		const id = `fashion:${CUSTOMER}`;
		const chat: ChatMessageNewV1 = { conversationId: id, brand: "fashion", waId: CUSTOMER, messageId: "wamid.IDLE1", phoneNumberId: "100000000000001", kind: "text", text: "hi", receivedAt: Date.now() };
		const first: ServiceBroker = await startBroker({ env, services: [AiSellerFashion] });
		const read = async (b: ServiceBroker) => (await readConversationRecord(b.store, id))?.value;
		let idleAt = 0;
		try {
			await publishEvent(first, "/test", EventTypes.ChatMessageNew, chat);
			const r = await waitFor(async () => (await read(first))?.snapshot.value === "browsing" && (await read(first)));
			idleAt = r.snapshot.context.deadlines.idleAt!;
			assert.equal(idleAt, chat.receivedAt + 1000);
		} finally {
			await first.stop();
		}
		await waitFor(() => Date.now() > idleAt, { message: "the deadline passing with no node up" });
		const second = await startBroker({ env, services: [AiSellerFashion] });
		try {
			await waitFor(async () => (await read(second))?.snapshot.value === "closed", { message: "the idle conversation closed by the new node's sweep" });
		} finally {
			await second.stop();
		}
	});
});
