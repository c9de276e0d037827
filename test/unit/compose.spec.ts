/**
 * There is no Docker engine in CI, so the container split is checked statically: the compose file
 * must agree with the service catalog (a renamed or new service cannot silently drop out of the
 * deployment), with the public configuration contract, and with what `npm run build` produces.
 */
import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { parse } from "yaml";
import { serviceCatalog } from "../../services";

const ROOT = path.resolve(__dirname, "..", "..");
const ENTRY = "dist/scripts/start.js";

type Env = Record<string, string>;
interface ComposeService {
	image?: string;
	build?: string | { context?: string; dockerfile?: string };
	command?: string | string[];
	environment?: Record<string, string | number | boolean | null> | string[];
	depends_on?: string[] | Record<string, { condition?: string }>;
	ports?: (string | number | { target?: number | string; published?: number | string })[];
	volumes?: (string | { type?: string; source?: string; target?: string })[];
	healthcheck?: { test?: string | string[]; disable?: boolean };
}
interface Compose {
	services: Record<string, ComposeService>;
	volumes?: Record<string, unknown>;
}

// Docker Compose honours YAML merge keys (`<<: *app`); the yaml package needs them switched on.
const compose = parse(readFileSync(path.join(ROOT, "docker-compose.yml"), "utf8"), { merge: true }) as Compose;
const services = compose.services;

function serviceByImage(prefix: string): [string, ComposeService] {
	const found = Object.entries(services).filter(([, s]) => s.image?.startsWith(prefix));
	assert.equal(found.length, 1, `exactly one compose service runs the ${prefix} image`);
	return found[0]!;
}

const [natsName, nats] = serviceByImage("nats:");
const [redisName, redis] = serviceByImage("redis:");
const apps = Object.entries(services).filter(([name]) => name !== natsName && name !== redisName);

function words(command: string | string[] | undefined): string[] {
	if (command === undefined) return [];
	return Array.isArray(command) ? command.map(String) : command.split(/\s+/).filter(Boolean);
}

function env(service: ComposeService): Env {
	const raw = service.environment ?? {};
	if (Array.isArray(raw))
		return Object.fromEntries(raw.map(entry => {
			const i = entry.indexOf("=");
			return i < 0 ? [entry, ""] : [entry.slice(0, i), entry.slice(i + 1)];
		}));
	return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v === null ? "" : String(v)]));
}

function serviceNames(service: ComposeService): string[] {
	return (env(service).SERVICES ?? "").split(",").map(s => s.trim()).filter(Boolean);
}

/** The named volume mounted at `target`, if that mount is a named volume declared at the top level. */
function namedVolumeAt(service: ComposeService, target: string): string | undefined {
	for (const v of service.volumes ?? []) {
		const [source, dest] = typeof v === "string" ? v.split(":") : [v.source, v.target];
		const isNamed = source !== undefined && !source.startsWith(".") && !source.startsWith("/");
		if (dest === target && isNamed && compose.volumes && source in compose.volumes) return source;
	}
	return undefined;
}

function assertHealthcheck(name: string, service: ComposeService): void {
	const hc = service.healthcheck;
	assert.ok(hc && !hc.disable, `${name} has a healthcheck`);
	const test = words(hc.test);
	assert.ok(test.length > 0 && test[0] !== "NONE", `${name}'s healthcheck runs a command`);
}

