import assert from "node:assert/strict";
import sinon from "sinon";
import { MemoryStore } from "../../adapters/store";
import { BatchCoalescer } from "../../gateway/whatsapp/coalesce";

describe("whatsapp: store batches merged across concurrent deliveries", () => {
	let store: MemoryStore;
	beforeEach(() => (store = new MemoryStore()));
	afterEach(async () => {
		sinon.restore();
		await store.close();
	});

	it("sends the batches of one turn as one store batch and hands each caller its own results", async () => {
		const spy = sinon.spy(store, "batch");
		const c = new BatchCoalescer(store);
		await store.set("held", "theirs");
		const [a, b, empty, d] = await Promise.all([
			c.run([{ op: "setIfAbsent", key: "a", value: 1 }, { op: "get", key: "a" }]),
			c.run([{ op: "setIfAbsent", key: "held", value: 2 }]),
			c.run([]),
			c.run([{ op: "del", key: "held" }, { op: "get", key: "held" }])
		]);
		assert.equal(spy.callCount, 1);
		assert.deepEqual(a, [{ written: true, value: 1 }, 1]);
		assert.deepEqual(b, [{ written: false, value: "theirs" }]);
		assert.deepEqual(empty, []);
		assert.deepEqual(d, [true, null], "later callers see earlier callers' steps, in call order");
		// The next turn is a new batch.
		await c.run([{ op: "get", key: "a" }]);
		assert.equal(spy.callCount, 2);
	});

	it("fails every caller of a failing batch and keeps working afterwards", async () => {
		const c = new BatchCoalescer(store);
		sinon.stub(store, "batch").onFirstCall().rejects(new Error("store down")).callThrough();
		const results = await Promise.allSettled([c.run([{ op: "get", key: "x" }]), c.run([{ op: "get", key: "y" }])]);
		assert.deepEqual(
			results.map(r => r.status),
			["rejected", "rejected"]
		);
		assert.match(((results[0] as PromiseRejectedResult).reason as Error).message, /store down/);
		assert.deepEqual(await c.run([{ op: "set", key: "x", value: 1 }]), [true]);
	});

	it("rejects a caller whose steps are invalid along with its turn, before anything is written", async () => {
		const c = new BatchCoalescer(store);
		const results = await Promise.allSettled([c.run([{ op: "set", key: "ok", value: 1 }]), c.run([{ op: "set", key: "bad", value: 1, ttlMs: -1 }])]);
		assert.ok(results.every(r => r.status === "rejected"));
		assert.equal(await store.get("ok"), null);
	});

	it("sends lazy writes with the next batch someone waits for, in one store batch", async () => {
		const spy = sinon.spy(store, "batch");
		const c = new BatchCoalescer(store, 60_000);
		const marked = c.later([{ op: "set", key: "done:1", value: "done" }]);
		await Promise.resolve();
		assert.equal(spy.callCount, 0, "a lazy write alone waits");
		const [got] = await c.run([{ op: "get", key: "done:1" }]);
		assert.equal(got, "done", "the lazy write went first, in the same batch");
		assert.deepEqual(await marked, [true]);
		assert.equal(spy.callCount, 1);
	});

	it("sends lazy writes alone once no batch came along within the wait", async () => {
		const clock = sinon.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
		const c = new BatchCoalescer(store, 20);
		const marked = c.later([{ op: "set", key: "done:2", value: "done" }]);
		await clock.tickAsync(19);
		assert.equal(await store.get("done:2"), null);
		await clock.tickAsync(1);
		assert.deepEqual(await marked, [true]);
		assert.equal(await store.get("done:2"), "done");
	});

	it("drain writes what waits at once (at shutdown)", async () => {
		const c = new BatchCoalescer(store, 60_000);
		const marked = c.later([{ op: "set", key: "done:3", value: "done" }]);
		await c.drain();
		assert.equal(await store.get("done:3"), "done");
		assert.deepEqual(await marked, [true]);
		await c.drain();
	});
});

