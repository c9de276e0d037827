/**
 * Per-customer order of outbound messages when two commands for one customer are worked on at
 * once (two gateway nodes, or publishers racing): the publisher's number decides, not who picks
 * the command up first.
 */
import assert from "node:assert/strict";
import type { LoggerInstance, ServiceBroker } from "moleculer";
import { MemoryStore } from "../../adapters/store";
import { nextSendSeq } from "../../adapters/send-order";
import { loadConfig } from "../../config";
import { createEvent, EventTypes, sendLaneKey, type WhatsappMessageSendV1 } from "../../contracts/events";
import { WhatsappGateway } from "../../gateway/whatsapp/gateway";
import { CUSTOMER, CUSTOMER2 } from "../fixtures/whatsapp";
import { FakeGraph, type GraphRequest } from "../helpers/fake-graph";
import { infra } from "../helpers/infra";
import { testNamespace } from "../helpers/broker";
import { startGateway } from "../helpers/whatsapp";
import { waitFor } from "../helpers/wait";

const TOKEN = "EAAtest-order-token";
let n = 0;
const nameOf = (r: GraphRequest) => (r.body?.template as { name: string }).name;
const template = (name: string, to = CUSTOMER, over: Partial<WhatsappMessageSendV1> = {}): WhatsappMessageSendV1 => ({
	brand: "fashion",
	to,
	kind: "template",
	idempotencyKey: `order:${process.pid}:${++n}`,
	template: { name, language: "en_US" },
	...over
});

describe("WhatsApp outbound: a customer's numbered messages leave in their order", () => {
	let graph: FakeGraph;
	let store: MemoryStore;
	const warnings: string[] = [];
	const gateway = (env: Record<string, string> = {}) =>
		new WhatsappGateway({
			config: loadConfig({ WHATSAPP_ACCESS_TOKEN: TOKEN, WHATSAPP_APP_SECRET: "test-app-secret-1", WHATSAPP_VERIFY_TOKEN: "test-verify-token-1", WHATSAPP_API_URL: graph.apiUrl, CHANNEL_BACKOFF_MS: "10", ...env }),
			store,
			publish: async (type, data, opts) => createEvent(type, data, { ...opts, source: "/test" }),
			logger: { info() {}, debug() {}, error() {}, trace() {}, fatal() {}, warn: (m: string) => warnings.push(m) } as unknown as LoggerInstance,
			nodeID: "order-test"
		});
	const sentSince = (before: number) => graph.sends().slice(before).map(nameOf);

	before(async () => {
		graph = await new FakeGraph(TOKEN).start();
	});
	after(() => graph.stop());
	beforeEach(() => {
		store = new MemoryStore();
		warnings.length = 0;
	});
	afterEach(() => store.close());

	it("holds message 2 until message 1 has left, whichever was picked up first", async () => {
		const gw = gateway();
		const [one, two] = [await nextSendSeq(store, "fashion", CUSTOMER), await nextSendSeq(store, "fashion", CUSTOMER)];
		const before = graph.sends().length;
		const second = gw.send(template("second", CUSTOMER, { seq: two }));
		// Another customer's messages are not held by this one's lane.
		await gw.send(template("other_customer", CUSTOMER2, { seq: await nextSendSeq(store, "fashion", CUSTOMER2) }));
		assert.deepEqual(sentSince(before), ["other_customer"], "message 2 waits");
		await gw.send(template("first", CUSTOMER, { seq: one }));
		await second;
		assert.deepEqual(sentSince(before), ["other_customer", "first", "second"]);
		assert.equal(await store.laneDoneOf(sendLaneKey("fashion", CUSTOMER)), 2);
		assert.deepEqual(warnings, []);
	});

	it("sends anyway, with a warning, when the message before never comes", async () => {
		const gw = gateway({ WHATSAPP_ORDER_WAIT_MS: "150" });
		const lost = await nextSendSeq(store, "fashion", CUSTOMER);
		const next = await nextSendSeq(store, "fashion", CUSTOMER);
		const before = graph.sends().length;
		await gw.send(template("after_a_lost_one", CUSTOMER, { seq: next }));
		assert.deepEqual(sentSince(before), ["after_a_lost_one"]);
		assert.equal(warnings.length, 1);
		assert.match(warnings[0]!, new RegExp(`Message ${next} .* waited \\d+ ms for message ${lost} and goes now, out of order`));
		// A late predecessor does not lower the lane; it is still sent (it is another message).
		await gw.send(template("late", CUSTOMER, { seq: lost }));
		assert.equal(await store.laneDoneOf(sendLaneKey("fashion", CUSTOMER)), next);
	});

	it("a refused message lets the next one go at once; one the channel will retry keeps it waiting", async () => {
		const gw = gateway({ WHATSAPP_ORDER_WAIT_MS: "150" });
		const lane = sendLaneKey("fashion", CUSTOMER);
		graph.queue.push({ code: 131026, http: 400, details: "undeliverable" });
		const refused = await nextSendSeq(store, "fashion", CUSTOMER);
		await assert.rejects(gw.send(template("undeliverable", CUSTOMER, { seq: refused })), /refused/);
		assert.equal(await store.laneDoneOf(lane), refused, "dead-lettered counts as done");

		graph.queue.push({ http: 503, raw: "busy" }, { http: 503, raw: "busy" }, { http: 503, raw: "busy" });
		const retried = await nextSendSeq(store, "fashion", CUSTOMER);
		await assert.rejects(gw.send(template("server_trouble", CUSTOMER, { seq: retried })), (err: { retryable?: boolean }) => err.retryable === true);
		assert.equal(await store.laneDoneOf(lane), refused, "a retry to come keeps its place");
		const next = await nextSendSeq(store, "fashion", CUSTOMER);
		await gw.send(template("behind_a_retry", CUSTOMER, { seq: next }));
		assert.equal(warnings.filter(w => /out of order/.test(w)).length, 1, `it waited for the retry, up to its bound: ${warnings.join(" | ")}`);
	});

	it("sends an unnumbered command (an operator's) at once", async () => {
		const gw = gateway({ WHATSAPP_ORDER_WAIT_MS: "60000" });
		await nextSendSeq(store, "fashion", CUSTOMER);
		await nextSendSeq(store, "fashion", CUSTOMER);
		const before = graph.sends().length;
		await gw.send(template("operator", CUSTOMER));
		assert.deepEqual(sentSince(before), ["operator"]);
	});
});

