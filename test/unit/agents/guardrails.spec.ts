import assert from "node:assert/strict";
import { checkReply, correctReply, factsFrom, maskPhones } from "../../../agents/guardrails";
import { executeTool, newTurnState, TOOLS, toolSpecs } from "../../../agents/tools";
import { brandNamed, PERSONAS, personaFor, shopSwitch, STORE_RULES, systemPrompt } from "../../../agents/personas";
import { userContent } from "../../../agents/runner";
import { fakeTools } from "../../fixtures/products";

async function seen(skus: string[]) {
	const state = newTurnState([{ sku: "FJ-002", name: "Black Denim Jacket", qty: 2, unitPrice: 6500, currency: "USD" }], false);
	const tools = { ...fakeTools(), turn: 1 };
	for (const sku of skus) await executeTool("get_product", JSON.stringify({ sku }), tools, state);
	return factsFrom(state);
}

describe("guardrails", () => {
	it("masks phone numbers but leaves digit runs inside ids alone", () => {
		assert.equal(maskPhones("Order ord_2c96e12345678420ae6adaf is confirmed."), "Order ord_2c96e12345678420ae6adaf is confirmed.");
		assert.equal(maskPhones("Tracking 1Z99912345678 ships today."), "Tracking 1Z99912345678 ships today.");
		assert.equal(maskPhones("Call +1 555-123-4567 or 15551234567."), "Call ••••4567 or ••••4567.");
	});

	it("says the customer's own address back as written: its postcode is no phone number", () => {
		const state = newTurnState([], false, null, [], null, "Rua Augusta 100, São Paulo, 01305-000");
		const facts = factsFrom(state);
		const reply = "Noted — delivery to Rua Augusta 100, São Paulo, 01305-000. Call +1 555-123-4567 for help.";
		assert.equal(maskPhones(reply, facts), "Noted — delivery to Rua Augusta 100, São Paulo, 01305-000. Call ••••4567 for help.");
		assert.deepEqual(checkReply(reply, facts).map(v => v.text), ["+1 555-123-4567"]);
	});

	it("accepts prices, promotions and stock seen this turn or in the cart", async () => {
		const facts = await seen(["FJ-001", "FD-010"]);
		const ok = "The Black Leather Jacket is $89.00 (5 in stock). The dress is $50.00, $40.00 with code SUMMER20 — 20% off. Your cart: 2 × $65.00 = $130.00.";
		assert.deepEqual(checkReply(ok, facts), []);
	});

	it("accepts the total get_product gives for a quantity, and no other multiple of a price", async () => {
		const state = newTurnState([], false);
		const tools = { ...fakeTools(), turn: 1 };
		const out = (await executeTool("get_product", JSON.stringify({ sku: "FJ-001", qty: 3 }), tools, state)) as { forQty?: unknown };
		assert.deepEqual(out.forQty, { qty: 3, eachText: "$89.00", totalText: "$267.00" });
		const facts = factsFrom(state);
		assert.deepEqual(checkReply("3 × Black Leather Jacket come to $267.00 ($89.00 each).", facts), []);
		assert.deepEqual(checkReply("4 would be $356.00.", facts), [{ kind: "price", text: "$356.00" }]);
		await assert.rejects(executeTool("get_product", JSON.stringify({ sku: "FJ-001", qty: 1 }), tools, state), /Invalid arguments/);
		await assert.rejects(executeTool("get_product", JSON.stringify({ sku: "FJ-001", qty: 21 }), tools, state), /Invalid arguments/);
	});

	it("accepts the codes, percentages and amounts of the promotions listed this turn", async () => {
		const state = newTurnState([], false);
		await executeTool("list_promotions", "{}", { ...fakeTools(), turn: 1 }, state);
		const facts = factsFrom(state);
		assert.deepEqual(checkReply("WELCOME10 — 10% off your first fashion order. SHOES15 — $15 off shoes over $60.", facts), []);
		assert.deepEqual(checkReply("SHOES15 — $20 off shoes over $60, or 15% off with code SHOES20.", facts).map(v => v.kind), ["price", "promotion", "promotion"]);
	});

	it("reads the figures in a product's name as its name: no percentage, stock or price claim", () => {
		const state = newTurnState([], false);
		state.seen.set("GA-0032", { sku: "GA-0032", name: "60% Hot-Swap Keyboard", brand: "gaming", price: 15099, currency: "USD", stock: 112 });
		state.seen.set("GA-0016", { sku: "GA-0016", name: "Velocity Racer 2", brand: "gaming", price: 8099, currency: "USD", stock: 0 });
		const facts = factsFrom(state);
		assert.deepEqual(checkReply("3. 60% Hot-Swap Keyboard — $150.99\n4. Velocity Racer 2 — $80.99 (sold out)", facts), []);
		assert.deepEqual(checkReply("The 60% Hot-Swap Keyboard is 60% off today.", facts).map(v => v.kind), ["promotion"], "the same figure outside the name is a claim");
		assert.equal(correctReply("Here's what I found:\n1. 60% Hot-Swap Keyboard — $150.99", facts), "Here's what I found:\n1. 60% Hot-Swap Keyboard — $150.99");
	});

	it("flags invented prices, discounts, codes and stock levels", async () => {
		const facts = await seen(["FJ-001"]);
		const kinds = (text: string) => checkReply(text, facts).map(v => v.kind);
		assert.deepEqual(kinds("Only $79.99 today!"), ["price"]);
		assert.deepEqual(kinds("It costs 1,299 dollars"), ["price"]);
		assert.deepEqual(kinds("Take 30% off"), ["promotion"]);
		assert.deepEqual(kinds("Use code FREESHIP"), ["promotion"]);
		assert.deepEqual(kinds("Use code save20 at checkout"), ["promotion"]);
		assert.deepEqual(kinds("Tell me a code and I'll apply it to your order."), [], "a code the sentence does not name");
		assert.deepEqual(kinds("Only 2 left!"), ["stock"]);
		assert.deepEqual(kinds("Call me at +1 (555) 010-9999"), ["phone"]);
		assert.deepEqual(kinds("TypeError: cannot read properties of undefined"), ["internal"]);
		assert.deepEqual(kinds("connect ECONNREFUSED 127.0.0.1:6379"), ["internal"]);
		assert.deepEqual(kinds("Delivery on 2026-05-01."), []);
	});

	it("accepts the terms of sale the store's policies stated this turn, and flags every other", async () => {
		const state = newTurnState([], false);
		await executeTool("store_policy", "{}", { ...fakeTools(), turn: 1 }, state);
		const stated = factsFrom(state);
		const none = await seen(["FJ-001"]);
		const kinds = (text: string, facts = stated) => checkReply(text, facts).map(v => v.kind);
		for (const ok of [
			"Orders arrive in 2–4 business days, and delivery is included in the price.",
			"We offer 30-day returns on unused items.",
			"You can send items back within 30 days of delivery.",
			"Puedes devolver los artículos dentro de 30 días desde la entrega.",
			"Los pedidos llegan en 2-4 días hábiles, y el envío está incluido.",
			"Free shipping on every order!"
		])
			assert.deepEqual(kinds(ok), [], ok);
		assert.deepEqual(kinds("Enjoy 60-day returns, no questions asked."), ["policy"]);
		assert.deepEqual(kinds("You can return it within 90 days for a full refund."), ["policy"]);
		assert.deepEqual(kinds("No problem, you have 90 days to return it."), ["policy"]);
		assert.deepEqual(kinds("Tienes 60 días para devolverlo."), ["policy"]);
		assert.deepEqual(kinds("It arrives in 1-2 days."), ["policy"], "a span one end of which was never stated");
		assert.deepEqual(kinds("It comes with a 2-year warranty."), ["policy"], "fashion states no warranty");
		assert.deepEqual(kinds("Tiene 2 años de garantía."), ["policy"]);
		assert.deepEqual(kinds("Free shipping on every order!", none), ["policy"], "no delivery policy read this turn");
		assert.deepEqual(kinds("You can return it within 30 days.", none), ["policy"]);
		// A product's specs are not terms of sale.
		assert.deepEqual(kinds("Up to 70 days per charge, 14 days battery life.", none), []);
		// A product's own description may state its warranty: quoting it is no invention.
		const laptop = newTurnState([], false);
		laptop.seen.set("TE-1", { sku: "TE-1", name: "WorkMate 15", brand: "tech", price: 108499, currency: "USD", stock: 3, description: "Core i7, 16 GB RAM. Backed by a two-year warranty." });
		assert.deepEqual(kinds("The WorkMate 15 comes with a 2-year warranty.", factsFrom(laptop)), []);
		assert.deepEqual(kinds("The WorkMate 15 comes with a 3-year warranty.", factsFrom(laptop)), ["policy"]);
		const tech = newTurnState([], false);
		tech.policies.push({ brand: "tech", warranty: { months: 24 } });
		assert.deepEqual(kinds("Every laptop has a 2-year warranty (24 months of warranty).", factsFrom(tech)), []);
	});

	it("corrects by dropping the sentences that carry a violation and masking phone numbers", async () => {
		const facts = await seen(["FJ-001"]);
		assert.equal(
			correctReply("Great choice! It's $89.00. Today only $59.00 with 40% off.\nText me at 5551234567.", facts),
			"Great choice! It's $89.00.\nText me at ••••4567."
		);
		assert.equal(correctReply("Only $1.00!", facts), null);
	});
});

