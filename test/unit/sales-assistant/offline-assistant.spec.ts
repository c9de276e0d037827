import assert from "node:assert/strict";
import {
	assist,
	detectObjection,
	bestPromotion,
	promotionSavings,
	sentimentOf,
	suggestActions,
	suggestReplies,
	sizesNamed,
	summarize,
	type AssistantInput,
	type AssistantMessage
} from "../../../services/sales-assistant/offline-assistant";
import { coloursSaid, formatMoney } from "../../../contracts/catalog";

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
		{ code: "LAPTOP50", description: "$50 off laptops over $500", descriptionEs: "$50 de descuento en laptops de más de $500", kind: "fixed", value: 5_000, brand: "tech", category: "laptops", minSubtotal: 50_000 },
		{ code: "TECH5", description: "5% off tech", kind: "percent", value: 5, brand: "tech" },
		{ code: "GLOW20", description: "20% off beauty", kind: "percent", value: 20, brand: "beauty" }
	],
	policies: { brand: "tech", delivery: { minDays: 1, maxDays: 3 }, returns: { days: 14, condition: "any" } },
	deliverTo: "12 Baker Street, London NW1 6XE"
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
			// Asking for a real person doubts nothing; the worry in the same message is the size.
			["can I talk to a real person? I want to know if it runs small", "fit"],
			["can I talk to a real person?", null],
			["is this even a real store?", "trust"],
			["¿la talla M me queda grande?", "fit"],
			["too expensive and is this even legit?", "price"],
			["I'd like it in blue", null],
			// Something wrong with a purchase comes before any other worry in the message.
			["I bought the jacket last week and the zipper broke, and it was expensive", "problem"],
			["me llegó la talla equivocada", "problem"],
			["my order never arrived", "problem"],
			["the shipment is ok, I just expected it really", null],
			// What it is made of is no doubt about the shop.
			["is this real leather?", null],
			["is it real wool or a blend?", null],
			["is this real?", "trust"],
			["my last order from you was a disaster", "problem"],
			// Haggling in figures, and pricing for a business or a large order.
			["can you do 10% off if I buy 3 ProBook 14?", "price"],
			["do you do business discounts?", "price"],
			["¿me das un 15% de descuento?", "price"],
			["¿tienen precio por mayoreo?", "price"],
			["I want to buy in bulk", "price"]
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
			[["obrigado, perfeito"], "positive"],
			// A negated cue counts the other way.
			[["the zipper broke already. not happy"], "negative"],
			[["not bad at all"], "positive"],
			[["my last order from you was a disaster"], "negative"],
			[["fue un desastre"], "negative"]
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
			// "Is this…?" names nothing: the product the customer was looking at says what "this" is.
			["the product in view", { messages: said("is this any good?"), cart: [], focus: "TE-0008" }, { wants: 'was looking at Nimbus 13 Air ($749.00); last said: "is this any good?"' }],
			["a named product before the one in view", { messages: said("and the Laptop Sleeve?"), cart: [], focus: "TE-0008" }, { wants: 'asked about Laptop Sleeve; last said: "and the Laptop Sleeve?"' }],
			["a cart line with its size", { cart: [{ sku: "FA-0009", name: "Denim Trucker Jacket", size: "M", qty: 1, unitPrice: 12499, currency: "USD" }] }, { cart: "1× Denim Trucker Jacket (size M) = $124.99" }],
			["a model failure", { reason: "model_failure" }, { why: "the AI could not answer" }],
			["a person requested", { reason: "human_requested", detail: "" }, { why: "the customer asked for a person" }],
			["a detail that restates the reason", { reason: "human_requested", detail: "The customer asked for a person." }, { why: "the customer asked for a person" }],
			["a detail that adds to it", { reason: "frustration", detail: "Sentiment 0.20 is below 0.3" }, { why: "the customer is frustrated: Sentiment 0.20 is below 0.3" }],
			// Handed over by the AI: what it said about why, not "the AI handed it over".
			["a hand-over the AI explained", { reason: "other", detail: "The customer wants to change an order's details: new address" }, { why: "the customer wants to change an order's details: new address" }],
			["a hand-over without a word", { reason: "other" }, { why: "the AI handed it over" }]
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

		it("leaves out a first-order code once the customer has an order that stands", () => {
			const first = { code: "WELCOME5", description: "5% off your first order", kind: "percent" as const, value: 5, firstOrderOnly: true };
			const input = { ...tech, promotions: [first] };
			assert.equal(bestPromotion(input)?.promo.code, "WELCOME5");
			assert.equal(bestPromotion({ ...input, order: { id: "ord_1", status: "pending" } }), null);
			assert.equal(bestPromotion({ ...input, order: { id: "ord_1", status: "cancelled" } })?.promo.code, "WELCOME5");
		});

		it("formats money", () => {
			assert.deepEqual([formatMoney(89_900, "USD"), formatMoney(108_499, "USD"), formatMoney(123_456_78, "EUR"), formatMoney(5, "BRL"), formatMoney(-1_500, "USD")], ["$899.00", "$1,084.99", "€123,456.78", "BRL 0.05", "-$15.00"]);
		});
	});

	describe("suggested replies", () => {
		const table: [string, Partial<AssistantInput>, "accepted" | "customer_message", RegExp[]][] = [
			// The store's join message has told the customer who joined: the seller picks up, no second hello.
			["apologises to a frustrated customer by name", { reason: "frustration", messages: said("this is ridiculous") }, "accepted", [/^João, I'm sorry for the trouble — I've read the conversation/]],
			["asks someone who asked for a person what they need", { reason: "human_requested", cart: [] }, "accepted", [/^João, I've read the conversation so far\. What can I do for you\?$/]],
			// What they wanted a person for is what the seller takes up.
			["takes up what they asked a person about", { reason: "human_requested", cart: [], messages: said("can I talk to someone? I have questions about sizing") }, "accepted", [/^João, I've read the conversation — let's find the right size for you\.$/]],
			["takes up the pricing of a business order the AI handed over", { reason: "high_value", cart: [], messages: said("do you do business discounts?") }, "accepted", [/^João, I've read the conversation — let's find the best price for you\.$/]],
			["picks up a conversation the AI handed over, without a name to use", { reason: "high_value", customerName: null }, "accepted", [/^I've read the conversation, so there's no need to repeat anything/]],
			["answers a price objection with the best promotion and a cheaper option", { messages: said("too expensive") }, "customer_message", [/LAPTOP50.*\$50\.00/, /Nimbus 13 Air is \$749\.00 instead of \$899\.00/, /budget/]],
			["answers shipping with the store's delivery time", { messages: said("how long does shipping take?") }, "customer_message", [/^Orders arrive in 1–3 business days, delivery included/, /tracking/]],
			["promises no delivery time the store has not stated", { messages: said("how long does shipping take?"), policies: { brand: "tech" } }, "customer_message", [/^I'll follow your order personally/]],
			["reassures on trust, with the store's return window", { messages: said("is this legit?") }, "customer_message", [/real person/, /secure checkout/, /send it back within 14 days of delivery/]],
			["promises no return a final-sale store does not take", { messages: said("is this legit?"), policies: { brand: "tech", returns: { days: 0, condition: "any" } } }, "customer_message", [/real person/, /secure checkout/, /^If anything isn't right when it arrives, tell me here and I'll sort it out with you\.$/]],
			[
				"answers a size worry with the sizes it comes in and the return window",
				{ messages: said("does it run small?"), cart: [{ sku: "FJ-1", name: "Biker Jacket", qty: 1, unitPrice: 12_699, currency: "USD", size: "M", sizes: ["XL", "S", "M"] }] },
				"customer_message",
				[/^The Biker Jacket comes in S, M, XL, and you picked M\. What size do you usually wear\?/, /send it back within 14 days of delivery/, /usual size/]
			],
			["moves a buyer to the order, saying where it goes", { messages: said("great, I'll take it"), promotions: [] }, "customer_message", [/^Perfect, I'll prepare your order now — delivery to 12 Baker Street, London NW1 6XE — and send you/, /place the order/]],
			["asks a buyer where to deliver when nobody has said", { messages: said("great, I'll take it"), promotions: [], deliverTo: null }, "customer_message", [/^Perfect! Where shall we deliver your order\? Send me the street and number, city and postcode\.$/]],
			["asks it in Spanish", { messages: said("perfecto, lo compro"), promotions: [], deliverTo: null, lang: "es" }, "customer_message", [/^¡Perfecto! ¿A dónde te enviamos el pedido\? Mándame calle y número, ciudad y código postal\.$/]],
			[
				"with an empty cart, offers the code that applies to the product they were looking at, and a cheaper one",
				{ messages: said("can you give me a discount?"), cart: [], focus: "TE-0007", products: [{ sku: "TE-0007", name: "Nimbus 14 Laptop", price: 89_900, currency: "USD", category: "laptops", stock: 2 }, ...tech.products!] },
				"customer_message",
				[/^Good news: with the code LAPTOP50 \(\$50 off laptops over \$500\), the Nimbus 14 Laptop comes to \$849\.00 instead of \$899\.00\.$/, /Nimbus 13 Air is \$749\.00 instead of \$899\.00/]
			],
			[
				"with an empty cart and nothing in view, offers the code on the product their message names",
				{ messages: said("can you do 10% off if I buy 3 Nimbus 14 Laptop?"), cart: [], products: [{ sku: "TE-0007", name: "Nimbus 14 Laptop", price: 89_900, currency: "USD", category: "laptops", stock: 2 }, ...tech.products!] },
				"customer_message",
				[/^Good news: with the code LAPTOP50 \(\$50 off laptops over \$500\), the Nimbus 14 Laptop comes to \$849\.00 instead of \$899\.00\.$/]
			],
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
			assert.match(greeting[0], /^João, ya leí la conversación\. ¿En qué te ayudo\?$/);
			const price = assist({ ...es, messages: said("es muy caro") }, "customer_message");
			assert.match(price.replies[0], /^Buenas noticias: con el código LAPTOP50 \(\$50 de descuento en laptops de más de \$500\) ahorras \$50\.00 en este pedido\.$/);
			assert.match(price.objection!.guidance, /^Offer LAPTOP50/, "the guidance is for the seller, in the console's language");
			const shipping = suggestReplies({ ...es, messages: said("¿cuánto tarda el envío?") }, "customer_message");
			assert.match(shipping[0], /^Los pedidos llegan en 1–3 días hábiles/);
			const trust = suggestReplies({ ...es, messages: said("¿es confiable?") }, "customer_message");
			assert.match(trust.join(" "), /Hablas con una persona de nuestro equipo[\s\S]*devolverlo dentro de 14 días/);
			for (const r of [...greeting, ...price.replies, ...shipping, ...trust]) assert.doesNotMatch(r, /\b(the|your|you|I'll)\b/, r);
		});

		it("after an approved action: what was done first, no answer to the message the action already answered", () => {
			const done = "Done — I've applied LAPTOP50: $50.00 off, so your total comes to $849.00 instead of $899.00.";
			const out = assist({ ...tech, appliedPromotion: "LAPTOP50", done, messages: said("it's too expensive, I'll take it if there's a discount") }, "action_approved");
			assert.equal(out.replies[0], done);
			assert.equal(out.objection, null);
			assert.ok(!out.replies.some(r => /prepare your order|budget/.test(r)), JSON.stringify(out.replies));
			assert.ok(out.replies.includes("Would you like me to place the order for you?"));
			// An order placed, the cart empty: anything else, not a product to add.
			const ordered = suggestReplies({ ...tech, cart: [], done: "Your order ord_1 is placed: 1× Nimbus 14 Laptop, $849.00 with LAPTOP50." }, "action_approved");
			assert.deepEqual(ordered.slice(0, 2), ["Your order ord_1 is placed: 1× Nimbus 14 Laptop, $849.00 with LAPTOP50.", "Is there anything else I can help you with?"]);
		});

		it("'how do I pay?' gets the store's ways to pay (and the order's link to come, while it waits), not the product in view", () => {
			const chair = { sku: "TE-0200", name: "Ergo Mesh Chair", price: 29_900, currency: "USD", category: "chairs", stock: 5, description: "Mesh back, 120 kg rated." };
			const input: AssistantInput = { ...tech, cart: [], products: [chair], focus: "TE-0200", promotions: [], policies: { brand: "tech", payment: { methods: ["card", "paypal"] } }, order: { id: "ord_7", status: "pending" }, messages: said("great, how do I pay?") };
			const replies = suggestReplies(input, "customer_message");
			assert.ok(replies.includes("You can pay by card (credit or debit), PayPal. I'll send you the payment link for order ord_7 here."), JSON.stringify(replies));
			assert.ok(!replies.some(r => /details say/.test(r)), JSON.stringify(replies));
			assert.ok(suggestReplies({ ...input, lang: "es", messages: said("¿cómo pago?") }, "customer_message").includes("Puedes pagar con tarjeta (crédito o débito), PayPal. Te mando aquí el enlace de pago del pedido ord_7."));
		});

		it("a question about the product in view (or named) gets its details to send, in the customer's language", () => {
			const jacket = { sku: "FA-0010", name: "Waxed Field Jacket", price: 9_199, currency: "USD", category: "jackets", stock: 2, description: "Cut in waxed cotton with a warm lining.", descriptionEs: "De algodón encerado con forro cálido." };
			const input: AssistantInput = { ...tech, brand: "fashion", cart: [], products: [jacket], focus: "FA-0010", promotions: [], messages: said("is this real leather?") };
			assert.ok(suggestReplies(input, "customer_message").includes("Here's what its details say: Cut in waxed cotton with a warm lining."));
			assert.ok(suggestReplies({ ...input, lang: "es", messages: said("¿es de cuero?") }, "customer_message").includes("Esto dice su ficha: De algodón encerado con forro cálido."));
			// Not a question, one about the sale (a discount), or a problem with a purchase: no details.
			assert.ok(!suggestReplies({ ...input, messages: said("I'd like it in black") }, "customer_message").some(r => /details say/.test(r)));
			assert.ok(!suggestReplies({ ...input, messages: said("can I get a discount?") }, "customer_message").some(r => /details say/.test(r)));
			assert.ok(!suggestReplies({ ...input, messages: said("my Waxed Field Jacket arrived damaged, can you help?") }, "customer_message").some(r => /details say/.test(r)));
		});

		it("is deterministic", () => {
			const input = { ...tech, messages: said("too expensive") };
			assert.deepEqual(assist(input, "customer_message"), assist(structuredClone(input), "customer_message"));
		});
	});

	describe("a problem with a purchase", () => {
		const complaint: AssistantInput = {
			brand: "fashion",
			waId: "15550007023",
			customerName: "Test Customer",
			reason: "other",
			sellerName: "Ana Torres",
			messages: said("hi, I bought the Biker Leather Jacket last week and the zipper broke already. not happy"),
			cart: [],
			products: [{ sku: "FA-0007", name: "Biker Leather Jacket", price: 12_699, currency: "USD", category: "jackets", stock: 5, sizes: ["XS", "S", "M", "XL"] }],
			promotions: [{ code: "WELCOME10", description: "10% off", kind: "percent", value: 10, brand: "fashion" }],
			policies: { brand: "fashion", returns: { days: 30, condition: "any" }, warranty: { months: 12 } }
		};

		it("is care, not a sale: an apology, the order number and a photo, the warranty and returns; no size, add, code or order", () => {
			const out = assist(complaint, "accepted");
			assert.equal(out.objection?.kind, "problem");
			const replies = suggestReplies(complaint, "accepted");
			assert.match(replies[0], /^Test, I'm sorry for the trouble/);
			assert.match(replies[1], /order number and a photo/);
			assert.match(replies[2], /1-year warranty/);
			assert.ok(!replies.some(r => /size|add|cart|WELCOME10/i.test(r)), replies.join(" | "));
			assert.deepEqual(suggestActions(complaint), []);
			const summary = summarize(complaint);
			assert.equal(summary.sentiment, "negative");
			assert.match(summary.text, /\(concerns: problem\)/);
			assert.match(summary.text, /Escalated because the customer reports a problem with a purchase\.$/);
		});

		it("answers a later message of the complaint with the same care, and guides the seller not to sell", () => {
			const input = { ...complaint, messages: said("hi", "the zipper broke on my jacket") };
			const out = assist(input, "customer_message");
			assert.equal(out.objection?.kind, "problem");
			assert.match(out.objection!.guidance, /apologise, ask for the order number and a photo, and offer the 12-month warranty or the 30-day returns\. Don't sell/);
			assert.match(out.replies[0], /order number and a photo/);
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
					["create_order", { items: [{ sku: "TE-0007", qty: 1 }], promoCode: "LAPTOP50", deliverTo: "12 Baker Street, London NW1 6XE" }]
				]
			],
			// As many as the customer asked for, in words or digits, the name in the plural.
			["a count said with the product", { messages: said("add 2 laptop sleeves please") }, [["add_to_cart", { sku: "TE-0101", qty: 2 }], ["apply_promotion", { code: "LAPTOP50" }]]],
			["a count in Spanish", { messages: said("quiero tres laptop sleeve") }, [["add_to_cart", { sku: "TE-0101", qty: 3 }], ["apply_promotion", { code: "LAPTOP50" }]]],
			// A wish to buy taken back: no order to approve, until they want it again.
			["no order once the customer changed their mind", { messages: said("I'll take it", "wait, actually don't order anything, I changed my mind") }, [["apply_promotion", { code: "LAPTOP50" }]]],
			[
				"the order again when they want it again",
				{ messages: said("I'll take it", "hmm, changed my mind", "ok I'll take it after all") },
				[["apply_promotion", { code: "LAPTOP50" }], ["create_order", { items: [{ sku: "TE-0007", qty: 1 }], promoCode: "LAPTOP50", deliverTo: "12 Baker Street, London NW1 6XE" }]]
			],
			// Nowhere to deliver yet: no order (the replies ask where).
			["no order before the customer said where it goes", { messages: said("I'll take it"), deliverTo: null }, [["apply_promotion", { code: "LAPTOP50" }]]],
			// A cart of gift-card codes goes nowhere: its order needs no address.
			[
				"an order of digital codes without an address",
				{ messages: said("I'll take it"), deliverTo: null, promotions: [], cart: [{ sku: "GA-0039", name: "Gaming Gift Card $50", qty: 1, unitPrice: 5000, currency: "USD", category: "gift cards", digital: true }] },
				[["create_order", { items: [{ sku: "GA-0039", qty: 1 }] }]]
			],
			// An address written after the order, while it has not shipped: the order goes there.
			...(
				[
					["pending", "12 Baker Street, London NW1 6XE", [["change_address", { orderId: "ord_1", deliverTo: "5 Elm Road, Leeds LS1 4AB" }]]],
					["confirmed", undefined, [["change_address", { orderId: "ord_1", deliverTo: "5 Elm Road, Leeds LS1 4AB" }]]],
					["shipped", "12 Baker Street, London NW1 6XE", []],
					["pending", "5 Elm Road, Leeds LS1 4AB", []]
				] as const
			).map(([status, deliverTo, expected]): [string, Partial<AssistantInput>, unknown[]] => [
				`an address for a ${status} order${deliverTo === "5 Elm Road, Leeds LS1 4AB" ? " that already goes there" : ""}`,
				{ cart: [], promotions: [], addressWritten: "5 Elm Road, Leeds LS1 4AB", order: { id: "ord_1", status, ...(deliverTo ? { deliverTo } : {}) } },
				[...expected]
			]),
			["not a product out of stock, nor one already in the cart", { messages: said("the USB-C Dock and the TE-0007 please"), promotions: [] }, []],
			["no order from an empty cart", { cart: [], messages: said("buy"), promotions: [] }, []]
		];
		for (const [name, over, expected] of table) it(name, () => assert.deepEqual(kinds({ ...tech, ...over }), expected));

		it("labels an order of digital codes as such, and still asks where to deliver one that ships", () => {
			const card = { sku: "GA-0039", name: "Gaming Gift Card $50", qty: 1, unitPrice: 5000, currency: "USD", category: "gift cards", digital: true as const };
			const order = suggestActions({ ...tech, messages: said("I'll take it"), deliverTo: null, promotions: [], cart: [card] }).find(a => a.kind === "create_order");
			assert.equal(order?.label, "Create the order (1 item) as a digital code");
			assert.deepEqual(kinds({ ...tech, messages: said("I'll take it"), deliverTo: null, promotions: [], cart: [card, { ...card, sku: "TE-0007", name: "Laptop", digital: undefined as never }] }), []);
		});

		describe("sizes", () => {
			const biker = { sku: "FA-0007", name: "Biker Leather Jacket", price: 12_699, currency: "USD", category: "jackets", stock: 5, sizes: ["40", "41", "42"] };
			const tee = { sku: "FA-0023", name: "Essential Crew T-Shirt", price: 1_999, currency: "USD", category: "t-shirts", stock: 9, sizes: ["S", "M", "L", "XL"] };
			const scarf = { sku: "FA-0044", name: "Silk Square Scarf", price: 3_999, currency: "USD", category: "scarves", stock: 9 };
			const rug = { sku: "HO-0011", name: "Berber Wool Rug", price: 29_900, currency: "USD", category: "rugs", stock: 3, sizes: ["120x170 cm", "200x300 cm"] };
			const fashion: AssistantInput = {
				brand: "fashion",
				waId: "15550001234",
				customerName: "Maria Lopez",
				reason: "human_requested",
				messages: [],
				cart: [],
				products: [biker, tee, scarf],
				promotions: [],
				deliverTo: "Calle 5 #23-45, Bogotá"
			};
			const shop = (over: Partial<AssistantInput>): AssistantInput => ({ ...fashion, ...over });
			const adds = (input: AssistantInput) => suggestActions(input).filter(a => a.kind === "add_to_cart").map(a => a.args);

			it("adds a product that comes in sizes in the size the customer named, and says it in the label", () => {
				const actions = suggestActions(shop({ messages: said("Do you have the Biker Leather Jacket in size 42? And the Silk Square Scarf") }));
				assert.deepEqual(
					actions.map(a => [a.args, a.label]),
					[
						[{ sku: "FA-0007", qty: 1, size: "42" }, "Add Biker Leather Jacket (size 42, $126.99) to the cart"],
						[{ sku: "FA-0044", qty: 1 }, "Add Silk Square Scarf ($39.99) to the cart"]
					]
				);
			});

			it("what the customer named before their latest order was placed is not offered again (it went into that order)", () => {
				const messages = said("Do you have the Biker Leather Jacket in size 42?", "great, how do I pay?");
				assert.deepEqual(adds(shop({ messages, order: { id: "ord_1", status: "pending", at: 3500 } })), []);
				// Named again after it: another one, offered.
				assert.deepEqual(adds(shop({ messages: [...messages, { from: "customer", text: "actually I'd like another Biker Leather Jacket in 42", at: 5000 }], order: { id: "ord_1", status: "pending", at: 3500 } })), [{ sku: "FA-0007", qty: 1, size: "42" }]);
				// Without an order, as before.
				assert.deepEqual(adds(shop({ messages })), [{ sku: "FA-0007", qty: 1, size: "42" }]);
			});

			it("the latest size said decides, and a size said while asking about the fit chooses nothing yet", () => {
				const jacket = { ...tee, sku: "FA-0009", name: "Biker Jacket", sizes: ["XS", "S", "M", "XL"] };
				const worry = shop({ products: [jacket], messages: said("do you have the Biker Jacket?", "I usually wear M but it runs small right?") });
				assert.deepEqual(adds(worry), []);
				assert.equal(suggestReplies(worry, "customer_message")[0], "Which size would you like in the Biker Jacket? XS, S, M, XL");
				// "L" alone is a letter size it does not come in: said so, with the sizes it does.
				const lacking = shop({ products: [jacket], messages: [...worry.messages, ...said("ok let's do L")] });
				assert.deepEqual(adds(lacking), []);
				assert.equal(suggestReplies(lacking, "customer_message")[0], "The Biker Jacket doesn't come in L; it comes in XS, S, M, XL. Which one would you like?");
				assert.deepEqual(adds(shop({ messages: said("the Essential Crew T-Shirt in M", "actually make it L") })), [{ sku: "FA-0023", qty: 1, size: "L" }]);
				// Capitals only: "i'm" and "a m" are no sizes.
				assert.deepEqual(adds(shop({ products: [jacket], messages: said("the Biker Jacket, i'm not sure") })), []);
			});

			it("reads the size in Spanish too, in the catalog's spelling", () => {
				const es = { lang: "es" };
				assert.deepEqual(adds(shop({ ...es, messages: said("hola, ¿tienen la Biker Leather Jacket en talla 42?") })), [{ sku: "FA-0007", qty: 1, size: "42" }]);
				assert.deepEqual(adds(shop({ ...es, messages: said("quiero la Essential Crew T-Shirt", "talla m por favor") })), [{ sku: "FA-0023", qty: 1, size: "M" }]);
			});

			const wordings: [string, readonly string[], string[]][] = [
				["size 42", biker.sizes, ["42"]],
				["in M please", tee.sizes, ["M"]],
				["talla m", tee.sizes, ["M"]],
				["an xl one", tee.sizes, ["XL"]],
				["the 200x300", rug.sizes, ["200x300 cm"]],
				["200 X 300 cm", rug.sizes, ["200x300 cm"]],
				["for my shoes, it's a gift (it’s for Sam)", tee.sizes, []],
				["size XS", tee.sizes, []],
				["it costs $42 or 42% off, or 42.5", biker.sizes, []],
				["L or XL?", tee.sizes, ["L", "XL"]]
			];
			for (const [text, sizes, expected] of wordings)
				it(`"${text}" names ${JSON.stringify(expected)} of ${sizes.join(", ")}`, () => assert.deepEqual(sizesNamed(text, sizes), expected));

			it("a one-letter size stands alone as a word: no S in 'shoes' nor in 'it's'", () => {
				const input = shop({ messages: said("Do you have the Essential Crew T-Shirt? It's to wear with my shoes", "it’s for my sister") });
				assert.deepEqual(adds(input), []);
				assert.equal(suggestReplies(input, "customer_message")[0], "Which size would you like in the Essential Crew T-Shirt? S, M, L, XL");
			});

			it("with no size named, suggests no add and asks which size, in the customer's language", () => {
				const input = shop({ messages: said("Do you have the Biker Leather Jacket?") });
				assert.deepEqual(adds(input), []);
				assert.equal(suggestReplies(input, "customer_message")[0], "Which size would you like in the Biker Leather Jacket? 40, 41, 42");
				assert.equal(suggestReplies({ ...input, lang: "es" }, "customer_message")[0], "¿En qué talla quieres Biker Leather Jacket? 40, 41, 42");
				// On acceptance the seller picks the conversation up first; the question comes next.
				const accepted = suggestReplies(input, "accepted");
				assert.match(accepted[0], /^Maria, I've read the conversation/);
				assert.equal(accepted[1], "Which size would you like in the Biker Leather Jacket? 40, 41, 42");
				// A rug has a "tamaño", not a "talla".
				const home = { ...input, brand: "home", lang: "es", products: [rug], messages: said("me interesa la Berber Wool Rug") };
				assert.equal(suggestReplies(home, "customer_message")[0], "¿En qué tamaño quieres Berber Wool Rug? 120x170 cm, 200x300 cm");
			});

			it("a size the product does not come in: no add, and the reply gives the sizes it does", () => {
				const input = shop({ messages: said("Do you have the Biker Leather Jacket in size 44?") });
				assert.deepEqual(adds(input), []);
				assert.equal(suggestReplies(input, "customer_message")[0], "The Biker Leather Jacket doesn't come in 44; it comes in 40, 41, 42. Which one would you like?");
				const xs = shop({ lang: "es", messages: said("¿la Essential Crew T-Shirt viene en XS?") });
				assert.deepEqual(adds(xs), []);
				assert.equal(suggestReplies(xs, "customer_message")[0], "Essential Crew T-Shirt no viene en XS; viene en S, M, L, XL. ¿Cuál prefieres?");
			});

			it("a size said before the product was named, or two of its sizes, is no choice", () => {
				assert.deepEqual(adds(shop({ messages: said("I want the Essential Crew T-Shirt in M", "and the Biker Leather Jacket") })), [{ sku: "FA-0023", qty: 1, size: "M" }]);
				assert.deepEqual(adds(shop({ messages: said("the Essential Crew T-Shirt, M or L?") })), []);
			});

			it("offers no order while a cart line of a product with sizes has none, and asks for it", () => {
				const line = { sku: "FA-0007", name: "Biker Leather Jacket", qty: 1, unitPrice: 12_699, currency: "USD", category: "jackets" };
				const buying = said("ok I'll take it");
				const waiting = shop({ messages: buying, cart: [{ ...line, sizes: biker.sizes }] });
				assert.deepEqual(suggestActions(waiting).map(a => a.kind), []);
				assert.equal(suggestReplies(waiting, "customer_message")[0], "Which size would you like in the Biker Leather Jacket? 40, 41, 42");
				// The sizes known from the products given, when the line does not carry them.
				assert.deepEqual(suggestActions(shop({ messages: buying, cart: [line], products: [biker] })).map(a => a.kind), []);
				assert.deepEqual(
					suggestActions(shop({ messages: buying, cart: [{ ...line, size: "41", sizes: biker.sizes }] })).map(a => [a.kind, a.args]),
					[["create_order", { items: [{ sku: "FA-0007", qty: 1, size: "41" }], deliverTo: "Calle 5 #23-45, Bogotá" }]]
				);
			});
		});

		describe("colours", () => {
			const biker = { sku: "FA-0007", name: "Biker Leather Jacket", price: 12_699, currency: "USD", category: "jackets", stock: 5, sizes: ["40", "41", "42"], colours: ["camel", "black"] };
			const scarf = { sku: "FA-0043", name: "Cashmere Scarf", price: 5_999, currency: "USD", category: "scarves", stock: 9, colours: ["green", "pink"] };
			const jeans = { sku: "FA-0013", name: "Slim Stretch Jeans", price: 5_999, currency: "USD", category: "jeans", stock: 9, sizes: ["30", "32"], colours: ["light blue", "indigo"] };
			const fashion: AssistantInput = { brand: "fashion", waId: "15550001234", customerName: "Maria Lopez", reason: "human_requested", messages: [], cart: [], products: [biker, scarf, jeans], promotions: [], deliverTo: "Calle 5 #23-45, Bogotá" };
			const shop = (over: Partial<AssistantInput>): AssistantInput => ({ ...fashion, ...over });
			const adds = (input: AssistantInput) => suggestActions(input).filter(a => a.kind === "add_to_cart").map(a => a.args);
			const first = (input: AssistantInput) => suggestReplies(input, "customer_message")[0];

			it("adds a product that comes in several colours in the one the customer named, with its size, and says both in the label", () => {
				const actions = suggestActions(shop({ messages: said("Do you have the Biker Leather Jacket in size 42 in black? And the Cashmere Scarf in pink") }));
				assert.deepEqual(
					actions.map(a => [a.args, a.label]),
					[
						[{ sku: "FA-0007", qty: 1, size: "42", color: "black" }, "Add Biker Leather Jacket (size 42, black, $126.99) to the cart"],
						[{ sku: "FA-0043", qty: 1, color: "pink" }, "Add Cashmere Scarf (pink, $59.99) to the cart"]
					]
				);
				assert.deepEqual(adds(shop({ lang: "es", messages: said("¿tienen la Cashmere Scarf en rosa?") })), [{ sku: "FA-0043", qty: 1, color: "pink" }]);
				assert.deepEqual(adds(shop({ messages: said("the Slim Stretch Jeans, light blue, 32") })), [{ sku: "FA-0013", qty: 1, size: "32", color: "light blue" }]);
			});

			it("with no colour named, suggests no add and asks which colour, after the size, in the customer's language", () => {
				const scarfAsked = shop({ messages: said("Do you have the Cashmere Scarf?") });
				assert.deepEqual(adds(scarfAsked), []);
				assert.equal(first(scarfAsked), "Which colour would you like in the Cashmere Scarf? green, pink");
				assert.equal(first({ ...scarfAsked, lang: "es" }), "¿En qué color quieres Cashmere Scarf? green, pink");
				// Both missing: the size first, as the AI seller asks; with the size said, the colour.
				assert.equal(first(shop({ messages: said("Do you have the Biker Leather Jacket?") })), "Which size would you like in the Biker Leather Jacket? 40, 41, 42");
				const sized = shop({ messages: said("the Biker Leather Jacket in 41 please") });
				assert.deepEqual(adds(sized), []);
				assert.equal(first(sized), "Which colour would you like in the Biker Leather Jacket? camel, black");
				// A colour word that covers two of its colours chooses neither.
				assert.equal(first(shop({ messages: said("the Slim Stretch Jeans in blue, size 32") })), "Which colour would you like in the Slim Stretch Jeans? light blue, indigo");
			});

			it("a colour the product does not come in: no add, and the reply gives the colours it does", () => {
				const red = shop({ messages: said("is the Cashmere Scarf available in red?") });
				assert.deepEqual(adds(red), []);
				assert.equal(first(red), "The Cashmere Scarf doesn't come in red; it comes in green, pink. Which one would you like?");
				assert.equal(first(shop({ lang: "es", messages: said("¿la Cashmere Scarf viene en negro?") })), "Cashmere Scarf no viene en negro; viene en green, pink. ¿Cuál prefieres?");
			});

			it("offers no order while a cart line waits for its colour, asks for it, and sets the one named on that line", () => {
				const line = { sku: "FA-0007", name: "Biker Leather Jacket", size: "41", qty: 1, unitPrice: 12_699, currency: "USD", category: "jackets", sizes: biker.sizes, colours: biker.colours };
				const waiting = shop({ messages: said("ok I'll take it"), cart: [line] });
				assert.deepEqual(suggestActions(waiting).map(a => a.kind), []);
				assert.equal(first(waiting), "Which colour would you like in the Biker Leather Jacket? camel, black");
				// The colours known from the products given, when the line does not carry them.
				assert.deepEqual(suggestActions(shop({ messages: said("ok I'll take it"), cart: [{ ...line, colours: undefined }] })).map(a => a.kind), []);
				// The answer: one click sets it, the line's size going with it so the tool finds that line.
				const answered = shop({ messages: said("ok I'll take it", "black please"), cart: [line] });
				assert.deepEqual(
					suggestActions(answered).map(a => [a.kind, a.args, a.label]),
					[["add_to_cart", { sku: "FA-0007", size: "41", color: "black" }, "Set colour black on Biker Leather Jacket in the cart"]]
				);
				assert.deepEqual(
					suggestActions(shop({ messages: said("ok I'll take it"), cart: [{ ...line, color: "black" }] })).map(a => [a.kind, a.args]),
					[["create_order", { items: [{ sku: "FA-0007", qty: 1, size: "41", color: "black" }], deliverTo: "Calle 5 #23-45, Bogotá" }]]
				);
				// A line waiting for both takes both from one answer.
				const both = shop({ messages: said("42 in camel"), cart: [{ ...line, size: undefined }] });
				assert.deepEqual(
					suggestActions(both).map(a => [a.args, a.label]),
					[[{ sku: "FA-0007", size: "42", color: "camel" }, "Set size 42 and colour camel on Biker Leather Jacket in the cart"]]
				);
				assert.match(summarize(shop({ cart: [{ ...line, color: "black" }] })).cart, /^1× Biker Leather Jacket \(size 41, black\) = \$126\.99$/);
			});

			const wordings: [string, readonly string[], { named: string[]; lacking: string[] }][] = [
				["black please", ["camel", "black"], { named: ["black"], lacking: [] }],
				["la quiero en NEGRO", ["camel", "black"], { named: ["black"], lacking: [] }],
				["the light blue one", ["light blue", "indigo"], { named: ["light blue"], lacking: [] }],
				["blue", ["light blue", "indigo"], { named: [], lacking: [] }],
				["grey", ["silver", "space grey"], { named: ["space grey"], lacking: [] }],
				["black or camel?", ["camel", "black"], { named: ["camel", "black"], lacking: [] }],
				["red?", ["camel", "black"], { named: [], lacking: ["red"] }],
				["size 42 please", ["camel", "black"], { named: [], lacking: [] }]
			];
			for (const [text, colours, expected] of wordings)
				it(`"${text}" of ${colours.join(", ")}: ${JSON.stringify(expected)}`, () => assert.deepEqual(coloursSaid(text, colours), expected));
		});

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
