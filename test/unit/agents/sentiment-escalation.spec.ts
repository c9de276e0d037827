import assert from "node:assert/strict";
import { asksForHuman, DEFAULT_ESCALATION_RULES, escalationAfterTurn, escalationBeforeTurn, withdrawsHuman } from "../../../agents/escalation";
import { scoreSentiment } from "../../../agents/sentiment";

describe("sentiment scorer", () => {
	it("is neutral at 0.5, bounded, and deterministic", () => {
		assert.equal(scoreSentiment(""), 0.5);
		assert.equal(scoreSentiment("show me jackets"), 0.5);
		for (const text of ["I love it, perfect, thanks!!!", "THIS IS THE WORST SCAM EVER!!!", "meh"]) {
			const s = scoreSentiment(text);
			assert.ok(s > 0 && s < 1);
			assert.equal(scoreSentiment(text), s);
		}
	});

	it("reads a case imagined after 'if' as no feeling: 'if the size is wrong, can I exchange it?' is a question", () => {
		for (const text of ["if the size is wrong can I exchange it?", "if I buy a lipstick and the shade is wrong, can I return it?", "y si el color sale malo, ¿lo puedo cambiar?"]) assert.equal(scoreSentiment(text), 0.5, text);
		// What is said outside the "if" still counts.
		assert.ok(scoreSentiment("this is wrong, if you can't fix it I want a refund") < 0.3);
		assert.ok(scoreSentiment("sí, es terrible") < 0.3);
	});

	it("orders texts the way a reader would", () => {
		const delighted = scoreSentiment("I love it, perfect, thank you!");
		const content = scoreSentiment("good, thanks");
		const neutral = scoreSentiment("do you have it in blue?");
		const annoyed = scoreSentiment("this is slow and annoying, wrong size again");
		const furious = scoreSentiment("THIS IS TERRIBLE, WORST SERVICE, A SCAM!!!");
		assert.ok(delighted > content && content > neutral && neutral > annoyed && annoyed > furious, JSON.stringify({ delighted, content, neutral, annoyed, furious }));
		assert.ok(furious < 0.3);
		assert.ok(scoreSentiment("not good") < 0.5 && scoreSentiment("not bad") > 0.5);
		assert.ok(scoreSentiment("esto es pésimo, una estafa") < 0.3);
		assert.ok(scoreSentiment("me encanta, gracias") > 0.7);
		// A past order "was a disaster": low enough for a person to step in.
		assert.ok(scoreSentiment("my last order from you was a disaster") < 0.3);
		assert.ok(scoreSentiment("mi último pedido fue un desastre") < 0.3);
		// A thing that broke is no anger at us: the shopper looking for a new one is not handed to a person for it.
		assert.ok(scoreSentiment("my phone screen is broken, do you sell screen protectors?") >= 0.3);
		assert.ok(scoreSentiment("it arrived broken, this is terrible") < 0.3);
		// Capitals and "??" alone are a way of typing, not anger; with a word of anger they weigh.
		assert.ok(scoreSentiment("CUANTO CUESTA EL ENVIO??") >= 0.3);
		assert.ok(scoreSentiment("DO YOU HAVE THIS IN BLUE??") >= 0.3);
		assert.ok(scoreSentiment("WHERE IS MY ORDER, THIS IS RIDICULOUS??") < 0.3);
	});
});

describe("escalation rules", () => {
	const rules = DEFAULT_ESCALATION_RULES;

	it("recognises a request for a person, in English and Spanish, and not a product question", () => {
		for (const t of ["Can I talk to a human?", "I want a real person", "agent", "quiero hablar con un asesor", "pásame con una persona", "call me at +1 555 010 7013", "¿me pueden llamar?", "llámame"])
			assert.ok(asksForHuman(t), t);
		// As Spanish-speaking customers ask for one.
		for (const t of ["quiero hablar con alguien", "¿me pasas con un humano?", "quiero hablar con un vendedor", "llámenme por favor", "necesito hablar con alguien de atención al cliente", "¿me comunicas con un asesor?"])
			assert.ok(asksForHuman(t), t);
		// Taking a request back is no request.
		for (const t of ["never mind, I don't need a person anymore", "olvídalo, ya no necesito hablar con nadie", "no need for a human, I'll keep going with you"]) {
			assert.equal(asksForHuman(t), false, t);
			assert.ok(withdrawsHuman(t), t);
		}
		for (const t of ["I need a person", "show me candles", "no, the second one", "cancel that order please"]) assert.equal(withdrawsHuman(t), false, t);
		// "Never mind" of something else, still asking for a person: a request, not its withdrawal.
		for (const t of ["never mind the price, I still need a person for my refund", "no importa el precio, necesito que me ayude una persona con una devolución", "no importa cuánto tarde, quiero que me atienda una persona"]) {
			assert.equal(withdrawsHuman(t), false, t);
			assert.ok(asksForHuman(t), t);
		}
		for (const t of ["a jacket for a person who is tall? size M", "the agent 47 game", "what do you call this colour?", "¿alguien lo ha probado?", "un regalo para alguien especial", "soporte para monitor"])
			assert.equal(asksForHuman(t), false, t);
	});

	it("escalates on low sentiment, or sentiment falling over two turns", () => {
		assert.equal(escalationBeforeTurn({ sentiment: [0.29] })?.reason, "frustration");
		assert.equal(escalationBeforeTurn({ sentiment: [0.3] }), null);
		assert.equal(escalationBeforeTurn({ sentiment: [0.7, 0.55, 0.45] })?.reason, "frustration");
		assert.equal(escalationBeforeTurn({ sentiment: [0.7, 0.75, 0.45] }), null, "not two falls in a row");
		assert.equal(escalationBeforeTurn({ sentiment: [0.6, 0.55, 0.52] }), null, "a small drift above neutral");
		assert.equal(escalationBeforeTurn({ text: "talk to a human", sentiment: [0.9] })?.reason, "human_requested");
	});

	it("escalates after a turn on model failure, tool failures, repeated misunderstanding and a large cart", () => {
		assert.equal(escalationAfterTurn({ sentiment: [], modelFailed: true })?.reason, "model_failure");
		assert.equal(escalationAfterTurn({ sentiment: [], toolFailures: 2 })?.reason, "complex");
		assert.equal(escalationAfterTurn({ sentiment: [], toolFailures: 1 }), null);
		assert.equal(escalationAfterTurn({ sentiment: [], misunderstood: 3 })?.reason, "complex");
		assert.equal(escalationAfterTurn({ sentiment: [], misunderstood: 2 }), null, "misread twice: the customer gets a third try before a queue");
		assert.equal(escalationAfterTurn({ sentiment: [], cartTotal: rules.highValueCart + 1 })?.reason, "high_value");
		assert.equal(escalationAfterTurn({ sentiment: [], cartTotal: rules.highValueCart }), null);
		assert.equal(escalationAfterTurn({ sentiment: [], cartTotal: 5_000 }, { ...rules, highValueCart: 4_999 })?.reason, "high_value");
		// Once over it, a person saw it: not again for the same cart, nor for one that grows.
		assert.equal(escalationAfterTurn({ sentiment: [], cartTotal: rules.highValueCart + 1, cartTotalBefore: rules.highValueCart + 1 }), null);
		assert.equal(escalationAfterTurn({ sentiment: [], cartTotal: rules.highValueCart * 2, cartTotalBefore: rules.highValueCart + 1 }), null);
		assert.equal(escalationAfterTurn({ sentiment: [], cartTotal: rules.highValueCart + 1, cartTotalBefore: rules.highValueCart })?.reason, "high_value");
	});
});
