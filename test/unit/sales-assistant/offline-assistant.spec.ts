import assert from "node:assert/strict";
import {
	assist,
	detectObjection,
	formatMoney,
	promotionSavings,
	sentimentOf,
	suggestActions,
	suggestReplies,
	summarize,
	type AssistantInput,
	type AssistantMessage
} from "../../../services/sales-assistant/offline-assistant";

const said = (...texts: string[]): AssistantMessage[] => texts.map((text, i) => ({ from: "customer", text, at: 1000 + i }));
const laptop = { sku: "TE-0007", name: "Nimbus 14 Laptop", qty: 1, unitPrice: 89_900, currency: "USD", category: "laptops" };
const tech: AssistantInput = {
	brand: "tech",
	waId: "15557654321",
	customerName: "João Silva",
	reason: "high_value",
	sellerName: "Ben Okafor",
	messages: said("Is the Nimbus 14 any good?"),
	cart: [laptop],
	products: [
		{ sku: "TE-0008", name: "Nimbus 13 Air", price: 74_900, currency: "USD", category: "laptops", stock: 4 },
		{ sku: "TE-0100", name: "USB-C Dock", price: 5_900, currency: "USD", category: "accessories", stock: 0 },
		{ sku: "TE-0101", name: "Laptop Sleeve", price: 2_500, currency: "USD", category: "accessories" }
	],
	promotions: [
		{ code: "LAPTOP50", description: "$50 off laptops over $500", kind: "fixed", value: 5_000, brand: "tech", category: "laptops", minSubtotal: 50_000 },
		{ code: "TECH5", description: "5% off tech", kind: "percent", value: 5, brand: "tech" },
		{ code: "GLOW20", description: "20% off beauty", kind: "percent", value: 20, brand: "beauty" }
	],
	policies: { brand: "tech", delivery: { minDays: 1, maxDays: 3 }, returns: { days: 14, condition: "any" } }
};

