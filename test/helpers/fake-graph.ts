/**
 * A fake Graph API over real HTTP on 127.0.0.1: answers `/{version}/{phone-number-id}/messages`
 * and the two media download steps the way Meta does (SPEC §4), with error bodies chosen per test.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type Scenario = "success" | { code: number; http?: number; details?: string } | { http: number; raw?: string };

export interface GraphRequest {
	method: string;
	path: string;
	authorization: string | undefined;
	body: Record<string, unknown> | null;
	/** Epoch ms when the request arrived (after its body was read). */
	at: number;
}

const TITLES: Record<number, string> = {
	130429: "Rate limit hit",
	131047: "Re-engagement message",
	131026: "Message undeliverable",
	131056: "Pair rate limit hit",
	131009: "Parameter value is not valid",
	190: "Error validating access token: Session has expired"
};

export class FakeGraph {
	readonly requests: GraphRequest[] = [];
	/** Answers for the next message sends, in order; `success` once the queue is empty. */
	readonly queue: Scenario[] = [];
	/** Answer every send with this while set. */
	always: Scenario | null = null;
	readonly media = new Map<string, Buffer>();
	private server!: http.Server;
	private seq = 0;
	url = "";

	constructor(readonly token: string, readonly version = "v21.0") {}

	async start(): Promise<this> {
		this.server = http.createServer((req, res) => void this.handle(req, res));
		await new Promise<void>(r => this.server.listen(0, "127.0.0.1", r));
		this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
		return this;
	}

	get apiUrl(): string {
		return `${this.url}/${this.version}`;
	}

	stop(): Promise<void> {
		this.server.closeAllConnections();
		return new Promise(r => this.server.close(() => r()));
	}

	sends(): GraphRequest[] {
		return this.requests.filter(r => r.method === "POST" && r.path.endsWith("/messages"));
	}

	private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const text = Buffer.concat(chunks).toString();
		let body: Record<string, unknown> | null = null;
		try {
			body = text ? JSON.parse(text) : null;
		} catch {
			body = null;
		}
		const path = (req.url ?? "").split("?")[0];
		this.requests.push({ method: req.method ?? "", path, authorization: req.headers.authorization, body, at: Date.now() });
		const json = (status: number, value: unknown) => {
			res.writeHead(status, { "content-type": "application/json" });
			res.end(JSON.stringify(value));
		};
		if (req.headers.authorization !== `Bearer ${this.token}`)
			return json(401, { error: { message: "Invalid OAuth access token.", type: "OAuthException", code: 190, fbtrace_id: "T" } });

		const bytes = /^\/media-bytes\/(.+)$/.exec(path);
		if (bytes) {
			const data = this.media.get(decodeURIComponent(bytes[1]));
			if (!data) return json(404, { error: { message: "not found", code: 100 } });
			res.writeHead(200, { "content-type": "image/jpeg" });
			return void res.end(data);
		}
		const send = new RegExp(`^/${this.version}/(\\d+)/messages$`).exec(path);
		if (send && req.method === "POST") {
			const scenario = this.always ?? this.queue.shift() ?? "success";
			if (scenario === "success") {
				if (body?.status === "read") return json(200, { success: true });
				return json(200, { messaging_product: "whatsapp", contacts: [{ input: body?.to, wa_id: String(body?.to).replace("+", "") }], messages: [{ id: `wamid.FAKE${++this.seq}` }] });
			}
			if ("code" in scenario)
				return json(scenario.http ?? 400, {
					error: { message: `(#${scenario.code}) ${TITLES[scenario.code] ?? "Error"}`, type: "OAuthException", code: scenario.code, error_data: { messaging_product: "whatsapp", details: scenario.details ?? "details" }, fbtrace_id: "T" }
				});
			res.writeHead(scenario.http, { "content-type": "text/html" });
			return void res.end(scenario.raw ?? "<html>Service Unavailable</html>");
		}
		const mediaInfo = new RegExp(`^/${this.version}/([^/]+)$`).exec(path);
		if (mediaInfo && req.method === "GET") {
			const id = decodeURIComponent(mediaInfo[1]);
			const data = this.media.get(id);
			if (!data) return json(404, { error: { message: "(#100) Invalid parameter", code: 100 } });
			return json(200, { messaging_product: "whatsapp", url: `${this.url}/media-bytes/${encodeURIComponent(id)}`, mime_type: "image/jpeg", sha256: "abc", file_size: data.length, id });
		}
		json(404, { error: { message: "Unknown path", code: 100 } });
	}
}
