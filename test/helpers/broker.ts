/**
 * Brokers for tests, built from the real config and broker options (our middlewares, channel
 * adapters, store) with a quiet logger. Each test broker gets its own namespace unless told
 * otherwise, so JetStream streams, Redis keys and consumer groups of different tests never meet.
 */
import { randomBytes } from "node:crypto";
import { ServiceBroker, type ServiceSchema } from "moleculer";
import { loadConfig, type Config } from "../../config";
import { isPartitioned, partitionChannel, type CloudEvent, type EventType } from "../../contracts/events";
import { createBrokerOptions, type BrokerOverrides } from "../../moleculer.config";

export function testNamespace(): string {
	return `t${randomBytes(4).toString("hex")}`;
}

export function testConfig(env: Record<string, string | undefined> = {}): Config {
	// No coalescing wait unless a test asks for one: a reply per message keeps tests fast.
	// Live WhatsApp (a fake Graph API) needs the app's own secrets; tests that sign with theirs pass them.
	const live = env.WHATSAPP_ACCESS_TOKEN?.trim() ? { WHATSAPP_APP_SECRET: "test-app-secret-1", WHATSAPP_VERIFY_TOKEN: "test-verify-token-1" } : {};
	return loadConfig({ PORT: "0", CHANNEL_BACKOFF_MS: "10", LOG_LEVEL: "warn", AI_COALESCE_MS: "0", ...live, ...env });
}

export interface TestBrokerOptions extends BrokerOverrides {
	env?: Record<string, string | undefined>;
	services?: ServiceSchema[];
	verbose?: boolean;
}

export async function startBroker(opts: TestBrokerOptions = {}): Promise<ServiceBroker> {
	const cfg = testConfig({ NAMESPACE: testNamespace(), ...opts.env });
	const broker = new ServiceBroker(
		createBrokerOptions(cfg, { logger: opts.verbose ? undefined : false, ...opts })
	);
	for (const s of opts.services ?? []) broker.createService(s);
	await broker.start();
	return broker;
}

/**
 * A test probe's channel: on Redis Streams its group reads the stream from the start. Groups are
 * created after every service of the broker has started, one by one, and a new group sees only
 * what comes after it; a service that publishes while starting (deadlines that passed while no
 * node ran) would race the probe. Each test has its own namespace, so the start is this test's.
 */
export function probeChannel(group: string, handler: (e: CloudEvent) => Promise<void>): Record<string, unknown> {
	return { group, handler, redis: { startID: "0" } };
}

/** Every channel an event type travels on with the built-in brands: its own, or each brand's share. */
export function channelsOf(type: EventType): string[] {
	return isPartitioned(type) ? loadConfig({}).brands.map(b => partitionChannel(type, b.id)) : [type];
}
