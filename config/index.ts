/**
 * The only module that reads `process.env`. `loadConfig` is pure (it takes the environment as an
 * argument) so tests can exercise every rule; `getConfig` memoises it for the process.
 *
 * A bad value throws `ConfigError`, whose message is one line naming the variable and what it
 * accepts; entry points print that line and exit non-zero instead of starting half-configured.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { SELLER_BRANDS } from "../contracts/services";

export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = "127.0.0.1";
export const DEFAULT_NAMESPACE = "agent-store";
export const DEFAULT_WHATSAPP_API_URL = "https://graph.facebook.com/v21.0";
/** Meta sends bodies of up to about 3 MB (SPEC §6: set the limit above that). */
export const DEFAULT_WHATSAPP_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Meta's default throughput per business number (SPEC §7), inbound and outbound together. */
export const DEFAULT_WHATSAPP_RATE_PER_SECOND = 80;
/** Meta's pair rate limit: about one message per 6 s to one user, bursts of up to 45 borrowed. */
export const DEFAULT_WHATSAPP_PAIR_INTERVAL_MS = 6000;
export const DEFAULT_WHATSAPP_PAIR_BURST = 45;
/**
 * How long a numbered outbound message waits for the one before it (sent by another gateway node,
 * or retried) before it goes anyway: long enough for a first retry, short enough that a lost
 * message does not hold the customer's later ones for long.
 */
export const DEFAULT_WHATSAPP_ORDER_WAIT_MS = 5000;
/** Meta's sample template exists on every WhatsApp Business account, so it is a safe fallback. */
export const DEFAULT_WHATSAPP_FALLBACK_TEMPLATES: Record<string, WhatsappTemplateRef> = {
	default: { name: "hello_world", language: "en_US" }
};
/** Meta refuses a template in a language it was not approved in (132001): only English unless told. */
export const DEFAULT_WHATSAPP_TEMPLATE_LANGUAGES = ["en_US"] as const;
export const DEFAULT_OPENAI_MODEL = "gpt-4o-mini";
/** Per model call; a slower answer counts as a retryable failure (the runner retries, then escalates). */
export const DEFAULT_OPENAI_TIMEOUT_MS = 20_000;
export const DEFAULT_LOG_LEVEL = "info";
export const DEFAULT_CHANNEL_MAX_ATTEMPTS = 5;
/** Seed 000's schedule: 1 s, 2 s, 4 s, 8 s, 16 s. */
export const DEFAULT_CHANNEL_BACKOFF_MS = 1000;
/**
 * On JetStream this is the consumer group's limit across the whole cluster (max_ack_pending), not
 * one node's: at 5 a brand's customers were answered five at a time however many seller nodes ran,
 * and an AI turn waits seconds on a remote model. bench:e2e's throughput rose by two fifths at 32.
 */
export const DEFAULT_CHANNEL_MAX_IN_FLIGHT = 64;
/** JetStream: a delivered message not acked within this is redelivered (e.g. its node died); JetStream's own default. */
export const DEFAULT_CHANNEL_ACK_WAIT_MS = 30_000;
/**
 * How long a durable channel keeps a message, read or not: Meta retries a webhook for 7 days, and
 * a consumer that stays down longer has lost more than its backlog. JetStream's max_age; on Redis
 * Streams, which keep every entry until trimmed, the nodes trim to it.
 */
export const DEFAULT_CHANNEL_RETENTION_HOURS = 7 * 24;
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;
/**
 * How long a conversation's data (its record, transcript and escalations, the customer's brand
 * pick on a shared number) is kept after its last activity: conversation data is not kept long
 * term (seed 002). Long enough for an order's delivery and a return to reach the same conversation.
 */
export const DEFAULT_CONVERSATION_RETENTION_DAYS = 90;
export const DAY_MS = 24 * 60 * 60 * 1000;
export const DEFAULT_CONVERSATION_RETENTION_MS = DEFAULT_CONVERSATION_RETENTION_DAYS * DAY_MS;
/**
 * How long an order waits for its payment before it is cancelled and its stock goes back on sale:
 * two days covers a bank transfer over a weekend; longer, and one unpaid order keeps stock that
 * paying customers are refused.
 */
