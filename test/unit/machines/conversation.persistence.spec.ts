import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import sinon from "sinon";
import { createActor } from "xstate";
import { CONVERSATION_SNAPSHOT_VERSION, HANDLED_IDS_LIMIT, handledId, newConversationContext, type ConversationContext, type ConversationEmitted } from "../../../contracts/conversation";
import { conversationMachine } from "../../../machines/conversation.machine";
import {
	ConversationSnapshotError,
	compactContext,
	loadConversation,
	restoreConversation,
	saveConversation,
	startConversation,
	withContextDefaults
} from "../../../machines/conversation.persistence";

const fixture = (name: string) => readFileSync(join(__dirname, "..", "..", "fixtures", "conversation", name), "utf8");
const input = { conversationId: "fashion:15550001111", brand: "fashion", customer: { waId: "15550001111" }, idleTimeoutMs: 60_000 };

describe("conversation persistence", () => {
	it("round-trips a live conversation through JSON, emitted requests included afterwards", () => {
		const onError = sinon.spy();
		const actor = startConversation(input, { onError });
		actor.send({ type: "MESSAGE_RECEIVED", messages: [{ messageId: "m1", at: 1_000, text: "hi" }] });
		const stored = JSON.stringify(saveConversation(actor));
		assert.ok(stored.length < 2048, `a small conversation stays under 2 KB (${stored.length} bytes)`);
		assert.deepEqual(Object.keys(JSON.parse(stored).snapshot).sort(), ["context", "value"], "only what restoring needs");
		actor.stop();

		const restored = restoreConversation(stored, { onError });
		assert.equal(restored.fromVersion, CONVERSATION_SNAPSHOT_VERSION);
		assert.equal(restored.repaired, null);
		assert.equal(restored.actor.getSnapshot().value, "browsing");
		const emitted: ConversationEmitted[] = [];
		restored.actor.on("*", e => emitted.push(e as ConversationEmitted));
		// The pending turn survived the restart: its result is accepted, and nothing was re-requested.
		restored.actor.send({ type: "TURN_COMPLETED", turn: 1, reply: { text: "Hi!" }, cart: [], awaitingConfirmation: false, intent: "greeting", understood: true });
		assert.deepEqual(emitted.map(e => e.type), ["reply.send"]);
		sinon.assert.notCalled(onError);
	});

	it("migrates v1 fixtures: greeting becomes new, the cart map becomes lines, deadlines are derived", () => {
		const greeting = loadConversation(fixture("v1-greeting.json"));
		assert.equal(greeting.fromVersion, 1);
		assert.equal(greeting.snapshot.value, "new");
		assert.deepEqual(greeting.snapshot.context.customer, { waId: "15550003333", name: "Ana" });
		assert.equal(greeting.snapshot.context.lastInboundAt, 1700000000000);
		assert.equal(greeting.snapshot.context.deadlines.idleAt, 1700000000000 + 24 * 3600 * 1000);

		const cart = loadConversation(fixture("v1-cart.json"));
		assert.equal(cart.snapshot.value, "cart");
		// The malformed line of the old cart is dropped, the good one kept.
		assert.deepEqual(cart.snapshot.context.cart, [{ sku: "TH-100", name: "Noise-Cancelling Headphones", qty: 2, unitPrice: 19900, currency: "USD" }]);
		assert.deepEqual(cart.snapshot.context.handled, ["wamid.B1", "wamid.B2", "wamid.B3"]);

		const escalated = loadConversation(fixture("v1-escalated.json"));
		assert.equal(escalated.snapshot.value, "escalated");
		assert.deepEqual(escalated.snapshot.context.escalation, { reason: "frustration" });
		assert.equal(escalated.snapshot.context.orderId, "ORD-77");
	});

	it("restores every fixture into a working actor that still de-duplicates old message ids", () => {
		for (const name of ["v1-greeting.json", "v1-cart.json", "v1-escalated.json", "v2-checkout.json", "v2-removed-state.json"]) {
			const onError = sinon.spy();
			const { actor } = restoreConversation(fixture(name), { onError });
			assert.equal(actor.getSnapshot().status, "active", name);
			const emitted: string[] = [];
			actor.on("*", e => emitted.push(e.type));
			const oldId = actor.getSnapshot().context.handled[0];
			actor.send({ type: "MESSAGE_RECEIVED", messages: [{ messageId: oldId, at: 1_800_000_000_000, text: "again" }] });
			assert.deepEqual(emitted, [], `${name}: a redelivered old message is ignored`);
			actor.send({ type: "MESSAGE_RECEIVED", messages: [{ messageId: "wamid.NEW", at: 1_800_000_000_000, text: "hello" }] });
			assert.ok(emitted.length > 0, `${name}: a new message is handled`);
			sinon.assert.notCalled(onError);
			actor.stop();
		}
	});

	it("keeps Meta-length message ids as digests: a long conversation's record stays under 2 KB, repeats still caught", () => {
		const onError = sinon.spy();
		const actor = startConversation(input, { onError });
		// The shape of Meta's ids (SPEC samples): 60 characters and more.
		const wamid = (n: number) => `wamid.HBgLMTU1NTAwMDExMTEVAgASGBQzQUIw${String(n).padStart(20, "0")}AA=`;
		for (let n = 1; n <= 100; n++) {
			actor.send({ type: "MESSAGE_RECEIVED", messages: [{ messageId: wamid(n), at: n * 1000, text: "hi" }] });
			const turn = actor.getSnapshot().context.pendingTurn;
			if (turn !== null) actor.send({ type: "TURN_COMPLETED", turn, reply: { text: "Hi!" }, cart: [], awaitingConfirmation: false, intent: "smalltalk", understood: true });
		}
		const ctx = actor.getSnapshot().context;
		assert.equal(ctx.handled.length, HANDLED_IDS_LIMIT);
		assert.deepEqual(ctx.handled.at(-1), handledId(wamid(100)));
		assert.ok(ctx.handled.every(id => id.length <= 17), "no raw wamid is kept");
		const stored = JSON.stringify(saveConversation(actor));
		assert.ok(stored.length < 2048, `after 100 messages the record is ${stored.length} bytes`);
		const emitted: string[] = [];
		actor.on("*", e => emitted.push(e.type));
		actor.send({ type: "MESSAGE_RECEIVED", messages: [{ messageId: wamid(100), at: 200_000, text: "again" }] });
		assert.deepEqual(emitted, [], "a repeat of a recent long id is ignored");
		assert.equal(handledId("wamid.SHORT1"), "wamid.SHORT1", "short ids are kept as they are");
		sinon.assert.notCalled(onError);
		actor.stop();
	});

	it("reads a record that still holds raw long ids, and knows those messages", () => {
		const onError = sinon.spy();
		const actor = startConversation(input, { onError });
		actor.send({ type: "MESSAGE_RECEIVED", messages: [{ messageId: "m1", at: 1_000, text: "hi" }] });
		const saved = saveConversation(actor);
		actor.stop();
		const raw = "wamid.HBgLMTU1NTAwMDExMTEVAgARGBQzQTAwMDAwMDAwMDAwMDAwMDA1MgA=";
		const old = { ...saved, snapshot: { ...saved.snapshot, context: { ...(saved.snapshot as { context: object }).context, handled: ["m1", raw] } } };
		const restored = restoreConversation(JSON.stringify(old), { onError });
		assert.deepEqual(restored.actor.getSnapshot().context.handled, ["m1", handledId(raw)]);
		const emitted: string[] = [];
		restored.actor.on("*", e => emitted.push(e.type));
		restored.actor.send({ type: "MESSAGE_RECEIVED", messages: [{ messageId: raw, at: 2_000, text: "again" }] });
		assert.deepEqual(emitted, []);
		sinon.assert.notCalled(onError);
		restored.actor.stop();
	});

	it("moves a snapshot whose state no longer exists to a safe state, context kept", () => {
		const onError = sinon.spy();
		const restored = restoreConversation(fixture("v2-removed-state.json"), { onError });
		assert.match(restored.repaired ?? "", /unknown state "negotiating" moved to cart/);
		const snapshot = restored.actor.getSnapshot();
		assert.equal(snapshot.value, "cart");
		assert.equal(snapshot.context.cart[0].sku, "BB-5");
		assert.equal(snapshot.context.pendingTurn, 2);
		sinon.assert.notCalled(onError);
	});

	it("restores a snapshot stored in status error as an active actor, without an unhandled error", () => {
		const stored = JSON.parse(fixture("v2-checkout.json"));
		stored.snapshot.status = "error";
		const restored = restoreConversation(stored, { onError: () => assert.fail("no error expected") });
		assert.match(restored.repaired ?? "", /status error reset to active/);
		assert.equal(restored.actor.getSnapshot().status, "active");
		assert.equal(restored.actor.getSnapshot().value, "checkout");
	});

	it("refuses what cannot be trusted: not JSON, not versioned, a newer version, no customer", () => {
		const cases: [unknown, RegExp][] = [
			["{not json", /not JSON/],
			[{ snapshot: {} }, /not a \{ version, snapshot \}/],
			[{ version: 2, snapshot: [] }, /not a \{ version, snapshot \}/],
			[fixture("v9-future.json"), /Unsupported conversation snapshot version 9/],
			[{ version: 0, snapshot: {} }, /Unsupported/],
			[{ version: 2, snapshot: { value: "browsing", context: { conversationId: "x" } } }, /no conversation or customer/]
		];
		for (const [stored, message] of cases) {
			assert.throws(() => loadConversation(stored), (err: unknown) => err instanceof ConversationSnapshotError && message.test(err.message));
		}
	});

	it("fills defaults for mistyped context fields instead of failing", () => {
		const stored = JSON.parse(fixture("v2-checkout.json"));
		Object.assign(stored.snapshot.context, { turn: "four", sentiment: [0.5, 7, "x"], handled: "nope", escalation: { reason: "bored" }, deadlines: null });
		const loaded = loadConversation(stored);
		assert.equal(loaded.snapshot.context.turn, 0);
		assert.deepEqual(loaded.snapshot.context.sentiment, [0.5]);
		assert.deepEqual(loaded.snapshot.context.handled, []);
		assert.equal(loaded.snapshot.context.escalation, null);
		assert.deepEqual(loaded.snapshot.context.deadlines, { idleAt: null });
		assert.match(loaded.repaired ?? "", /unknown escalation reason/);
		assert.equal(loaded.snapshot.context.promoCode, null, "records from before promotion codes have none");
		assert.equal(loaded.snapshot.context.focus, null);
		assert.equal(loaded.snapshot.context.lang, null, "records from before the language was kept have none");
		const sized = JSON.parse(fixture("v2-checkout.json"));
		sized.snapshot.context.cart = [{ sku: "FA-0007", name: "Biker Leather Jacket", size: "M", color: "camel", qty: 1, unitPrice: 12699, currency: "USD" }, { sku: "FA-0002", name: "x", size: 7, color: ["red"], qty: 1, unitPrice: 100, currency: "USD" }];
		assert.deepEqual(loadConversation(sized).snapshot.context.cart.map(l => l.size), ["M", undefined], "a size is kept; one that is not text is dropped");
		assert.deepEqual(loadConversation(sized).snapshot.context.cart.map(l => l.color), ["camel", undefined], "so is a colour");
		for (const [lang, want] of [["es", "es"], ["en", "en"], ["klingon", null], [7, null]] as const) {
			const again = JSON.parse(fixture("v2-checkout.json"));
			again.snapshot.context.lang = lang;
			assert.equal(loadConversation(again).snapshot.context.lang, want, String(lang));
		}
		assert.equal(loadConversation(JSON.parse(fixture("v2-checkout.json"))).snapshot.context.deliverTo, null, "records from before delivery addresses have none");
		for (const [deliverTo, want] of [[" 12 Baker Street\n London ", "12 Baker Street, London"], ["x".repeat(301), null], ["..", null], [42, null]] as const) {
			const again = JSON.parse(fixture("v2-checkout.json"));
			again.snapshot.context.deliverTo = deliverTo;
			assert.equal(loadConversation(again).snapshot.context.deliverTo, want, String(deliverTo).slice(0, 20));
		}
	});

	it("stores only the context fields that left their default, and reads every one back", () => {
		const actor = startConversation(input, { onError: () => assert.fail("no error expected") });
		actor.send({ type: "MESSAGE_RECEIVED", messages: [{ messageId: "m1", at: 1_000, text: "hi" }] });
		const context = actor.getSnapshot().context;
		const stored = saveConversation(actor).snapshot.context;
		actor.stop();
		// The default brands of a single-brand number, an empty cart, no order: all left out.
		assert.deepEqual(Object.keys(stored).sort(), ["brand", "conversationId", "customer", "deadlines", "handled", "idleTimeoutMs", "inbox", "lastInboundAt", "pendingTurn", "turn"]);
		assert.deepEqual(withContextDefaults(stored), context);
		assert.deepEqual(loadConversation(JSON.stringify({ version: CONVERSATION_SNAPSHOT_VERSION, snapshot: { value: "browsing", context: stored } })).snapshot.context, context);
	});

	it("keeps every field that differs from a new conversation's, whatever it is", () => {
		const lobby = newConversationContext({ conversationId: "shared:15550001111", brand: null, brands: ["fashion", "beauty"], customer: { waId: "15550001111", name: "Ana" } });
		assert.deepEqual(compactContext(lobby), { conversationId: lobby.conversationId, brand: null, brands: ["fashion", "beauty"], customer: lobby.customer }, "a shared number's brands are not the default ones");
		const full: ConversationContext = {
			...newConversationContext(input),
			brand: "beauty",
			brands: ["fashion", "beauty"],
			cart: [{ sku: "FA-1", name: "Jacket", qty: 1, unitPrice: 9_900, currency: "USD" }],
			promoCode: "WELCOME10",
			deliverTo: "12 Rue de Rivoli, 75001 Paris",
			lastInboundAt: 5,
			orderId: "ord-1",
			cancelling: "ord-0",
			sentiment: [0.5],
			escalation: { reason: "human_requested" },
			turn: 3,
			pendingTurn: 3,
			inbox: [{ messageId: "m9", at: 5 }],
			handled: ["#x"],
			forwarded: ["#x"],
			shown: ["FA-1"],
			focus: "FA-1",
			lang: "es",
			misunderstood: 1,
			notified: ["ord-1:confirmed"],
			deadlines: { idleAt: 9 },
			idleTimeoutMs: 1_000,
			sellerId: "s-1"
		};
		assert.deepEqual(compactContext(full), full, "nothing at its default, nothing left out");
		assert.deepEqual(withContextDefaults(compactContext(full)), full);
		const plain = newConversationContext({ conversationId: "fashion:1", brand: "fashion", customer: { waId: "1" } });
		assert.deepEqual(withContextDefaults(compactContext(plain)), plain);
		assert.deepEqual(compactContext(compactContext(plain)), compactContext(plain), "compacting twice changes nothing");
	});

	it("saves a snapshot value as well as an actor", () => {
		const actor = createActor(conversationMachine, { input }).start();
		const persisted = saveConversation(actor.getSnapshot());
		assert.equal(persisted.version, CONVERSATION_SNAPSHOT_VERSION);
		assert.equal(persisted.snapshot.value, "new");
		actor.stop();
	});
});
