/**
 * The whole human hand-over over the real WhatsApp gateway (sandbox), the fashion AI seller and the
 * sales assistant: a customer asks for a person, a seller accepts, they talk, the seller hands back
 * and the AI answers again.
 */
import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import type { OutboxEntry } from "../../gateway/whatsapp/outbox";
import type { EscalationView } from "../../contracts/sales-assistant";
import CatalogService from "../../services/catalog.service";
import OrdersService from "../../services/orders.service";
import AiSellerFashion from "../../services/ai-seller-fashion.service";
import { createSalesAssistantService } from "../../services/sales-assistant.service";
import { readConversationRecord } from "../../services/ai-seller/host";
import { readTranscript } from "../../adapters/transcript";
import { msg, nowSeconds, withMessages, CUSTOMER, CUSTOMER2 } from "../fixtures/whatsapp";
import { postWebhook, startGateway } from "../helpers/whatsapp";
import { salesProbe, TestClock } from "../helpers/sales";
import { waitFor } from "../helpers/wait";

const text = (body: string) => msg("text", { text: { body } }, { from: CUSTOMER, timestamp: nowSeconds() });
const bodyOf = (e: OutboxEntry) => {
	const m = e.message as { text?: { body?: string }; interactive?: { body?: { text?: string } } };
	return m.text?.body ?? m.interactive?.body?.text ?? "";
};

