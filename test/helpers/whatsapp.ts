/** A gateway node for WhatsApp tests (api + whatsapp) and a probe that records what it publishes. */
import type { AddressInfo } from "node:net";
import { Writable } from "node:stream";
import { pinoOptions } from "../../adapters/logging";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import ApiService from "../../gateway/api.service";
import WhatsappService from "../../gateway/whatsapp.service";
import { signBody } from "../../gateway/whatsapp/signature";
import { EventTypes, type CloudEvent } from "../../contracts/events";
import { channelsOf, probeChannel, startBroker, type TestBrokerOptions } from "./broker";

export const APP_SECRET = "test-app-secret-1234";
export const VERIFY_TOKEN = "test-verify-token-1";

export type Recorded = Record<string, CloudEvent[]>;

/** Records every event of the WhatsApp and chat channels (every built-in brand's share), in arrival order, per type. */
export function probe(name = "probe"): { schema: ServiceSchema; seen: Recorded } {
	const seen: Recorded = {};
	const types = [EventTypes.WhatsappMessageReceived, EventTypes.ChatMessageNew, EventTypes.WhatsappMessageStatus, EventTypes.WhatsappMessageRefused];
	const channels: Record<string, unknown> = {};
	for (const t of types) {
		seen[t] = [];
		for (const channel of channelsOf(t)) channels[channel] = probeChannel(name, async e => void seen[t].push(e));
	}
	return { schema: { name, channels } as ServiceSchema, seen };
}

export async function startGateway(opts: TestBrokerOptions & { withProbe?: boolean } = {}) {
	const p = probe();
	const broker = await startBroker({
		...opts,
		env: { WHATSAPP_APP_SECRET: APP_SECRET, WHATSAPP_VERIFY_TOKEN: VERIFY_TOKEN, ...opts.env },
		services: [ApiService, WhatsappService, ...(opts.withProbe === false ? [] : [p.schema]), ...(opts.services ?? [])]
	});
	return { broker, url: baseUrl(broker), seen: p.seen };
}

export function baseUrl(broker: ServiceBroker): string {
	const api = broker.getLocalService("api") as unknown as { server: { address(): AddressInfo } };
	return `http://127.0.0.1:${api.server.address().port}`;
}

/** Posts a body (an object is serialised; a Buffer or string is sent as is) signed with `secret`. */
export async function postWebhook(url: string, payload: unknown, opts: { secret?: string; signature?: string | null; contentType?: string } = {}): Promise<Response> {
	const raw = Buffer.isBuffer(payload) ? payload : Buffer.from(typeof payload === "string" ? payload : JSON.stringify(payload));
	const headers: Record<string, string> = { "content-type": opts.contentType ?? "application/json" };
	const sig = opts.signature === undefined ? signBody(opts.secret ?? APP_SECRET, raw) : opts.signature;
	if (sig !== null) headers["x-hub-signature-256"] = sig;
	return fetch(`${url}/webhooks/whatsapp`, { method: "POST", headers, body: raw });
}

/** A Pino logger configuration (ours, with masking) whose lines land in `lines`. */
export function captureLogs(level = "info") {
	const lines: string[] = [];
	const destination = new Writable({
		write(chunk, _enc, cb) {
			lines.push(...chunk.toString().split("\n").filter(Boolean));
			cb();
		}
	});
	return { lines, logger: { type: "Pino", options: { level, pino: { options: pinoOptions(level), destination } } } };
}
