import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";
import Redis from "ioredis";
import sinon from "sinon";
import { createStore, type LockHandle, MemoryStore, RedisStore, type Store } from "../../adapters/store";
import { flushRedis, infra } from "../helpers/infra";
import { freePort } from "../helpers/servers";
import { waitFor } from "../helpers/wait";

interface StoreFixture {
	store: Store;
	/** A TTL long enough to observe a value before it expires, short enough to wait for. */
	ttlMs: number;
	/** Another client on the same data, so that concurrency is exercised across connections. */
	peer(): Store;
	/** Lets `ttlMs` pass for the store, then resolves with the first truthy result of `expired()`. */
	afterExpiry<T>(ttlMs: number, expired: () => Promise<T>): Promise<T>;
	close(): Promise<void>;
}

const silentLogger = () => ({ info: sinon.spy(), warn: sinon.spy(), error: sinon.spy() });

function describeStore(name: string, factory: () => Promise<StoreFixture>): void {
	describe(name, () => {
		let fixture: StoreFixture;
		let store: Store;

		beforeEach(async () => {
			fixture = await factory();
			store = fixture.store;
		});

		afterEach(() => fixture.close());

		/** The fixture's store plus peers, so that parallel calls spread over several clients. */
		const clients = (): Store[] => [store, fixture.peer(), fixture.peer(), fixture.peer()];

		describe("values", () => {
			it("get returns null for a missing key", async () => {
				assert.equal(await store.get("missing"), null);
			});

			it("set stores a value and overwrites it", async () => {
				await store.set("k", { n: 1 });
				assert.deepEqual(await store.get("k"), { n: 1 });
				await store.set("k", "second");
				assert.equal(await store.get("k"), "second");
			});

			it("round-trips nested JSON values and falsy primitives", async () => {
				const nested = { a: [1, { b: null, c: "ü 🚀 \"quoted\"" }], d: true, e: -1.5, f: {}, g: [] };
				await store.set("nested", nested);
				assert.deepEqual(await store.get("nested"), nested);
				for (const value of [0, false, "", [], {}]) {
					await store.set("falsy", value);
					assert.deepEqual(await store.get("falsy"), value);
				}
			});

			it("rejects values that are not JSON-serialisable", async () => {
				await assert.rejects(store.set("k", undefined), TypeError);
			});

			it("hands out copies, so mutating values does not change stored state", async () => {
				const original = { items: [{ qty: 1 }] };
				await store.set("k", original);
				original.items[0].qty = 99;
				const read = await store.get<typeof original>("k");
				assert.deepEqual(read, { items: [{ qty: 1 }] });
				read!.items.push({ qty: 2 });
				assert.deepEqual(await store.get("k"), { items: [{ qty: 1 }] });

				await store.append("list", original);
				(await store.range<typeof original>("list"))[0].items.length = 0;
				assert.deepEqual(await store.range("list"), [{ items: [{ qty: 99 }] }]);

				await store.compareAndSet("cas", 0, original);
				(await store.getVersioned<typeof original>("cas"))!.value.items.length = 0;
				assert.deepEqual((await store.getVersioned("cas"))!.value, { items: [{ qty: 99 }] });
			});

			it("del removes any kind of key and reports whether it existed", async () => {
				assert.equal(await store.del("k"), false);
				await store.set("k", 1);
				await store.append("list", 1);
				await store.compareAndSet("cas", 0, 1);
				for (const key of ["k", "list", "cas"]) assert.equal(await store.del(key), true);
				assert.equal(await store.get("k"), null);
				assert.equal(await store.length("list"), 0);
				assert.equal(await store.getVersioned("cas"), null);
				assert.equal(await store.del("k"), false);
			});

			it("rejects operations on a key that holds another kind of value", async () => {
				await store.append("list", 1);
				await assert.rejects(store.get("list"), /WRONGTYPE/);
				await store.set("value", "text");
				await assert.rejects(store.append("value", 1), /WRONGTYPE/);
				await assert.rejects(store.compareAndSet("value", 0, 1), /WRONGTYPE/);
				await assert.rejects(store.incr("value"), /not an integer/);
			});
		});

		describe("TTL", () => {
			it("expires a value set with a TTL", async () => {
				await store.set("k", "v", fixture.ttlMs);
				assert.equal(await store.get("k"), "v");
				await fixture.afterExpiry(fixture.ttlMs, async () => (await store.get("k")) === null);
			});

			it("set without a TTL clears an earlier TTL", async () => {
				await store.set("k", 1, fixture.ttlMs);
				await store.set("k", 2);
				await store.set("clock", 0, fixture.ttlMs);
				await fixture.afterExpiry(fixture.ttlMs, async () => (await store.get("clock")) === null);
				assert.equal(await store.get("k"), 2);
			});

			it("rejects non-positive TTLs", async () => {
				await assert.rejects(store.set("k", 1, 0), RangeError);
				await assert.rejects(store.setIfAbsent("k", 1, -5), RangeError);
				await assert.rejects(store.lock("k", 0), RangeError);
			});
		});

		describe("setIfAbsent", () => {
			it("writes only when the key is absent", async () => {
				assert.equal(await store.setIfAbsent("k", "first"), true);
				assert.equal(await store.setIfAbsent("k", "second"), false);
				assert.equal(await store.get("k"), "first");
			});

			it("lets exactly one of 20 concurrent calls win", async () => {
				const all = clients();
				const results = await Promise.all(
					Array.from({ length: 20 }, (_, i) => all[i % all.length].setIfAbsent("idem", i)),
				);
				assert.equal(results.filter(Boolean).length, 1);
				assert.equal(await store.get("idem"), results.indexOf(true));
			});

			it("allows a new write once the TTL expired", async () => {
				assert.equal(await store.setIfAbsent("k", 1, fixture.ttlMs), true);
				await fixture.afterExpiry(fixture.ttlMs, async () => (await store.get("k")) === null);
				assert.equal(await store.setIfAbsent("k", 2), true);
				assert.equal(await store.get("k"), 2);
			});
		});

		describe("incr", () => {
			it("creates the counter at 0 and adds by the given amount", async () => {
				assert.equal(await store.incr("c"), 1);
				assert.equal(await store.incr("c", 5), 6);
				assert.equal(await store.incr("c", -10), -4);
				assert.equal(await store.get("c"), -4);
			});

			it("rejects a non-integer increment", async () => {
				await assert.rejects(store.incr("c", 1.5), RangeError);
			});

			it("is atomic under 100 concurrent increments", async () => {
				const all = clients();
				const results = await Promise.all(Array.from({ length: 100 }, (_, i) => all[i % all.length].incr("c")));
				assert.deepEqual(
					results.sort((a, b) => a - b),
					Array.from({ length: 100 }, (_, i) => i + 1),
				);
				assert.equal(await store.get("c"), 100);
			});

			it("applies the TTL only when the counter is created", async () => {
				await store.incr("c", 1, fixture.ttlMs);
				assert.equal(await store.incr("c", 1, fixture.ttlMs * 1000), 2);
				await fixture.afterExpiry(fixture.ttlMs, async () => (await store.get("c")) === null);
				assert.equal(await store.incr("c"), 1);
			});
		});

		describe("getMany", () => {
			it("reads several keys at once, null for missing ones", async () => {
				await store.set("a", { n: 1 });
				await store.incr("b", 7);
				assert.deepEqual(await store.getMany(["a", "missing", "b"]), [{ n: 1 }, null, 7]);
				assert.deepEqual(await store.getMany([]), []);
			});
		});

		describe("reserve", () => {
			it("decrements every counter and returns the levels after", async () => {
				await store.incr("s1", 5);
				await store.incr("s2", 2);
				assert.deepEqual(await store.reserve([{ key: "s1", by: 3 }, { key: "s2", by: 2 }]), { ok: true, levels: [2, 0] });
				assert.deepEqual(await store.getMany(["s1", "s2"]), [2, 0]);
			});

			it("changes nothing when one counter cannot cover its amount, and names it", async () => {
				await store.incr("s1", 5);
				await store.incr("s2", 1);
				assert.deepEqual(await store.reserve([{ key: "s1", by: 2 }, { key: "s2", by: 2 }]), { ok: false, index: 1, available: 1 });
				assert.deepEqual(await store.reserve([{ key: "s1", by: 1 }, { key: "none", by: 1 }]), { ok: false, index: 1, available: 0 });
				assert.deepEqual(await store.getMany(["s1", "s2", "none"]), [5, 1, null]);
			});

			it("adds up amounts on a repeated key", async () => {
				await store.incr("s1", 3);
				assert.deepEqual(await store.reserve([{ key: "s1", by: 2 }, { key: "s1", by: 2 }]), { ok: false, index: 0, available: 3 });
				assert.deepEqual(await store.reserve([{ key: "s1", by: 1 }, { key: "s1", by: 2 }]), { ok: true, levels: [0, 0] });
			});

			it("rejects non-positive or fractional amounts and non-integer counters", async () => {
				await store.incr("s1", 3);
				await assert.rejects(store.reserve([{ key: "s1", by: 0 }]), RangeError);
				await assert.rejects(store.reserve([{ key: "s1", by: 1.5 }]), RangeError);
				await store.set("text", "abc");
				await assert.rejects(store.reserve([{ key: "text", by: 1 }]), /not an integer/);
				assert.equal(await store.get("s1"), 3);
			});

			it("never goes below zero under 50 concurrent reservations from several clients", async () => {
				await store.incr("s1", 10);
				await store.incr("s2", 30);
				const all = clients();
				const results = await Promise.all(
					Array.from({ length: 50 }, (_, i) => all[i % all.length].reserve([{ key: "s2", by: 1 }, { key: "s1", by: 1 }]))
				);
				assert.equal(results.filter(r => r.ok).length, 10);
				assert.ok(results.filter(r => !r.ok).every(r => !r.ok && r.index === 1 && r.available === 0));
				assert.deepEqual(await store.getMany(["s1", "s2"]), [0, 20]);
			});
		});

		describe("lists", () => {
			it("append returns the new length and range follows Redis indexes", async () => {
				const lengths = [];
				for (const item of ["a", "b", "c", "d", "e"]) lengths.push(await store.append("l", item));
				assert.deepEqual(lengths, [1, 2, 3, 4, 5]);
				assert.equal(await store.length("l"), 5);
				assert.deepEqual(await store.range("l"), ["a", "b", "c", "d", "e"]);
				assert.deepEqual(await store.range("l", 1, 3), ["b", "c", "d"]);
				assert.deepEqual(await store.range("l", -2, -1), ["d", "e"]);
				assert.deepEqual(await store.range("l", -3), ["c", "d", "e"]);
				assert.deepEqual(await store.range("l", 0, -2), ["a", "b", "c", "d"]);
				assert.deepEqual(await store.range("l", -100, 100), ["a", "b", "c", "d", "e"]);
				assert.deepEqual(await store.range("l", 3, 1), []);
				assert.deepEqual(await store.range("l", 0, -6), []);
				assert.deepEqual(await store.range("l", 5), []);
			});

			it("treats a missing list as empty", async () => {
				assert.equal(await store.length("none"), 0);
				assert.deepEqual(await store.range("none"), []);
			});

			it("keeps every concurrent append", async () => {
				const all = clients();
				await Promise.all(Array.from({ length: 40 }, (_, i) => all[i % all.length].append("l", i)));
				const items = await store.range<number>("l");
				assert.deepEqual(
					items.sort((a, b) => a - b),
					Array.from({ length: 40 }, (_, i) => i),
				);
			});
		});

		describe("locks", () => {
			it("grants a lock to exactly one of 20 concurrent callers", async () => {
				const all = clients();
				const handles = await Promise.all(
					Array.from({ length: 20 }, (_, i) => all[i % all.length].lock("resource", 10_000)),
				);
				const held = handles.filter((handle) => handle !== null);
				assert.equal(held.length, 1);
				assert.equal(held[0]!.key, "resource");
				assert.equal(await held[0]!.release(), true);
			});

			it("lets another caller acquire after release, with a higher fencing token", async () => {
				const first = await store.lock("resource", 10_000);
				assert.ok(first);
				assert.equal(await fixture.peer().lock("resource", 10_000), null);
				assert.equal(await first.release(), true);
				const second = await fixture.peer().lock("resource", 10_000);
				assert.ok(second);
				assert.ok(second.token > first.token);
			});

			it("issues strictly increasing fencing tokens across clients", async () => {
				const tokens: number[] = [];
				for (const client of clients()) {
					for (let i = 0; i < 3; i++) {
						const handle = await client.lock("resource", 10_000);
						assert.ok(handle);
						tokens.push(handle.token);
						assert.equal(await handle.release(), true);
					}
				}
				for (let i = 1; i < tokens.length; i++) assert.ok(tokens[i] > tokens[i - 1], `tokens ${tokens}`);
			});

			it("keeps locks of different keys independent", async () => {
				assert.ok(await store.lock("a", 10_000));
				assert.ok(await store.lock("b", 10_000));
			});

			it("lets another caller acquire once the lock expired", async () => {
				const first = await store.lock("resource", fixture.ttlMs);
				assert.ok(first);
				assert.equal(await store.lock("resource", 10_000), null);
				const second = await waitForAcquire(fixture, "resource");
				assert.ok(second.token > first.token);
			});

			it("refuses release and extend by a stale holder without affecting the new holder", async () => {
				const stale = await store.lock("resource", fixture.ttlMs);
				assert.ok(stale);
				const current = await waitForAcquire(fixture, "resource");
				assert.ok(current.token > stale.token);

				assert.equal(await stale.release(), false);
				assert.equal(await stale.extend(10_000), false);
				assert.equal(await fixture.peer().lock("resource", 10_000), null, "the new holder must keep the lock");

				assert.equal(await current.extend(10_000), true);
				assert.equal(await current.release(), true);
				assert.ok(await store.lock("resource", 10_000));
			});

			it("keeps tokens increasing with the fence kept with the record, which its writes leave alone", async () => {
				const first = await store.lock("resource", 10_000, { fenceWith: "record" });
				assert.ok(first);
				assert.equal(await store.getVersioned("record"), null, "a lock alone writes no record");
				assert.equal(await store.compareAndSet("record", 0, { fence: first.token }), 1);
				assert.equal(await first.release(), true);
				const tokens = [first.token];
				for (const client of clients()) {
					const handle = await client.lock("resource", 10_000, { fenceWith: "record" });
					assert.ok(handle);
					tokens.push(handle.token);
					assert.equal(await client.compareAndSet("record", tokens.length - 1, { fence: handle.token }), tokens.length);
					assert.equal(await handle.release(), true);
				}
				for (let i = 1; i < tokens.length; i++) assert.ok(tokens[i] > tokens[i - 1], `tokens ${tokens}`);
				assert.deepEqual(await store.getVersioned("record"), { version: tokens.length, value: { fence: tokens.at(-1) } });
				assert.equal(await store.lock("resource", 10_000, { fenceWith: "record" }).then(h => h && h.token > tokens.at(-1)!), true);
			});

			it("extend keeps the lock past its original expiry", async () => {
				const handle = await store.lock("resource", fixture.ttlMs);
				assert.ok(handle);
				assert.equal(await handle.extend(fixture.ttlMs * 1000), true);
				// A sibling lock with the original TTL, taken later, tells when that TTL has passed.
				assert.ok(await store.lock("clock", fixture.ttlMs));
				await fixture.afterExpiry(fixture.ttlMs, async () => (await store.lock("clock", 10_000)) !== null);
				assert.equal(await store.lock("resource", 10_000), null);
				assert.equal(await handle.release(), true);
			});
		});

		describe("compareAndSet", () => {
			it("getVersioned returns null for a missing key", async () => {
				assert.equal(await store.getVersioned("doc"), null);
			});

			it("creates with version 0, then updates only from the current version", async () => {
				assert.equal(await store.compareAndSet("doc", 0, { step: 1 }), 1);
				assert.equal(await store.compareAndSet("doc", 0, { step: "dup" }), null);
				assert.equal(await store.compareAndSet("doc", 1, { step: 2 }), 2);
				assert.equal(await store.compareAndSet("doc", 1, { step: "stale" }), null);
				assert.equal(await store.compareAndSet("doc", 5, { step: "future" }), null);
				assert.deepEqual(await store.getVersioned("doc"), { version: 2, value: { step: 2 } });
			});

			it("lets exactly one of 50 concurrent writers with the same expected version win", async () => {
				await store.compareAndSet("doc", 0, { writer: -1 });
				const all = clients();
				const results = await Promise.all(
					Array.from({ length: 50 }, (_, i) => all[i % all.length].compareAndSet("doc", 1, { writer: i })),
				);
				const winners = results.flatMap((version, writer) => (version === null ? [] : [{ version, writer }]));
				assert.equal(winners.length, 1);
				assert.equal(winners[0].version, 2);
				assert.deepEqual(await store.getVersioned("doc"), { version: 2, value: { writer: winners[0].writer } });
			});

			it("expires a versioned value written with a TTL", async () => {
				assert.equal(await store.compareAndSet("doc", 0, "v", fixture.ttlMs), 1);
				await fixture.afterExpiry(fixture.ttlMs, async () => (await store.getVersioned("doc")) === null);
				assert.equal(await store.compareAndSet("doc", 0, "again"), 1);
			});
		});

		describe("batch", () => {
			it("runs get, set, setIfAbsent, del and setMax in order and returns each result", async () => {
				await store.set("held", "theirs");
				const results = await store.batch([
					{ op: "set", key: "a", value: { n: 1 }, ttlMs: 60_000 },
					{ op: "get", key: "a" },
					{ op: "setIfAbsent", key: "held", value: "mine", ttlMs: 60_000 },
					{ op: "setIfAbsent", key: "free", value: "mine" },
					{ op: "get", key: "missing" },
					{ op: "del", key: "a" },
					{ op: "del", key: "a" },
					{ op: "setMax", key: "max", value: 5 },
					{ op: "setMax", key: "max", value: 3 },
					{ op: "setMax", key: "max", value: 8, ttlMs: 60_000 }
				]);
				assert.deepEqual(results, [true, { n: 1 }, { written: false, value: "theirs" }, { written: true, value: "mine" }, null, true, false, true, false, true]);
				assert.equal(await store.get("held"), "theirs");
				assert.deepEqual(await store.getVersioned("max"), { version: 2, value: 8 });
				assert.deepEqual(await store.batch([]), []);
			});

			it("setMax keeps the greatest value under concurrent writers from several clients", async () => {
				const all = clients();
				const values = Array.from({ length: 40 }, (_, i) => (i * 7919) % 101);
				await Promise.all(values.map((v, i) => all[i % all.length].batch([{ op: "setMax", key: "m", value: v }])));
				assert.equal((await store.getVersioned("m"))!.value, Math.max(...values));
			});

			it("lets exactly one of 20 concurrent claims win and shows the others the winner", async () => {
				const all = clients();
				const results = (await Promise.all(
					Array.from({ length: 20 }, (_, i) => all[i % all.length].batch([{ op: "setIfAbsent", key: "claim", value: `c${i}`, ttlMs: 60_000 }]))
				)).map(r => r[0] as { written: boolean; value: string });
				const winners = results.filter(r => r.written);
				assert.equal(winners.length, 1);
				assert.ok(results.every(r => r.value === winners[0]!.value));
			});

			it("expires values written with a TTL", async () => {
				await store.batch([{ op: "set", key: "t", value: 1, ttlMs: fixture.ttlMs }, { op: "setIfAbsent", key: "u", value: 2, ttlMs: fixture.ttlMs }]);
				await fixture.afterExpiry(fixture.ttlMs, async () => (await store.getMany(["t", "u"])).every(v => v === null));
			});

			it("rejects bad arguments before running any step", async () => {
				await assert.rejects(store.batch([{ op: "set", key: "x", value: 1 }, { op: "set", key: "y", value: 1, ttlMs: 0 }]), RangeError);
				await assert.rejects(store.batch([{ op: "set", key: "x", value: 1 }, { op: "setMax", key: "y", value: Number.NaN }]), RangeError);
				await assert.rejects(store.batch([{ op: "set", key: "x", value: 1 }, { op: "set", key: "y", value: undefined }]), TypeError);
				assert.equal(await store.get("x"), null);
			});

			it("reads versioned values and settles lane numbers among its steps", async () => {
				await store.compareAndSet("doc", 0, { step: 1 });
				await store.laneNext("lane", 60_000);
				await store.laneNext("lane", 60_000);
				const results = await store.batch([
					{ op: "getVersioned", key: "doc" },
					{ op: "getVersioned", key: "none" },
					{ op: "laneDone", key: "lane", value: 2, ttlMs: 60_000 },
					{ op: "laneDone", key: "lane", value: 1, ttlMs: 60_000 }
				]);
				assert.deepEqual(results, [{ version: 1, value: { step: 1 } }, null, true, true]);
				assert.equal(await store.laneDoneOf("lane"), 2, "never lowered");
				await assert.rejects(store.batch([{ op: "set", key: "x", value: 1 }, { op: "laneDone", key: "lane", value: 0, ttlMs: 60_000 }]), RangeError);
				await assert.rejects(store.batch([{ op: "laneDone", key: "lane", value: 3, ttlMs: 0 }]), RangeError);
				assert.equal(await store.get("x"), null);
				assert.equal(await store.laneDoneOf("lane"), 2);
			});

			it("shortens the life of keys of any kind, and tells which existed", async () => {
				await store.set("plain", 1);
				await store.compareAndSet("doc", 0, "v");
				await store.append("list", 1);
				const results = await store.batch(["plain", "doc", "list", "none"].map(key => ({ op: "expire", key, ttlMs: fixture.ttlMs }) as const));
				assert.deepEqual(results, [true, true, true, false]);
				await fixture.afterExpiry(fixture.ttlMs, async () => (await store.get("plain")) === null && (await store.getVersioned("doc")) === null && (await store.length("list")) === 0);
				await assert.rejects(store.batch([{ op: "expire", key: "plain", ttlMs: 0 }]), RangeError);
			});

			it("refuses setMax over a value that is not a number", async () => {
				await store.compareAndSet("doc", 0, { not: "a number" });
				await assert.rejects(store.batch([{ op: "setMax", key: "doc", value: 1 }]), /not a number/);
			});
		});

		describe("takeSlot", () => {
			// Redis books on its own clock, which moves between calls: waits may come out a little short.
			const near = (actual: number, expected: number) => assert.ok(actual <= expected && actual >= expected - 250, `wait ${actual} ms, expected about ${expected} ms`);

			it("lets a burst through, then books one slot per interval", async () => {
				const waits: number[] = [];
				for (let i = 0; i < 5; i++) waits.push(await store.takeSlot([{ key: "gate", intervalMs: 1000, burst: 2 }]));
				[0, 0, 1000, 2000, 3000].forEach((expected, i) => near(waits[i]!, expected));
			});

			it("books a slot that every gate allows and charges it to all of them", async () => {
				const pair = { key: "pair", intervalMs: 3000 };
				const number = { key: "number", intervalMs: 500 };
				near(await store.takeSlot([pair, number]), 0);
				near(await store.takeSlot([number]), 500);
				// The pair gate decides the second slot for this pair; the number gate is charged at that slot.
				near(await store.takeSlot([pair, number]), 3000);
				near(await store.takeSlot([number]), 3500);
			});

			it("hands out distinct slots to concurrent callers on several clients", async () => {
				const all = clients();
				const waits = (await Promise.all(Array.from({ length: 12 }, (_, i) => all[i % all.length].takeSlot([{ key: "shared", intervalMs: 400 }])))).sort((a, b) => a - b);
				waits.forEach((w, i) => near(w, i * 400));
			});

			it("forgets a gate once its bookings have passed", async () => {
				await store.takeSlot([{ key: "idle", intervalMs: fixture.ttlMs }]);
				await fixture.afterExpiry(fixture.ttlMs + 1000, async () => (await store.takeSlot([{ key: `idle-probe`, intervalMs: 1 }])) === 0 && (await store.get("idle")) === null);
			});

			it("rejects gates without a positive interval or burst", async () => {
				await assert.rejects(store.takeSlot([]), RangeError);
				await assert.rejects(store.takeSlot([{ key: "g", intervalMs: 0 }]), RangeError);
				await assert.rejects(store.takeSlot([{ key: "g", intervalMs: 10, burst: 0 }]), RangeError);
			});
		});

		describe("appendCapped", () => {
			it("keeps only the newest items, newest last", async () => {
				const lengths = [];
				for (let i = 0; i < 5; i++) lengths.push(await store.appendCapped("capped", i, 3));
				assert.deepEqual(lengths, [1, 2, 3, 3, 3]);
				assert.deepEqual(await store.range("capped"), [2, 3, 4]);
				await assert.rejects(store.appendCapped("capped", 5, 0), RangeError);
			});

			it("keeps the bound under concurrent appends from several clients", async () => {
				const all = clients();
				await Promise.all(Array.from({ length: 30 }, (_, i) => all[i % all.length].appendCapped("c", i, 10)));
				assert.equal(await store.length("c"), 10);
			});
		});

		describe("numbered lanes", () => {
			it("hands out numbers in order, records the highest done, and forgets an idle lane", async () => {
				assert.equal(await store.laneDoneOf("lane"), null, "no lane yet");
				assert.deepEqual([await store.laneNext("lane", 60_000), await store.laneNext("lane", 60_000)], [1, 2]);
				assert.equal(await store.laneDoneOf("lane"), 0, "numbers taken, none done");
				await store.laneDone("lane", 2, 60_000);
				await store.laneDone("lane", 1, 60_000);
				assert.equal(await store.laneDoneOf("lane"), 2, "never lowered");
				assert.equal(await store.laneNext("lane", 60_000), 3);
				const all = clients();
				const taken = await Promise.all(Array.from({ length: 20 }, (_, i) => all[i % all.length].laneNext("busy", 60_000)));
				assert.deepEqual([...taken].sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => i + 1), "no number twice");
				await store.laneNext("short", fixture.ttlMs);
				await fixture.afterExpiry(fixture.ttlMs, async () => (await store.laneDoneOf("short")) === null);
				assert.equal(await store.laneNext("short", fixture.ttlMs), 1, "a forgotten lane starts again from 1");
				await assert.rejects(store.laneDone("lane", 0, 60_000), RangeError);
			});
		});

		describe("dropHead and batch append", () => {
			it("drops the items read earlier and keeps what was appended since; an emptied list is gone", async () => {
				for (const i of [1, 2, 3]) await store.append("inbox", i);
				const read = await store.range<number>("inbox");
				const [len] = await store.batch([{ op: "append", key: "inbox", value: 4 }]);
				assert.equal(len, 4);
				await store.dropHead("inbox", read.length);
				assert.deepEqual(await store.range("inbox"), [4]);
				await store.dropHead("inbox", 1);
				assert.equal(await store.length("inbox"), 0);
				assert.equal(await store.del("inbox"), false, "nothing left behind");
				await store.dropHead("missing", 3);
				await assert.rejects(store.dropHead("inbox", 0), RangeError);
				const [claim, first] = await store.batch([
					{ op: "setIfAbsent", key: "cursor", value: 7 },
					{ op: "append", key: "bucket", value: "a" }
				]);
				assert.deepEqual([claim, first], [{ written: true, value: 7 }, 1]);
				assert.deepEqual(await store.range("bucket"), ["a"]);
				// As a batch step, after appends in the same batch.
				await store.batch([{ op: "append", key: "bucket", value: "b" }, { op: "append", key: "bucket", value: "c" }, { op: "dropHead", key: "bucket", count: 2 }]);
				assert.deepEqual(await store.range("bucket"), ["c"]);
				assert.deepEqual(await store.batch([{ op: "dropHead", key: "bucket", count: 5 }, { op: "dropHead", key: "missing", count: 1 }]), [true, true]);
				assert.equal(await store.length("bucket"), 0);
				await assert.rejects(store.batch([{ op: "append", key: "bucket", value: "x" }, { op: "dropHead", key: "bucket", count: 0 }]), RangeError);
				assert.equal(await store.length("bucket"), 0, "a bad step changes nothing");
			});
		});

		describe("tail", () => {
			it("reads the newest items with the length at one instant, also while others append", async () => {
				assert.deepEqual(await store.tail("t", 3), { length: 0, items: [] });
				for (let i = 1; i <= 5; i++) await store.append("t", { i });
				assert.deepEqual(await store.tail("t", 2), { length: 5, items: [{ i: 4 }, { i: 5 }] });
				assert.deepEqual(await store.tail("t", 10), { length: 5, items: [1, 2, 3, 4, 5].map(i => ({ i })) });
				const all = clients();
				const [, ...reads] = await Promise.all([
					Promise.all(Array.from({ length: 40 }, (_, i) => all[i % all.length].append("t", { i: 6 + i }))),
					...Array.from({ length: 10 }, () => store.tail<{ i: number }>("t", 3))
				]);
				// Whatever moment each read saw, its last item is the one at position length - 1.
				for (const r of reads as { length: number; items: { i: number }[] }[]) {
					const whole = await store.range<{ i: number }>("t", r.length - r.items.length, r.length - 1);
					assert.deepEqual(r.items, whole);
				}
				await assert.rejects(store.tail("t", 0), RangeError);
			});
		});

		describe("lifecycle", () => {
			it("is ready while open and not after close", async () => {
				assert.equal(store.isReady(), true);
				await store.close();
				assert.equal(store.isReady(), false);
			});
		});
	});
}

