/**
 * `npm run bench:console`: the seller console under load, against a floor measured in the same run.
 *
 * 1. Fan-out: one frame to 500 connected seller sockets, delivery latency per socket (p50, p99,
 *    max; the goal: p99 ≤ 50 ms). The product path is a `console.push` broadcast through
 *    the broker, the console's brand targeting and `ws`; the floor is a bare `ws` server sending
 *    the same bytes to 500 sockets.
 * 2. A real escalation (a customer's signed webhook asking for a person) until every one of the
 *    500 sockets has its `escalation.new`.
 * 3. Relay: customer → console (webhook until the seller's socket has the `conversation.message`)
 *    and console → customer (the seller's `message` frame until the sandbox outbox has it), p50/p99.
 *
 * The product runs in this process (the embedded default: in-memory store and channels); the 500
 * clients run in a worker thread (their own event loop, same machine), which time-stamps arrivals
 * on the shared clock (`performance.timeOrigin + now()`). Compare with the floor of the same run.
 * Figures are printed, never asserted.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Worker } from "node:worker_threads";
import type { ServiceBroker } from "moleculer";
import WebSocket, { WebSocketServer } from "ws";
import ApiService from "../gateway/api.service";
import ConsoleService from "../gateway/console.service";
import WhatsappService from "../gateway/whatsapp.service";
import CatalogService from "../services/catalog.service";
import OrdersService from "../services/orders.service";
import SalesAssistantService from "../services/sales-assistant.service";
import AiSellerFashion from "../services/ai-seller-fashion.service";
import { CONSOLE_PUSH_EVENT, type ConsolePush } from "../contracts/console";
import type { EscalationView } from "../contracts/sales-assistant";
import { OUTBOX_KEY, type OutboxEntry } from "../gateway/whatsapp/outbox";
import { startBroker } from "../test/helpers/broker";
import { customer } from "../test/helpers/ai-seller";
import { APP_SECRET, baseUrl } from "../test/helpers/whatsapp";
import { connectSeller } from "../test/helpers/console-client";
import { BUSINESS } from "../test/fixtures/whatsapp";

const SOCKETS = 500;
const FANOUT_ROUNDS = 40;
const ESCALATIONS = 5;
const RELAY_MESSAGES = 100;

interface Stats {
	n: number;
	p50: number;
	p99: number;
	max: number;
}
function stats(samples: number[]): Stats {
	const s = [...samples].sort((a, b) => a - b);
	const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))] ?? NaN;
	return { n: s.length, p50: q(0.5), p99: q(0.99), max: s.at(-1) ?? NaN };
}
const fmt = (s: Stats) => `n=${String(s.n).padStart(6)}  p50 ${s.p50.toFixed(2).padStart(7)} ms  p99 ${s.p99.toFixed(2).padStart(7)} ms  max ${s.max.toFixed(2).padStart(7)} ms`;

/** Milliseconds on a clock both threads share. */
const clock = () => performance.timeOrigin + performance.now();

/** Resolves when `check` holds, looking again on every turn of the event loop (no fixed sleep). */
function until<T>(check: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
	const deadline = performance.now() + timeoutMs;
	return new Promise((resolve, reject) => {
		const tick = async () => {
			const v = await check();
			if (v) return resolve(v);
			if (performance.now() > deadline) return reject(new Error("bench: timed out waiting"));
			setImmediate(tick);
		};
		void tick();
	});
}

/**
 * The 500 seller sockets, in a worker thread: it connects them (waiting for each `welcome`), then
 * time-stamps every `escalation.new` by escalation id and by conversation id, and answers
 * `collect` with the arrival times once `count` sockets have one for that key.
 */
