/**
 * The HTTP face of the product (moleculer-web): health probes and metrics now, webhooks, the
 * console and the sandbox as they arrive. Routes are explicit (`gateway/routes.ts`); the server
 * is created by the mixin, listens in `started` and is closed in `stopped`.
 */
import type { Context, ServiceSchema } from "moleculer";
import ApiGateway from "moleculer-web";
import { getConfig } from "../config";
import { ServiceNames } from "../contracts/services";
import { ApiPrometheusReporter } from "../adapters/metrics";
import { healthReport } from "./health";
import { featureRoutes, healthRoutes } from "./routes";

const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

const ApiService: ServiceSchema = {
	name: ServiceNames.Api,
	mixins: [ApiGateway],

	settings: {
		port: getConfig().port,
		ip: getConfig().host,
		routes: [...healthRoutes, ...featureRoutes],
		log4XXResponses: false,
		logRequest: "debug",
		logResponse: "debug"
	},

	actions: {
		live: {
			handler() {
				return { status: "ok" };
			}
		},

		ready: {
			handler(ctx: Context<unknown, { $statusCode?: number }>) {
				const report = healthReport(this.broker);
				if (!report.ready) ctx.meta.$statusCode = 503;
				return report;
			}
		},

		metrics: {
			handler(ctx: Context<unknown, { $responseType?: string; $statusCode?: number }>) {
				const reporters = (this.broker.metrics as unknown as { reporter?: unknown[] }).reporter ?? [];
				const prometheus = reporters.find(r => r instanceof ApiPrometheusReporter) as ApiPrometheusReporter | undefined;
				ctx.meta.$responseType = PROMETHEUS_CONTENT_TYPE;
				if (!prometheus) {
					ctx.meta.$statusCode = 404;
					return "# metrics are disabled on this node\n";
				}
				return prometheus.render();
			}
		}
	},

	started() {
		const address = this.server?.address?.();
		if (address && typeof address === "object") this.logger.info(`HTTP listening on http://${address.address}:${address.port}`);
	}
};

export default ApiService;