describe("offline sales assistant", () => {
	describe("objections", () => {
		const table: [string, ReturnType<typeof detectObjection>][] = [
			["That's way too expensive", "price"],
			["do you have anything cheaper?", "price"],
			["Es muy caro", "price"],
			["How long does delivery take?", "shipping"],
			["quanto custa o frete?", "shipping"],
			["Is this a scam?", "trust"],
			["what's your return policy", "trust"],
			["too expensive and is this even legit?", "price"],
			["I'd like it in blue", null],
			["the shipment is ok, I just expected it really", null]
		];
		for (const [text, kind] of table) it(`"${text}" → ${kind}`, () => assert.equal(detectObjection(text), kind));
	});

	describe("sentiment", () => {
		const table: [string[], string][] = [
			[["thanks, that's perfect"], "positive"],
			[["This is ridiculous, I've been waiting forever"], "negative"],
			[["I WANT A PERSON NOW"], "negative"],
			[["hello", "do you have it in size 40?"], "neutral"],
			[["this is terrible", "ok thanks, great, that solves it"], "positive"],
			[["great, thanks", "actually no, this is the worst service"], "negative"],
			[["obrigado, perfeito"], "positive"]
		];
		for (const [texts, expected] of table) it(`${JSON.stringify(texts)} → ${expected}`, () => assert.equal(sentimentOf(said(...texts)), expected));

		it("reads only the customer's words", () => {
			assert.equal(sentimentOf([{ from: "ai", text: "Sorry, that was terrible of us", at: 1 }, ...said("ok")]), "neutral");
		});
	});

	describe("summary", () => {
		it("says who (masked number), what they want, the cart, the mood and why", () => {
			const s = summarize({ ...tech, reason: "frustration", detail: "asked three times", messages: said("Is the Nimbus 14 any good?", "hmm it's too expensive") });
			assert.equal(s.who, "João Silva (+•••4321)");
			assert.equal(s.cart, "1× Nimbus 14 Laptop = $899.00");
			assert.equal(s.cartTotal, 89_900);
			assert.equal(s.sentiment, "negative");
			assert.equal(s.why, "the customer is frustrated: asked three times");
			assert.match(s.wants, /too expensive/);
			assert.match(s.wants, /concerns: price/);
			assert.ok(!s.text.includes("15557654321"), "no phone number in clear");
			assert.ok(s.text.includes(s.who) && s.text.includes(s.cart) && s.text.includes(s.why));
		});

		const table: [string, Partial<AssistantInput>, Partial<ReturnType<typeof summarize>>][] = [
			["an empty conversation", { messages: [], cart: [], customerName: null }, { who: "Customer (+•••4321)", cart: "empty", wants: "has not said anything yet", currency: null }],
			["a buyer", { messages: said("ok I'll take it") }, { wants: 'wants to buy; last said: "ok I\'ll take it"' }],
			["a named product", { messages: said("and the Laptop Sleeve?"), cart: [] }, { wants: 'asked about Laptop Sleeve; last said: "and the Laptop Sleeve?"' }],
			["a cart line with its size", { cart: [{ sku: "FA-0009", name: "Denim Trucker Jacket", size: "M", qty: 1, unitPrice: 12499, currency: "USD" }] }, { cart: "1× Denim Trucker Jacket (size M) = $124.99" }],
			["a model failure", { reason: "model_failure" }, { why: "the AI could not answer" }],
			["a person requested", { reason: "human_requested", detail: "" }, { why: "the customer asked for a person" }]
		];
		for (const [name, over, expected] of table)
			it(name, () => {
				const s = summarize({ ...tech, ...over });
				for (const [k, v] of Object.entries(expected)) assert.deepEqual(s[k as keyof typeof s], v, k);
			});

		it("clips a long last message", () => {
			const s = summarize({ ...tech, messages: said("x".repeat(500)) });
			assert.ok(s.wants.length < 160);
			assert.ok(s.wants.includes("…"));
		});
	});

	describe("promotions", () => {
		const table: [string, number][] = [["LAPTOP50", 5_000], ["TECH5", 4_495], ["GLOW20", 0]];
		for (const [code, savings] of table)
			it(`${code} saves ${savings} on the laptop cart`, () =>
				assert.equal(promotionSavings(tech.promotions!.find(p => p.code === code)!, tech.cart, "tech"), savings));

		it("respects the minimum subtotal and the category", () => {
			const cheap = [{ ...laptop, unitPrice: 40_000 }];
			assert.equal(promotionSavings(tech.promotions![0]!, cheap, "tech"), 0);
			assert.equal(promotionSavings(tech.promotions![0]!, [{ ...laptop, category: "phones" }], "tech"), 0);
		});

		it("formats money", () => {
			assert.deepEqual([formatMoney(89_900, "USD"), formatMoney(123_456_78, "EUR"), formatMoney(5, "BRL")], ["$899.00", "€123,456.78", "BRL 0.05"]);
		});
	});

	describe("suggested replies", () => {
		const table: [string, Partial<AssistantInput>, "accepted" | "customer_message", RegExp[]][] = [
			["greets a frustrated customer by name, with an apology", { reason: "frustration", messages: said("this is ridiculous") }, "accepted", [/^Hi João, I'm Ben\. I'm sorry/]],
			["greets someone who asked for a person", { reason: "human_requested", cart: [] }, "accepted", [/^Hi João, I'm Ben and I'm here to help you personally/]],
			["answers a price objection with the best promotion and a cheaper option", { messages: said("too expensive") }, "customer_message", [/LAPTOP50.*\$50\.00/, /Nimbus 13 Air is \$749\.00 instead of \$899\.00/, /budget/]],
			["answers shipping with the store's delivery time", { messages: said("how long does shipping take?") }, "customer_message", [/^Orders arrive in 1–3 business days, delivery included/, /tracking/]],
			["promises no delivery time the store has not stated", { messages: said("how long does shipping take?"), policies: { brand: "tech" } }, "customer_message", [/^I'll follow your order personally/]],
			["reassures on trust, with the store's return window", { messages: said("is this legit?") }, "customer_message", [/real person/, /secure checkout/, /send it back within 14 days of delivery/]],
			["promises no return a final-sale store does not take", { messages: said("is this legit?"), policies: { brand: "tech", returns: { days: 0, condition: "any" } } }, "customer_message", [/real person/, /secure checkout/, /^If anything isn't right when it arrives, tell me here and I'll sort it out with you\.$/]],
			["moves a buyer to the order", { messages: said("great, I'll take it"), promotions: [] }, "customer_message", [/prepare your order/, /place the order/]],
			["still gives three with nothing to go on", { messages: [], cart: [], products: [], promotions: [], customerName: null, sellerName: null }, "customer_message", [/tell me a bit more/, /moment/, /anything else/]]
		];
		for (const [name, over, trigger, patterns] of table)
			it(name, () => {
				const replies = suggestReplies({ ...tech, ...over }, trigger);
				assert.equal(replies.length, 3);
				assert.equal(new Set(replies).size, 3, "three different replies");
				for (const p of patterns) assert.ok(replies.some(r => p.test(r)), `${p} in ${JSON.stringify(replies)}`);
			});

		it("speaks the customer's language: Spanish replies for a customer who wrote Spanish, the guidance still the seller's", () => {
			const es = { ...tech, lang: "es" };
			const greeting = suggestReplies({ ...es, reason: "human_requested", cart: [] }, "accepted");
			assert.match(greeting[0], /^Hola João, soy Ben y te atiendo personalmente\. ¿En qué te ayudo\?$/);
			const price = assist({ ...es, messages: said("es muy caro") }, "customer_message");
			assert.match(price.replies[0], /^Buenas noticias: con el código LAPTOP50 .* ahorras \$50\.00 en este pedido\.$/);
			assert.match(price.objection!.guidance, /^Offer LAPTOP50/, "the guidance is for the seller, in the console's language");
			const shipping = suggestReplies({ ...es, messages: said("¿cuánto tarda el envío?") }, "customer_message");
			assert.match(shipping[0], /^Los pedidos llegan en 1–3 días hábiles/);
			const trust = suggestReplies({ ...es, messages: said("¿es confiable?") }, "customer_message");
			assert.match(trust.join(" "), /Hablas con una persona de nuestro equipo[\s\S]*devolverlo dentro de 14 días/);
			for (const r of [...greeting, ...price.replies, ...shipping, ...trust]) assert.doesNotMatch(r, /\b(the|your|you|I'll)\b/, r);
		});

		it("is deterministic", () => {
			const input = { ...tech, messages: said("too expensive") };
			assert.deepEqual(assist(input, "customer_message"), assist(structuredClone(input), "customer_message"));
		});
	});

	describe("suggested actions", () => {
		const kinds = (input: AssistantInput) => suggestActions(input).map(a => [a.kind, a.args]);
		const table: [string, Partial<AssistantInput>, unknown[]][] = [
			["the best promotion for the cart", {}, [["apply_promotion", { code: "LAPTOP50" }]]],
			["none once a promotion is applied and nothing else was asked", { appliedPromotion: "LAPTOP50" }, []],
			[
				"a named product in stock, the promotion and the order when they want to buy",
				{ messages: said("add the laptop sleeve and I'll take it") },
				[
					["add_to_cart", { sku: "TE-0101", qty: 1 }],
					["apply_promotion", { code: "LAPTOP50" }],
					["create_order", { items: [{ sku: "TE-0007", qty: 1 }], promoCode: "LAPTOP50" }]
				]
			],
			["not a product out of stock, nor one already in the cart", { messages: said("the USB-C Dock and the TE-0007 please"), promotions: [] }, []],
			["no order from an empty cart", { cart: [], messages: said("buy"), promotions: [] }, []]
		];
		for (const [name, over, expected] of table) it(name, () => assert.deepEqual(kinds({ ...tech, ...over }), expected));

		it("names the tool the AI seller uses and has a stable id per action", () => {
			const input = { ...tech, messages: said("I'll take it") };
			const a = suggestActions(input);
			const b = suggestActions(structuredClone(input));
			assert.deepEqual(a.map(x => x.id), b.map(x => x.id));
			assert.equal(new Set(a.map(x => x.id)).size, a.length);
			assert.ok(a.every(x => x.tool === x.kind && x.label.length > 0));
		});
	});
});
