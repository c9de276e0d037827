/**
 * Model-based tests of the conversation machine: paths generated from its graph (createTestModel,
 * shortest paths) are played against a real actor with a scripted host that carries out what the
 * machine emits. Coverage of every state and every transition is computed from toDirectedGraph and
 * the transitions the actor actually took (inspection microsteps), and asserted.
 *
 * The state key abstracts the context to what the guards read (pending turn, cart, order, brand,
 * notifications, handled ids, idle deadline), plus the event variant and the previous abstract
 * state (a stale turn result and an accepted one must not share a key), so
 * that shortest paths reach every transition and the graph stays small.
 */
import assert from "node:assert/strict";
import { type AnyTransitionDefinition, createActor, type InspectionEvent } from "xstate";
import { createTestModel, type DirectedGraphNode, toDirectedGraph } from "xstate/graph";
import {
	AI_STATES,
	type CartLine,
	type ConversationContext,
	type ConversationEmitted,
	type ConversationEvent,
	type ConversationInput,
	CONVERSATION_STATES,
	HANDLED_IDS_LIMIT
} from "../../../contracts/conversation";
import { conversationMachine } from "../../../machines/conversation.machine";
import { loadConversation, restoreConversation, saveConversation } from "../../../machines/conversation.persistence";

type Labelled = ConversationEvent & { label?: string };
const LIFECYCLE = ["confirmed", "shipped", "delivered", "cancelled"] as const;
type Snap = ReturnType<typeof conversationMachine.transition>;

const LINE: CartLine = { sku: "FJ-001", name: "Black Leather Jacket", qty: 1, unitPrice: 8900, currency: "USD" };
const SINGLE: ConversationInput = { conversationId: "fashion:15550001111", brand: "fashion", customer: { waId: "15550001111" }, idleTimeoutMs: 60_000 };
const SHARED: ConversationInput = {
	conversationId: "shared:15550002222",
	brand: null,
	brands: ["fashion", "tech"],
	customer: { waId: "15550002222" },
	idleTimeoutMs: 60_000
};

function turnResult(ctx: ConversationContext, kind: string, turn: number): Labelled {
	const base = { type: "TURN_COMPLETED" as const, turn, reply: { text: `reply to turn ${turn}` }, understood: true, awaitingConfirmation: false, intent: "search", cart: ctx.cart };
	switch (kind) {
		case "escalate":
			return { ...base, label: "turn:escalate", intent: "human", escalation: { reason: "human_requested" } };
		case "order":
			return { ...base, label: "turn:order", intent: "confirm_checkout", cart: [], orderId: "ORD-1" };
		case "confirm":
			return { ...base, label: "turn:confirm", intent: "checkout", cart: [LINE], awaitingConfirmation: true };
		case "cart":
			return { ...base, label: "turn:cart", intent: "add_to_cart", cart: [LINE], shown: ["FJ-001"] };
		case "followUp":
			return { ...base, label: "turn:followUp", intent: "order_status", cart: [] };
		case "cancelAsk":
			return { ...base, label: "turn:cancelAsk", intent: "cancel_order", cart: ctx.cart, cancelling: "ORD-1" };
		case "cancelled":
			return { ...base, label: "turn:cancelled", intent: "cancel_order", cart: ctx.cart, cancelledOrderId: "ORD-1" };
		default:
			return { ...base, label: "turn:browse", intent: "search", cart: [], understood: false };
	}
}

