import assert from "node:assert/strict";
import sinon from "sinon";
import { executeTool, newTurnState, type Product, type ToolError } from "../../../agents/tools";
import { createOfflineBrain } from "../../../agents/offline-brain";
import { personaFor } from "../../../agents/personas";
import { runTurn } from "../../../agents/runner";
import { fakeTools } from "../../fixtures/products";
import { turnInput } from "../../helpers/scripted-model";

const product = (sku: string, name: string, description: string, stock: number): Product => ({ sku, name, brand: "beauty", category: "moisturisers", description, price: 3000, currency: "USD", stock });

describe("search_products", () => {
	const run = async (query: string | undefined, found: Product[]) => {
		const tools = { ...fakeTools({ brand: "beauty" }), turn: 1 };
		sinon.stub(tools.catalog, "search").resolves({ products: found, unmatched: [] });
		const out = (await executeTool("search_products", JSON.stringify(query ? { query } : {}), tools, newTurnState([], false))) as { products: { sku: string }[] };
		return out.products.map(p => p.sku);
	};
	const oily = product("B-1", "Oil-Free Matte Moisturiser", "For oily skin.", 5);
	const combination = product("B-2", "Barrier Repair Moisturiser", "For combination skin.", 9);
	const dry = product("B-3", "Rich Night Cream", "For dry skin.", 0);
	const normal = product("B-4", "Tinted Day Cream", "For normal skin.", 0);

	it("lists what can be bought first, sold-out products after, in the catalog's order", async () => {
		assert.deepEqual(await run("moisturiser", [dry, oily, normal, combination]), ["B-1", "B-2", "B-3", "B-4"]);
		assert.deepEqual(await run(undefined, [dry, oily]), ["B-1", "B-3"]);
	});

	it("leads with a sold-out product that has more of the query's words than any in stock", async () => {
		// "dry skin": the one for dry skin is the answer, even sold out; the others only say "skin".
		assert.deepEqual(await run("dry skin", [oily, dry, normal, combination]), ["B-3", "B-1", "B-2", "B-4"]);
		// As many words as an in-stock one is not closer.
		assert.deepEqual(await run("oily skin", [dry, oily, combination]), ["B-1", "B-2", "B-3"]);
	});

	it("the offline brain says the closest match is sold out when it leads", async () => {
		const tools = fakeTools({ brand: "beauty" });
		sinon.stub(tools.catalog, "search").resolves({ products: [oily, dry, combination], unmatched: [] });
		const input = turnInput("", { conversationId: tools.conversationId, brand: "beauty", waId: tools.waId, messages: [{ messageId: "m", at: 1, text: "a moisturiser for dry skin" }] }, 2);
		const out = await runTurn(input, { model: createOfflineBrain(), persona: personaFor("beauty"), tools });
		assert.match(out.result.reply.text, /The closest match is sold out right now; the others are in stock:\n1\. Rich Night Cream — \$30\.00 \(sold out\)\n2\. Oil-Free Matte Moisturiser/);
	});

	it("the offline brain says which words the shop has nothing for before what it found for the others", async () => {
		const tools = fakeTools({ brand: "beauty" });
		sinon.stub(tools.catalog, "search").resolves({ products: [oily, combination], unmatched: ["vegan"] });
		const say = async (text: string) =>
			(await runTurn(turnInput("", { conversationId: tools.conversationId, brand: "beauty", waId: tools.waId, messages: [{ messageId: "m", at: 1, text }] }, 2), { model: createOfflineBrain(), persona: personaFor("beauty"), tools })).result.reply.text;
		assert.match(await say("a vegan moisturiser"), /^Nothing in our shop mentions “vegan” — the closest I have:\n1\. Oil-Free Matte Moisturiser/);
		assert.match(await say("una crema vegana"), /^No tengo nada que diga exactamente eso — lo más cercano:\n1\. /);
		const out = (await executeTool("search_products", JSON.stringify({ query: "vegan moisturiser" }), { ...tools, turn: 1 }, newTurnState([], false))) as { unmatched?: string[] };
		assert.deepEqual(out.unmatched, ["vegan"], "the model is told too");
	});

	it("takes who it is for (forAge) to the catalog, refuses an age that is no number, and tells the model what the age left out", async () => {
		const tools = { ...fakeTools({ brand: "gaming" }), turn: 1 };
		const search = (await executeTool("search_products", JSON.stringify({ query: "racing game", forAge: 10 }), tools, newTurnState([], false))) as { count: number; ratedOlder?: number };
		assert.deepEqual([search.count, search.ratedOlder], [0, 1], "Kart Legends is rated T");
		const picks = (await executeTool("recommend", JSON.stringify({ forAge: 10 }), tools, newTurnState([], false))) as { products: { sku: string }[] };
		assert.ok(picks.products.length > 0 && !picks.products.some(p => p.sku === "GG-010"));
		await assert.rejects(executeTool("recommend", JSON.stringify({ forAge: "ten" }), tools, newTurnState([], false)), /Invalid arguments for recommend/);
		await assert.rejects(executeTool("search_products", JSON.stringify({ query: "game", forAge: -1 }), tools, newTurnState([], false)), /Invalid arguments for search_products/);
	});

	it("the offline brain says what it searched for when a word was misspelt", async () => {
		const tools = fakeTools({ brand: "beauty" });
		sinon.stub(tools.catalog, "search").resolves({ products: [oily, combination], unmatched: [], searchedFor: "moisturiser" });
		const input = turnInput("", { conversationId: tools.conversationId, brand: "beauty", waId: tools.waId, messages: [{ messageId: "m", at: 1, text: "a moisturizr" }] }, 2);
		const out = await runTurn(input, { model: createOfflineBrain(), persona: personaFor("beauty"), tools });
		assert.match(out.result.reply.text, /^\(I read “moisturizr” as “moisturiser”\.\)\n[^\n]*Here's what I found:\n1\. Oil-Free Matte Moisturiser/);
	});

	it("a feature asked by another name is found by the words the descriptions use", async () => {
		const boots = [product("BO-1", "Chelsea Boots", "On a grippy sole, water resistant.", 4), product("BO-2", "Hiking Boots", "Water-resistant leather.", 3), product("BO-3", "Canvas Boots", "Light canvas.", 2)];
		const tools = fakeTools({ brand: "beauty" });
		sinon.stub(tools.catalog, "get").callsFake(async (sku: string) => boots.find(b => b.sku === sku) ?? null);
		const input = turnInput("", { conversationId: tools.conversationId, brand: "beauty", waId: tools.waId, shown: boots.map(b => b.sku), messages: [{ messageId: "m", at: 1, text: "are they waterproof?" }] }, 2);
		const out = await runTurn(input, { model: createOfflineBrain(), persona: personaFor("beauty"), tools });
		assert.match(out.result.reply.text, /^The Chelsea Boots and Hiking Boots mention “water resistant”; the others don't:\n1\. Chelsea Boots/);
	});
});

describe("add_to_cart with replacesSize (a size change)", () => {
	const shirt = (size: string, qty: number) => ({ sku: "FT-030", name: "Linen Shirt", size, qty, unitPrice: 4500, currency: "USD" });
	const change = async (cart: ReturnType<typeof shirt>[], args: Record<string, unknown>) => {
		const state = newTurnState(cart, false);
		const tools = { ...fakeTools({ brand: "fashion" }), turn: 1 };
		const out = await executeTool("add_to_cart", JSON.stringify({ sku: "FT-030", ...args }), tools, state).catch((e: Error) => e);
		return { out, cart: state.cart.map(l => [l.size, l.qty]) };
	};

	it("changes the line in place and keeps its quantity", async () => {
		const { out, cart } = await change([shirt("M", 3)], { size: "xl", replacesSize: "m" });
		assert.deepEqual(cart, [["XL", 3]]);
		assert.deepEqual((out as { resized: unknown }).resized, { sku: "FT-030", name: "Linen Shirt", from: "M", size: "XL", qty: 3 });
	});

	it("refuses a size the product does not come in, and changes nothing", async () => {
		const { out, cart } = await change([shirt("M", 1)], { size: "L", replacesSize: "M" });
		assert.match(String(out), /does not come in L/);
		assert.deepEqual(cart, [["M", 1]]);
	});

	it("refuses a line that is not in the cart, and a change without the new size", async () => {
		const missing = await change([shirt("M", 1)], { size: "XL", replacesSize: "S" });
		assert.match(String(missing.out), /Linen Shirt in size S is not in the cart/);
		const noSize = await change([shirt("M", 1)], { replacesSize: "M" });
		assert.match(String(noSize.out), /needs the new size/);
		assert.deepEqual(noSize.cart, [["M", 1]]);
	});
});

describe("cancel_order", () => {
	const placed = async (status = "pending") => {
		const tools = { ...fakeTools({ brand: "home" }), turn: 1 };
		const order = await tools.orders.create({ waId: tools.waId, brand: "home", items: [{ sku: "HK-010", qty: 1 }], conversationId: tools.conversationId, idempotencyKey: "k1" });
		order.status = status;
		return { tools, order };
	};
	const cancel = (tools: ReturnType<typeof fakeTools> & { turn: number }, args: Record<string, unknown>, cancelling: string | null = null) => {
		const state = newTurnState([], false, null, [], cancelling);
		return { state, out: executeTool("cancel_order", JSON.stringify(args), tools, state).catch((e: Error) => e) };
	};

	it("asks first: the order is shown and remembered as the one to confirm, nothing is cancelled", async () => {
		const { tools, order } = await placed();
		const { state, out } = cancel(tools, {});
		assert.deepEqual(await out, { orderId: order.orderId, totalText: "$66.99", status: "pending", confirmationNeeded: true });
		assert.equal(state.cancelling, order.orderId);
		assert.equal(order.status, "pending");
	});

	it("cancels with confirm only the order the last turn asked about", async () => {
		const { tools, order } = await placed("confirmed");
		const unasked = cancel(tools, { orderId: order.orderId, confirm: true });
		assert.match(String(await unasked.out), /ask the customer to confirm cancelling it first/);
		assert.equal(order.status, "confirmed");
		const other = cancel(tools, { orderId: order.orderId, confirm: true }, "ORD-9999");
		assert.match(String(await other.out), /No order found|ask the customer to confirm/);
		assert.equal(order.status, "confirmed");
		const asked = cancel(tools, { confirm: true }, order.orderId);
		assert.deepEqual(await asked.out, { orderId: order.orderId, totalText: "$66.99", status: "cancelled", cancelled: true, wasPaid: true });
		assert.equal(asked.state.cancelled, order.orderId);
		assert.equal(order.status, "cancelled");
	});

	it("refuses an order that shipped or arrived, with its status, and says an already cancelled one is", async () => {
		for (const status of ["shipped", "delivered"]) {
			const { tools, order } = await placed(status);
			const err = (await cancel(tools, {}, null).out) as ToolError;
			assert.equal(err.facts?.code, "not_cancellable");
			assert.deepEqual(err.facts, { code: "not_cancellable", orderId: order.orderId, status });
		}
		const { tools, order } = await placed("cancelled");
		assert.deepEqual(await cancel(tools, {}).out, { orderId: order.orderId, totalText: "$66.99", status: "cancelled", alreadyCancelled: true });
	});

	it("without an id, finds the open order holding the item named; lists them when several fit, or when nothing tells them apart", async () => {
		const tools = { ...fakeTools({ brand: "home" }), turn: 1 };
		const knife = { sku: "HK-010", name: "Chef's Knife 20 cm", qty: 1 };
		const rug = { sku: "HR-001", name: "Shaggy Rug", qty: 2, size: "200x300 cm" };
		tools.orders_.set("ORD-1", { orderId: "ORD-1", status: "pending", total: 6699, currency: "USD", items: [knife] });
		tools.orders_.set("ORD-2", { orderId: "ORD-2", status: "confirmed", total: 63398, currency: "USD", items: [rug] });
		const knifeOrder = cancel(tools, { item: "knife" });
		assert.deepEqual(await knifeOrder.out, { orderId: "ORD-1", totalText: "$66.99", items: [knife], status: "pending", confirmationNeeded: true });
		assert.equal(knifeOrder.state.cancelling, "ORD-1");
		const both = cancel(tools, {});
		assert.deepEqual(await both.out, {
			choose: [
				{ orderId: "ORD-2", status: "confirmed", totalText: "$633.98", items: [rug] },
				{ orderId: "ORD-1", status: "pending", totalText: "$66.99", items: [knife] }
			]
		});
		assert.equal(both.state.cancelling, undefined, "nothing to confirm before the customer chose");
		const none = (await cancel(tools, { item: "sofa" }).out) as ToolError;
		assert.equal(none.facts?.code, "no_order_with");
		// An orders service that gives no contents: the only open order, else the choice by id and total.
		for (const o of tools.orders_.values()) delete o.items;
		assert.deepEqual(((await cancel(tools, { item: "knife" }).out) as { choose: { orderId: string }[] }).choose.map(o => o.orderId), ["ORD-2", "ORD-1"]);
		tools.orders_.get("ORD-2")!.status = "shipped";
		assert.equal(((await cancel(tools, { item: "knife" }).out) as { orderId: string }).orderId, "ORD-1");
	});

	it("refuses an order that shipped between the question and the yes", async () => {
		const { tools, order } = await placed();
		sinon.stub(tools.orders, "cancel").resolves({ notCancellable: "shipped" });
		const err = (await cancel(tools, { confirm: true }, order.orderId).out) as ToolError;
		assert.deepEqual(err.facts, { code: "not_cancellable", orderId: order.orderId, status: "shipped" });
	});

	it("the offline brain asks with reply buttons, and a tap on 'Yes, cancel it' cancels it without another notice", async () => {
		const { tools, order } = await placed();
		const ask = await runTurn(turnInput("cancel my order", { conversationId: tools.conversationId, brand: "home", waId: tools.waId, orderId: order.orderId }), { model: createOfflineBrain(), persona: personaFor("home"), tools });
		assert.match(ask.result.reply.text, new RegExp(`^Shall I cancel your order ${order.orderId} \\(\\$66\\.99\\)\\?`));
		assert.deepEqual(ask.result.reply.buttons?.map(b => b.id), ["order:cancel", "order:keep"]);
		assert.equal(ask.result.cancelling, order.orderId);
		const input = turnInput("", { conversationId: tools.conversationId, brand: "home", waId: tools.waId, orderId: order.orderId, cancelling: order.orderId, messages: [{ messageId: "m4", at: 2_000, text: "Yes, cancel it", choiceId: "order:cancel" }] }, 4);
		const done = await runTurn(input, { model: createOfflineBrain(), persona: personaFor("home"), tools });
		assert.equal(done.result.reply.text, `Done — your order ${order.orderId} is cancelled. Nothing was charged.`);
		assert.equal(done.result.cancelledOrderId, order.orderId);
		assert.equal(done.result.cancelling, undefined);
		assert.equal(order.status, "cancelled");
	});
});

describe("apply_promo_code", () => {
	it("with an empty cart notes a running code for the order, and refuses one the shop isn't running", async () => {
		const tools = { ...fakeTools({ brand: "gaming" }), turn: 1 };
		const state = newTurnState([], false);
		assert.deepEqual(await executeTool("apply_promo_code", JSON.stringify({ code: "levelup" }), tools, state), { noted: true, code: "LEVELUP", description: "$10 off games", descriptionEs: "$10 de descuento en juegos" });
		assert.equal(state.promoCode, "LEVELUP", "kept for the checkout, which prices it");
		const unknown = newTurnState([], false);
		const err = (await executeTool("apply_promo_code", JSON.stringify({ code: "NOPE" }), tools, unknown).catch(e => e)) as ToolError;
		assert.equal(err.facts?.code, "promo_refused");
		assert.equal(unknown.promoCode, undefined);
	});
});
