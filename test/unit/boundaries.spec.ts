/**
 * The boundaries that keep the house easy to change, checked on every import of our own code:
 * machines are pure (contracts and xstate only), contracts import nothing of ours but contracts,
 * agents know no transport, and the gateway reaches machines and agents only through the broker.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";

const root = path.resolve(__dirname, "../..");

function sources(dir: string): string[] {
	const out: string[] = [];
	for (const name of readdirSync(path.join(root, dir))) {
		const rel = path.join(dir, name);
		if (statSync(path.join(root, rel)).isDirectory()) out.push(...sources(rel));
		else if (/\.ts$/.test(name) && !name.endsWith(".d.ts")) out.push(rel);
	}
	return out;
}

/** Every module a file imports: our own as paths from the repo root, packages by name. */
function importsOf(file: string): string[] {
	const text = readFileSync(path.join(root, file), "utf8");
	const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)[^;]*?from\s+["']([^"']+)["']/g), ...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map(m => m[1]!);
	return specs.map(s => (s.startsWith(".") ? path.relative(root, path.resolve(path.dirname(path.join(root, file)), s)) : s));
}

function offenders(dir: string, allowed: (spec: string) => boolean): string[] {
	return sources(dir).flatMap(f => importsOf(f).filter(s => !allowed(s)).map(s => `${f} imports ${s}`));
}

const ownTopLevel = (spec: string) => spec.split(path.sep)[0]!;
const isOwn = (spec: string) => !spec.startsWith("node:") && readdirSync(root).includes(ownTopLevel(spec)) && !spec.startsWith("node_modules");

describe("module boundaries", () => {
	it("sees the imports it checks (single- and multi-line, type-only, relative)", () => {
		assert.ok(importsOf("machines/conversation.machine.ts").includes(path.join("contracts", "conversation")));
		assert.ok(importsOf("machines/escalation.machine.ts").includes("xstate"));
		assert.ok(importsOf("gateway/console.service.ts").includes(path.join("adapters", "broker-config")));
		assert.ok(isOwn(path.join("services", "catalog.service")) && !isOwn("moleculer") && !isOwn("node:http"));
	});

	it("machines import nothing of ours but contracts, and no package but xstate", () => {
		assert.deepEqual(offenders("machines", s => (isOwn(s) ? ["contracts", "machines"].includes(ownTopLevel(s)) : s === "xstate")), []);
	});

	it("contracts import nothing of ours but other contracts", () => {
		assert.deepEqual(offenders("contracts", s => !isOwn(s) || ownTopLevel(s) === "contracts"), []);
	});

	it("agents know no transport: no broker, HTTP server, socket, store or service of ours", () => {
		const transport = /^(moleculer|moleculer-web|@moleculer\/channels|ws|ioredis|nats|node:http|node:net)$/;
		assert.deepEqual(offenders("agents", s => (isOwn(s) ? ["agents", "contracts"].includes(ownTopLevel(s)) : !transport.test(s))), []);
	});

	it("the gateway reaches machines, agents and services only through the broker", () => {
		assert.deepEqual(offenders("gateway", s => !isOwn(s) || !["machines", "agents", "services"].includes(ownTopLevel(s))), []);
	});
});
