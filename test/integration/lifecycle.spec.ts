/**
 * The product as operators run it: `npm start` (scripts/start.ts) and moleculer-runner with our
 * moleculer.config.ts, as real child processes; SERVICES selection; graceful shutdown on SIGTERM.
 */
import assert from "node:assert/strict";
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";
import type { ServiceSchema } from "moleculer";
import sinon from "sinon";
import { MemoryStore } from "../../adapters/store";
import { createEvent } from "../../contracts/events";
import { freePort } from "../helpers/servers";
import { startBroker } from "../helpers/broker";
import { waitFor } from "../helpers/wait";

const root = path.resolve(__dirname, "../..");

interface Proc {
	child: ChildProcess;
	output: () => string;
	exited: Promise<number | null>;
}

function run(args: string[], env: Record<string, string>): Proc {
	const child = spawn(process.execPath, ["--import", "tsx", ...args], {
		cwd: root,
		env: { ...process.env, LOG_LEVEL: "info", ...env },
		stdio: ["ignore", "pipe", "pipe"]
	});
	let out = "";
	child.stdout!.on("data", d => (out += d));
	child.stderr!.on("data", d => (out += d));
	const exited = new Promise<number | null>(resolve => child.on("exit", code => resolve(code)));
	return { child, output: () => out, exited };
}

async function ready(port: number): Promise<void> {
	await waitFor(
		async () => {
			const res = await fetch(`http://127.0.0.1:${port}/health/ready`);
			return res.status === 200;
		},
		{ timeoutMs: 25_000, intervalMs: 100, message: `port ${port} never became ready` }
	);
}

describe("process lifecycle", function () {
	this.timeout(40_000);
	const running: Proc[] = [];
	afterEach(() => {
		for (const p of running.splice(0)) if (p.child.exitCode === null) p.child.kill("SIGKILL");
	});

	it("npm start serves, prints the banner, and stops cleanly on SIGTERM", async () => {
		const port = await freePort();
		const p = run(["scripts/start.ts"], { PORT: String(port) });
		running.push(p);
		await ready(port);
		await waitFor(() => p.output().includes("Agent Store is running"));
		assert.match(p.output(), /WHATSAPP_VERIFY_TOKEN=dev-/);
		assert.match(p.output(), /demo-seller-ana-0001/);
		assert.match(p.output(), new RegExp(`console +http://\\S+:${port}/console`));
		assert.equal((await fetch(`http://127.0.0.1:${port}/console`)).status, 200, "the seller console page is served");
		p.child.kill("SIGTERM");
		assert.equal(await p.exited, 0, p.output());
		assert.match(p.output(), /SIGTERM received/);
	});

	it("moleculer-runner runs our moleculer.config.ts and service files", async () => {
		const port = await freePort();
		const runner = path.join("node_modules", "moleculer", "bin", "moleculer-runner.js");
		const p = run([runner, "--config", "moleculer.config.ts", "gateway/api.service.ts", "services/dlq.service.ts"], { PORT: String(port) });
		running.push(p);
		await ready(port);
		const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
		assert.match(metrics, /moleculer_/);
		p.child.kill("SIGTERM");
		assert.equal(await p.exited, 0, p.output());
	});

	it("SERVICES limits a process to some services, and refuses unknown names", async () => {
		const bogus = run(["scripts/start.ts"], { SERVICES: "api,teleporter" });
		running.push(bogus);
		assert.equal(await bogus.exited, 1);
		assert.match(bogus.output().trim(), /^Configuration error: SERVICES=teleporter names unknown service\(s\): expected some of api, dlq/);

		const port = await freePort();
		const p = run(["scripts/start.ts"], { SERVICES: "dlq", PORT: String(port) });
		running.push(p);
		await waitFor(() => p.output().includes("Agent Store is running"), { timeoutMs: 25_000 });
		assert.match(p.output(), /services\s+dlq\n/);
		await assert.rejects(fetch(`http://127.0.0.1:${port}/health/live`), "no HTTP without the api service");
		p.child.kill("SIGTERM");
		assert.equal(await p.exited, 0);
	});

	it("finishes an in-flight channel handler before the broker stops", async () => {
		let release!: () => void;
		const gate = new Promise<void>(r => (release = r));
		let entered = false;
		let finished = false;
		const Slow: ServiceSchema = {
			name: "slow",
			channels: {
				"store.sales.insight": async () => {
					entered = true;
					await gate;
					finished = true;
				}
			}
		};
		const store = new MemoryStore();
		const writes = sinon.spy(store, "set");
		const broker = await startBroker({ services: [Slow], store: () => store });
		const event = createEvent("store.sales.insight", { brand: "home", kind: "k", metrics: {} }, { source: "/test" });
		await broker.sendToChannel(event.type, event);
		await waitFor(() => entered);
		const stopped = broker.stop();
		setImmediate(release);
		await stopped;
		assert.equal(finished, true);
		assert.ok(writes.calledWith(`chan:done:slow:${event.id}`), "the handler was acknowledged before the store closed");
	});
});