/** Every event variant worth trying from a snapshot; guards decide which ones are transitions. */
function eventsFor(snapshot: Snap): Labelled[] {
	const ctx = snapshot.context;
	const at = (ctx.lastInboundAt ?? 1_000) + 1_000;
	const fresh = `m${ctx.handled.length + 1}`;
	const pending = ctx.pendingTurn ?? ctx.turn;
	const events: Labelled[] = [
		{ type: "MESSAGE_RECEIVED", label: "msg:new", messages: [{ messageId: fresh, at, text: "a black jacket", sentiment: 0.5 }] },
		{ type: "MESSAGE_RECEIVED", label: "msg:withdraw", messages: [{ messageId: fresh, at, text: "never mind, no need for a person", sentiment: 0.5, withdrawsHuman: true }] },
		{ type: "BRAND_CHOSEN", label: "brand:known", brand: "tech", at },
		{ type: "TURN_FAILED", label: "failed", turn: pending, detail: "turn failed: store down", reply: { text: "a person will join" } },
		{ type: "TURN_FAILED", label: "failed:stale", turn: pending + 100 },
		{ ...turnResult(ctx, "browse", pending + 100), label: "turn:stale" },
		...["escalate", "order", "confirm", "cart", "followUp", "cancelAsk", "cancelled", "browse"].map(kind => turnResult(ctx, kind, pending)),
		{ type: "ESCALATE", label: "escalate", reason: "other", detail: "operator" },
		{ type: "HUMAN_ASSIGNED", label: "assigned", sellerId: "seller-1" },
		{ type: "SELLER_CART_UPDATED", label: "seller:cart", sellerId: "seller-1", cart: ctx.cart.length ? [] : [LINE] },
		{ type: "SELLER_CART_UPDATED", label: "seller:cart:other", sellerId: "seller-2", cart: [LINE], orderId: "ORD-2" },
		{ type: "HANDED_BACK", label: "handback", at },
		// What the customer said last was never answered: the host found it in the transcript.
		{ type: "HANDED_BACK", label: "handback:owed", at, unanswered: [{ messageId: ctx.forwarded.at(-1) ?? "m0", at: ctx.lastInboundAt ?? 1_000, text: "is it in stock?" }] },
		{ type: "CLOSE", label: "close", reason: "resolved" },
		{ type: "IDLE_TIMEOUT", label: "idle:due", at: ctx.deadlines.idleAt ?? at },
		{ type: "IDLE_TIMEOUT", label: "idle:early", at: (ctx.deadlines.idleAt ?? at) - 1 },
		{ type: "ORDER_UPDATED", label: "order:confirmed", orderId: "ORD-1", status: "confirmed", at },
		{ type: "ORDER_UPDATED", label: "order:shipped", orderId: "ORD-1", status: "shipped", at, carrier: "UPS", trackingNumber: "1Z999" },
		{ type: "ORDER_UPDATED", label: "order:tracking", orderId: "ORD-1", status: "shipped", at, carrier: "DHL", trackingNumber: "JD01", correction: 1 },
		{ type: "ORDER_UPDATED", label: "order:cancelled", orderId: "ORD-1", status: "cancelled", at }
	];
	// An empty batch is a no-op; the host never sends one, but the machine must not act on it.
	events.push({ type: "MESSAGE_RECEIVED", label: "msg:empty", messages: [] });
	if (ctx.handled.length)
		events.push({ type: "MESSAGE_RECEIVED", label: "msg:dup", messages: [{ messageId: ctx.handled[0], at, text: "again" }] });
	if (ctx.brands.length > 1)
		events.push({ type: "MESSAGE_RECEIVED", label: "msg:brand", messages: [{ messageId: fresh, at, choiceId: "brand:fashion" }] });
	return events;
}

const abstract = (s: Snap) => {
	const c = s.context;
	return JSON.stringify({
		v: s.value,
		pending: c.pendingTurn !== null,
		cart: c.cart.length > 0,
		order: c.orderId !== null,
		brand: c.brand !== null,
		notified: c.notified.length > 0,
		handled: c.handled.length > 0,
		forwarded: c.forwarded.length > 0,
		// A withdrawal in a person's hands is only the customer's to make when they asked for one.
		escalation: c.escalation !== null,
		idle: c.deadlines.idleAt !== null
	});
};

function modelFor(input: ConversationInput) {
	return createTestModel(conversationMachine, {
		input,
		events: eventsFor as never,
		serializeEvent: e => (e as Labelled).label ?? e.type,
		serializeState: (state, event, prev) =>
			`${abstract(state as Snap)}|${event ? ((event as Labelled).label ?? event.type) : "init"}|${prev ? abstract(prev as Snap) : ""}`
	});
}

/** The host as the service will be: it records what it was asked to do and plays turns back. */
class ScriptedHost {
	readonly emitted: ConversationEmitted[] = [];
	readonly taken = new Set<AnyTransitionDefinition>();
	actor: ReturnType<ScriptedHost["start"]>;
	constructor(private readonly input: ConversationInput) {
		this.actor = this.start();
	}

