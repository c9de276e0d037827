/**
 * The whole human-seller journey through public interfaces only: a customer on WhatsApp (signed
 * webhooks in, the sandbox outbox out) asks for a person, a seller takes the conversation in the
 * console (a real WebSocket client), they talk both ways, the seller approves a suggested action
 * and hands back, and the AI seller answers the next message knowing what happened.
 */
import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import ConsoleService from "../../gateway/console.service";
import CatalogService from "../../services/catalog.service";
import OrdersService from "../../services/orders.service";
import SalesAssistantService from "../../services/sales-assistant.service";
import AiSellerFashion from "../../services/ai-seller-fashion.service";
import { BUSINESS } from "../fixtures/whatsapp";
import { customer, outbox, textOf } from "../helpers/ai-seller";
import { connectSeller, SELLERS, sellersFile, type SellerClient } from "../helpers/console-client";
import { startGateway } from "../helpers/whatsapp";
import { waitFor } from "../helpers/wait";

describe("human seller journey: WhatsApp customer ⇄ console seller ⇄ AI seller", function () {
	this.timeout(60_000);
	let broker: ServiceBroker;
	let url: string;
	let ana: SellerClient;
	let carla: SellerClient | undefined;
	const maria = customer("15550007001", { name: "Maria Lopez", phoneNumberId: BUSINESS.fashion });
	const sent = async () => (await outbox(url, maria.waId)).map(textOf);

	before(async () => {
		const g = await startGateway({
			withProbe: false,
			env: { SELLERS_FILE: sellersFile(), ESCALATION_SWEEP_MS: "50" },
			services: [ConsoleService, SalesAssistantService, CatalogService, OrdersService, AiSellerFashion]
		});
		broker = g.broker;
		url = g.url;
		ana = await connectSeller(url, SELLERS.find(s => s.id === "ana")!.token);
	});
	after(async () => {
		await ana?.close();
		await carla?.close();
		await broker?.stop();
	});

	it("runs from 'talk to a person' to the AI answering again after the handback", async () => {
		// The customer talks to the AI seller, then asks for a person.
		await maria.post(url, maria.text("Hi! Do you have the Linen Midi Dress?"));
		await waitFor(async () => (await sent()).length >= 1, { message: "the AI answers" });
		const beforeHuman = (await sent()).length;
		await maria.post(url, maria.text("I'd like to talk to a human please"));
		await waitFor(async () => (await sent()).length > beforeHuman, { message: "the AI says a person is coming" });

		// The seller sees it in the queue (offered, or queued) and takes it.
		const seen = await ana.next(f => (f.type === "escalation.new" || f.type === "escalation.offered") && (f as { escalation: { conversationId: string } }).escalation.conversationId === `fashion:${maria.waId}`);
		const escalation = (seen as unknown as { escalation: { id: string; conversationId: string; summary: string } }).escalation;
		assert.match(escalation.summary, /person|human/i);
		const accepted = await ana.request({ type: "accept", escalationId: escalation.id });
		assert.equal(accepted.type, "ack", JSON.stringify(accepted));
		const assigned = await ana.nextOf("escalation.assigned", f => f.conversation.escalation.id === escalation.id);
		const conversationId = assigned.conversation.conversationId;
		assert.ok(assigned.conversation.messages.some(m => m.from === "customer" && /Linen Midi Dress/.test(m.text)), "the seller sees what was said");
		// The AI's answer was the dress's card: the seller sees that its photo went with it.
		assert.ok(assigned.conversation.messages.some(m => m.from === "ai" && /^https:\/\/images\.agent-store\.example\/FA-\d+\.jpg$/.test(m.image ?? "")), JSON.stringify(assigned.conversation.messages));
		await waitFor(async () => (await sent()).some(t => /Ana/.test(t)), { message: "the customer is told Ana took over" });

		// While the human has it, the AI stays silent: only the seller answers.
		const afterTakeover = (await sent()).length;
		const reply = await ana.request({ type: "message", conversationId, text: "Hi Maria, Ana here. Yes, the Linen Midi Dress is in stock!", clientId: "j-1" });
		assert.equal(reply.type, "ack", JSON.stringify(reply));
		await waitFor(async () => (await sent()).includes("Hi Maria, Ana here. Yes, the Linen Midi Dress is in stock!"), { message: "the seller's message reaches the customer" });
		const from = ana.frames.length;
		await maria.post(url, maria.text("Great, please add it to my cart in size L, in beige"));
		const incoming = await ana.nextOf("conversation.message", f => f.conversationId === conversationId && f.from === "customer", { from });
		assert.equal(incoming.text, "Great, please add it to my cart in size L, in beige");
		const suggestions = await ana.nextOf("suggestions", f => f.conversationId === conversationId && f.actions.some(a => a.kind === "add_to_cart"), { from });
		assert.equal(suggestions.items.length, 3);
		// A photo with no words: the seller is told a photo came, not shown an empty line; so is a reload.
		const beforePhoto = ana.frames.length;
		await maria.post(url, maria.image());
		const photo = await ana.nextOf("conversation.message", f => f.conversationId === conversationId && f.from === "customer", { from: beforePhoto });
		assert.deepEqual([photo.media, photo.text], ["image", ""]);
		const reloaded = (await broker.call("sales-assistant.history", { sellerId: "ana", conversationId })) as { messages: { seq: number; media?: string }[] };
		assert.equal(reloaded.messages.find(m => m.seq === photo.seq)?.media, "image");
		assert.equal((await sent()).length, afterTakeover + 1, "no AI reply while the human has it");

		// The seller approves the suggested action: it runs through the AI seller's tools.
		const action = suggestions.actions.find(a => a.kind === "add_to_cart")!;
		assert.match(action.label, /Linen Midi Dress/);
		const beforeApproval = ana.frames.length;
		const approved = await ana.request({ type: "approve", conversationId, actionId: action.id });
		assert.equal(approved.type, "ack", JSON.stringify(approved));
		assert.match(String((approved.result as { result: string }).result), /Linen Midi Dress/);
		// Fresh suggestions follow: the first tells the customer what was done, ready to send.
		const tell = String((approved.result as { tell: string }).tell);
		assert.match(tell, /^Done — I've added 1× Linen Midi Dress \(size L, beige\) to your cart\. The total is \$\d+\.\d{2}\.$/);
		const after = await ana.nextOf("suggestions", f => f.conversationId === conversationId, { from: beforeApproval });
		assert.equal(after.items[0], tell);
		assert.ok(!after.actions.some(a => a.id === action.id), "what ran is not suggested again");
		// With them, the cart as it is now: the seller sees what their approval changed.
		assert.deepEqual(after.cart?.map(l => [l.name, l.qty, l.size, l.color, l.awaiting]), [["Linen Midi Dress", 1, "L", "beige", undefined]]);
		await ana.request({ type: "message", conversationId, text: after.items[0]!, clientId: "j-2" });
		await waitFor(async () => (await sent()).includes(tell), { message: "the customer is told what was done" });

		// The customer wants it; the seller places the order and the customer pays. The payment notice
		// they get shows in the seller's console as it goes out (the transcript line, with its seq),
		// not at the next reload.
		// Nowhere to deliver yet: no order to approve, and the console says what is missing.
		const beforeBuy = ana.frames.length;
		await maria.post(url, maria.text("Perfect, I'll take it"));
		const unaddressed = await ana.nextOf("suggestions", f => f.conversationId === conversationId, { from: beforeBuy });
		assert.equal(unaddressed.deliverTo, null);
		assert.ok(!unaddressed.actions.some(a => a.kind === "create_order"), JSON.stringify(unaddressed.actions));
		const beforeAddress = ana.frames.length;
		await maria.post(url, maria.text("Send it to 12 Baker Street, London NW1 6XE"));
		const buying = await ana.nextOf("suggestions", f => f.conversationId === conversationId && f.actions.some(a => a.kind === "create_order"), { from: beforeAddress });
		assert.equal(buying.deliverTo, "12 Baker Street, London NW1 6XE");
		const order = buying.actions.find(a => a.kind === "create_order")!;
		const placed = await ana.request({ type: "approve", conversationId, actionId: order.id });
		assert.equal(placed.type, "ack", JSON.stringify(placed));
		const orderId = /\b(ord_[\w-]+)/.exec(String((placed.result as { result: string }).result))?.[1];
		assert.ok(orderId, JSON.stringify(placed.result));
		const beforePaid = ana.frames.length;
		await broker.call("orders.pay", { id: orderId, paymentRef: "pay-journey" });
		const notice = await ana.nextOf("conversation.message", f => f.conversationId === conversationId && f.from === "system", { from: beforePaid });
		assert.equal(notice.text, `Your order ${orderId} is confirmed — thank you! We'll let you know when it ships.`);
		await waitFor(async () => (await sent()).includes(notice.text), { message: "the customer got the notice" });
		const history = (await broker.call("sales-assistant.history", { sellerId: "ana", conversationId })) as { messages: { seq: number; text: string }[] };
		assert.equal(history.messages.find(m => m.text === notice.text)?.seq, notice.seq);

		// Hand back: the seller is told, and the AI answers the next message knowing the order.
		const back = await ana.request({ type: "resolve", conversationId, to: "ai", note: "dress ordered and paid" });
		assert.equal(back.type, "ack", JSON.stringify(back));
		await ana.nextOf("escalation.resolved", f => f.conversationId === conversationId && f.to === "ai");
		await waitFor(async () => (await sent()).some(t => /^Luna here again/.test(t)), { message: "the customer is told the AI answers again" });
		const beforeAi = (await sent()).length;
		await maria.post(url, maria.text("Where is my order?"));
		await waitFor(async () => (await sent()).length > beforeAi, { message: "the AI answers again" });
		const answer = (await sent()).slice(beforeAi).join("\n");
		assert.match(answer, new RegExp(`${orderId} is paid`), answer);
		// The seller no longer receives this conversation's messages.
		assert.ok(!ana.frames.some(f => f.type === "conversation.message" && f.text === "Where is my order?"));
	});

	it("a conversation transferred to another brand's team keeps its own brand: the colleague's suggestions and approvals work on its cart", async () => {
		const lucia = customer("15550007002", { name: "Lucia Diaz", phoneNumberId: BUSINESS.fashion });
		carla = await connectSeller(url, SELLERS.find(s => s.id === "carla")!.token);
		await lucia.post(url, lucia.text("Hi, I need a person please"));
		const seen = await ana.next(f => (f.type === "escalation.new" || f.type === "escalation.offered") && (f as { escalation: { conversationId: string } }).escalation.conversationId === `fashion:${lucia.waId}`);
		const escalationId = (seen as unknown as { escalation: { id: string } }).escalation.id;
		const taken = await ana.request({ type: "accept", escalationId });
		if (taken.type !== "ack") {
			// Offered to Carla first: she hands it to Ana, the fashion expert, to start from the same place.
			await carla.request({ type: "accept", escalationId });
			await carla.request({ type: "transfer", conversationId: `fashion:${lucia.waId}`, toSellerId: "ana", note: "yours" });
			await ana.nextOf("escalation.offered", f => f.escalation.id === escalationId);
			assert.equal((await ana.request({ type: "accept", escalationId })).type, "ack");
		}
		const conversationId = `fashion:${lucia.waId}`;
		// Ana hands it to the tech team (Carla sells tech too); the customer then asks for a fashion product.
		assert.equal((await ana.request({ type: "transfer", conversationId, toBrand: "tech", note: "asks about a watch" })).type, "ack");
		await carla.nextOf("escalation.offered", f => f.escalation.id === escalationId);
		assert.equal((await carla.request({ type: "accept", escalationId })).type, "ack");
		const from = carla.frames.length;
		await lucia.post(url, lucia.text("Actually, please add the Linen Midi Dress in size L, in beige"));
		const suggestions = await carla.nextOf("suggestions", f => f.conversationId === conversationId && f.actions.some(a => a.kind === "add_to_cart"), { from });
		const add = suggestions.actions.find(a => a.kind === "add_to_cart")!;
		assert.match(add.label, /Linen Midi Dress/, "suggested from the conversation's own catalog");
		const approved = await carla.request({ type: "approve", conversationId, actionId: add.id });
		assert.equal(approved.type, "ack", JSON.stringify(approved));
		const stored = (await broker.call("ai-seller-fashion.get", { id: conversationId })) as { context: { cart: { name: string }[] } };
		assert.deepEqual(stored.context.cart.map(l => l.name), ["Linen Midi Dress"], "in the fashion AI seller's conversation");
	});
});
