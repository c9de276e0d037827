import assert from "node:assert/strict";
import sinon from "sinon";
import { MemoryStore } from "../../adapters/store";
import { PromotionScheduler, type PromotionPhase } from "../../services/catalog/promotion-scheduler";
import type { Promotion } from "../../services/catalog/types";

const T0 = Date.parse("2025-06-01T00:00:00.000Z");
const HOUR = 3600_000;
const iso = (t: number) => new Date(t).toISOString();
const promo = (code: string, starts: number, ends: number): Promotion => ({
	code,
	description: code,
	kind: "percent",
	value: 10,
	startsAt: iso(starts),
	endsAt: iso(ends)
});

describe("promotion schedule", () => {
	let clock: sinon.SinonFakeTimers;
	let store: MemoryStore;
	const schedulers: PromotionScheduler[] = [];

	beforeEach(() => {
		clock = sinon.useFakeTimers({ now: T0, toFake: ["setTimeout", "clearTimeout", "Date"] });
		store = new MemoryStore();
	});

	afterEach(async () => {
		await Promise.all(schedulers.splice(0).map(s => s.stop()));
		clock.restore();
		await store.close();
	});

	function node(promotions: Promotion[], published: { node: string; code: string; phase: PromotionPhase; id: string; at: number }[], name: string, failures = 0) {
		let failing = failures;
		const s = new PromotionScheduler({
			promotions,
			now: () => Date.now(),
			claim: key => store.setIfAbsent(key, name),
			release: async key => void (await store.del(key)),
			isClaimed: async key => (await store.get(key)) !== null,
			publish: async (phase, p, id) => {
				if (failing-- > 0) throw new Error("channel down");
				published.push({ node: name, code: p.code, phase, id, at: Date.now() });
			},
			retryMs: 1000,
			maxSleepMs: 10 * HOUR
		});
		schedulers.push(s);
		return s;
	}

	it("publishes each start and end exactly once across two nodes, at the boundary", async () => {
		const promotions = [promo("LATER", T0 + HOUR, T0 + 2 * HOUR), promo("NOW", T0 - 24 * HOUR, T0 + 3 * HOUR), promo("GONE", T0 - 48 * HOUR, T0 - 24 * HOUR)];
		const published: { node: string; code: string; phase: PromotionPhase; id: string; at: number }[] = [];
		node(promotions, published, "a").start();
		node(promotions, published, "b").start();

		await clock.tickAsync(0);
		assert.deepEqual(published.map(p => `${p.code}:${p.phase}`), ["NOW:started"]);
		await clock.tickAsync(HOUR - 1);
		assert.equal(published.length, 1, "nothing before the boundary");
		await clock.tickAsync(1);
		await clock.tickAsync(HOUR);
		await clock.tickAsync(HOUR);
		await clock.tickAsync(10 * HOUR);
		assert.deepEqual(
			published.map(p => `${p.code}:${p.phase}@${(p.at - T0) / HOUR}h`),
			["NOW:started@0h", "LATER:started@1h", "LATER:ended@2h", "NOW:ended@3h"]
		);
		assert.equal(new Set(published.map(p => p.id)).size, 4);
		assert.ok(published.every(p => !p.code.startsWith("GONE")), "a promotion nobody saw start publishes nothing");
	});

	it("gives the claim back when the publish fails and retries with the same event id", async () => {
		const published: { node: string; code: string; phase: PromotionPhase; id: string; at: number }[] = [];
		const ids: string[] = [];
		const s = new PromotionScheduler({
			promotions: [promo("FLAKY", T0, T0 + HOUR)],
			now: () => Date.now(),
			claim: key => store.setIfAbsent(key, "x"),
			release: async key => void (await store.del(key)),
			isClaimed: async key => (await store.get(key)) !== null,
			publish: async (phase, p, id) => {
				ids.push(id);
				if (ids.length < 3) throw new Error("channel down");
				published.push({ node: "x", code: p.code, phase, id, at: Date.now() });
			},
			retryMs: 1000
		});
		schedulers.push(s);
		s.start();
		await clock.tickAsync(0);
		assert.equal(published.length, 0);
		await clock.tickAsync(2000);
		assert.deepEqual(published.map(p => p.phase), ["started"]);
		assert.equal(new Set(ids).size, 1, "every attempt used the same event id");
	});

	it("computes the next boundary and stops cleanly", async () => {
		const s = node([promo("A", T0 + 5000, T0 + 9000)], [], "a");
		assert.equal(s.nextBoundary(T0), 5000);
		assert.equal(s.nextBoundary(T0 + 5000), 4000);
		assert.equal(s.nextBoundary(T0 + 9000), null);
		s.start();
		await s.stop();
		assert.equal(clock.countTimers(), 0);
	});
});