const POOL_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { performance } = require("node:perf_hooks");
const WebSocket = require("ws");
const clock = () => performance.timeOrigin + performance.now();
const arrivals = new Map();
const waiting = new Map();
const sockets = [];
const add = (key, at) => {
	let list = arrivals.get(key);
	if (!list) arrivals.set(key, (list = []));
	list.push(at);
	const w = waiting.get(key);
	if (w && list.length >= w) { waiting.delete(key); parentPort.postMessage({ key, arrivals: list }); }
};
parentPort.on("message", async msg => {
	if (msg.cmd === "connect") {
		for (let i = 0; i < msg.tokens.length; i += 50) {
			await Promise.all(msg.tokens.slice(i, i + 50).map(token => new Promise((resolve, reject) => {
				const ws = new WebSocket(msg.url + "/ws/seller?token=" + encodeURIComponent(token));
				sockets.push(ws);
				ws.on("error", reject);
				ws.on("message", data => {
					const at = clock();
					const f = JSON.parse(String(data));
					if (f.type === "welcome") return resolve();
					if (f.type !== "escalation.new") return;
					add(f.escalation.id, at);
					add(f.escalation.conversationId, at);
				});
			})));
		}
		parentPort.postMessage({ key: "connected" });
	} else if (msg.cmd === "collect") {
		const list = arrivals.get(msg.key) || [];
		if (list.length >= msg.count) parentPort.postMessage({ key: msg.key, arrivals: list });
		else waiting.set(msg.key, msg.count);
	} else if (msg.cmd === "close") {
		sockets.forEach(ws => ws.terminate());
		parentPort.postMessage({ key: "closed" });
	}
});
`;

class SocketPool {
	private readonly worker = new Worker(POOL_SOURCE, { eval: true });
	private readonly pending = new Map<string, (arrivals: number[]) => void>();
	constructor() {
		this.worker.on("message", (m: { key: string; arrivals?: number[] }) => {
			const done = this.pending.get(m.key);
			this.pending.delete(m.key);
			done?.(m.arrivals ?? []);
		});
	}
	private ask(key: string, msg: Record<string, unknown>): Promise<number[]> {
		return new Promise(resolve => {
			this.pending.set(key, resolve);
			this.worker.postMessage(msg);
		});
	}
	connect(url: string, tokens: string[]) {
		return this.ask("connected", { cmd: "connect", url: url.replace(/^http/, "ws"), tokens });
	}
	/** Arrival times (shared clock) once `count` sockets have a frame for `key`. */
	collect(key: string, count: number) {
		return this.ask(key, { cmd: "collect", key, count });
	}
	async close() {
		await this.ask("closed", { cmd: "close" });
		await this.worker.terminate();
	}
}

const escalationFrame = (round: string) => ({
	type: "escalation.new",
	escalation: {
		id: `esc-bench-${round}`,
		conversationId: `fashion:1555000${round}`,
		brand: "fashion",
		state: "queued",
		reason: "human_requested",
		detail: "The customer asked for a person",
		summary: 'Bench Customer (+•••0000) last said: "I want to talk to a human please". Cart: empty. Mood: neutral.',
		customer: { name: "Bench Customer", masked: "15••••0000" },
		priority: 0,
		createdAt: Date.now(),
		waitingSince: Date.now(),
		offeredTo: null,
		offerExpiresAt: null,
		sellerId: null,
		sellerName: null,
		slaDeadline: Date.now() + 120_000,
		slaBreaches: 0
	} satisfies EscalationView
});

async function floor(): Promise<Stats> {
	const wss = new WebSocketServer({ host: "127.0.0.1", port: 0 });
	await new Promise<void>(r => wss.once("listening", () => r()));
	const port = (wss.address() as { port: number }).port;
	const server: WebSocket[] = [];
	wss.on("connection", ws => {
		server.push(ws);
		// The pool waits for a welcome, as from the console.
		ws.send(JSON.stringify({ type: "welcome" }));
	});
	const pool = new SocketPool();
	await pool.connect(`http://127.0.0.1:${port}`, Array.from({ length: SOCKETS }, (_, i) => `floor-${i}`));
	const samples: number[] = [];
	for (let r = 0; r < FANOUT_ROUNDS; r++) {
		const id = `floor-${r}`;
		const text = JSON.stringify(escalationFrame(id));
		const t0 = clock();
		for (const ws of server) ws.send(text);
		samples.push(...(await pool.collect(`esc-bench-${id}`, SOCKETS)).map(at => at - t0));
	}
	await pool.close();
	await new Promise<void>(r => wss.close(() => r()));
	return stats(samples);
}