	private start() {
		return this.attach(createActor(conversationMachine, { input: this.input, inspect: e => this.inspect(e) }));
	}
	private inspect(e: InspectionEvent) {
		if (e.type === "@xstate.microstep") for (const t of e._transitions) this.taken.add(t);
	}
	private attach<T extends ReturnType<typeof createActor<typeof conversationMachine>>>(actor: T): T {
		actor.on("*", ev => this.emitted.push(ev as ConversationEmitted));
		actor.subscribe({ error: err => assert.fail(`actor error: ${String(err)}`) });
		actor.start();
		return actor;
	}
	reset() {
		this.emitted.length = 0;
		this.actor.stop();
		this.actor = this.start();
	}
	since(n: number) {
		return this.emitted.slice(n);
	}
	/** The host persists after every step and restores as another node would after a restart. */
	restart() {
		const stored = JSON.stringify(saveConversation(this.actor));
		const before = this.actor.getSnapshot();
		this.actor.stop();
		const restored = restoreConversation(stored, { onError: err => assert.fail(String(err)), start: false });
		assert.equal(restored.repaired, null);
		const actor = createActor(conversationMachine, {
			snapshot: loadConversation(stored).snapshot as never,
			input: this.input,
			inspect: e => this.inspect(e)
		});
		this.actor = this.attach(actor);
		assert.deepEqual(this.actor.getSnapshot().value, before.value);
		assert.deepEqual(this.actor.getSnapshot().context, before.context);
	}
}

function allEdges(node: DirectedGraphNode): { id: string; t: AnyTransitionDefinition }[] {
	return [
		...node.edges.map(e => ({ id: `${e.source.id} --${e.label.text}${e.transition.guard ? ` [${String((e.transition.guard as { type?: string }).type ?? e.transition.guard)}]` : ""}--> ${e.target.id}`, t: e.transition })),
		...node.children.flatMap(allEdges)
	];
}

describe("conversation machine (model-based)", function () {
	this.timeout(120_000);
	const taken = new Set<AnyTransitionDefinition>();
	const visited = new Set<string>();
	let pathsRun = 0;

	for (const [name, input] of [["single-brand number", SINGLE], ["shared number", SHARED]] as const) {
		it(`plays every shortest path of the graph (${name})`, async () => {
			const model = modelFor(input);
			const paths = model.getShortestPaths();
			assert.ok(paths.length > 20, `expected a real graph, got ${paths.length} paths`);
			const host = new ScriptedHost(input);
			for (const path of paths) {
				host.reset();
				let mark = 0;
				let stepState: Snap | undefined;
				const send = (step: { event: ConversationEvent; state: unknown }) => {
					const before = host.actor.getSnapshot();
					mark = host.emitted.length;
					const { label: _label, ...event } = step.event as Labelled;
					host.actor.send(event as ConversationEvent);
					const after = host.actor.getSnapshot();
					stepState = step.state as Snap;
					visited.add(String(before.value)).add(String(after.value));
					assert.deepEqual(after.value, stepState.value, `${path.description}: state after ${_label ?? event.type}`);
					checkInvariants(before, after, event as ConversationEvent, host.since(mark));
					host.restart();
				};
				const executors = Object.fromEntries(
					[...new Set(eventsFor(host.actor.getSnapshot()).map(e => e.type)), "MESSAGE_RECEIVED"].map(t => [t, send])
				);
				await path.test({
					events: executors as never,
					states: {
						choosingBrand: () => {
							const asks = host.emitted.filter(e => e.type === "brand.choice.requested");
							assert.ok(asks.length > 0);
							assert.deepEqual(asks.at(-1)!.type === "brand.choice.requested" && asks.at(-1)!.brands, ["fashion", "tech"]);
						},
						escalated: () => assert.ok(host.emitted.some(e => e.type === "escalation.requested")),
						human: () => assert.ok(host.actor.getSnapshot().context.sellerId),
						closed: () => assert.ok(host.emitted.some(e => e.type === "conversation.closed")),
						checkout: () => {
							const s = host.actor.getSnapshot();
							assert.ok(s.context.cart.length > 0);
						}
					}
				});
				visited.add(String(host.actor.getSnapshot().value));
				for (const t of host.taken) taken.add(t);
				pathsRun++;
			}
		});
	}

	it("covered every state and every transition of the graph", () => {
		assert.ok(pathsRun > 0, "the path tests ran first");
		const missingStates = CONVERSATION_STATES.filter(s => !visited.has(s));
		assert.deepEqual(missingStates, [], "states never reached");
		const edges = allEdges(toDirectedGraph(conversationMachine));
		assert.ok(edges.length > 60, `expected the full graph, got ${edges.length} edges`);
		const missing = edges.filter(e => !taken.has(e.t)).map(e => e.id);
		assert.deepEqual(missing, [], "transitions never taken");
	});
});

