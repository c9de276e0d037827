/**
 * Operators' handle on the dead-letter queue: list, show, replay (one or all) and purge. A replay
 * republishes the original event on its channel addressed to the consumer group that failed, so
 * other groups that already handled it are not disturbed.
 */
import type { Context, ServiceSchema } from "moleculer";
import { DeadLetters, type DeadLetter } from "../adapters/dead-letters";
import { NotFoundError, ErrorTypes } from "../contracts/errors";
import { DEAD_LETTER_HEADERS, ServiceNames } from "../contracts/services";
import { channelEventType, channelOf } from "../contracts/events";

interface ListParams {
	channel?: string;
	group?: string;
	limit?: number;
	offset?: number;
}

const filterParams = {
	channel: { type: "string", optional: true, max: 128 },
	group: { type: "string", optional: true, max: 128 }
} as const;

const DLQ_GAUGE = "agent_store_dlq_entries";
const DLQ_GAUGE_INTERVAL_MS = 15_000;

const DlqService: ServiceSchema = {
	name: ServiceNames.DeadLetters,

	actions: {
		list: {
			params: {
				...filterParams,
				limit: { type: "number", integer: true, min: 1, max: 500, optional: true, convert: true },
				offset: { type: "number", integer: true, min: 0, optional: true, convert: true }
			},
			handler(this: DlqThis, ctx: Context<ListParams>) {
				return this.deadLetters().list(ctx.params);
			}
		},

		get: {
			params: { id: { type: "string", min: 1, max: 64 } },
			async handler(this: DlqThis, ctx: Context<{ id: string }>) {
				return this.mustGet(ctx.params.id);
			}
		},

		replay: {
			params: { id: { type: "string", min: 1, max: 64 } },
			async handler(this: DlqThis, ctx: Context<{ id: string }>) {
				const replayed = await this.replay(await this.mustGet(ctx.params.id));
				void this.refreshGauge();
				return replayed;
			}
		},

		replayAll: {
			params: filterParams,
			async handler(this: DlqThis, ctx: Context<ListParams>) {
				const { items } = await this.deadLetters().list({ ...ctx.params, limit: Number.MAX_SAFE_INTEGER });
				const replayed: string[] = [];
				const failed: { id: string; message: string }[] = [];
				for (const entry of items) {
					try {
						await this.replay(entry);
						replayed.push(entry.id);
					} catch (err) {
						failed.push({ id: entry.id, message: (err as Error).message });
					}
				}
				void this.refreshGauge();
				return { replayed, failed };
			}
		},

		purge: {
			params: filterParams,
			async handler(this: DlqThis, ctx: Context<ListParams>) {
				const purged = await this.deadLetters().purge(ctx.params);
				void this.refreshGauge();
				return { purged };
			}
		}
	},

	/**
	 * `agent_store_dlq_entries{channel}`: dead letters waiting, by channel, read from the store every
	 * DLQ_GAUGE_INTERVAL_MS and after a replay or a purge (one range and one multi-get each time).
	 * Every node running `dlq` reports the same queue: aggregate with max, not sum.
	 */
	created() {
		this.broker.metrics.register({ type: "gauge", name: DLQ_GAUGE, labelNames: ["channel"], description: "Dead letters waiting, by channel" });
	},

	async started() {
		const self = this as unknown as DlqThis & { gaugeTimer?: NodeJS.Timeout };
		void self.refreshGauge();
		self.gaugeTimer = setInterval(() => void self.refreshGauge(), DLQ_GAUGE_INTERVAL_MS);
		self.gaugeTimer.unref();
	},

	async stopped() {
		clearInterval((this as unknown as { gaugeTimer?: NodeJS.Timeout }).gaugeTimer);
	},

	methods: {
		async refreshGauge(this: DlqThis) {
			try {
				const { items } = await this.deadLetters().list({ limit: Number.MAX_SAFE_INTEGER });
				const gauge = this.broker.metrics.getMetric(DLQ_GAUGE) as unknown as { set(v: number, labels: object): void } | null;
				const counts = new Map<string, number>();
				for (const e of items) counts.set(e.channel, (counts.get(e.channel) ?? 0) + 1);
				// Channels whose letters are gone read 0 rather than their last count.
				const seen = ((this as { gaugeChannels?: Set<string> }).gaugeChannels ??= new Set());
				for (const channel of seen) if (!counts.has(channel)) counts.set(channel, 0);
				for (const channel of counts.keys()) seen.add(channel);
				for (const [channel, n] of counts) gauge?.set(n, { channel });
			} catch (err) {
				this.logger.debug(`Dead-letter gauge not refreshed: ${(err as Error)?.message ?? err}`);
			}
		},

		deadLetters(this: DlqThis) {
			return new DeadLetters(this.broker.store);
		},

		async mustGet(this: DlqThis, id: string) {
			const entry = await this.deadLetters().get(id);
			if (!entry) throw new NotFoundError(`Dead letter '${id}'`, { id }, ErrorTypes.DeadLetterNotFound);
			return entry;
		},

		/**
		 * Stamp, publish, then remove: if the replayed event fails again before we remove the entry,
		 * its new dead letter replaces the stamped one and stays. A crash after publishing leaves the
		 * stamped entry listed, and replaying it twice is absorbed by idempotent handlers.
		 */
		async replay(this: DlqThis, entry: DeadLetter) {
			const type = channelEventType(entry.channel);
			if (!type) throw new Error(`Channel '${entry.channel}' is not a known event type`);
			// A dead letter from before its type was partitioned goes to the share its event belongs to.
			const channel = entry.channel === type ? channelOf(type, (entry.originalEvent as { data?: unknown } | null)?.data) : entry.channel;
			const dlq = this.deadLetters();
			const stamp = await dlq.markReplaying(entry);
			try {
				await this.broker.sendToChannel(channel, entry.originalEvent, {
					headers: { [DEAD_LETTER_HEADERS.TargetGroup]: entry.group, [DEAD_LETTER_HEADERS.ReplayOf]: entry.id }
				});
			} catch (err) {
				await dlq.restore(entry);
				throw err;
			}
			await dlq.settleReplay(entry.id, stamp);
			this.logger.info(`Replayed dead letter ${entry.id} on '${channel}' for '${entry.group}'`);
			return { id: entry.id, channel, group: entry.group, replayed: true };
		}
	}
};

type DlqThis = ThisType<unknown> & {
	broker: import("moleculer").ServiceBroker;
	logger: import("moleculer").LoggerInstance;
	deadLetters(): DeadLetters;
	refreshGauge(): Promise<void>;
	mustGet(id: string): Promise<DeadLetter>;
	replay(entry: DeadLetter): Promise<{ id: string; channel: string; group: string; replayed: boolean }>;
};

export default DlqService;
