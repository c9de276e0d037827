import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { rm } from "node:fs/promises";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import Redis from "ioredis";
import { connect as connectNats } from "nats";
import { waitFor } from "./wait";

export interface ServerHandle {
	url: string;
	port: number;
	stop(): Promise<void>;
}

const HOST = "127.0.0.1";
const INSTALL_HINT = "apt-get install -y nats-server redis-server";
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const PORT_ATTEMPTS = 5;
const OUTPUT_LIMIT = 64 * 1024;

/** Every server child not yet stopped, including ones still starting, for `killServersSync`. */
const running = new Set<{ child: ChildProcess; dir: string }>();

export function startNats(): Promise<ServerHandle> {
	return launch({
		binary: "nats-server",
		args: (port, dir) => ["-js", "-a", HOST, "-p", String(port), "-sd", dir],
		url: (port) => `nats://${HOST}:${port}`,
		ready: async (url) => {
			const nc = await connectNats({ servers: url, reconnect: false, timeout: 1000 });
			try {
				await nc.jetstreamManager();
				return true;
			} finally {
				await nc.close();
			}
		},
	});
}

export function startRedis(): Promise<ServerHandle> {
	return launch({
		binary: "redis-server",
		args: (port, dir) => ["--port", String(port), "--bind", HOST, "--save", "", "--appendonly", "no", "--dir", dir],
		url: (port) => `redis://${HOST}:${port}`,
		ready: async (url) => {
			const client = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
			client.on("error", () => {
				// The failed probe is retried; its rejection carries the error.
			});
			try {
				await client.connect();
				return (await client.ping()) === "PONG";
			} finally {
				client.disconnect();
			}
		},
	});
}

/** Last resort for `process.on("exit")`, where nothing asynchronous runs any more. */
export function killServersSync(): void {
	for (const server of running) {
		server.child.kill("SIGKILL");
		rmSync(server.dir, { recursive: true, force: true });
	}
	running.clear();
}

/** A port that was free a moment ago; callers retry if someone takes it in between. */
export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once("error", reject);
		server.listen(0, HOST, () => {
			const address = server.address();
			const port = typeof address === "object" && address ? address.port : 0;
			server.close(() => (port ? resolve(port) : reject(new Error("could not determine a free port"))));
		});
	});
}

export function findBinary(name: string): string {
	const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), "/usr/sbin", "/usr/bin"];
	for (const dir of dirs) {
		const candidate = join(dir, name);
		try {
			accessSync(candidate, constants.X_OK);
			return candidate;
		} catch {
			// Not in this directory.
		}
	}
	throw new Error(`${name} not found in PATH, /usr/sbin or /usr/bin; install it with: ${INSTALL_HINT}`);
}

interface ServerSpec {
	binary: string;
	args(port: number, dir: string): string[];
	url(port: number): string;
	/** One readiness probe beyond accepting TCP; throwing or false means "not yet". */
	ready(url: string): Promise<boolean>;
}

class PortTakenError extends Error {}

async function launch(spec: ServerSpec): Promise<ServerHandle> {
	const binary = findBinary(spec.binary);
	for (let attempt = 1; ; attempt++) {
		try {
			return await launchOnce(spec, binary, await freePort());
		} catch (err) {
			if (!(err instanceof PortTakenError) || attempt >= PORT_ATTEMPTS) throw err;
		}
	}
}

async function launchOnce(spec: ServerSpec, binary: string, port: number): Promise<ServerHandle> {
	const dir = mkdtempSync(join(tmpdir(), `${spec.binary}-`));
	const url = spec.url(port);
	const args = spec.args(port, dir);
	const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
	const server = { child, dir };
	running.add(server);

	let output = "";
	const capture = (chunk: Buffer) => {
		output = (output + chunk.toString()).slice(-OUTPUT_LIMIT);
	};
	child.stdout?.on("data", capture);
	child.stderr?.on("data", capture);

	let exit: string | undefined;
	const exited = new Promise<void>((resolve) => {
		child.once("error", (err) => {
			exit ??= `failed to spawn: ${err.message}`;
			resolve();
		});
		child.once("exit", (code, signal) => {
			exit ??= signal ? `killed by ${signal}` : `exited with code ${code}`;
			resolve();
		});
	});

	let stopping: Promise<void> | undefined;
	const stop = () =>
		(stopping ??= (async () => {
			if (exit === undefined) {
				child.kill("SIGTERM");
				const timedOut = await Promise.race([exited.then(() => false), delay(STOP_TIMEOUT_MS).then(() => true)]);
				if (timedOut) {
					child.kill("SIGKILL");
					await exited;
				}
			}
			running.delete(server);
			await rm(dir, { recursive: true, force: true });
		})());

	// Either probe ends the wait early when the child dies, instead of polling until the deadline.
	const deadline = Date.now() + START_TIMEOUT_MS;
	const until = async (probe: () => Promise<boolean>, what: string) => {
		await waitFor(async () => exit !== undefined || (await probe()), {
			timeoutMs: Math.max(deadline - Date.now(), 1),
			message: `${spec.binary} on port ${port}: ${what}`,
		});
		if (exit !== undefined) throw new Error(`${spec.binary} ${exit}`);
	};
	try {
		await until(() => acceptsTcp(port), "accepting TCP connections");
		await until(() => spec.ready(url), "ready");
		return { url, port, stop };
	} catch (err) {
		await stop();
		const reason = err instanceof Error ? err.message : String(err);
		const command = [binary, ...args].map((arg) => arg || "''").join(" ");
		const message = `${spec.binary} failed to start (${command}): ${reason}\n--- output ---\n${output}`;
		const ErrorType = /address already in use/i.test(output) ? PortTakenError : Error;
		throw new ErrorType(message, { cause: err });
	}
}

function acceptsTcp(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = createConnection({ host: HOST, port });
		socket.once("connect", () => {
			socket.destroy();
			resolve(true);
		});
		socket.once("error", () => resolve(false));
	});
}

function delay(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
