/**
 * The floor of the end-to-end bench: the least a correct "message in → reply out" server must do,
 * in one plain Node process — read the body, check the HMAC, one Redis SET NX for the dedupe key,
 * one outbound HTTP POST of a text reply to the Graph API, then 200 to the webhook.
 * Usage: floor-e2e-server.ts <port> <redis-url> <secret> <graph-api-url> <token>; prints "ready".
 */
import http from "node:http";
import Redis from "ioredis";
import { listenForWebhooks, postTextReply } from "./floor-parts";

const [port, redisUrl, secret, graphUrl, token] = process.argv.slice(2);
const redis = new Redis(redisUrl);
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
const graph = new URL(graphUrl);

listenForWebhooks(Number(port), secret, async m => {
	const fresh = await redis.set(`floor:${m.id}`, "1", "PX", 7 * 24 * 3600 * 1000, "NX");
	if (fresh) await postTextReply(agent, graph, token, m.phoneNumberId, m.from, "Hi! How can I help you today?");
});