describe("docker-compose.yml", () => {
	it("runs NATS with JetStream on a persistent volume", () => {
		const args = words(nats.command);
		assert.ok(args.includes("-js") || args.includes("--jetstream"), `${natsName} enables JetStream: ${args.join(" ")}`);
		const sdFlag = args.findIndex(a => a === "-sd" || a === "--store_dir");
		assert.ok(sdFlag >= 0, `${natsName} sets a JetStream store directory`);
		const storeDir = args[sdFlag + 1]!;
		assert.ok(namedVolumeAt(nats, storeDir), `${natsName}'s store directory ${storeDir} is a named volume`);
		assertHealthcheck(natsName, nats);
	});

	it("runs Redis with append-only persistence on a volume", () => {
		assert.ok(namedVolumeAt(redis, "/data"), `${redisName}'s /data is a named volume`);
		assert.match(words(redis.command).join(" "), /--appendonly yes/);
		assertHealthcheck(redisName, redis);
	});

	it("has app containers", () => {
		assert.ok(apps.length > 0);
	});

	for (const [name, app] of apps) {
		describe(`app container ${name}`, () => {
			it("builds from the repository's Dockerfile", () => {
				assert.ok(app.build, `${name} has a build section`);
				const build = typeof app.build === "string" ? { context: app.build } : app.build;
				const context = path.resolve(ROOT, build.context ?? ".");
				const dockerfile = path.resolve(context, build.dockerfile ?? "Dockerfile");
				assert.equal(dockerfile, path.join(ROOT, "Dockerfile"));
			});

			it("joins the cluster on the nats and redis services", () => {
				const e = env(app);
				const transporter = new URL(e.TRANSPORTER ?? "");
				assert.equal(transporter.protocol, "nats:");
				assert.equal(transporter.hostname, natsName);
				assert.equal(transporter.port || "4222", "4222");
				const redisUrl = new URL(e.REDIS_URL ?? "");
				assert.equal(redisUrl.protocol, "redis:");
				assert.equal(redisUrl.hostname, redisName);
				assert.equal(redisUrl.port || "6379", "6379");
			});

			it("waits for nats and redis to be healthy", () => {
				const deps = app.depends_on;
				assert.ok(deps && !Array.isArray(deps), `${name} uses the long depends_on form (conditions)`);
				for (const dep of [natsName, redisName])
					assert.equal(deps[dep]?.condition, "service_healthy", `${name} waits for ${dep} to be healthy`);
			});

			it("takes secrets from the operator, never from the file", () => {
				const e = env(app);
				for (const key of ["WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN", "WHATSAPP_ACCESS_TOKEN", "OPENAI_API_KEY", "ORDERS_WEBHOOK_SECRET"])
					assert.equal(e[key], `\${${key}:-}`, `${name} passes ${key} through from the environment`);
			});

			it("runs only services that exist", () => {
				const names = serviceNames(app);
				assert.ok(names.length > 0, `${name} sets SERVICES`);
				const known = serviceCatalog.map(s => s.name);
				for (const n of names) assert.ok(known.includes(n), `${name}: SERVICES names "${n}", not one of ${known.join(", ")}`);
			});

			it(`starts ${ENTRY}`, () => {
				assert.deepEqual(words(app.command), ["node", ENTRY]);
			});
		});
	}

	it("runs every service of the catalog in some container", () => {
		const deployed = new Set(apps.flatMap(([, app]) => serviceNames(app)));
		const missing = serviceCatalog.map(s => s.name).filter(n => !deployed.has(n));
		assert.deepEqual(missing, [], `services in no container: ${missing.join(", ")}`);
	});

	it("runs the console beside api: its sockets ride on that node's HTTP server", () => {
		const withConsole = apps.filter(([, app]) => serviceNames(app).includes("console"));
		assert.ok(withConsole.length > 0, "some container runs console");
		for (const [name, app] of withConsole) assert.ok(serviceNames(app).includes("api"), `${name} runs console without api`);
	});

	it("publishes the api container's port, binds it on all interfaces and probes it", () => {
		const withApi = apps.filter(([, app]) => serviceNames(app).includes("api"));
		assert.ok(withApi.length > 0);
		for (const [name, app] of withApi) {
			const e = env(app);
			assert.equal(e.HOST, "0.0.0.0", `${name} sets HOST=0.0.0.0`);
			const port = e.PORT ?? "3000";
			const targets = (app.ports ?? []).map(p =>
				typeof p === "object" ? String(p.target) : String(p).split(":").pop()!.split("/")[0]
			);
			assert.ok(targets.includes(port), `${name} publishes its PORT ${port} (publishes ${targets.join(", ") || "nothing"})`);
			assertHealthcheck(name, app);
			assert.match(words(app.healthcheck!.test).join(" "), new RegExp(`127\\.0\\.0\\.1:${port}/health/`));
		}
	});

	it(`gets ${ENTRY} from npm run build`, () => {
		const pkg = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> };
		const project = /\btsc\b[^&;]*?-p\s+(\S+)/.exec(pkg.scripts.build ?? "")?.[1];
		assert.ok(project, `the build script runs tsc -p <tsconfig>: ${pkg.scripts.build}`);
		const source = path.join(ROOT, "scripts", "start.ts");
		assert.ok(existsSync(source), "scripts/start.ts exists");

		const configFile = path.resolve(ROOT, project);
		const read = ts.readConfigFile(configFile, ts.sys.readFile);
		assert.equal(read.error, undefined);
		const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configFile), undefined, configFile);
		assert.ok(parsed.fileNames.map(f => path.resolve(f)).includes(source), `${project} compiles scripts/start.ts`);
		const outputs = ts.getOutputFileNames(parsed, source, false).map(f => path.resolve(f));
		assert.ok(outputs.includes(path.join(ROOT, ENTRY)), `scripts/start.ts compiles to ${outputs.join(", ")}`);
	});
});

describe("Dockerfile", () => {
	const file = path.join(ROOT, "Dockerfile");

	/** Instructions of the last stage (the image that runs), continuation lines joined. */
	function finalStage(): string[] {
		const lines = readFileSync(file, "utf8")
			.replace(/\\\r?\n/g, " ")
			.split(/\r?\n/)
			.map(l => l.trim())
			.filter(l => l && !l.startsWith("#"));
		const lastFrom = lines.map(l => /^FROM\s/i.test(l)).lastIndexOf(true);
		assert.ok(lastFrom >= 0, "the Dockerfile has a FROM");
		return lines.slice(lastFrom);
	}

	it("exists", () => {
		assert.ok(existsSync(file));
	});

	it(`runs ${ENTRY} in its final stage`, () => {
		const cmd = finalStage().filter(l => /^CMD\s/i.test(l)).pop();
		assert.ok(cmd, "the final stage has a CMD");
		assert.match(cmd, new RegExp(ENTRY.replace(/\./g, "\\.")));
	});

	it("does not run as root", () => {
		const user = finalStage().filter(l => /^USER\s/i.test(l)).pop();
		assert.ok(user, "the final stage has a USER");
		const who = user.replace(/^USER\s+/i, "").split(":")[0]!.trim();
		assert.ok(who !== "root" && who !== "0", `runs as ${who}`);
	});
});