/** What must hold after any step, whatever the path. */
function checkInvariants(before: Snap, after: Snap, event: ConversationEvent, emitted: ConversationEmitted[]) {
	const replies = emitted.filter(e => e.type === "reply.send");
	// The AI never speaks for a stale turn, nor while a human has (or is about to have) the conversation.
	if (event.type === "TURN_COMPLETED") {
		const accepted = event.turn === before.context.pendingTurn && (AI_STATES as string[]).includes(String(before.value));
		assert.equal(replies.length, accepted ? 1 : 0, `reply for turn ${event.turn} in ${String(before.value)}`);
		if (!accepted) assert.ok(emitted.some(e => e.type === "turn.discarded"));
	} else if (event.type === "TURN_FAILED") {
		// A failed turn the AI still owned tells the customer a person will join, and hands them over.
		const accepted = event.turn === before.context.pendingTurn && (AI_STATES as string[]).includes(String(before.value));
		assert.deepEqual(replies, accepted && event.reply ? [{ type: "reply.send", turn: event.turn, reply: event.reply }] : []);
		if (accepted) assert.equal(after.value, "escalated");
		else assert.ok(emitted.some(e => e.type === "turn.discarded"));
	} else assert.equal(replies.length, 0);
	if (["escalated", "human", "closed"].includes(String(after.value))) {
		assert.equal(after.context.pendingTurn, null);
		// A cancellation asked about is confirmed only in the AI's very next turn.
		assert.equal(after.context.cancelling, null);
	}
	if (event.type === "TURN_COMPLETED" && after.context.turn === before.context.turn && before.context.pendingTurn === event.turn && (AI_STATES as string[]).includes(String(after.value)))
		assert.equal(after.context.cancelling, event.cancelling ?? null);
	// A cancellation the customer was told of in the reply is not announced again.
	if (event.type === "TURN_COMPLETED" && event.cancelledOrderId && replies.length) assert.ok(after.context.notified.includes(`${event.cancelledOrderId}:cancelled`));
	if (["escalated", "human"].includes(String(after.value))) assert.equal(after.context.deadlines.idleAt, null);
	// Exactly one turn request per accepted batch of new messages, and the turn number moves by one.
	const requests = emitted.filter(e => e.type === "turn.requested");
	if (requests.length) {
		assert.equal(requests.length, 1);
		assert.equal(after.context.turn, before.context.turn + 1);
		assert.equal(after.context.pendingTurn, after.context.turn);
	}
	if (event.type === "MESSAGE_RECEIVED" && event.messages.every(m => before.context.handled.includes(m.messageId)))
		assert.deepEqual(emitted, [], "a duplicate delivery changes nothing");
	assert.ok(after.context.handled.length <= HANDLED_IDS_LIMIT);
	// A seller's cart change lands only while that seller has the conversation; anything else is ignored.
	if (event.type === "SELLER_CART_UPDATED") {
		const mine = before.value === "human" && event.sellerId === before.context.sellerId;
		if (mine) assert.deepEqual(after.context.cart, event.cart);
		else assert.deepEqual(after.context, before.context, `a cart change by ${event.sellerId} in ${String(before.value)}`);
		assert.deepEqual(emitted, []);
	}
	const notes = emitted.filter(e => e.type === "notification.send");
	if (event.type === "ORDER_UPDATED") {
		// Once each, and never behind what the customer was already told about that order.
		// A tracking correction n is told once, and never after delivery, cancellation or a later correction.
		const rank = (key: string) => {
			const [status, n] = key.split("#");
			return LIFECYCLE.indexOf(status as (typeof LIFECYCLE)[number]) * 1000 + Number(n ?? 0);
		};
		const mine = rank(`${event.status}${event.correction ? `#${event.correction}` : ""}`);
		const told = before.context.notified.some(k => k.startsWith(`${event.orderId}:`) && rank(k.slice(event.orderId.length + 1)) >= mine);
		assert.equal(notes.length, told ? 0 : 1, `${event.status} after ${before.context.notified.join(", ")}`);
	}
}