describe("human hand-over journey (WhatsApp sandbox, AI seller, sales assistant)", function () {
	this.timeout(30_000);
	let broker: ServiceBroker;
	let url: string;
	const probe = salesProbe();
	const clock = new TestClock();
	const conversationId = `fashion:${CUSTOMER}`;

	before(async () => {
		const g = await startGateway({
			withProbe: false,
			env: { ESCALATION_SWEEP_MS: "20", SELLER_PRESENCE_TTL_MS: "3600000" },
			services: [CatalogService, OrdersService, AiSellerFashion, createSalesAssistantService({ now: clock.now }), probe.schema]
		});
		broker = g.broker;
		url = g.url;
	});
	after(() => broker?.stop());

	// The whatsapp service's sandbox outbox (what GET /sandbox/outbox serves).
	const outbox = () => broker.call<OutboxEntry[], { to: string }>("whatsapp.outbox", { to: CUSTOMER });
	const state = async () => (await readConversationRecord(broker.store, conversationId))?.value.snapshot.value;
	const call = <T>(action: string, params: object) => broker.call<T, object>(`sales-assistant.${action}`, params);

	it("asks for a person, a seller takes it and talks from the brand's number, hands back, the AI answers again", async () => {
		await postWebhook(url, withMessages(text("I want to talk to a human please")));
		const queued = await waitFor(async () => (await call<EscalationView[]>("queue", { brand: "fashion" })).find(e => e.conversationId === conversationId), { message: "escalation queued" });
		await call("presence", { nodeId: "console-1", sellers: { ana: 1 } });
		await waitFor(async () => (await call<EscalationView>("get", { id: queued.id })).offeredTo === "ana");
		await call("accept", { escalationId: queued.id, sellerId: "ana" });

		await waitFor(async () => (await outbox()).some(e => /\bAna\b/.test(bodyOf(e))), { message: "the customer is told Ana took over" });
		await waitFor(async () => (await state()) === "human", { message: "conversation in human mode" });

		await call("reply", { conversationId, sellerId: "ana", text: "Hi! Ana here, how can I help?", clientId: "r1" });
		await waitFor(async () => (await outbox()).some(e => bodyOf(e) === "Hi! Ana here, how can I help?" && e.brand === "fashion"), { message: "seller reply sent" });
		const sentBefore = (await outbox()).length;

		await postWebhook(url, withMessages(text("do you have the denim jacket in size M?")));
		await waitFor(() => probe.frames("conversation.message", { sellerId: "ana" }).some(f => f.from === "customer" && /denim jacket/.test(f.text)), { message: "customer message relayed" });
		const relayed = probe.frames("conversation.message", { sellerId: "ana" }).find(f => f.from === "customer")!;
		const lines = await readTranscript(broker.store, conversationId);
		assert.equal(lines.find(l => l.seq === relayed.seq)?.text, "do you have the denim jacket in size M?", "the frame's seq is its transcript line");
		assert.equal((await outbox()).length, sentBefore, "the AI says nothing while a human has it");

		await call("resolve", { conversationId, sellerId: "ana", to: "ai", note: "Luna can take the size question" });
		await waitFor(async () => ["browsing", "cart"].includes(String(await state())), { message: "handed back to the AI" });
		// Told once who answers from now on, and the transcript the seller and the AI read has it too.
		const notice = await waitFor(async () => (await outbox()).slice(sentBefore).find(e => /^Luna here again — our team has handed the chat back to me/.test(bodyOf(e))), {
			message: "the customer is told the AI answers again"
		});
		assert.equal(notice.brand, "fashion");
		assert.ok((await readTranscript(broker.store, conversationId)).some(l => l.from === "ai" && l.text === bodyOf(notice)));
		// Ana left the customer's question open: the AI answers it right after the notice, unasked.
		assert.match(bodyOf(notice), /pick up where you left off/);
		const answer = await waitFor(
			async () => {
				const box = (await outbox()).slice(sentBefore);
				return box[box.findIndex(e => e.id === notice.id) + 1];
			},
			{ message: "the AI answers the question the customer asked Ana" }
		);
		assert.match(bodyOf(answer), /^Yes, it comes in M\.\nDenim Trucker Jacket/);
		await postWebhook(url, withMessages(text("thanks! can you show me sneakers?")));
		await waitFor(async () => (await outbox()).length > sentBefore + 2, { message: "the AI answers again" });
		assert.equal((await outbox()).filter(e => /here again/.test(bodyOf(e))).length, 1, "one notice for one handback");
	});

	it("a customer still waiting for a person who no longer wants one gets the AI back, and the queue lets them go", async () => {
		const waiting = `fashion:${CUSTOMER2}`;
		const from = (body: string) => msg("text", { text: { body } }, { from: CUSTOMER2, timestamp: nowSeconds() });
		const box = () => broker.call<OutboxEntry[], { to: string }>("whatsapp.outbox", { to: CUSTOMER2 });
		// Nobody is online for this one: Ana, online from the test above, steps out.
		await call("presence", { nodeId: "console-1", sellers: {} });
		await postWebhook(url, withMessages(from("can I talk to a person please")));
		const queued = await waitFor(async () => (await call<EscalationView[]>("queue", { brand: "fashion" })).find(e => e.conversationId === waiting), { message: "escalation queued" });
		// Told how to carry on without waiting, in the words that do it.
		await waitFor(async () => (await box()).some(e => /^Nobody from our team is online right now[^]*To carry on with our assistant meanwhile, just say "never mind"\.$/.test(bodyOf(e))), { message: "the offline notice" });
		const before = (await box()).length;
		await postWebhook(url, withMessages(from("ok never mind, I don't need a person anymore. show me linen dresses")));
		await waitFor(async () => !(await call<EscalationView[]>("queue", { brand: "fashion" })).some(e => e.id === queued.id), { message: "the escalation left the queue" });
		const answer = await waitFor(async () => (await box()).slice(before).find(e => /Linen Midi Dress/.test(bodyOf(e))), { message: "the AI answers what they asked" });
		assert.ok(answer);
		assert.ok(["browsing", "cart"].includes(String((await readConversationRecord(broker.store, waiting))?.value.snapshot.value)));
		assert.equal((await call<EscalationView>("get", { id: queued.id })).state, "resolved");
	});

	/** A customer a seller took: they ask for a person, Ana accepts. */
	async function taken(waId: string) {
		const id = `fashion:${waId}`;
		const from = (body: string) => msg("text", { text: { body } }, { from: waId, timestamp: nowSeconds() });
		const box = () => broker.call<OutboxEntry[], { to: string }>("whatsapp.outbox", { to: waId });
		await call("presence", { nodeId: "console-1", sellers: { ana: 1 } });
		await postWebhook(url, withMessages(from("can I talk to a person please")));
		const queued = await waitFor(async () => (await call<EscalationView[]>("queue", { brand: "fashion" })).find(e => e.conversationId === id), { message: "escalation queued" });
		await call("accept", { escalationId: queued.id, sellerId: "ana" });
		await waitFor(async () => (await readConversationRecord(broker.store, id))?.value.snapshot.value === "human", { message: "Ana has it" });
		return { id, from, box, escalationId: queued.id };
	}

	/** A customer a seller took, then lost: her console goes. */
	async function takenThenDropped(waId: string) {
		const c = await taken(waId);
		await call("presence", { nodeId: "console-1", sellers: {} });
		await waitFor(async () => typeof (await call<EscalationView>("get", { id: c.escalationId })).graceDeadline === "number", { message: "Ana is away" });
		return c;
	}

	it("a customer whose seller dropped off, back in the queue with nobody online, gets the AI back by saying they no longer need a person", async () => {
		const c = await takenThenDropped("15550006666");
		clock.advance(61_000);
		await waitFor(async () => (await call<EscalationView>("get", { id: c.escalationId })).state === "queued", { message: "back in the queue after the grace" });
		assert.equal((await readConversationRecord(broker.store, c.id))?.value.snapshot.value, "human", "the conversation still waits on the human side");
		// They were last told Ana would be back or someone else would answer: now they hear nobody is there, and the way out.
		await waitFor(async () => (await c.box()).some(e => /^Nobody from our team is online right now[^]*just say "never mind"\.$/.test(bodyOf(e))), { message: "the offline notice" });
		const before = (await c.box()).length;
		await postWebhook(url, withMessages(c.from("never mind, I don't need a person anymore. show me linen dresses")));
		await waitFor(async () => (await call<EscalationView>("get", { id: c.escalationId })).state === "resolved", { message: "the escalation is withdrawn" });
		const answer = await waitFor(async () => (await c.box()).slice(before).find(e => /Linen Midi Dress/.test(bodyOf(e))), { message: "the AI answers what they asked" });
		assert.ok(answer);
		assert.ok(["browsing", "cart"].includes(String((await readConversationRecord(broker.store, c.id))?.value.snapshot.value)));
	});

	it("a customer whose seller just stepped away gets the AI back by saying they no longer need a person, without waiting out the grace", async () => {
		const c = await takenThenDropped("15550007777");
		const before = (await c.box()).length;
		await postWebhook(url, withMessages(c.from("forget it, I don't need a person. show me linen dresses")));
		await waitFor(async () => (await call<EscalationView>("get", { id: c.escalationId })).state === "resolved", { message: "the escalation ends" });
		await waitFor(async () => (await c.box()).slice(before).some(e => /Linen Midi Dress/.test(bodyOf(e))), { message: "the AI answers what they asked" });
	});

	it("a customer whose seller is there says they no longer need a person: the seller reads it and keeps the conversation", async () => {
		const waId = "15550008888";
		const id = `fashion:${waId}`;
		const from = (body: string) => msg("text", { text: { body } }, { from: waId, timestamp: nowSeconds() });
		await call("presence", { nodeId: "console-1", sellers: { ana: 1 } });
		await postWebhook(url, withMessages(from("can I talk to a person please")));
		const queued = await waitFor(async () => (await call<EscalationView[]>("queue", { brand: "fashion" })).find(e => e.conversationId === id), { message: "escalation queued" });
		await call("accept", { escalationId: queued.id, sellerId: "ana" });
		await waitFor(async () => (await readConversationRecord(broker.store, id))?.value.snapshot.value === "human", { message: "Ana has it" });
		await postWebhook(url, withMessages(from("never mind, I don't need a person anymore")));
		await waitFor(() => probe.frames("conversation.message", { sellerId: "ana" }).some(f => f.conversationId === id && /never mind/.test(f.text)), { message: "Ana reads it" });
		assert.equal((await call<EscalationView>("get", { id: queued.id })).state, "active");
		assert.equal((await readConversationRecord(broker.store, id))?.value.snapshot.value, "human");
		await call("presence", { nodeId: "console-1", sellers: {} });
	});

	const CLOSED_EN = 'Ana has closed this chat — thanks for talking with us! If you need anything else, just write here: Luna will answer right away, and you can say "talk to a person" any time to reach us again.';

	it("a seller who closes the chat tells the customer, once, that it ended and that Luna answers from now on; writing again, Luna does", async () => {
		const c = await taken("15550009101");
		const before = (await c.box()).length;
		await call("resolve", { conversationId: c.id, sellerId: "ana", to: "closed", note: "all sorted" });
		const notice = await waitFor(async () => (await c.box()).slice(before).find(e => bodyOf(e) === CLOSED_EN), { message: "the customer is told the chat ended" });
		assert.deepEqual([notice.brand, notice.kind], ["fashion", "text"]);
		assert.ok((await readTranscript(broker.store, c.id)).some(l => l.from === "system" && l.text === CLOSED_EN), "the transcript has it");
		await waitFor(async () => (await readConversationRecord(broker.store, c.id))?.value.snapshot.value === "closed", { message: "the conversation closed" });

		await postWebhook(url, withMessages(c.from("thanks! show me linen dresses")));
		await waitFor(async () => (await c.box()).slice(before).some(e => /Linen Midi Dress/.test(bodyOf(e))), { message: "Luna answers" });
		assert.equal((await c.box()).filter(e => bodyOf(e) === CLOSED_EN).length, 1, "told once");
	});

	it("a seller who closes the chat after WhatsApp's 24-hour window closed sends nothing: no template asking the customer to write", async () => {
		const c = await taken("15550009102");
		// The sales assistant's clock is a day on: the customer last wrote 25 hours ago. (Ana's
		// console report is then stale and she goes away, as nobody answered for a day.)
		clock.advance(25 * 3_600_000);
		await call("resolve", { conversationId: c.id, sellerId: "ana", to: "closed" });
		await waitFor(async () => (await readConversationRecord(broker.store, c.id))?.value.snapshot.value === "closed", { message: "the conversation closed" });
		assert.ok(!(await readTranscript(broker.store, c.id)).some(l => l.id === `${c.escalationId}:closed`), "nothing told, nothing noted");
		// Writing again, they reach Luna; nothing of the close came before her answer.
		const before = (await c.box()).length;
		await postWebhook(url, withMessages(c.from("show me linen dresses")));
		await waitFor(async () => (await c.box()).slice(before).some(e => /Linen Midi Dress/.test(bodyOf(e))), { message: "Luna answers" });
		assert.deepEqual((await c.box()).filter(e => e.kind === "template" || /closed this chat/.test(bodyOf(e))), []);
	});
});
