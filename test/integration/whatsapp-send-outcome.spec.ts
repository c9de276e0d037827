import assert from "node:assert/strict";
import type { LoggerInstance } from "moleculer";
import sinon from "sinon";
import { MemoryStore } from "../../adapters/store";
import { loadConfig } from "../../config";
import { createEvent, EventTypes, type CloudEvent, type WhatsappMessageRefusedV1, type WhatsappMessageSendV1 } from "../../contracts/events";
import { WhatsappErrorTypes } from "../../gateway/whatsapp/errors";
import { WhatsappGateway, type Publish } from "../../gateway/whatsapp/gateway";
import { GRAPH_TIMEOUT_MS } from "../../gateway/whatsapp/graph-client";
import { CUSTOMER } from "../fixtures/whatsapp";
import { FakeGraph } from "../helpers/fake-graph";

const TOKEN = "EAAtest-outcome-token";
let seq = 0;

/**
 * A send that crashed after Meta accepted it but before its `sent` mark was stored, then was
 * redelivered: the gateway must not send it blind a second time.
 */
describe("WhatsApp outbound: a redelivery after a crash in the middle of a send", () => {
	let graph: FakeGraph;
	let store: MemoryStore;
	let gateway: WhatsappGateway;
	let clock: number;
	let published: CloudEvent[];
	let crashOnSentMark: boolean;

	before(async () => {
		graph = await new FakeGraph(TOKEN).start();
	});
	after(() => graph.stop());

	beforeEach(() => {
		store = new MemoryStore();
		clock = Date.now();
		published = [];
		crashOnSentMark = false;
		// The process "dies" where it matters: Meta has answered, the result (which marks the part
		// sent) is being written.
		const batch = store.batch.bind(store);
		sinon.stub(store, "batch").callsFake(async ops => {
			if (crashOnSentMark && ops.some(op => op.op === "set" && op.key.startsWith("wa:out:"))) {
				crashOnSentMark = false;
				throw new Error("simulated crash before the sent mark was stored");
			}
			return batch(ops);
		});
		const publish: Publish = async (type, data, opts) => {
			const event = createEvent(type, data, { ...opts, source: "/test" });
			published.push(event as CloudEvent);
			return event;
		};
		const logger = { info() {}, warn() {}, error() {}, debug() {}, trace() {}, fatal() {} } as unknown as LoggerInstance;
		gateway = new WhatsappGateway({
			config: loadConfig({ WHATSAPP_ACCESS_TOKEN: TOKEN, WHATSAPP_APP_SECRET: "test-app-secret-1", WHATSAPP_VERIFY_TOKEN: "test-verify-token-1", WHATSAPP_API_URL: graph.apiUrl, CHANNEL_BACKOFF_MS: "10" }),
			store,
			publish,
			logger,
			nodeID: "node-under-test",
			now: () => clock
		});
	});
	afterEach(async () => {
		sinon.restore();
		await store.close();
	});

	const cmd = (over: Partial<WhatsappMessageSendV1> = {}): WhatsappMessageSendV1 =>
		({ brand: "fashion", to: CUSTOMER, kind: "template", idempotencyKey: `outcome:${process.pid}:${++seq}`, template: { name: "order_update", language: "en_US" }, ...over }) as WhatsappMessageSendV1;
	const sendsOf = (c: WhatsappMessageSendV1) =>
		graph.sends().filter(r => (c.kind === "template" ? (r.body?.template as { name?: string } | undefined)?.name === c.template!.name : r.body?.message_id === c.messageId));
	const refusals = () => published.filter(e => e.type === EventTypes.WhatsappMessageRefused).map(e => e.data as WhatsappMessageRefusedV1);

	async function crashMidSend(c: WhatsappMessageSendV1): Promise<number> {
		const before = sendsOf(c).length;
		crashOnSentMark = true;
		await assert.rejects(gateway.send(c), /simulated crash/);
		assert.equal(sendsOf(c).length, before + 1, "Meta accepted the message before the crash");
		// The dead attempt's claim expires (30 s); the part's `sending` mark stays.
		await store.del(`wa:out-claim:${c.idempotencyKey}`);
		return before + 1;
	}

	it("backs off while the earlier attempt could still be waiting for Meta's answer", async () => {
		const c = cmd({ template: { name: "young_claim", language: "en_US" } });
		const sent = await crashMidSend(c);
		clock += GRAPH_TIMEOUT_MS;
		await assert.rejects(gateway.send(c), (err: Error & { type?: string; retryable?: boolean }) => {
			assert.equal(err.type, WhatsappErrorTypes.InProgress);
			assert.equal(err.retryable, true);
			assert.match(err.message, /attempt \d+ on node-under-test/);
			return true;
		});
		assert.equal(sendsOf(c).length, sent, "nothing sent while the outcome may still arrive");
		assert.deepEqual(refusals(), []);
	});

	it("dead-letters a message the customer would see, with reason outcome_unknown, instead of sending it twice", async () => {
		const c = cmd({ template: { name: "old_claim", language: "en_US" }, conversationId: `fashion:${CUSTOMER}` });
		const sent = await crashMidSend(c);
		clock += GRAPH_TIMEOUT_MS + 6000;
		await assert.rejects(gateway.send(c), (err: Error & { type?: string; code?: number; retryable?: boolean }) => {
			assert.equal(err.type, WhatsappErrorTypes.OutcomeUnknown);
			assert.equal(err.code, 409, "a client error: the durable channel dead-letters it at once");
			assert.equal(err.retryable, false);
			return true;
		});
		assert.equal(sendsOf(c).length, sent, "not sent a second time");
		const [refusal] = refusals();
		assert.equal(refusal.reason, "outcome_unknown");
		assert.equal(refusal.idempotencyKey, c.idempotencyKey);
		assert.match(refusal.detail, /outcome was never recorded/);
		// Replaying the dead letter is the operator's decision to send it again: it is sent.
		const replay = await gateway.send(c);
		assert.equal(replay.status, "sent");
		assert.equal(sendsOf(c).length, sent + 1);
		assert.deepEqual((await gateway.send(c)).duplicate, true, "and then it is done");
	});

	it("sends a read receipt again: Meta treats repeats as no-ops", async () => {
		const c = cmd({ kind: "read", messageId: `wamid.READ${++seq}`, template: undefined });
		const sent = await crashMidSend(c);
		clock += GRAPH_TIMEOUT_MS + 6000;
		const res = await gateway.send(c);
		assert.equal(res.status, "sent");
		assert.equal(sendsOf(c).length, sent + 1);
		assert.deepEqual(refusals(), []);
	});

	it("sends again after a failure Meta answered: nothing is in doubt", async () => {
		const c = cmd({ template: { name: "answered_failure", language: "en_US" } });
		graph.queue.push({ http: 500 }, { http: 500 }, { http: 500 });
		await assert.rejects(gateway.send(c), (err: Error & { retryable?: boolean }) => err.retryable === true);
		const failedCalls = sendsOf(c).length;
		const res = await gateway.send(c);
		assert.equal(res.status, "sent");
		assert.equal(sendsOf(c).length, failedCalls + 1);
	});

	it("lets only one of two concurrent attempts send a part", async () => {
		const c = cmd({ template: { name: "two_attempts", language: "en_US" } });
		// The outer claim is gone (expired under a slow attempt); only the part's fenced mark stands between them.
		const batch = MemoryStore.prototype.batch.bind(store);
		(store.batch as sinon.SinonStub).callsFake(async ops => {
			const results = await batch(ops);
			return results.map((r, i) => (ops[i]!.key.startsWith("wa:out-claim:") ? { written: true, value: null } : r));
		});
		const results = await Promise.allSettled([gateway.send(c), gateway.send({ ...c })]);
		assert.equal(sendsOf(c).length, 1);
		assert.equal(results.filter(r => r.status === "fulfilled").length, 1);
		const loser = results.find((r): r is PromiseRejectedResult => r.status === "rejected")!;
		assert.equal((loser.reason as { type?: string }).type, WhatsappErrorTypes.InProgress);
		assert.match((loser.reason as Error).message, /Another attempt is sending/);
	});
});