export const DEFAULT_ORDER_PAYMENT_TIMEOUT_MINUTES = 48 * 60;
/** A month: past it a "pending" order is a forgotten one, whatever the payment method. */
export const MAX_ORDER_PAYMENT_TIMEOUT_MINUTES = 30 * 24 * 60;
/** PRODUCT.md: several quick messages in a row are answered as one turn. */
export const DEFAULT_AI_COALESCE_MS = 1500;
/** A conversation with no inbound message for this long closes (IDLE_TIMEOUT). */
export const DEFAULT_AI_IDLE_TIMEOUT_MS = DAY_MS;
/** How often a node looks for passed conversation deadlines (also the deadline index's bucket size). */
export const DEFAULT_AI_SWEEP_INTERVAL_MS = 30_000;
/** A conversation's writer lock: how long a dead node can hold it; it must outlast one turn (extended before the write). */
export const DEFAULT_AI_LOCK_TTL_MS = 60_000;
/** Human sellers (issue 6): a queued escalation not accepted within the SLA gets a higher priority. */
export const DEFAULT_ESCALATION_SLA_MS = 120_000;
/** How long a seller whose sockets are all gone keeps an escalation before it goes back to the queue. */
export const DEFAULT_SELLER_GRACE_MS = 60_000;
/** How long one seller has to answer an offer. */
export const DEFAULT_OFFER_TTL_MS = 30_000;
/** How often the escalation sweeper fires due deadlines and makes offers (one node at a time). */
export const DEFAULT_ESCALATION_SWEEP_MS = 1000;
/** A console node that has not reported its sellers' sockets for this long counts as gone. */
export const DEFAULT_SELLER_PRESENCE_TTL_MS = 45_000;
/** Seller console (issue 6): a WebSocket frame above this closes the socket with 1009. */
export const DEFAULT_CONSOLE_MAX_FRAME_BYTES = 65_536;
/** The console pings every socket this often; one that missed the previous pong is terminated. */
export const DEFAULT_CONSOLE_HEARTBEAT_MS = 15_000;
/** Each console node reports its connected sellers at least this often (a third of the presence TTL). */
export const DEFAULT_CONSOLE_PRESENCE_MS = 15_000;
/** Per-connection token bucket: frames per second, and the burst it tolerates. */
export const DEFAULT_CONSOLE_RATE_PER_SECOND = 20;
export const DEFAULT_CONSOLE_RATE_BURST = 40;
/** A socket whose unsent output passes this is closed rather than buffered without bound. */
export const DEFAULT_CONSOLE_MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
export const DEFAULT_BRANDS_FILE = path.join(__dirname, "..", "data", "brands.json");
export const DEFAULT_SELLERS_FILE = path.join(__dirname, "..", "data", "sellers.json");

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface BrandConfig {
	id: string;
	/** The AI seller's name (Luna, Max...). */
	seller: string;
	personality: string;
	/** WhatsApp `phone_number_id`s that route to this brand; one id may serve several brands. */
	phoneNumberIds: string[];
	/**
	 * A cart worth more than this (minor units) goes to a person; unset: the store-wide default.
	 * A store whose single items cost more than that default (laptops) sets its own.
	 */
	highValueCart?: number;
}

/** A template sent instead of a free-form message outside the 24-hour window. */
export interface WhatsappTemplateRef {
	name: string;
	language: string;
	components?: Record<string, unknown>[];
}

export interface SellerConfig {
	id: string;
	name: string;
	token: string;
	brands: string[];
	/** Conversations this human seller handles at once. */
	capacity: number;
}

