import assert from "node:assert/strict";
import { assist, type AssistantInput } from "../../../services/sales-assistant/offline-assistant";
import {
	InvalidSuggestionError,
	parseModelAnswer,
	toAssistView,
	validateModelAnswer,
	type ModelAnswer
} from "../../../services/sales-assistant/assist";

const jacket = { sku: "FA-0008", name: "Quilted Puffer Jacket", qty: 1, unitPrice: 13_499, currency: "USD", category: "jackets" };
const input: AssistantInput = {
	brand: "fashion",
	waId: "15550001234",
	customerName: "Maria Lopez",
	reason: "human_requested",
	messages: [
		{ from: "customer", text: "I want the Denim Trucker Jacket too, but it's too expensive", at: 1 },
		{ from: "ai", text: "Let me get a colleague", at: 2 }
	],
	cart: [jacket],
	products: [
		{ sku: "FA-0009", name: "Denim Trucker Jacket", price: 12_499, currency: "USD", category: "jackets", stock: 3 },
		{ sku: "FA-0010", name: "Waxed Field Jacket", price: 9_199, currency: "USD", category: "jackets", stock: 2 }
	],
	promotions: [{ code: "WELCOME10", description: "10% off your first fashion order", kind: "percent", value: 10, brand: "fashion" }],
	deliverTo: "12 Baker Street, London NW1 6XE"
};
const offline = assist(input, "customer_message");
const answer = (over: Partial<ModelAnswer> = {}): ModelAnswer => ({
	replies: ["Hola Maria!", "With WELCOME10 you save 10%.", "Shall I place the order?"],
	objection: { kind: "price", advice: "Offer WELCOME10" },
	actions: [{ kind: "add_to_cart", sku: "FA-0009" }, { kind: "apply_promotion", code: "welcome10" }, { kind: "create_order" }],
	...over
});

