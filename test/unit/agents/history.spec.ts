import assert from "node:assert/strict";
import type { TranscriptLine } from "../../../contracts/conversation";
import { HISTORY_LINE_MAX_CHARS, historyFromTranscript } from "../../../agents/history";

let seq = 0;
const line = (from: TranscriptLine["from"], text: string, extra: Partial<TranscriptLine> = {}): TranscriptLine => ({ id: `l${++seq}`, seq, from, text, at: seq, ...extra });

describe("agents/history: the transcript's tail for the model", () => {
	it("maps customer lines to user messages and the shop's side to assistant messages, oldest first", () => {
		const lines = [line("customer", "hi"), line("ai", "Hi! I'm Luna."), line("seller", "Ana here, I can help"), line("system", "Your order X1 shipped"), line("customer", "", { choiceId: "product:FA-1" })];
		assert.deepEqual(historyFromTranscript(lines), [
			{ role: "user", content: "hi" },
			{ role: "assistant", content: "Hi! I'm Luna." },
			{ role: "assistant", content: "[human seller] Ana here, I can help" },
			{ role: "assistant", content: "[notice] Your order X1 shipped" },
			{ role: "user", content: "[tap product:FA-1]" }
		]);
	});

	it("says what a customer sent besides words, as the turn's own message does: a photo and its caption, a voice note, a catalog cart", () => {
		const lines = [line("customer", "is this in stock?", { media: "image" }), line("customer", "", { media: "audio" }), line("customer", "", { orderItems: [{ sku: "FA-1", qty: 2 }] })];
		assert.deepEqual(
			historyFromTranscript(lines).map(m => m.content),
			["[image] is this in stock?", "[audio]", "[order FA-1x2]"]
		);
	});

	it("keeps the newest lines within the count and character bounds, and skips this turn's lines", () => {
		const lines = Array.from({ length: 30 }, (_, i) => line(i % 2 ? "ai" : "customer", `message ${i}`));
		const byCount = historyFromTranscript(lines, { maxMessages: 4 });
		assert.deepEqual(byCount.map(m => m.content), ["message 26", "message 27", "message 28", "message 29"]);
		const byChars = historyFromTranscript(lines, { maxChars: 25 });
		assert.deepEqual(byChars.map(m => m.content), ["message 28", "message 29"]);
		const excluded = historyFromTranscript(lines, { maxMessages: 2, exclude: new Set([lines[29]!.id]) });
		assert.deepEqual(excluded.map(m => m.content), ["message 27", "message 28"]);
		const long = historyFromTranscript([line("customer", "x".repeat(5000))]);
		assert.equal((long[0]!.content as string).length, HISTORY_LINE_MAX_CHARS);
		assert.deepEqual(historyFromTranscript([]), []);
	});

	it("leaves out notes for the team and a seller's line WhatsApp did not deliver", () => {
		const refused = line("seller", "Are you still there?");
		const lines = [line("customer", "hi"), refused, line("system", "Not delivered: …", { internal: true, undelivered: { id: refused.id, seq: refused.seq } }), line("seller", "Sorry for the wait!")];
		assert.deepEqual(historyFromTranscript(lines).map(m => m.content), ["hi", "[human seller] Sorry for the wait!"]);
	});
});
