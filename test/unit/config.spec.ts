import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ConfigError, DEFAULT_PORT, DEFAULT_WHATSAPP_MAX_BODY_BYTES, loadConfig } from "../../config";

const root = path.resolve(__dirname, "../..");

function fails(env: Record<string, string>, variable: string, accepts: RegExp) {
	assert.throws(() => loadConfig(env), (err: unknown) => {
		assert.ok(err instanceof ConfigError, String(err));
		assert.equal(err.variable, variable);
		assert.match(err.message, accepts);
		assert.ok(!err.message.includes("\n"), "one line");
		return true;
	});
}

describe("config", () => {
	it("applies the public contract's defaults", () => {
		const cfg = loadConfig({});
		assert.equal(cfg.port, DEFAULT_PORT);
		assert.equal(cfg.transporter, null);
		assert.equal(cfg.redisUrl, null);
		assert.equal(cfg.namespace, "agent-store");
		assert.equal(cfg.whatsapp.accessToken, null);
		assert.equal(cfg.whatsapp.apiUrl, "https://graph.facebook.com/v21.0");
		assert.equal(cfg.openai.apiKey, null);
		assert.equal(cfg.openai.model, "gpt-4o-mini");
		assert.equal(cfg.logLevel, "info");
		assert.equal(cfg.tracing, false);
		assert.deepEqual(cfg.channels, { maxAttempts: 5, backoffMs: 1000, maxInFlight: 64, ackWaitMs: 30_000, retentionMs: 7 * 24 * 3_600_000 });
		assert.deepEqual(Object.keys(cfg.devDefaults).sort(), ["ORDERS_WEBHOOK_SECRET", "WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN"]);
		assert.deepEqual(
			cfg.brands.map(b => [b.id, b.seller, b.phoneNumberIds[0]]),
			[
				["fashion", "Luna", "100000000000001"],
				["tech", "Max", "100000000000002"],
				["home", "Sofia", "100000000000003"],
				["beauty", "Bella", "100000000000004"],
				["gaming", "Pixel", "100000000000005"]
			]
		);
		assert.ok(cfg.sellers.length > 0);
	});

	it("reads every variable it is given", () => {
		const cfg = loadConfig({
			PORT: "8080",
			TRANSPORTER: "nats://nats:4222",
			REDIS_URL: "redis://redis:6379/1",
			NAMESPACE: "prod",
			WHATSAPP_APP_SECRET: "app-secret-123",
			WHATSAPP_VERIFY_TOKEN: "verify-token-123",
			WHATSAPP_ACCESS_TOKEN: "EAAB",
			WHATSAPP_API_URL: "http://127.0.0.1:9999/v21.0/",
			OPENAI_API_KEY: "sk-test",
			OPENAI_BASE_URL: "http://127.0.0.1:11434/v1",
			OPENAI_MODEL: "llama3",
			ORDERS_WEBHOOK_SECRET: "orders-secret-1",
			LOG_LEVEL: "DEBUG",
			SERVICES: "api, dlq"
		});
		assert.equal(cfg.port, 8080);
		assert.equal(cfg.transporter, "nats://nats:4222");
		assert.equal(cfg.redisUrl, "redis://redis:6379/1");
		assert.equal(cfg.whatsapp.apiUrl, "http://127.0.0.1:9999/v21.0");
		assert.equal(cfg.openai.baseUrl, "http://127.0.0.1:11434/v1");
		assert.equal(cfg.logLevel, "debug");
		assert.deepEqual(cfg.services, ["api", "dlq"]);
		assert.deepEqual(cfg.devDefaults, {});
	});

	it("live WhatsApp needs the Meta app's own secret and verify token: a generated one would refuse every webhook", () => {
		fails({ WHATSAPP_ACCESS_TOKEN: "EAAB", WHATSAPP_VERIFY_TOKEN: "verify-token-123" }, "WHATSAPP_APP_SECRET", /Meta app's own value when WHATSAPP_ACCESS_TOKEN is set/);
		fails({ WHATSAPP_ACCESS_TOKEN: "EAAB", WHATSAPP_APP_SECRET: "app-secret-123" }, "WHATSAPP_VERIFY_TOKEN", /live WhatsApp/);
		fails({ WHATSAPP_ACCESS_TOKEN: "EAAB", WHATSAPP_APP_SECRET: "  ", WHATSAPP_VERIFY_TOKEN: "verify-token-123" }, "WHATSAPP_APP_SECRET", /live WhatsApp/);
		assert.equal(loadConfig({}).whatsapp.accessToken, null, "the sandbox still makes its own");
	});

	it("fails on bad values with one line naming the variable and what it accepts", () => {
		fails({ PORT: "abc" }, "PORT", /PORT="abc" is invalid: expected an integer from 0 to 65535/);
		fails({ PORT: "70000" }, "PORT", /integer/);
		fails({ TRANSPORTER: "foo://x" }, "TRANSPORTER", /nats:\/\/host:port/);
		fails({ TRANSPORTER: "nats://" }, "TRANSPORTER", /nats:\/\//);
		fails({ REDIS_URL: "nonsense" }, "REDIS_URL", /redis:\/\/host:port/);
		fails({ LOG_LEVEL: "loud" }, "LOG_LEVEL", /fatal, error, warn, info, debug, trace/);
		fails({ WHATSAPP_API_URL: "ftp://x" }, "WHATSAPP_API_URL", /http/);
		fails({ CHANNEL_MAX_ATTEMPTS: "0" }, "CHANNEL_MAX_ATTEMPTS", /integer from 1/);
		fails({ WHATSAPP_APP_SECRET: "short" }, "WHATSAPP_APP_SECRET", /at least 8/);
		fails({ SERVICES: "api,Bad Name" }, "SERVICES", /service names/);
		fails({ TRACING: "maybe" }, "TRACING", /true or false/);
	});

	it("reads the WhatsApp gateway's limits and fallback templates", () => {
		const d = loadConfig({}).whatsapp;
		assert.equal(d.maxBodyBytes, DEFAULT_WHATSAPP_MAX_BODY_BYTES);
		assert.ok(d.maxBodyBytes > 3 * 1000 * 1000, "above Meta's 3 MB");
		assert.equal(d.ratePerSecond, 80);
		assert.equal(d.pairIntervalMs, 6000);
		assert.equal(d.pairBurst, 45);
		assert.deepEqual(d.fallbackTemplates, { default: { name: "hello_world", language: "en_US" } });
		const w = loadConfig({
			WHATSAPP_MAX_BODY_BYTES: "1048576",
			WHATSAPP_RATE_PER_SECOND: "20",
			WHATSAPP_PAIR_INTERVAL_MS: "0",
			WHATSAPP_PAIR_BURST: "3",
			WHATSAPP_FALLBACK_TEMPLATES: JSON.stringify({ default: { name: "reengage", language: "es" }, list: { name: "pick_again", language: "en_US", components: [] } })
		}).whatsapp;
		assert.deepEqual([w.maxBodyBytes, w.ratePerSecond, w.pairIntervalMs, w.pairBurst], [1048576, 20, 0, 3]);
		assert.deepEqual(w.fallbackTemplates.list, { name: "pick_again", language: "en_US", components: [] });
		fails({ WHATSAPP_MAX_BODY_BYTES: "10" }, "WHATSAPP_MAX_BODY_BYTES", /integer from 1024/);
		fails({ WHATSAPP_RATE_PER_SECOND: "0" }, "WHATSAPP_RATE_PER_SECOND", /integer from 1/);
		fails({ WHATSAPP_PAIR_BURST: "x" }, "WHATSAPP_PAIR_BURST", /integer/);
		for (const bad of ["nope", "[]", "{}", '{"default":{"name":"Bad Name","language":"en"}}', '{"default":{"name":"ok","language":"en"},"sticker":{"name":"ok","language":"en"}}'])
			fails({ WHATSAPP_FALLBACK_TEMPLATES: bad }, "WHATSAPP_FALLBACK_TEMPLATES", /JSON object \{"default"/);
		assert.deepEqual(d.templateLanguages, ["en_US"]);
		assert.equal(loadConfig({}).paymentLinkUrl, null);
		assert.equal(loadConfig({ PAYMENT_LINK_URL: "https://pay.example.com/o/{orderId}?src=wa" }).paymentLinkUrl, "https://pay.example.com/o/{orderId}?src=wa");
		for (const bad of ["https://pay.example.com/o/", "ftp://pay.example.com/{orderId}", "not a url {orderId}"])
			fails({ PAYMENT_LINK_URL: bad }, "PAYMENT_LINK_URL", /http\(s\) URL with \{orderId\}/);
		assert.deepEqual(loadConfig({ WHATSAPP_TEMPLATE_LANGUAGES: "en_US, es_MX,pt_BR,es_MX" }).whatsapp.templateLanguages, ["en_US", "es_MX", "pt_BR"]);
		for (const bad of ["spanish", "en_US,,es", "EN", "es-MX"])
			fails({ WHATSAPP_TEMPLATE_LANGUAGES: bad }, "WHATSAPP_TEMPLATE_LANGUAGES", /comma-separated list of template language codes/);
	});

	it("reads the human sellers' escalation timings", () => {
		assert.deepEqual(loadConfig({}).escalations, { slaMs: 120_000, graceMs: 60_000, offerTtlMs: 30_000, sweepMs: 1000, presenceTtlMs: 45_000 });
		const e = loadConfig({ ESCALATION_SLA_MS: "5000", SELLER_GRACE_MS: "0", OFFER_TTL_MS: "2000", ESCALATION_SWEEP_MS: "50", SELLER_PRESENCE_TTL_MS: "3000", CONSOLE_PRESENCE_MS: "1000" }).escalations;
		assert.deepEqual(e, { slaMs: 5000, graceMs: 0, offerTtlMs: 2000, sweepMs: 50, presenceTtlMs: 3000 });
		fails({ ESCALATION_SLA_MS: "10" }, "ESCALATION_SLA_MS", /integer from 1000/);
		fails({ SELLER_GRACE_MS: "-1" }, "SELLER_GRACE_MS", /integer from 0/);
		fails({ OFFER_TTL_MS: "soon" }, "OFFER_TTL_MS", /integer/);
		fails({ ESCALATION_SWEEP_MS: "0" }, "ESCALATION_SWEEP_MS", /integer from 10/);
		fails({ SELLER_PRESENCE_TTL_MS: "999999999" }, "SELLER_PRESENCE_TTL_MS", /to 3600000/);
	});

	it("reads how long an order waits for its payment (ORDER_PAYMENT_TIMEOUT_MINUTES, 48 h unless told)", () => {
		assert.deepEqual(loadConfig({}).orders, { paymentTimeoutMs: 48 * 3_600_000 });
		assert.equal(loadConfig({ ORDER_PAYMENT_TIMEOUT_MINUTES: "90" }).orders.paymentTimeoutMs, 90 * 60_000);
		assert.equal(loadConfig({ ORDER_PAYMENT_TIMEOUT_MINUTES: "43200" }).orders.paymentTimeoutMs, 30 * 86_400_000);
		for (const bad of ["0", "-5", "1.5", "2d", "43201"])
			fails({ ORDER_PAYMENT_TIMEOUT_MINUTES: bad }, "ORDER_PAYMENT_TIMEOUT_MINUTES", /an integer from 1 to 43200/);
	});

	it("reads the AI sellers' coalescing window, idle timeout and sweep interval", () => {
		assert.deepEqual(loadConfig({}).aiSeller, { coalesceMs: 1500, idleTimeoutMs: 86_400_000, sweepIntervalMs: 30_000, lockTtlMs: 60_000 });
		const a = loadConfig({ AI_COALESCE_MS: "0", AI_IDLE_TIMEOUT_MS: "60000", AI_SWEEP_INTERVAL_MS: "50" }).aiSeller;
		assert.deepEqual(a, { coalesceMs: 0, idleTimeoutMs: 60_000, sweepIntervalMs: 50, lockTtlMs: 60_000 });
		fails({ AI_COALESCE_MS: "-1" }, "AI_COALESCE_MS", /integer from 0 to 60000/);
		fails({ AI_COALESCE_MS: "1.5s" }, "AI_COALESCE_MS", /integer/);
		fails({ AI_IDLE_TIMEOUT_MS: "10" }, "AI_IDLE_TIMEOUT_MS", /integer from 1000/);
		fails({ AI_SWEEP_INTERVAL_MS: "0" }, "AI_SWEEP_INTERVAL_MS", /integer from 10/);
	});

	it("reads the conversation lock TTL, the model timeout and the JetStream ack wait", () => {
		const cfg = loadConfig({ AI_LOCK_TTL_MS: "1500", OPENAI_TIMEOUT_MS: "250", CHANNEL_ACK_WAIT_MS: "2000" });
		assert.equal(cfg.aiSeller.lockTtlMs, 1500);
		assert.equal(cfg.openai.timeoutMs, 250);
		assert.equal(cfg.channels.ackWaitMs, 2000);
		assert.equal(loadConfig({}).openai.timeoutMs, 20_000);
		fails({ AI_LOCK_TTL_MS: "50" }, "AI_LOCK_TTL_MS", /integer from 100/);
		fails({ OPENAI_TIMEOUT_MS: "fast" }, "OPENAI_TIMEOUT_MS", /integer/);
		fails({ CHANNEL_ACK_WAIT_MS: "0" }, "CHANNEL_ACK_WAIT_MS", /integer from 100/);
	});

	it("reads how long the channels keep a message, in hours", () => {
		assert.equal(loadConfig({ CHANNEL_RETENTION_HOURS: "48" }).channels.retentionMs, 48 * 3_600_000);
		fails({ CHANNEL_RETENTION_HOURS: "0" }, "CHANNEL_RETENTION_HOURS", /integer from 1/);
		fails({ CHANNEL_RETENTION_HOURS: "1.5" }, "CHANNEL_RETENTION_HOURS", /integer/);
	});

	it("reads how long a conversation's data is kept after its last activity, in days, no shorter than the idle timeout", () => {
		assert.equal(loadConfig({}).conversationRetentionMs, 90 * 86_400_000);
		assert.equal(loadConfig({ CONVERSATION_RETENTION_DAYS: "30" }).conversationRetentionMs, 30 * 86_400_000);
		fails({ CONVERSATION_RETENTION_DAYS: "0" }, "CONVERSATION_RETENTION_DAYS", /integer from 1 to 3650/);
		fails({ CONVERSATION_RETENTION_DAYS: "forever" }, "CONVERSATION_RETENTION_DAYS", /integer/);
		fails({ CONVERSATION_RETENTION_DAYS: "2", AI_IDLE_TIMEOUT_MS: String(3 * 86_400_000) }, "CONVERSATION_RETENTION_DAYS", /at least AI_IDLE_TIMEOUT_MS \(3 days\)/);
		assert.equal(loadConfig({ CONVERSATION_RETENTION_DAYS: "3", AI_IDLE_TIMEOUT_MS: String(3 * 86_400_000) }).conversationRetentionMs, 3 * 86_400_000);
	});

	it("reads the seller console's limits", () => {
		assert.deepEqual(loadConfig({}).console, {
			maxFrameBytes: 65_536, heartbeatMs: 15_000, presenceMs: 15_000, ratePerSecond: 20, rateBurst: 40, maxBufferedBytes: 4 * 1024 * 1024
		});
		const c = loadConfig({
			CONSOLE_MAX_FRAME_BYTES: "2048", CONSOLE_HEARTBEAT_MS: "50", CONSOLE_PRESENCE_MS: "100",
			CONSOLE_RATE_PER_SECOND: "5", CONSOLE_RATE_BURST: "10", CONSOLE_MAX_BUFFERED_BYTES: "65536"
		}).console;
		assert.deepEqual(c, { maxFrameBytes: 2048, heartbeatMs: 50, presenceMs: 100, ratePerSecond: 5, rateBurst: 10, maxBufferedBytes: 65_536 });
		fails({ CONSOLE_MAX_FRAME_BYTES: "10" }, "CONSOLE_MAX_FRAME_BYTES", /integer from 1024/);
		fails({ CONSOLE_HEARTBEAT_MS: "fast" }, "CONSOLE_HEARTBEAT_MS", /integer from 10/);
		fails({ CONSOLE_PRESENCE_MS: "0" }, "CONSOLE_PRESENCE_MS", /integer from 10/);
		fails({ CONSOLE_RATE_PER_SECOND: "0" }, "CONSOLE_RATE_PER_SECOND", /integer from 1/);
		fails({ CONSOLE_RATE_BURST: "-3" }, "CONSOLE_RATE_BURST", /integer/);
		fails({ CONSOLE_MAX_BUFFERED_BYTES: "1" }, "CONSOLE_MAX_BUFFERED_BYTES", /integer from 65536/);
		// Sellers would expire between two presence reports.
		fails({ CONSOLE_PRESENCE_MS: "20000" }, "CONSOLE_PRESENCE_MS", /at most a third of SELLER_PRESENCE_TTL_MS \(45000 ms\)/);
		assert.equal(loadConfig({ CONSOLE_PRESENCE_MS: "20000", SELLER_PRESENCE_TTL_MS: "60000" }).console.presenceMs, 20_000);
	});

	it("never echoes a secret in its error", () => {
		assert.throws(() => loadConfig({ ORDERS_WEBHOOK_SECRET: "abc" }), (err: Error) => !err.message.includes("abc"));
	});

	describe("brand and seller files", () => {
		const dir = mkdtempSync(path.join(os.tmpdir(), "cfg-"));
		const file = (name: string, body: string) => {
			const p = path.join(dir, name);
			writeFileSync(p, body);
			return p;
		};

		it("accepts a shared number mapped to several brands", () => {
			const cfg = loadConfig({
				BRANDS_FILE: file("shared.json", JSON.stringify([
					{ id: "fashion", seller: "Luna", personality: "p", phoneNumberIds: ["100000000000009"] },
					{ id: "beauty", seller: "Bella", personality: "p", phoneNumberIds: ["100000000000009"] }
				])),
				SELLERS_FILE: file("sellers.json", "[]")
			});
			assert.deepEqual(cfg.brands.map(b => b.phoneNumberIds[0]), ["100000000000009", "100000000000009"]);
		});

		it("a brands file of some of the brands starts with the demo sellers of those brands, when no sellers file is given", () => {
			const cfg = loadConfig({ BRANDS_FILE: file("two.json", JSON.stringify([
				{ id: "tech", seller: "Max", personality: "p", phoneNumberIds: ["100000000000002"] },
				{ id: "gaming", seller: "Pixel", personality: "p", phoneNumberIds: ["100000000000005"] }
			])) });
			assert.deepEqual(cfg.sellers.map(s => [s.id, s.brands]), [["ben", ["tech", "gaming"]], ["carla", ["tech", "gaming"]]]);
		});

		it("reads a brand's own high-value cart threshold, and refuses one that is not a positive whole number of cents", () => {
			const cfg = loadConfig({});
			assert.deepEqual(cfg.brands.map(b => [b.id, b.highValueCart]), [["fashion", undefined], ["tech", 300000], ["home", 200000], ["beauty", undefined], ["gaming", undefined]]);
			for (const bad of [0, -5, 12.5, "1000", null])
				fails({ BRANDS_FILE: file("hv.json", JSON.stringify([{ id: "a", seller: "A", personality: "p", phoneNumberIds: ["123456"], highValueCart: bad }])) }, "BRANDS_FILE", /highValueCart/);
		});

		it("refuses missing, unparsable and malformed files", () => {
			fails({ BRANDS_FILE: path.join(dir, "nope.json") }, "BRANDS_FILE", /readable JSON file/);
			fails({ BRANDS_FILE: file("bad.json", "{") }, "BRANDS_FILE", /valid JSON/);
			fails({ BRANDS_FILE: file("empty.json", "[]") }, "BRANDS_FILE", /JSON array/);
			fails({ BRANDS_FILE: file("dup.json", JSON.stringify([
				{ id: "home", seller: "A", personality: "p", phoneNumberIds: ["123456"] },
				{ id: "home", seller: "B", personality: "p", phoneNumberIds: ["123457"] }
			])) }, "BRANDS_FILE", /unique/);
			// A brand with no AI seller would take its customers' messages and answer none.
			fails({ BRANDS_FILE: file("toys.json", JSON.stringify([{ id: "toys", seller: "Zoe", personality: "p", phoneNumberIds: ["123458"] }])) }, "BRANDS_FILE", /AI seller for \(fashion, tech, home, beauty, gaming\); brand 'toys' has none/);
			fails({ SELLERS_FILE: file("s1.json", JSON.stringify([{ id: "x", name: "X", token: "short", brands: ["tech"], capacity: 1 }])) }, "SELLERS_FILE", /16\+ characters/);
			fails({ SELLERS_FILE: file("s2.json", JSON.stringify([{ id: "x", name: "X", token: "0123456789abcdef", brands: ["toys"], capacity: 1 }])) }, "SELLERS_FILE", /known brand ids.*seller 'x' names brand 'toys', which BRANDS_FILE does not have/);
			fails({ SELLERS_FILE: file("s3.json", JSON.stringify([{ id: "x", name: "X", token: "0123456789abcdef", brands: ["tech"], capacity: 0 }])) }, "SELLERS_FILE", /capacity/);
		});
	});

	describe("the entry point", () => {
		for (const [name, value] of [["PORT", "abc"], ["TRANSPORTER", "foo://x"], ["REDIS_URL", "nonsense"]]) {
			it(`exits non-zero with one line on ${name}=${value}`, () => {
				const res = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "scripts/start.ts")], {
					env: { ...process.env, [name]: value },
					encoding: "utf8",
					timeout: 30_000
				});
				assert.equal(res.status, 1, res.stderr);
				const lines = res.stderr.trim().split("\n");
				assert.equal(lines.length, 1, res.stderr);
				assert.match(lines[0], new RegExp(`^Configuration error: ${name}=.* is invalid: expected `));
				assert.equal(res.stdout, "");
			});
		}
	});

	it("is the only module that reads process.env", () => {
		const offenders: string[] = [];
		const walk = (dir: string) => {
			for (const name of readdirSync(dir)) {
				if (["node_modules", "dist", ".git", "test", "config"].includes(name)) continue;
				const p = path.join(dir, name);
				if (statSync(p).isDirectory()) walk(p);
				else if (/\.(ts|js)$/.test(name) && readFileSync(p, "utf8").includes("process.env")) offenders.push(path.relative(root, p));
			}
		};
		walk(root);
		assert.deepEqual(offenders, []);
	});
});
