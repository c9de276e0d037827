/**
 * Two nodes of `ai-seller-fashion`, each its own OS process (`scripts/start.ts` with SERVICES), over
 * real NATS JetStream and Redis; the gateway (api + whatsapp, sandbox) runs in this process. The
 * node that takes the customer's message is SIGKILLed in the middle of its model call, and the
 * other node must answer that message, once, and carry the conversation on.
 *
 * "Mid-turn" is made deterministic with one OpenAI stub per node: each stub holds its first request
 * open, so the stub that receives a request names the node running the turn (it also holds the
 * conversation lock), and that node is killed while the request is still open. A short lock TTL
 * (AI_LOCK_TTL_MS) and JetStream ack wait (CHANNEL_ACK_WAIT_MS) let the survivor take over in
 * seconds instead of a minute.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import os from "node:os";
import path from "node:path";
import type { ServiceBroker } from "moleculer";
import { EventTypes } from "../../contracts/events";
import { infra } from "../helpers/infra";
import { testNamespace } from "../helpers/broker";
import { startGateway } from "../helpers/whatsapp";
import { startOpenAIStub, type OpenAIStub } from "../helpers/openai-stub";
import { waitFor } from "../helpers/wait";
import { customer, outbox } from "../helpers/ai-seller";
import { lockKey, readConversationRecord } from "../../services/ai-seller/host";

const root = path.join(__dirname, "..", "..");
const LOCK_TTL_MS = 1500;
const ACK_WAIT_MS = 2000;

interface SellerNode {
	name: string;
	child: ChildProcess;
	nodeID: string;
	stub: OpenAIStub;
	output: () => string;
	exited: Promise<NodeJS.Signals | number | null>;
}

function startSeller(name: string, env: Record<string, string>, stub: OpenAIStub): SellerNode {
	const child = spawn(process.execPath, ["--import", "tsx", "scripts/start.ts"], {
		cwd: root,
		env: {
			...process.env,
			...env,
			SERVICES: "ai-seller-fashion",
			OPENAI_API_KEY: "sk-test",
			OPENAI_BASE_URL: stub.baseURL,
			AI_LOCK_TTL_MS: String(LOCK_TTL_MS),
			CHANNEL_ACK_WAIT_MS: String(ACK_WAIT_MS),
			AI_COALESCE_MS: "0",
			CHANNEL_BACKOFF_MS: "50",
			LOG_LEVEL: "warn"
		},
		stdio: ["ignore", "pipe", "pipe"]
	});
	let out = "";
	child.stdout!.on("data", d => (out += d));
	child.stderr!.on("data", d => (out += d));
	const exited = new Promise<NodeJS.Signals | number | null>(resolve => child.on("exit", (code, signal) => resolve(signal ?? code)));
	// The node id scripts/start.ts gives itself (moleculer.config: `<hostname>-<pid>`).
	return { name, child, nodeID: `${os.hostname()}-${child.pid}`, stub, output: () => out, exited };
}

describe("ai-seller: two nodes in separate processes, one SIGKILLed mid-turn", function () {
	this.timeout(90_000);
	let broker: ServiceBroker;
	let url: string;
	const nodes: SellerNode[] = [];

	after(async () => {
		for (const n of nodes) if (n.child.exitCode === null && n.child.signalCode === null) n.child.kill("SIGKILL");
		await Promise.all(nodes.map(n => n.exited));
		await broker?.stop();
		await Promise.all(nodes.map(n => n.stub.close()));
	});

	it("the other node answers the message once, after the lock expires, and the conversation continues there", async () => {
		const { natsUrl, redisUrl } = await infra();
		const env = { TRANSPORTER: natsUrl, REDIS_URL: redisUrl, NAMESPACE: testNamespace() };
		// The gateway's consumers first, so the streams the sellers publish to exist.
		const g = await startGateway({
			env,
			nodeID: "gateway",
			services: [
				{
					name: "seller-output-probe",
					channels: Object.fromEntries(
						[EventTypes.ChatResponse, EventTypes.SalesEscalate, EventTypes.ChatMessageForwarded].map(t => [t, { group: "seller-output-probe", handler: async () => undefined }])
					)
				}
			]
		});
		broker = g.broker;
		url = g.url;
		for (const name of ["a", "b"]) nodes.push(startSeller(name, env, await startOpenAIStub(["hang"])));
		await waitFor(
			() => {
				const running = broker.registry.getServiceList({ onlyAvailable: true }).filter(s => s.name === "ai-seller-fashion").map(s => s.nodeID);
				return nodes.every(n => running.includes(n.nodeID));
			},
			{ timeoutMs: 40_000, intervalMs: 100, message: `seller nodes never joined:\n${nodes.map(n => n.output()).join("\n")}` }
		);

		const c = customer("15550303030");
		const id = `fashion:${c.waId}`;
		const first = c.text("hello, do you ship to Madrid?");
		await c.post(url, first);

		// Whichever node took the message is now waiting on its model: that one dies.
		await waitFor(() => nodes.some(n => n.stub.requests.length > 0), { timeoutMs: 15_000, intervalMs: 10, message: "no node called its model" });
		const victim = nodes.find(n => n.stub.requests.length > 0)!;
		const survivor = nodes.find(n => n !== victim)!;
		assert.equal(survivor.stub.requests.length, 0, "one node runs the turn");
		assert.equal(await broker.store.lock(lockKey(id), 10), null, "the victim holds the conversation lock while its model call is open");
		survivor.stub.script.splice(0, survivor.stub.script.length, { content: "Yes, we ship to Madrid!" }, { content: "It takes 3 days." });
		victim.child.kill("SIGKILL");
		assert.equal(await victim.exited, "SIGKILL");
		assert.deepEqual(await outbox(url, c.waId), [], "the victim sent nothing");

		// JetStream redelivers the unacked message to the survivor, which waits out the dead node's lock.
		await waitFor(async () => (await outbox(url, c.waId)).length >= 1, { timeoutMs: 20_000, message: "the survivor never answered" });
		assert.equal(survivor.stub.requests.length, 1, "the survivor ran the turn once");
		const afterFirst = (await readConversationRecord(broker.store, id))!.value;
		assert.deepEqual(afterFirst.snapshot.context.handled, [first.id]);
		assert.equal(afterFirst.snapshot.context.turn, 1);

		const second = c.text("how long does it take?");
		await c.post(url, second);
		await waitFor(async () => (await outbox(url, c.waId)).length >= 2, { timeoutMs: 15_000 });
		const box = await outbox(url, c.waId);
		assert.deepEqual(box.map(e => e.idempotencyKey), [`${id}:1:0`, `${id}:2:0`], "exactly one reply per turn");
		assert.deepEqual(box.map(e => (e.message as { text?: { body?: string } }).text?.body), ["Yes, we ship to Madrid!", "It takes 3 days."]);
		assert.equal(survivor.stub.requests.length, 2, "the conversation continued on the survivor");
		assert.equal(victim.stub.requests.length, 1);
		const last = (await readConversationRecord(broker.store, id))!.value;
		assert.deepEqual(last.snapshot.context.handled, [first.id, second.id]);
		assert.equal(last.snapshot.value, "browsing");
		// The survivor saw the first message again by redelivery: it was answered with the second turn's context intact.
		assert.match(JSON.stringify(survivor.stub.requests[1]!.messages), /do you ship to Madrid/, "the second turn carries the first exchange as history");
	});
});
