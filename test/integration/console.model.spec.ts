/**
 * Model-based tests of the escalation lifecycle through the seller console: paths generated from
 * the escalation machine's graph (`xstate/graph`, shortest paths over an abstraction of its
 * context) are replayed against the real services — api + console + sales-assistant + whatsapp
 * (sandbox) + the fashion AI seller — with real WebSocket clients and a simulated clock.
 *
 * The model's events are the ones a console can cause, made concrete as what sellers do:
 *   OFFER s      the seller connects while nobody else of the brand is online (the sweeper offers)
 *   ACCEPT s     an `accept` frame (the offered seller, or another taking it over)
 *   DECLINE s    a `decline` frame
 *   SELLER_DISCONNECTED / SELLER_RECONNECTED   the holder's last socket closes / a socket opens
 *   TRANSFER     a `transfer` frame to another seller (whose console is open) or another brand
 *   RESOLVE      a `resolve` frame (`ai` hands back, `closed` ends it)
 *   OFFER_EXPIRED / SLA_BREACHED / GRACE_EXPIRED   the simulated clock moves to the deadline
 *   CANCEL       while offered: an operator's `sales-assistant.cancel`, the offered seller's socket
 *                hearing `escalation.resolved`; while queued: the conversation closed by an operator
 *                (`ai-seller-fashion.send` CLOSE), whose `store.chat.conversation.closed` withdraws it
 * After each step the service's view of the escalation must match the model's state (through the
 * same abstraction), and the frames that step promises must have reached the sellers' sockets.
 *
 * The sales assistant offers by itself to any available seller, so the test keeps online only the
 * sellers a step needs (and a holder who is online in the model): a queued escalation then stays
 * queued until the model offers it.
 */
import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import { createTestModel, getStateNodes, toDirectedGraph, type DirectedGraphNode } from "xstate/graph";
import { edgesOf, transitionKeyed } from "../helpers/model";
import type { AnyTransitionDefinition } from "xstate";
import type { EscalationEvent, EscalationInput } from "../../contracts/escalation";
import type { EscalationView, SellerView } from "../../contracts/sales-assistant";
import { deadlinesOf, escalationMachine, stateOf, type EscalationSnapshot } from "../../machines/escalation.machine";
import ConsoleService from "../../gateway/console.service";
import CatalogService from "../../services/catalog.service";
import OrdersService from "../../services/orders.service";
import AiSellerFashion from "../../services/ai-seller-fashion.service";
import { createSalesAssistantService } from "../../services/sales-assistant.service";
import { BUSINESS } from "../fixtures/whatsapp";
import { customer } from "../helpers/ai-seller";
import { connectSeller, sellersFile, type SellerClient } from "../helpers/console-client";
import { startGateway } from "../helpers/whatsapp";
import { waitFor } from "../helpers/wait";

const MODEL_SELLERS = ["s1", "s2", "s3"] as const;
type ModelSeller = (typeof MODEL_SELLERS)[number];
const BRANDS = ["fashion", "beauty"] as const;
/** Each model seller is a different real seller in each brand, so a transfer changes who sells. */
const real = (s: string, brand: string) => `${brand.slice(0, 1)}${s.slice(1)}`;
const SELLERS = BRANDS.flatMap(brand =>
	MODEL_SELLERS.map(s => ({ id: real(s, brand), name: `${brand} seller ${s}`, token: `model-${real(s, brand)}-token-0000`, brands: [brand], capacity: 3 }))
);

const T0 = Date.UTC(2024, 10, 22, 10, 0, 0);
const INPUT: EscalationInput = {
	escalationId: "esc-model",
	conversationId: "fashion:15550000000",
	brand: "fashion",
	waId: "15550000000",
	customerName: "Model Customer",
	reason: "human_requested",
	createdAt: T0,
	slaMs: 120_000,
	offerTtlMs: 30_000,
	graceMs: 60_000
};

