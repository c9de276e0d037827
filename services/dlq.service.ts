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
				return this.replay(await this.mustGet(ctx.params.id));
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
				return { replayed, failed };
			}
		},

		purge: {
			params: filterParams,
			async handler(this: DlqThis, ctx: Context<ListParams>) {
				return { purged: await this.deadLetters().purge(ctx.params) };
			}
		}
	},

	methods: {
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
	mustGet(id: string): Promise<DeadLetter>;
	replay(entry: DeadLetter): Promise<{ id: string; channel: string; group: string; replayed: boolean }>;
};

export default DlqService;
