/**
 * `npm run bench:e2e`: the AI sellers end to end, in cluster mode. A signed webhook goes into the
 * gateway; the reply is timed when it arrives at a fake Graph API (correlated by the customer's
 * wa_id, one new customer per conversation). The product runs as docker-compose.yml splits it
 * (its gateway, sellers and backoffice containers' SERVICES lists, read from the file): three
 * processes, each `node dist/scripts/start.js` (compiled first, as production runs it), on a
 * nats-server -js and a redis-server started here on loopback ports, with the offline brain (no
 * OPENAI_API_KEY).
 *
 * The floor, measured in the same run the same way: one plain Node process doing HMAC, one Redis
 * SET NX and one outbound HTTP POST of the reply (bench/floor-e2e-server.ts). Goal: product
 * throughput ≥ 0.5 × the floor's. And the stack floor (bench/stack-floor-server.ts): the floor's
 * work with only the product's two channel hops added (gateway → seller → gateway over Moleculer
 * channels on JetStream, two processes), to tell the chosen stack's cost from our code's.
 *
 * Then: store bytes per conversation (every Redis key a conversation adds, by MEMORY USAGE and by
 * serialised length; goal ≤ 2 KB) and the heap of the sellers process with 100,000 idle
 * conversations. Prints figures only; nothing here asserts a timing.
 *
 * Flags: `--quick` runs every phase briefly (to work on the bench itself); `--in-flight N` sets
 * CHANNEL_MAX_IN_FLIGHT in the product processes, to check whether that limit is the bottleneck;
 * `--profile DIR` writes a V8 CPU profile of each product process during the last closed-loop run;
 * `--at N` runs only the closed loop with N customers at a time.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, readFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import Redis from "ioredis";
import { parse as parseYaml } from "yaml";
import { connect as connectNats } from "nats";
import { EventTypes, partitionChannel } from "../contracts/events";
import { DAY_MS, DEFAULT_CONVERSATION_RETENTION_DAYS, DEFAULT_CONVERSATION_RETENTION_MS, loadConfig } from "../config";
import { signBody } from "../gateway/whatsapp/signature";
import { RedisStore } from "../adapters/store/redis-store";
import { conversationKey, indexKey, type StoredConversationRecord } from "../services/ai-seller/host";
import { restoreConversation, saveConversation } from "../machines/conversation.persistence";
import { freePort, killServersSync, startNats, startRedis, type ServerHandle } from "../test/helpers/servers";
import { GraphSink } from "./graph-sink";
import { childPids, cpuMeter, type CpuSample } from "./proc-stats";
import { buildProduct, ROOT, START_SCRIPT } from "./product";

const SECRET = "bench-e2e-app-secret";
const TOKEN = "bench-e2e-graph-token";
const NAMESPACE = `benche2e${process.pid}`;

/** `--quick`: a short smoke run of every phase (for working on the bench itself). */
const QUICK = process.argv.includes("--quick");
const WARMUP_CONVERSATIONS = QUICK ? 16 : 150;
/** `--at N`: only the closed-loop run with N customers at a time (with `--profile`, to profile one load). */
const ONLY_AT = (() => {
	const i = process.argv.indexOf("--at");
	return i > 0 ? Number(process.argv[i + 1]) : null;
})();
const CONCURRENCIES = ONLY_AT ? [ONLY_AT] : QUICK ? [8] : [1, 8, 32, 64];
/** Each closed-loop run starts conversations for this long (product), then waits for the last replies. */
const PRODUCT_RUN_MS = QUICK ? 2000 : 8000;
const FLOOR_RUN_MS = QUICK ? 1000 : 3000;
/** Open loop at fixed rates (as Meta sends: whether or not earlier replies are out). */
const FIXED_RATES = QUICK ? [] : [{ perSecond: 40, seconds: 5 }];
const REPLY_TIMEOUT_MS = 20_000;
const STORE_SAMPLE = 25;
/** The product runs with the default CONVERSATION_RETENTION_DAYS. */
const RETENTION_MS = DEFAULT_CONVERSATION_RETENTION_MS;
const IDLE_SAMPLE_MS = 2000;
const IDLE_TARGET = QUICK ? 5000 : 100_000;
const SEED_BATCH = 500;
/** Every phase is bounded; this is the hard stop for the whole bench. */
const BENCH_DEADLINE_MS = 6 * 60_000;

const MESSAGES = ["hi", "Do you have a black jacket under $100?", "show me something for under $50", "hello, what do you recommend?"];

/** `--in-flight N`: CHANNEL_MAX_IN_FLIGHT for the product processes, to see whether it is the limit. */
const IN_FLIGHT = (() => {
	const i = process.argv.indexOf("--in-flight");
	return i > 0 ? String(Number(process.argv[i + 1])) : null;
})();
/** `--profile DIR`: CPU profiles of the product processes during the last closed-loop product run. */
const PROFILE_DIR = (() => {
	const i = process.argv.indexOf("--profile");
	if (i < 0) return null;
	const dir = path.resolve(process.argv[i + 1] ?? ".");
	// The product processes write there; a missing folder would lose the run's profiles.
	mkdirSync(dir, { recursive: true });
	return dir;
})();
const CORES = os.cpus().length;
const PRODUCT_PROCS = ["gateway", "sellers", "backoffice", "nats-server", "redis-server"];
const FLOOR_PROCS = ["floor", "redis-server"];
const STACK_PROCS = ["stack edge", "stack worker", "nats-server", "redis-server"];