export interface Config {
	port: number;
	host: string;
	/** null: one process, no broker network (the embedded default). */
	transporter: string | null;
	/** null: in-memory stores. */
	redisUrl: string | null;
	namespace: string;
	/** Service names this process runs; null runs them all. */
	services: string[] | null;
	whatsapp: {
		appSecret: string;
		verifyToken: string;
		/** null: sandbox mode, outbound messages go to an in-memory outbox. */
		accessToken: string | null;
		apiUrl: string;
		/** Webhook bodies above this get 413. */
		maxBodyBytes: number;
		/** Outbound messages per second per sending number. */
		ratePerSecond: number;
		/** Pair rate limit: one message per interval to one customer on average, `pairBurst` at once. */
		pairIntervalMs: number;
		pairBurst: number;
		/** How long a numbered outbound message waits for its predecessor to leave. */
		orderWaitMs: number;
		/** By outbound kind (`text`, `buttons`, `list`, `image`) or `default`. */
		fallbackTemplates: Record<string, WhatsappTemplateRef>;
		/** The languages the `order_<status>` templates are approved in; the first is the default. */
		templateLanguages: string[];
	};
	brandsFile: string;
	brands: BrandConfig[];
	sellersFile: string;
	sellers: SellerConfig[];
	openai: {
		/** null: the deterministic offline brain answers. */
		apiKey: string | null;
		baseUrl: string | null;
		model: string;
		timeoutMs: number;
	};
	ordersWebhookSecret: string;
	/**
	 * Where a customer pays an order waiting for payment: a URL with `{orderId}` in it, sent with the
	 * order's confirmation and its status. null: the payment request reaches them another way.
	 */
	paymentLinkUrl: string | null;
	orders: {
		/** An order not paid this long after it was placed is cancelled (ORDER_PAYMENT_TIMEOUT_MINUTES). */
		paymentTimeoutMs: number;
	};
	logLevel: LogLevel;
	tracing: boolean;
	channels: {
		maxAttempts: number;
		backoffMs: number;
		maxInFlight: number;
		ackWaitMs: number;
		/** Messages older than this leave their channel, read or not (CHANNEL_RETENTION_HOURS). */
		retentionMs: number;
	};
	shutdownTimeoutMs: number;
	/** A conversation's data leaves the store this long after its last activity (CONVERSATION_RETENTION_DAYS). */
	conversationRetentionMs: number;
	aiSeller: {
		/** Messages of one conversation closer together than this are answered as one turn; 0: no wait. */
		coalesceMs: number;
		idleTimeoutMs: number;
		sweepIntervalMs: number;
		lockTtlMs: number;
	};
	escalations: {
		slaMs: number;
		graceMs: number;
		offerTtlMs: number;
		sweepMs: number;
		presenceTtlMs: number;
	};
	console: {
		maxFrameBytes: number;
		heartbeatMs: number;
		presenceMs: number;
		ratePerSecond: number;
		rateBurst: number;
		maxBufferedBytes: number;
	};
	/** Variables that fell back to a generated development value; printed at start. */
	devDefaults: Record<string, string>;
}

export class ConfigError extends Error {
	constructor(
		readonly variable: string,
		readonly accepts: string,
		readonly value?: string
	) {
		super(`${variable}${value === undefined ? "" : `=${JSON.stringify(value)}`} is invalid: expected ${accepts}`);
		this.name = "ConfigError";
	}
}

type Env = Record<string, string | undefined>;

function str(env: Env, name: string): string | undefined {
	const v = env[name];
	return v === undefined || v.trim() === "" ? undefined : v.trim();
}

function int(env: Env, name: string, def: number, min: number, max: number): number {
	const raw = str(env, name);
	if (raw === undefined) return def;
	if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max)
		throw new ConfigError(name, `an integer from ${min} to ${max}`, raw);
	return Number(raw);
}

