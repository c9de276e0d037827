import assert from "node:assert/strict";
import { createActor } from "xstate";
import type { ConversationEmitted, ConversationInput, TurnResult } from "../../../contracts/conversation";
import { conversationMachine } from "../../../machines/conversation.machine";

const HOUR = 3600_000;
const input: ConversationInput = { conversationId: "fashion:15550001111", brand: "fashion", customer: { waId: "15550001111" }, idleTimeoutMs: HOUR };

function start(i: ConversationInput = input) {
	const actor = createActor(conversationMachine, { input: i });
	const emitted: ConversationEmitted[] = [];
	actor.on("*", e => emitted.push(e as ConversationEmitted));
	actor.start();
	const msg = (id: string, at: number, text = "hello", extra = {}) =>
		actor.send({ type: "MESSAGE_RECEIVED", messages: [{ messageId: id, at, text, ...extra }] });
	const done = (turn: number, over: Partial<TurnResult> = {}) =>
		actor.send({ type: "TURN_COMPLETED", turn, reply: { text: `t${turn}` }, cart: [], awaitingConfirmation: false, intent: "search", understood: true, ...over });
	const types = () => emitted.map(e => e.type);
	return { actor, emitted, msg, done, types };
}

describe("conversation machine (examples)", () => {
	it("answers a burst in one turn and drops the reply of the superseded turn", () => {
		const c = start();
		c.msg("m1", 1_000, "hi");
		c.msg("m2", 2_000, "black jackets?");
		const requests = c.emitted.filter(e => e.type === "turn.requested");
		assert.equal(requests.length, 2);
		const second = requests[1] as Extract<ConversationEmitted, { type: "turn.requested" }>;
		assert.deepEqual(second.messages.map(m => m.messageId), ["m1", "m2"]);
		assert.equal(second.supersedes, 1);
		assert.equal(second.greet, true, "the greeting of the superseded first turn is kept");
		c.done(1);
		c.done(2);
		const replies = c.emitted.filter(e => e.type === "reply.send");
		assert.deepEqual(replies.map(r => (r as { turn: number }).turn), [2]);
		assert.ok(c.emitted.some(e => e.type === "turn.discarded" && e.turn === 1 && e.reason === "stale"));
	});

	it("never sends a reply computed while a human took the conversation", () => {
		const c = start();
		c.msg("m1", 1_000);
		c.actor.send({ type: "HUMAN_ASSIGNED", sellerId: "s-1" });
		c.done(1);
		assert.equal(c.actor.getSnapshot().value, "human");
		assert.ok(!c.types().includes("reply.send"));
		c.msg("m2", 2_000, "are you there?");
		const forwarded = c.emitted.find(e => e.type === "customer.message.forwarded");
		assert.deepEqual(forwarded && forwarded.type === "customer.message.forwarded" && forwarded.messages.map(m => m.messageId), ["m2"]);
		assert.equal(c.emitted.filter(e => e.type === "turn.requested").length, 1, "the AI stays silent");
		c.actor.send({ type: "HANDED_BACK", at: 3_000 });
		assert.equal(c.actor.getSnapshot().value, "browsing");
		assert.deepEqual(c.emitted.at(-1), { type: "conversation.handed.back", at: 3_000, withinWindow: true, answering: false }, "the customer is to be told");
		c.msg("m3", 4_000);
		assert.equal(c.emitted.filter(e => e.type === "turn.requested").length, 2);
	});

	it("closes on an idle deadline only once it has passed, and the deadline moves with each message", () => {
		const c = start();
		c.msg("m1", 1_000);
		c.done(1);
		assert.equal(c.actor.getSnapshot().context.deadlines.idleAt, 1_000 + HOUR);
		c.msg("m2", 10_000);
		c.actor.send({ type: "IDLE_TIMEOUT", at: 1_000 + HOUR });
		assert.equal(c.actor.getSnapshot().value, "browsing", "a sweeper holding the old deadline is ignored");
		c.actor.send({ type: "IDLE_TIMEOUT", at: 10_000 + HOUR });
		assert.equal(c.actor.getSnapshot().value, "closed");
		assert.ok(c.emitted.some(e => e.type === "conversation.closed" && e.reason === "idle"));
		c.done(2);
		assert.ok(!c.emitted.some(e => e.type === "reply.send" && e.turn === 2), "a late reply after closing is dropped");
	});

	it("sends each order notification once, as a template outside the 24-hour window", () => {
		const c = start();
		c.msg("m1", 1_000);
		c.actor.send({ type: "ORDER_UPDATED", orderId: "ORD-1", status: "confirmed", at: 2_000 });
		c.actor.send({ type: "ORDER_UPDATED", orderId: "ORD-1", status: "confirmed", at: 3_000 });
		c.actor.send({ type: "ORDER_UPDATED", orderId: "ORD-1", status: "shipped", at: 1_000 + 25 * HOUR, carrier: "UPS", trackingNumber: "1Z9" });
		const notes = c.emitted.filter((e): e is Extract<ConversationEmitted, { type: "notification.send" }> => e.type === "notification.send");
		assert.deepEqual(notes.map(n => [n.status, n.withinWindow]), [["confirmed", true], ["shipped", false]]);
	});

	it("drops an order notice that arrives after a later one for the same order was sent", () => {
		const c = start();
		c.msg("m1", 1_000);
		// The shipped update won the race for the conversation; the confirmation is out of date.
		c.actor.send({ type: "ORDER_UPDATED", orderId: "ORD-1", status: "shipped", at: 2_000, carrier: "DHL", trackingNumber: "JD0002" });
		c.actor.send({ type: "ORDER_UPDATED", orderId: "ORD-1", status: "confirmed", at: 2_001 });
		// Another order has a life of its own.
		c.actor.send({ type: "ORDER_UPDATED", orderId: "ORD-2", status: "confirmed", at: 2_002 });
		c.actor.send({ type: "ORDER_UPDATED", orderId: "ORD-1", status: "delivered", at: 3_000 });
		c.actor.send({ type: "ORDER_UPDATED", orderId: "ORD-1", status: "shipped", at: 3_001, carrier: "DHL", trackingNumber: "JD0002" });
		// Nothing comes after a cancellation.
		c.actor.send({ type: "ORDER_UPDATED", orderId: "ORD-2", status: "cancelled", at: 4_000, reason: "out of stock" });
		c.actor.send({ type: "ORDER_UPDATED", orderId: "ORD-2", status: "confirmed", at: 4_001 });
		c.actor.send({ type: "ORDER_UPDATED", orderId: "ORD-2", status: "shipped", at: 4_002, carrier: "DHL", trackingNumber: "JD0003" });
		const notes = c.emitted.filter((e): e is Extract<ConversationEmitted, { type: "notification.send" }> => e.type === "notification.send");
		assert.deepEqual(notes.map(n => `${n.orderId}:${n.status}`), ["ORD-1:shipped", "ORD-2:confirmed", "ORD-1:delivered", "ORD-2:cancelled"]);
		assert.deepEqual(c.actor.getSnapshot().context.notified, ["ORD-1:shipped", "ORD-2:confirmed", "ORD-1:delivered", "ORD-2:cancelled"], "a dropped notice is not recorded as sent");
	});

	it("marks an order notice sent while a person has the conversation (it then does not tell the customer to ask for one)", () => {
		const c = start();
		c.msg("m1", 1_000);
		c.actor.send({ type: "ORDER_UPDATED", orderId: "ORD-1", status: "confirmed", at: 2_000 });
		c.actor.send({ type: "HUMAN_ASSIGNED", sellerId: "s-1" });
		c.actor.send({ type: "ORDER_UPDATED", orderId: "ORD-1", status: "cancelled", at: 3_000 });
		const notes = c.emitted.filter((e): e is Extract<ConversationEmitted, { type: "notification.send" }> => e.type === "notification.send");
		assert.deepEqual(notes.map(n => [n.status, n.withPerson ?? false]), [["confirmed", false], ["cancelled", true]]);
	});

	it("hands back with the customer told only inside the 24-hour window (no free text after it)", () => {
		const c = start();
		c.msg("m1", 1_000);
		c.actor.send({ type: "HUMAN_ASSIGNED", sellerId: "s-1" });
		c.actor.send({ type: "HANDED_BACK", at: 1_000 + 25 * HOUR });
		assert.equal(c.actor.getSnapshot().value, "browsing");
		assert.deepEqual(c.emitted.at(-1), { type: "conversation.handed.back", at: 1_000 + 25 * HOUR, withinWindow: false, answering: false });
	});

	it("waiting for a person, a customer who takes the request back has the AI again, which answers them; with a person, it stays theirs", () => {
		const c = start();
		c.msg("m1", 1_000);
		c.actor.send({ type: "ESCALATE", reason: "human_requested" });
		c.actor.send({ type: "MESSAGE_RECEIVED", messages: [{ messageId: "m2", at: 2_000, text: "never mind, show me hoodies", withdrawsHuman: true }] });
		assert.equal(c.actor.getSnapshot().value, "browsing");
		assert.deepEqual(c.emitted.filter(e => e.type === "escalation.withdrawn"), [{ type: "escalation.withdrawn", turn: 1, reason: "human_requested" }]);
		const turn = c.emitted.at(-1);
		assert.ok(turn?.type === "turn.requested" && turn.messages[0]?.messageId === "m2" && !turn.greet);
		assert.equal(c.actor.getSnapshot().context.escalation, null);

		const held = start();
		held.msg("m1", 1_000);
		held.actor.send({ type: "HUMAN_ASSIGNED", sellerId: "s-1" });
		held.actor.send({ type: "MESSAGE_RECEIVED", messages: [{ messageId: "m2", at: 2_000, text: "never mind", withdrawsHuman: true }] });
		assert.equal(held.actor.getSnapshot().value, "human", "the seller talking with them decides");
		assert.ok(held.emitted.some(e => e.type === "customer.message.forwarded"));
	});

	it("tells a tracking correction once each, never an older tracking after a newer one, nor after delivery", () => {
		const c = start();
		c.msg("m1", 1_000);
		const ship = (extra: object) => c.actor.send({ type: "ORDER_UPDATED", orderId: "O1", status: "shipped", at: 2_000, carrier: "UPS", trackingNumber: "1ZOLD", ...extra });
		const told = () => c.emitted.filter(e => e.type === "notification.send").map(e => (e.type === "notification.send" ? `${e.trackingNumber}#${e.correction ?? 0}` : ""));
		ship({});
		ship({ trackingNumber: "1ZNEW", correction: 1 });
		ship({ trackingNumber: "1ZNEW", correction: 1 });
		// The first shipped notice delivered late, after its correction: the old tracking would mislead.
		ship({});
		assert.deepEqual(told(), ["1ZOLD#0", "1ZNEW#1"]);
		c.actor.send({ type: "ORDER_UPDATED", orderId: "O1", status: "delivered", at: 3_000 });
		ship({ trackingNumber: "1ZLATE", correction: 2 });
		assert.deepEqual(told(), ["1ZOLD#0", "1ZNEW#1", "undefined#0"]);
	});

	it("handed back with a question nobody answered, answers it at once, inside the 24-hour window only", () => {
		const c = start();
		c.msg("m1", 1_000);
		c.done(1, { cart: [{ sku: "FA-1", name: "Tee", qty: 1, unitPrice: 10, currency: "USD" }] });
		c.actor.send({ type: "ESCALATE", reason: "human_requested" });
		c.msg("m2", 2_000, "do you have it in red?");
		c.msg("m3", 2_500, "and in M?");
		const asked = c.emitted.filter(e => e.type === "turn.requested").length;
		c.actor.send({ type: "HANDED_BACK", at: 3_000, unanswered: [{ messageId: "m3", at: 2_500, text: "and in M?" }, { messageId: "m2", at: 2_000, text: "do you have it in red?" }] });
		assert.equal(c.actor.getSnapshot().value, "cart", "back where the cart says");
		const told = c.emitted.filter(e => e.type === "conversation.handed.back").at(-1);
		assert.deepEqual(told, { type: "conversation.handed.back", at: 3_000, withinWindow: true, answering: true });
		const turn = c.emitted.at(-1);
		assert.ok(turn?.type === "turn.requested", "a turn follows the notice");
		assert.deepEqual(turn.messages.map(m => m.messageId), ["m2", "m3"], "in the order they were said");
		assert.equal(turn.greet, false);
		assert.equal(c.emitted.filter(e => e.type === "turn.requested").length, asked + 1);
		c.done(2);
		assert.ok(c.emitted.some(e => e.type === "reply.send" && e.turn === 2), "the answer goes out");

		// A seller who changed the cart acted on what was asked: the AI answers nothing of it.
		const acted = start();
		acted.msg("m1", 1_000);
		acted.actor.send({ type: "HUMAN_ASSIGNED", sellerId: "s-1" });
		acted.msg("m2", 2_000, "I'll take it, send it to 12 Baker Street");
		acted.actor.send({ type: "SELLER_CART_UPDATED", sellerId: "s-1", cart: [], orderId: "ORD-9" });
		acted.actor.send({ type: "HANDED_BACK", at: 3_000, unanswered: [{ messageId: "m2", at: 2_000, text: "I'll take it, send it to 12 Baker Street" }] });
		assert.equal(acted.actor.getSnapshot().value, "browsing");
		assert.equal(acted.emitted.filter(e => e.type === "turn.requested").length, 1, "only the first message's turn");
		assert.deepEqual(acted.emitted.at(-1), { type: "conversation.handed.back", at: 3_000, withinWindow: true, answering: false });

		// A day later the window is closed: no free text, so nothing is answered until they write.
		const late = start();
		late.msg("m1", 1_000);
		late.actor.send({ type: "HUMAN_ASSIGNED", sellerId: "s-1" });
		late.msg("m2", 2_000, "hello?");
		late.actor.send({ type: "HANDED_BACK", at: 2_000 + 25 * HOUR, unanswered: [{ messageId: "m2", at: 2_000, text: "hello?" }] });
		assert.equal(late.actor.getSnapshot().value, "browsing");
		assert.equal(late.emitted.filter(e => e.type === "turn.requested").length, 1, "only the first message's turn");
		assert.equal(late.actor.getSnapshot().context.pendingTurn, null);
	});

	it("remembers a cancellation it asked about for one turn only, and does not announce one the customer was told of", () => {
		const c = start();
		c.msg("m1", 1_000);
		c.done(1, { intent: "cancel_order", cancelling: "ORD-1" });
		assert.equal(c.actor.getSnapshot().context.cancelling, "ORD-1");
		c.msg("m2", 2_000, "yes");
		c.done(2, { intent: "cancel_order", cancelledOrderId: "ORD-1" });
		assert.equal(c.actor.getSnapshot().context.cancelling, null);
		// The orders service's own event follows: the customer heard it in the reply already.
		c.actor.send({ type: "ORDER_UPDATED", orderId: "ORD-1", status: "cancelled", at: 3_000 });
		assert.equal(c.emitted.filter(e => e.type === "notification.send").length, 0);
		// One cancelled by the store is announced.
		c.actor.send({ type: "ORDER_UPDATED", orderId: "ORD-2", status: "cancelled", at: 3_000 });
		assert.equal(c.emitted.filter(e => e.type === "notification.send").length, 1);
		// A question asked before a person took over is not answered by what the customer says to them.
		c.msg("m3", 4_000, "cancel my order");
		c.done(3, { intent: "cancel_order", cancelling: "ORD-3" });
		c.actor.send({ type: "ESCALATE", reason: "other", detail: "operator" });
		assert.equal(c.actor.getSnapshot().context.cancelling, null);
	});

	it("on a shared number asks for a brand, then answers the waiting question as that brand", () => {
		const c = start({ conversationId: "shared:1555", brand: null, brands: ["fashion", "tech"], customer: { waId: "1555" } });
		c.msg("m1", 1_000, "do you have headphones?");
		assert.equal(c.actor.getSnapshot().value, "choosingBrand");
		c.msg("m2", 2_000, "what?");
		assert.equal(c.emitted.filter(e => e.type === "brand.choice.requested").length, 2, "asked again");
		c.msg("m3", 3_000, "", { choiceId: "brand:tech" });
		const snap = c.actor.getSnapshot();
		assert.equal(snap.value, "browsing");
		assert.equal(snap.context.brand, "tech");
		const request = c.emitted.find(e => e.type === "turn.requested");
		assert.ok(request && request.type === "turn.requested" && request.greet);
		assert.deepEqual(request.type === "turn.requested" && request.messages.map(m => m.messageId), ["m1", "m2", "m3"]);
		// A shop named in words ("electrónica", read by the host) picks it as the tap does.
		const words = start({ conversationId: "shared:1556", brand: null, brands: ["fashion", "tech"], customer: { waId: "1556" } });
		words.msg("m1", 1_000, "hola");
		words.msg("m2", 2_000, "electrónica", { namesBrand: "tech" });
		assert.equal(words.actor.getSnapshot().value, "browsing");
		assert.equal(words.actor.getSnapshot().context.brand, "tech");
	});

	it("escalates on a failed turn and keeps the cart for the human", () => {
		const c = start();
		c.msg("m1", 1_000);
		c.done(1, { cart: [{ sku: "A", name: "A", qty: 1, unitPrice: 100, currency: "USD" }], intent: "add_to_cart" });
		c.msg("m2", 2_000);
		c.actor.send({ type: "TURN_FAILED", turn: 2, detail: "model down" });
		const esc = c.emitted.find(e => e.type === "escalation.requested");
		assert.ok(esc && esc.type === "escalation.requested");
		assert.equal(esc.reason, "model_failure");
		assert.equal(esc.cart.length, 1);
		assert.equal(c.actor.getSnapshot().value, "escalated");
	});

	it("tells the customer a person will join when the host says how", () => {
		const c = start();
		c.msg("m1", 1_000);
		c.actor.send({ type: "TURN_FAILED", turn: 1, detail: "turn failed: store down", reply: { text: "A person will join." } });
		const replies = c.emitted.filter(e => e.type === "reply.send");
		assert.deepEqual(replies, [{ type: "reply.send", turn: 1, reply: { text: "A person will join." } }]);
		assert.equal(c.actor.getSnapshot().value, "escalated");
	});

	it("keeps the promotion code a turn applied until a turn clears it, and a turn that says nothing of it leaves it", () => {
		const c = start();
		c.msg("m1", 1_000, "use code welcome10");
		c.done(1, { promoCode: "WELCOME10" });
		assert.equal(c.actor.getSnapshot().context.promoCode, "WELCOME10");
		c.msg("m2", 2_000, "show me jackets");
		c.done(2);
		assert.equal(c.actor.getSnapshot().context.promoCode, "WELCOME10", "a result without the field leaves the code");
		c.msg("m3", 3_000, "yes");
		c.done(3, { promoCode: null });
		assert.equal(c.actor.getSnapshot().context.promoCode, null);
	});

	it("keeps the product in focus across turns that do not change it", () => {
		const c = start();
		c.msg("m1", 1_000, "tell me about the first one");
		c.done(1, { focus: "FJ-001" });
		c.msg("m2", 2_000, "how long is delivery?");
		c.done(2);
		assert.equal(c.actor.getSnapshot().context.focus, "FJ-001");
		c.msg("m3", 3_000, "yes");
		c.done(3, { focus: null, cart: [{ sku: "FJ-001", name: "Jacket", qty: 1, unitPrice: 8900, currency: "USD" }] });
		assert.equal(c.actor.getSnapshot().context.focus, null);
	});

	it("moves to ordered only on an order placed in checkout", () => {
		// The checkout tool places an order only in a turn that began in checkout; a result claiming
		// one elsewhere is not a transition of the graph, but its order id is not lost either.
		const c = start();
		c.msg("m1", 1_000);
		c.done(1, { cart: [], intent: "confirm_checkout", orderId: "ORD-X" });
		assert.equal(c.actor.getSnapshot().value, "browsing");
		assert.equal(c.actor.getSnapshot().context.orderId, "ORD-X");
		c.msg("m2", 2_000);
		c.done(2, { cart: [{ sku: "A", name: "A", qty: 1, unitPrice: 100, currency: "USD" }], intent: "checkout", awaitingConfirmation: true });
		assert.equal(c.actor.getSnapshot().value, "checkout");
		c.msg("m3", 3_000);
		c.done(3, { cart: [], intent: "confirm_checkout", orderId: "ORD-Y" });
		assert.equal(c.actor.getSnapshot().value, "ordered");
		assert.equal(c.actor.getSnapshot().context.orderId, "ORD-Y");
	});
});