/** What the guards, the sweeper and the console care about; absolute times stay out. */
const abstractModel = (s: EscalationSnapshot) => ({
	v: JSON.stringify(s.value),
	brand: s.context.brand,
	// A resolved escalation's view names no holder any more.
	seller: s.context.sellerId && !s.matches("resolved") ? real(s.context.sellerId, s.context.brand) : null,
	offeredTo: s.context.offer ? real(s.context.offer.sellerId, s.context.brand) : null,
	breached: s.context.slaBreaches > 0,
	resolution: s.context.resolution ?? null
});
const abstractView = (v: EscalationView) => ({
	v: JSON.stringify(v.state === "active" ? { active: v.graceDeadline ? "away" : "online" } : v.state),
	brand: v.brand,
	seller: v.state === "active" ? v.sellerId : null,
	offeredTo: v.state === "offered" ? v.offeredTo : null,
	breached: v.slaBreaches > 0,
	resolution: v.state === "resolved" ? (v.resolution ?? null) : null
});
const key = (s: EscalationSnapshot) =>
	JSON.stringify({ ...abstractModel(s), next: deadlinesOf(s)[0]?.type ?? null, declined: [...s.context.declinedBy].sort() });

/** An offer made when the clock reaches `at` (the machine ignores the extra field; the runner reads it). */
const lateOffer = (sellerId: string, at: number): EscalationEvent => Object.assign({ type: "OFFER" as const, sellerId, at }, { late: true });
const isLate = (e: EscalationEvent) => (e as { late?: boolean }).late === true;
const LATE_BY_MS = 1000;

/** The events a console (or the clock) can cause in a state, as the host's policy allows them. */
function consoleEvents(s: EscalationSnapshot): EscalationEvent[] {
	const c = s.context;
	const now = c.updatedAt;
	const state = stateOf(s);
	const out: EscalationEvent[] = [];
	const next = deadlinesOf(s)[0];
	if (next) out.push({ type: next.type, at: next.at } as EscalationEvent);
	if (state === "queued" || state === "offered") out.push({ type: "CANCEL", note: "no longer needed", at: now });
	if (state === "queued") {
		// The sweeper never offers to a seller who declined or let an offer lapse.
		for (const id of MODEL_SELLERS) if (!c.declinedBy.includes(id)) out.push({ type: "OFFER", sellerId: id, at: now });
		out.push({ type: "ACCEPT", sellerId: "s1", sellerName: "s1", at: now });
		// A seller who comes online just before the SLA runs out: the breach then finds it offered.
		const late = MODEL_SELLERS.find(id => !c.declinedBy.includes(id));
		if (late && c.slaDeadline !== null && c.slaDeadline - LATE_BY_MS > now) out.push(lateOffer(late, c.slaDeadline - LATE_BY_MS));
	}
	if (state === "offered" && c.offer) {
		const offered = c.offer.sellerId;
		out.push({ type: "ACCEPT", sellerId: offered, sellerName: offered, at: now }, { type: "DECLINE", sellerId: offered, at: now });
		if (offered !== "s3") out.push({ type: "ACCEPT", sellerId: "s3", sellerName: "s3", at: now });
	}
	if (state === "active" && c.sellerId) {
		const holder = c.sellerId;
		if (s.matches({ active: "away" })) out.push({ type: "SELLER_RECONNECTED", sellerId: holder, at: now });
		else {
			const other = holder === "s1" ? "s2" : "s1";
			out.push(
				{ type: "SELLER_DISCONNECTED", sellerId: holder, at: now },
				{ type: "TRANSFER", sellerId: holder, toSellerId: other, note: "knows this line", at: now },
				{ type: "TRANSFER", sellerId: holder, toBrand: c.brand === "fashion" ? "beauty" : "fashion", note: "other brand", at: now },
				{ type: "RESOLVE", sellerId: holder, to: "ai", note: "answered", at: now },
				{ type: "RESOLVE", sellerId: holder, to: "closed", at: now }
			);
		}
	}
	return out;
}

const model = createTestModel(escalationMachine, {
	input: INPUT,
	events: consoleEvents,
	serializeState: transitionKeyed(key)
});