function url(env: Env, name: string, protocols: string[], accepts: string): string | null {
	const raw = str(env, name);
	if (raw === undefined) return null;
	// A NATS cluster may be given as a comma-separated list of servers.
	for (const part of raw.split(",")) {
		let parsed: URL;
		try {
			parsed = new URL(part.trim());
		} catch {
			throw new ConfigError(name, accepts, raw);
		}
		if (!protocols.includes(parsed.protocol) || !parsed.hostname) throw new ConfigError(name, accepts, raw);
	}
	return raw;
}

function bool(env: Env, name: string, def: boolean): boolean {
	const raw = str(env, name);
	if (raw === undefined) return def;
	if (/^(1|true|yes|on)$/i.test(raw)) return true;
	if (/^(0|false|no|off)$/i.test(raw)) return false;
	throw new ConfigError(name, "true or false", raw);
}

function secret(env: Env, name: string, devDefaults: Record<string, string>): string {
	const raw = str(env, name);
	if (raw !== undefined) {
		if (raw.length < 8) throw new ConfigError(name, "a secret of at least 8 characters", "<redacted>");
		return raw;
	}
	const generated = `dev-${name.toLowerCase().replace(/_/g, "-")}-${randomBytes(6).toString("hex")}`;
	devDefaults[name] = generated;
	return generated;
}

function readJsonFile(name: string, file: string): unknown {
	let text: string;
	try {
		text = readFileSync(file, "utf8");
	} catch {
		throw new ConfigError(name, "a readable JSON file", file);
	}
	try {
		return JSON.parse(text);
	} catch {
		throw new ConfigError(name, "a file holding valid JSON", file);
	}
}

const ID = /^[a-z][a-z0-9-]{0,31}$/;
const PHONE_NUMBER_ID = /^\d{5,20}$/;

export function parseBrands(raw: unknown, variable = "BRANDS_FILE"): BrandConfig[] {
	const accepts =
		'a JSON array of {"id", "seller", "personality", "phoneNumberIds": ["<digits>"], optional "highValueCart": cents} with unique lowercase ids';
	if (!Array.isArray(raw) || raw.length === 0) throw new ConfigError(variable, accepts);
	const seen = new Set<string>();
	return raw.map((b: unknown) => {
		const o = b as Record<string, unknown>;
		if (
			!o ||
			typeof o.id !== "string" ||
			!ID.test(o.id) ||
			seen.has(o.id) ||
			typeof o.seller !== "string" ||
			!o.seller ||
			typeof o.personality !== "string" ||
			!Array.isArray(o.phoneNumberIds) ||
			!o.phoneNumberIds.every(p => typeof p === "string" && PHONE_NUMBER_ID.test(p)) ||
			(o.highValueCart !== undefined && !(Number.isSafeInteger(o.highValueCart) && (o.highValueCart as number) > 0))
		)
			throw new ConfigError(variable, accepts);
		// Accepted, a brand with no AI seller would take its customers' messages and answer none.
		if (!(SELLER_BRANDS as readonly string[]).includes(o.id))
			throw new ConfigError(variable, `brand ids the product has an AI seller for (${SELLER_BRANDS.join(", ")}); brand '${o.id}' has none`);
		seen.add(o.id);
		return {
			id: o.id,
			seller: o.seller,
			personality: o.personality,
			phoneNumberIds: [...(o.phoneNumberIds as string[])],
			...(o.highValueCart !== undefined ? { highValueCart: o.highValueCart as number } : {})
		};
	});
}

/** The demo sellers, each keeping the brands the brands file has (one left with none is dropped): a store of two brands starts with its own demo team. */
function demoSellersFor(brands: BrandConfig[]): unknown {
	const ids = new Set(brands.map(b => b.id));
	const demo = readJsonFile("SELLERS_FILE", DEFAULT_SELLERS_FILE) as { brands?: unknown }[];
	return Array.isArray(demo)
		? demo.map(s => ({ ...s, brands: Array.isArray(s.brands) ? s.brands.filter(b => ids.has(b as string)) : s.brands })).filter(s => !Array.isArray(s.brands) || s.brands.length > 0)
		: demo;
}

