/**
 * Model-based tests of the order lifecycle: the paths come from the order machine's own graph
 * (shortest paths to every state, which also take every transition), and each step drives the
 * real orders service through its actions and checks the persisted record. Then, in every state,
 * every event the machine does not take there is sent too: a repeat of a transition that already
 * happened must be a no-op, anything else a 409 INVALID_TRANSITION naming the state. EXPIRE (the
 * payment deadline) is taken the way production takes it: the service's clock passes the order's
 * deadline and its own sweeper fires it. Two paymentRefs make the second payment (owed back, with
 * no change of state) a step of its own, and its refund is checked against the machine's; two
 * trackings do the same for a correction of a shipped order (`store.order.tracking.changed`).
 */
import assert from "node:assert/strict";
import { Errors, type ServiceBroker, type ServiceSchema } from "moleculer";
import { createTestModel, toDirectedGraph, type DirectedGraphNode } from "xstate/graph";
import type { CloudEvent, EventType } from "../../contracts/events";
import { ORDER_EVENT_TYPES, orderMachine, restoreOrderSnapshot, type OrderEvent, type OrderEventType, type OrderMachineContext, type OrderStatus } from "../../machines/order.machine";
import { createCatalogService } from "../../services/catalog.service";
import { createOrdersService, orderKey, PAYMENT_DEADLINE_BUCKET_MS, type OrderRecord, type OrderView } from "../../services/orders.service";
import { channelsOf, startBroker } from "../helpers/broker";
import { waitFor } from "../helpers/wait";

const EVENTS: OrderEvent[] = [
	{ type: "PAY", paymentRef: "pay_model" },
	{ type: "PAY", paymentRef: "pay_other" },
	{ type: "SHIP", carrier: "UPS", trackingNumber: "1Z-MODEL" },
	{ type: "SHIP", carrier: "DHL", trackingNumber: "JD-MODEL" },
	{ type: "DELIVER", at: "2025-01-01T00:00:00.000Z" },
	{ type: "CANCEL", reason: "model says so" },
	{ type: "EXPIRE", at: "2025-01-03T00:00:00.000Z" }
];
const FACT: Record<OrderEventType, string> = { PAY: "confirmed", SHIP: "shipped", DELIVER: "delivered", CANCEL: "cancelled", EXPIRE: "cancelled" };
const PAYMENT_TIMEOUT_MS = 60_000;

/** Every edge of the machine's graph as `from:EVENT:to`, and every leaf state. */
function graphOf(): { states: Set<string>; edges: Set<string> } {
	const states = new Set<string>();
	const edges = new Set<string>();
	const walk = (node: DirectedGraphNode) => {
		if (!node.children.length) states.add(node.stateNode.key);
		for (const e of node.edges) edges.add(`${e.source.key}:${e.label.text}:${e.target.key}`);
		node.children.forEach(walk);
	};
	walk(toDirectedGraph(orderMachine));
	return { states, edges };
}

