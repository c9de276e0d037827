/**
 * `npm run bench:gateway`: webhook acknowledgement latency (p50, p99) and throughput of the
 * gateway (api + whatsapp on Redis) against a floor measured in the same run — a minimal Node
 * server that checks the HMAC and does one Redis SET NX — at several concurrencies, plus a fixed
 * 500 msg/s run (the goal: p50 ≤ 25 ms, p99 ≤ 100 ms, throughput ≥ 0.5 × the floor, read
 * on each server's peak: the best of its concurrencies). The gateway runs compiled, as production
 * does (bench/product.ts).
 * Each request carries one new text message, signed like Meta's. Next to each closed-loop figure
 * it prints the Redis commands each webhook cost (from INFO commandstats; steps run inside a
 * script count too, next to the script call), a figure the machine's load does not blur.
 */
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import path from "node:path";
import Redis from "ioredis";
import { signBody } from "../gateway/whatsapp/signature";
import { freePort, startRedis } from "../test/helpers/servers";
import { childPids, cpuMeter } from "./proc-stats";
import { buildProduct, START_SCRIPT } from "./product";

const SECRET = "bench-app-secret-123";
const CONCURRENCIES = [1, 16, 64];
const ROUNDS = 3;
/** Each round measures this long per server and concurrency, after its own warm-up. */
const RUN_MS = 2000;
const WARMUP_MS = 500;
const RATE_RUN = { perSecond: 500, seconds: 4 };
let seq = 0;
/** Webhooks sent so far, warm-ups included: the divisor of the Redis commands per webhook. */
let sent = 0;

function payload(): Buffer {
	const id = `wamid.BENCH${process.pid}x${++seq}`;
	return Buffer.from(
		JSON.stringify({
			object: "whatsapp_business_account",
			entry: [{ id: "200000000000001", changes: [{ field: "messages", value: { messaging_product: "whatsapp", metadata: { display_phone_number: "15550001111", phone_number_id: "100000000000001" }, contacts: [{ profile: { name: "Bench" }, wa_id: "15550002222" }], messages: [{ from: "15550002222", id, timestamp: String(Math.floor(Date.now() / 1000)), type: "text", text: { body: "How much is the black jacket?" } }] } }] }]
		})
	);
}

function post(agent: http.Agent, port: number): Promise<number> {
	const raw = payload();
	sent++;
	const started = process.hrtime.bigint();
	return new Promise((resolve, reject) => {
		const req = http.request({ host: "127.0.0.1", port, path: "/webhooks/whatsapp", method: "POST", agent, headers: { "content-type": "application/json", "content-length": raw.length, "x-hub-signature-256": signBody(SECRET, raw) } }, res => {
			res.resume();
			res.on("end", () => (res.statusCode === 200 ? resolve(Number(process.hrtime.bigint() - started) / 1e6) : reject(new Error(`HTTP ${res.statusCode}`))));
		});
		req.on("error", reject);
		req.end(raw);
	});
}

interface Figures {
	rps: number;
	p50: number;
	p99: number;
}

function summarise(latencies: number[], ms: number): Figures {
	const sorted = [...latencies].sort((a, b) => a - b);
	const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
	return { rps: (latencies.length / ms) * 1000, p50: q(0.5), p99: q(0.99) };
}

/**
 * Closed loop for a fixed time, not a fixed count: the floor answers 10,000 requests a second, so
 * a fixed count of 1,500 lasted a seventh of a second, and a GC pause or a scheduler hiccup then
 * moved the figure by a third. The warm-up also runs for a fixed time, so both servers' JIT and
 * connection pools are warm at this concurrency before anything counts.
 */
async function closedLoop(port: number, concurrency: number, runMs: number): Promise<Figures & { requests: number }> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
	const drive = async (ms: number, latencies: number[] | null) => {
		const until = Date.now() + ms;
		await Promise.all(
			Array.from({ length: concurrency }, async () => {
				while (Date.now() < until) {
					const ms = await post(agent, port);
					latencies?.push(ms);
				}
			})
		);
	};
	await drive(WARMUP_MS, null);
	const latencies: number[] = [];
	const t0 = Date.now();
	await drive(runMs, latencies);
	const elapsed = Date.now() - t0;
	agent.destroy();
	return { ...summarise(latencies, elapsed), requests: latencies.length };
}