export function parseSellers(raw: unknown, brands: BrandConfig[], variable = "SELLERS_FILE"): SellerConfig[] {
	const accepts =
		'a JSON array of {"id", "name", "token" (16+ characters), "brands": [known brand ids], "capacity": 1-100} with unique ids and tokens';
	if (!Array.isArray(raw)) throw new ConfigError(variable, accepts);
	const brandIds = new Set(brands.map(b => b.id));
	const ids = new Set<string>();
	const tokens = new Set<string>();
	return raw.map((s: unknown) => {
		const o = s as Record<string, unknown>;
		const ok =
			o &&
			typeof o.id === "string" &&
			o.id.length > 0 &&
			!ids.has(o.id) &&
			typeof o.name === "string" &&
			o.name.length > 0 &&
			typeof o.token === "string" &&
			o.token.length >= 16 &&
			!tokens.has(o.token) &&
			Array.isArray(o.brands) &&
			o.brands.length > 0 &&
			o.brands.every(b => typeof b === "string" && brandIds.has(b)) &&
			Number.isInteger(o.capacity) &&
			(o.capacity as number) >= 1 &&
			(o.capacity as number) <= 100;
		if (!ok) {
			const unknown = Array.isArray(o?.brands) ? (o.brands as unknown[]).find(b => typeof b === "string" && !brandIds.has(b)) : undefined;
			// Say which: a brand missing from the brands file is the usual slip, and the whole list reads alike.
			throw new ConfigError(variable, unknown ? `${accepts}; seller '${String(o.id)}' names brand '${String(unknown)}', which BRANDS_FILE does not have` : accepts);
		}
		ids.add(o.id as string);
		tokens.add(o.token as string);
		return {
			id: o.id as string,
			name: o.name as string,
			token: o.token as string,
			brands: [...(o.brands as string[])],
			capacity: o.capacity as number
		};
	});
}

/** `PAYMENT_LINK_URL`: an http(s) URL with the `{orderId}` placeholder, or none. */
function paymentLink(env: Env): string | null {
	const raw = str(env, "PAYMENT_LINK_URL");
	if (raw === undefined) return null;
	const accepts = "an http(s) URL with {orderId} in it, e.g. https://pay.example.com/orders/{orderId}";
	let parsed: URL;
	try {
		parsed = new URL(raw.replace("{orderId}", "ORDER"));
	} catch {
		throw new ConfigError("PAYMENT_LINK_URL", accepts, raw);
	}
	if (!raw.includes("{orderId}") || !["http:", "https:"].includes(parsed.protocol)) throw new ConfigError("PAYMENT_LINK_URL", accepts, raw);
	return raw;
}

const TEMPLATE_NAME = /^[a-z0-9_]{1,512}$/;
/** Meta's template language codes: `es`, `en_US`, `pt_BR` (a few, like `zh_HK`, likewise). */
const TEMPLATE_LANGUAGE = /^[a-z]{2,3}(_[A-Z]{2})?$/;

export function parseTemplateLanguages(raw: string | undefined, variable = "WHATSAPP_TEMPLATE_LANGUAGES"): string[] {
	if (raw === undefined) return [...DEFAULT_WHATSAPP_TEMPLATE_LANGUAGES];
	const codes = raw.split(",").map(c => c.trim());
	if (!codes.length || codes.some(c => !TEMPLATE_LANGUAGE.test(c))) throw new ConfigError(variable, "a comma-separated list of template language codes, e.g. en_US,es", raw);
	return [...new Set(codes)];
}
const TEMPLATE_KINDS = ["default", "text", "buttons", "list", "image"];

