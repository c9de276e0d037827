import assert from "node:assert/strict";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { GraphClient, GraphError } from "../../gateway/whatsapp/graph-client";
import { freePort } from "../helpers/servers";

/** How the client reads what a Graph API peer answers, beyond the fake Graph API's happy paths. */
describe("whatsapp: Graph client over HTTP", () => {
	let server: http.Server;
	let handler: (req: http.IncomingMessage, res: http.ServerResponse) => void;
	let client: GraphClient;
	const seen: { method?: string; url?: string; auth?: string; type?: string; body: string }[] = [];

	beforeEach(async () => {
		seen.length = 0;
		server = http.createServer((req, res) => {
			let body = "";
			req.on("data", c => (body += c));
			req.on("end", () => {
				seen.push({ method: req.method, url: req.url, auth: req.headers.authorization, type: req.headers["content-type"], body });
				handler(req, res);
			});
		});
		await new Promise<void>(r => server.listen(0, "127.0.0.1", r));
		client = new GraphClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v21.0`, token: "tok", timeoutMs: 300 });
	});

	afterEach(async () => {
		await client.close();
		server.closeAllConnections();
		await new Promise(r => server.close(r));
	});

	const failure = async (p: Promise<unknown>): Promise<GraphError> => {
		const err = await p.then(
			() => assert.fail("expected a GraphError"),
			(e: unknown) => e
		);
		assert.ok(err instanceof GraphError, `a GraphError, not ${String(err)}`);
		return err;
	};

	it("posts JSON with the bearer token and reads the message id, over kept-alive connections", async () => {
		const sockets = new Set<unknown>();
		server.on("connection", s => sockets.add(s));
		handler = (_req, res) => res.writeHead(200, { "content-type": "application/json" }).end('{"messages":[{"id":"wamid.A","message_status":"accepted"}]}');
		for (let i = 0; i < 6; i++) assert.deepEqual(await client.sendMessage("123", { to: "1555" }), { messageId: "wamid.A", messageStatus: "accepted" });
		assert.deepEqual(seen[0], { method: "POST", url: "/v21.0/123/messages", auth: "Bearer tok", type: "application/json", body: '{"to":"1555"}' });
		assert.equal(sockets.size, 1, `${sockets.size} connections for 6 sequential sends`);
	});

	it("classifies Meta's error bodies by code, and a 200 that is not JSON as permanent", async () => {
		handler = (_req, res) => res.writeHead(400, { "content-type": "application/json" }).end('{"error":{"message":"Re-engagement","code":131047,"error_data":{"details":"window"}}}');
		const window = await failure(client.sendMessage("123", {}));
		assert.deepEqual([window.kind, window.code, window.httpStatus, window.details], ["window", 131047, 400, "window"]);
		handler = (_req, res) => res.writeHead(200).end("<html>");
		const notJson = await failure(client.sendMessage("123", {}));
		assert.deepEqual([notJson.kind, notJson.httpStatus], ["permanent", 200]);
		handler = (_req, res) => res.writeHead(502).end("bad gateway");
		assert.equal((await failure(client.sendMessage("123", {}))).kind, "retryable");
	});

	it("turns a refused connection, a silent server and a body cut off into retryable network errors", async () => {
		const closed = new GraphClient({ baseUrl: `http://127.0.0.1:${await freePort()}/v21.0`, token: "tok", timeoutMs: 300 });
		const refused = await failure(closed.sendMessage("123", {}));
		await closed.close();
		assert.deepEqual([refused.kind, refused.httpStatus, refused.code], ["retryable", 0, undefined]);

		handler = () => undefined;
		const silent = await failure(client.sendMessage("123", {}));
		assert.deepEqual([silent.kind, silent.httpStatus], ["retryable", 0]);

		handler = (_req, res) => {
			res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
			res.write('{"messages":');
			res.socket?.destroy();
		};
		const cut = await failure(client.sendMessage("123", {}));
		assert.deepEqual([cut.kind, cut.httpStatus], ["retryable", 0]);
	});

	it("downloads media bytes with their type, and reads an error body on a refused download", async () => {
		handler = (req, res) => {
			if (req.url?.startsWith("/v21.0/m1")) return res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ url: `http://${req.headers.host}/bytes/m1`, mime_type: "image/jpeg" }));
			if (req.url === "/bytes/m1") return res.writeHead(200, { "content-type": "image/jpeg" }).end(Buffer.from([0xff, 0xd8, 0x00, 0x01]));
			res.writeHead(404, { "content-type": "application/json" }).end('{"error":{"message":"Unknown media","code":100}}');
		};
		const info = await client.mediaInfo("m1", "123");
		assert.equal(seen[0].url, "/v21.0/m1?phone_number_id=123");
		const file = await client.download(info.url);
		assert.deepEqual([...file.data], [0xff, 0xd8, 0x00, 0x01]);
		assert.equal(file.mimeType, "image/jpeg");
		assert.equal(seen[1].auth, "Bearer tok", "the bytes are fetched with the token");
		const missing = await failure(client.download(info.url.replace("m1", "m2")));
		assert.deepEqual([missing.code, missing.httpStatus, missing.kind], [100, 404, "permanent"]);
	});
});
