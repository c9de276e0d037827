import assert from "node:assert/strict";
import type { ServiceBroker } from "moleculer";
import type { WhatsappMessageSendV1 } from "../../contracts/events";
import type { OutboxEntry } from "../../gateway/whatsapp/outbox";
import { CUSTOMER, CUSTOMER2 } from "../fixtures/whatsapp";
import { testNamespace } from "../helpers/broker";
import { FakeGraph, type GraphRequest } from "../helpers/fake-graph";
import { infra } from "../helpers/infra";
import { startGateway } from "../helpers/whatsapp";

const TOKEN = "EAAtest-cluster-token";
const RATE = 10;
const PAIR_INTERVAL_MS = 250;
const PAIR_BURST = 2;
/**
 * Jitter between booking a slot and the request reaching the fake Graph API (a loaded machine).
 * Per-node pacing, the failure this guards against, would show up as twice the rate: gaps of
 * half the window, far beyond this.
 */
const JITTER_MS = 100;
let seq = 0;

const template = (name: string, to: string): WhatsappMessageSendV1 => ({
	brand: "fashion",
	to,
	kind: "template",
	idempotencyKey: `pace:${process.pid}:${++seq}`,
	template: { name, language: "en_US" }
});

const send = (broker: ServiceBroker, cmd: WhatsappMessageSendV1) => broker.call("whatsapp.send", cmd);
const nameOf = (r: GraphRequest) => (r.body?.template as { name: string }).name;

describe("WhatsApp pacing and the sandbox outbox across gateway nodes (NATS + Redis)", function () {
	this.timeout(60_000);
	const brokers: ServiceBroker[] = [];
	let graph: FakeGraph;
	let a: ServiceBroker;
	let b: ServiceBroker;

	before(async () => {
		const { natsUrl, redisUrl } = await infra();
		graph = await new FakeGraph(TOKEN).start();
		const env = {
			TRANSPORTER: natsUrl,
			REDIS_URL: redisUrl,
			NAMESPACE: testNamespace(),
			WHATSAPP_ACCESS_TOKEN: TOKEN,
			WHATSAPP_API_URL: graph.apiUrl,
			WHATSAPP_RATE_PER_SECOND: String(RATE),
			WHATSAPP_PAIR_INTERVAL_MS: String(PAIR_INTERVAL_MS),
			WHATSAPP_PAIR_BURST: String(PAIR_BURST)
		};
		a = (await startGateway({ env, nodeID: "pace-a", withProbe: false })).broker;
		b = (await startGateway({ env, nodeID: "pace-b", withProbe: false })).broker;
		brokers.push(a, b);
		// Connections to the Graph API opened before anything is timed.
		for (const broker of [a, b]) await send(broker, template("warm_up", CUSTOMER2));
	});
	after(async () => {
		for (const broker of brokers.reverse()) await broker.stop();
		await graph?.stop();
	});

	it("two nodes sending from one number never exceed the rate in any window", async () => {
		const before = graph.sends().length;
		const perNode = 15;
		// Distinct customers, so only the number's rate applies.
		await Promise.all(
			[a, b].flatMap((broker, n) => Array.from({ length: perNode }, (_, i) => send(broker, template("rate_check", `1555${n}00${String(1000 + i)}`))))
		);
		const times = graph
			.sends()
			.slice(before)
			.map(r => r.at)
			.sort((x, y) => x - y);
		assert.equal(times.length, 2 * perNode);
		// Any RATE + 1 consecutive sends span at least a second: no window shorter than that holds more than RATE.
		for (let i = 0; i + RATE < times.length; i++)
			assert.ok(times[i + RATE] - times[i] >= 1000 - JITTER_MS, `sends ${i}..${i + RATE} left within ${times[i + RATE] - times[i]} ms`);
		// Each node alone would have been allowed all its messages in 1.4 s; together they needed about 2.9 s.
		assert.ok(times[times.length - 1] - times[0] >= ((2 * perNode - 1) * 1000) / RATE - JITTER_MS);
	});

	it("applies the pair limit to a customer across nodes and keeps each node's order", async () => {
		const before = graph.sends().length;
		const perNode = 4;
		await Promise.all([a, b].flatMap((broker, n) => Array.from({ length: perNode }, (_, i) => send(broker, template(`pair_${n}_${i}`, CUSTOMER)))));
		const sends = graph
			.sends()
			.slice(before)
			.sort((x, y) => x.at - y.at);
		assert.equal(sends.length, 2 * perNode);
		// GCRA: any PAIR_BURST + 1 consecutive messages to one customer span at least one interval.
		for (let i = 0; i + PAIR_BURST < sends.length; i++)
			assert.ok(sends[i + PAIR_BURST].at - sends[i].at >= PAIR_INTERVAL_MS - JITTER_MS, `messages ${i}..${i + PAIR_BURST} left within ${sends[i + PAIR_BURST].at - sends[i].at} ms`);
		assert.ok(sends[sends.length - 1].at - sends[0].at >= (2 * perNode - PAIR_BURST) * PAIR_INTERVAL_MS - JITTER_MS);
		// Requests are recorded in arrival order: each node's messages arrived in the order they were sent.
		const arrived = graph.sends().slice(before).map(nameOf);
		for (const n of [0, 1])
			assert.deepEqual(
				arrived.filter(name => name.startsWith(`pair_${n}_`)),
				Array.from({ length: perNode }, (_, i) => `pair_${n}_${i}`)
			);
	});

	describe("in sandbox mode", () => {
		let urlA: string;
		let urlB: string;

		before(async () => {
			const { natsUrl, redisUrl } = await infra();
			const env = { TRANSPORTER: natsUrl, REDIS_URL: redisUrl, NAMESPACE: testNamespace() };
			const sa = await startGateway({ env, nodeID: "sandbox-a", withProbe: false });
			const sb = await startGateway({ env, nodeID: "sandbox-b", withProbe: false });
			brokers.push(sa.broker, sb.broker);
			({ url: urlA } = sa);
			({ url: urlB } = sb);
			for (const [i, broker] of [sa.broker, sb.broker].entries()) await send(broker, template(`outbox_${i}`, CUSTOMER2));
			await send(sa.broker, template("outbox_other", CUSTOMER));
		});

		it("shows every node's sends on either node, newest last, filtered by ?to=", async () => {
			for (const url of [urlA, urlB]) {
				const res = await fetch(`${url}/sandbox/outbox?to=${CUSTOMER2}`);
				assert.equal(res.status, 200);
				const entries = (await res.json()) as OutboxEntry[];
				assert.deepEqual(
					entries.map(e => (e.message.template as { name: string }).name),
					["outbox_0", "outbox_1"]
				);
				const all = (await (await fetch(`${url}/sandbox/outbox`)).json()) as OutboxEntry[];
				assert.deepEqual(
					all.map(e => (e.message.template as { name: string }).name),
					["outbox_0", "outbox_1", "outbox_other"]
				);
			}
		});
	});
});
