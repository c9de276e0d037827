import assert from "node:assert/strict";
import http from "node:http";
import sinon from "sinon";
import type { LoggerInstance } from "moleculer";
import { loadConfig } from "../../../config";
import { ConsoleServer } from "../../../gateway/console/server";
import type { SessionResult } from "../../../contracts/sales-assistant";
import { connectSeller, type SellerClient } from "../../helpers/console-client";
import { waitFor } from "../../helpers/wait";

describe("console server after a start", () => {
	const cfg = loadConfig({});
	const ana = cfg.sellers.find(s => s.id === "ana")!;
	let server: http.Server;
	let consoleServer: ConsoleServer;
	const clients: SellerClient[] = [];
	let sessions = 0;
	let url: string;

	before(async () => {
		server = http.createServer((_req, res) => res.writeHead(404).end());
		await new Promise<void>(r => server.listen(0, "127.0.0.1", r));
		url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
		const logger = { info: sinon.spy(), warn: sinon.spy(), debug: sinon.spy(), error: sinon.spy() } as unknown as LoggerInstance;
		consoleServer = new ConsoleServer({
			sellers: cfg.sellers,
			limits: cfg.console,
			nodeId: "gw-new",
			settleMs: 300,
			logger,
			async call<T>(action: string): Promise<T> {
				if (action.endsWith(".session")) {
					sessions++;
					const session: SessionResult = { seller: { id: ana.id, name: ana.name, brands: ana.brands, capacity: ana.capacity, online: true, paused: false, load: 0 }, queue: [], conversations: [], team: [] };
					return session as T;
				}
				return { ok: true } as T;
			}
		});
		consoleServer.attach(server);
	});
	after(async () => {
		await Promise.all(clients.map(c => c.close().catch(() => undefined)));
		await consoleServer.stop();
		await new Promise(r => server.close(r));
	});

	it("sends a second welcome to sockets that connected before other nodes could reach this one", async () => {
		const early = await connectSeller(url, ana.token);
		clients.push(early);
		await waitFor(() => early.of("welcome").length === 2, { message: "a second welcome after the settle delay" });

		const later = await connectSeller(url, ana.token);
		clients.push(later);
		assert.equal(later.of("welcome").length, 1);
		// Two for the early socket, one for the later: the catch-up happens once, at start.
		assert.equal(sessions, 3);
	});
});
