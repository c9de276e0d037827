/**
 * A human hand-over on a shared WhatsApp number (one phone_number_id for fashion, home and beauty;
 * each brand also has a number of its own, listed first). The customer picks home on the shared
 * number and asks for a person: everything they are told from then on — the notices, the sellers'
 * lines, after a transfer to another brand's team too — must come from the shared number they
 * wrote to. From the brand's own number, where they never wrote, the 24-hour window is closed and
 * each message would turn into a "hello_world" template from a number they do not know.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { ServiceBroker } from "moleculer";
import type { OutboxEntry } from "../../gateway/whatsapp/outbox";
import type { EscalationView } from "../../contracts/sales-assistant";
import { EventTypes, type CloudEvent } from "../../contracts/events";
import CatalogService from "../../services/catalog.service";
import OrdersService from "../../services/orders.service";
import AiSellerFashion from "../../services/ai-seller-fashion.service";
import AiSellerHome from "../../services/ai-seller-home.service";
import { createSalesAssistantService } from "../../services/sales-assistant.service";
import { readConversationRecord } from "../../services/ai-seller/host";
import { body, msg, nowSeconds, value, CUSTOMER } from "../fixtures/whatsapp";
import { postWebhook, startGateway } from "../helpers/whatsapp";
import { salesProbe, TestClock } from "../helpers/sales";
import { waitFor } from "../helpers/wait";

const SHARED = "100000000000009";
const HOME_OWN = "100000000000003";

const bodyOf = (e: OutboxEntry) => {
	const m = e.message as { text?: { body?: string }; interactive?: { body?: { text?: string } } };
	return m.text?.body ?? m.interactive?.body?.text ?? "";
};
const shown = (box: OutboxEntry[]) => box.map(e => `${e.phoneNumberId} ${e.kind} ${e.idempotencyKey}`).join("\n");

describe("human hand-over on a shared WhatsApp number", function () {
	this.timeout(30_000);
	let broker: ServiceBroker;
	let url: string;
	let refused: CloudEvent[];
	const probe = salesProbe();
	const clock = new TestClock();
	const conversationId = `home:${CUSTOMER}`;

	before(async () => {
		const dir = mkdtempSync(path.join(tmpdir(), "shared-number-"));
		// The built-in brands, with one number shared by three of them after their own.
		const brands = JSON.parse(readFileSync(path.join(__dirname, "../../data/brands.json"), "utf8")) as { id: string; phoneNumberIds: string[] }[];
		for (const b of brands) if (["fashion", "home", "beauty"].includes(b.id)) b.phoneNumberIds.push(SHARED);
		writeFileSync(path.join(dir, "brands.json"), JSON.stringify(brands));
		writeFileSync(
			path.join(dir, "sellers.json"),
			JSON.stringify([
				{ id: "carla", name: "Carla Mendes", token: "test-seller-carla-0003", brands: ["home"], capacity: 3 },
				{ id: "ana", name: "Ana Torres", token: "test-seller-ana-000001", brands: ["beauty"], capacity: 3 }
			])
		);
		const g = await startGateway({
			env: { ESCALATION_SWEEP_MS: "20", SELLER_PRESENCE_TTL_MS: "3600000", BRANDS_FILE: path.join(dir, "brands.json"), SELLERS_FILE: path.join(dir, "sellers.json") },
			services: [CatalogService, OrdersService, AiSellerFashion, AiSellerHome, createSalesAssistantService({ now: clock.now }), probe.schema]
		});
		broker = g.broker;
		url = g.url;
		refused = g.seen[EventTypes.WhatsappMessageRefused]!;
	});
	after(() => broker?.stop());

	const say = (content: Record<string, unknown>) => postWebhook(url, body(value({ phoneNumberId: SHARED, messages: [{ ...content, timestamp: nowSeconds() }] })));
	const text = (t: string) => say(msg("text", { text: { body: t } }));
	const outbox = () => broker.call<OutboxEntry[], { to: string }>("whatsapp.outbox", { to: CUSTOMER });
	const call = <T>(action: string, params: object) => broker.call<T, object>(`sales-assistant.${action}`, params);

	/** The message sent under this idempotency key (or the template sent in its place), as it left. */
	const sent = (key: string | RegExp, what: string) =>
		waitFor(async () => (await outbox()).find(e => (typeof key === "string" ? e.idempotencyKey.startsWith(key) : key.test(e.idempotencyKey))), { message: what });
	const assertFromShared = async (e: OutboxEntry, what: string) => {
		assert.equal(e.phoneNumberId, SHARED, `${what} went from ${e.phoneNumberId}, not the shared number the customer wrote to:\n${shown(await outbox())}`);
		assert.equal(e.kind, "text", `${what} went as a ${e.kind} (${e.idempotencyKey}), not as text`);
	};

	it("notices and every line of the sellers go from the shared number, as text, before and after a transfer to another brand's team", async () => {
		await text("hi");
		await sent(/^fashion:/, "the shared number asks which shop");
		await say(msg("interactive", { interactive: { type: "list_reply", list_reply: { id: "brand:home", title: "Sofia" } } }));
		await sent(`home:${CUSTOMER}:1:`, "Sofia greets");
		assert.equal((await readConversationRecord(broker.store, conversationId))?.value.phoneNumberId, SHARED, "the conversation keeps the number the customer wrote to");

		await text("I want to talk to a person");
		const escalation = await waitFor(async () => (await call<EscalationView[]>("queue", { brand: "home" })).find(e => e.conversationId === conversationId), { message: "escalation queued" });
		const esc = escalation.id;
		// Nobody of home is online yet: the customer hears it at once.
		await assertFromShared(await sent(`${esc}:waiting:offline`, "the 'no one online' notice"), "the 'no one online' notice");

		await call("presence", { nodeId: "console-1", sellers: { carla: 1 } });
		await waitFor(async () => (await call<EscalationView>("get", { id: esc })).offeredTo === "carla", { message: "offered to carla" });
		await call("accept", { escalationId: esc, sellerId: "carla" });
		await assertFromShared(await sent(`${esc}:joined:carla:`, "Carla's 'joined' notice"), "Carla's 'joined' notice");
		await call("reply", { conversationId, sellerId: "carla", text: "Hi, Carla here. How can I help?", clientId: "c1" });
		const carla = await sent(`${esc}:reply:carla:c1`, "Carla's line");
		await assertFromShared(carla, "Carla's line");
		assert.equal(bodyOf(carla), "Hi, Carla here. How can I help?");

		// Beauty's team takes it over; the conversation, and the number, stay home's.
		await call("presence", { nodeId: "console-1", sellers: { carla: 1, ana: 1 } });
		await call("transfer", { conversationId, sellerId: "carla", toBrand: "beauty", note: "a skincare question" });
		await assertFromShared(await sent(`${esc}:passed-on:`, "the 'passed on' notice"), "the 'passed on' notice");
		await waitFor(async () => (await call<EscalationView>("get", { id: esc })).offeredTo === "ana", { message: "offered to ana" });
		await call("accept", { escalationId: esc, sellerId: "ana" });
		await assertFromShared(await sent(`${esc}:joined:ana:`, "Ana's 'joined' notice"), "Ana's 'joined' notice");
		await call("reply", { conversationId, sellerId: "ana", text: "Ana from beauty here!", clientId: "a1" });
		await assertFromShared(await sent(`${esc}:reply:ana:a1`, "Ana's line"), "Ana's line");

		// Ana's console goes away; the customer who writes meanwhile is told, from the same number.
		await call("presence", { nodeId: "console-1", sellers: { carla: 1 } });
		await waitFor(async () => (await call<EscalationView>("get", { id: esc })).graceDeadline !== null, { message: "ana's grace period started" });
		await text("hello? are you there?");
		await assertFromShared(await sent(new RegExp(`^${esc}:waiting:(?!offline)`), "the 'stepped away' notice"), "the 'stepped away' notice");

		// Back, Ana closes the chat: the goodbye goes from the shared number, naming the shop's own assistant.
		await call("presence", { nodeId: "console-1", sellers: { carla: 1, ana: 1 } });
		await call("resolve", { conversationId, sellerId: "ana", to: "closed" });
		const closing = await sent(`${esc}:closed`, "the closing notice");
		await assertFromShared(closing, "the closing notice");
		assert.match(bodyOf(closing), /^Ana has closed this chat — [^]*: Sofia will answer right away/);

		const box = await outbox();
		assert.deepEqual(box.filter(e => e.phoneNumberId !== SHARED || e.kind === "template"), [], `everything from the shared number, no template:\n${shown(box)}`);
		assert.ok(!box.some(e => e.phoneNumberId === HOME_OWN));
		assert.deepEqual(refused.map(e => e.data), [], "nothing was refused for a closed window");
	});
});
