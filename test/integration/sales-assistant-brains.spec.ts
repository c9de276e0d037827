/**
 * The sales assistant's brains against a real broker: the catalog, the orders service and the
 * fashion AI seller hosting the conversation. Suggestions come from the offline assistant or from
 * the real `openai` SDK talking HTTP to a local OpenAI-compatible stub; approved actions change the
 * cart inside the conversation actor and create orders through the orders service.
 */
import assert from "node:assert/strict";
import type { LoggerInstance, ServiceBroker } from "moleculer";
import { readTranscript } from "../../adapters/transcript";
import { loadCatalogData } from "../../services/catalog/data";
import type { ConversationContext } from "../../contracts/conversation";
import { EventTypes, type ChatMessageNewV1 } from "../../contracts/events";
import { publishEvent } from "../../mixins/events.mixin";
import CatalogService from "../../services/catalog.service";
import OrdersService from "../../services/orders.service";
import AiSellerFashion from "../../services/ai-seller-fashion.service";
import { readConversationRecord } from "../../services/ai-seller/host";
import AiSellerGaming from "../../services/ai-seller-gaming.service";
import { approveAction, assistFor, assistKey, gather, summaryOf, type AssistDeps, type EscalationFacts, type StoredAssist } from "../../services/sales-assistant/assist";
import { actionId } from "../../services/sales-assistant/offline-assistant";
import type { AssistView } from "../../contracts/sales-assistant";
import { startBroker } from "../helpers/broker";
import { infra } from "../helpers/infra";
import { insightsFor, insightsOn } from "../../services/sales-assistant/insights";
import { startOpenAIStub, type OpenAIStub } from "../helpers/openai-stub";
import { waitFor } from "../helpers/wait";

const warnings: string[] = [];
const logger = { info() {}, debug() {}, error() {}, trace() {}, fatal() {}, warn: (m: string) => void warnings.push(m) } as unknown as LoggerInstance;

interface Conversation {
	state: string;
	context: ConversationContext;
}

