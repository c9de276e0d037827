/**
 * The AI seller host's runtime features on a controllable clock: the coalescing window, durable
 * idle deadlines and their sweeper, the model's history. One MemoryStore plays the shared store;
 * two hosts on it play two nodes.
 */
import assert from "node:assert/strict";
import type { LoggerInstance, ServiceBroker } from "moleculer";
import { MemoryStore } from "../../adapters/store";
import { createEvent, EventTypes, type ChatMessageNewV1, type EventType, type WhatsappMessageSendV1 } from "../../contracts/events";
import { createOfflineBrain } from "../../agents/offline-brain";
import type { Model, ModelRequest } from "../../agents/runner";
import { ConversationHost, inboxKey, lockKey, UNAVAILABLE_BACKOFF_MS, type HostOptions, StaleWriterError, COALESCE_MAX_FACTOR, readConversationRecord } from "../../services/ai-seller/host";
import { sweepLockKey } from "../../services/ai-seller/deadlines";
import { waitFor } from "../helpers/wait";

const WA = "15550008888";
const ID = `fashion:${WA}`;
const quiet = { info() {}, warn() {}, debug() {}, error() {}, trace() {}, fatal() {} } as unknown as LoggerInstance;
const noTools = { call: async () => { throw new Error("no tools in this test"); } } as unknown as ServiceBroker;

class Clock {
	constructor(public t = 1_767_261_600_000) {}
	now = () => this.t;
}

let seq = 0;
/** A chat message published at `clock` time (the envelope's `time` is the coalescing clock). */
function chat(text: string, clock: Clock) {
	const messageId = `wamid.RUNTIME${++seq}`;
	const data: ChatMessageNewV1 = { conversationId: ID, brand: "fashion", waId: WA, messageId, phoneNumberId: "100000000000001", kind: "text", text, receivedAt: clock.t };
	return createEvent(EventTypes.ChatMessageNew, data, { source: "/test", id: `chat:${messageId}`, time: new Date(clock.t) });
}

function host(store: MemoryStore, clock: Clock, opts: Partial<HostOptions> = {}) {
	const published: { type: EventType; data: unknown }[] = [];
	const h = new ConversationHost({
		brand: "fashion",
		broker: noTools,
		store,
		logger: quiet,
		model: createOfflineBrain(),
		lockTtlMs: 5000,
		lockWaitMs: 5000,
		now: clock.now,
		publish: async (type, data) => void published.push({ type, data }),
		...opts
	});
	return { h, published, sends: () => published.filter(p => p.type === EventTypes.WhatsappMessageSend).map(p => p.data as WhatsappMessageSendV1) };
}

const record = async (store: MemoryStore, id = ID) => (await readConversationRecord(store, id))!.value;