type Path = ReturnType<typeof model.getShortestPaths>[number];

/** Transitions a path takes. */
function transitionsOf(path: Path): Set<AnyTransitionDefinition> {
	const out = new Set<AnyTransitionDefinition>();
	for (let i = 1; i < path.steps.length; i++)
		for (const t of escalationMachine.getTransitionData(path.steps[i - 1]!.state, path.steps[i]!.event)) out.add(t);
	return out;
}

/** Few paths that together take every transition any path takes (greedy set cover), longest first. */
function covering(paths: Path[]): Path[] {
	const left = new Set(paths.flatMap(p => [...transitionsOf(p)]));
	const chosen: Path[] = [];
	const pool = [...paths];
	while (left.size) {
		pool.sort((a, b) => [...transitionsOf(b)].filter(t => left.has(t)).length - [...transitionsOf(a)].filter(t => left.has(t)).length);
		const best = pool.shift()!;
		const gain = [...transitionsOf(best)].filter(t => left.has(t));
		if (!gain.length) break;
		gain.forEach(t => left.delete(t));
		chosen.push(best);
	}
	return chosen;
}

describe("escalation lifecycle through the console: model-based paths on the real services", function () {
	this.timeout(240_000);
	// Keep the paths made only of events the runner below can cause (as `consoleEvents` lists them).
	const shape = (e: unknown) => JSON.stringify(e);
	const paths = model
		.getShortestPaths()
		.filter(p => p.steps.slice(1).every((step, i) => consoleEvents(p.steps[i]!.state as EscalationSnapshot).some(e => shape(e) === shape(step.event))));
	const chosen = covering(paths);
	const covered = new Set(chosen.flatMap(p => [...transitionsOf(p)]));
	const edges = edgesOf(toDirectedGraph(escalationMachine));

	it("the chosen paths take every transition of the machine", () => {
		const uncovered = edges.filter(e => !covered.has(e.transition)).map(e => `${e.source.id} —${e.label.text}→ ${e.target.id}`);
		assert.deepEqual(uncovered, []);
		const taken = (source: string, event: string, target: string) =>
			edges.some(e => e.source.id === source && e.label.text === event && e.target.id === target && covered.has(e.transition));
		assert.ok(taken("escalation.queued", "SLA_BREACHED", "escalation.queued"), "SLA breach while queued");
		assert.ok(taken("escalation.offered", "SLA_BREACHED", "escalation.offered"), "SLA breach while offered");
		assert.ok(taken("escalation.offered", "OFFER_EXPIRED", "escalation.queued"), "offer expiry");
		assert.ok(taken("escalation.offered", "DECLINE", "escalation.queued"), "decline");
		assert.ok(taken("escalation.active.online", "SELLER_DISCONNECTED", "escalation.active.away"), "disconnect");
		assert.ok(taken("escalation.active.away", "SELLER_RECONNECTED", "escalation.active.online"), "reconnect");
		assert.ok(taken("escalation.active.away", "GRACE_EXPIRED", "escalation.queued"), "disconnect and requeue");
		assert.ok(taken("escalation.active", "TRANSFER", "escalation.offered"), "transfer to a seller");
		assert.ok(taken("escalation.active", "TRANSFER", "escalation.queued"), "transfer to a brand");
		assert.ok(taken("escalation.queued", "CANCEL", "escalation.resolved"), "withdrawn while queued");
		assert.ok(taken("escalation.offered", "CANCEL", "escalation.resolved"), "withdrawn while offered");
		assert.ok(chosen.length < 60, `${chosen.length} paths`);
		const reached = chosen.flatMap(p => p.steps.map(step => step.state as EscalationSnapshot));
		const missing = getStateNodes(escalationMachine.root).filter(node => {
			const value = node.path.reduceRight<unknown>((acc, k) => (acc === undefined ? k : { [k]: acc }), undefined);
			return !reached.some(s => s.matches(value as never));
		});
		assert.deepEqual(missing.map(n => n.id), [], "every state node is visited");
	});

	describe("replayed with WebSocket clients and a simulated clock", () => {
		let broker: ServiceBroker;
		let url: string;
		let clock = Date.now();
		const sockets = new Map<string, SellerClient>();
		const all: SellerClient[] = [];

		const online = async (id: string) => ((await broker.call<SellerView[]>("sales-assistant.sellers")).find(s => s.id === id)?.online ?? false);
		const connect = async (id: string) => {
			let c = sockets.get(id);
			if (c?.isOpen) return c;
			c = await connectSeller(url, SELLERS.find(s => s.id === id)!.token);
			sockets.set(id, c);
			all.push(c);
			await waitFor(() => online(id), { message: `${id} online` });
			return c;
		};
		const disconnect = async (id: string) => {
			const c = sockets.get(id);
			sockets.delete(id);
			if (c) await c.close();
			await waitFor(async () => !(await online(id)), { message: `${id} offline` });
		};
		/** Only these sellers keep a socket. */
		const onlyOnline = async (keep: string[]) => {
			for (const id of [...sockets.keys()]) if (!keep.includes(id)) await disconnect(id);
		};
		const view = (id: string) => broker.call<EscalationView, { id: string }>("sales-assistant.get", { id });

		before(async () => {
			const salesAssistant = createSalesAssistantService({ now: () => clock });
			const g = await startGateway({
				withProbe: false,
				env: {
					SELLERS_FILE: sellersFile(SELLERS),
					ESCALATION_SWEEP_MS: "20",
					CONSOLE_PRESENCE_MS: "200",
					// Presence is judged on the simulated clock, which jumps; the interval keeps reports fresh anyway.
					SELLER_PRESENCE_TTL_MS: "3600000"
				},
				services: [ConsoleService, salesAssistant, CatalogService, OrdersService, AiSellerFashion]
			});
			broker = g.broker;
			url = g.url;
		});
		after(async () => {
			await Promise.all(all.map(c => c.close().catch(() => undefined)));
			await broker?.stop();
		});

		chosen.forEach((path, n) => {
			const title = path.steps.slice(1).map(s => {
				const e = s.event as unknown as EscalationEvent & { toSellerId?: string; toBrand?: string; to?: string; sellerId?: string };
				return [e.type, e.sellerId, e.toSellerId ?? e.toBrand ?? e.to, isLate(e) ? "(late)" : ""].filter(Boolean).join(" ");
			});
			it(`path ${n + 1}: ${title.join(" → ")}`, async () => {
				const waId = `1555020${String(n).padStart(4, "0")}`;
				const who = customer(waId, { name: "Model Customer", phoneNumberId: BUSINESS.fashion });
				await onlyOnline([]);
				await who.post(url, who.text("I want to talk to a human please"));
				const conversationId = `fashion:${waId}`;
				const first = await waitFor(async () => (await broker.call<EscalationView[], { brand?: string }>("sales-assistant.queue", {})).find(e => e.conversationId === conversationId), {
					message: "the escalation is queued"
				});
				const id = first.id;
				let current = path.steps[0]!.state as EscalationSnapshot;
				assert.deepEqual(abstractView(await view(id)), abstractModel(current));

				for (const step of path.steps.slice(1)) {
					const event = step.event as unknown as EscalationEvent;
					const next = step.state as EscalationSnapshot;
					const brand = current.context.brand;
					const holder = current.context.sellerId ? real(current.context.sellerId, brand) : null;
					const holderOnline = current.matches({ active: "online" });
					const actor = "sellerId" in event && event.sellerId ? real(event.sellerId, brand) : null;
					// A withdrawn offer is watched from the offered seller's socket.
					const watcher = event.type === "CANCEL" && current.context.offer ? real(current.context.offer.sellerId, brand) : null;
					await onlyOnline([...(actor ? [actor] : []), ...(holder && holderOnline ? [holder] : []), ...(watcher ? [watcher] : [])]);
					const v = await view(id);
					switch (event.type) {
						case "OFFER": {
							if (isLate(event)) clock = Math.max(clock, v.slaDeadline! - LATE_BY_MS);
							const c = await connect(actor!);
							await c.nextOf("escalation.offered", f => f.escalation.id === id && f.escalation.offeredTo === actor);
							break;
						}
						case "ACCEPT": {
							const c = await connect(actor!);
							const answer = await c.request({ type: "accept", escalationId: id });
							assert.equal(answer.type, "ack", JSON.stringify(answer));
							await c.nextOf("escalation.assigned", f => f.conversation.escalation.id === id);
							break;
						}
						case "DECLINE": {
							const c = await connect(actor!);
							const answer = await c.request({ type: "decline", escalationId: id });
							assert.equal(answer.type, "ack", JSON.stringify(answer));
							break;
						}
						case "SELLER_DISCONNECTED":
							await disconnect(actor!);
							break;
						case "SELLER_RECONNECTED":
							await connect(actor!);
							break;
						case "TRANSFER": {
							const c = await connect(actor!);
							// A colleague is offered the customer only while their console is open (SELLER_OFFLINE otherwise).
							if (event.toSellerId) await connect(real(event.toSellerId, brand));
							const to = event.toSellerId ? { toSellerId: real(event.toSellerId, brand) } : { toBrand: event.toBrand! };
							const answer = await c.request({ type: "transfer", conversationId, ...to, note: event.note });
							assert.equal(answer.type, "ack", JSON.stringify(answer));
							await c.nextOf("escalation.resolved", f => f.escalationId === id && f.to === "transferred");
							break;
						}
						case "RESOLVE": {
							const c = await connect(actor!);
							const answer = await c.request({ type: "resolve", conversationId, to: event.to, ...(event.note ? { note: event.note } : {}) });
							assert.equal(answer.type, "ack", JSON.stringify(answer));
							await c.nextOf("escalation.resolved", f => f.escalationId === id && f.to === event.to);
							break;
						}
						case "CANCEL": {
							if (watcher) {
								const c = await connect(watcher);
								const cancelled = await broker.call<EscalationView, object>("sales-assistant.cancel", { escalationId: id, by: "model", note: event.note });
								assert.equal(cancelled.state, "resolved");
								await c.nextOf("escalation.resolved", f => f.escalationId === id && f.to === "ai");
							} else {
								// Nobody has it and the customer's conversation is closed: the close withdraws it.
								await broker.call("ai-seller-fashion.send", { id: conversationId, type: "CLOSE" });
							}
							await waitFor(async () => (await broker.call<{ state: unknown }, { id: string }>("ai-seller-fashion.get", { id: conversationId })).state === (watcher ? "browsing" : "closed"), {
								message: watcher ? "the AI seller has the conversation back" : "the conversation is closed"
							});
							break;
						}
						case "OFFER_EXPIRED":
							clock = Math.max(clock, v.offerExpiresAt!);
							break;
						case "SLA_BREACHED":
							clock = Math.max(clock, v.slaDeadline!);
							break;
						case "GRACE_EXPIRED":
							clock = Math.max(clock, v.graceDeadline!);
							break;
						default:
							throw new Error(`no console action for ${(event as EscalationEvent).type}`);
					}
					const expected = abstractModel(next);
					await waitFor(async () => JSON.stringify(abstractView(await view(id))) === JSON.stringify(expected), {
						timeoutMs: 8000,
						message: `${event.type} lands on ${JSON.stringify(expected)} (service: ${JSON.stringify(abstractView(await view(id)))})`
					});
					current = next;
				}

				// Leave nothing open for the next path: whoever can, takes it and closes it.
				const end = await view(id);
				if (end.state !== "resolved") {
					const closer = end.state === "active" ? end.sellerId! : real("s1", end.brand);
					await onlyOnline([closer]);
					const c = await connect(closer);
					if (end.state !== "active") assert.equal((await c.request({ type: "accept", escalationId: id })).type, "ack");
					const closed = await c.request({ type: "resolve", conversationId, to: "closed" });
					assert.equal(closed.type, "ack", JSON.stringify(closed));
				}
				await onlyOnline([]);
			});
		});
	});
});
