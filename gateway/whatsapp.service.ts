/**
 * `whatsapp`: Meta's Cloud API in and out. Thin: the logic lives in `gateway/whatsapp/` (parse,
 * limits, window, pacer, Graph client, sandbox outbox) and `WhatsappGateway` ties it together.
 *
 * The HTTP side (raw body, signature, size limit) is in the `api` service's route
 * (`gateway/whatsapp/http.ts`): only the parsed body crosses the transporter to `webhook`.
 */
import type { Context, ServiceSchema } from "moleculer";
import { brokerConfig } from "../adapters/broker-config";
import { EventSchemas, EventTypes, type CloudEvent, type WhatsappMessageSendV1, type WhatsappMessageStatusV1 } from "../contracts/events";
import { NotFoundError } from "../contracts/errors";
import { ServiceNames } from "../contracts/services";
import { publishEvent, streamPublisher } from "../mixins/events.mixin";
import { WhatsappGateway, type WebhookResult } from "./whatsapp/gateway";
import type { LocalWebhook } from "./whatsapp/http";
import { safeEqual } from "./whatsapp/signature";
import { WhatsappClientError } from "./whatsapp/errors";

type Meta = { $responseType?: string; $statusCode?: number };

interface WhatsappThis extends LocalWebhook {
	gateway: WhatsappGateway;
	broker: Context["broker"];
}

/**
 * What the webhook's deliveries came to, for operators: Moleculer's request metrics do not see a
 * delivery the api hands over in-process.
 */
const INBOUND_METRICS: readonly { field: keyof WebhookResult; name: string; description: string }[] = [
	{ field: "received", name: "whatsapp.inbound.messages", description: "Inbound messages accepted" },
	{ field: "statuses", name: "whatsapp.inbound.statuses", description: "Status updates accepted" },
	{ field: "duplicates", name: "whatsapp.inbound.duplicates", description: "Inbound messages and statuses already accepted before (Meta's retries)" },
	{ field: "dropped", name: "whatsapp.inbound.dropped", description: "Webhook pieces dropped: malformed, or for an unknown phone_number_id" }
];

const WhatsappService: ServiceSchema = {
	name: ServiceNames.Whatsapp,

	actions: {
		/** Meta's verification handshake (SPEC §1): echo the challenge byte for byte, or 403. */
		verify: {
			params: { $$strict: false },
			handler(this: WhatsappThis & { broker: Context["broker"] }, ctx: Context<Record<string, unknown>, Meta>) {
				const p = ctx.params;
				const token = brokerConfig(this.broker).whatsapp.verifyToken;
				const given = p["hub.verify_token"];
				const challenge = p["hub.challenge"];
				if (p["hub.mode"] !== "subscribe" || typeof given !== "string" || !safeEqual(given, token) || typeof challenge !== "string")
					throw new WhatsappClientError("Webhook verification refused", 403, "VERIFICATION_REFUSED");
				ctx.meta.$responseType = "text/plain; charset=utf-8";
				return challenge;
			}
		},

		/** A verified webhook body; answers once every piece is durably accepted. */
		webhook: {
			params: { payload: { type: "object" } },
			handler(this: WhatsappThis, ctx: Context<{ payload: unknown }>) {
				return this.acceptWebhook(ctx.params.payload);
			}
		},

		send: {
			params: { $$strict: false, ...EventSchemas[EventTypes.WhatsappMessageSend][1] },
			handler(this: WhatsappThis, ctx: Context<WhatsappMessageSendV1>) {
				return this.gateway.send(ctx.params);
			}
		},

		/** Sandbox mode only; a live gateway answers 404 so the route reveals nothing. */
		outbox: {
			params: { to: { type: "string", optional: true, pattern: /^\d{1,20}$/ } },
			handler(this: WhatsappThis, ctx: Context<{ to?: string }>) {
				if (!this.gateway.outbox) throw new NotFoundError("Sandbox outbox");
				return this.gateway.outbox.list(ctx.params.to);
			}
		},

		window: {
			params: { waId: { type: "string", pattern: /^\d{5,20}$/ }, brand: { type: "string", min: 1, max: 32 } },
			handler(this: WhatsappThis, ctx: Context<{ waId: string; brand: string }>) {
				return this.gateway.window(ctx.params.waId, ctx.params.brand);
			}
		},

		/** Downloads inbound media through the Graph API; `data` is base64. */
		media: {
			params: { mediaId: { type: "string", min: 1, max: 256 }, phoneNumberId: { type: "string", optional: true, pattern: /^\d{1,32}$/ } },
			handler(this: WhatsappThis, ctx: Context<{ mediaId: string; phoneNumberId?: string }>) {
				return this.gateway.media(ctx.params.mediaId, ctx.params.phoneNumberId);
			}
		}
	},

	methods: {
		/** The webhook action's work; the api calls it in-process when this service runs on its node. */
		async acceptWebhook(this: WhatsappThis, payload: unknown): Promise<WebhookResult> {
			const result = await this.gateway.acceptWebhook(payload);
			if (this.broker.isMetricsEnabled())
				for (const { field, name } of INBOUND_METRICS) if (result[field]) this.broker.metrics.increment(name, undefined, result[field]);
			return result;
		}
	},

	channels: {
		[EventTypes.WhatsappMessageSend]: {
			// A repeat finds its idempotency key's stored result and sends nothing.
			idempotent: true,
			async handler(this: WhatsappThis, event: CloudEvent<WhatsappMessageSendV1>) {
				await this.gateway.send(event.data);
			}
		},
		[EventTypes.WhatsappMessageStatus]: {
			async handler(this: WhatsappThis, event: CloudEvent<WhatsappMessageStatusV1>) {
				await this.gateway.onStatus(event.data);
			}
		}
	},

	created() {
		if (this.broker.isMetricsEnabled())
			for (const { name, description } of INBOUND_METRICS) if (!this.broker.metrics.getMetric(name)) this.broker.metrics.register({ type: "counter", name, description });
		const source = `/agent-store/${this.name}`;
		this.gateway = new WhatsappGateway({
			config: brokerConfig(this.broker),
			store: this.broker.store,
			publish: (type, data, opts) => publishEvent(this.broker, source, type, data, opts),
			streams: streamPublisher(this.broker, source),
			logger: this.logger,
			nodeID: this.broker.nodeID
		});
	},

	/** Writes the `done` marks still waiting to ride along before the store closes; closes the Graph pool. */
	async stopped() {
		await (this as unknown as WhatsappThis).gateway.close();
	},

	started() {
		if (this.gateway.sandbox) this.logger.info("WhatsApp sandbox mode: outbound messages go to the outbox (GET /sandbox/outbox)");
	}
};

export default WhatsappService;
