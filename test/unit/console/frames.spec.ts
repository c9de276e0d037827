import assert from "node:assert/strict";
import { MESSAGE_TEXT_MAX, parseClientFrame, RESUME_MAX_CONVERSATIONS } from "../../../contracts/console";

const badFrame = (text: string) => {
	const r = parseClientFrame(text);
	assert.equal(r.ok, false, `accepted: ${text.slice(0, 80)}`);
	if (r.ok) throw new Error("unreachable");
	assert.equal(r.code, "BAD_FRAME");
	return r;
};

describe("console client frames", () => {
	it("accepts every frame of the protocol", () => {
		const frames = [
			{ type: "accept", escalationId: "e1", ref: "r1" },
			{ type: "decline", escalationId: "e1" },
			{ type: "message", conversationId: "c1", text: "Hello!", clientId: "k1" },
			{ type: "resolve", conversationId: "c1", to: "ai" },
			{ type: "resolve", conversationId: "c1", to: "closed", note: "done" },
			{ type: "transfer", conversationId: "c1", toSellerId: "ben", note: "tech question" },
			{ type: "transfer", conversationId: "c1", toBrand: "tech", note: "tech question" },
			{ type: "approve", conversationId: "c1", actionId: "a1" },
			{ type: "resume", conversations: { c1: 3, c2: 0 } },
			{ type: "team" },
			{ type: "pause", paused: true },
			{ type: "pause", paused: false, ref: "r2" },
			{ type: "ping" }
		];
		for (const f of frames) {
			const r = parseClientFrame(JSON.stringify(f));
			assert.ok(r.ok, `${JSON.stringify(f)}: ${r.ok ? "" : r.message}`);
			assert.deepEqual(r.frame, f);
		}
	});

	it("strips unknown fields instead of refusing them", () => {
		const r = parseClientFrame(JSON.stringify({ type: "accept", escalationId: "e1", sellerId: "someone-else", extra: 1 }));
		assert.ok(r.ok);
		assert.deepEqual(r.frame, { type: "accept", escalationId: "e1" });
	});

	it("refuses malformed JSON, non-objects, unknown types and invalid fields, keeping the ref it could read", () => {
		assert.match(badFrame("{not json").message, /not valid JSON/);
		assert.match(badFrame("[1,2]").message, /JSON object/);
		assert.match(badFrame("null").message, /JSON object/);
		assert.match(badFrame('"accept"').message, /JSON object/);
		assert.match(badFrame("{}").message, /no string `type`/);
		const unknown = badFrame(JSON.stringify({ type: "hack", ref: "r9" }));
		assert.match(unknown.message, /unknown frame type "hack"/);
		assert.equal(unknown.ref, "r9");
		const cases: unknown[] = [
			{ type: "accept" },
			{ type: "accept", escalationId: "" },
			{ type: "accept", escalationId: 42 },
			{ type: "accept", escalationId: "x".repeat(129) },
			{ type: "message", conversationId: "c1", text: "" },
			// Nothing to read: WhatsApp would refuse it, and the seller would learn it only later.
			{ type: "message", conversationId: "c1", text: "   \n\t " },
			{ type: "message", conversationId: "c1", text: " \u200b\u200d " },
			{ type: "message", conversationId: "c1", text: "\u0000\u0007" },
			{ type: "message", conversationId: "c1", text: "x".repeat(MESSAGE_TEXT_MAX + 1) },
			{ type: "message", conversationId: "c1" },
			{ type: "resolve", conversationId: "c1", to: "nowhere" },
			{ type: "transfer", conversationId: "c1", note: "n" },
			{ type: "transfer", conversationId: "c1", toBrand: "tech" },
			{ type: "approve", conversationId: "c1" },
			{ type: "pause" },
			{ type: "pause", paused: "yes" },
			{ type: "resume", conversations: { c1: -1 } },
			{ type: "resume", conversations: { c1: 1.5 } },
			{ type: "resume", conversations: { c1: "3" } },
			{ type: "resume", conversations: [] },
			{ type: "resume", conversations: Object.fromEntries(Array.from({ length: RESUME_MAX_CONVERSATIONS + 1 }, (_, i) => [`c${i}`, 0])) },
			{ type: "accept", escalationId: "e1", ref: 7 },
			{ type: "accept", escalationId: "e1", ref: "r".repeat(65) }
		];
		for (const c of cases) {
			const r = badFrame(JSON.stringify({ ...(c as object), ...((c as { ref?: unknown }).ref === undefined ? { ref: "rx" } : {}) }));
			if ((c as { ref?: unknown }).ref === undefined) assert.equal(r.ref, "rx", JSON.stringify(c));
		}
	});

	it("names the bad fields in the message", () => {
		const r = badFrame(JSON.stringify({ type: "message", conversationId: "c1", text: 5 }));
		assert.match(r.message, /invalid message frame: text/);
	});
});
