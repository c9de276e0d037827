import assert from "node:assert/strict";
import type { LoggerInstance, ServiceBroker } from "moleculer";
import { MemoryStore } from "../../adapters/store";
import { createEvent, EventTypes, validateEvent, type ChatMessageNewV1, type EventType, type WhatsappMessageSendV1 } from "../../contracts/events";
import { createOfflineBrain } from "../../agents/offline-brain";
import { handoffReply, type Model } from "../../agents/runner";
import { appendTranscript, readTranscript, transcriptKey } from "../../adapters/transcript";
import { handledId } from "../../contracts/conversation";
import { ConversationHost, conversationKey, type ConversationRecord, StaleWriterError, readConversationRecord } from "../../services/ai-seller/host";

const WA = "15550009999";
const quiet = { info() {}, warn() {}, debug() {}, error() {}, trace() {}, fatal() {} } as unknown as LoggerInstance;
// Greetings and small talk need no tool; a tool call here would fail the turn visibly.
const noTools = { call: async () => { throw new Error("no tools in this test"); } } as unknown as ServiceBroker;

let seq = 0;
function chat(text: string, at = Date.now()) {
	const messageId = `wamid.HOST${++seq}`;
	const data: ChatMessageNewV1 = { conversationId: `fashion:${WA}`, brand: "fashion", waId: WA, messageId, phoneNumberId: "100000000000001", kind: "text", text, receivedAt: at };
	return createEvent(EventTypes.ChatMessageNew, data, { source: "/test", id: `chat:${messageId}` });
}

function host(store: MemoryStore, opts: { model?: Model; lockTtlMs?: number; publish?: (type: EventType, data: unknown) => Promise<unknown> } = {}) {
	const published: { type: EventType; data: unknown; id?: string }[] = [];
	const failedTurns: [string, string][] = [];
	const h = new ConversationHost({
		onTurnFailed: (brand, model) => failedTurns.push([brand, model]),
		brand: "fashion",
		broker: noTools,
		store,
		logger: quiet,
		model: opts.model ?? createOfflineBrain(),
		lockTtlMs: opts.lockTtlMs ?? 5000,
		lockWaitMs: 5000,
		publish: async (type, data, o) => {
			if (opts.publish) await opts.publish(type, data);
			published.push({ type, data, ...(o?.id ? { id: o.id } : {}) });
		}
	});
	return { h, published, failedTurns, sends: () => published.filter(p => p.type === EventTypes.WhatsappMessageSend).map(p => p.data as WhatsappMessageSendV1) };
}