describe("sales assistant brains (real catalog, orders and AI seller)", function () {
	this.timeout(60_000);
	let broker: ServiceBroker;
	let deps: AssistDeps;
	let n = 0;

	before(async () => {
		// Redis: the store a cluster runs on (counters, locks and lists as they are in production).
		const { redisUrl } = await infra();
		broker = await startBroker({ env: { REDIS_URL: redisUrl }, services: [CatalogService, OrdersService, AiSellerFashion, AiSellerGaming] });
		deps = { broker, store: broker.store, logger };
	});
	after(() => broker?.stop());
	beforeEach(() => void (warnings.length = 0));

	const conversation = (id: string) => broker.call<Conversation, { id: string }>("ai-seller-fashion.get", { id });

	/** A customer message through the AI seller's channel, as the WhatsApp gateway publishes it. */
	async function say(waId: string, text: string, brand = "fashion"): Promise<void> {
		const conversationId = `${brand}:${waId}`;
		const messageId = `wamid.BRAINS${++n}`;
		const data: ChatMessageNewV1 = { conversationId, brand, waId, customerName: "Maria Lopez", messageId, phoneNumberId: "100000000000001", kind: "text", text, receivedAt: Date.now() };
		await publishEvent(broker, "/test", EventTypes.ChatMessageNew, data, { id: `chat:${messageId}` });
		await waitFor(async () => (await readTranscript(broker.store, conversationId)).some(l => l.id === messageId));
	}

	/** A conversation a human seller (ana) has, with the customer's first words. */
	async function handedToAna(waId: string, firstWords: string): Promise<EscalationFacts> {
		const id = `fashion:${waId}`;
		await say(waId, "hi");
		await waitFor(async () => (await conversation(id).catch(() => null))?.state === "browsing");
		await broker.call("ai-seller-fashion.send", { id, type: "ESCALATE", detail: "asked for a person" });
		await broker.call("ai-seller-fashion.send", { id, type: "HUMAN_ASSIGNED", sellerId: "ana" });
		assert.equal((await conversation(id)).state, "human");
		await say(waId, firstWords);
		return { escalationId: `esc-${waId}`, conversationId: id, brand: "fashion", waId, customerName: "Maria Lopez", reason: "human_requested", detail: "asked for a person" };
	}

	const action = (view: AssistView, kind: string) => {
		const found = view.actions.find(a => a.kind === kind);
		assert.ok(found, `a ${kind} action among ${JSON.stringify(view.actions)}`);
		return found;
	};

	/** A create_order suggested before the choices were checked (suggestions are kept for days), stored as if suggested. */
	const staleOrder = async (facts: EscalationFacts, items: { sku: string; qty: number; size?: string; color?: string }[]) => {
		const stored = (await broker.store.get<StoredAssist>(assistKey(facts.conversationId)))!;
		const args = { items };
		const order = { id: actionId("create_order", args), kind: "create_order" as const, tool: "create_order" as const, label: "Create the order (1 item)", args };
		await broker.store.set(assistKey(facts.conversationId), { ...stored, actions: [...stored.actions, order] });
		return order.id;
	};
	const refused = (message: string) => (err: Error & { code?: number; type?: string }) => {
		assert.equal(err.code, 422);
		assert.equal(err.type, "INVALID");
		assert.equal(err.message, message);
		return true;
	};

	it("reads a budget the customer gives as a price bound when finding products for the seller, not as a word to search", async () => {
		const facts = await handedToAna("15550007088", "I'm looking for a t-shirt, my budget is around 20 dollars");
		const { input } = await gather(deps, facts, { withProducts: true });
		const tees = (input.products ?? []).filter(p => p.category === "t-shirts");
		assert.ok(tees.length > 0, JSON.stringify(input.products?.map(p => p.name)));
		assert.ok((input.products ?? []).every(p => p.price <= 2200), JSON.stringify(input.products?.map(p => [p.name, p.price])));
	});

	it("orders a cart of digital codes (gift cards) without an address, and says nothing of where it goes", async () => {
		const waId = "15550007077";
		const id = `gaming:${waId}`;
		const gaming = (cid: string) => broker.call<Conversation, { id: string }>("ai-seller-gaming.get", { id: cid });
		await say(waId, "hi", "gaming");
		await waitFor(async () => (await gaming(id).catch(() => null))?.state === "browsing");
		await broker.call("ai-seller-gaming.send", { id, type: "ESCALATE", detail: "asked for a person" });
		await broker.call("ai-seller-gaming.send", { id, type: "HUMAN_ASSIGNED", sellerId: "ben" });
		await say(waId, "I want the Gaming Gift Card $50", "gaming");
		const facts: EscalationFacts = { escalationId: `esc-${waId}`, conversationId: id, brand: "gaming", waId, customerName: "Leo", reason: "human_requested", detail: null };
		const add = action(await assistFor(deps, facts, "customer_message"), "add_to_cart");
		await approveAction(deps, facts, "ben", add.id);
		await say(waId, "great, I'll take it", "gaming");
		const view = await assistFor(deps, facts, "customer_message");
		assert.equal(view.deliverTo, null);
		const order = action(view, "create_order");
		assert.equal(order.label, "Create the order (1 item) as a digital code");
		const placed = await approveAction(deps, facts, "ben", order.id);
		assert.match(placed.result, /^Order ord_\w+ created for 1× Gaming Gift Card \$50: \$50\.00, a digital code, awaiting payment; the cart is now empty\.$/);
		assert.doesNotMatch(placed.tell, /goes to/);
		const [made] = (await broker.call<{ items: { deliverTo?: string }[] }, object>("orders.list", { waId })).items;
		assert.equal(made?.deliverTo, undefined);
	});

	describe("offline assistant and one-click approval", () => {
		const waId = "15550007001";
		let facts: EscalationFacts;
		before(async () => {
			facts = await handedToAna(waId, "I'd like the Quilted Puffer Jacket in L, in olive please");
		});

		it("summarises who (masked number), what they want, the cart, the mood and why", async () => {
			const summary = await summaryOf(deps, facts);
			assert.match(summary, /^Maria Lopez \(\+•••7001\)/);
			assert.ok(!summary.includes(waId), "never the full wa_id");
			assert.match(summary, /Quilted Puffer Jacket/);
			assert.match(summary, /Cart: empty/);
			assert.match(summary, /Escalated because the customer asked for a person\.$/);
		});

		it("adds a product to the cart inside the conversation actor, once on a double click", async () => {
			const view = await assistFor(deps, facts, "accepted");
			assert.equal(view.items.length, 3);
			// The store has told Maria that Ana joined: Ana picks up by Maria's name, no second introduction.
			assert.match(view.items[0]!, /^Maria, I've read the conversation so far/);
			assert.ok(!view.items.some(i => /I'm Ana/.test(i)), JSON.stringify(view.items));
			const add = action(view, "add_to_cart");
			assert.deepEqual(add.params, { sku: "FA-0008", qty: 1, size: "L", color: "olive" });
			const [first, second] = await Promise.all([approveAction(deps, facts, "ana", add.id), approveAction(deps, facts, "ana", add.id)]);
			assert.match(first.result, /Added 1× Quilted Puffer Jacket \(size L, olive\) to the cart; the cart now holds 1 item for \$134\.99/);
			assert.equal(second.result, first.result);
			const after = await conversation(facts.conversationId);
			assert.equal(after.state, "human");
			assert.deepEqual(after.context.cart, [{ sku: "FA-0008", name: "Quilted Puffer Jacket", size: "L", color: "olive", qty: 1, unitPrice: 13_499, currency: "USD" }]);
		});

		it("refuses an unknown action, an action of another escalation, and a seller who does not have the conversation", async () => {
			await assert.rejects(approveAction(deps, facts, "ana", "add_to_cart:000000000000"), { code: 404, type: "NOT_FOUND" });
			const stored = (await broker.store.get<StoredAssist>(assistKey(facts.conversationId)))!;
			const id = stored.actions[0]!.id;
			await assert.rejects(approveAction(deps, { ...facts, escalationId: "esc-older" }, "ana", id), { code: 404 });
			const fresh = await assistFor(deps, facts, "customer_message");
			await assert.rejects(approveAction(deps, facts, "ben", action(fresh, "apply_promotion").id), { code: 403, type: "FORBIDDEN" });
			// The conversation's writer itself ignores a cart change by a seller who does not have it,
			// and refuses a malformed cart.
			const ignored = await broker.call<{ cart: unknown[] }, object>("ai-seller-fashion.updateCart", { id: facts.conversationId, sellerId: "ben", cart: [] });
			assert.equal(ignored.cart.length, 1);
			await assert.rejects(
				broker.call("ai-seller-fashion.updateCart", { id: facts.conversationId, sellerId: "ana", cart: [{ sku: "FA-0008", name: "x", qty: -1, unitPrice: 1, currency: "USD" }] }),
				{ code: 422 }
			);
			assert.equal((await conversation(facts.conversationId)).context.cart.length, 1, "nothing changed");
		});

		it("suggests replies in the language the customer wrote to the AI seller", async () => {
			const spanish = "15550007009";
			const id = `fashion:${spanish}`;
			await say(spanish, "hola, busco una chaqueta");
			await waitFor(async () => (await conversation(id).catch(() => null))?.context.lang === "es");
			await broker.call("ai-seller-fashion.send", { id, type: "ESCALATE", detail: "asked for a person" });
			await broker.call("ai-seller-fashion.send", { id, type: "HUMAN_ASSIGNED", sellerId: "ana" });
			const view = await assistFor(deps, { ...facts, escalationId: `esc-${spanish}`, conversationId: id, waId: spanish }, "accepted");
			assert.match(view.items[0]!, /^Maria, ya leí la conversación\. ¿En qué te ayudo\?$/);
		});

		it("knows the product the customer was looking at: the summary names it, and a discount asked of it gets the code that applies", async () => {
			const looker = "15550007021";
			const id = `fashion:${looker}`;
			await say(looker, "a black jacket under $100");
			await waitFor(async () => (await conversation(id).catch(() => null))?.context.focus === "FA-0010");
			await say(looker, "is this real leather? can I get a discount?");
			await broker.call("ai-seller-fashion.send", { id, type: "ESCALATE", detail: "asked for a person" });
			const lookerFacts = { ...facts, escalationId: `esc-${looker}`, conversationId: id, waId: looker };
			const summary = await summaryOf(deps, lookerFacts);
			assert.match(summary, /was looking at Waxed Field Jacket \(\$91\.99\); last said: "is this real leather\? can I get a discount\?" \(concerns: price\)/);
			await broker.call("ai-seller-fashion.send", { id, type: "HUMAN_ASSIGNED", sellerId: "ana" });
			const view = await assistFor(deps, lookerFacts, "accepted");
			assert.equal(view.objection?.kind, "price");
			assert.match(view.objection!.advice, /^Offer WELCOME10: it saves \$9\.20 on the Waxed Field Jacket, once in the cart\.$/);
			assert.ok(view.items.some(i => /^Good news: with the code WELCOME10 .*the Waxed Field Jacket comes to \$82\.79 instead of \$91\.99\.$/.test(i)), JSON.stringify(view.items));
			// A question about it: its details, the catalog's words, ready to send.
			await say(looker, "is it warm enough for winter?");
			const asked = await assistFor(deps, lookerFacts, "customer_message");
			assert.ok(asked.items.includes(`Here's what its details say: ${loadCatalogData().products.find(p => p.sku === "FA-0010")!.description}`), JSON.stringify(asked.items));
		});

		it("answers a delivery question with the store's stated delivery time", async () => {
			await say(waId, "how long does delivery take?");
			const view = await assistFor(deps, facts, "customer_message");
			const { minDays, maxDays } = loadCatalogData().policies.find(p => p.brand === "fashion")!.delivery!;
			assert.equal(view.objection?.kind, "shipping");
			assert.match(view.items[0]!, new RegExp(`^Orders arrive in ${minDays}–${maxDays} business days, delivery included`));
		});

		it("handles a price objection with the brand's real promotion, applies it and creates the order once", async () => {
			await say(waId, "ok I'll take it, but it's a bit expensive");
			const view = await assistFor(deps, facts, "customer_message");
			assert.equal(view.objection?.kind, "price");
			assert.match(view.objection!.advice, /WELCOME10/);
			const promo = action(view, "apply_promotion");
			assert.deepEqual(promo.params, { code: "WELCOME10" });
			// No order before the customer said where it goes (the console says it is missing); a stale one is refused.
			assert.deepEqual(view.actions.filter(a => a.kind === "create_order"), []);
			assert.equal(view.deliverTo, null);
			await assert.rejects(approveAction(deps, facts, "ana", await staleOrder(facts, [{ sku: "FA-0008", qty: 1, size: "L", color: "olive" }])), refused("The order needs a delivery address: ask the customer where to deliver it"));

			await say(waId, "send it to 12 Baker Street\nLondon NW1 6XE");
			const addressed = await assistFor(deps, facts, "customer_message");
			assert.equal(addressed.deliverTo, "12 Baker Street, London NW1 6XE");
			const order = action(addressed, "create_order");
			assert.deepEqual(order.params, { items: [{ sku: "FA-0008", qty: 1, size: "L", color: "olive" }], promoCode: "WELCOME10", deliverTo: "12 Baker Street, London NW1 6XE" });
			assert.equal(order.label, "Create the order (1 item, WELCOME10) to 12 Baker Street, London NW1 6XE");

			const applied = await approveAction(deps, facts, "ana", promo.id);
			assert.match(applied.result, /WELCOME10 applied \(10% off your first fashion order\): \$13\.50 off, the total becomes \$121\.49 instead of \$134\.99/);
			// What the seller can send the customer about it, as it is.
			assert.equal(applied.tell, "Done — I've applied WELCOME10 (10% off your first fashion order): $13.50 off, so your total comes to $121.49 instead of $134.99.");
			// The conversation holds it too: handed back before the order, the AI's checkout keeps the price told.
			assert.equal((await readConversationRecord(broker.store, facts.conversationId))!.value.snapshot.context.promoCode, "WELCOME10");

			const clicks = await Promise.all([approveAction(deps, facts, "ana", order.id), approveAction(deps, facts, "ana", order.id)]);
			assert.equal(clicks[0].result, clicks[1].result);
			assert.match(clicks[0].result, /^Order ord_\w+ created for 1× Quilted Puffer Jacket \(size L, olive\): \$121\.49 with WELCOME10, to 12 Baker Street, London NW1 6XE, awaiting payment; the cart is now empty\.$/);
			assert.match(clicks[0].tell, /^Your order ord_\w+ is placed: 1× Quilted Puffer Jacket \(size L, olive\), \$121\.49 with WELCOME10\. It goes to 12 Baker Street, London NW1 6XE\.$/);
			const orders = await broker.call<{ items: { id: string; total: number; promoCode?: string; conversationId?: string; deliverTo?: string }[] }, object>("orders.list", { waId });
			assert.equal(orders.items.length, 1, "one order for a double click");
			assert.equal((await readConversationRecord(broker.store, facts.conversationId))!.value.snapshot.context.promoCode, null, "the order used the code up");
			assert.equal(orders.items[0]!.total, 12_149);
			assert.equal(orders.items[0]!.promoCode, "WELCOME10");
			assert.equal(orders.items[0]!.conversationId, facts.conversationId);
			assert.equal(orders.items[0]!.deliverTo, "12 Baker Street, London NW1 6XE");
			const after = await conversation(facts.conversationId);
			assert.deepEqual(after.context.cart, []);
			assert.equal(after.context.orderId, orders.items[0]!.id);
			assert.equal(after.context.deliverTo, "12 Baker Street, London NW1 6XE", "the AI seller offers it for the next order");
			// Approved again later (a stale tab): the same answer, still one order.
			assert.equal((await approveAction(deps, facts, "ana", order.id)).result, clicks[0].result);
			assert.equal((await broker.call<{ items: unknown[] }, object>("orders.list", { waId })).items.length, 1);
		});

		it("sends the order to the address the customer writes after ordering, until it ships", async () => {
			const [order] = (await broker.call<{ items: { id: string; deliverTo?: string }[] }, object>("orders.list", { waId })).items;
			await say(waId, "Oh sorry, please send it to 5 Elm Road, Leeds LS1 4AB instead");
			const view = await assistFor(deps, facts, "customer_message");
			const change = action(view, "change_address");
			assert.deepEqual(change.params, { orderId: order!.id, deliverTo: "5 Elm Road, Leeds LS1 4AB" });
			assert.equal(change.label, `Send order ${order!.id} to 5 Elm Road, Leeds LS1 4AB`);
			const done = await approveAction(deps, facts, "ana", change.id);
			assert.equal(done.result, `Order ${order!.id} now goes to 5 Elm Road, Leeds LS1 4AB.`);
			assert.equal(done.tell, `Done — your order ${order!.id} now goes to 5 Elm Road, Leeds LS1 4AB.`);
			assert.equal((await broker.call<{ deliverTo?: string }, object>("orders.get", { id: order!.id })).deliverTo, "5 Elm Road, Leeds LS1 4AB");
			assert.equal((await conversation(facts.conversationId)).context.deliverTo, "5 Elm Road, Leeds LS1 4AB", "kept for the next order too");
			// Done: the same words no longer suggest it.
			assert.ok(!(await assistFor(deps, facts, "customer_message")).actions.some(a => a.kind === "change_address"));

			// Shipped meanwhile: a change approved from an older suggestion is refused, and nothing moves.
			await say(waId, "actually, send it to 9 Oak Street, York YO1 7HH");
			const late = action(await assistFor(deps, facts, "customer_message"), "change_address");
			await broker.call("orders.pay", { id: order!.id, paymentRef: "pay-late" });
			await broker.call("orders.ship", { id: order!.id, carrier: "DHL", trackingNumber: "TRK-LATE" });
			await assert.rejects(approveAction(deps, facts, "ana", late.id), refused(`Order ${order!.id} has already shipped: its address can no longer change`));
			assert.equal((await broker.call<{ deliverTo?: string }, object>("orders.get", { id: order!.id })).deliverTo, "5 Elm Road, Leeds LS1 4AB");
		});

		it("runs the same suggestion again when a later assist makes it anew (a second jacket after the order)", async () => {
			// Named anew after the order (what was named before it went into that order).
			await say(waId, "Can I also get the Denim Trucker Jacket? And a second Quilted Puffer Jacket for my sister, also in L and olive");
			const view = await assistFor(deps, facts, "customer_message");
			const again = view.actions.find(a => a.kind === "add_to_cart" && a.params.sku === "FA-0008");
			assert.ok(again, `the puffer is suggested again: ${JSON.stringify(view.actions)}`);
			const added = await approveAction(deps, facts, "ana", again.id);
			assert.match(added.result, /Added 1× Quilted Puffer Jacket/);
			assert.equal(added.tell, "Done — I've added 1× Quilted Puffer Jacket (size L, olive) to your cart. The total is $134.99.");
			assert.deepEqual((await conversation(facts.conversationId)).context.cart.map(l => [l.sku, l.qty]), [["FA-0008", 1]]);
		});

		it("after handback no action runs, and the AI has the conversation with what the seller did", async () => {
			await say(waId, "and the Denim Trucker Jacket in M, navy");
			await assistFor(deps, facts, "customer_message");
			const stored = (await broker.store.get<StoredAssist>(assistKey(facts.conversationId)))!;
			const denim = stored.actions.find(a => a.kind === "add_to_cart" && a.args.sku === "FA-0009");
			assert.ok(denim, JSON.stringify(stored.actions));
			await broker.call("ai-seller-fashion.send", { id: facts.conversationId, type: "HANDED_BACK" });
			await assert.rejects(approveAction(deps, facts, "ana", denim.id), { code: 403, type: "FORBIDDEN" });
			const after = await conversation(facts.conversationId);
			assert.equal(after.state, "cart", "the AI takes over the cart the seller filled");
			assert.deepEqual(after.context.cart.map(l => l.sku), ["FA-0008"]);
			assert.ok(after.context.orderId, "the order placed by the seller stays with the conversation");
		});
	});

	describe("assignment in flight", () => {
		it("approves an action before the assignment event reached the conversation: the conversation is assigned first", async () => {
			const waId = "15550007003";
			const id = `fashion:${waId}`;
			await say(waId, "hi");
			await waitFor(async () => (await conversation(id).catch(() => null))?.state === "browsing");
			await broker.call("ai-seller-fashion.send", { id, type: "ESCALATE" });
			await say(waId, "I want the Quilted Puffer Jacket in size S in camel");
			const facts: EscalationFacts = { escalationId: `esc-${waId}`, conversationId: id, brand: "fashion", waId, customerName: null, reason: "other", detail: null };
			const add = action(await assistFor(deps, facts, "accepted"), "add_to_cart");
			assert.match((await approveAction(deps, facts, "carla", add.id)).result, /Added 1× Quilted Puffer Jacket/);
			const after = await conversation(id);
			assert.equal(after.state, "human");
			assert.equal(after.context.sellerId, "carla");
			assert.deepEqual(after.context.cart.map(l => l.sku), ["FA-0008"]);
		});
	});

	describe("with a model (the real openai SDK against a local OpenAI-compatible server)", () => {
		let stub: OpenAIStub;
		before(async () => {
			stub = await startOpenAIStub();
		});
		after(() => stub.close());
		const withModel = (timeoutMs = 5_000): AssistDeps => ({ ...deps, openai: { apiKey: "sk-test", baseUrl: stub.baseURL, model: "gpt-test", timeoutMs } });

		let facts: EscalationFacts;
		let offlineView: AssistView;
		before(async () => {
			facts = await handedToAna("15550007002", "Do you have the Denim Trucker Jacket? Is it real leather or a scam?");
			offlineView = await assistFor(deps, facts, "customer_message");
		});

		it("uses valid suggestions restricted to the products and codes it was given", async () => {
			const replies = ["Hi Maria! Yes, the Denim Trucker Jacket is in stock.", "It's 100% cotton denim.", "Shall I add it to your cart?"];
			stub.script.splice(0, stub.script.length, {
				content: JSON.stringify({
					replies,
					objection: { kind: "trust", advice: "Reassure about returns" },
					actions: [{ kind: "add_to_cart", sku: "FA-0009", size: "m", color: "Navy" }, { kind: "apply_promotion", code: "WELCOME10" }]
				})
			});
			const before = stub.requests.length;
			const view = await assistFor(withModel(), facts, "customer_message");
			assert.equal(stub.requests.length, before + 1);
			const request = stub.requests.at(-1)!;
			assert.equal(request.model, "gpt-test");
			assert.deepEqual(request.response_format, { type: "json_object" });
			const given = JSON.parse(request.messages[1].content);
			assert.ok(
				given.products.some((p: { sku: string; sizes?: string[]; colours?: string[] }) => p.sku === "FA-0009" && p.sizes?.join() === "XS,S,M,L" && p.colours?.join() === "camel,navy"),
				`the model was given FA-0009, its sizes and its colours: ${JSON.stringify(given.products)}`
			);
			assert.ok(given.transcript.some((m: { text: string }) => /Denim Trucker/.test(m.text)));
			assert.ok(!request.messages[1].content.includes("15550007002"), "the customer's number is not sent to the model");
			assert.deepEqual(given.policies, loadCatalogData().policies.find(p => p.brand === "fashion"), "the model was given the store's terms of sale");
			assert.deepEqual(view.items, replies);
			assert.deepEqual(view.objection, { kind: "trust", advice: "Reassure about returns" });
			assert.deepEqual(view.actions.map(a => [a.kind, a.params]), [["add_to_cart", { sku: "FA-0009", qty: 1, size: "M", color: "navy" }], ["apply_promotion", { code: "WELCOME10" }]]);
			// The model's action is approvable like any other: it runs through the same tools.
			const result = await approveAction(deps, facts, "ana", view.actions[0]!.id);
			assert.match(result.result, /Added 1× Denim Trucker Jacket \(size M, navy\)/);
			assert.deepEqual((await conversation(facts.conversationId)).context.cart.map(l => [l.sku, l.size, l.color]), [["FA-0009", "M", "navy"]]);
			offlineView = await assistFor(deps, facts, "customer_message");
		});

		const fallbacks: [string, Parameters<OpenAIStub["script"]["push"]>[0], RegExp][] = [
			["invalid JSON", { content: "Sure! Here are some ideas: be nice." }, /not JSON/],
			["an invented SKU", { content: JSON.stringify({ replies: ["a", "b", "c"], actions: [{ kind: "add_to_cart", sku: "FA-9999" }] }) }, /unknown product \(FA-9999\)/],
			["an invented promotion code", { content: JSON.stringify({ replies: ["a", "b", "c"], actions: [{ kind: "apply_promotion", code: "FREE100" }] }) }, /unknown promotion code/],
			["an HTTP error", { status: 500, error: "boom" }, /answered 500/],
			["a timeout", "hang", /timed out/]
		];
		for (const [name, step, reason] of fallbacks)
			it(`falls back to the offline assistant on ${name}, and logs why`, async () => {
				stub.script.splice(0, stub.script.length, step);
				const before = stub.requests.length;
				const view = await assistFor(withModel(name === "a timeout" ? 300 : 5_000), facts, "customer_message");
				assert.equal(stub.requests.length, before + 1, "the model was asked");
				assert.deepEqual(view, offlineView);
				assert.ok(warnings.some(w => reason.test(w) && w.includes(facts.conversationId)), `logged: ${warnings.join(" | ")}`);
				const stored = await broker.store.get<StoredAssist>(assistKey(facts.conversationId));
				assert.equal(stored?.source, "offline");
			});
	});

	describe("sizes and colours", () => {
		const jeans = loadCatalogData().products.find(p => p.sku === "FA-0013")!;
		const sizes = (jeans.attributes!.sizes as string[]).join(", ");
		const colours = (jeans.attributes!.colours as string[]).join(", ");
		const ordersOf = async (waId: string) =>
			(await broker.call<{ items: { id: string; items: { sku: string; qty: number; size?: string; color?: string }[] }[] }, object>("orders.list", { waId })).items;
		it("a seller-approved order with a line missing its size or colour is refused, and no order is made; the answers set them on the line", async () => {
			const facts = await handedToAna("15550007010", "ok I'll take the Slim Stretch Jeans");
			// The line as the AI seller leaves it when the customer has not said the size nor the colour yet.
			const line = { sku: jeans.sku, name: jeans.name, qty: 1, unitPrice: jeans.price, currency: jeans.currency };
			await broker.call("ai-seller-fashion.updateCart", { id: facts.conversationId, sellerId: "ana", cart: [line] });

			const view = await assistFor(deps, facts, "customer_message");
			assert.deepEqual(view.actions.filter(a => a.kind === "create_order"), [], "no order suggested while the size is missing");
			assert.equal(view.items[0], `Which size would you like in the ${jeans.name}? ${sizes}`);
			await assert.rejects(approveAction(deps, facts, "ana", await staleOrder(facts, [{ sku: jeans.sku, qty: 1 }])), refused(`${jeans.name} needs a size before the order (sizes: ${sizes}): ask the customer`));
			assert.deepEqual(await ordersOf(facts.waId), [], "no order");
			assert.deepEqual((await conversation(facts.conversationId)).context.cart, [line], "the cart as it was");

			// The customer answers the question: one click sets the size on the waiting line.
			await say(facts.waId, "32 please");
			const set = action(await assistFor(deps, facts, "customer_message"), "add_to_cart");
			assert.deepEqual([set.params, set.label], [{ sku: jeans.sku, size: "32" }, `Set size 32 on ${jeans.name} in the cart`]);
			assert.match((await approveAction(deps, facts, "ana", set.id)).result, new RegExp(`^Set ${jeans.name} to size 32; `));
			assert.deepEqual((await conversation(facts.conversationId)).context.cart, [{ ...line, size: "32" }], "the same line, sized, nothing added");

			// Then the colour: asked, an order without it refused, the answer set on the same line.
			await say(facts.waId, "great, I'll take it");
			const asked = await assistFor(deps, facts, "customer_message");
			assert.deepEqual(asked.actions.filter(a => a.kind === "create_order"), [], "no order suggested while the colour is missing");
			assert.equal(asked.items[0], `Which colour would you like in the ${jeans.name}? ${colours}`);
			await assert.rejects(
				approveAction(deps, facts, "ana", await staleOrder(facts, [{ sku: jeans.sku, qty: 1, size: "32" }])),
				refused(`${jeans.name} needs a colour before the order (colours: ${colours}): ask the customer`)
			);
			assert.deepEqual(await ordersOf(facts.waId), [], "still no order");
			await say(facts.waId, "indigo");
			const coloured = action(await assistFor(deps, facts, "customer_message"), "add_to_cart");
			assert.deepEqual([coloured.params, coloured.label], [{ sku: jeans.sku, size: "32", color: "indigo" }, `Set colour indigo on ${jeans.name} in the cart`]);
			assert.match((await approveAction(deps, facts, "ana", coloured.id)).result, new RegExp(`^Set ${jeans.name} to size 32, indigo; the cart now holds 1 item`));
			assert.deepEqual((await conversation(facts.conversationId)).context.cart, [{ ...line, size: "32", color: "indigo" }], "the same line, nothing added");

			await say(facts.waId, "perfect, I'll take it. Deliver to 5 Elm Road, Leeds LS1 4AB");
			const placed = action(await assistFor(deps, facts, "customer_message"), "create_order");
			await approveAction(deps, facts, "ana", placed.id);
			assert.deepEqual((await ordersOf(facts.waId))[0]!.items.map(l => [l.sku, l.qty, l.size, l.color]), [[jeans.sku, 1, "32", "indigo"]]);
		});

		it("with the size and colour named, the product is added in them and the order carries them on the line", async () => {
			const facts = await handedToAna("15550007011", "Do you have the Slim Stretch Jeans in size 32, light blue?");
			const add = action(await assistFor(deps, facts, "customer_message"), "add_to_cart");
			assert.deepEqual(add.params, { sku: jeans.sku, qty: 1, size: "32", color: "light blue" });
			assert.match((await approveAction(deps, facts, "ana", add.id)).result, /^Added 1× Slim Stretch Jeans \(size 32, light blue\) to the cart/);

			await say(facts.waId, "great, I'll take it — my address is Calle 5 #23-45, Bogotá");
			const order = action(await assistFor(deps, facts, "customer_message"), "create_order");
			assert.deepEqual(order.params.items, [{ sku: jeans.sku, qty: 1, size: "32", color: "light blue" }]);
			// With PAYMENT_LINK_URL set, the order a seller creates has its payment link, as the AI seller's has.
			const placed = await approveAction({ ...deps, paymentLinkUrl: "https://pay.example.test/orders/{orderId}" }, facts, "ana", order.id);
			assert.match(placed.result, /^Order ord_\w+ created for 1× Slim Stretch Jeans \(size 32, light blue\): .*awaiting payment \(payment link: https:\/\/pay\.example\.test\/orders\/ord_\w+\)/);
			assert.match(placed.tell, /^Your order (ord_\w+) is placed: 1× Slim Stretch Jeans \(size 32, light blue\), \$\d+\.\d{2} with WELCOME10\. It goes to Calle 5 #23-45, Bogotá\. You can pay here: https:\/\/pay\.example\.test\/orders\/\1$/);
			const orders = await ordersOf(facts.waId);
			assert.equal(orders.length, 1);
			assert.deepEqual(orders[0]!.items.map(l => [l.sku, l.qty, l.size, l.color]), [[jeans.sku, 1, "32", "light blue"]]);
		});
	});

	// Last: it reads what the suites above left (an order approved in 15550007001).
	describe("insights", () => {
		it("insights: taken, time to accept and resolve, and conversions across a few escalations", async () => {
			const esc = (n: string, sellerId: string) => ({ escalationId: `esc-${n}`, conversationId: `fashion:${n}`, brand: "fashion", sellerId });
			// 7001: ana ordered through an approved action; 7003: carla took it, an order came in by
			// another way while she had it; 7004: ana, no order; 7005: ana, an order only after she resolved.
			const lone = { waId: "15550007004", brand: "fashion", items: [{ sku: "FA-0003", qty: 1 }] };
			await broker.call("orders.create", { ...lone, waId: "15550007003", conversationId: "fashion:15550007003", idempotencyKey: "insights-7003" });
			const at = Date.now();
			const cases: [ReturnType<typeof esc>, number, number][] = [
				[esc("15550007001", "ana"), 5_000, 60_000],
				[esc("15550007003", "carla"), 1_000, 20_000],
				[esc("15550007004", "ana"), 3_000, 10_000],
				[esc("15550007005", "ana"), 7_000, 30_000]
			];
			const published = [];
			for (const [e, waitedMs, handledMs] of cases) {
				published.push(...(await insightsOn(deps, { type: "escalation.assigned", ...e, at: at - handledMs, waitedMs })));
				published.push(...(await insightsOn(deps, { type: "escalation.resolved", ...e, at, to: "ai", handledMs })));
			}
			await broker.call("orders.create", { ...lone, waId: "15550007005", conversationId: "fashion:15550007005", idempotencyKey: "insights-7005" });
			assert.deepEqual(
				published.filter(p => p.kind === "escalation.resolved").map(p => [p.sellerId, p.metrics.converted]),
				[["ana", 1], ["carla", 1], ["ana", 0], ["ana", 0]]
			);
			const report = await insightsFor(deps, { brand: "fashion" });
			const ana = report.rows.find(r => r.sellerId === "ana")!;
			assert.deepEqual([ana.taken, ana.resolved, ana.conversions, ana.avgAcceptMs, ana.avgResolveMs, ana.conversionRate], [3, 3, 1, 5_000, 33_333, 0.333]);
			const carla = report.rows.find(r => r.sellerId === "carla")!;
			assert.deepEqual([carla.taken, carla.conversions, carla.conversionRate], [1, 1, 1]);
			assert.equal(report.totals.taken, 4);
			assert.equal(report.totals.conversions, 2);
		});
	});
});