/** The product's process split, as deployed: each compose container's SERVICES list. */
const SPLIT: Record<string, string> = (() => {
	const compose = parseYaml(readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8")) as { services: Record<string, { environment?: Record<string, string> }> };
	return Object.fromEntries(
		["gateway", "sellers", "backoffice"].map(name => {
			const services = compose.services[name]?.environment?.SERVICES;
			if (!services) throw new Error(`docker-compose.yml has no SERVICES for '${name}'`);
			return [name, services];
		})
	);
})();

const cfg = loadConfig({});
const BRANDS = cfg.brands.map(b => ({ id: b.id, phoneNumberId: b.phoneNumberIds[0] }));

// ---- load and correlation ------------------------------------------------------------------------

interface Waiter {
	t0: bigint;
	done(ns: bigint): void;
}

const waiting = new Map<string, Waiter>();

/**
 * Where a reply's time goes, from core NATS subscriptions on the channel subjects (a JetStream
 * publish is also delivered to plain subscribers): when the gateway published the customer's
 * `store.chat.message.new`, and when the seller published the `store.whatsapp.message.send`.
 */
interface Trace {
	t0: bigint;
	ack?: bigint;
	chat?: bigint;
	send?: bigint;
}
const traces = new Map<string, Trace>();

async function traceStages(natsUrl: string): Promise<() => Promise<void>> {
	const nc = await connectNats({ servers: natsUrl });
	const watch = (subject: string, field: "chat" | "send", who: (data: Record<string, unknown>) => unknown) =>
		nc.subscribe(`${NAMESPACE}.${subject}`, {
			callback: (_err, msg) => {
				const at = process.hrtime.bigint();
				try {
					const t = traces.get(String(who((JSON.parse(new TextDecoder().decode(msg.data)) as { data: Record<string, unknown> }).data)));
					if (t && t[field] === undefined) t[field] = at;
				} catch {
					// Not an event envelope: not ours to time.
				}
			}
		});
	// Chat messages travel on one channel per brand.
	watch(partitionChannel(EventTypes.ChatMessageNew, "*"), "chat", d => d.waId);
	watch(EventTypes.WhatsappMessageSend, "send", d => d.to);
	return () => nc.close();
}
let extraSends = 0;
let seq = 0;

function onSend(to: string, at: bigint): void {
	const w = waiting.get(to);
	if (!w) {
		extraSends++;
		return;
	}
	waiting.delete(to);
	w.done(at - w.t0);
}

const waIdOf = (n: number) => String(4915500000000 + n);

function webhook(brand: (typeof BRANDS)[number], waId: string, messageId: string, text: string): Buffer {
	return Buffer.from(
		JSON.stringify({
			object: "whatsapp_business_account",
			entry: [
				{
					id: "200000000000001",
					changes: [
						{
							field: "messages",
							value: {
								messaging_product: "whatsapp",
								metadata: { display_phone_number: "15550001111", phone_number_id: brand.phoneNumberId },
								contacts: [{ profile: { name: "Bench" }, wa_id: waId }],
								messages: [{ from: waId, id: messageId, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: text } }]
							}
						}
					]
				}
			]
		})
	);
}

function postWebhook(agent: http.Agent, port: number, raw: Buffer): Promise<void> {
	return new Promise((resolve, reject) => {
		const req = http.request(
			{ host: "127.0.0.1", port, path: "/webhooks/whatsapp", method: "POST", agent, headers: { "content-type": "application/json", "content-length": raw.length, "x-hub-signature-256": signBody(SECRET, raw) } },
			res => {
				res.resume();
				res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`webhook HTTP ${res.statusCode}`))));
			}
		);
		req.on("error", reject);
		req.end(raw);
	});
}

type Outcome = { ms: number; stages: Stages } | { error: string };
/** Milliseconds: webhook acknowledged; chat event published (gateway); send published (seller); reply at the Graph API (whatsapp). */
interface Stages {
	ack: number;
	toChat: number;
	toSend: number;
	toGraph: number;
}

/** One customer message, timed from the webhook POST to its reply at the fake Graph API. */
function message(agent: http.Agent, port: number, waId: string, brand: (typeof BRANDS)[number], text: string): Promise<Outcome> {
	// Shaped like Meta's ids (60 characters and more), so the store figures below are what real traffic leaves.
	const raw = webhook(brand, waId, `wamid.HBgLMTU1NTAwMDIyMjIVAgASGBQz${String(process.pid).padStart(8, "0")}${String(++seq).padStart(16, "0")}AA=`, text);
	return new Promise(resolve => {
		const timer = setTimeout(() => {
			waiting.delete(waId);
			traces.delete(waId);
			resolve({ error: "timeout" });
		}, REPLY_TIMEOUT_MS);
		const t0 = process.hrtime.bigint();
		const trace: Trace = { t0 };
		traces.set(waId, trace);
		const ms = (a: bigint | undefined, b: bigint | undefined) => (a === undefined || b === undefined ? NaN : Number(b - a) / 1e6);
		waiting.set(waId, {
			t0,
			done: ns => {
				clearTimeout(timer);
				traces.delete(waId);
				const at = t0 + ns;
				resolve({ ms: Number(ns) / 1e6, stages: { ack: ms(t0, trace.ack), toChat: ms(t0, trace.chat), toSend: ms(trace.chat, trace.send), toGraph: ms(trace.send, at) } });
			}
		});
		postWebhook(agent, port, raw).then(
			() => void (trace.ack = process.hrtime.bigint()),
			err => {
				clearTimeout(timer);
				waiting.delete(waId);
				traces.delete(waId);
				resolve({ error: (err as Error).message });
			}
		);
	});
}

let customers = 0;
function newCustomer(): { waId: string; brand: (typeof BRANDS)[number]; text: string } {
	const n = ++customers;
	return { waId: waIdOf(n), brand: BRANDS[n % BRANDS.length], text: MESSAGES[n % MESSAGES.length] };
}

interface Figures {
	done: number;
	errors: Record<string, number>;
	rps: number;
	p50: number;
	p99: number;
	max: number;
	cpu: CpuSample;
	/** Redis commands per reply over the run, by command. */
	redis: Record<string, number>;
	/** Median of each stage. */
	stages: Stages;
}