describe("sales assistant: the model's suggestions", () => {
	describe("parseModelAnswer", () => {
		it("reads a JSON object, also inside a ```json fence", () => {
			const text = JSON.stringify(answer());
			assert.deepEqual(parseModelAnswer(text), answer());
			assert.deepEqual(parseModelAnswer("```json\n" + text + "\n```"), answer());
		});
		const bad: [string, string | null, RegExp][] = [
			["no content", null, /no content/],
			["prose", "Sure! Here are three replies: ...", /not JSON/],
			["an array", "[1,2,3]", /not a JSON object/],
			["two replies", JSON.stringify(answer({ replies: ["a", "b"] })), /does not fit/],
			["an unknown objection kind", JSON.stringify(answer({ objection: { kind: "colour" as never, advice: "x" } })), /does not fit/],
			["an unknown action kind", JSON.stringify(answer({ actions: [{ kind: "refund" as never }] })), /does not fit/],
			["a silly quantity", JSON.stringify(answer({ actions: [{ kind: "add_to_cart", sku: "FA-0009", qty: 500 }] })), /does not fit/],
			["a size that is no size", JSON.stringify(answer({ actions: [{ kind: "add_to_cart", sku: "FA-0009", size: "x".repeat(100) }] })), /does not fit/]
		];
		for (const [name, content, message] of bad)
			it(`refuses ${name}`, () => assert.throws(() => parseModelAnswer(content), (err: Error) => err instanceof InvalidSuggestionError && message.test(err.message)));
	});

	describe("validateModelAnswer", () => {
		it("builds the actions from our data: real SKUs and codes, our labels and ids", () => {
			const out = validateModelAnswer(answer(), input, offline);
			assert.deepEqual(out.replies, answer().replies);
			assert.deepEqual(out.objection, { kind: "price", guidance: "Offer WELCOME10", replies: [] });
			assert.deepEqual(
				out.actions.map(a => [a.kind, a.args]),
				[
					["add_to_cart", { sku: "FA-0009", qty: 1 }],
					["apply_promotion", { code: "WELCOME10" }],
					["create_order", { items: [{ sku: "FA-0008", qty: 1 }], promoCode: "WELCOME10", deliverTo: "12 Baker Street, London NW1 6XE" }]
				]
			);
			assert.match(out.actions[0]!.label, /Denim Trucker Jacket \(\$124\.99\)/);
			assert.match(out.actions[1]!.label, /WELCOME10 \(saves \$13\.50\)/);
			// Same content, same id as the offline assistant gives it: a double click is one action.
			const offlinePromo = offline.actions.find(a => a.kind === "apply_promotion");
			assert.equal(out.actions[1]!.id, offlinePromo?.id);
		});

		const invented: [string, ModelAnswer, RegExp][] = [
			["an invented SKU", answer({ actions: [{ kind: "add_to_cart", sku: "FA-9999" }] }), /unknown product \(FA-9999\)/],
			["a product of the catalog it was not given", answer({ actions: [{ kind: "add_to_cart", sku: "TE-0001" }] }), /unknown product/],
			["more than the stock", answer({ actions: [{ kind: "add_to_cart", sku: "FA-0010", qty: 3 }] }), /beyond its stock/],
			["an invented promotion code", answer({ actions: [{ kind: "apply_promotion", code: "FREE100" }] }), /unknown promotion code \(FREE100\)/],
			["an order for an empty cart", answer({ actions: [{ kind: "create_order" }] }), /empty cart/],
			["three replies that are one", answer({ replies: ["Hi", "Hi", " Hi "] }), /fewer than three distinct/]
		];
		for (const [name, a, message] of invented)
			it(`refuses ${name}`, () => {
				const given = name.includes("empty cart") ? { ...input, cart: [] } : input;
				assert.throws(() => validateModelAnswer(a, given, offline), (err: Error) => err instanceof InvalidSuggestionError && message.test(err.message));
			});

		describe("sizes", () => {
			const biker = { sku: "FA-0007", name: "Biker Leather Jacket", price: 12_699, currency: "USD", category: "jackets", stock: 5, sizes: ["40", "41", "42"] };
			const tee = { sku: "FA-0023", name: "Essential Crew T-Shirt", price: 1_999, currency: "USD", stock: 9, sizes: ["S", "M", "L", "XL"] };
			const rug = { sku: "HO-0011", name: "Berber Wool Rug", price: 29_900, currency: "USD", stock: 3, sizes: ["120x170 cm", "200x300 cm"] };
			const sized: AssistantInput = { ...input, products: [...input.products!, biker, tee, rug] };
			const adding = (...actions: NonNullable<ModelAnswer["actions"]>) => answer({ actions });

			it("takes the size of a product that comes in sizes, in the catalog's spelling", () => {
				const out = validateModelAnswer(
					adding({ kind: "add_to_cart", sku: "FA-0007", size: "42" }, { kind: "add_to_cart", sku: "fa-0023", qty: 2, size: "m" }, { kind: "add_to_cart", sku: "HO-0011", size: "200x300" }),
					sized,
					offline
				);
				assert.deepEqual(
					out.actions.map(a => [a.args, a.label]),
					[
						[{ sku: "FA-0007", qty: 1, size: "42" }, "Add Biker Leather Jacket (size 42, $126.99) to the cart"],
						[{ sku: "FA-0023", qty: 2, size: "M" }, "Add 2× Essential Crew T-Shirt (size M, $19.99) to the cart"],
						[{ sku: "HO-0011", qty: 1, size: "200x300 cm" }, "Add Berber Wool Rug (size 200x300 cm, $299.00) to the cart"]
					]
				);
				// The same suggestion as the offline assistant's is the same action.
				const offlineAdd = assist({ ...sized, cart: [], messages: [{ from: "customer", text: "the Biker Leather Jacket in 42 please", at: 1 }] }, "customer_message").actions[0];
				assert.equal(out.actions[0]!.id, offlineAdd?.id);
			});

			it("offers to set the size the customer just named on a line waiting for it, whatever the model suggested", () => {
				const waiting = { sku: "FA-0007", name: "Biker Leather Jacket", qty: 1, unitPrice: 12_699, currency: "USD", sizes: biker.sizes };
				const given = { ...sized, cart: [waiting], messages: [{ from: "customer" as const, text: "42 please", at: 1 }] };
				const out = validateModelAnswer(adding(), given, offline);
				assert.deepEqual(
					out.actions.map(a => [a.kind, a.args, a.label]),
					[["add_to_cart", { sku: "FA-0007", size: "42" }, "Set size 42 on Biker Leather Jacket in the cart"]]
				);
				assert.equal(assist(given, "customer_message").actions[0]?.id, out.actions[0]?.id, "the offline assistant offers the same");
				assert.deepEqual(validateModelAnswer(adding(), { ...given, messages: [{ from: "customer", text: "which one is warmer?", at: 1 }] }, offline).actions, []);
			});

			const refused: [string, ModelAnswer, AssistantInput, RegExp][] = [
				["a product that comes in sizes without one", adding({ kind: "add_to_cart", sku: "FA-0007" }), sized, /adding FA-0007 without its size/],
				["a size the product does not come in", adding({ kind: "add_to_cart", sku: "FA-0007", size: "44" }), sized, /FA-0007 in a size it does not come in/],
				["two sizes at once", adding({ kind: "add_to_cart", sku: "FA-0023", size: "M or L" }), sized, /FA-0023 in a size it does not come in/],
				["a size for a product in one size", adding({ kind: "add_to_cart", sku: "FA-0009", size: "M" }), sized, /FA-0009, which comes in one size only/],
				[
					"an order while a cart line waits for its size",
					adding({ kind: "create_order" }),
					{ ...sized, cart: [{ sku: "FA-0007", name: "Biker Leather Jacket", qty: 1, unitPrice: 12_699, currency: "USD", sizes: biker.sizes }] },
					/order while FA-0007 waits for its size/
				]
			];
			for (const [name, a, given, message] of refused)
				it(`refuses ${name}`, () =>
					assert.throws(() => validateModelAnswer(a, given, offline), (err: Error) => err instanceof InvalidSuggestionError && message.test(err.message)));
		});

		describe("colours", () => {
			const scarf = { sku: "FA-0043", name: "Cashmere Scarf", price: 5_999, currency: "USD", stock: 9, colours: ["green", "pink"] };
			const biker = { sku: "FA-0007", name: "Biker Leather Jacket", price: 12_699, currency: "USD", stock: 5, sizes: ["40", "41", "42"], colours: ["camel", "black"] };
			const coloured: AssistantInput = { ...input, products: [...input.products!, scarf, biker] };
			const adding = (...actions: NonNullable<ModelAnswer["actions"]>) => answer({ actions });

			it("takes the colour of a product that comes in several, in the catalog's spelling, with its size", () => {
				const out = validateModelAnswer(adding({ kind: "add_to_cart", sku: "FA-0043", color: "Pink" }, { kind: "add_to_cart", sku: "FA-0007", size: "42", color: "black" }), coloured, offline);
				assert.deepEqual(
					out.actions.map(a => [a.args, a.label]),
					[
						[{ sku: "FA-0043", qty: 1, color: "pink" }, "Add Cashmere Scarf (pink, $59.99) to the cart"],
						[{ sku: "FA-0007", qty: 1, size: "42", color: "black" }, "Add Biker Leather Jacket (size 42, black, $126.99) to the cart"]
					]
				);
				const offlineAdd = assist({ ...coloured, cart: [], messages: [{ from: "customer", text: "the Cashmere Scarf in pink please", at: 1 }] }, "customer_message").actions[0];
				assert.equal(out.actions[0]!.id, offlineAdd?.id, "the same suggestion as the offline assistant's is the same action");
				// A colour given for a product with no colours to choose from is no choice: dropped.
				assert.deepEqual(validateModelAnswer(adding({ kind: "add_to_cart", sku: "FA-0009", color: "navy" }), coloured, offline).actions[0]!.args, { sku: "FA-0009", qty: 1 });
			});

			const refused: [string, ModelAnswer, AssistantInput, RegExp][] = [
				["a product that comes in several colours without one", adding({ kind: "add_to_cart", sku: "FA-0043" }), coloured, /adding FA-0043 without its colour/],
				["a colour the product does not come in", adding({ kind: "add_to_cart", sku: "FA-0043", color: "red" }), coloured, /FA-0043 in a colour it does not come in/],
				["two colours at once", adding({ kind: "add_to_cart", sku: "FA-0043", color: "green or pink" }), coloured, /FA-0043 in a colour it does not come in/],
				[
					"an order while a cart line waits for its colour",
					adding({ kind: "create_order" }),
					{ ...coloured, cart: [{ sku: "FA-0043", name: "Cashmere Scarf", qty: 1, unitPrice: 5_999, currency: "USD", colours: scarf.colours }] },
					/order while FA-0043 waits for its colour/
				]
			];
			for (const [name, a, given, message] of refused)
				it(`refuses ${name}`, () =>
					assert.throws(() => validateModelAnswer(a, given, offline), (err: Error) => err instanceof InvalidSuggestionError && message.test(err.message)));
		});

		it("keeps the offline objection handling when the model saw no objection", () => {
			const out = validateModelAnswer(answer({ objection: null, actions: [] }), input, offline);
			assert.equal(out.objection?.kind, "price");
			assert.deepEqual(out.actions, []);
		});
	});

	it("toAssistView shows the actions' arguments as params and the objection's guidance as advice", () => {
		const view = toAssistView("fashion:15550001234", offline);
		assert.equal(view.items.length, 3);
		assert.equal(view.objection?.kind, "price");
		assert.equal(view.objection?.advice, offline.objection?.guidance);
		assert.deepEqual(
			view.actions.map(a => [a.id, a.kind, a.params]),
			offline.actions.map(a => [a.id, a.kind, a.args])
		);
		assert.ok(!JSON.stringify({ ...view, conversationId: null }).includes("15550001234"), "never the customer's number");
		assert.equal(view.cart, undefined, "no cart claimed without the input");
	});

	it("toAssistView carries the cart as it is now, with what each line still needs, and the applied promotion", () => {
		const sized = { sku: "FA-0100", name: "Slim Chinos", qty: 2, unitPrice: 5_999, currency: "USD", sizes: ["S", "M", "L"] };
		const chosen = { ...sized, sku: "FA-0101", name: "Linen Shirt", qty: 1, size: "M", color: "white" };
		const view = toAssistView("fashion:15550001234", offline, { ...input, cart: [jacket, sized, chosen], appliedPromotion: "WELCOME10" });
		assert.deepEqual(view.cart, [
			{ sku: "FA-0008", name: "Quilted Puffer Jacket", qty: 1, unitPrice: 13_499, currency: "USD" },
			{ sku: "FA-0100", name: "Slim Chinos", qty: 2, unitPrice: 5_999, currency: "USD", awaiting: "size" },
			{ sku: "FA-0101", name: "Linen Shirt", qty: 1, size: "M", color: "white", unitPrice: 5_999, currency: "USD" }
		]);
		assert.equal(view.promotion, "WELCOME10");
	});
});
