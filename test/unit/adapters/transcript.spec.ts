import sinon from "sinon";
import assert from "node:assert/strict";
import { MemoryStore } from "../../../adapters/store";
import { appendTranscript, readTranscript, seqsOf, TRANSCRIPT_TEXT_MAX } from "../../../adapters/transcript";

describe("transcript", () => {
	const id = "fashion:15550001111";
	let store: MemoryStore;
	beforeEach(() => {
		store = new MemoryStore();
	});
	afterEach(() => {
		sinon.restore();
		return store.close();
	});

	it("reads lines back in order with 1-based seqs", async () => {
		await appendTranscript(store, id, [
			{ id: "wamid.1", from: "customer", text: "hi", at: 1 },
			{ id: "ai:1", from: "ai", text: "Hello!", at: 2 }
		]);
		await appendTranscript(store, id, [{ id: "s1", from: "seller", text: "Ana here", at: 3, sellerId: "ana" }]);
		const lines = await readTranscript(store, id);
		assert.deepEqual(lines.map(l => [l.seq, l.from, l.text]), [[1, "customer", "hi"], [2, "ai", "Hello!"], [3, "seller", "Ana here"]]);
		assert.equal(lines[2]!.sellerId, "ana");
	});

	it("skips a line appended again by a retried writer, keeping the first seq", async () => {
		const line = { id: "wamid.1", from: "customer" as const, text: "hi", at: 1 };
		await appendTranscript(store, id, [line]);
		await appendTranscript(store, id, [{ id: "ai:1", from: "ai", text: "Hello!", at: 2 }]);
		await appendTranscript(store, id, [line]);
		await appendTranscript(store, id, [{ id: "wamid.2", from: "customer", text: "jackets?", at: 3 }]);
		const lines = await readTranscript(store, id);
		assert.deepEqual(lines.map(l => [l.seq, l.id]), [[1, "wamid.1"], [2, "ai:1"], [4, "wamid.2"]]);
		assert.deepEqual([...(await seqsOf(store, id, ["wamid.2", "wamid.1", "unknown"])).entries()], [["wamid.1", 1], ["wamid.2", 4]]);
	});

	it("reads after a seq (a console catching up) and the last lines (the model's history)", async () => {
		for (let i = 1; i <= 6; i++) await appendTranscript(store, id, [{ id: `m${i}`, from: "customer", text: `m${i}`, at: i }]);
		assert.deepEqual((await readTranscript(store, id, { afterSeq: 4 })).map(l => l.id), ["m5", "m6"]);
		assert.deepEqual((await readTranscript(store, id, { last: 2 })).map(l => l.id), ["m5", "m6"]);
		assert.deepEqual(await readTranscript(store, "fashion:none"), []);
	});

	it("reads the last lines of a long transcript from its end only, with exact seqs and retried lines skipped", async () => {
		for (let i = 1; i <= 300; i++) await appendTranscript(store, id, [{ id: `m${i}`, from: "customer", text: `m${i}`, at: i }]);
		// A writer retrying its step appends the same line again right away.
		await appendTranscript(store, id, [{ id: "m300", from: "customer", text: "m300", at: 300 }]);
		await appendTranscript(store, id, [{ id: "m301", from: "ai", text: "m301", at: 301 }]);
		const range = sinon.spy(store, "range");
		const tail = sinon.spy(store, "tail");
		const last = await readTranscript(store, id, { last: 3 });
		assert.deepEqual(last.map(l => [l.id, l.seq]), [["m299", 299], ["m300", 300], ["m301", 302]]);
		assert.equal(range.callCount, 0, "no full read");
		assert.ok(tail.firstCall.args[1] < 50, `read ${tail.firstCall.args[1]} entries for 3 lines`);
		const all = await readTranscript(store, id);
		assert.deepEqual(last, all.slice(-3), "the same lines and seqs as a full read");
		assert.deepEqual((await readTranscript(store, id, { last: 500 })).length, 301);
		await assert.rejects(store.tail(id, 0), /positive integer/);
	});

	it("cuts an oversized text instead of storing it whole", async () => {
		await appendTranscript(store, id, [{ id: "big", from: "customer", text: "x".repeat(TRANSCRIPT_TEXT_MAX * 3), at: 1 }]);
		const [line] = await readTranscript(store, id);
		assert.equal(line!.text.length, TRANSCRIPT_TEXT_MAX);
		assert.ok(line!.text.endsWith("…"));
	});
});