function summarise(outcomes: Outcome[], ms: number, cpu: CpuSample, redisCalls: Record<string, number>): Figures {
	const lat = outcomes.flatMap(o => ("ms" in o ? [o.ms] : [])).sort((a, b) => a - b);
	const errors: Record<string, number> = {};
	for (const o of outcomes) if ("error" in o) errors[o.error] = (errors[o.error] ?? 0) + 1;
	const q = (p: number) => (lat.length ? lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] : NaN);
	const ok = outcomes.flatMap(o => ("stages" in o ? [o.stages] : []));
	const median = (k: keyof Stages) => {
		const v = ok.map(s => s[k]).filter(Number.isFinite).sort((a, b) => a - b);
		return v.length ? v[Math.floor(v.length / 2)] : NaN;
	};
	const stages = { ack: median("ack"), toChat: median("toChat"), toSend: median("toSend"), toGraph: median("toGraph") };
	const redis = Object.fromEntries(Object.entries(redisCalls).map(([k, v]) => [k, v / Math.max(1, lat.length)]));
	return { done: lat.length, errors, rps: (lat.length / ms) * 1000, p50: q(0.5), p99: q(0.99), max: lat[lat.length - 1] ?? NaN, cpu, redis, stages };
}

let statsClient: Redis | undefined;

/** Redis commands since the last reset, by command (INFO commandstats). */
async function redisCalls(reset: boolean): Promise<Record<string, number>> {
	if (!statsClient) return {};
	const out: Record<string, number> = {};
	for (const m of (await statsClient.info("commandstats")).matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (!["info", "config"].includes(m[1])) out[m[1]] = Number(m[2]);
	if (reset) await statsClient.config("RESETSTAT");
	return out;
}

/** Closed loop: `concurrency` customers at a time, each new one starting when a reply arrived. */
async function closedLoop(port: number, concurrency: number, runMs: number, pids: Record<string, number>): Promise<Figures> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const outcomes: Outcome[] = [];
	await redisCalls(true);
	const meter = cpuMeter(pids);
	const t0 = Date.now();
	let last = t0;
	await Promise.all(
		Array.from({ length: concurrency }, async () => {
			while (Date.now() - t0 < runMs) {
				const c = newCustomer();
				outcomes.push(await message(agent, port, c.waId, c.brand, c.text));
				last = Date.now();
			}
		})
	);
	const cpu = meter.stop();
	agent.destroy();
	return summarise(outcomes, last - t0, cpu, await redisCalls(false));
}

async function fixedRate(port: number, perSecond: number, seconds: number, pids: Record<string, number>): Promise<Figures> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	const pending: Promise<Outcome>[] = [];
	await redisCalls(true);
	const meter = cpuMeter(pids);
	const t0 = Date.now();
	const total = perSecond * seconds;
	for (let i = 0; i < total; i++) {
		const wait = t0 + (i * 1000) / perSecond - Date.now();
		if (wait > 0) await new Promise(r => setTimeout(r, wait));
		const c = newCustomer();
		pending.push(message(agent, port, c.waId, c.brand, c.text));
	}
	const outcomes = await Promise.all(pending);
	const cpu = meter.stop();
	agent.destroy();
	return summarise(outcomes, Date.now() - t0, cpu, await redisCalls(false));
}

/** Waits until no send has arrived for `quietMs` (late extra replies of a run), at most `maxMs`. */
async function settle(sink: GraphSink, quietMs = 400, maxMs = 10_000): Promise<void> {
	const deadline = Date.now() + maxMs;
	let seen = sink.sends;
	let since = Date.now();
	while (Date.now() < deadline) {
		await new Promise(r => setTimeout(r, 50));
		if (sink.sends !== seen) {
			seen = sink.sends;
			since = Date.now();
		} else if (Date.now() - since >= quietMs) return;
	}
}

// ---- processes ---------------------------------------------------------------------------------

interface Proc {
	name: string;
	child: ChildProcess;
}

function productEnv(sink: GraphSink, natsUrl: string, redisUrl: string, services: string, port: number): Record<string, string> {
	return {
		TRANSPORTER: natsUrl,
		REDIS_URL: redisUrl,
		NAMESPACE,
		SERVICES: services,
		PORT: String(port),
		LOG_LEVEL: "warn",
		WHATSAPP_APP_SECRET: SECRET,
		WHATSAPP_VERIFY_TOKEN: "bench-e2e-verify-token",
		ORDERS_WEBHOOK_SECRET: "bench-e2e-orders-secret",
		WHATSAPP_ACCESS_TOKEN: TOKEN,
		WHATSAPP_API_URL: sink.apiUrl,
		WHATSAPP_RATE_PER_SECOND: "10000",
		AI_COALESCE_MS: "0",
		...(IN_FLIGHT ? { CHANNEL_MAX_IN_FLIGHT: IN_FLIGHT } : {})
	};
}

/** Product processes being stopped by the bench: their shutdown logs are not news. */
const stopping = new WeakMap<ChildProcess, boolean>();

