/** The WhatsApp routes of the `api` service: Meta's webhook and the sandbox outbox. */
import type { ApiRouteSchema } from "moleculer-web";
import { brokerConfig } from "../../adapters/broker-config";
import { rawBodyReader, verifyWebhook } from "./http";

export const whatsappRoutes: ApiRouteSchema[] = [
	{
		path: "/webhooks/whatsapp",
		mappingPolicy: "restrict",
		whitelist: ["whatsapp.verify", "whatsapp.webhook"],
		// The body is read raw by `rawBodyReader`, so the signature is checked on the exact bytes.
		bodyParsers: { json: false, urlencoded: false },
		use: [rawBodyReader(broker => brokerConfig(broker).whatsapp.maxBodyBytes)],
		onBeforeCall: verifyWebhook,
		logging: false,
		aliases: { "GET /": "whatsapp.verify", "POST /": "whatsapp.webhook" }
	} as ApiRouteSchema,
	{
		path: "/sandbox",
		mappingPolicy: "restrict",
		whitelist: ["whatsapp.outbox"],
		bodyParsers: { json: false, urlencoded: false },
		aliases: { "GET outbox": "whatsapp.outbox" }
	}
];