async function main() {
	const dir = mkdtempSync(path.join(os.tmpdir(), "bench-console-"));
	const sellers = Array.from({ length: SOCKETS }, (_, i) => ({
		id: `bench-${i}`,
		name: `Bench Seller ${i}`,
		token: `bench-${i}-${randomBytes(8).toString("hex")}`,
		brands: ["fashion"],
		capacity: 1
	}));
	const relaySeller = { id: "relay", name: "Relay Seller", token: `relay-${randomBytes(8).toString("hex")}`, brands: ["fashion"], capacity: 5 };
	const sellersFile = path.join(dir, "sellers.json");
	writeFileSync(sellersFile, JSON.stringify([...sellers, relaySeller]));

	console.log(`bench:console — ${SOCKETS} seller sockets (clients in a worker thread), embedded mode (in-memory store and channels)\n`);
	const floorStats = await floor();

	const broker: ServiceBroker = await startBroker({
		env: {
			SELLERS_FILE: sellersFile,
			WHATSAPP_APP_SECRET: APP_SECRET,
			WHATSAPP_VERIFY_TOKEN: "bench-verify-token-1",
			WHATSAPP_PAIR_INTERVAL_MS: "0",
			WHATSAPP_RATE_PER_SECOND: "10000",
			ESCALATION_SWEEP_MS: "100",
			CONSOLE_RATE_PER_SECOND: "1000",
			CONSOLE_RATE_BURST: "1000",
			LOG_LEVEL: "error"
		},
		services: [ApiService, WhatsappService, ConsoleService, SalesAssistantService, CatalogService, OrdersService, AiSellerFashion]
	});
	const url = baseUrl(broker);
	try {
		// 1. Fan-out through the product.
		const pool = new SocketPool();
		const t = performance.now();
		await pool.connect(url, sellers.map(s => s.token));
		console.log(`connected ${SOCKETS} sockets with their welcome in ${(performance.now() - t).toFixed(0)} ms`);
		const samples: number[] = [];
		for (let r = 0; r < FANOUT_ROUNDS; r++) {
			const id = `console-${r}`;
			const push: ConsolePush = { to: { brands: ["fashion"] }, frame: escalationFrame(id) as ConsolePush["frame"] };
			const t0 = clock();
			await broker.broadcast(CONSOLE_PUSH_EVENT, push);
			samples.push(...(await pool.collect(`esc-bench-${id}`, SOCKETS)).map(at => at - t0));
		}
		const fanout = stats(samples);

		// 2. Real escalations, from the customer's webhook to every socket.
		const real: number[] = [];
		const lastSocket: number[] = [];
		for (let i = 0; i < ESCALATIONS; i++) {
			const who = customer(`155503${String(i).padStart(5, "0")}`, { phoneNumberId: BUSINESS.fashion });
			const t0 = clock();
			await who.post(url, who.text("I want to talk to a human please"));
			const got = await pool.collect(`fashion:${who.waId}`, SOCKETS);
			real.push(...got.map(at => at - t0));
			lastSocket.push(Math.max(...got) - t0);
		}

		// 3. Relay through one conversation a seller holds.
		const relay = await connectSeller(url, relaySeller.token);
		const maria = customer("15550399999", { phoneNumberId: BUSINESS.fashion });
		await maria.post(url, maria.text("I want to talk to a human please"));
		const conversationId = `fashion:${maria.waId}`;
		const esc = await until(async () => (await broker.call<EscalationView[], { brand?: string }>("sales-assistant.queue", { brand: "fashion" })).find(e => e.conversationId === conversationId));
		const accepted = await relay.request({ type: "accept", escalationId: esc.id });
		if (accepted.type !== "ack") throw new Error(`relay seller could not accept: ${JSON.stringify(accepted)}`);
		const outboxHas = async (text: string) => (await broker.store.range<OutboxEntry>(OUTBOX_KEY)).some(e => e.to === maria.waId && (e.message as { text?: { body?: string } }).text?.body === text);
		const inbound: number[] = [];
		const outbound: number[] = [];
		for (let i = 0; i < RELAY_MESSAGES; i++) {
			const from = relay.frames.length;
			const said = `customer message ${i}`;
			const t0 = performance.now();
			await maria.post(url, maria.text(said));
			await relay.next(f => f.type === "conversation.message" && f.text === said, { from, timeoutMs: 30_000 });
			const t1 = performance.now();
			inbound.push(t1 - t0);
			const answer = `seller answer ${i}`;
			relay.send({ type: "message", conversationId, text: answer, clientId: `relay-${i}` });
			await until(() => outboxHas(answer));
			outbound.push(performance.now() - t1);
		}

		console.log("\nfan-out of one frame to every socket (delivery latency per socket)");
		console.log(`  floor: bare ws server      ${fmt(floorStats)}`);
		console.log(`  console.push → sockets     ${fmt(fanout)}   (goal: p99 ≤ 50 ms)`);
		console.log("\nreal escalation: customer webhook → escalation.new on every socket");
		console.log(`  per socket                 ${fmt(stats(real))}`);
		console.log(`  last socket of each        ${fmt(stats(lastSocket))}`);
		console.log("\nrelay through one conversation");
		console.log(`  customer → console         ${fmt(stats(inbound))}   (webhook to the seller's socket)`);
		console.log(`  console → customer         ${fmt(stats(outbound))}   (message frame to the sandbox outbox)`);
		console.log(`  round trip                 ${fmt(stats(inbound.map((v, i) => v + outbound[i]!)))}`);
		await relay.close();
		await pool.close();
	} finally {
		await broker.stop();
	}
}

main().then(
	() => process.exit(0),
	err => {
		console.error(err);
		process.exit(1);
	}
);
