/**
 * Model-based tests of the escalation machine: paths generated from its graph (shortest paths over
 * an abstraction of the context) drive a host that keeps the actor only as stored JSON, restores it
 * for every event and fires deadlines through the queue's sweeper on a simulated clock. The model
 * says where each step must land; the host must land there with the same context and the emitted
 * requests each transition promises. Coverage of every state node and every transition of
 * `toDirectedGraph` is computed from the generated paths and asserted.
 */
import assert from "node:assert/strict";
import { createTestModel, getStateNodes, toDirectedGraph, type DirectedGraphNode } from "xstate/graph";
import { edgesOf, transitionKeyed } from "../../helpers/model";
import type { AnyTransitionDefinition } from "xstate";
import type { EscalationEmitted, EscalationEvent, EscalationInput } from "../../../contracts/escalation";
import { deadlinesOf, escalationMachine, type EscalationSnapshot } from "../../../machines/escalation.machine";
import { EscalationHost } from "../../helpers/escalation-host";

const T0 = Date.UTC(2024, 10, 22, 10, 0, 0);
const INPUT: EscalationInput = {
	escalationId: "esc-1",
	conversationId: "fashion:15551234567",
	brand: "fashion",
	waId: "15551234567",
	customerName: "Maria",
	reason: "human_requested",
	createdAt: T0,
	slaMs: 120_000,
	offerTtlMs: 30_000,
	graceMs: 60_000
};
const { createdAt: _createdAt, ...HOST_INPUT } = INPUT;

/** What the guards and the sweeper care about; absolute times stay out of the key. */
const abstract = (s: EscalationSnapshot): string =>
	JSON.stringify({
		v: s.value,
		next: deadlinesOf(s)[0]?.type ?? null,
		seller: s.context.sellerId,
		offeredTo: s.context.offer?.sellerId ?? null,
		brand: s.context.brand,
		breached: s.context.slaBreaches > 0,
		resolution: s.context.resolution
	});

/**
 * Marks an event whose time is not "now": a due timer, or a late offer. The machine ignores the
 * extra field; it tells the host which of its own events the model's step stands for.
 */
const tagged = (event: EscalationEvent, tag: "due" | "late"): EscalationEvent => Object.assign(event, { tag });

/**
 * Concrete events for a state. Time only moves when a deadline fires (at the deadline: the sweeper
 * fires the earliest one first) or when a seller frees up late, just before the SLA runs out — the
 * way an SLA can breach while an offer is pending. A timer that is not next is sent early, which
 * the guards must ignore.
 */
function eventsFor(s: EscalationSnapshot): EscalationEvent[] {
	const c = s.context;
	const now = c.updatedAt;
	const next = deadlinesOf(s)[0];
	const timer = (type: "OFFER_EXPIRED" | "SLA_BREACHED" | "GRACE_EXPIRED"): EscalationEvent =>
		next && next.type === type ? tagged({ type, at: next.at }, "due") : { type, at: now };
	const holder = c.sellerId ?? "s1";
	const other = holder === "s1" ? "s2" : "s1";
	const events: EscalationEvent[] = [
		{ type: "OFFER", sellerId: "s1", at: now },
		{ type: "ACCEPT", sellerId: c.offer?.sellerId ?? "s1", sellerName: "Ana Torres", at: now },
		{ type: "DECLINE", sellerId: c.offer?.sellerId ?? "s1", at: now },
		timer("OFFER_EXPIRED"),
		timer("SLA_BREACHED"),
		timer("GRACE_EXPIRED"),
		{ type: "SELLER_DISCONNECTED", sellerId: holder, at: now },
		{ type: "SELLER_RECONNECTED", sellerId: holder, at: now },
		{ type: "TRANSFER", sellerId: holder, toSellerId: other, note: "knows this product line", at: now },
		{ type: "TRANSFER", sellerId: holder, toBrand: c.brand === "fashion" ? "beauty" : "fashion", note: "a skincare question", at: now },
		{ type: "RESOLVE", sellerId: holder, to: "ai", note: "size answered", at: now },
		{ type: "RESOLVE", sellerId: holder, to: "closed", at: now },
		{ type: "CANCEL", at: now }
	];
	if (c.offer) events.push({ type: "ACCEPT", sellerId: "s3", sellerName: "Carla Mendes", at: now });
	if (s.matches("queued") && c.slaDeadline !== null && c.slaDeadline - 1000 > now)
		events.push(tagged({ type: "OFFER", sellerId: "s1", at: c.slaDeadline - 1000 }, "late"));
	return events;
}

