import assert from "node:assert/strict";
import { ServiceBroker, type LoggerInstance } from "moleculer";
import { MemoryStore } from "../../../adapters/store";
import type { EscalationEmitted } from "../../../contracts/escalation";
import { createEvent, EventTypes, validateEvent } from "../../../contracts/events";
import { escalationOrdersKey, type AssistDeps } from "../../../services/sales-assistant/assist";
import { insightsFor, insightsOn } from "../../../services/sales-assistant/insights";

const warnings: string[] = [];
const logger = { info() {}, debug() {}, error() {}, trace() {}, fatal() {}, warn: (m: string) => void warnings.push(m) } as unknown as LoggerInstance;

const assigned = (escalationId: string, sellerId: string, brand: string, at: number, waitedMs: number): EscalationEmitted => ({
	type: "escalation.assigned",
	escalationId,
	conversationId: `${brand}:1555000${escalationId.slice(-4).padStart(4, "0")}`,
	brand,
	at,
	sellerId,
	waitedMs
});
const resolved = (e: EscalationEmitted, at: number, handledMs?: number): EscalationEmitted => ({
	type: "escalation.resolved",
	escalationId: e.escalationId,
	conversationId: e.conversationId,
	brand: e.brand,
	at,
	sellerId: (e as { sellerId: string }).sellerId,
	to: "ai",
	...(handledMs !== undefined ? { handledMs } : {})
});

describe("sales insights", () => {
	let broker: ServiceBroker;
	let deps: AssistDeps;
	before(async () => {
		// No orders service: the conversion check falls back to what approveAction recorded.
		broker = new ServiceBroker({ logger: false });
		await broker.start();
	});
	after(() => broker.stop());
	beforeEach(() => {
		deps = { broker, store: new MemoryStore(), logger };
		warnings.length = 0;
	});

	it("counts escalations taken, time to accept and to resolve, and conversions, per seller and brand", async () => {
		const a1 = assigned("esc-0001", "ana", "fashion", 10_000, 4_000);
		const a2 = assigned("esc-0002", "ana", "fashion", 20_000, 8_000);
		const a3 = assigned("esc-0003", "ana", "beauty", 30_000, 1_000);
		const b1 = assigned("esc-0004", "ben", "fashion", 40_000, 2_500);
		const taken = [];
		for (const e of [a1, a2, a3, b1]) taken.push(...(await insightsOn(deps, e)));
		assert.deepEqual(taken[1], { brand: "fashion", sellerId: "ana", kind: "escalation.taken", metrics: { waitedMs: 8_000, taken: 2, avgAcceptMs: 6_000 } });

		// ana converted esc-0001 (an order she created through an approved action), not esc-0002.
		await deps.store.append(escalationOrdersKey("esc-0001"), "ord_1");
		const [r1] = await insightsOn(deps, resolved(a1, 70_000, 60_000));
		const [r2] = await insightsOn(deps, resolved(a2, 50_000, 30_000));
		assert.deepEqual(r1!.metrics, { handledMs: 60_000, converted: 1, resolved: 1, avgResolveMs: 60_000, conversions: 1, conversionRate: 1 });
		assert.deepEqual(r2!.metrics, { handledMs: 30_000, converted: 0, resolved: 2, avgResolveMs: 45_000, conversions: 1, conversionRate: 0.5 });
		for (const p of [...taken, r1!, r2!]) assert.deepEqual(validateEvent(createEvent(EventTypes.SalesInsight, p, { source: "/test" })), [], `${p.kind} fits store.sales.insight`);

		const report = await insightsFor(deps, {});
		assert.deepEqual(
			report.rows.map(r => [r.brand, r.sellerId, r.taken, r.resolved, r.conversions, r.avgAcceptMs, r.avgResolveMs]),
			[
				["beauty", "ana", 1, 0, 0, 1_000, 0],
				["fashion", "ana", 2, 2, 1, 6_000, 45_000],
				["fashion", "ben", 1, 0, 0, 2_500, 0]
			]
		);
		assert.equal(report.totals.taken, 4);
		assert.equal(report.totals.avgAcceptMs, Math.round(15_500 / 4));
		assert.deepEqual((await insightsFor(deps, { sellerId: "ana", brand: "fashion" })).rows.map(r => r.conversionRate), [0.5]);
		assert.deepEqual((await insightsFor(deps, { brand: "beauty" })).rows.map(r => r.sellerId), ["ana"]);
		assert.deepEqual((await insightsFor(deps, { sellerId: "nobody" })).rows, []);
	});

	it("counts a request handed over twice once", async () => {
		const e = assigned("esc-0010", "ana", "fashion", 1_000, 500);
		assert.equal((await insightsOn(deps, e)).length, 1);
		assert.deepEqual(await insightsOn(deps, e), []);
		const r = resolved(e, 2_000, 1_000);
		assert.equal((await insightsOn(deps, r)).length, 1);
		assert.deepEqual(await insightsOn(deps, r), []);
		const [row] = (await insightsFor(deps, {})).rows;
		assert.equal(row!.taken, 1);
		assert.equal(row!.resolved, 1);
		// The same escalation taken again later (it was requeued) is a second take.
		assert.equal((await insightsOn(deps, { ...e, at: 5_000 })).length, 1);
		assert.equal((await insightsFor(deps, {})).rows[0]!.taken, 2);
	});

	it("derives the time to resolve from the acceptance when the machine gave none, and ignores what is not a seller's", async () => {
		const e = assigned("esc-0020", "ana", "fashion", 1_000, 0);
		await insightsOn(deps, e);
		const [r] = await insightsOn(deps, resolved(e, 9_000));
		assert.equal(r!.metrics.handledMs, 8_000);
		assert.ok(warnings.some(w => /conversion not checked/.test(w)), "the missing orders service is logged, not thrown");
		// Cancelled before anyone took it; queued; offered: no seller figure moves.
		assert.deepEqual(await insightsOn(deps, { type: "escalation.resolved", escalationId: "esc-0021", conversationId: "fashion:15550000021", brand: "fashion", at: 1, to: "ai" }), []);
		assert.deepEqual(await insightsOn(deps, { type: "escalation.queued", escalationId: "esc-0021", conversationId: "fashion:15550000021", brand: "fashion", at: 1, priority: 0, cause: "created" }), []);
	});

	it("counts a transfer against the seller who handed it on", async () => {
		const [t] = await insightsOn(deps, {
			type: "escalation.transferred",
			escalationId: "esc-0030",
			conversationId: "fashion:15550000030",
			brand: "fashion",
			at: 3_000,
			transfer: { fromSellerId: "ana", fromBrand: "fashion", toBrand: "beauty", note: "wants lipstick", at: 3_000 }
		});
		assert.deepEqual(t, { brand: "fashion", sellerId: "ana", kind: "escalation.transferred", metrics: { transfers: 1 } });
		assert.equal((await insightsFor(deps, { sellerId: "ana" })).rows[0]!.transfers, 1);
	});
});
