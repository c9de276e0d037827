import assert from "node:assert/strict";
import { SimulatedClock } from "xstate";
import type { EscalationDeadline } from "../../../contracts/escalation";
import {
	chooseSeller,
	compareEntries,
	EscalationQueue,
	takeRefusal,
	type QueueEntry,
	type SellerAvailability
} from "../../../services/sales-assistant/queue";
import { EscalationHost } from "../../helpers/escalation-host";

const T0 = Date.UTC(2024, 10, 22, 10, 0, 0);

const entry = (over: Partial<QueueEntry> & { escalationId: string }): QueueEntry => ({
	conversationId: `fashion:${over.escalationId}`,
	brand: "fashion",
	state: "queued",
	priority: 0,
	createdAt: T0,
	waitingSince: T0,
	reason: "complex",
	customerName: null,
	offeredTo: null,
	sellerId: null,
	declinedBy: [],
	deadlines: [],
	...over
});

const seller = (id: string, brands: string[], capacity: number, over: Partial<SellerAvailability> = {}): SellerAvailability => ({
	id,
	brands,
	capacity,
	online: true,
	...over
});

describe("sales-assistant queue", () => {
	describe("ordering", () => {
		const table: [string, Partial<QueueEntry>[], string[]][] = [
			["priority first", [{ priority: 0, createdAt: T0 }, { priority: 3, createdAt: T0 + 5 }], ["b", "a"]],
			["then age (older first)", [{ priority: 1, createdAt: T0 + 10 }, { priority: 1, createdAt: T0 }], ["b", "a"]],
			["then id, for a total order", [{ createdAt: T0 }, { createdAt: T0 }], ["a", "b"]],
			[
				"a breached (raised) escalation passes older ones",
				[{ priority: 0, createdAt: T0 }, { priority: 0, createdAt: T0 + 1 }, { priority: 1, createdAt: T0 + 2 }],
				["c", "a", "b"]
			]
		];
		for (const [name, specs, expected] of table)
			it(name, () => {
				const entries = specs.map((s, i) => entry({ escalationId: "abc"[i]!, ...s }));
				assert.deepEqual([...entries].sort(compareEntries).map(e => e.escalationId), expected);
				const q = new EscalationQueue(() => T0);
				for (const e of [...entries].reverse()) q.upsert(e);
				assert.deepEqual(q.waiting("fashion").map(e => e.escalationId), expected);
			});

		it("keeps one queue per brand; a seller sees the merged queue of their brands only; held ones are not waiting", () => {
			const q = new EscalationQueue(() => T0);
			q.upsert(entry({ escalationId: "f1", brand: "fashion", createdAt: T0 + 2 }));
			q.upsert(entry({ escalationId: "t1", brand: "tech", priority: 2 }));
			q.upsert(entry({ escalationId: "b1", brand: "beauty", createdAt: T0 + 1 }));
			q.upsert(entry({ escalationId: "f2", brand: "fashion", state: "offered", offeredTo: "ana" }));
			q.upsert(entry({ escalationId: "f3", brand: "fashion", state: "active", sellerId: "ana" }));
			assert.deepEqual(q.waiting("fashion").map(e => e.escalationId), ["f2", "f1"]);
			assert.deepEqual(q.waiting("tech").map(e => e.escalationId), ["t1"]);
			assert.deepEqual(q.waitingIn(["fashion", "beauty"]).map(e => e.escalationId), ["f2", "b1", "f1"]);
			assert.deepEqual(q.assignedTo("ana").map(e => e.escalationId), ["f3"]);
			assert.deepEqual(q.brands(), ["beauty", "fashion", "tech"]);
			assert.deepEqual(q.loads(), new Map([["ana", 2]]), "an offer reserves a slot");
		});
	});

	describe("choosing the seller", () => {
		const ana = seller("ana", ["fashion", "beauty"], 3);
		const ben = seller("ben", ["tech", "gaming"], 3);
		const carla = seller("carla", ["fashion", "tech"], 5);
		const dora = seller("dora", ["fashion"], 1);
		const table: [string, string, SellerAvailability[], [string, number][], string[], string | null][] = [
			["least loaded first", "fashion", [ana, carla], [["ana", 2], ["carla", 1]], [], "carla"],
			["equal load: the most free slots", "fashion", [ana, carla], [["ana", 1], ["carla", 1]], [], "carla"],
			["equal load and room: by id", "fashion", [carla, { ...ana, capacity: 5 }], [], [], "ana"],
			["only sellers of the brand", "gaming", [ana, carla, ben], [["ben", 2]], [], "ben"],
			["never over capacity", "fashion", [dora, ana], [["dora", 1], ["ana", 3]], [], null],
			["offline sellers are skipped", "fashion", [{ ...ana, online: false }, dora], [], [], "dora"],
			["paused sellers are skipped", "fashion", [{ ...dora, paused: true }, ana], [["ana", 2]], [], "ana"],
			["sellers who declined are skipped", "fashion", [ana, dora], [], ["dora", "ana"], null],
			["a brand nobody serves", "home", [ana, ben, dora], [], [], null]
		];
		for (const [name, brand, sellers, loads, exclude, expected] of table)
			it(name, () => assert.equal(chooseSeller(brand, sellers, new Map(loads), exclude)?.id ?? null, expected));

		it("plans offers in queue order, each planned offer taking a slot", () => {
			const q = new EscalationQueue(() => T0);
			q.upsert(entry({ escalationId: "old", createdAt: T0 }));
			q.upsert(entry({ escalationId: "urgent", createdAt: T0 + 50, priority: 5 }));
			q.upsert(entry({ escalationId: "new", createdAt: T0 + 60 }));
			q.upsert(entry({ escalationId: "no-dora", createdAt: T0 + 70, declinedBy: ["dora"] }));
			q.upsert(entry({ escalationId: "tech", brand: "tech", createdAt: T0 + 80 }));
			q.upsert(entry({ escalationId: "held", state: "active", sellerId: "ana" }));
			const plan = q.planOffers([seller("ana", ["fashion"], 2), seller("dora", ["fashion"], 1), seller("ben", ["tech"], 1)]);
			assert.deepEqual(
				plan.map(p => [p.escalationId, p.sellerId]),
				[["urgent", "dora"], ["old", "ana"], ["tech", "ben"]]
			);
		});
	});

	describe("taking from the queue", () => {
		const ana = seller("ana", ["fashion"], 2);
		const table: [string, QueueEntry | undefined, number, string | null][] = [
			["a queued escalation of the brand", entry({ escalationId: "e" }), 0, null],
			["one offered to someone else", entry({ escalationId: "e", state: "offered", offeredTo: "ben" }), 1, null],
			["one offered to them, at full load counting that offer", entry({ escalationId: "e", state: "offered", offeredTo: "ana" }), 2, null],
			["another brand", entry({ escalationId: "e", brand: "tech" }), 0, "FORBIDDEN"],
			["someone else has it", entry({ escalationId: "e", state: "active", sellerId: "ben" }), 0, "TAKEN"],
			["they already have it (a second tab)", entry({ escalationId: "e", state: "active", sellerId: "ana" }), 1, null],
			["full", entry({ escalationId: "e" }), 2, "AT_CAPACITY"],
			["unknown", undefined, 0, "NOT_FOUND"]
		];
		for (const [name, e, load, expected] of table) it(name, () => assert.equal(takeRefusal(e, ana, load), expected));
	});

	describe("due(now)", () => {
		const armed = (escalationId: string, deadlines: EscalationDeadline[]) => entry({ escalationId, deadlines });

		it("lists the fired deadlines, earliest first, one per escalation, stamped with the injected clock", () => {
			const clock = new SimulatedClock();
			clock.set(T0);
			const q = new EscalationQueue(() => clock.now());
			q.upsert(armed("a", [{ type: "OFFER_EXPIRED", at: T0 + 30_000 }, { type: "SLA_BREACHED", at: T0 + 120_000 }]));
			q.upsert(armed("b", [{ type: "SLA_BREACHED", at: T0 + 10_000 }]));
			q.upsert(armed("c", [{ type: "GRACE_EXPIRED", at: T0 + 60_000 }]));
			q.upsert(armed("d", []));
			assert.deepEqual(q.due(), []);
			assert.equal(q.nextDeadline(), T0 + 10_000);
			clock.increment(10_000);
			assert.deepEqual(q.due(), [{ escalationId: "b", event: { type: "SLA_BREACHED", at: T0 + 10_000 }, deadline: T0 + 10_000 }]);
			clock.set(T0 + 200_000);
			assert.deepEqual(
				q.due().map(d => [d.escalationId, d.event.type, d.event.at]),
				[["b", "SLA_BREACHED", T0 + 200_000], ["a", "OFFER_EXPIRED", T0 + 200_000], ["c", "GRACE_EXPIRED", T0 + 200_000]]
			);
			assert.deepEqual(q.due(T0 + 29_999).map(d => d.escalationId), ["b"], "an explicit now wins over the clock");
			q.remove("b");
			assert.equal(q.nextDeadline(), T0 + 30_000);
		});

		it("drives real escalations: every sweep leaves nothing due, and resolved ones leave the queue", () => {
			const host = new EscalationHost(T0);
			const input = { conversationId: "c", brand: "fashion", waId: "15551234567", reason: "complex" as const };
			host.create({ escalationId: "x", ...input });
			host.create({ escalationId: "y", ...input, priority: 1 });
			host.send("x", { type: "OFFER", sellerId: "ana", at: T0 });
			const sellers = [seller("ana", ["fashion"], 1), seller("dora", ["fashion"], 1)];
			assert.deepEqual(host.queue.planOffers(sellers).map(p => [p.escalationId, p.sellerId]), [["y", "dora"]]);
			host.advanceTo(T0 + 30_000);
			assert.deepEqual(host.sweep(), ["OFFER_EXPIRED"]);
			assert.deepEqual(host.queue.get("x")!.declinedBy, ["ana"]);
			assert.deepEqual(host.queue.planOffers(sellers).map(p => [p.escalationId, p.sellerId]), [["y", "ana"], ["x", "dora"]]);
			host.send("y", { type: "CANCEL", at: T0 + 31_000 });
			assert.equal(host.queue.get("y"), undefined);
			assert.deepEqual(host.queue.waiting("fashion").map(e => e.escalationId), ["x"]);
			host.advanceTo(T0 + 120_000);
			assert.deepEqual(host.sweep(), ["SLA_BREACHED"]);
			assert.deepEqual(host.queue.due(), []);
			assert.equal(host.queue.get("x")!.priority, 1);
		});
	});
});
