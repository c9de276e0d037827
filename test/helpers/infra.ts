import Redis from "ioredis";
import { killServersSync, type ServerHandle, startNats, startRedis } from "./servers";

export interface Infra {
	natsUrl: string;
	redisUrl: string;
}

let started: Promise<Infra> | undefined;
const servers: ServerHandle[] = [];

/** Starts nats-server and redis-server on first use; later calls share them for the whole run. */
export function infra(): Promise<Infra> {
	started ??= start();
	return started;
}

async function start(): Promise<Infra> {
	const [nats, redis] = await Promise.allSettled([startNats(), startRedis()]);
	for (const result of [nats, redis]) if (result.status === "fulfilled") servers.push(result.value);
	if (nats.status === "fulfilled" && redis.status === "fulfilled") {
		return { natsUrl: nats.value.url, redisUrl: redis.value.url };
	}
	await stopServers();
	const failures = [nats, redis].flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
	if (failures.length === 1) throw failures[0];
	throw new Error(failures.map((failure) => (failure instanceof Error ? failure.message : String(failure))).join("\n\n"));
}

async function stopServers(): Promise<void> {
	await Promise.all(servers.splice(0).map((server) => server.stop()));
}

/** Empties the shared Redis, for tests that need a clean database. */
export async function flushRedis(): Promise<void> {
	const { redisUrl } = await infra();
	const client = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 });
	try {
		await client.connect();
		await client.flushall();
	} finally {
		client.disconnect();
	}
}

// Mocha root hook plugin (loaded with --require): stops the servers once all tests ran, failed or not.
export const mochaHooks = {
	async afterAll() {
		const pending = started;
		started = undefined;
		// A start still in flight (e.g. its test timed out) must finish before its servers can be stopped.
		await pending?.catch(() => undefined);
		await stopServers();
	},
};

// Covers exits that skip afterAll (crash, process.exit, Ctrl-C handled by mocha).
process.on("exit", killServersSync);
