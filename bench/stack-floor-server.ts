/**
 * The stack floor of the end-to-end bench: the floor's work (HMAC, one Redis SET NX, one HTTP POST
 * of the reply) with the two hops the product's design puts between webhook and reply — gateway →
 * seller → gateway, each a Moleculer channel on NATS JetStream, between two processes — and
 * nothing else: no store, no machine, no brain, no metrics. It is what the chosen stack costs
 * before any of our code runs, so the product's ratio to it says how much is ours to win.
 *
 * The brokers use the product's channel adapter with the product's options (`channelAdapter`), its
 * serializer and its transporter; the HTTP edge is plain node:http, as the product's webhook POST is.
 *
 * Usage: stack-floor-server.ts edge <port> <nats-url> <redis-url> <secret> <graph-api-url> <token>
 *        stack-floor-server.ts worker <nats-url>
 * Prints "ready" once its channels are subscribed.
 */
import http from "node:http";
import Redis from "ioredis";
import { ServiceBroker, type Middleware } from "moleculer";
import { Middleware as ChannelsMiddleware } from "@moleculer/channels";
import { loadConfig } from "../config";
import { channelAdapter } from "../moleculer.config";
import { verifySignature } from "../gateway/whatsapp/signature";

const CHAT = "stackfloor.chat";
const SEND = "stackfloor.send";

interface Chat {
	phoneNumberId: string;
	from: string;
	text: string;
}
interface Send {
	phoneNumberId: string;
	to: string;
	text: string;
}

function broker(natsUrl: string, nodeID: string): ServiceBroker {
	const cfg = loadConfig({ TRANSPORTER: natsUrl });
	return new ServiceBroker({
		namespace: `stackfloor${process.ppid}`,
		nodeID: `${nodeID}-${process.pid}`,
		transporter: natsUrl,
		serializer: "JSON",
		logger: false,
		middlewares: [ChannelsMiddleware({ adapter: channelAdapter(cfg) } as never) as unknown as Middleware]
	});
}

function postReply(agent: http.Agent, graph: URL, token: string, reply: Send): Promise<void> {
	const body = Buffer.from(JSON.stringify({ messaging_product: "whatsapp", recipient_type: "individual", to: reply.to, type: "text", text: { body: reply.text } }));
	return new Promise((resolve, reject) => {
		const req = http.request(
			{
				host: graph.hostname,
				port: graph.port,
				path: `${graph.pathname.replace(/\/+$/, "")}/${reply.phoneNumberId}/messages`,
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

async function edge(port: number, natsUrl: string, redisUrl: string, secret: string, graphUrl: string, token: string): Promise<void> {
	const redis = new Redis(redisUrl);
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	const graph = new URL(graphUrl);
	const b = broker(natsUrl, "edge");
	b.createService({
		name: "edge",
		channels: { [SEND]: { group: "edge", handler: (reply: Send) => postReply(agent, graph, token, reply) } }
	} as never);
	await b.start();
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
					const fresh = await redis.set(`stackfloor:${message.id}`, "1", "PX", 7 * 24 * 3600 * 1000, "NX");
					if (fresh) await b.sendToChannel(CHAT, { phoneNumberId: value.metadata.phone_number_id, from: message.from, text: message.text?.body ?? "" } satisfies Chat);
					res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
				} catch {
					res.writeHead(500).end();
				}
			});
		})
		.listen(port, "127.0.0.1", () => process.stdout.write("ready\n"));
}

async function worker(natsUrl: string): Promise<void> {
	const b = broker(natsUrl, "worker");
	b.createService({
		name: "worker",
		channels: {
			[CHAT]: {
				group: "worker",
				handler: (chat: Chat) => b.sendToChannel(SEND, { phoneNumberId: chat.phoneNumberId, to: chat.from, text: "Hi! How can I help you today?" } satisfies Send)
			}
		}
	} as never);
	await b.start();
	process.stdout.write("ready\n");
}

const [mode, ...args] = process.argv.slice(2);
(mode === "edge" ? edge(Number(args[0]), args[1], args[2], args[3], args[4], args[5]) : worker(args[0])).catch(err => {
	console.error(err);
	process.exit(1);
});
