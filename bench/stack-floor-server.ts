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
import { listenForWebhooks, postTextReply } from "./floor-parts";

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

async function edge(port: number, natsUrl: string, redisUrl: string, secret: string, graphUrl: string, token: string): Promise<void> {
	const redis = new Redis(redisUrl);
	const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
	const graph = new URL(graphUrl);
	const b = broker(natsUrl, "edge");
	b.createService({
		name: "edge",
		channels: { [SEND]: { group: "edge", handler: (reply: Send) => postTextReply(agent, graph, token, reply.phoneNumberId, reply.to, reply.text) } }
	} as never);
	await b.start();
	listenForWebhooks(port, secret, async m => {
		const fresh = await redis.set(`stackfloor:${m.id}`, "1", "PX", 7 * 24 * 3600 * 1000, "NX");
		if (fresh) await b.sendToChannel(CHAT, { phoneNumberId: m.phoneNumberId, from: m.from, text: m.text } satisfies Chat);
	});
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