const model = createTestModel(escalationMachine, {
	input: INPUT,
	events: eventsFor,
	serializeState: transitionKeyed(abstract)
});

const newOf = (host: EscalationHost, before: number): EscalationEmitted[] => host.emitted.slice(before);

describe("escalation machine: model-based paths", function () {
	const paths = model.getShortestPaths();
	const coveredTransitions = new Set<AnyTransitionDefinition>();
	const coveredSnapshots: EscalationSnapshot[] = [];
	for (const path of paths) {
		for (let i = 0; i < path.steps.length; i++) {
			const step = path.steps[i]!;
			coveredSnapshots.push(step.state);
			if (i === 0) continue;
			for (const t of escalationMachine.getTransitionData(path.steps[i - 1]!.state, step.event)) coveredTransitions.add(t);
		}
	}

	it("covers every state node of the machine", () => {
		const missing = getStateNodes(escalationMachine.root).filter(node => {
			const value = node.path.reduceRight<unknown>((acc, key) => (acc === undefined ? key : { [key]: acc }), undefined);
			return !coveredSnapshots.some(s => s.matches(value as never));
		});
		assert.deepEqual(missing.map(n => n.id), []);
	});

	it("covers every transition of the machine's graph", () => {
		const edges = edgesOf(toDirectedGraph(escalationMachine));
		const uncovered = edges.filter(e => !coveredTransitions.has(e.transition)).map(e => `${e.source.id} —${e.label.text}→ ${e.target.id}`);
		assert.deepEqual(uncovered, []);
		// The scenarios the issue names, each as an edge that some path takes.
		const taken = (source: string, event: string, target: string) =>
			edges.some(e => e.source.id === source && e.label.text === event && e.target.id === target && coveredTransitions.has(e.transition));
		assert.ok(taken("escalation.queued", "SLA_BREACHED", "escalation.queued"), "SLA breach while queued");
		assert.ok(taken("escalation.offered", "SLA_BREACHED", "escalation.offered"), "SLA breach while offered");
		assert.ok(taken("escalation.offered", "OFFER_EXPIRED", "escalation.queued"), "offer expiry");
		assert.ok(taken("escalation.offered", "DECLINE", "escalation.queued"), "decline");
		assert.ok(taken("escalation.active.away", "GRACE_EXPIRED", "escalation.queued"), "grace expiry");
		assert.ok(taken("escalation.active", "TRANSFER", "escalation.offered"), "transfer to a seller");
		assert.ok(taken("escalation.active", "TRANSFER", "escalation.queued"), "transfer to a brand");
		const resolutions = edges.filter(e => e.source.id === "escalation.active" && e.label.text === "RESOLVE");
		assert.equal(resolutions.length, 2);
		assert.ok(resolutions.every(e => coveredTransitions.has(e.transition)), "hand back and close");
	});

	it("generates a bounded set of paths", () => {
		assert.ok(paths.length > 20, `only ${paths.length} paths`);
		assert.ok(paths.length < 5000, `${paths.length} paths: the abstraction leaks`);
	});

	it("every generated path replays on a restarting host with a sweeper and a simulated clock", async () => {
		const shape = (e: EscalationEvent) => JSON.stringify({ ...e, at: undefined });
		let replayed = 0;
		for (const path of paths) {
			const host = new EscalationHost(T0);
			host.create(HOST_INPUT);
			const id = INPUT.escalationId;
			// Paths share one representative snapshot per abstract state, so the concrete times come
			// from the host's own snapshot and the model is compared through the abstraction.
			const check = (expected: EscalationSnapshot) => {
				const actual = host.snapshot(id);
				assert.equal(abstract(actual), abstract(expected));
				assert.deepEqual(host.queue.due(), [], "the sweeper has nothing left to fire now");
				const entry = host.queue.get(id);
				if (actual.matches("resolved")) assert.equal(entry, undefined);
				else {
					assert.ok(entry);
					if (actual.matches("queued")) assert.ok(host.queue.waiting(actual.context.brand).some(e => e.escalationId === id));
					if (actual.matches("offered")) assert.equal(host.queue.load(actual.context.offer!.sellerId), 1);
					if (actual.matches("active")) assert.deepEqual(host.queue.assignedTo(actual.context.sellerId!).map(e => e.escalationId), [id]);
				}
			};
			const expectEmitted = (emitted: EscalationEmitted[], type: EscalationEmitted["type"], match: Record<string, unknown> = {}) =>
				assert.ok(
					emitted.some(e => e.type === type && Object.entries(match).every(([k, v]) => (e as unknown as Record<string, unknown>)[k] === v)),
					`${type} ${JSON.stringify(match)} in ${JSON.stringify(emitted)}`
				);
			/** The model's event, made concrete on the host's clock: same parameters, same tag. */
			const concrete = (modelEvent: EscalationEvent): EscalationEvent => {
				const actual = host.snapshot(id);
				const found = eventsFor(actual).filter(e => shape(e) === shape(modelEvent));
				assert.equal(found.length, 1, `no single host event for ${shape(modelEvent)} at ${abstract(actual)}`);
				return found[0]!;
			};
			const run = (step: { event: { type: string } }) => {
				const event = concrete(step.event as unknown as EscalationEvent);
				const before = host.emitted.length;
				const priority = host.snapshot(id).context.priority;
				host.advanceTo(event.at);
				if (event.type === "OFFER_EXPIRED" || event.type === "SLA_BREACHED" || event.type === "GRACE_EXPIRED")
					assert.deepEqual(host.sweep(), [event.type], "the sweeper fires exactly the model's timer");
				else host.send(id, event);
				const emitted = newOf(host, before);
				switch (event.type) {
					case "OFFER":
						return expectEmitted(emitted, "escalation.offered", { sellerId: event.sellerId, expiresAt: event.at + INPUT.offerTtlMs! });
					case "ACCEPT":
						return expectEmitted(emitted, "escalation.assigned", { sellerId: event.sellerId });
					case "DECLINE":
						return expectEmitted(emitted, "escalation.queued", { cause: "declined" });
					case "OFFER_EXPIRED":
						return expectEmitted(emitted, "escalation.queued", { cause: "offer_expired" });
					case "GRACE_EXPIRED":
						return expectEmitted(emitted, "escalation.queued", { cause: "seller_offline" });
					case "SLA_BREACHED":
						return expectEmitted(emitted, "escalation.slaBreached", { priority: Math.min(10, priority + 1) });
					case "SELLER_DISCONNECTED":
						return expectEmitted(emitted, "escalation.sellerAway", { graceDeadline: event.at + INPUT.graceMs! });
					case "SELLER_RECONNECTED":
						return expectEmitted(emitted, "escalation.sellerBack");
					case "TRANSFER":
						expectEmitted(emitted, "escalation.transferred");
						if (event.toSellerId) return expectEmitted(emitted, "escalation.offered", { sellerId: event.toSellerId });
						return expectEmitted(emitted, "escalation.queued", { cause: "transferred", brand: event.toBrand });
					case "RESOLVE":
						return expectEmitted(emitted, "escalation.resolved", { to: event.to, sellerId: event.sellerId });
					case "CANCEL":
						return expectEmitted(emitted, "escalation.resolved", { to: "ai" });
				}
			};
			await path.test({
				events: {
					OFFER: run,
					ACCEPT: run,
					DECLINE: run,
					SELLER_DISCONNECTED: run,
					SELLER_RECONNECTED: run,
					TRANSFER: run,
					RESOLVE: run,
					CANCEL: run,
					OFFER_EXPIRED: run,
					SLA_BREACHED: run,
					GRACE_EXPIRED: run
				},
				states: {
					queued: check,
					offered: check,
					"active.online": check,
					"active.away": check,
					resolved: check
				}
			});
			replayed++;
		}
		assert.equal(replayed, paths.length);
	});
});