describe("ai-seller host: coalescing window", () => {
	it("messages arriving within the window are answered as one turn", async () => {
		const store = new MemoryStore();
		const clock = new Clock();
		const nodeB = host(store, clock);
		let second: Promise<{ turn: unknown }> | null = null;
		const waits: number[] = [];
		const nodeA = host(store, clock, {
			coalesceMs: 1500,
			delay: async ms => {
				waits.push(ms);
				// While node A waits, the customer's second message reaches node B.
				if (!second) {
					second = nodeB.h.onChatMessage(chat("do you have jackets?", clock));
					await waitFor(async () => (await store.length(inboxKey(ID))) === 2);
				}
				clock.t += ms;
			}
		});
		const first = await nodeA.h.onChatMessage(chat("hi", clock));
		const late = await (second as unknown as Promise<{ turn: unknown }>);
		assert.deepEqual(waits, [1500], "one wait of the whole window");
		assert.equal(first.turn?.result.turn, 1);
		assert.equal(late.turn, null, "the second handler found its message answered");
		assert.deepEqual([...nodeA.sends(), ...nodeB.sends()].map(s => s.idempotencyKey), [`${ID}:1:0`], "one reply");
		const ctx = (await record(store)).snapshot.context;
		assert.equal(ctx.turn, 1);
		assert.equal(ctx.handled.length, 2);
		assert.equal(await store.length(inboxKey(ID)), 0, "the inbox is drained");
	});

	it("a message older than the window (a backlog, a redelivery) is answered without waiting", async () => {
		const store = new MemoryStore();
		const clock = new Clock();
		const waits: number[] = [];
		const node = host(store, clock, { coalesceMs: 1500, delay: async ms => void waits.push(ms) });
		const old = chat("hi", clock);
		clock.t += 5000;
		await node.h.onChatMessage(old);
		assert.deepEqual(waits, []);
		assert.equal(node.sends().length, 1);
	});

	it("a flood cannot starve the reply: the wait is bounded by COALESCE_MAX_FACTOR windows", async () => {
		const store = new MemoryStore();
		const clock = new Clock();
		const nodeB = host(store, clock);
		const later: Promise<unknown>[] = [];
		const nodeA = host(store, clock, {
			coalesceMs: 1000,
			delay: async ms => {
				clock.t += ms;
				// A new message lands at the end of every wait.
				const n = await store.length(inboxKey(ID));
				later.push(nodeB.h.onChatMessage(chat(`and another ${later.length}`, clock)));
				await waitFor(async () => (await store.length(inboxKey(ID))) === n + 1);
			}
		});
		const first = await nodeA.h.onChatMessage(chat("hi", clock));
		assert.equal(later.length, COALESCE_MAX_FACTOR, "it stopped waiting after the bound");
		assert.equal(first.turn?.result.turn, 1);
		assert.equal(first.turn?.result.turn, (await record(store)).snapshot.context.turn);
		await Promise.all(later);
		const ctx = (await record(store)).snapshot.context;
		assert.equal(ctx.handled.length, 1 + COALESCE_MAX_FACTOR, "every message of the flood so far answered in that one turn");
		assert.equal(ctx.turn, 1);
		assert.equal([...nodeA.sends(), ...nodeB.sends()].length, 1);
	});

	it("a writer that dies while waiting loses nothing: the next one answers the whole burst once", async () => {
		const store = new MemoryStore();
		const clock = new Clock();
		let wake!: () => void;
		const frozen = new Promise<void>(r => (wake = r));
		const dying = host(store, clock, { coalesceMs: 1500, lockTtlMs: 40, delay: () => frozen });
		const survivor = host(store, clock);
		const e1 = chat("hi", clock);
		const e2 = chat("any sneakers?", clock);
		const stuck = dying.h.onChatMessage(e1);
		await waitFor(async () => (await store.length(inboxKey(ID))) === 1);
		// The dying node's lock expires; the survivor gets the second message, then e1's redelivery.
		await survivor.h.onChatMessage(e2);
		const again = await survivor.h.onChatMessage(e1);
		assert.equal(again.turn, null, "the redelivery is a no-op");
		assert.deepEqual(survivor.sends().map(s => s.idempotencyKey), [`${ID}:1:0`]);
		assert.deepEqual((await record(store)).snapshot.context.handled, [e1.data.messageId, e2.data.messageId]);
		wake();
		await assert.rejects(stuck, StaleWriterError);
		assert.equal(dying.published.length, 0, "the writer that lost its lock sent nothing");
	});
});

