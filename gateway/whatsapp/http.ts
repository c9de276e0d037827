/**
 * The HTTP half of the WhatsApp webhook, run inside the `api` service's route (where `this` is the
 * api service): the raw body read with a size limit, the signature checked on those exact bytes,
 * then JSON. Only the parsed body is passed on to `whatsapp.webhook`; the raw bytes never cross
 * the transporter.
 *
 * We read the body ourselves instead of moleculer-web's JSON parser with a `verify` hook: the
 * signature is then checked before any parsing and whatever the Content-Type, the 413 limit comes
 * from the broker's config (route options are fixed at import), and a body that is not JSON is
 * told apart from a forged one (401 first, 400 only for correctly signed bodies).
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { ServiceBroker } from "moleculer";
import { brokerConfig } from "../../adapters/broker-config";
import { ServiceNames } from "../../contracts/services";
import { WhatsappClientError, WhatsappErrorTypes } from "./errors";
import { verifySignature } from "./signature";

export const SIGNATURE_HEADER = "x-hub-signature-256";

type Req = IncomingMessage & { rawBody?: Buffer; $params?: unknown };
type Next = (err?: unknown) => void;

/**
 * Route middleware: collects the raw body of a POST up to `limit()` bytes into `req.rawBody`;
 * larger bodies get 413 without being read to the end.
 */
export function rawBodyReader(limit: (broker: ServiceBroker) => number) {
	return function readRawBody(this: { broker: ServiceBroker }, req: Req, res: ServerResponse, next: Next): void {
		if (req.method !== "POST") return next();
		const max = limit(this.broker);
		const tooLarge = () => {
			res.setHeader("Connection", "close");
			next(new WhatsappClientError(`Body larger than ${max} bytes`, 413, WhatsappErrorTypes.TooLarge, { limit: max }));
		};
		const declared = Number(req.headers["content-length"]);
		if (Number.isFinite(declared) && declared > max) return tooLarge();
		const chunks: Buffer[] = [];
		let size = 0;
		let done = false;
		req.on("data", (chunk: Buffer) => {
			if (done) return;
			size += chunk.length;
			if (size > max) {
				done = true;
				req.pause();
				return tooLarge();
			}
			chunks.push(chunk);
		});
		req.on("end", () => {
			if (done) return;
			done = true;
			req.rawBody = Buffer.concat(chunks, size);
			next();
		});
		req.on("error", err => {
			if (done) return;
			done = true;
			next(err);
		});
	};
}

/**
 * `onBeforeCall` of the webhook route: 401 on a missing or wrong signature, 400 on a signed body
 * that is not JSON; otherwise the parsed body becomes the action's only parameter.
 */
export function verifyWebhook(this: { broker: ServiceBroker; logger: { warn(...a: unknown[]): void } }, _ctx: unknown, _route: unknown, req: Req): void {
	if (req.method !== "POST") return;
	const raw = req.rawBody ?? Buffer.alloc(0);
	const check = verifySignature(brokerConfig(this.broker).whatsapp.appSecret, req.headers[SIGNATURE_HEADER], raw);
	if (!check.ok) {
		// Repeated failures with a correct sender mean a misconfigured secret: worth a warning each time.
		this.logger.warn(`Refused a WhatsApp webhook: signature ${check.reason}`);
		throw new WhatsappClientError(`Invalid signature (${check.reason})`, 401, WhatsappErrorTypes.BadSignature);
	}
	let payload: unknown;
	try {
		payload = JSON.parse(raw.toString("utf8"));
	} catch {
		throw new WhatsappClientError("The body is not JSON", 400, WhatsappErrorTypes.NotWhatsapp);
	}
	if (payload === null || typeof payload !== "object" || Array.isArray(payload))
		throw new WhatsappClientError("The body is not a JSON object", 400, WhatsappErrorTypes.NotWhatsapp);
	req.$params = { payload };
}

export const WEBHOOK_PATH = "/webhooks/whatsapp";

/** The `whatsapp` service's in-process entry to the webhook action's work. */
export interface LocalWebhook {
	acceptWebhook(payload: unknown): Promise<unknown>;
}

interface ApiLike {
	broker: ServiceBroker;
	logger: { warn(...a: unknown[]): void };
	/** moleculer-web's own error writer, so both paths answer errors byte for byte alike. */
	sendError(req: IncomingMessage, res: ServerResponse, err: unknown): void;
}

/**
 * Meta's POST is the gateway's hottest request, and moleculer-web's per-request machinery (alias
 * resolution, the route's middleware chain, response encoding) was about a fifth of its CPU in
 * the gateway benchmark. This handler serves that one request with the same pieces the route uses
 * (`rawBodyReader`, `verifyWebhook`, `whatsapp.webhook` through the broker, moleculer-web's error
 * writer); the route stays for the GET handshake and for anything this does not recognise.
 * When the `whatsapp` service runs on this node (the usual gateway node) the body goes to it
 * in-process: the broker's call machinery (context, validation, metrics and tracking middlewares)
 * was another fifth. Its own counters and stop (`WhatsappGateway.close` waits for deliveries in
 * progress) make up for what those middlewares gave this one request.
 * Returns false for a request it does not take.
 */
export function webhookFastPath(api: ApiLike): (req: IncomingMessage, res: ServerResponse) => boolean {
	const read = rawBodyReader(broker => brokerConfig(broker).whatsapp.maxBodyBytes);
	return (req, res) => {
		if (req.method !== "POST") return false;
		const path = (req.url ?? "").split("?", 1)[0];
		if (path !== WEBHOOK_PATH && path !== `${WEBHOOK_PATH}/`) return false;
		read.call(api, req as Req, res, (err?: unknown) => {
			if (err) return api.sendError(req, res, err);
			try {
				verifyWebhook.call(api, null, null, req as Req);
			} catch (e) {
				return api.sendError(req, res, e);
			}
			const params = (req as Req).$params as { payload: unknown };
			const local = api.broker.getLocalService(ServiceNames.Whatsapp) as Partial<LocalWebhook> | undefined;
			const accepted = local?.acceptWebhook ? local.acceptWebhook(params.payload) : api.broker.call(`${ServiceNames.Whatsapp}.webhook`, params);
			accepted.then(
				result => {
					res.setHeader("Content-Type", "application/json; charset=utf-8");
					res.end(JSON.stringify(result));
				},
				e => api.sendError(req, res, e)
			);
		});
		return true;
	};
}
