import assert from "node:assert/strict";
import { DEFAULT_ESCALATION_RULES } from "../../../agents/escalation";
import { estimateCostUsd, handoffReply, ModelError, runTurn, type TurnInput } from "../../../agents/runner";
import { personaFor } from "../../../agents/personas";
import { ChoiceIds } from "../../../contracts/conversation";
import { fakeTools } from "../../fixtures/products";
import { callsTools, ScriptedModel, says, toolCall, turnInput } from "../../helpers/scripted-model";

const FAST = { timeoutMs: 200, retries: 1, retryBackoffMs: 1 };

const input = (text: string, over: Partial<TurnInput> = {}): TurnInput => turnInput(text, over);

const run = (model: ScriptedModel, i: TurnInput, tools = fakeTools(), options = {}) =>
	runTurn(i, { model, persona: personaFor("fashion"), tools, options: { ...FAST, ...options } });

describe("agent runner (scripted model)", () => {
	it("runs a tool, answers with catalog prices, lists the products and records usage and cost", async () => {
		const model = new ScriptedModel([
			callsTools(toolCall("search_products", { query: "jacket", color: "black", maxPrice: 10000 })),
			says("I found the Black Leather Jacket at $89.00 and the Black Denim Jacket at $65.00.")
		]);
		const tools = fakeTools();
		const out = await run(model, input("a black jacket under $100"), tools);
		assert.deepEqual(tools.calls[0], { fn: "catalog.search", args: { query: "jacket", color: "black", maxPrice: 10000, brand: "fashion", limit: 5 } });
		assert.equal(out.result.reply.text, "I found the Black Leather Jacket at $89.00 and the Black Denim Jacket at $65.00.");
		assert.deepEqual(out.result.reply.list?.sections[0].rows.map(r => r.id), [ChoiceIds.product("FJ-001"), ChoiceIds.product("FJ-002")]);
		assert.deepEqual(out.result.shown, ["FJ-001", "FJ-002"]);
		assert.equal(out.result.intent, "search");
		assert.equal(out.result.escalation, null);
		assert.deepEqual(out.violations, []);
		assert.equal(out.usage.promptTokens, 220);
		assert.equal(out.usage.completionTokens, 50);
		assert.equal(out.usage.totalTokens, 270);
		assert.ok(Math.abs(out.usage.costUsd - (220 * 0.15 + 50 * 0.6) / 1e6) < 1e-12);
		// The model saw the persona, the state, and the tool result.
		const second = model.requests[1];
		assert.match((second.messages[0] as { content: string }).content, /You are Luna/);
		assert.ok(second.messages.some(m => m.role === "tool" && m.content.includes('"priceText":"$89.00"')));
	});

	it("prices dated model names by their family and unknown models like the default", () => {
		assert.equal(estimateCostUsd("gpt-4o-mini-2024-07-18", 1_000_000, 0), 0.15);
		assert.equal(estimateCostUsd("gpt-4o-2024-08-06", 1_000_000, 0), 2.5);
		assert.equal(estimateCostUsd("llama3:8b", 0, 1_000_000), 0.6);
		assert.equal(estimateCostUsd("offline", 5_000, 5_000), 0);
	});

	it("feeds malformed tool arguments back to the model as an error and lets it recover", async () => {
		const model = new ScriptedModel([
			callsTools(toolCall("add_to_cart", "{sku: FJ-001")),
			callsTools(toolCall("add_to_cart", { sku: "FJ-001", qty: 0 })),
			callsTools(toolCall("add_to_cart", { sku: "FJ-001" })),
			says("Added the Black Leather Jacket ($89.00) to your cart.")
		]);
		const out = await run(model, input("add the leather jacket"), fakeTools(), { rules: { ...DEFAULT_ESCALATION_RULES, maxToolFailures: 3 } });
		assert.deepEqual(out.toolCalls.map(c => [c.name, c.ok, c.kind]), [
			["add_to_cart", false, "invalid_arguments"],
			["add_to_cart", false, "invalid_arguments"],
			["add_to_cart", true, undefined]
		]);
		const errors = model.requests[1].messages.filter(m => m.role === "tool").map(m => m.content);
		assert.match(errors[0], /not valid JSON/);
		assert.match(model.requests[2].messages.filter(m => m.role === "tool")[1].content, /qty/);
		assert.equal(out.result.cart.length, 1);
		assert.equal(out.result.escalation, null);
	});

	it("checks a list argument item by item: platforms as a string, too many, or an empty one are refused before the search", async () => {
		const model = new ScriptedModel([
			callsTools(toolCall("search_products", { query: "wheel", platforms: "Switchblade" })),
			callsTools(toolCall("search_products", { query: "wheel", platforms: ["Switchblade", ""] })),
			callsTools(toolCall("search_products", { query: "wheel", platforms: Array.from({ length: 9 }, (_, i) => `P${i}`) })),
			callsTools(toolCall("search_products", { query: "wheel", platforms: ["Switchblade"] })),
			says("Here are the wheels for your Switchblade.")
		]);
		const tools = fakeTools({ brand: "gaming" });
		const out = await run(model, input("a wheel for my switchblade"), tools, { rules: { ...DEFAULT_ESCALATION_RULES, maxToolFailures: 4 } });
		assert.deepEqual(out.toolCalls.map(c => [c.ok, c.kind]), [[false, "invalid_arguments"], [false, "invalid_arguments"], [false, "invalid_arguments"], [true, undefined]]);
		assert.deepEqual(tools.calls.filter(c => c.fn === "catalog.search").map(c => (c.args as { platforms?: string[] }).platforms), [["Switchblade"]], "only the valid call reached the catalog");
	});

	it("reports an unknown tool and escalates as complex after repeated tool failures", async () => {
		const model = new ScriptedModel([
			callsTools(toolCall("apply_discount", { percent: 50 }), toolCall("get_product", { sku: "NOPE", extra: true })),
			says("Let me see what I can do.")
		]);
		const out = await run(model, input("give me a discount"));
		assert.deepEqual(out.toolCalls.map(c => c.kind), ["unknown_tool", "invalid_arguments"]);
		assert.equal(out.result.escalation?.reason, "complex");
		assert.match(out.result.reply.text, /member of our team/);
	});

	it("tells the model why the store refused, with the facts, and does not count a refusal as a tool failure", async () => {
		const model = new ScriptedModel([
			callsTools(toolCall("add_to_cart", { sku: "FS-020" }), toolCall("remove_from_cart", { sku: "FJ-001" }), toolCall("order_status", {})),
			says("The White Sneakers are sold out, sorry. Want to see other shoes?")
		]);
		const out = await run(model, input("add the white sneakers"));
		assert.deepEqual(out.toolCalls.map(c => [c.ok, c.kind]), [[false, "rejected"], [false, "not_found"], [false, "not_found"]]);
		const refusals = model.requests[1].messages.filter(m => m.role === "tool").map(m => JSON.parse(m.content));
		assert.deepEqual(refusals, [
			{ error: "White Sneakers is out of stock", code: "insufficient_stock", sku: "FS-020", name: "White Sneakers", inStock: 0, inCart: 0 },
			{ error: "FJ-001 is not in the cart", code: "not_in_cart", sku: "FJ-001" },
			{ error: "No order found for this customer", code: "no_order" }
		]);
		assert.equal(out.result.escalation, null, "three refusals in a turn are answers, not a request the AI cannot serve");
		assert.equal(out.result.understood, true);
		assert.equal(out.result.reply.text, "The White Sneakers are sold out, sorry. Want to see other shoes?");
	});

	it("retries a model call that times out, and escalates as model_failure when every attempt does", async () => {
		const flaky = new ScriptedModel(["hang", says("Hello! How can I help?")]);
		const ok = await run(flaky, input("hello"));
		assert.equal(flaky.calls, 2);
		assert.deepEqual(flaky.aborted, [1], "the timed-out call was aborted");
		assert.equal(ok.result.reply.text, "Hello! How can I help?");

		const dead = new ScriptedModel(["hang"]);
		const failed = await run(dead, input("hello"));
		assert.equal(dead.calls, 2, "one attempt plus one retry");
		assert.equal(failed.result.escalation?.reason, "model_failure");
		assert.match(failed.modelError ?? "", /did not answer within 200 ms/);
		assert.doesNotMatch(failed.result.reply.text, /200 ms|Error/);
	});

	it("does not retry a model error that is not retryable", async () => {
		const model = new ScriptedModel([new ModelError("The model endpoint answered 400", false), says("never")]);
		const out = await run(model, input("hello"));
		assert.equal(model.calls, 1);
		assert.equal(out.result.escalation?.reason, "model_failure");
	});

	it("regenerates a reply that invents a price, and corrects it if the model insists", async () => {
		const fixed = new ScriptedModel([
			callsTools(toolCall("get_product", { sku: "FJ-001" })),
			says("The Black Leather Jacket is $79.00 today, 20% off!"),
			says("The Black Leather Jacket is $89.00.")
		]);
		const a = await run(fixed, input("how much is the leather jacket?"));
		assert.equal(a.regenerated, 1);
		assert.deepEqual(a.violations.map(v => v.kind).sort(), ["price", "promotion"]);
		assert.equal(a.result.reply.text, "The Black Leather Jacket is $89.00.");
		assert.match((fixed.requests[2].messages.at(-1) as { content: string }).content, /"\$79.00"/);
		assert.deepEqual(fixed.requests[2].tools, [], "a regeneration may not call tools");

		const stubborn = new ScriptedModel([
			callsTools(toolCall("get_product", { sku: "FJ-001" })),
			says("Great pick! It's only $59.99 with code VIP50. It has 5 in stock."),
			says("Great pick! It's only $59.99 with code VIP50. It has 5 in stock.")
		]);
		const b = await run(stubborn, input("how much is the leather jacket?"));
		assert.equal(b.corrected, true);
		assert.equal(b.result.reply.text, "Great pick! It has 5 in stock.");
	});

	it("stops the tool loop at its bound and still answers", async () => {
		const model = new ScriptedModel([callsTools(toolCall("view_cart", {}))]);
		const out = await run(model, input("cart?"), fakeTools(), { maxToolRounds: 3 });
		assert.equal(model.calls, 4, "three rounds with tools, then one without");
		assert.equal(out.toolCalls.length, 3);
		assert.deepEqual(model.requests[3].tools, []);
		assert.match(out.result.reply.text, /tell me a bit more/);
		assert.equal(out.result.understood, false);
	});

	it("refuses to place an order the customer was not asked to confirm", async () => {
		const cart = [{ sku: "FJ-001", name: "Black Leather Jacket", qty: 1, unitPrice: 8900, currency: "USD" }];
		const tools = fakeTools();
		const model = new ScriptedModel([callsTools(toolCall("checkout", { confirm: true })), says("Shall I place the order?")]);
		const out = await run(model, input("buy it", { cart }), tools);
		assert.equal(out.toolCalls[0].kind, "rejected");
		assert.equal(tools.calls.filter(c => c.fn === "orders.create").length, 0);
		assert.equal(out.result.orderId, undefined);

		const confirm = new ScriptedModel([callsTools(toolCall("checkout", { confirm: true })), says("Your order ORD-1001 is placed: $89.00.")]);
		const placed = await run(confirm, input("yes", { cart, awaitingConfirmation: true, deliverTo: "12 Rue de Rivoli, 75001 Paris" }), tools);
		assert.equal(placed.result.orderId, "ORD-1001");
		assert.deepEqual(placed.result.cart, []);
		const create = tools.calls.find(c => c.fn === "orders.create")!.args as { idempotencyKey: string; deliverTo: string };
		assert.equal(create.idempotencyKey, "fashion:15550001111:checkout:3");
		assert.equal(create.deliverTo, "12 Rue de Rivoli, 75001 Paris", "the order goes where the conversation says");
		assert.deepEqual(placed.violations, []);
	});

	it("asks where to deliver before the summary, and keeps the address the customer gives for the conversation", async () => {
		const cart = [{ sku: "FJ-001", name: "Black Leather Jacket", qty: 1, unitPrice: 8900, currency: "USD" }];
		const tools = fakeTools();
		const asks = await run(new ScriptedModel([callsTools(toolCall("checkout", {})), says("Where shall we deliver your order?")]), input("checkout", { cart }), tools);
		assert.equal(asks.toolCalls[0].kind, "rejected");
		assert.match(JSON.stringify(asks.toolCalls[0]), /address_needed|delivery address/);
		assert.equal(asks.result.awaitingConfirmation, false);
		assert.equal(asks.result.deliverTo, undefined);

		const script = new ScriptedModel([callsTools(toolCall("set_delivery_address", { address: "  12 Rue de Rivoli\n75001 Paris " })), callsTools(toolCall("checkout", {})), says("Delivery to 12 Rue de Rivoli, 75001 Paris. Shall I place it?")]);
		const summary = await run(script, input("12 Rue de Rivoli\n75001 Paris", { cart }), tools);
		assert.equal(summary.result.awaitingConfirmation, true);
		assert.equal(summary.result.deliverTo, "12 Rue de Rivoli, 75001 Paris", "one line, as an order carries it");
		// Nothing that can be an address is taken for one.
		const bad = await run(new ScriptedModel([callsTools(toolCall("set_delivery_address", { address: "....." })), says("Where to?")]), input("....", { cart }), tools);
		assert.equal(bad.toolCalls[0].ok, false);
		assert.equal(bad.result.deliverTo, undefined);
	});

	it("escalates before paying for a turn when the customer asks for a person or is upset", async () => {
		const model = new ScriptedModel([says("unused")]);
		const human = await run(model, input("can I talk to a real person please"));
		assert.equal(human.result.escalation?.reason, "human_requested");
		const angry = await run(model, input("ok", { sentiment: [0.7, 0.5, 0.2] }));
		assert.equal(angry.result.escalation?.reason, "frustration");
		assert.equal(model.calls, 0);
	});

	it("escalates a cart over the high-value threshold, keeping the model's reply", async () => {
		const model = new ScriptedModel([callsTools(toolCall("add_to_cart", { sku: "FL-900" })), says("Added the Designer Gown for $1500.00.")]);
		const out = await run(model, input("add the gown"));
		assert.equal(out.result.escalation?.reason, "high_value");
		assert.match(out.result.reply.text, /Designer Gown for \$1500\.00\.\n\n.*team/);
	});

	it("does not escalate a cart again for the value it already had (a seller handed it back)", async () => {
		const gown = { sku: "FL-900", name: "Designer Gown", qty: 1, unitPrice: 150000, currency: "USD" };
		const model = new ScriptedModel([says("You're welcome! Anything else before you check out?")]);
		const out = await run(model, input("thanks!", { cart: [gown] }));
		assert.equal(out.result.escalation ?? null, null);
		assert.equal(out.result.reply.text, "You're welcome! Anything else before you check out?");
	});

	it("never shows internal errors or phone numbers", async () => {
		const tools = fakeTools();
		tools.failing.add("catalog.search");
		const model = new ScriptedModel([
			callsTools(toolCall("search_products", { query: "jacket" })),
			(req) => says(`Sorry! ${req.messages.filter(m => m.role === "tool").map(m => m.content).join(" ")}\nCall us at +1 555 123 4567.`)
		]);
		const out = await run(model, input("jackets"), tools);
		assert.doesNotMatch(JSON.stringify(model.requests), /ECONNREFUSED/, "the tool error the model saw is neutral");
		assert.doesNotMatch(out.result.reply.text, /555 123 4567/);
		assert.equal(out.result.reply.text, "Sorry!\nCall us at ••••4567.");
		assert.ok(out.violations.some(v => v.kind === "internal"));
	});

	it("a photo asked of a product goes as its image, the reply (at most 1024 characters) as the caption, with its Add to cart while it is in stock; none, as text", async () => {
		const withPhoto = { sku: "FJ-009", name: "Photo Jacket", brand: "fashion", category: "jackets", price: 9000, currency: "USD", stock: 4, imageUrl: "https://images.example.test/FJ-009.jpg" };
		const long = `Here it is. ${"x".repeat(2000)}`;
		const asked = () => new ScriptedModel([callsTools(toolCall("get_product", { sku: "FJ-009", photo: true })), says(long)]);
		const out = await run(asked(), input("can I see it?"), fakeTools({ products: [withPhoto] }));
		assert.deepEqual(out.result.reply.image, { link: "https://images.example.test/FJ-009.jpg" });
		assert.equal(out.result.reply.text.length, 1024);
		assert.deepEqual(out.result.reply.buttons, [{ id: ChoiceIds.product("FJ-009"), title: "Add to cart" }]);
		const soldOut = await run(asked(), input("can I see it?"), fakeTools({ products: [{ ...withPhoto, stock: 0 }] }));
		assert.deepEqual(soldOut.result.reply.image, { link: "https://images.example.test/FJ-009.jpg" });
		assert.equal(soldOut.result.reply.buttons, undefined, "nothing to add: the photo alone");
		// Without a photo in the catalog: text, and the tool said so.
		const plain = new ScriptedModel([callsTools(toolCall("get_product", { sku: "FJ-009", photo: true })), req => says(String(req.messages.at(-1)?.content))]);
		const none = await run(plain, input("can I see it?"), fakeTools({ products: [{ ...withPhoto, imageUrl: undefined }] }));
		assert.equal(none.result.reply.image, undefined);
		assert.match(none.result.reply.text, /"photo":"none"/);
	});

	it("a product shown in detail is a card: its photo as the header of its Add to cart message, once; questions about it after that come without the photo", async () => {
		const withPhoto = { sku: "FJ-009", name: "Photo Jacket", brand: "fashion", category: "jackets", price: 9000, currency: "USD", stock: 4, imageUrl: "https://images.example.test/FJ-009.jpg" };
		const details = () => new ScriptedModel([callsTools(toolCall("get_product", { sku: "FJ-009" })), says("Photo Jacket — $90.00.")]);
		const first = await run(details(), input("tell me about the photo jacket"), fakeTools({ products: [withPhoto] }));
		assert.deepEqual(first.result.reply.image, { link: "https://images.example.test/FJ-009.jpg" });
		assert.deepEqual(first.result.reply.buttons, [{ id: ChoiceIds.product("FJ-009"), title: "Add to cart" }]);
		const again = await run(details(), input("is it warm?", { focus: "FJ-009" }), fakeTools({ products: [withPhoto] }));
		assert.equal(again.result.reply.image, undefined, "the photo came with the card already");
		assert.deepEqual(again.result.reply.buttons, [{ id: ChoiceIds.product("FJ-009"), title: "Add to cart" }]);
		const noPhoto = await run(details(), input("tell me about the photo jacket"), fakeTools({ products: [{ ...withPhoto, imageUrl: undefined }] }));
		assert.equal(noPhoto.result.reply.image, undefined);
	});

	it("the hand-over line of a turn that could not run speaks the customer's language, and says nothing internal", () => {
		const en = handoffReply([{ messageId: "m1", at: 1, text: "do you have black jackets?" }]);
		const es = handoffReply([{ messageId: "m1", at: 1, text: "hola, ¿tienen chaquetas negras?" }]);
		assert.match(en.text, /member of our team/);
		assert.match(es.text, /persona de nuestro equipo/);
		assert.deepEqual(Object.keys(en), ["text"], "plain text: no buttons or list to act on");
	});
});
