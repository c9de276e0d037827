import assert from "node:assert/strict";
import { render } from "../../scripts/chat";
import type { OutboxEntry } from "../../gateway/whatsapp/outbox";

const entry = (idempotencyKey: string, body: string): OutboxEntry =>
	({
		id: `wamid.${idempotencyKey}`,
		at: "2026-11-22T10:00:00.000Z",
		brand: "fashion",
		phoneNumberId: "100000000000001",
		to: "15550001234",
		kind: "text",
		idempotencyKey,
		message: { messaging_product: "whatsapp", to: "+15550001234", type: "text", text: { body } }
	}) as unknown as OutboxEntry;

describe("terminal chat rendering", () => {
	it("names who speaks: the AI seller, a person of the team, or the store's operator", () => {
		assert.equal(render(entry("fashion:15550001234:3:0", "Here's what I found"), "Luna").text, "Luna: Here's what I found");
		assert.equal(render(entry("esc-0a1b2c3d4e5f6a7b8c9d:joined:ana:1795375790000", "Hi! This is Ana"), "Luna").text, "Team (a person): Hi! This is Ana");
		assert.equal(render(entry("esc-0a1b2c3d4e5f6a7b8c9d:reply:ana:c1", "Yes, dry-clean only"), "Luna").text, "Team (a person): Yes, dry-clean only");
		assert.equal(render(entry("operator:7f0c", "We're closed today"), "Luna").text, "The store: We're closed today");
		assert.equal(render(entry("esc-0a1b2c3d4e5f6a7b8c9d:waiting:offline", "Nobody from our team is online right now"), "Luna").text, "The store: Nobody from our team is online right now");
	});
});