export function parseFallbackTemplates(raw: string | undefined, variable = "WHATSAPP_FALLBACK_TEMPLATES"): Record<string, WhatsappTemplateRef> {
	if (raw === undefined) return DEFAULT_WHATSAPP_FALLBACK_TEMPLATES;
	const accepts = `a JSON object {"default": {"name", "language"}} with optional keys ${TEMPLATE_KINDS.slice(1).join(", ")}`;
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw);
	} catch {
		throw new ConfigError(variable, accepts, raw);
	}
	const o = parsed as Record<string, unknown>;
	if (!o || typeof o !== "object" || Array.isArray(o) || !o.default) throw new ConfigError(variable, accepts, raw);
	const out: Record<string, WhatsappTemplateRef> = {};
	for (const [kind, t] of Object.entries(o)) {
		const ref = t as Record<string, unknown>;
		if (
			!TEMPLATE_KINDS.includes(kind) ||
			!ref ||
			typeof ref.name !== "string" ||
			!TEMPLATE_NAME.test(ref.name) ||
			typeof ref.language !== "string" ||
			!TEMPLATE_LANGUAGE.test(ref.language) ||
			(ref.components !== undefined && !Array.isArray(ref.components))
		)
			throw new ConfigError(variable, accepts, raw);
		out[kind] = { name: ref.name, language: ref.language, ...(ref.components ? { components: ref.components as Record<string, unknown>[] } : {}) };
	}
	return out;
}