describe("WhatsApp outbound order across two gateway nodes (NATS + Redis)", function () {
	this.timeout(60_000);
	const brokers: ServiceBroker[] = [];
	let graph: FakeGraph;

	before(async () => {
		const { natsUrl, redisUrl } = await infra();
		graph = await new FakeGraph(TOKEN).start();
		const env = { TRANSPORTER: natsUrl, REDIS_URL: redisUrl, NAMESPACE: testNamespace(), WHATSAPP_ACCESS_TOKEN: TOKEN, WHATSAPP_API_URL: graph.apiUrl, WHATSAPP_RATE_PER_SECOND: "1000" };
		for (const nodeID of ["order-a", "order-b"]) brokers.push((await startGateway({ env, nodeID, withProbe: false })).broker);
	});
	after(async () => {
		for (const b of brokers.reverse()) await b.stop();
		await graph?.stop();
	});

	it("sends in number order what publishers put on the channel out of order, without waiting out a bound", async () => {
		const [a] = brokers;
		const seqs: number[] = [];
		// A waiting message holds one of the group's CHANNEL_MAX_IN_FLIGHT places: more messages than
		// that, all out of order, would wait out their bound instead.
		for (let i = 0; i < 4; i++) seqs.push(await nextSendSeq(a!.store, "fashion", CUSTOMER));
		const before = graph.sends().length;
		// Published newest first: whichever node picks up which, the numbers decide.
		for (const [i, seq] of [...seqs.entries()].reverse()) {
			const e = createEvent(EventTypes.WhatsappMessageSend, template(`m${i}`, CUSTOMER, { seq }), { source: "/test" });
			await a!.sendToChannel(EventTypes.WhatsappMessageSend, e);
		}
		await waitFor(() => graph.sends().length - before === seqs.length, { timeoutMs: 20_000, message: "all four sent" });
		assert.deepEqual(sentSince(graph, before), ["m0", "m1", "m2", "m3"]);
	});
});

function sentSince(graph: FakeGraph, before: number): string[] {
	return graph.sends().slice(before).map(nameOf);
}
