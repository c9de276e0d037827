/**
 * The fake Graph API of the end-to-end bench: answers `POST /{version}/{phone-number-id}/messages`
 * the way Meta does (test/helpers/fake-graph.ts speaks the same protocol) and reports each send's
 * recipient with its arrival time. Unlike FakeGraph it keeps no request log: a bench run sends
 * tens of thousands of replies, and the arrival hook is what the latency is measured against.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type OnSend = (to: string, atNs: bigint, body: Record<string, unknown>) => void;

export class GraphSink {
	private server!: http.Server;
	private seq = 0;
	url = "";
	sends = 0;
	rejected = 0;

	constructor(
		readonly token: string,
		private readonly onSend: OnSend,
		readonly version = "v21.0"
	) {}

	get apiUrl(): string {
		return `${this.url}/${this.version}`;
	}

	async start(): Promise<this> {
		const send = new RegExp(`^/${this.version}/(\\d+)/messages$`);
		this.server = http.createServer((req, res) => {
			const chunks: Buffer[] = [];
			req.on("data", c => chunks.push(c));
			req.on("end", () => {
				const at = process.hrtime.bigint();
				const json = (status: number, value: unknown) => {
					res.writeHead(status, { "content-type": "application/json" });
					res.end(JSON.stringify(value));
				};
				if (req.headers.authorization !== `Bearer ${this.token}`) {
					this.rejected++;
					return json(401, { error: { message: "Invalid OAuth access token.", type: "OAuthException", code: 190, fbtrace_id: "B" } });
				}
				if (req.method !== "POST" || !send.test((req.url ?? "").split("?")[0])) {
					this.rejected++;
					return json(404, { error: { message: "Unknown path", code: 100 } });
				}
				let body: Record<string, unknown>;
				try {
					body = JSON.parse(Buffer.concat(chunks).toString());
				} catch {
					this.rejected++;
					return json(400, { error: { message: "(#100) Invalid JSON", code: 100 } });
				}
				if (body.status === "read") return json(200, { success: true });
				// The product sends `+<wa_id>`; the bench correlates on the bare wa_id.
				const to = String(body.to ?? "").replace(/^\+/, "");
				this.sends++;
				this.onSend(to, at, body);
				json(200, { messaging_product: "whatsapp", contacts: [{ input: String(body.to), wa_id: to }], messages: [{ id: `wamid.BENCH${++this.seq}` }] });
			});
		});
		this.server.keepAliveTimeout = 30_000;
		await new Promise<void>(r => this.server.listen(0, "127.0.0.1", r));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	stop(): Promise<void> {
		this.server.closeAllConnections();
		return new Promise(r => this.server.close(() => r()));
	}
}
