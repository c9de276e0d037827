/**
 * The floor the gateway is measured against: the least a correct webhook receiver must do, in one
 * plain Node process — read the body, check the HMAC, one Redis SET NX for the dedupe key, 200.
 * Usage: floor-server.ts <port> <redis-url> <secret>; prints "ready" once listening.
 */
import http from "node:http";
import Redis from "ioredis";
import { verifySignature } from "../gateway/whatsapp/signature";

const [port, redisUrl, secret] = process.argv.slice(2);
const redis = new Redis(redisUrl);

http
	.createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on("data", c => chunks.push(c));
		req.on("end", async () => {
			const raw = Buffer.concat(chunks);
			if (!verifySignature(secret, req.headers["x-hub-signature-256"], raw).ok) {
				res.writeHead(401).end();
				return;
			}
			const body = JSON.parse(raw.toString());
			const id = body.entry[0].changes[0].value.messages[0].id;
			await redis.set(`floor:${id}`, "1", "PX", 7 * 24 * 3600 * 1000, "NX");
			res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
		});
	})
	.listen(Number(port), "127.0.0.1", () => process.stdout.write("ready\n"));