describe("ai-seller host: one writer per conversation", () => {
	it("asks the store to extend its lock only once a third of the lock's time is gone", async () => {
		const store = new MemoryStore();
		const lock = store.lock.bind(store);
		let extends_ = 0;
		store.lock = (async (key: string, ttlMs: number) => {
			const held = await lock(key, ttlMs);
			if (!held) return held;
			const extend = held.extend.bind(held);
			held.extend = async (ms: number) => {
				extends_++;
				return extend(ms);
			};
			return held;
		}) as typeof store.lock;
		await host(store, { lockTtlMs: 60_000 }).h.onChatMessage(chat("hi"));
		assert.equal(extends_, 0, "a quick turn holds a lock far from expiry");
		const offline = createOfflineBrain();
		const slow: Model = { name: offline.name, complete: async (req, o) => (await new Promise(r => setTimeout(r, 60)), offline.complete(req, o)) };
		const result = await host(store, { lockTtlMs: 150, model: slow }).h.onChatMessage(chat("hello again"));
		assert.ok(extends_ >= 1, "a turn past a third of the lock's time extends it before committing");
		assert.equal(result.turn?.result.turn, 2);
	});

	it("keeps the transcript small: a Meta-length message id as its digest, the AI's line by turn; a retried step's history still skips the turn's own message", async () => {
		const store = new MemoryStore();
		const seen: unknown[] = [];
		const offline = createOfflineBrain();
		const a = host(store, {
			model: {
				name: offline.name,
				complete(req, o) {
					seen.push(req.messages);
					return offline.complete(req, o);
				}
			}
		});
		const wamid = "wamid.HBgLMTU1NTAwMDk5OTkVAgASGBQzQUIwMDAwMDAwMDAwMDAwMDAwMDAwMQA=";
		await a.h.onChatMessage(chat("hi"));
		const short = `wamid.HOST${seq}`;
		// An earlier attempt at this step wrote the customer's line, then lost its race.
		await appendTranscript(store, `fashion:${WA}`, [{ id: handledId(wamid), from: "customer", text: "thanks", at: Date.now() }]);
		const second = chat("thanks");
		await a.h.onChatMessage({ ...second, data: { ...second.data, messageId: wamid } });
		const lines = await readTranscript(store, `fashion:${WA}`);
		assert.deepEqual(lines.map(l => l.id), [short, "ai:1", handledId(wamid), "ai:2"]);
		// The second turn's request holds the first exchange once as history and "thanks" once as input.
		const request = JSON.stringify(seen.at(-1));
		assert.equal(request.split('"hi"').length - 1, 1);
		assert.equal(request.split("thanks").length - 1, 1);
	});

	it("a writer whose lock expired mid-turn loses: its reply goes nowhere, the newer writer answers both messages", async () => {
		const store = new MemoryStore();
		const offline = createOfflineBrain();
		let open!: () => void;
		const gate = new Promise<void>(r => (open = r));
		let blocked = false;
		const slow: Model = {
			name: offline.name,
			async complete(req, o) {
				if (!blocked) {
					blocked = true;
					await gate;
				}
				return offline.complete(req, o);
			}
		};
		const a = host(store, { model: slow, lockTtlMs: 30 });
		const b = host(store);
		const first = a.h.onChatMessage(chat("hi", 1000));
		const second = await b.h.onChatMessage(chat("hello again", 2000));
		assert.equal(second.state, "browsing");
		open();
		await assert.rejects(first, StaleWriterError);

		assert.equal(a.published.length, 0, "the stale writer published nothing");
		assert.deepEqual(b.sends().map(s => s.idempotencyKey), [`fashion:${WA}:1:0`]);
		const stored = (await readConversationRecord(store, `fashion:${WA}`))!;
		assert.equal(stored.value.snapshot.context.turn, 1, "both messages answered in one turn");
		assert.equal(stored.value.snapshot.context.handled.length, 2);
	});

	it("publications left behind by a crash after the CAS go out once on the redelivery, with no new turn", async () => {
		const store = new MemoryStore();
		const crashing = host(store, { publish: async () => { throw new Error("transporter down"); } });
		const event = chat("hi");
		await assert.rejects(crashing.h.onChatMessage(event), /transporter down/);
		const left = (await readConversationRecord(store, `fashion:${WA}`))!;
		assert.equal(left.value.outbox.length, 2, "the reply and its chat response wait in the record");

		const next = host(store);
		await next.h.onChatMessage(event);
		assert.deepEqual(next.sends().map(s => s.idempotencyKey), [`fashion:${WA}:1:0`]);
		assert.deepEqual(next.published.map(p => p.id), [`send:fashion:${WA}:1:0`, `response:fashion:${WA}:1`], "deterministic event ids");
		const after = (await readConversationRecord(store, `fashion:${WA}`))!;
		assert.equal(after.value.snapshot.context.turn, 1);
		assert.deepEqual(after.value.outbox, []);
		const raw = (await store.getVersioned<Record<string, unknown> & { snapshot: { context: Record<string, unknown> } }>(conversationKey(`fashion:${WA}`)))!.value;
		assert.ok(!("outbox" in raw), "an empty outbox is not written");
		assert.ok(!("cart" in raw.snapshot.context) && !("orderId" in raw.snapshot.context), "nor are context fields at their default");
	});

	it("a turn that throws hands the customer to a person at once instead of failing the message", async () => {
		// The store fails the transcript read the turn needs (an outage), once; the runner never sees it.
		const store = new MemoryStore();
		const tail = store.tail.bind(store);
		let failed = 0;
		store.tail = (async (key: string, count: number) => {
			if (key === transcriptKey(`fashion:${WA}`) && failed++ === 0) throw new Error("Connection is closed.");
			return tail(key, count);
		}) as typeof store.tail;
		const a = host(store);
		const result = await a.h.onChatMessage(chat("hi"));
		assert.equal(failed, 1);
		assert.equal(result.state, "escalated", "handled, so the channel neither retries nor dead-letters it");
		assert.deepEqual(a.failedTurns, [["fashion", createOfflineBrain().name]], "counted as a failed turn in the metrics");
		const escalations = a.published.filter(p => p.type === EventTypes.SalesEscalate).map(p => p.data as { reason: string; detail?: string });
		assert.equal(escalations.length, 1);
		assert.equal(escalations[0]!.reason, "model_failure");
		assert.match(escalations[0]!.detail ?? "", /^turn failed: Connection is closed/);
		assert.deepEqual(a.sends().map(s => [s.idempotencyKey, s.text]), [[`fashion:${WA}:1:0`, handoffReply([]).text]], "told a person will join");

		// From now on the AI is silent: the next message goes to the human side.
		await a.h.onChatMessage(chat("hello?"));
		assert.equal(a.sends().length, 1);
		assert.ok(a.published.some(p => p.type === EventTypes.ChatMessageForwarded));
	});

	it("a turn failure whose commit fails too is retried by the channel, and then answered normally", async () => {
		const store = new MemoryStore();
		const tail = store.tail.bind(store);
		const cas = store.compareAndSet.bind(store);
		let down = true;
		store.tail = (async (key: string, count: number) => {
			if (down && key === transcriptKey(`fashion:${WA}`)) throw new Error("Connection is closed.");
			return tail(key, count);
		}) as typeof store.tail;
		store.compareAndSet = (async (...args: Parameters<typeof cas>) => {
			if (down) throw new Error("Connection is closed.");
			return cas(...args);
		}) as typeof store.compareAndSet;
		const a = host(store);
		const event = chat("hi");
		await assert.rejects(a.h.onChatMessage(event), /Connection is closed/);
		assert.equal(a.published.length, 0, "nothing escalated, nothing sent");
		down = false;
		const again = await a.h.onChatMessage(event);
		assert.equal(again.state, "browsing");
		assert.equal(a.sends().length, 1);
		assert.ok(!a.published.some(p => p.type === EventTypes.SalesEscalate));
	});

	it("a stored record written by a newer fencing token is never overwritten by an older holder", async () => {
		const store = new MemoryStore();
		const a = host(store);
		await a.h.onChatMessage(chat("hi"));
		const key = conversationKey(`fashion:${WA}`);
		const stored = (await store.getVersioned<ConversationRecord>(key))!;
		await store.compareAndSet(key, stored.version, { ...stored.value, fence: 1_000_000 });
		await assert.rejects(a.h.onChatMessage(chat("more")), StaleWriterError);
		assert.equal(a.sends().length, 1);
	});

	it("a close publishes store.chat.conversation.closed, naming the escalate it withdraws when a human was asked for", async () => {
		const store = new MemoryStore();
		const a = host(store);
		const id = `fashion:${WA}`;
		await a.h.onChatMessage(chat("hi"));
		await a.h.send(id, { type: "CLOSE", reason: "operator" });
		const plain = a.published.filter(p => p.type === EventTypes.ChatConversationClosed);
		assert.deepEqual(plain.map(p => p.data), [{ conversationId: id, brand: "fashion", waId: WA, reason: "operator" }], "nobody was asked for: nothing to withdraw");

		await a.h.onChatMessage(chat("back again"));
		await a.h.send(id, { type: "ESCALATE", reason: "other", detail: "operator" });
		const escalate = a.published.filter(p => p.type === EventTypes.SalesEscalate).at(-1)!;
		await a.h.send(id, { type: "CLOSE", reason: "operator" });
		const closes = a.published.filter(p => p.type === EventTypes.ChatConversationClosed);
		assert.equal(closes.length, 2);
		assert.deepEqual(closes[1]!.data, { conversationId: id, brand: "fashion", waId: WA, reason: "operator", escalateEventId: escalate.id });
		assert.notEqual(closes[1]!.id, closes[0]!.id, "each close is its own event");
		for (const c of closes) assert.deepEqual(validateEvent(createEvent(c.type, c.data as never, { source: "/test", id: c.id! })), []);
	});
});
