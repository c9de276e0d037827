/**
 * The seller console's WebSocket endpoint (`/ws/seller?token=…`). It rides on the `api` service's
 * HTTP server of the same node, so a node runs `console` beside `api`; without one it has no
 * socket server and stays idle (logged at start). Frames go to the sales assistant; the sales
 * assistant's `console.push` broadcasts come back out to the sockets they target.
 *
 * The protocol is in contracts/console.ts; the work is in gateway/console/.
 */
import http from "node:http";
import type { Context, ServiceSchema } from "moleculer";
import { brokerConfig } from "../adapters/broker-config";
import { CONSOLE_PUSH_EVENT, type ConsolePush } from "../contracts/console";
import { ServiceNames } from "../contracts/services";
import { ConsoleServer } from "./console/server";

/** The api service's HTTP server on this node, if it runs here (see gateway/api.service.ts `server`). */
function localHttpServer(service: { broker: import("moleculer").ServiceBroker }): http.Server | null {
	const api = service.broker.getLocalService(ServiceNames.Api) as unknown as { server?: unknown } | undefined;
	return api?.server instanceof http.Server ? api.server : null;
}

const ConsoleService: ServiceSchema = {
	name: ServiceNames.Console,

	events: {
		[CONSOLE_PUSH_EVENT]: {
			handler(this: { consoleServer: ConsoleServer | null }, ctx: Context<ConsolePush>) {
				this.consoleServer?.push(ctx.params);
			}
		}
	},

	created() {
		this.consoleServer = null;
	},

	started() {
		const server = localHttpServer(this);
		if (!server) {
			this.logger.warn("no api service on this node: the console has no socket server and stays idle");
			return;
		}
		const cfg = brokerConfig(this.broker);
		this.consoleServer = new ConsoleServer({
			sellers: cfg.sellers,
			limits: cfg.console,
			nodeId: this.broker.nodeID,
			call: (action, params) => this.broker.call(action, params),
			logger: this.logger
		});
		this.consoleServer.attach(server);
	},

	async stopped() {
		await (this.consoleServer as ConsoleServer | null)?.stop();
		this.consoleServer = null;
	}
};

export default ConsoleService;