describe("ai-seller host: stopping", () => {
	it("a node that stops while a turn waits out its coalescing window answers it at once and lets its lock go", async () => {
		const store = new MemoryStore();
		const clock = new Clock();
		// The window's timer never fires by itself: only the stop can end the wait.
		let waiting = false;
		const node = host(store, clock, { coalesceMs: 1500, delay: () => ((waiting = true), new Promise<void>(() => undefined)) });
		const turn = node.h.onChatMessage(chat("hi, any linen dresses?", clock));
		await waitFor(() => waiting, { message: "the turn waits in its window" });
		assert.equal(await node.h.drain(2000), 0, "nothing left running");
		assert.equal((await turn).turn?.result.turn, 1);
		assert.equal(node.sends().length, 1, "the customer is answered before the node goes");
		assert.ok(await store.lock(lockKey(ID), 1000), "the lock is released, not left to expire");
	});

	it("a lock the store could not release (a blip) is released again shortly, not left to expire", async () => {
		const store = new MemoryStore();
		const clock = new Clock();
		const lock = store.lock.bind(store);
		let failed = 0;
		// The first release meets the store down.
		store.lock = (async (...args: Parameters<MemoryStore["lock"]>) => {
			const held = await lock(...args);
			if (!held) return held;
			const release = held.release.bind(held);
			return Object.assign(held, { release: async () => (failed++ === 0 ? Promise.reject(new Error("Connection is closed.")) : release()) });
		}) as MemoryStore["lock"];
		const node = host(store, clock, { lockTtlMs: 60_000, delay: async () => undefined });
		await node.h.onChatMessage(chat("hi", clock));
		await waitFor(() => failed >= 2, { message: "released again" });
		store.lock = lock;
		assert.ok(await store.lock(lockKey(ID), 1000), "free for the customer's next message");
	});

	it("a stopping node's later messages are answered without waiting", async () => {
		const store = new MemoryStore();
		const clock = new Clock();
		const waits: number[] = [];
		const node = host(store, clock, { coalesceMs: 1500, delay: async ms => void waits.push(ms) });
		await node.h.drain(10);
		await node.h.onChatMessage(chat("hi", clock));
		assert.deepEqual(waits, []);
		assert.equal(node.sends().length, 1);
	});
});

