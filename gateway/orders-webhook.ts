/**
 * `POST /webhooks/orders`: payment and shipping updates from the store's providers, signed with
 * `X-Signature-256: sha256=<hex>` (HMAC-SHA256 of the raw body, ORDERS_WEBHOOK_SECRET). The JSON
 * parser's `verify` hook keeps the exact bytes on the request; the signature is checked on them in
 * `onBeforeCall`, so the raw body never crosses the transporter and nothing unsigned reaches
 * `orders.webhook`. 401 bad or missing signature, 400 not JSON / malformed, 404 unknown order,
 * 409 a transition the order's state refuses (with the reason), 413 over the size limit.
 *
 * 200 carries the order and `outcome`: `applied`, `repeated` (a redelivery; nothing changed),
 * `tracking_changed` (another carrier or tracking number for a shipped order) or `refund_due`. A `paid` update is never answered 409, whatever the order's state: the provider
 * has the customer's money either way and retries a non-2xx for days, so a refusal would only hide
 * a payment nobody gives back. A payment for a cancelled order, or a second paymentRef for a paid
 * one, is recorded on the order as a refund owed and answered 200 `refund_due`; the same update
 * again is 200 `repeated`.
 */
import type { IncomingMessage } from "node:http";
import type { Context, Service } from "moleculer";
import type { ApiRouteSchema } from "moleculer-web";
import { brokerConfig } from "../adapters/broker-config";
import { ErrorTypes, StoreClientError } from "../contracts/errors";
import { verifySignature } from "./whatsapp/signature";

export const ORDERS_WEBHOOK_PATH = "/webhooks/orders";
export const ORDERS_SIGNATURE_HEADER = "x-signature-256";
const MAX_BODY = "64kb";

type RawRequest = IncomingMessage & { $rawBody?: Buffer };

export const ordersWebhookRoutes: ApiRouteSchema[] = [
	{
		path: ORDERS_WEBHOOK_PATH,
		mappingPolicy: "restrict",
		whitelist: ["orders.webhook"],
		bodyParsers: {
			json: {
				strict: true,
				limit: MAX_BODY,
				verify(req: RawRequest, _res: unknown, buf: Buffer) {
					req.$rawBody = buf;
				}
			},
			urlencoded: false
		},
		logging: false,
		onBeforeCall(this: Service, _ctx: Context, _route: unknown, req: RawRequest) {
			if (!req.$rawBody)
				throw new StoreClientError("Order updates must be sent as application/json", 400, ErrorTypes.Invalid);
			const check = verifySignature(brokerConfig(this.broker).ordersWebhookSecret, req.headers[ORDERS_SIGNATURE_HEADER], req.$rawBody);
			if (!check.ok) throw new StoreClientError(`Invalid signature (${check.reason})`, 401, ErrorTypes.InvalidSignature);
			const body = (req as IncomingMessage & { body?: unknown }).body;
			if (body === null || typeof body !== "object" || Array.isArray(body))
				throw new StoreClientError("An order update is a JSON object", 400, ErrorTypes.Invalid);
		},
		aliases: { "POST /": "orders.webhook" }
	} as unknown as ApiRouteSchema
];