/** Open loop: requests start on schedule whether or not earlier ones are done (as Meta sends). */
async function fixedRate(port: number, perSecond: number, seconds: number): Promise<Figures> {
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	const latencies: Promise<number>[] = [];
	const t0 = Date.now();
	const total = perSecond * seconds;
	for (let i = 0; i < total; i++) {
		const due = t0 + (i * 1000) / perSecond;
		const wait = due - Date.now();
		if (wait > 0) await new Promise(r => setTimeout(r, wait));
		latencies.push(post(agent, port));
	}
	const all = await Promise.all(latencies);
	const elapsed = Date.now() - t0;
	agent.destroy();
	return summarise(all, elapsed);
}

type Server = ChildProcess & { port: number };

/** Spawns a server and resolves once it prints `ready` (a floor) or the product's banner. */
async function launch(args: string[], port: number, env?: Record<string, string>, ready = "ready"): Promise<Server> {
	const child = spawn(process.execPath, args, { ...(env ? { env } : {}), stdio: ["ignore", "pipe", "inherit"] });
	await new Promise<void>((resolve, reject) => {
		child.stdout!.on("data", d => d.toString().includes(ready) && resolve());
		child.once("exit", code => reject(new Error(`${args.at(-1)} exited with ${code}`)));
	});
	return Object.assign(child, { port });
}

/** The floor: a few lines of bench code, run through tsx (its CPU is Node's HTTP, crypto and ioredis either way). */
const launchFloor = async (redisUrl: string) => {
	const port = await freePort();
	return launch(["--import", "tsx", path.join(__dirname, "floor-server.ts"), String(port), redisUrl, SECRET], port);
};

/**
 * The product's gateway as deployed: the compiled product (`node dist/scripts/start.js`) running
 * the api and whatsapp services on Redis (store and durable channels over Redis Streams), no
 * transporter.
 */
const launchGateway = async (redisUrl: string) => {
	const port = await freePort();
	// Only what this run sets: nothing from the caller's environment (a TRANSPORTER, a real token) leaks in.
	const env = { PORT: String(port), REDIS_URL: redisUrl, WHATSAPP_APP_SECRET: SECRET, SERVICES: "api,whatsapp", LOG_LEVEL: "warn", NAMESPACE: `benchgw${process.pid}` };
	return launch([START_SCRIPT], port, env, "Agent Store is running");
};

/** Polling by the gateway's channel consumers, not work done per webhook. */
const BACKGROUND = /^(xreadgroup|xautoclaim|xpending|xclaim|xinfo|xgroup|ping|info|config|client|select|hello|script)/;

/** Redis commands per request since the last reset, e.g. `set 1.00`. */
async function commandsPerRequest(redis: Redis, requests: number): Promise<string> {
	const info = await redis.info("commandstats");
	const counts = [...info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)]
		.map(([, name, calls]) => [name.replace("|", " "), Number(calls)] as const)
		.filter(([name]) => !BACKGROUND.test(name))
		.sort((a, b) => b[1] - a[1]);
	return counts.map(([name, calls]) => `${name} ${(calls / requests).toFixed(2)}`).join(", ") || "none";
}

type Measured = Figures & { commands: string; cpu: string };

/**
 * One closed-loop round, with the CPU each process spent per webhook (server, redis-server, and
 * the load generator itself): on two shared cores the three compete, so the throughput ratio is
 * mostly the ratio of these costs, and they move far less between runs than the throughput does.
 */
async function measured(redis: Redis, server: Server, concurrency: number): Promise<Measured> {
	const before = sent;
	await redis.config("RESETSTAT");
	const meter = cpuMeter({ server: server.pid!, redis: childPids(process.pid, "redis-server")[0] ?? -1, client: process.pid });
	const figures = await closedLoop(server.port, concurrency, RUN_MS);
	const used = meter.stop().seconds;
	// The warm-up's requests hit Redis too: commands and CPU are divided by every request of the round.
	const n = sent - before;
	const cpu = Object.entries(used).map(([k, s]) => `${k} ${((s * 1e6) / n).toFixed(0)}`).join(", ");
	return { ...figures, commands: await commandsPerRequest(redis, n), cpu: `${cpu} µs` };
}