describe("ai-seller host: the store's services down for a moment", () => {
	/** A broker whose services time out `down` times, then answer an empty catalog. */
	const flaky = (down: number) => {
		const calls: string[] = [];
		const broker = {
			call: async (action: string) => {
				calls.push(action);
				if (calls.length <= down) throw Object.assign(new Error(`Request '${action}' is timed out.`), { name: "RequestTimeoutError", retryable: true });
				return { items: [] };
			}
		} as unknown as ServiceBroker;
		return { broker, calls };
	};

	it("runs the turn again after a short wait instead of handing the customer to a person", async () => {
		const store = new MemoryStore();
		const clock = new Clock();
		const waits: number[] = [];
		const { broker, calls } = flaky(2);
		const node = host(store, clock, { broker, delay: async ms => void waits.push(ms) });
		const step = await node.h.onChatMessage(chat("any linen dresses?", clock));
		assert.deepEqual(waits, UNAVAILABLE_BACKOFF_MS.slice(0, 2));
		assert.ok(calls.length >= 3);
		assert.equal(step.turn?.result.escalation, null, "no person called for an outage");
		assert.equal(step.state, "browsing");
		assert.equal(node.sends().length, 1, "one answer");
		assert.doesNotMatch(node.sends()[0]!.text ?? "", /team|person|couldn't do that/i);
	});

	it("an outage longer than the waits hands the customer to a person, as any failed turn does", async () => {
		const store = new MemoryStore();
		const clock = new Clock();
		const waits: number[] = [];
		const node = host(store, clock, { broker: flaky(1000).broker, delay: async ms => void waits.push(ms) });
		const step = await node.h.onChatMessage(chat("any linen dresses?", clock));
		assert.deepEqual(waits, [...UNAVAILABLE_BACKOFF_MS]);
		assert.equal(step.state, "escalated");
	});
});

describe("ai-seller host: durable idle deadlines", () => {
	const HOUR = 60 * 60 * 1000;

	it("a conversation idle past its timeout closes, fired by a sweeper on another node after a restart", async () => {
		const store = new MemoryStore();
		const clock = new Clock();
		const nodeA = host(store, clock, { idleTimeoutMs: HOUR });
		const start = clock.t;
		await nodeA.h.onChatMessage(chat("hi", clock));
		assert.equal((await record(store)).snapshot.context.deadlines.idleAt, start + HOUR);

		clock.t = start + HOUR / 2;
		await nodeA.h.onChatMessage(chat("still here", clock));
		const idleAt = (await record(store)).snapshot.context.deadlines.idleAt!;
		assert.equal(idleAt, start + HOUR + HOUR / 2, "a new message moves the deadline");

		// The first deadline passes: its index entry is stale now, and nothing fires.
		clock.t = start + HOUR + 1;
		assert.deepEqual(await nodeA.h.sweepIdle(), { swept: true, fired: 0 });
		assert.equal((await record(store)).snapshot.value, "browsing");

		// No node runs while the real deadline passes; a node started later fires it.
		clock.t = idleAt + 5 * HOUR;
		const nodeB = host(store, clock, { idleTimeoutMs: HOUR });
		assert.deepEqual(await nodeB.h.sweepIdle(), { swept: true, fired: 1 });
		const closed = await record(store);
		assert.equal(closed.snapshot.value, "closed");
		assert.equal(closed.snapshot.context.deadlines.idleAt, null);
		assert.deepEqual(await nodeB.h.sweepIdle(), { swept: true, fired: 0 }, "fired once");
		assert.equal([...nodeA.sends(), ...nodeB.sends()].length, 2, "closing by idleness sends nothing");
	});

	it("one sweeper at a time; an early IDLE_TIMEOUT is ignored by the machine", async () => {
		const store = new MemoryStore();
		const clock = new Clock();
		const node = host(store, clock, { idleTimeoutMs: HOUR });
		await node.h.onChatMessage(chat("hi", clock));
		const early = await node.h.send(ID, { type: "IDLE_TIMEOUT", at: clock.t + 1 });
		assert.equal(early.state, "browsing");

		clock.t += 2 * HOUR;
		const held = (await store.lock(sweepLockKey("fashion"), 5000))!;
		assert.deepEqual(await node.h.sweepIdle(), { swept: false, fired: 0 }, "another node is sweeping");
		await held.release();
		assert.deepEqual(await node.h.sweepIdle(), { swept: true, fired: 1 });
		assert.equal((await record(store)).snapshot.value, "closed");
	});

	it("a busy conversation is tried again in a later sweep", async () => {
		const store = new MemoryStore();
		const clock = new Clock();
		const node = host(store, clock, { idleTimeoutMs: HOUR });
		await node.h.onChatMessage(chat("hi", clock));
		clock.t += 2 * HOUR;
		const busy = (await store.lock(`conv:lock:${ID}`, 60_000))!;
		assert.deepEqual(await node.h.sweepIdle(), { swept: true, fired: 0 });
		await busy.release();
		clock.t += 1000;
		assert.deepEqual(await node.h.sweepIdle(), { swept: true, fired: 1 });
	});
});

describe("ai-seller host: the model's history", () => {
	it("a turn carries the transcript's tail as prior user and assistant messages, without this turn's own", async () => {
		const store = new MemoryStore();
		const clock = new Clock();
		const offline = createOfflineBrain();
		const requests: ModelRequest[] = [];
		const recording: Model = { name: offline.name, complete: (req, o) => (requests.push(req), offline.complete(req, o)) };
		const node = host(store, clock, { model: recording });
		await node.h.onChatMessage(chat("hi", clock));
		assert.deepEqual(requests[0]!.messages.filter(m => m.role !== "system").map(m => m.role), ["user"], "nothing before the first turn");
		const firstReply = node.sends()[0]!.text!;
		clock.t += 1000;
		await node.h.onChatMessage(chat("thanks!", clock));
		const second = requests.at(-1)!.messages.filter(m => m.role !== "system");
		assert.deepEqual(second, [
			{ role: "user", content: "hi" },
			{ role: "assistant", content: firstReply },
			{ role: "user", content: "thanks!" }
		]);
	});
});