export function loadConfig(env: Env): Config {
	const devDefaults: Record<string, string> = {};

	const logLevel = (str(env, "LOG_LEVEL") ?? DEFAULT_LOG_LEVEL).toLowerCase();
	if (!(LOG_LEVELS as readonly string[]).includes(logLevel))
		throw new ConfigError("LOG_LEVEL", LOG_LEVELS.join(", "), env.LOG_LEVEL);

	const namespace = str(env, "NAMESPACE") ?? DEFAULT_NAMESPACE;
	if (!/^[a-zA-Z0-9][a-zA-Z0-9_-]{0,63}$/.test(namespace))
		throw new ConfigError("NAMESPACE", "letters, digits, '-' and '_' (at most 64)", namespace);

	const servicesRaw = str(env, "SERVICES");
	const services = servicesRaw
		? servicesRaw.split(",").map(s => s.trim()).filter(Boolean)
		: null;
	if (services && (services.length === 0 || !services.every(s => /^[a-z][a-z0-9-]*$/.test(s))))
		throw new ConfigError("SERVICES", "a comma-separated list of service names", servicesRaw);

	const whatsappApiUrl =
		url(env, "WHATSAPP_API_URL", ["http:", "https:"], "an http(s):// URL") ?? DEFAULT_WHATSAPP_API_URL;
	const openaiBaseUrl = url(env, "OPENAI_BASE_URL", ["http:", "https:"], "an http(s):// URL");

	const brandsFile = str(env, "BRANDS_FILE") ?? DEFAULT_BRANDS_FILE;
	const brands = parseBrands(readJsonFile("BRANDS_FILE", brandsFile));
	const sellersFile = str(env, "SELLERS_FILE");
	const sellers = parseSellers(sellersFile ? readJsonFile("SELLERS_FILE", sellersFile) : demoSellersFor(brands), brands);

	// Live WhatsApp signs with the app's real secret and checks the app's own verify token: a generated
	// one rejects every webhook Meta sends while the node reports ready.
	if (str(env, "WHATSAPP_ACCESS_TOKEN") !== undefined)
		for (const name of ["WHATSAPP_APP_SECRET", "WHATSAPP_VERIFY_TOKEN"])
			if (str(env, name) === undefined) throw new ConfigError(name, "the Meta app's own value when WHATSAPP_ACCESS_TOKEN is set (live WhatsApp); a generated one would refuse every webhook");

	const config: Config = {
		port: int(env, "PORT", DEFAULT_PORT, 0, 65535),
		host: str(env, "HOST") ?? DEFAULT_HOST,
		transporter: url(env, "TRANSPORTER", ["nats:"], "a nats://host:port URL (or a comma-separated list of them)"),
		redisUrl: url(env, "REDIS_URL", ["redis:", "rediss:"], "a redis://host:port URL"),
		namespace,
		services,
		whatsapp: {
			appSecret: secret(env, "WHATSAPP_APP_SECRET", devDefaults),
			verifyToken: secret(env, "WHATSAPP_VERIFY_TOKEN", devDefaults),
			accessToken: str(env, "WHATSAPP_ACCESS_TOKEN") ?? null,
			apiUrl: whatsappApiUrl.replace(/\/+$/, ""),
			maxBodyBytes: int(env, "WHATSAPP_MAX_BODY_BYTES", DEFAULT_WHATSAPP_MAX_BODY_BYTES, 1024, 64 * 1024 * 1024),
			ratePerSecond: int(env, "WHATSAPP_RATE_PER_SECOND", DEFAULT_WHATSAPP_RATE_PER_SECOND, 1, 10_000),
			pairIntervalMs: int(env, "WHATSAPP_PAIR_INTERVAL_MS", DEFAULT_WHATSAPP_PAIR_INTERVAL_MS, 0, 600_000),
			pairBurst: int(env, "WHATSAPP_PAIR_BURST", DEFAULT_WHATSAPP_PAIR_BURST, 1, 1000),
			orderWaitMs: int(env, "WHATSAPP_ORDER_WAIT_MS", DEFAULT_WHATSAPP_ORDER_WAIT_MS, 0, 600_000),
			fallbackTemplates: parseFallbackTemplates(str(env, "WHATSAPP_FALLBACK_TEMPLATES")),
			templateLanguages: parseTemplateLanguages(str(env, "WHATSAPP_TEMPLATE_LANGUAGES"))
		},
		brandsFile,
		brands,
		sellersFile: sellersFile ?? DEFAULT_SELLERS_FILE,
		sellers,
		openai: {
			apiKey: str(env, "OPENAI_API_KEY") ?? null,
			baseUrl: openaiBaseUrl,
			model: str(env, "OPENAI_MODEL") ?? DEFAULT_OPENAI_MODEL,
			timeoutMs: int(env, "OPENAI_TIMEOUT_MS", DEFAULT_OPENAI_TIMEOUT_MS, 10, 600_000)
		},
		ordersWebhookSecret: secret(env, "ORDERS_WEBHOOK_SECRET", devDefaults),
		paymentLinkUrl: paymentLink(env),
		orders: {
			paymentTimeoutMs: int(env, "ORDER_PAYMENT_TIMEOUT_MINUTES", DEFAULT_ORDER_PAYMENT_TIMEOUT_MINUTES, 1, MAX_ORDER_PAYMENT_TIMEOUT_MINUTES) * 60_000
		},
		logLevel: logLevel as LogLevel,
		tracing: bool(env, "TRACING", false),
		channels: {
			maxAttempts: int(env, "CHANNEL_MAX_ATTEMPTS", DEFAULT_CHANNEL_MAX_ATTEMPTS, 1, 50),
			backoffMs: int(env, "CHANNEL_BACKOFF_MS", DEFAULT_CHANNEL_BACKOFF_MS, 1, 600_000),
			maxInFlight: int(env, "CHANNEL_MAX_IN_FLIGHT", DEFAULT_CHANNEL_MAX_IN_FLIGHT, 1, 1000),
			ackWaitMs: int(env, "CHANNEL_ACK_WAIT_MS", DEFAULT_CHANNEL_ACK_WAIT_MS, 100, 3_600_000),
			retentionMs: int(env, "CHANNEL_RETENTION_HOURS", DEFAULT_CHANNEL_RETENTION_HOURS, 1, 24 * 366) * 3_600_000
		},
		shutdownTimeoutMs: int(env, "SHUTDOWN_TIMEOUT_MS", DEFAULT_SHUTDOWN_TIMEOUT_MS, 0, 600_000),
		conversationRetentionMs: int(env, "CONVERSATION_RETENTION_DAYS", DEFAULT_CONVERSATION_RETENTION_DAYS, 1, 3650) * DAY_MS,
		aiSeller: {
			coalesceMs: int(env, "AI_COALESCE_MS", DEFAULT_AI_COALESCE_MS, 0, 60_000),
			idleTimeoutMs: int(env, "AI_IDLE_TIMEOUT_MS", DEFAULT_AI_IDLE_TIMEOUT_MS, 1000, 30 * 24 * 60 * 60 * 1000),
			sweepIntervalMs: int(env, "AI_SWEEP_INTERVAL_MS", DEFAULT_AI_SWEEP_INTERVAL_MS, 10, 3_600_000),
			lockTtlMs: int(env, "AI_LOCK_TTL_MS", DEFAULT_AI_LOCK_TTL_MS, 100, 3_600_000)
		},
		escalations: {
			slaMs: int(env, "ESCALATION_SLA_MS", DEFAULT_ESCALATION_SLA_MS, 1000, 86_400_000),
			graceMs: int(env, "SELLER_GRACE_MS", DEFAULT_SELLER_GRACE_MS, 0, 86_400_000),
			offerTtlMs: int(env, "OFFER_TTL_MS", DEFAULT_OFFER_TTL_MS, 1000, 3_600_000),
			sweepMs: int(env, "ESCALATION_SWEEP_MS", DEFAULT_ESCALATION_SWEEP_MS, 10, 60_000),
			presenceTtlMs: int(env, "SELLER_PRESENCE_TTL_MS", DEFAULT_SELLER_PRESENCE_TTL_MS, 1000, 3_600_000)
		},
		console: {
			maxFrameBytes: int(env, "CONSOLE_MAX_FRAME_BYTES", DEFAULT_CONSOLE_MAX_FRAME_BYTES, 1024, 16 * 1024 * 1024),
			heartbeatMs: int(env, "CONSOLE_HEARTBEAT_MS", DEFAULT_CONSOLE_HEARTBEAT_MS, 10, 600_000),
			presenceMs: int(env, "CONSOLE_PRESENCE_MS", DEFAULT_CONSOLE_PRESENCE_MS, 10, 600_000),
			ratePerSecond: int(env, "CONSOLE_RATE_PER_SECOND", DEFAULT_CONSOLE_RATE_PER_SECOND, 1, 10_000),
			rateBurst: int(env, "CONSOLE_RATE_BURST", DEFAULT_CONSOLE_RATE_BURST, 1, 100_000),
			maxBufferedBytes: int(env, "CONSOLE_MAX_BUFFERED_BYTES", DEFAULT_CONSOLE_MAX_BUFFERED_BYTES, 65_536, 1024 * 1024 * 1024)
		},
		devDefaults
	};
	// A console node that reports less often than this would have its sellers expire between
	// reports: they would flap offline and lose their conversations after the grace period.
	if (config.console.presenceMs * 3 > config.escalations.presenceTtlMs)
		throw new ConfigError(
			"CONSOLE_PRESENCE_MS",
			`at most a third of SELLER_PRESENCE_TTL_MS (${config.escalations.presenceTtlMs} ms)`,
			String(config.console.presenceMs)
		);
	// A conversation whose data expired before it went idle would never be closed (nor say so).
	if (config.conversationRetentionMs < config.aiSeller.idleTimeoutMs)
		throw new ConfigError(
			"CONVERSATION_RETENTION_DAYS",
			`at least AI_IDLE_TIMEOUT_MS (${Math.ceil(config.aiSeller.idleTimeoutMs / DAY_MS)} days)`,
			String(config.conversationRetentionMs / DAY_MS)
		);
	return config;
}

let cached: Config | null = null;

export function getConfig(): Config {
	if (!cached) cached = loadConfig(process.env);
	return cached;
}

/** Entry points call this: a bad value prints one line and exits non-zero. */
export function getConfigOrExit(): Config {
	try {
		return getConfig();
	} catch (err) {
		if (err instanceof ConfigError) {
			process.stderr.write(`Configuration error: ${err.message}\n`);
			process.exit(1);
		}
		throw err;
	}
}
