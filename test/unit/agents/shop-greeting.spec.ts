/**
 * A shop of a shared number reached by a tap or by asking for it in words: its seller says hello,
 * once, in the language the customer wrote, and searches nothing.
 */
import assert from "node:assert/strict";
import { createOfflineBrain } from "../../../agents/offline-brain";
import { PERSONAS, personaFor } from "../../../agents/personas";
import { runTurn } from "../../../agents/runner";
import { fakeTools } from "../../fixtures/products";
import { turnInput } from "../../helpers/scripted-model";

describe("offline brain: a shop reached on a shared number", () => {
	const reached = async (brand: string, text: string) => {
		const tools = fakeTools({ brand });
		const input = turnInput(text, { brand, conversationId: `${brand}:15550001111`, greet: true, messages: [{ messageId: "m1", at: 1_000, text, choiceId: `brand:${brand}` }] }, 1);
		const out = await runTurn(input, { model: createOfflineBrain(), persona: personaFor(brand), tools });
		return { reply: out.result.reply.text, searched: tools.calls.filter(c => c.fn === "catalog.search").length };
	};

	it("says hello once, in Spanish, to 'llévame con Sofia' (her name is written Sofía in her greeting)", async () => {
		const { reply, searched } = await reached("home", "llévame con Sofia");
		assert.equal(reply, PERSONAS.home!.greeting.es);
		assert.equal(searched, 0);
	});

	it("answers what the customer asked before picking the shop, after its hello", async () => {
		const tools = fakeTools({ brand: "fashion" });
		const input = turnInput("x", { greet: true, messages: [{ messageId: "m0", at: 900, text: "Hi, do you have black jackets?" }, { messageId: "m1", at: 1_000, text: "Luna", choiceId: "brand:fashion" }] }, 1);
		const out = await runTurn(input, { model: createOfflineBrain(), persona: personaFor("fashion"), tools });
		assert.ok(out.result.reply.text.startsWith("Hi, I'm Luna"), out.result.reply.text);
		assert.match(out.result.reply.text, /Black Leather Jacket/);
		assert.equal(tools.calls.filter(c => c.fn === "catalog.search").length, 1);
	});

	it("says hello in English to a tap of the shop's row or 'take me to Bella'", async () => {
		for (const [brand, text] of [["beauty", "Bella"], ["beauty", "take me to Bella please"], ["home", "Sofia"]] as const) {
			const { reply, searched } = await reached(brand, text);
			assert.equal(reply, PERSONAS[brand]!.greeting.en, text);
			assert.equal(searched, 0, text);
		}
	});
});