/** The round with the median throughput (its latencies come with it). */
function median<T extends Figures>(runs: T[]): T {
	return [...runs].sort((a, b) => a.rps - b.rps)[Math.floor(runs.length / 2)]!;
}

const fmt = (f: Figures) => `${f.rps.toFixed(0).padStart(6)} req/s  p50 ${f.p50.toFixed(2).padStart(6)} ms  p99 ${f.p99.toFixed(2).padStart(7)} ms`;

async function main(): Promise<void> {
	buildProduct();
	const redis = await startRedis();
	const children: ChildProcess[] = [];
	try {
		const floorServer = await launchFloor(redis.url);
		children.push(floorServer);
		const gateway = await launchGateway(redis.url);
		children.push(gateway);
		console.log(`webhook acknowledgement: ${ROUNDS} alternating rounds of ${RUN_MS / 1000} s (after ${WARMUP_MS} ms of warm-up) of one-message webhooks for the floor (HMAC + one Redis SET NX) and the gateway; median round shown\n`);
		const stats = new Redis(redis.url);
		const peaks = { floor: { rps: 0, c: 0 }, gateway: { rps: 0, c: 0 } };
		for (const c of CONCURRENCIES) {
			// Floor and gateway alternate in short rounds, so that a change in what else the machine
			// runs shows in both; each figure is the median round, and every round's ratio is printed.
			const floors: Measured[] = [];
			const gws: Measured[] = [];
			for (let round = 0; round < ROUNDS; round++) {
				floors.push(await measured(stats, floorServer, c));
				gws.push(await measured(stats, gateway, c));
			}
			const floor = median(floors);
			const gw = median(gws);
			const ratios = gws.map((g, i) => (g.rps / floors[i]!.rps).toFixed(2)).join(" ");
			if (floor.rps > peaks.floor.rps) peaks.floor = { rps: floor.rps, c };
			if (gw.rps > peaks.gateway.rps) peaks.gateway = { rps: gw.rps, c };
			console.log(`concurrency ${String(c).padStart(3)}  floor   ${fmt(floor)}`);
			console.log(`                 gateway ${fmt(gw)}   throughput ratio ${(gw.rps / floor.rps).toFixed(2)} (goal ≥ 0.5; rounds: ${ratios})`);
			console.log(`    CPU per webhook    floor: ${floor.cpu}   gateway: ${gw.cpu}`);
			console.log(`    Redis per webhook  floor: ${floor.commands}   gateway: ${gw.commands}`);
		}
		stats.disconnect();
		// A server's throughput is what it sustains at its best concurrency; with one webhook in
		// flight the closed loop measures latency (one round trip after another), shown above.
		const peak = peaks.gateway.rps / peaks.floor.rps;
		console.log(`\npeak throughput, each at its best concurrency: floor ${peaks.floor.rps.toFixed(0)} req/s (c=${peaks.floor.c}), gateway ${peaks.gateway.rps.toFixed(0)} req/s (c=${peaks.gateway.c}): ratio ${peak.toFixed(2)} (goal ≥ 0.5) ${peak >= 0.5 ? "met" : "MISSED"}`);
		const floor = await fixedRate(floorServer.port, RATE_RUN.perSecond, RATE_RUN.seconds);
		const gw = await fixedRate(gateway.port, RATE_RUN.perSecond, RATE_RUN.seconds);
		console.log(`\nfixed ${RATE_RUN.perSecond} msg/s for ${RATE_RUN.seconds} s`);
		console.log(`  floor   ${fmt(floor)}`);
		console.log(`  gateway ${fmt(gw)}   (goal p50 ≤ 25 ms, p99 ≤ 100 ms)`);
	} finally {
		for (const c of children) c.kill("SIGTERM");
		await redis.stop();
	}
}

main().catch(err => {
	console.error(err);
	process.exit(1);
});