describe("tools and personas as data", () => {
	it("offers the issue's nine tools, list_promotions, store_policy, apply_promo_code, set_delivery_address, change_order_address and cancel_order, with JSON Schema parameters, and refuses unknown arguments", async () => {
		assert.deepEqual(toolSpecs().map(t => t.name), [
			"search_products", "get_product", "recommend", "add_to_cart", "remove_from_cart", "view_cart", "checkout", "set_delivery_address", "list_promotions", "store_policy", "apply_promo_code", "order_status", "change_order_address", "cancel_order", "escalate_to_human"
		]);
		for (const t of TOOLS) {
			assert.equal(t.parameters.type, "object");
			assert.equal(t.parameters.additionalProperties, false);
			for (const r of t.parameters.required) assert.ok(r in t.parameters.properties);
		}
		const state = newTurnState([], false);
		const tools = { ...fakeTools(), turn: 1 };
		await assert.rejects(executeTool("search_products", JSON.stringify({ query: "x", sql: "DROP" }), tools, state), /Invalid arguments/);
		await assert.rejects(executeTool("search_products", "[]", tools, state), /must be a JSON object/);
		await assert.rejects(executeTool("add_to_cart", JSON.stringify({ sku: "FS-020" }), tools, state), /White Sneakers is out of stock/);
		await assert.rejects(executeTool("get_product", JSON.stringify({ sku: "TH-100" }), tools, state), /No product with SKU TH-100 in this store/);
		await assert.rejects(executeTool("escalate_to_human", JSON.stringify({ reason: "bored" }), tools, state), /Invalid arguments/);
	});

	it("changes a cart line's colour with replacesColor, joining a line already in it, and refuses a colour or line it does not have", async () => {
		const state = newTurnState([], false);
		const tools = { ...fakeTools(), turn: 1 };
		const add = (args: object) => executeTool("add_to_cart", JSON.stringify(args), tools, state);
		await add({ sku: "FB-042", size: "42", color: "grey" });
		const changed = (await add({ sku: "FB-042", size: "42", color: "black", replacesColor: "grey" })) as { recoloured: unknown };
		assert.deepEqual(changed.recoloured, { sku: "FB-042", name: "Hiking Boot", from: "grey", color: "black", qty: 1 });
		assert.deepEqual(state.cart.map(l => [l.size, l.color, l.qty]), [["42", "black", 1]]);
		await add({ sku: "FB-042", size: "42", color: "grey" });
		await add({ sku: "FB-042", size: "42", color: "black", replacesColor: "grey" });
		assert.deepEqual(state.cart.map(l => [l.size, l.color, l.qty]), [["42", "black", 2]], "one line of both");
		await assert.rejects(add({ sku: "FB-042", color: "black", replacesColor: "grey" }), /Hiking Boot in grey is not in the cart/);
		await assert.rejects(add({ sku: "FB-042", color: "pink", replacesColor: "black" }), /does not come in pink/);
		await assert.rejects(add({ sku: "FB-042", replacesColor: "black" }), /needs the new colour/);
	});

	it("keeps one cart line per size, counts the product's stock across them, and refuses a size it does not come in", async () => {
		const state = newTurnState([], false);
		const tools = { ...fakeTools(), turn: 1 };
		const add = (args: object) => executeTool("add_to_cart", JSON.stringify(args), tools, state);
		assert.deepEqual(((await add({ sku: "FT-030", size: "m", qty: 2 })) as { added: unknown }).added, { sku: "FT-030", name: "Linen Shirt", size: "M", qty: 2 });
		await add({ sku: "FT-030", size: "XS", qty: 3 });
		assert.deepEqual(state.cart.map(l => [l.size, l.qty]), [["M", 2], ["XS", 3]]);
		await assert.rejects(add({ sku: "FT-030", size: "S", qty: 2 }), /Only 6 of Linen Shirt in stock/);
		await assert.rejects(add({ sku: "FT-030", size: "XXL" }), /does not come in XXL; sizes: M, XL, XS, S/);
		await assert.rejects(add({ sku: "FJ-001", size: "M" }), /comes in one size only/);
		const removed = await executeTool("remove_from_cart", JSON.stringify({ sku: "FT-030", size: "xs" }), tools, state);
		assert.deepEqual((removed as { removed: unknown }).removed, { sku: "FT-030", name: "Linen Shirt", size: "XS" });
		assert.deepEqual(state.cart.map(l => [l.size, l.qty]), [["M", 2]]);
	});

	it("answers terms of sale from the store's stated policies, naming what it has not stated", async () => {
		const state = newTurnState([], false);
		const fashion = { ...fakeTools(), turn: 1 };
		assert.deepEqual(await executeTool("store_policy", JSON.stringify({ topic: "returns" }), fashion, state), { topic: "returns", returns: { days: 30, condition: "unused" } });
		const warranty = (await executeTool("store_policy", JSON.stringify({ topic: "warranty" }), fashion, state)) as { notStated: string[]; note: string };
		assert.deepEqual(warranty.notStated, ["warranty"]);
		assert.match(String(warranty.note), /never guess/);
		const all = (await executeTool("store_policy", "{}", fashion, state)) as object;
		assert.deepEqual(Object.keys(all).sort(), ["delivery", "notStated", "note", "payment", "returns"]);
		assert.equal(state.policies.length, 3, "every answer is kept as a fact for the guardrails");
		await assert.rejects(executeTool("store_policy", JSON.stringify({ topic: "loyalty" }), fashion, state), /Invalid arguments/);
	});

	it("keeps the five personas of the product brief, each with the store rules in its prompt", () => {
		assert.deepEqual(
			Object.values(PERSONAS).map(p => [p.brand, p.name]),
			[["fashion", "Luna"], ["tech", "Max"], ["home", "Sofia"], ["beauty", "Bella"], ["gaming", "Pixel"]]
		);
		for (const p of Object.values(PERSONAS)) {
			const prompt = systemPrompt(p);
			assert.match(prompt, new RegExp(`You are ${p.name}`));
			for (const rule of [...STORE_RULES, ...p.rules]) assert.ok(prompt.includes(rule));
		}
	});

	it("reads a shop picked in words on a shared number, and the pick is nothing for the seller to answer", () => {
		const shops = ["fashion", "home", "beauty"];
		for (const [said, brand] of [["beauty", "beauty"], ["Bella", "beauty"], ["belleza", "beauty"], ["la de belleza", "beauty"], ["HOGAR", "home"], ["moda", "fashion"], ["2", "home"], ["quiero la tienda de ropa", "fashion"]] as const)
			assert.equal(brandNamed(said, shops), brand, said);
		for (const said of ["a beauty cream", "9", "gaming", "hola", "busco algo de belleza para mi piel"]) assert.equal(brandNamed(said, shops), undefined, said);
		// The tap says a shop was picked (the seller says hello), never its title to search.
		const picked = [{ messageId: "a", at: 1, text: "hola" }, { messageId: "b", at: 2, choiceId: "brand:home", text: "Sofia" }, { messageId: "c", at: 3, text: "belleza", namesBrand: "beauty" }];
		assert.equal(userContent(picked), "hola\n[tap brand:home] Sofia");
		// Later, past the pick, a shop's word is what the customer asks this seller for.
		assert.equal(userContent(picked, false), "hola\n[tap brand:home] Sofia\nbelleza");
	});

	it("names the AI seller as the brands file does, in every line it says, accents and all", () => {
		const home = personaFor("home", { seller: "Lucía", personality: "warm, design-focused" });
		assert.equal(home.name, "Lucía");
		assert.equal(home.greeting.es, PERSONAS.home!.greeting.es.replace("Sofía", "Lucía"));
		assert.equal(home.greeting.en, PERSONAS.home!.greeting.en.replace("Sofia", "Lucía"));
		assert.equal(home.voice, PERSONAS.home!.voice, "a personality the built-in voice already says keeps that voice");
		assert.equal(personaFor("gaming", { personality: "calm, thoughtful" }).voice, "calm, thoughtful");
		assert.equal(personaFor("fashion", { seller: "Luna" }), PERSONAS.fashion, "the built-in name is the built-in persona");
		assert.match(systemPrompt(personaFor("fashion", { seller: "Camila" })), /You are Camila/);
		// And customers call the shop by it.
		assert.equal(brandNamed("Camila", ["fashion", "beauty"], { fashion: "Camila" }), "fashion");
		assert.equal(shopSwitch("llévame con Camila", ["beauty", "fashion"], { fashion: "Camila" }), "fashion");
	});

	it("reads an ask to move to another shop of a shared number, and not a shop's word said for a product or an address", () => {
		const shops = ["fashion", "tech", "home", "beauty", "gaming"];
		const asks = [
			["switch to the beauty shop", "beauty"],
			["take me to Bella", "beauty"],
			["can I talk to Pixel?", "gaming"],
			["the home store instead", "home"],
			["I want to go back to Luna", "fashion"],
			["can I go to the tech store", "tech"],
			["cámbiame a la tienda de belleza", "beauty"],
			["pásame con Sofia", "home"],
			["mejor llévame con Luna", "fashion"],
			["quiero ir a la tienda de videojuegos", "gaming"],
			["la tienda de hogar por favor", "home"]
		] as const;
		for (const [said, brand] of asks) assert.equal(shopSwitch(said, shops), brand, said);
		for (const said of ["home", "juegos", "makeup", "send it to my house instead", "envíalo a mi casa en vez de la oficina", "take me home", "talk to a person", "change the size to M", "switch to black instead", "show me home decor", "a gaming headset for my son"])
			assert.equal(shopSwitch(said, shops), undefined, said);
		assert.equal(shopSwitch("take me to Bella", ["fashion"]), undefined, "a number of one shop has nowhere to move");
	});
});
