/**
 * Broker options, typed, for both `npm start` (scripts/start.ts) and moleculer-runner
 * (`moleculer-runner -c dist/moleculer.config.js <service files>`). Everything comes from the
 * config module; `createBrokerOptions` takes a config so tests can build brokers of their own.
 */
import os from "node:os";
import type { BrokerOptions, Middleware, ServiceBroker } from "moleculer";
import { Middleware as ChannelsMiddleware } from "@moleculer/channels";
import { getConfigOrExit, type Config } from "./config";
import { pinoOptions } from "./adapters/logging";
import { ApiPrometheusReporter, nodeMetricsActions, settleMetricRateLayout } from "./adapters/metrics";
import { MemoryAdapter } from "./adapters/channels/memory-adapter";
import { NatsChannelAdapter } from "./adapters/channels/nats-adapter";
import { RedisChannelAdapter } from "./adapters/channels/redis-adapter";
import { createStore } from "./adapters/store";
import type { Store } from "./adapters/store/store";
import { StoreMiddleware } from "./middlewares/store";
import { DurableChannelsMiddleware } from "./middlewares/durable-channels";
import { NatsLinksMiddleware } from "./middlewares/nats-links";
import { toMoleculerCommands } from "./repl";

/**
 * Our middleware retries in place and dead-letters; the adapter only redelivers when that
 * middleware could not record a dead letter (the store is down). Keep redelivering rather than
 * drop: the adapter's own dead-lettering is off.
 */
const ADAPTER_REDELIVERIES = 1000;
/** How often a node looks for Redis Streams messages left pending past the ack deadline, at most. */
const REDIS_CLAIM_INTERVAL_MS = 1000;

export function channelAdapter(cfg: Config): unknown {
	const common = {
		maxInFlight: cfg.channels.maxInFlight,
		maxRetries: ADAPTER_REDELIVERIES,
		deadLettering: { enabled: false }
	};
	if (cfg.transporter)
		return new NatsChannelAdapter({
			...common,
			nats: {
				url: cfg.transporter,
				// Every JetStream publish and pull is a NATS request, and by default each one builds two
				// Error objects up front (stack traces for a timeout that rarely comes): about a twentieth
				// of the gateway's and the sellers' CPU in bench:e2e. Timeouts still fail, with less context.
				// nats.js gives up after 10 reconnect attempts (about 20 s) by default, and a closed
				// connection never comes back: the channels stayed dead after a NATS outage longer than
				// that while the transporter (Moleculer asks for unlimited attempts) recovered.
				connectionOptions: { noAsyncTraces: true, maxReconnectAttempts: -1 },
				// Nanoseconds.
				streamConfig: { max_age: cfg.channels.retentionMs * 1e6 },
				// Nanoseconds. A message held by a node that died goes to another after this.
				consumerOptions: { config: { ack_wait: cfg.channels.ackWaitMs * 1e6 } }
			}
		});
	if (cfg.redisUrl)
		return new RedisChannelAdapter({
			...common,
			retention: { retentionMs: cfg.channels.retentionMs },
			redis: {
				url: cfg.redisUrl,
				// A message held by a node that died goes to another after the ack deadline, as on JetStream;
				// a deadline shorter than the interval is looked for a few times within it.
				consumerOptions: {
					minIdleTime: cfg.channels.ackWaitMs,
					claimInterval: Math.min(REDIS_CLAIM_INTERVAL_MS, Math.max(10, Math.floor(cfg.channels.ackWaitMs / 3)))
				}
			}
		});
	return new MemoryAdapter(common);
}

export interface BrokerOverrides {
	nodeID?: string;
	/** Tests inject a store (e.g. one shared by several in-process brokers). */
	store?: (broker: ServiceBroker) => Store;
	logger?: BrokerOptions["logger"];
}

export function createBrokerOptions(cfg: Config, overrides: BrokerOverrides = {}): BrokerOptions {
	settleMetricRateLayout();
	return {
		config: cfg,
		namespace: cfg.namespace,
		nodeID: overrides.nodeID ?? `${os.hostname()}-${process.pid}`,
		transporter: cfg.transporter ?? undefined,
		serializer: "JSON",
		logger: overrides.logger ?? {
			type: "Pino",
			options: { level: cfg.logLevel, pino: { options: pinoOptions(cfg.logLevel) } }
		},
		logLevel: cfg.logLevel,
		requestTimeout: 10_000,
		// Off broker-wide: retrying a non-idempotent action (orders.create) must be the caller's choice.
		retryPolicy: { enabled: false },
		circuitBreaker: { enabled: true, threshold: 0.5, minRequestCount: 20, windowTime: 60, halfOpenTime: 10_000 },
		registry: { strategy: "RoundRobin", preferLocal: true },
		// Graceful shutdown: stop() waits for running requests and handlers before closing.
		tracking: { enabled: true, shutdownTimeout: cfg.shutdownTimeoutMs },
		validator: true,
		metrics: { enabled: true, reporter: [new ApiPrometheusReporter() as never] },
		// `$node.prometheus`: each node's metrics text, gathered by the api node's GET /metrics.
		internalServices: { $node: { actions: nodeMetricsActions } } as never,
		tracing: { enabled: cfg.tracing, exporter: cfg.tracing ? [{ type: "Console" }] : [] },
		middlewares: [
			StoreMiddleware(overrides.store ?? (broker => createStore({ redisUrl: cfg.redisUrl ?? undefined, prefix: `${cfg.namespace}:`, logger: broker.getLogger("store") }))),
			ChannelsMiddleware({ adapter: channelAdapter(cfg) } as never) as unknown as Middleware,
			DurableChannelsMiddleware(cfg.channels),
			NatsLinksMiddleware()
		],
		replCommands: toMoleculerCommands()
	};
}

export default createBrokerOptions(getConfigOrExit());
