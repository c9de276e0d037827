/**
 * The product's gateway as deployed: api + whatsapp in one process on Redis (store and durable
 * channels over Redis Streams), no transporter. Usage: gateway-node.ts <port> <redis-url> <secret>.
 */
import { ServiceBroker } from "moleculer";
import { loadConfig } from "../config";
import { createBrokerOptions } from "../moleculer.config";
import ApiService from "../gateway/api.service";
import WhatsappService from "../gateway/whatsapp.service";

const [port, redisUrl, secret] = process.argv.slice(2);
const cfg = loadConfig({ PORT: port, REDIS_URL: redisUrl, WHATSAPP_APP_SECRET: secret, LOG_LEVEL: "warn", NAMESPACE: `bench${process.pid}` });
const broker = new ServiceBroker(createBrokerOptions(cfg, { nodeID: "bench-gateway" }));
broker.createService(ApiService);
broker.createService(WhatsappService);
broker.start().then(() => process.stdout.write("ready\n"));
