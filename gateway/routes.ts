/**
 * HTTP routes of the `api` service. Each feature adds its route here: the api service mounts
 * exactly these, with `mappingPolicy: "restrict"`, so nothing is reachable by accident.
 */
import type { ApiRouteSchema } from "moleculer-web";
import { whatsappRoutes } from "./whatsapp/routes";
import { ordersWebhookRoutes } from "./orders-webhook";
import { consolePageRoutes } from "./console-page";

export const healthRoutes: ApiRouteSchema[] = [
	{
		path: "/health",
		mappingPolicy: "restrict",
		whitelist: ["api.live", "api.ready"],
		bodyParsers: { json: false, urlencoded: false },
		aliases: { "GET live": "api.live", "GET ready": "api.ready" }
	},
	{
		path: "/",
		mappingPolicy: "restrict",
		whitelist: ["api.metrics"],
		bodyParsers: { json: false, urlencoded: false },
		aliases: { "GET metrics": "api.metrics" }
	}
];

/** Feature routes (webhooks, console, sandbox) are appended by their issues. */
export const featureRoutes: ApiRouteSchema[] = [...whatsappRoutes, ...ordersWebhookRoutes, ...consolePageRoutes];
