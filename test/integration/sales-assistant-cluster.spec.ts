/**
 * The sales assistant on real infrastructure: two nodes over NATS sharing Redis (racing accepts,
 * one sweeper at a time), and a restart on the same Redis with a deadline passing while it was down.
 */
import assert from "node:assert/strict";
import type { Errors, ServiceBroker } from "moleculer";
import { EventTypes } from "../../contracts/events";
import type { EscalationView } from "../../contracts/sales-assistant";
import { createSalesAssistantService } from "../../services/sales-assistant.service";
import { escalationIdOf } from "../../services/sales-assistant/escalations";
import { startBroker, testNamespace } from "../helpers/broker";
import { infra } from "../helpers/infra";
import { escalate, escalateData, salesProbe, TestClock } from "../helpers/sales";
import { waitFor } from "../helpers/wait";

const TIMINGS = { ESCALATION_SWEEP_MS: "25", SELLER_PRESENCE_TTL_MS: "3600000" };

describe("sales-assistant over NATS + Redis", function () {
	this.timeout(40_000);

	describe("two nodes", () => {
		let a: ServiceBroker;
		let b: ServiceBroker;
		const clock = new TestClock();
		const probe = salesProbe();

		before(async () => {
			const { natsUrl, redisUrl } = await infra();
			const env = { TRANSPORTER: natsUrl, REDIS_URL: redisUrl, NAMESPACE: testNamespace(), ...TIMINGS };
			a = await startBroker({ env, nodeID: "sales-a", services: [createSalesAssistantService({ now: clock.now }), probe.schema] });
			b = await startBroker({ env, nodeID: "sales-b", services: [createSalesAssistantService({ now: clock.now })] });
			await Promise.all([a.waitForServices(["sales-assistant", "sales-probe"], 10_000), b.waitForServices(["sales-assistant", "sales-probe"], 10_000)]);
		});
		after(async () => {
			await b?.stop();
			await a?.stop();
		});

		/** The local node's own instance answers: each node races from its own process. */
		const local = (broker: ServiceBroker) => <T>(action: string, params: object) => broker.call<T, object>(`sales-assistant.${action}`, params, { nodeID: broker.nodeID });

		it("racing accepts from two nodes: exactly one wins each escalation, the other gets ESCALATION_TAKEN", async () => {
			const opened: { id: string; conversationId: string }[] = [];
			// Three: Ana (capacity 3) could win every one of them.
			for (let i = 0; i < 3; i++) {
				const data = escalateData({ brand: "fashion", conversationId: `fashion:155577700${i}`, waId: `155577700${i}` });
				const event = await escalate(i % 2 ? a : b, data);
				opened.push({ id: escalationIdOf(data.conversationId, event.id), conversationId: data.conversationId });
			}
			await waitFor(async () => (await local(b)<EscalationView[]>("queue", { brand: "fashion" })).length === 3, { message: "three queued, seen from b" });
			for (const [i, { id }] of opened.entries()) {
				const [first, second] = i % 2 ? [a, b] : [b, a];
				const results = await Promise.allSettled([local(first)("accept", { escalationId: id, sellerId: "ana" }), local(second)("accept", { escalationId: id, sellerId: "carla" })]);
				const won = results.filter((r): r is PromiseFulfilledResult<{ escalation: EscalationView }> => r.status === "fulfilled");
				assert.equal(won.length, 1, JSON.stringify(results.map(r => (r.status === "rejected" ? (r.reason as Error).message : "ok"))));
				assert.equal(((results.find(r => r.status === "rejected") as PromiseRejectedResult).reason as Errors.MoleculerError).type, "ESCALATION_TAKEN");
				const view = await local(a)<EscalationView>("get", { id });
				assert.equal(view.sellerId, won[0]!.value.escalation.sellerId);
			}
			await waitFor(() => probe.events[EventTypes.SalesEscalationAssigned].length === 3);
			assert.deepEqual(new Set(probe.events[EventTypes.SalesEscalationAssigned].map(e => e.data.escalationId)), new Set(opened.map(o => o.id)), "one assignment each");
			// Accepting what you already hold, from the other node, answers the same.
			const held = await local(a)<EscalationView>("get", { id: opened[0]!.id });
			const again = await local(b)<{ escalation: EscalationView }>("accept", { escalationId: held.id, sellerId: held.sellerId! });
			assert.equal(again.escalation.sellerId, held.sellerId);
		});

		it("an offer made on one node is answered on the other; the sweeper of either fires its expiry once", async () => {
			const data = escalateData({ brand: "gaming", conversationId: "gaming:15557770200", waId: "15557770200" });
			const event = await escalate(a, data);
			const id = escalationIdOf(data.conversationId, event.id);
			await local(a)("presence", { nodeId: "console-x", sellers: { ben: 1 } });
			await waitFor(async () => (await local(b)<EscalationView>("get", { id })).offeredTo === "ben");
			clock.advance(30_000);
			await waitFor(async () => (await local(a)<EscalationView>("get", { id })).state === "queued", { message: "offer expired" });
			await local(b)("presence", { nodeId: "console-x", sellers: {} });
		});
	});

	describe("restart on the same Redis", () => {
		it("a deadline that passed while no node ran fires after the restart", async () => {
			const { redisUrl } = await infra();
			const env = { REDIS_URL: redisUrl, NAMESPACE: testNamespace(), ...TIMINGS };
			const clock = new TestClock();
			const first = await startBroker({ env, services: [createSalesAssistantService({ now: clock.now })] });
			const data = escalateData({ brand: "tech", conversationId: "tech:15557770300", waId: "15557770300" });
			let id: string;
			try {
				const event = await escalate(first, data);
				id = escalationIdOf(data.conversationId, event.id);
				await waitFor(() => first.call<EscalationView, object>("sales-assistant.get", { id }).catch(() => null));
			} finally {
				await first.stop();
			}
			clock.advance(120_000);
			const probe = salesProbe();
			const second = await startBroker({ env, services: [createSalesAssistantService({ now: clock.now }), probe.schema] });
			try {
				await waitFor(() => probe.events[EventTypes.SalesSlaBreached].some(e => e.data.escalationId === id), { message: "SLA breach after restart" });
				const view = await second.call<EscalationView, object>("sales-assistant.get", { id });
				assert.equal(view.priority, 1);
				assert.equal(view.slaBreaches, 1);
				assert.equal(probe.events[EventTypes.SalesSlaBreached].filter(e => e.data.escalationId === id).length, 1);
			} finally {
				await second.stop();
			}
		});
	});
});
