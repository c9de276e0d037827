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
});
