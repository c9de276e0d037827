/**
 * The HTTP face of the product (moleculer-web): health probes and metrics now, webhooks, the
 * console and the sandbox as they arrive. Routes are explicit (`gateway/routes.ts`).
 *
 * We own the HTTP server (`server: false` plus the mixin's `httpHandler`) because the mixin's
 * `started` never settles when the port is taken: the process would hang instead of failing.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Errors, type Context, type ServiceSchema } from "moleculer";
import ApiGateway from "moleculer-web";
import { brokerConfig } from "../adapters/broker-config";
import { ServiceNames } from "../contracts/services";
import { localPrometheusText, mergePrometheusTexts } from "../adapters/metrics";
import { healthReport } from "./health";
import { errorLogger, publicError } from "./http-errors";
import { featureRoutes, healthRoutes } from "./routes";
import { webhookFastPath } from "./whatsapp/http";

const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** How long /metrics waits for another node's metrics before it leaves them out. */
const NODE_METRICS_TIMEOUT_MS = 2000;

/** How often a stopping server closes the keep-alive connections its last answers left idle. */
const IDLE_SWEEP_MS = 20;

const ApiService: ServiceSchema = {
	name: ServiceNames.Api,
	mixins: [ApiGateway],

	settings: {
		server: false,
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

		/**
		 * The whole cluster's metrics: this node's, and every other available node's through
		 * `$node.prometheus` (series told apart by `nodeID`), so the sellers' and the backoffice's
		 * metrics are scraped here too. `agent_store_metrics_node_up{nodeID}` is 0 for a node that
		 * did not answer in time (its series are missing from that scrape). `?scope=node`: this node only.
		 */
		metrics: {
			async handler(ctx: Context<{ scope?: string }, { $responseType?: string; $statusCode?: number }>) {
				ctx.meta.$responseType = PROMETHEUS_CONTENT_TYPE;
				const local = localPrometheusText(this.broker);
				if (local === null) {
					ctx.meta.$statusCode = 404;
					return "# metrics are disabled on this node\n";
				}
				if (ctx.params?.scope === "node") return local;
				type NodeInfo = { id: string; local: boolean; available: boolean };
				const nodes = (this.broker.registry as unknown as { getNodeList(o: object): NodeInfo[] }).getNodeList({ onlyAvailable: true, withServices: false });
				const up: [string, number][] = [[this.broker.nodeID, 1]];
				const remote = await Promise.all(
					nodes.filter(n => !n.local).map(async n => {
						try {
							const text = await this.broker.call<string, object>("$node.prometheus", {}, { nodeID: n.id, timeout: NODE_METRICS_TIMEOUT_MS });
							up.push([n.id, 1]);
							return typeof text === "string" ? text : "";
						} catch (err) {
							up.push([n.id, 0]);
							this.logger.debug(`No metrics from node ${n.id}: ${(err as Error)?.message ?? err}`);
							return "";
						}
					})
				);
				const labels = (id: string) => `{namespace="${this.broker.namespace}",nodeID="${id.replace(/["\\\n]/g, "_")}"}`;
				const upText = ["# HELP agent_store_metrics_node_up Whether the node answered this scrape (1) or not (0)", "# TYPE agent_store_metrics_node_up gauge", ...up.sort(([a], [b]) => a.localeCompare(b)).map(([id, v]) => `agent_store_metrics_node_up${labels(id)} ${v}`)].join("\n");
				return mergePrometheusTexts([local, ...remote, upText]);
			}
		}
	},

	methods: {
		/**
		 * Every error answer of this server (routes and the webhook fast path) goes through here: a
		 * client error keeps its message; an outage is a generic 503, anything else a generic 500
		 * (`gateway/http-errors.ts`), and the real error is logged instead of sent.
		 */
		sendError(req: http.IncomingMessage, res: http.ServerResponse, err: unknown) {
			const { error, client } = publicError(err);
			if (!client) (this.logFailure as ReturnType<typeof errorLogger>)(`HTTP ${req.method} ${(req.url ?? "").split("?", 1)[0]}`, err, error.code === 503);
			const answer = Object.assign(new Errors.MoleculerError(error.message, error.code, error.type, error.data), { name: error.name });
			return (ApiGateway.methods!.sendError as (this: unknown, ...a: unknown[]) => void).call(this, req, res, answer);
		},

		/** moleculer-web's logs every 5xx with its stack before answering; `sendError` logs instead. */
		errorHandler(req: http.IncomingMessage, res: http.ServerResponse, err: unknown) {
			this.sendError(req, res, err);
		}
	},

	created() {
		this.logFailure = errorLogger(this.logger);
		// Public to services of the same node: the console attaches its WebSocket upgrade here.
		const webhook = webhookFastPath(this as unknown as Parameters<typeof webhookFastPath>[0]);
		this.server = http.createServer((req, res) => {
			if (!webhook(req, res)) this.httpHandler(req, res);
		});
	},

	async started() {
		const cfg = brokerConfig(this.broker);
		const server = this.server as http.Server;
		await new Promise<void>((resolve, reject) => {
			const onError = (err: Error) => reject(new Error(`HTTP server cannot listen on ${cfg.host}:${cfg.port}: ${err.message}`));
			server.once("error", onError);
			server.listen(cfg.port, cfg.host, () => {
				server.off("error", onError);
				resolve();
			});
		});
		const address = server.address() as AddressInfo;
		this.logger.info(`HTTP listening on http://${address.address}:${address.port}`);
	},

	/** Stops accepting connections; requests in flight finish (the broker's tracking waits for them). */
	async stopped() {
		const server = this.server as http.Server;
		if (!server.listening) return;
		const closed = new Promise<void>(resolve => server.close(() => resolve()));
		server.closeIdleConnections();
		// A request answered meanwhile leaves its keep-alive connection idle: closed as it comes, so the
		// stop does not wait for the force timeout (watched here, not on every request).
		const idle = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
		const force = setTimeout(() => server.closeAllConnections(), brokerConfig(this.broker).shutdownTimeoutMs);
		force.unref();
		await closed;
		clearInterval(idle);
		clearTimeout(force);
	}
};

export default ApiService;