describe("order machine, model-based, against the orders service", () => {
	let broker: ServiceBroker;
	const events: CloudEvent<{ orderId: string }>[] = [];
	const Sink: ServiceSchema = {
		name: "model-sink",
		channels: Object.fromEntries(
			["created", "confirmed", "shipped", "delivered", "cancelled", "tracking.changed"].flatMap(f =>
				channelsOf(`store.order.${f}` as EventType).map(channel => [channel, { handler: async (e: CloudEvent<{ orderId: string }>) => void events.push(e) }])
			)
		)
	};

	let clock = Date.now();
	before(async () => {
		broker = await startBroker({ services: [createCatalogService(), createOrdersService({ now: () => clock, paymentTimeoutMs: PAYMENT_TIMEOUT_MS, paymentSweepMs: 10 }), Sink] });
		await broker.call("catalog.setStock", { sku: "HO-0002", stock: 1000 });
	});
	after(() => broker?.stop());

	const model = createTestModel(orderMachine, { events: EVENTS, input: { orderId: "model", payBy: "2025-01-02T00:00:00.000Z" } } as never);
	// Duplicates kept: a path ending in each state, so refusals are checked in every state.
	const paths = model.getShortestPaths({ allowDuplicatePaths: true });
	const graph = graphOf();
	const covered = { states: new Set<string>(), edges: new Set<string>() };

	const persisted = async (id: string) => (await broker.store.getVersioned<OrderRecord>(orderKey(id)))!.value;
	const orders = () => broker.getLocalService("orders") as unknown as { apply(id: string, event: OrderEvent, source: string): Promise<OrderView> };
	/** A step of a path: as production takes it (EXPIRE: the deadline passes and the sweeper notices). */
	const take = async (id: string, event: OrderEvent) => {
		if (event.type !== "EXPIRE") return send(id, event);
		clock += PAYMENT_TIMEOUT_MS + PAYMENT_DEADLINE_BUCKET_MS;
		return waitFor(async () => {
			const order = await broker.call<OrderView, object>("orders.get", { id });
			return order.status === "pending" ? null : order;
		}, { message: `order ${id} expired by the sweeper` });
	};
	/** The event as the service gets it: EXPIRE at the service's clock, well past any deadline. */
	const concrete = (event: OrderEvent): OrderEvent => (event.type === "EXPIRE" ? { type: "EXPIRE", at: new Date(clock + PAYMENT_TIMEOUT_MS * 10).toISOString() } : event);
	/** Straight to the service: also an EXPIRE the sweeper would never send (the order is not pending). */
	const send = (id: string, event: OrderEvent) => {
		switch (event.type) {
			case "PAY":
				return broker.call<OrderView, object>("orders.pay", { id, paymentRef: event.paymentRef });
			case "SHIP":
				return broker.call<OrderView, object>("orders.ship", { id, carrier: event.carrier, trackingNumber: event.trackingNumber });
			case "DELIVER":
				return broker.call<OrderView, object>("orders.deliver", { id });
			case "CANCEL":
				return broker.call<OrderView, object>("orders.cancel", { id, reason: event.reason });
			case "EXPIRE":
				return orders().apply(id, concrete(event), "test");
		}
	};
	const published = (id: string) => events.filter(e => e.data.orderId === id).map(e => e.type.replace("store.order.", ""));

	for (const path of paths) {
		it(`reaches ${String(path.state.value)} via ${path.steps.slice(1).map(s => (s.event.type === "PAY" ? `PAY ${(s.event as { paymentRef: string }).paymentRef}` : s.event.type === "SHIP" ? `SHIP ${(s.event as { carrier: string }).carrier}` : s.event.type)).join(" → ") || "(create)"}`, async () => {
			const order = await broker.call<OrderView, object>("orders.create", { waId: "15550009999", brand: "home", items: [{ sku: "HO-0002", qty: 1 }] });
			let previous: OrderStatus = "pending";
			const visited: OrderStatus[] = [];
			const expectedFacts = ["created"];

			await path.test({
				states: Object.fromEntries(
					[...graph.states].map(s => [
								s,
								async () => {
									const record = await persisted(order.id);
									assert.equal(record.order.status, s);
									assert.equal(record.snapshot.value, s);
									assert.equal(record.history.at(-1)!.to, s);
									covered.states.add(s);
									visited.push(s as OrderStatus);
								}
							])
				),
				events: Object.fromEntries(
					ORDER_EVENT_TYPES.map(type => [
						type,
						async (step: { event: OrderEvent; state: { value: unknown; context: OrderMachineContext } }) => {
							const steps = (await persisted(order.id)).history.length;
							const res = await take(order.id, step.event);
							const to = String(step.state.value) as OrderStatus;
							assert.equal(res.status, to);
							const owed = (refunds: { paymentRef: string; reason: string }[] | undefined) => (refunds ?? []).map(r => `${r.paymentRef}:${r.reason}`);
							assert.deepEqual(owed(res.refunds), owed(step.state.context.refunds), "the refunds owed are the machine's");
							assert.ok((res.refunds ?? []).every(r => r.amount === order.total && r.currency === order.currency));
							// Paths may also send an event the machine ignores there (the same paymentRef again): no edge of the graph.
							if (res.history.length > steps) covered.edges.add(`${previous}:${type}:${to}`);
							// A step that keeps the state is no new fact, but for a tracking correction, which is one of its own.
							if (previous !== to) expectedFacts.push(FACT[type]);
							else if (type === "SHIP" && res.history.length > steps) expectedFacts.push("tracking.changed");
							if (step.event.type === "SHIP" && to === "shipped") assert.deepEqual([res.carrier, res.trackingNumber], [step.event.carrier, step.event.trackingNumber]);
							previous = to;
						}
					])
				)
			} as never);

			// Every event the machine refuses in the final state: a repeat is a no-op, the rest a 409.
			const final = String(path.state.value) as OrderStatus;
			const before = await persisted(order.id);
			const known = [before.snapshot.context.paymentRef, ...(before.snapshot.context.refunds ?? []).map(r => r.paymentRef)];
			for (const event of EVENTS) {
				if (restoreOrderSnapshot(before.snapshot).can(concrete(event))) continue;
				const repeat = event.type === "PAY" ? known.includes(event.paymentRef) : visited.includes(FACT[event.type] as OrderStatus);
				if (repeat) assert.equal((await send(order.id, event)).status, final, `${event.type} repeated in ${final}`);
				else
					await assert.rejects(send(order.id, event), (err: Errors.MoleculerError) =>
						err.code === 409 && err.type === "INVALID_TRANSITION" && (err.data as { status: string }).status === final && err.message.includes(`it is ${final}`)
					);
			}
			const after = await persisted(order.id);
			assert.deepEqual(after.history, before.history, "refused and repeated events change nothing");

			await waitFor(() => published(order.id).length === expectedFacts.length);
			assert.deepEqual(published(order.id), expectedFacts, "each transition published exactly once");
		});
	}

	it("covered every state and every transition of the machine's graph, and checked refusals in every state", () => {
		assert.deepEqual([...new Set(paths.map(p => String(p.state.value)))].sort(), [...graph.states].sort());
		assert.deepEqual([...covered.states].sort(), [...graph.states].sort());
		assert.deepEqual([...covered.edges].sort(), [...graph.edges].sort());
		assert.equal(graph.edges.size, 11);
	});
});