/** Acquires `key` from a peer as soon as the current holder's lock has expired. */
async function waitForAcquire(fixture: StoreFixture, key: string): Promise<LockHandle> {
	const peer = fixture.peer();
	const handle = await fixture.afterExpiry(fixture.ttlMs, () => peer.lock(key, 10_000));
	assert.ok(handle);
	return handle;
}

describeStore("MemoryStore", async () => {
	const clock = { now: Date.parse("2030-01-01T00:00:00Z") };
	const store = new MemoryStore({ now: () => clock.now });
	return {
		store,
		ttlMs: 1000,
		// Memory has no connections: every "peer" is the same process-wide store.
		peer: () => store,
		afterExpiry: async (ttlMs, expired) => {
			clock.now += ttlMs;
			const result = await expired();
			assert.ok(result, `expected expiry after ${ttlMs} ms`);
			return result;
		},
		close: () => store.close(),
	};
});

describe("RedisStore on redis-server", () => {
	before(async () => {
		await infra();
		await flushRedis();
	});

	describeStore("RedisStore", async () => {
		const { redisUrl } = await infra();
		// A fresh namespace per test isolates tests without flushing between them.
		const prefix = `test-${randomUUID()}:`;
		const store = await RedisStore.connect(redisUrl, { prefix, logger: silentLogger() });
		const peers: RedisStore[] = [];
		return {
			store,
			ttlMs: 300,
			peer: () => {
				const peer = new RedisStore(redisUrl, { prefix, logger: silentLogger() });
				peers.push(peer);
				return peer;
			},
			afterExpiry: (ttlMs, expired) =>
				waitFor(expired, { timeoutMs: ttlMs + 2000, message: `expiry after ${ttlMs} ms` }),
			close: async () => {
				await Promise.all([store, ...peers].map((client) => client.close()));
			},
		};
	});

	describe("RedisStore specifics", () => {
		let redisUrl: string;
		let raw: Redis;

		before(async () => {
			({ redisUrl } = await infra());
			raw = new Redis(redisUrl);
		});

		after(() => raw.quit());

		it("namespaces keys, locks and fence counters with the prefix", async () => {
			const store = await RedisStore.connect(redisUrl, { prefix: "ns-test:", logger: silentLogger() });
			try {
				await store.set("k", 1);
				const handle = await store.lock("res", 10_000);
				assert.ok(handle);
				assert.deepEqual((await raw.keys("ns-test:*")).sort(), ["ns-test:k", "ns-test:lock:res", "ns-test:lock:res:fence"]);
				assert.equal(await raw.get("ns-test:lock:res:fence"), String(handle.token));
			} finally {
				await store.close();
			}
		});

		it("keeps a record's fence in its hash: one key per record, counting on from a counter kept before", async () => {
			const store = await RedisStore.connect(redisUrl, { prefix: "fw-test:", logger: silentLogger() });
			try {
				// Written before records kept their fence: a counter key of its own at 3.
				for (let i = 0; i < 3; i++) await (await store.lock("res", 10_000))!.release();
				assert.equal(await raw.get("fw-test:lock:res:fence"), "3");
				const moved = await store.lock("res", 10_000, { fenceWith: "rec" });
				assert.equal(moved?.token, 4);
				await store.compareAndSet("rec", 0, { n: 1 });
				await moved!.release();
				assert.equal((await store.lock("res", 10_000, { fenceWith: "rec" }))?.token, 5);
				assert.deepEqual((await raw.keys("fw-test:*")).sort(), ["fw-test:lock:res", "fw-test:rec"], "no counter key left beside the record");
				assert.deepEqual(await raw.hgetall("fw-test:rec"), { v: "1", d: '{"n":1}', f: "5" });
			} finally {
				await raw.del("fw-test:lock:res", "fw-test:rec");
				await store.close();
			}
		});

		it("appendOnce appends to streams outside the prefix and marks the key, once", async () => {
			const store = await RedisStore.connect(redisUrl, { prefix: "ao-test:", logger: silentLogger() });
			const stream = `ao-stream-${randomUUID()}`;
			try {
				const step = (value: string) =>
					({ op: "appendOnce", key: "claim", value, ttlMs: 60_000, entries: [{ stream, fields: ["payload", `{"n":"${value}"}`] }, { stream: `${stream}.b`, fields: ["payload", Buffer.from("b"), "headers", "{}"] }] }) as const;
				const results = await Promise.all(["one", "two", "three"].map(v => store.batch([step(v), { op: "setMax", key: "w", value: 1 }])));
				const winners = results.filter(r => (r[0] as { written: boolean }).written);
				assert.equal(winners.length, 1, "one of three concurrent steps wins");
				const won = (winners[0]![0] as { value: string }).value;
				assert.ok(results.every(r => (r[0] as { value: string }).value === won), "the others see the winner's value");
				const entries = await raw.xrange(stream, "-", "+");
				assert.deepEqual(entries.map(([, fields]) => fields), [["payload", `{"n":"${won}"}`]]);
				assert.deepEqual((await raw.xrange(`${stream}.b`, "-", "+")).map(([, f]) => f), [["payload", "b", "headers", "{}"]]);
				assert.ok((await raw.pttl("ao-test:claim")) > 50_000);
				assert.deepEqual(await raw.keys(`ao-test:${stream}*`), [], "streams are named as given, not prefixed");
			} finally {
				await store.close();
				await raw.del(stream, `${stream}.b`);
			}
		});

		it("appendOnce leaves the key unset when an append fails, so the step can be tried again", async () => {
			const store = await RedisStore.connect(redisUrl, { prefix: "ao-fail:", logger: silentLogger() });
			const stream = `ao-broken-${randomUUID()}`;
			try {
				// A plain string where the stream should be: XADD fails inside the script.
				await raw.set(stream, "not a stream");
				const step = { op: "appendOnce", key: "claim", value: "done", entries: [{ stream, fields: ["payload", "x"] }] } as const;
				await assert.rejects(store.batch([step]), /WRONGTYPE/);
				assert.equal(await raw.exists("ao-fail:claim"), 0);
				await raw.del(stream);
				assert.deepEqual(await store.batch([step]), [{ written: true, value: "done" }]);
				assert.equal(await raw.xlen(stream), 1);
				await assert.rejects(store.batch([{ op: "appendOnce", key: "c2", value: 1, entries: [{ stream, fields: ["payload"] }] }]), RangeError);
			} finally {
				await store.close();
				await raw.del(stream);
			}
		});

		it("createStore picks Redis for a url, with the default prefix", async () => {
			const store = createStore({ redisUrl, logger: silentLogger() });
			try {
				assert.equal(store.kind, "redis");
				await store.set("created", true);
				assert.equal(await raw.get("agent-store:created"), "true");
			} finally {
				await store.close();
			}
		});

		it("keeps answering when Redis forgets its scripts, also for scripted calls that leave in one pipeline", async () => {
			const store = await RedisStore.connect(redisUrl, { prefix: `flush-${randomUUID()}:`, logger: silentLogger() });
			try {
				const calls = (n: number) =>
					Promise.all([
						store.batch([{ op: "setIfAbsent", key: `claim${n}`, value: "me" }, { op: "get", key: "warm" }]),
						store.incr("counter", 2),
						store.lock(`res${n}`, 10_000),
						store.laneNext("lane", 60_000)
					]);
				await store.set("warm", 1);
				// Each script is loaded on this connection once; after that the client sends its sha only.
				await calls(1);
				// A restarted Redis has an empty script cache; calls issued together share one write.
				await raw.script("FLUSH");
				const [batch, count, lock, lane] = await calls(2);
				assert.deepEqual(batch, [{ written: true, value: "me" }, 1]);
				assert.equal(count, 4);
				assert.ok(lock && lock.token >= 1);
				assert.equal(lane, 2);
			} finally {
				await store.close();
			}
		});

		it("writes a gathered batch at once, ahead of commands waiting to share a write, and still after Redis forgot its scripts", async () => {
			const prefix = `gathered-${randomUUID()}:`;
			const store = await RedisStore.connect(redisUrl, { prefix, logger: silentLogger() });
			const monitor = await raw.monitor();
			const seen: string[] = [];
			monitor.on("monitor", (_time: string, args: string[]) => {
				const mine = args.find(a => a.startsWith(prefix));
				if (mine) seen.push(`${args[0]!.toLowerCase()} ${mine.slice(prefix.length)}`);
			});
			try {
				await store.set("warm", 1);
				// Each round has keys of its own: what Redis shows of one round never mixes into the next.
				const order = async (gathered: boolean, tag: string) => {
					const read = `read-${tag}`;
					// Issued first, but auto-pipelined: held until the end of this turn.
					const reading = store.get(read);
					const batch = store.batch([{ op: "setIfAbsent", key: tag, value: 1 }], { gathered });
					assert.deepEqual(await batch, [{ written: true, value: 1 }]);
					assert.equal(await reading, null);
					const mine = () => seen.filter(l => l === `get ${read}` || l === `evalsha ${tag}` || l === `eval ${tag}`).map(l => l.split(" ")[1]);
					await waitFor(() => mine().length >= 2);
					return mine().map(k => (k === read ? "read" : "batch"));
				};
				assert.deepEqual(await order(false, "pipelined"), ["read", "batch"]);
				assert.deepEqual(await order(true, "gathered"), ["batch", "read"]);
				await raw.script("FLUSH");
				assert.deepEqual(await store.batch([{ op: "get", key: "warm" }], { gathered: true }), [1]);
				// The option is back on for everything else.
				assert.deepEqual(await order(false, "after"), ["read", "batch"]);
			} finally {
				monitor.disconnect();
				await store.close();
			}
		});

		it("connect rejects with a clear error when Redis is unreachable", async () => {
			const deadUrl = `redis://127.0.0.1:${await freePort()}`;
			await assert.rejects(
				RedisStore.connect(deadUrl, { timeoutMs: 300, logger: silentLogger() }),
				/Redis at redis:\/\/127\.0\.0\.1:\d+\/? was not ready within 300 ms \(last error: .*ECONNREFUSED/,
			);
		});

		it("fails calls instead of hanging while Redis is down, logging the error once", async () => {
			const logger = silentLogger();
			const store = new RedisStore(`redis://127.0.0.1:${await freePort()}`, { logger });
			try {
				await assert.rejects(store.get("k"), /max retries/i);
				assert.equal(store.isReady(), false);
				sinon.assert.calledOnce(logger.error);
			} finally {
				await store.close();
			}
		});
	});
});

describe("MemoryStore specifics", () => {
	afterEach(() => sinon.restore());

	it("follows sinon fake timers when no clock is given", async () => {
		const clock = sinon.useFakeTimers({ now: Date.parse("2030-01-01T00:00:00Z") });
		const store = new MemoryStore();
		try {
			await store.set("k", "v", 1000);
			clock.tick(999);
			assert.equal(await store.get("k"), "v");
			clock.tick(1);
			assert.equal(await store.get("k"), null);
		} finally {
			await store.close();
		}
	});

	it("stops its sweep timer on close", async () => {
		const clock = sinon.useFakeTimers();
		const store = new MemoryStore({ sweepIntervalMs: 50 });
		assert.equal(clock.countTimers(), 1);
		await store.close();
		assert.equal(clock.countTimers(), 0);
	});

	it("rejects operations after close", async () => {
		const store = new MemoryStore();
		await store.close();
		await assert.rejects(store.get("k"), /closed/);
		await assert.rejects(store.set("k", 1), /closed/);
	});

	it("refuses appendOnce, having no streams, before running any step", async () => {
		const store = new MemoryStore();
		try {
			await assert.rejects(store.batch([{ op: "set", key: "x", value: 1 }, { op: "appendOnce", key: "k", value: 1, entries: [{ stream: "s", fields: ["payload", "x"] }] }]), /no streams|Redis/);
			assert.equal(await store.get("x"), null);
		} finally {
			await store.close();
		}
	});

	it("is what createStore returns without a Redis url", async () => {
		const store = createStore({});
		assert.ok(store instanceof MemoryStore);
		await store.close();
	});
});
