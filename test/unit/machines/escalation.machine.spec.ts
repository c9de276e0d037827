/**
 * The escalation machine's contract beyond the graph walk: persisted snapshots (current and the
 * versioned fixtures) restore and keep their deadlines; stale timers, strangers and races change
 * nothing; bad snapshots fail loudly instead of starting a broken actor.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { ESCALATION_SNAPSHOT_VERSION, MAX_ESCALATION_PRIORITY, type PersistedEscalation } from "../../../contracts/escalation";
import {
	createEscalation,
	deadlinesOf,
	EscalationSnapshotError,
	persistEscalation,
	restoreEscalation,
	stateOf
} from "../../../machines/escalation.machine";
import { EscalationHost } from "../../helpers/escalation-host";

const T0 = Date.UTC(2024, 10, 22, 10, 0, 0);
const S = 1000;
const fixture = (name: string): PersistedEscalation =>
	JSON.parse(readFileSync(path.join(__dirname, "..", "..", "fixtures", "escalation", name), "utf8")) as PersistedEscalation;
const base = {
	conversationId: "fashion:15551234567",
	brand: "fashion",
	waId: "15551234567",
	customerName: "Maria",
	reason: "frustration" as const
};

describe("escalation machine", () => {
	describe("defaults", () => {
		it("arms a 120 s SLA, a 30 s offer and a 60 s grace by default", () => {
			const actor = createEscalation({ escalationId: "e", ...base, createdAt: T0 }).start();
			assert.deepEqual(deadlinesOf(actor.getSnapshot()), [{ type: "SLA_BREACHED", at: T0 + 120 * S }]);
			actor.send({ type: "OFFER", sellerId: "ana", at: T0 + S });
			assert.equal(actor.getSnapshot().context.offer!.expiresAt, T0 + 31 * S);
			actor.send({ type: "ACCEPT", sellerId: "ana", at: T0 + 2 * S });
			assert.deepEqual(deadlinesOf(actor.getSnapshot()), [], "no SLA while a seller has it");
			actor.send({ type: "SELLER_DISCONNECTED", sellerId: "ana", at: T0 + 3 * S });
			assert.deepEqual(deadlinesOf(actor.getSnapshot()), [{ type: "GRACE_EXPIRED", at: T0 + 63 * S }]);
		});

		it("takes SLA, offer and grace times from its input and clamps the priority", () => {
			const actor = createEscalation({ escalationId: "e", ...base, createdAt: T0, slaMs: 5 * S, offerTtlMs: 2 * S, graceMs: S, priority: 99 }).start();
			const c = actor.getSnapshot().context;
			assert.equal(c.slaDeadline, T0 + 5 * S);
			assert.equal(c.priority, MAX_ESCALATION_PRIORITY);
		});
	});

	describe("events that must change nothing", () => {
		const offered = () => {
			const host = new EscalationHost(T0);
			host.create({ escalationId: "e", ...base });
			host.advanceTo(T0 + 10 * S);
			host.send("e", { type: "OFFER", sellerId: "ana", at: T0 + 10 * S });
			return host;
		};

		it("ignores timer events that arrive before their deadline (an early or stale sweep)", () => {
			const host = offered();
			const before = host.snapshot("e");
			host.send("e", { type: "OFFER_EXPIRED", at: T0 + 39 * S });
			host.send("e", { type: "SLA_BREACHED", at: T0 + 119 * S });
			host.send("e", { type: "GRACE_EXPIRED", at: T0 + 500 * S });
			assert.deepEqual(host.snapshot("e").context, before.context);
			assert.equal(stateOf(host.snapshot("e")), "offered");
		});

		it("ignores a decline from a seller the offer was not made to", () => {
			const host = offered();
			host.send("e", { type: "DECLINE", sellerId: "ben", at: T0 + 11 * S });
			assert.equal(stateOf(host.snapshot("e")), "offered");
		});

		it("lets exactly one of two racing sellers have it", () => {
			const host = offered();
			host.send("e", { type: "ACCEPT", sellerId: "ben", sellerName: "Ben Okafor", at: T0 + 11 * S });
			host.send("e", { type: "ACCEPT", sellerId: "ana", sellerName: "Ana Torres", at: T0 + 11 * S });
			const s = host.snapshot("e");
			assert.equal(s.context.sellerId, "ben");
			const assigned = host.emitted.filter(e => e.type === "escalation.assigned");
			assert.equal(assigned.length, 1);
			assert.deepEqual(
				{ sellerId: assigned[0]!.sellerId, preempted: (assigned[0] as { preemptedOfferTo?: string }).preemptedOfferTo },
				{ sellerId: "ben", preempted: "ana" }
			);
			assert.deepEqual(host.queue.loads(), new Map([["ben", 1]]), "ana's reserved slot is free again");
		});

		it("lets only the assigned seller resolve, transfer or go away; a transfer needs a note", () => {
			const host = offered();
			host.send("e", { type: "ACCEPT", sellerId: "ana", at: T0 + 11 * S });
			const before = host.snapshot("e");
			host.send("e", { type: "RESOLVE", sellerId: "ben", to: "closed", at: T0 + 12 * S });
			host.send("e", { type: "TRANSFER", sellerId: "ben", toBrand: "tech", note: "not mine", at: T0 + 12 * S });
			host.send("e", { type: "TRANSFER", sellerId: "ana", toBrand: "tech", note: "   ", at: T0 + 12 * S });
			host.send("e", { type: "TRANSFER", sellerId: "ana", toSellerId: "ana", note: "to myself", at: T0 + 12 * S });
			host.send("e", { type: "TRANSFER", sellerId: "ana", toBrand: "fashion", note: "same brand", at: T0 + 12 * S });
			host.send("e", { type: "SELLER_DISCONNECTED", sellerId: "ben", at: T0 + 12 * S });
			host.send("e", { type: "CANCEL", at: T0 + 12 * S });
			assert.deepEqual(host.snapshot("e").value, before.value);
			assert.deepEqual(host.snapshot("e").context, before.context);
		});

		it("remembers who last let it go back to waiting, and why (transferred, or their grace ran out)", () => {
			const host = offered();
			assert.equal(host.snapshot("e").context.released, undefined, "nobody yet");
			host.send("e", { type: "ACCEPT", sellerId: "ana", at: T0 + 11 * S });
			host.send("e", { type: "TRANSFER", sellerId: "ana", toSellerId: "ben", note: "knows it", at: T0 + 12 * S });
			assert.deepEqual(host.snapshot("e").context.released, { sellerId: "ana", cause: "transferred", at: T0 + 12 * S });
			host.send("e", { type: "ACCEPT", sellerId: "ben", at: T0 + 13 * S });
			host.send("e", { type: "SELLER_DISCONNECTED", sellerId: "ben", at: T0 + 14 * S });
			host.send("e", { type: "GRACE_EXPIRED", at: T0 + 200 * S });
			assert.deepEqual(host.snapshot("e").context.released, { sellerId: "ben", cause: "seller_offline", at: T0 + 200 * S });
		});

		it("ends for good once resolved", () => {
			const host = offered();
			host.send("e", { type: "CANCEL", note: "customer found it", at: T0 + 11 * S });
			const s = host.snapshot("e");
			assert.equal(s.status, "done");
			assert.deepEqual({ to: s.context.resolution, note: s.context.resolutionNote }, { to: "ai", note: "customer found it" });
			host.send("e", { type: "ACCEPT", sellerId: "ana", at: T0 + 12 * S });
			assert.equal(stateOf(host.snapshot("e")), "resolved");
			assert.equal(host.queue.get("e"), undefined);
		});
	});

	describe("timers and priority", () => {
		it("raises the priority once per SLA period up to the cap, and lets decliners have another go", () => {
			const host = new EscalationHost(T0);
			host.create({ escalationId: "e", ...base, priority: 8 });
			host.send("e", { type: "OFFER", sellerId: "ana", at: T0 });
			host.send("e", { type: "DECLINE", sellerId: "ana", at: T0 + S });
			assert.deepEqual(host.snapshot("e").context.declinedBy, ["ana"]);
			const breaches: number[] = [];
			for (let i = 1; i <= 4; i++) {
				host.advanceTo(T0 + i * 120 * S);
				assert.deepEqual(host.sweep(), ["SLA_BREACHED"]);
				breaches.push(host.snapshot("e").context.priority);
			}
			assert.deepEqual(breaches, [9, 10, 10, 10]);
			assert.deepEqual(host.snapshot("e").context.declinedBy, []);
			const sla = host.emitted.filter(e => e.type === "escalation.slaBreached");
			assert.deepEqual(sla.map(e => (e as { waitedMs: number }).waitedMs), [120, 240, 360, 480].map(n => n * S));
		});

		it("a sweep long after several deadlines fires them in order until it settles", () => {
			const host = new EscalationHost(T0);
			host.create({ escalationId: "e", ...base });
			host.advanceTo(T0 + 100 * S);
			host.send("e", { type: "OFFER", sellerId: "ana", at: T0 + 100 * S });
			host.advanceTo(T0 + 200 * S);
			assert.deepEqual(host.sweep(), ["SLA_BREACHED", "OFFER_EXPIRED"]);
			const s = host.snapshot("e");
			assert.equal(stateOf(s), "queued");
			assert.equal(s.context.slaDeadline, T0 + 320 * S);
		});

		it("a seller who comes back within the grace period keeps the conversation", () => {
			const host = new EscalationHost(T0);
			host.create({ escalationId: "e", ...base });
			host.send("e", { type: "ACCEPT", sellerId: "ana", at: T0 });
			host.advanceTo(T0 + 10 * S);
			host.send("e", { type: "SELLER_DISCONNECTED", sellerId: "ana", at: T0 + 10 * S });
			host.advanceTo(T0 + 69 * S);
			host.send("e", { type: "SELLER_RECONNECTED", sellerId: "ana", at: T0 + 69 * S });
			host.advanceTo(T0 + 500 * S);
			assert.deepEqual(host.sweep(), []);
			assert.deepEqual(host.snapshot("e").value, { active: "online" });
		});
	});

	describe("persistence", () => {
		it("round-trips getPersistedSnapshot through JSON without re-running entry actions", () => {
			const actor = createEscalation({ escalationId: "e", ...base, createdAt: T0 }).start();
			actor.send({ type: "OFFER", sellerId: "ana", at: T0 + S });
			const stored = JSON.stringify(persistEscalation(actor));
			const restored = restoreEscalation(JSON.parse(stored) as PersistedEscalation);
			const emitted: string[] = [];
			restored.on("*", e => emitted.push(e.type));
			restored.start();
			assert.deepEqual(restored.getSnapshot().value, "offered");
			assert.deepEqual(restored.getSnapshot().context, actor.getSnapshot().context);
			assert.deepEqual(emitted, [], "restoring does not offer it again");
			assert.equal((JSON.parse(stored) as PersistedEscalation).version, ESCALATION_SNAPSHOT_VERSION);
		});

		it("restores the v1 fixture of a seller gone away and fires its grace deadline after the restart", () => {
			const persisted = fixture("v1-active-away.json");
			assert.equal(persisted.version, 1);
			const actor = restoreEscalation(persisted).start();
			const s = actor.getSnapshot();
			assert.deepEqual(s.value, { active: "away" });
			assert.deepEqual(deadlinesOf(s), [{ type: "GRACE_EXPIRED", at: T0 + 80 * S }]);
			const emitted: { type: string; cause?: string }[] = [];
			actor.on("*", e => emitted.push(e));
			actor.send({ type: "GRACE_EXPIRED", at: T0 + 80 * S });
			assert.equal(stateOf(actor.getSnapshot()), "queued");
			assert.equal(actor.getSnapshot().context.sellerId, null);
			assert.equal(actor.getSnapshot().context.priority, 2, "keeps its priority");
			assert.equal(actor.getSnapshot().context.createdAt, T0, "keeps its age");
			assert.deepEqual(emitted.map(e => [e.type, e.cause]), [["escalation.queued", "seller_offline"]]);
			// Whose it was and why it left them: what their console says when they are back.
			assert.equal(persisted.snapshot && (persisted.snapshot as { context: { released?: unknown } }).context.released, undefined, "a v1 record from before has none");
			assert.deepEqual(actor.getSnapshot().context.released, { sellerId: s.context.sellerId, cause: "seller_offline", at: T0 + 80 * S });
		});

		it("restores the v1 fixture of a pending offer: decliners, priority and both deadlines", () => {
			const actor = restoreEscalation(fixture("v1-offered.json")).start();
			const s = actor.getSnapshot();
			assert.equal(stateOf(s), "offered");
			assert.deepEqual(
				{ to: s.context.offer?.sellerId, declined: s.context.declinedBy, priority: s.context.priority },
				{ to: "carla", declined: ["ben"], priority: 1 }
			);
			assert.deepEqual(deadlinesOf(s).map(d => d.type), ["OFFER_EXPIRED", "SLA_BREACHED"]);
			actor.send({ type: "ACCEPT", sellerId: "carla", sellerName: "Carla Mendes", at: T0 + 160 * S });
			assert.deepEqual(actor.getSnapshot().value, { active: "online" });
		});

		it("today's machine persists the fixture scenario to the same bytes (a change needs a new version)", () => {
			const host = new EscalationHost(T0);
			host.create({ escalationId: "esc-away", ...base, detail: "asked twice about a late delivery", priority: 2 });
			host.advanceTo(T0 + S);
			host.send("esc-away", { type: "OFFER", sellerId: "ana", at: T0 + S });
			host.advanceTo(T0 + 5 * S);
			host.send("esc-away", { type: "ACCEPT", sellerId: "ana", sellerName: "Ana Torres", at: T0 + 5 * S });
			host.advanceTo(T0 + 20 * S);
			host.send("esc-away", { type: "SELLER_DISCONNECTED", sellerId: "ana", at: T0 + 20 * S });
			assert.deepEqual(host.persisted("esc-away"), fixture("v1-active-away.json"));
		});

		it("refuses unknown versions and snapshots that no longer fit, with a clear error", () => {
			const good = fixture("v1-offered.json");
			const renamed = { ...good, snapshot: { ...(good.snapshot as object), value: "waiting" } };
			const cases: [string, unknown][] = [
				["future version", { ...good, version: ESCALATION_SNAPSHOT_VERSION + 1 }],
				["version 0", { ...good, version: 0 }],
				["no version", { snapshot: good.snapshot }],
				["not an object", "offered"],
				["renamed state", renamed],
				["no context", { version: 1, snapshot: { status: "active", value: "queued", children: {} } }]
			];
			for (const [name, bad] of cases)
				assert.throws(() => restoreEscalation(bad as PersistedEscalation), EscalationSnapshotError, name);
		});
	});
});
