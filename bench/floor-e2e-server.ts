/**
 * The floor of the end-to-end bench: the least a correct "message in → reply out" server must do,
 * in one plain Node process — read the body, check the HMAC, one Redis SET NX for the dedupe key,
 * one outbound HTTP POST of a text reply to the Graph API, then 200 to the webhook.
 * Usage: floor-e2e-server.ts <port> <redis-url> <secret> <graph-api-url> <token>; prints "ready".
 */
import http from "node:http";
import Redis from "ioredis";
import { verifySignature } from "../gateway/whatsapp/signature";

const [port, redisUrl, secret, graphUrl, token] = process.argv.slice(2);
const redis = new Redis(redisUrl);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const graph = new URL(graphUrl);

function sendReply(phoneNumberId: string, to: string, text: string): Promise<void> {
	const body = Buffer.from(JSON.stringify({ messaging_product: "whatsapp", recipient_type: "individual", to, type: "text", text: { body: text } }));
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: graph.hostname,
				port: graph.port,
				path: `${graph.pathname.replace(/\/+$/, "")}/${phoneNumberId}/messages`,
				method: "POST",
				agent,
				headers: { "content-type": "application/json", "content-length": body.length, authorization: `Bearer ${token}` }
			},
			res => {
				res.resume();
				res.on("end", () => (res.statusCode === 200 ? resolve() : reject(new Error(`Graph HTTP ${res.statusCode}`))));
			}
		);
		req.on("error", reject);
		req.end(body);
	});
}

http
	.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on("data", c => chunks.push(c));
		req.on("end", async () => {
			try {
				const raw = Buffer.concat(chunks);
				if (!verifySignature(secret, req.headers["x-hub-signature-256"], raw).ok) {
					res.writeHead(401).end();
					return;
				}
				const value = JSON.parse(raw.toString()).entry[0].changes[0].value;
				const message = value.messages[0];
				const fresh = await redis.set(`floor:${message.id}`, "1", "PX", 7 * 24 * 3600 * 1000, "NX");
				if (fresh) await sendReply(value.metadata.phone_number_id, message.from, "Hi! How can I help you today?");
				res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
			} catch {
				res.writeHead(500).end();
			}
		});
	})
	.listen(Number(port), "127.0.0.1", () => process.stdout.write("ready\n"));