function spawnProduct(name: string, env: Record<string, string>): Promise<Proc> {
	// --expose-gc and the probe only let the bench read a post-GC heap over IPC.
	const child = spawn(process.execPath, ["--expose-gc", "--require", path.join(__dirname, "heap-probe.cjs"), START_SCRIPT], {
		cwd: ROOT,
		env,
		stdio: ["ignore", "pipe", "pipe", "ipc"]
	});
	let err = "";
	child.stderr!.on("data", d => {
		err = (err + d.toString()).slice(-4000);
		if (ready && !stopping.get(child)) process.stderr.write(`[${name}] ${d}`);
	});
	let ready = false;
	stopping.set(child, false);
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${name} not ready within 60 s\n${err}`)), 60_000);
		child.stdout!.on("data", d => {
			// After the banner, stdout carries the product's warnings and errors (LOG_LEVEL=warn).
			if (ready && !stopping.get(child)) process.stderr.write(`[${name}] ${d}`);
			else if (d.toString().includes("Agent Store is running")) {
				ready = true;
				clearTimeout(timer);
				resolve({ name, child });
			}
		});
		child.once("exit", code => {
			clearTimeout(timer);
			if (!ready) reject(new Error(`${name} exited with ${code} before it was ready\n${err}`));
			else if (!stopping.get(child)) process.stderr.write(`[${name}] exited with ${code}\n`);
		});
	});
}

function spawnFloor(port: number, redisUrl: string, graphUrl: string): Promise<ChildProcess> {
	const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "floor-e2e-server.ts"), String(port), redisUrl, SECRET, graphUrl, TOKEN], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
	return new Promise((resolve, reject) => {
		child.stdout!.on("data", d => d.toString().includes("ready") && resolve(child));
		child.once("exit", code => reject(new Error(`floor server exited with ${code}`)));
	});
}

/** The stack floor's two processes: the worker first, so the edge's first publish has a consumer. */
async function spawnStackFloor(port: number, natsUrl: string, redisUrl: string, graphUrl: string): Promise<ChildProcess[]> {
	const start = (args: string[]) => {
		const child = spawn(process.execPath, ["--import", "tsx", path.join(__dirname, "stack-floor-server.ts"), ...args], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
		return new Promise<ChildProcess>((resolve, reject) => {
			child.stdout!.on("data", d => d.toString().includes("ready") && resolve(child));
			child.once("exit", code => reject(new Error(`stack floor ${args[0]} exited with ${code}`)));
		});
	};
	const worker = await start(["worker", natsUrl]);
	return [await start(["edge", String(port), natsUrl, redisUrl, SECRET, graphUrl, TOKEN]), worker];
}

interface Heap {
	heapUsed: number;
	rss: number;
	gc: boolean;
}

/** Asks every product process's probe to start or stop a CPU profile, and waits for the answers. */
function profileAll(procs: Proc[], action: "start" | "stop", dir: string): Promise<string[]> {
	return Promise.all(
		procs.map(
			p =>
				new Promise<string>((resolve, reject) => {
					const timer = setTimeout(() => reject(new Error(`${p.name}: no profile answer`)), 30_000);
					const onMessage = (m: { profiling?: boolean; profiled?: string }) => {
						if (m?.profiling === undefined && m?.profiled === undefined) return;
						clearTimeout(timer);
						p.child.off("message", onMessage);
						resolve(String(m.profiled ?? ""));
					};
					p.child.on("message", onMessage);
					p.child.send({ profile: action, file: path.join(dir, `${p.name}.cpuprofile`) });
				})
		)
	);
}

function heapOf(p: Proc): Promise<Heap> {
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => reject(new Error(`${p.name}: no heap answer`)), 10_000);
		const onMessage = (m: { heap?: NodeJS.MemoryUsage; gc?: boolean }) => {
			if (!m?.heap) return;
			clearTimeout(timer);
			p.child.off("message", onMessage);
			resolve({ heapUsed: m.heap.heapUsed, rss: m.heap.rss, gc: Boolean(m.gc) });
		};
		p.child.on("message", onMessage);
		p.child.send("heap");
	});
}

async function stopProc(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return;
	const exited = new Promise(r => child.once("exit", r));
	stopping.set(child, true);
	child.kill("SIGTERM");
	const timer = setTimeout(() => child.kill("SIGKILL"), 15_000);
	await exited;
	clearTimeout(timer);
}

// ---- store bytes -------------------------------------------------------------------------------

async function scanKeys(redis: Redis, match: string): Promise<string[]> {
	const out: string[] = [];
	let cursor = "0";
	do {
		const [next, keys] = await redis.scan(cursor, "MATCH", match, "COUNT", 5000);
		cursor = next;
		out.push(...keys);
	} while (cursor !== "0");
	return out;
}

/** The bytes of a key's value as stored (strings, list elements, hash fields and values). */
async function serialisedLength(redis: Redis, key: string): Promise<number> {
	const type = await redis.type(key);
	if (type === "string") return redis.strlen(key);
	if (type === "list") return (await redis.lrange(key, 0, -1)).reduce((n, s) => n + Buffer.byteLength(s), 0);
	if (type === "hash") return Object.entries(await redis.hgetall(key)).reduce((n, [k, v]) => n + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
	if (type === "set") return (await redis.smembers(key)).reduce((n, s) => n + Buffer.byteLength(s), 0);
	return 0;
}

interface Part {
	keys: number;
	memory: number;
	serialised: number;
	ttl: string;
	/** The first key's time to live, -1 for none. */
	ttlMs: number;
}

function pattern(key: string, waIds: Set<string>, ns: string): string {
	let k = key.startsWith(`${ns}:`) ? key.slice(ns.length + 1) : key;
	for (const brand of BRANDS) k = k.replace(`${brand.id}:`, "<brand>:");
	k = k.replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, "<uuid>");
	k = k.replace(/(?<=[:.#])(?=[0-9a-f]*[a-f])[0-9a-f]{16,}/g, "<hash>");
	k = k.replace(/\d{10,}/g, d => (waIds.has(d) ? "<wa_id>" : "<n>"));
	k = k.replace(/wamid\.[A-Za-z0-9.]+/g, "<wamid>");
	k = k.replace(/<wa_id>:\d+:\d+/g, "<wa_id>:<turn>:<part>");
	return k;
}

function ttlLabel(ms: number): string {
	if (ms < 0) return "none";
	if (ms >= 86_400_000) return `${Math.round(ms / 86_400_000)} d`;
	if (ms >= 3_600_000) return `${Math.round(ms / 3_600_000)} h`;
	return `${Math.round(ms / 1000)} s`;
}

/**
 * Runs `sample` new conversations of `turns` messages each and attributes to them every Redis key
 * that appeared, plus the growth of the list keys that already existed (e.g. the brand index).
 */
async function storeBytes(redis: Redis, gatewayPort: number, sink: GraphSink, sample: number, turns: number): Promise<{ parts: Map<string, Part>; perConversation: number; perConversationSerialised: number; failed: number }> {
	await settle(sink);
	const before = new Set(await scanKeys(redis, "*"));
	const lists = [...before].filter(k => k.includes("conv:index:") || k.includes("conv:log:"));
	const listMemBefore = new Map<string, [number, number]>();
	for (const k of lists) listMemBefore.set(k, [Number(await redis.memory("USAGE", k, "SAMPLES", "0")), await serialisedLength(redis, k)]);

	const agent = new http.Agent({ keepAlive: true, maxSockets: sample });
	const waIds = new Set<string>();
	let failed = 0;
	await Promise.all(
		Array.from({ length: sample }, async () => {
			const c = newCustomer();
			waIds.add(c.waId);
			for (let t = 0; t < turns; t++) {
				const o = await message(agent, gatewayPort, c.waId, BRANDS[0], ["hi", "Do you have a black jacket under $100?", "thanks, bye"][t % 3]);
				if ("error" in o) failed++;
			}
		})
	);
	agent.destroy();
	await settle(sink);

	const parts = new Map<string, Part>();
	const add = (name: string, memory: number, serialised: number, ttlMs: number, keys = 1) => {
		const p = parts.get(name) ?? { keys: 0, memory: 0, serialised: 0, ttl: ttlLabel(ttlMs), ttlMs };
		p.keys += keys;
		p.memory += memory;
		p.serialised += serialised;
		parts.set(name, p);
	};
	const after = await scanKeys(redis, "*");
	for (const k of after) {
		if (before.has(k)) continue;
		const mem = Number(await redis.memory("USAGE", k, "SAMPLES", "0"));
		add(pattern(k, waIds, NAMESPACE), mem, await serialisedLength(redis, k), await redis.pttl(k));
	}
	for (const [k, [mem0, len0]] of listMemBefore) {
		const mem = Number(await redis.memory("USAGE", k, "SAMPLES", "0"));
		const len = await serialisedLength(redis, k);
		if (mem !== mem0 || len !== len0) add(`${pattern(k, waIds, NAMESPACE)} (growth)`, mem - mem0, len - len0, await redis.pttl(k), 0);
	}
	let memory = 0;
	let serialised = 0;
	for (const p of parts.values()) {
		memory += p.memory;
		serialised += p.serialised;
	}
	return { parts, perConversation: memory / sample, perConversationSerialised: serialised / sample, failed };
}

// ---- idle conversations ------------------------------------------------------------------------

/**
 * Writes `count` idle conversations straight into Redis, each a real record: a conversation the
 * product stored during this run, re-addressed to a new customer, restored with the product's
 * `restoreConversation` (which validates it against the machine) and saved with its
 * `saveConversation`, under the key and index the ai-seller host uses.
 */
async function seedIdle(redisUrl: string, template: StoredConversationRecord, brand: string, count: number): Promise<void> {
	const store = await RedisStore.connect(redisUrl, { prefix: `${NAMESPACE}:` });
	const templateJson = JSON.stringify(template);
	const oldWaId = template.snapshot.context.customer.waId;
	try {
		for (let i = 0; i < count; i += SEED_BATCH) {
			await Promise.all(
				Array.from({ length: Math.min(SEED_BATCH, count - i) }, async (_, j) => {
					const waId = String(4916000000000 + i + j);
					const stored = JSON.parse(templateJson.split(oldWaId).join(waId)) as StoredConversationRecord;
					const { actor } = restoreConversation(stored, { onError: err => { throw err; }, start: false });
					const today = Math.floor(Date.now() / DAY_MS);
					const record: StoredConversationRecord = { ...saveConversation(actor), fence: 0 };
					const id = record.snapshot.context.conversationId;
					if ((await store.compareAndSet(conversationKey(id), 0, record, RETENTION_MS)) === null) throw new Error(`seeded conversation ${id} already exists`);
					await store.append(indexKey(brand, today), id);
				})
			);
		}
	} finally {
		await store.close();
	}
}

// ---- output ------------------------------------------------------------------------------------

const f0 = (n: number) => (Number.isFinite(n) ? n.toFixed(0) : "-");
const f1 = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : "-");
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const errs = (f: Figures) => (Object.keys(f.errors).length ? `  errors ${JSON.stringify(f.errors)}` : "");
const line = (f: Figures) => `${f0(f.rps).padStart(6)} conv/s  p50 ${f1(f.p50).padStart(7)} ms  p99 ${f1(f.p99).padStart(7)} ms  (${f.done} replies)${errs(f)}`;
const stageLine = (f: Figures) =>
	`medians: webhook 200 after ${f1(f.stages.ack)} ms; chat event on NATS after ${f1(f.stages.toChat)} ms; seller turn → send event ${f1(f.stages.toSend)} ms; send event → reply at Graph ${f1(f.stages.toGraph)} ms`;
/** CPU milliseconds per reply of the processes that serve it (not the bench's own). */
const cpuPerReply = (f: Figures, names: string[]) => names.reduce((n, k) => n + (f.cpu.seconds[k] ?? 0), 0) * 1000 / Math.max(1, f.done);
const cpuLine = (f: Figures) =>
	"cpu (cores busy): " +
	Object.entries(f.cpu.seconds)
		.map(([k, v]) => [k, v / f.cpu.wallSeconds] as const)
		.filter(([, v]) => v >= 0.005)
		.sort((a, b) => b[1] - a[1])
		.map(([k, v]) => `${k} ${v.toFixed(2)}`)
		.join(", ");
const redisTotal = (f: Figures) => Object.values(f.redis).reduce((a, b) => a + b, 0);
const redisLine = (f: Figures) =>
	`redis commands per reply ${redisTotal(f).toFixed(1)}: ` +
	Object.entries(f.redis)
		.sort((a, b) => b[1] - a[1])
		.slice(0, 8)
		.map(([k, v]) => `${k} ${v.toFixed(1)}`)
		.join(", ");

// ---- main --------------------------------------------------------------------------------------

async function main(): Promise<void> {
	const hardStop = setTimeout(() => {
		console.error(`bench:e2e exceeded ${BENCH_DEADLINE_MS / 60000} minutes; stopping`);
		process.exit(2);
	}, BENCH_DEADLINE_MS);
	hardStop.unref();
	const started = Date.now();
	buildProduct();

	const servers: ServerHandle[] = [];
	const procs: Proc[] = [];
	let floor: ChildProcess | undefined;
	let stack: ChildProcess[] = [];
	// The hard stop and crashes skip `finally`: nothing this bench started may outlive it.
	process.on("exit", () => {
		for (const c of [...procs.map(p => p.child), floor, ...stack]) if (c && c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
		killServersSync();
	});
	const sink = await new GraphSink(TOKEN, onSend).start();
	let redis: Redis | undefined;
	let stopTracing: (() => Promise<void>) | undefined;
	try {
		const [nats, redisServer] = await Promise.all([startNats(), startRedis()]);
		servers.push(nats, redisServer);
		redis = new Redis(redisServer.url);
		statsClient = redis;
		const gatewayPort = await freePort();
		const env = (services: string) => productEnv(sink, nats.url, redisServer.url, services, gatewayPort);
		stopTracing = await traceStages(nats.url);
		// Sequential: three start-ups at once on a 2-core machine only make each slower.
		// Dependencies first, the webhook's entry last.
		for (const name of ["backoffice", "sellers", "gateway"]) procs.push(await spawnProduct(name, env(SPLIT[name])));
		// Each port is picked just before its server listens: the processes started before open
		// outgoing connections, whose ephemeral ports can take one picked earlier.
		const floorPort = await freePort();
		floor = await spawnFloor(floorPort, redisServer.url, sink.apiUrl);
		const stackPort = await freePort();
		stack = await spawnStackFloor(stackPort, nats.url, redisServer.url, sink.apiUrl);

		const sellers = procs[1];
		const pids: Record<string, number> = Object.fromEntries(procs.map(p => [p.name, p.child.pid!]));
		pids["nats-server"] = childPids(process.pid, "nats-server")[0] ?? -1;
		pids["redis-server"] = childPids(process.pid, "redis-server")[0] ?? -1;
		pids.floor = floor.pid!;
		pids["stack edge"] = stack[0].pid!;
		pids["stack worker"] = stack[1].pid!;
		pids["bench (load+graph)"] = process.pid;

		console.log("AI sellers end to end: signed webhook in → reply at a fake Graph API (HTTP on loopback)");
		console.log(`cluster: 3 processes split as docker-compose.yml does: ${Object.entries(SPLIT).map(([k, v]) => `${k} (${v.replace(/ai-seller-[a-z-]+(,ai-seller-[a-z-]+)+/, "ai-seller-*")})`).join(", ")}, each`);
		console.log(`  \`node dist/scripts/start.js\` on nats-server -js + redis-server; offline brain; LOG_LEVEL=warn`);
		console.log(`  AI_COALESCE_MS=0: the coalescing window (default 1500 ms) would add itself to every reply's latency;`);
		console.log(`    a bench of one message per customer has nothing to coalesce, so it measures the work, not the wait`);
		console.log(`  WHATSAPP_RATE_PER_SECOND=10000: the default 80 msg/s per number is Meta's pacing, not the product's cost`);
		console.log(`  one new customer (wa_id) per conversation, brands round-robin, messages: ${MESSAGES.map(m => JSON.stringify(m)).join(", ")}`);
		console.log(`floor: one Node process, HMAC + one Redis SET NX + one HTTP POST of the reply to the same fake Graph API`);
		console.log(`stack floor: the floor's work split over the product's two channel hops (edge → worker → edge, Moleculer channels on`);
		console.log(`  JetStream, the product's adapter and options, two processes), nothing else: what the chosen stack costs before our code`);
		console.log(`machine: ${CORES} cores, load average ${os.loadavg().map(l => l.toFixed(1)).join(" / ")} at start (shared); the bench process (load + fake Graph) runs on them too`);
		if (IN_FLIGHT) console.log(`CHANNEL_MAX_IN_FLIGHT=${IN_FLIGHT} (--in-flight): a diagnostic run, not the product's default`);
		console.log("");

		const heap0 = await heapOf(sellers);
		const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
		const first = newCustomer();
		const check = await message(agent, gatewayPort, first.waId, first.brand, first.text);
		if ("error" in check) throw new Error(`no reply came back through the cluster: ${check.error} (fake Graph API got ${sink.sends} sends, ${sink.rejected} rejected)`);
		for (let i = 0; i < WARMUP_CONVERSATIONS; i += 8) await Promise.all(Array.from({ length: 8 }, () => { const c = newCustomer(); return message(agent, gatewayPort, c.waId, c.brand, c.text); }));
		agent.destroy();
		await closedLoop(floorPort, 8, 1000, pids);
		await closedLoop(stackPort, 8, 1000, pids);
		await settle(sink);
		const heapWarm = await heapOf(sellers);
		// The cluster's own background work (heartbeats, pollers), to tell it apart from per-reply cost.
		const idleMeter = cpuMeter(pids);
		await new Promise(r => setTimeout(r, IDLE_SAMPLE_MS));
		const idle = idleMeter.stop();
		const idleCores = PRODUCT_PROCS.reduce((n, k) => n + (idle.seconds[k] ?? 0), 0) / idle.wallSeconds;
		const sendsBefore = sink.sends;
		const customersBefore = customers;

		console.log(`closed loop: N customers at a time, each sends one message and waits for the reply (product ${PRODUCT_RUN_MS / 1000} s, floors ${FLOOR_RUN_MS / 1000} s per run)`);
		const ratios: number[] = [];
		const runs: { c: number; fl: Figures; st: Figures; pr: Figures }[] = [];
		for (const c of CONCURRENCIES) {
			const fl = await closedLoop(floorPort, c, FLOOR_RUN_MS, pids);
			await settle(sink);
			const st = await closedLoop(stackPort, c, FLOOR_RUN_MS, pids);
			await settle(sink);
			const profiling = PROFILE_DIR !== null && c === CONCURRENCIES[CONCURRENCIES.length - 1];
			if (profiling) await profileAll(procs, "start", PROFILE_DIR!);
			const pr = await closedLoop(gatewayPort, c, PRODUCT_RUN_MS, pids);
			await settle(sink);
			if (profiling) console.log(`       CPU profiles of this run: ${(await profileAll(procs, "stop", PROFILE_DIR!)).join(", ")}`);
			ratios.push(pr.rps / fl.rps);
			console.log(`N=${String(c).padStart(3)}  floor   ${line(fl)}`);
			console.log(`       stack   ${line(st)}   ratio to the floor ${(st.rps / fl.rps).toFixed(2)}`);
			console.log(`       product ${line(pr)}   ratio ${(pr.rps / fl.rps).toFixed(2)} (goal ≥ 0.5) ${pr.rps / fl.rps >= 0.5 ? "met" : "MISSED"}; to the stack floor ${(pr.rps / st.rps).toFixed(2)}`);
			console.log(`       product ${stageLine(pr)}`);
			console.log(`       product ${cpuLine(pr)}`);
			console.log(`       cpu per reply: product ${f1(cpuPerReply(pr, PRODUCT_PROCS))} ms, floor ${f1(cpuPerReply(fl, FLOOR_PROCS))} ms (incl. redis-server, nats-server); ${redisLine(pr)}`);
			runs.push({ c, fl, st, pr });
		}
		for (const r of FIXED_RATES) {
			console.log(`\nopen loop: ${r.perSecond} new customers/s for ${r.seconds} s`);
			const fl = await fixedRate(floorPort, r.perSecond, r.seconds, pids);
			await settle(sink);
			const pr = await fixedRate(gatewayPort, r.perSecond, r.seconds, pids);
			await settle(sink);
			console.log(`  floor   ${line(fl)}`);
			console.log(`  product ${line(pr)}`);
			console.log(`  product ${stageLine(pr)}`);
			console.log(`  product ${cpuLine(pr)}`);
		}
		const conversations = customers - customersBefore;
		console.log(`\nreplies per conversation at the fake Graph API: ${((sink.sends - sendsBefore) / conversations).toFixed(2)} (${extraSends} sends beyond the first reply in the whole bench)`);
		console.log(`best throughput ratio product/floor: ${Math.max(...ratios).toFixed(2)} (goal ≥ 0.5)`);
		const top = runs.reduce((a, b) => (b.pr.rps > a.pr.rps ? b : a));
		const prCpu = cpuPerReply(top.pr, PRODUCT_PROCS);
		const flCpu = cpuPerReply(top.fl, FLOOR_PROCS);
		const busy = (f: Figures, names: string[]) => names.reduce((n, k) => n + (f.cpu.seconds[k] ?? 0), 0) / f.cpu.wallSeconds;
		console.log(`where the time goes (best product run, N=${top.c}):`);
		console.log(`  CPU per reply: product ${f1(prCpu)} ms (${PRODUCT_PROCS.map(k => `${k} ${f1(((top.pr.cpu.seconds[k] ?? 0) * 1000) / top.pr.done)}`).join(", ")})`);
		console.log(`                 floor   ${f1(flCpu)} ms (${FLOOR_PROCS.map(k => `${k} ${f1(((top.fl.cpu.seconds[k] ?? 0) * 1000) / top.fl.done)}`).join(", ")}) — ${f1(prCpu / flCpu)}× less`);
		const stCpu = cpuPerReply(top.st, STACK_PROCS);
		console.log(`                 stack   ${f1(stCpu)} ms (${STACK_PROCS.map(k => `${k} ${f1(((top.st.cpu.seconds[k] ?? 0) * 1000) / top.st.done)}`).join(", ")}) — the stack alone, ${f1(prCpu / stCpu)}× less than the product`);
		console.log(`  were all ${CORES} cores ours, CPU alone would cap the product at ~${f0((CORES * 1000) / prCpu)} replies/s and the floor at ~${f0((CORES * 1000) / flCpu)} (ratio ${(flCpu / prCpu).toFixed(2)})`);
		console.log(`  the product's own processes kept ${busy(top.pr, PRODUCT_PROCS).toFixed(2)} of ${CORES} cores busy; machine load average ${os.loadavg().map(l => l.toFixed(1)).join(" / ")} (other work shares these cores)`);
		console.log(`  Redis commands per reply: product ${redisTotal(top.pr).toFixed(1)}, floor ${redisTotal(top.fl).toFixed(1)}`);
		console.log(`  idle, with no traffic, the cluster's processes use ${idleCores.toFixed(3)} cores (${PRODUCT_PROCS.map(k => `${k} ${((idle.seconds[k] ?? 0) / idle.wallSeconds).toFixed(3)}`).join(", ")})`);

		// ---- store bytes per conversation
		console.log(`\nstore bytes per conversation (Redis MEMORY USAGE and serialised length of every key a new conversation adds; goal ≤ 2 KB)`);
		for (const turns of [1, 3]) {
			const s = await storeBytes(redis, gatewayPort, sink, STORE_SAMPLE, turns);
			console.log(`  ${STORE_SAMPLE} conversations of ${turns} message(s) each${s.failed ? ` (${s.failed} replies missing)` : ""}: ${f0(s.perConversation)} B in memory, ${f0(s.perConversationSerialised)} B serialised per conversation  ${s.perConversation <= 2048 ? "(≤ 2 KB: met)" : "(> 2 KB: MISSED)"}`);
			const rows = [...s.parts.entries()].sort((a, b) => b[1].memory - a[1].memory);
			// What the conversation itself is: the keys kept as long as it is (a day under the
			// retention is still it: the ttl counted down while the sample ran), or for good.
			const kept = rows.filter(([, p]) => p.ttlMs < 0 || p.ttlMs >= RETENTION_MS - DAY_MS);
			const keptMem = kept.reduce((n, [, p]) => n + p.memory, 0) / STORE_SAMPLE;
			const keptData = kept.reduce((n, [, p]) => n + p.serialised, 0) / STORE_SAMPLE;
			console.log(`    kept for the conversation's retention (${DEFAULT_CONVERSATION_RETENTION_DAYS} d after its last message) or for good (${kept.map(([k, p]) => `${k.replace(/ \(growth\)$/, "")} ${p.ttl}`).join(", ")}): ${f0(keptMem)} B in memory, ${f0(keptData)} B serialised ${keptMem <= 2048 ? "(≤ 2 KB: met)" : "(> 2 KB: MISSED)"}`);
			// What a conversation still holds an hour later: the keys that last days (Meta's 7-day
			// retries, status correlation) count, the short-lived pacing and send marks do not.
			const lasting = rows.filter(([, p]) => p.ttlMs < 0 || p.ttlMs > 3_600_000);
			const lastingMem = lasting.reduce((n, [, p]) => n + p.memory, 0) / STORE_SAMPLE;
			console.log(`    an hour later (the conversation, and keys that live days): ${f0(lastingMem)} B in memory ${lastingMem <= 2048 ? "(≤ 2 KB)" : "(> 2 KB)"}`);
			console.log(`    every key, by memory (ttl ${DEFAULT_CONVERSATION_RETENTION_DAYS} d = the conversation's data; none = kept for good; the others are dedupe, idempotency, correlation and pacing keys that expire sooner):`);
			for (const [name, p] of rows)
				console.log(`    ${name.padEnd(56)} ${(p.keys / STORE_SAMPLE).toFixed(1).padStart(5)} keys  ${f0(p.memory / STORE_SAMPLE).padStart(6)} B mem  ${f0(p.serialised / STORE_SAMPLE).padStart(6)} B data  ttl ${p.ttl}`);
		}

		// ---- heap with idle conversations
		await settle(sink);
		const realKeys = await scanKeys(redis, `${NAMESPACE}:conv:*`);
		const convIds = realKeys.filter(k => /^[^:]+:conv:[a-z][a-z0-9-]*:\d+$/.test(k));
		const heapReal = await heapOf(sellers);
		const templateKey = convIds.find(k => k.includes(":fashion:"))!;
		const templateId = templateKey.slice(`${NAMESPACE}:conv:`.length);
		const store = await RedisStore.connect(redisServer.url, { prefix: `${NAMESPACE}:` });
		const template = (await store.getVersioned<StoredConversationRecord>(conversationKey(templateId)))!.value;
		await store.close();
		const toSeed = Math.max(0, IDLE_TARGET - convIds.length);
		const mem0 = Number((await redis.info("memory")).match(/used_memory:(\d+)/)![1]);
		const seedStart = Date.now();
		await seedIdle(redisServer.url, template, "fashion", toSeed);
		const seedMs = Date.now() - seedStart;
		const mem1 = Number((await redis.info("memory")).match(/used_memory:(\d+)/)![1]);
		const total = (await scanKeys(redis, `${NAMESPACE}:conv:fashion:*`)).length + convIds.filter(k => !k.includes(":fashion:")).length;
		// A seeded conversation must be a live one: its customer writes again and gets an answer.
		const probeAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
		const probe = await message(probeAgent, gatewayPort, String(4916000000000 + Math.floor(toSeed / 2)), BRANDS[0], "Do you have a black jacket under $100?");
		probeAgent.destroy();
		await settle(sink);
		const heapIdle = await heapOf(sellers);
		const heaps = await Promise.all(procs.map(p => heapOf(p)));

		console.log(`\nheap of the sellers process (heapUsed after a forced full GC${heapIdle.gc ? "" : " — gc() NOT available, figures include garbage"}):`);
		const row = (label: string, value: string) => console.log(`  ${label.padEnd(72)} ${value}`);
		row("just started", mb(heap0.heapUsed));
		row(`after warm-up (${WARMUP_CONVERSATIONS + 1} conversations)`, mb(heapWarm.heapUsed));
		row(`after the runs (${convIds.length} idle conversations, all created through webhooks)`, mb(heapReal.heapUsed));
		row(`with ${total} idle conversations`, `${mb(heapIdle.heapUsed)}  (rss ${mb(heapIdle.rss)})`);
		console.log(`  how: ${convIds.length} created through the real path (webhook → gateway → NATS → seller → Redis); the other ${toSeed}`);
		console.log(`    written straight into Redis in ${(seedMs / 1000).toFixed(1)} s: a fashion conversation stored in this run, re-addressed to a new wa_id,`);
		console.log(`    restored with restoreConversation (validated against the machine) and saved with saveConversation, under conv:<id>`);
		console.log(`    and the brand index, as the host stores them; Redis grew ${f0((mem1 - mem0) / Math.max(1, toSeed))} B per seeded conversation (record + index entry only)`);
		console.log(`  a seeded conversation answered a new message: ${"ms" in probe ? `yes, in ${f1(probe.ms)} ms` : `NO (${probe.error})`}`);
		console.log(`  other processes now: ${procs.map((p, i) => `${p.name} ${mb(heaps[i].heapUsed)}`).join(", ")}`);
		console.log(`\nbench:e2e took ${((Date.now() - started) / 1000).toFixed(0)} s`);
	} finally {
		await Promise.all(procs.map(p => stopProc(p.child)));
		if (floor) await stopProc(floor);
		await Promise.all(stack.map(stopProc));
		redis?.disconnect();
		await stopTracing?.();
		await sink.stop();
		await Promise.all(servers.map(s => s.stop()));
	}
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
