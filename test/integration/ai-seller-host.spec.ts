import assert from "node:assert/strict";
import type { LoggerInstance, ServiceBroker } from "moleculer";
import { MemoryStore } from "../../adapters/store";
import { createEvent, EventTypes, type ChatMessageNewV1, type EventType, type WhatsappMessageSendV1 } from "../../contracts/events";
import { createOfflineBrain } from "../../agents/offline-brain";
import type { Model } from "../../agents/runner";
import { ConversationHost, conversationKey, type ConversationRecord, StaleWriterError } from "../../services/ai-seller/host";

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
	const h = new ConversationHost({
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
	return { h, published, sends: () => published.filter(p => p.type === EventTypes.WhatsappMessageSend).map(p => p.data as WhatsappMessageSendV1) };
}

describe("ai-seller host: one writer per conversation", () => {
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
		const stored = (await store.getVersioned<ConversationRecord>(conversationKey(`fashion:${WA}`)))!;
		assert.equal(stored.value.snapshot.context.turn, 1, "both messages answered in one turn");
		assert.equal(stored.value.snapshot.context.handled.length, 2);
	});

	it("publications left behind by a crash after the CAS go out once on the redelivery, with no new turn", async () => {
		const store = new MemoryStore();
		const crashing = host(store, { publish: async () => { throw new Error("transporter down"); } });
		const event = chat("hi");
		await assert.rejects(crashing.h.onChatMessage(event), /transporter down/);
		const left = (await store.getVersioned<ConversationRecord>(conversationKey(`fashion:${WA}`)))!;
		assert.equal(left.value.outbox.length, 2, "the reply and its chat response wait in the record");

		const next = host(store);
		await next.h.onChatMessage(event);
		assert.deepEqual(next.sends().map(s => s.idempotencyKey), [`fashion:${WA}:1:0`]);
		assert.deepEqual(next.published.map(p => p.id), [`send:fashion:${WA}:1:0`, `response:fashion:${WA}:1`], "deterministic event ids");
		const after = (await store.getVersioned<ConversationRecord>(conversationKey(`fashion:${WA}`)))!;
		assert.equal(after.value.snapshot.context.turn, 1);
		assert.deepEqual(after.value.outbox, []);
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
});
