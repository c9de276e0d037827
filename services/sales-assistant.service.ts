/**
 * `sales-assistant`: conversations handed to human sellers. Thin: the escalation actors' locking,
 * persistence, queue, offers, timers and presence live in `sales-assistant/escalations.ts`, the
 * lifecycle in the pure escalation machine, the suggestions and insights in `assist.ts`/`insights.ts`.
 *
 * The clock is injectable (`createSalesAssistantService({ now })`) so tests run SLAs, offers and
 * grace periods on a simulated clock; the sweeper's interval (ESCALATION_SWEEP_MS) only decides how
 * often that clock is looked at.
 */
import type { Context, ServiceSchema } from "moleculer";
import { brokerConfig } from "../adapters/broker-config";
import { numberingSends } from "../adapters/send-order";
import { EventTypes, type ChatConversationClosedV1, type ChatEscalationWithdrawnV1, type ChatMessageForwardedV1, type CloudEvent, type SalesEscalateV1, type WhatsappMessageRefusedV1 } from "../contracts/events";
import {
	CONSOLE_PUSH_EVENT,
	LOST_MAX,
	SALES_NOTE_MAX,
	SELLER_REPLY_MAX,
	type AcceptParams,
	type ApproveParams,
	type AssignParams,
	type CancelParams,
	type ConsolePush,
	type DeclineParams,
	type GetParams,
	type HistoryParams,
	type LostParams,
	type PresenceParams,
	type QueueParams,
	type ReplyParams,
	type ResolveParams,
	type SessionParams,
	type TeamParams,
	type PauseParams,
	type TransferParams
} from "../contracts/sales-assistant";
import { ServiceNames } from "../contracts/services";
import { EventsMixin, type EventsMethods } from "../mixins/events.mixin";
import { Escalations } from "./sales-assistant/escalations";

const GROUP = ServiceNames.SalesAssistant;
const id = { type: "string", min: 1, max: 128 } as const;
const brand = { type: "string", pattern: /^[a-z][a-z0-9-]{0,31}$/ } as const;

interface SalesThis {
	escalations: Escalations;
	publish: EventsMethods["publish"];
	sweepTimer: NodeJS.Timeout | null;
	sweeping: Promise<unknown> | null;
	sweepAgain: boolean;
	running: boolean;
	kickPending: boolean;
	kick(): void;
	logger: { warn(msg: string): void };
}

export interface SalesAssistantOptions {
	/** The clock of every deadline and timestamp (tests pass a simulated one). */
	now?: () => number;
	lockWaitMs?: number;
}

export function createSalesAssistantService(opts: SalesAssistantOptions = {}): ServiceSchema {
	const now = opts.now ?? Date.now;
	return {
		name: ServiceNames.SalesAssistant,
		mixins: [EventsMixin],

		actions: {
			session: {
				params: { sellerId: id },
				handler(this: SalesThis, ctx: Context<SessionParams>) {
					return this.escalations.session(ctx.params.sellerId);
				}
			},
			team: {
				params: { sellerId: id },
				handler(this: SalesThis, ctx: Context<TeamParams>) {
					return this.escalations.team(ctx.params.sellerId);
				}
			},
			pause: {
				params: { sellerId: id, paused: { type: "boolean" } },
				async handler(this: SalesThis, ctx: Context<PauseParams>) {
					const view = await this.escalations.pause(ctx.params.sellerId, ctx.params.paused);
					// Back from a break: the queue is offered at once, not at the next sweep.
					this.kick();
					return view;
				}
			},
			lost: {
				params: { sellerId: id, escalationIds: { type: "array", items: id, max: LOST_MAX } },
				handler(this: SalesThis, ctx: Context<LostParams>) {
					return this.escalations.lost(ctx.params.sellerId, ctx.params.escalationIds);
				}
			},
			history: {
				params: { sellerId: id, conversationId: id, afterSeq: { type: "number", integer: true, min: 0, optional: true } },
				async handler(this: SalesThis, ctx: Context<HistoryParams>) {
					return { messages: await this.escalations.history(ctx.params.conversationId, ctx.params.sellerId, ctx.params.afterSeq) };
				}
			},
			presence: {
				params: {
					nodeId: id,
					sellers: { type: "record", key: { type: "string", min: 1, max: 128 }, value: { type: "number", integer: true, min: 0 } }
				},
				async handler(this: SalesThis, ctx: Context<PresenceParams>) {
					await this.escalations.presence(ctx.params.nodeId, ctx.params.sellers);
					this.kick();
					return { ok: true };
				}
			},
			accept: {
				params: { escalationId: id, sellerId: id },
				handler(this: SalesThis, ctx: Context<AcceptParams>) {
					return this.escalations.accept(ctx.params.escalationId, ctx.params.sellerId);
				}
			},
			decline: {
				params: { escalationId: id, sellerId: id },
				async handler(this: SalesThis, ctx: Context<DeclineParams>) {
					await this.escalations.decline(ctx.params.escalationId, ctx.params.sellerId);
					this.kick();
					return { ok: true };
				}
			},
			reply: {
				params: { conversationId: id, sellerId: id, text: { type: "string", min: 1, max: SELLER_REPLY_MAX }, clientId: { type: "string", min: 1, max: 64, optional: true } },
				handler(this: SalesThis, ctx: Context<ReplyParams>) {
					const p = ctx.params;
					return this.escalations.reply(p.conversationId, p.sellerId, p.text, p.clientId);
				}
			},
			resolve: {
				params: { conversationId: id, sellerId: id, to: { type: "enum", values: ["ai", "closed"] }, note: { type: "string", max: SALES_NOTE_MAX, optional: true } },
				async handler(this: SalesThis, ctx: Context<ResolveParams>) {
					const p = ctx.params;
					const view = await this.escalations.resolve(p.conversationId, p.sellerId, p.to, p.note);
					this.kick();
					return view;
				}
			},
			transfer: {
				params: { conversationId: id, sellerId: id, toSellerId: { ...id, optional: true }, toBrand: { ...brand, optional: true }, note: { type: "string", min: 1, max: SALES_NOTE_MAX } },
				async handler(this: SalesThis, ctx: Context<TransferParams>) {
					const p = ctx.params;
					const view = await this.escalations.transfer(p.conversationId, p.sellerId, {
						...(p.toSellerId !== undefined ? { toSellerId: p.toSellerId } : {}),
						...(p.toBrand !== undefined ? { toBrand: p.toBrand } : {}),
						note: p.note
					});
					this.kick();
					return view;
				}
			},
			approve: {
				params: { conversationId: id, sellerId: id, actionId: id },
				handler(this: SalesThis, ctx: Context<ApproveParams>) {
					return this.escalations.approve(ctx.params.conversationId, ctx.params.sellerId, ctx.params.actionId);
				}
			},
			assign: {
				params: { escalationId: id, sellerId: id, by: { type: "string", min: 1, max: 64 }, force: { type: "boolean", optional: true, convert: true } },
				handler(this: SalesThis, ctx: Context<AssignParams>) {
					return this.escalations.assign(ctx.params.escalationId, ctx.params.sellerId, ctx.params.by, ctx.params.force === true);
				}
			},
			cancel: {
				params: { escalationId: id, by: { type: "string", min: 1, max: 64 }, note: { type: "string", max: SALES_NOTE_MAX, optional: true } },
				async handler(this: SalesThis, ctx: Context<CancelParams>) {
					const view = await this.escalations.cancel(ctx.params.escalationId, ctx.params.by, ctx.params.note);
					this.kick();
					return view;
				}
			},
			queue: {
				params: { brand: { ...brand, optional: true } },
				handler(this: SalesThis, ctx: Context<QueueParams>) {
					return this.escalations.queue(ctx.params.brand ? [ctx.params.brand] : undefined);
				}
			},
			get: {
				params: { id },
				handler(this: SalesThis, ctx: Context<GetParams>) {
					return this.escalations.get(ctx.params.id);
				}
			},
			sellers: {
				handler(this: SalesThis) {
					return this.escalations.sellers();
				}
			}
		},

		channels: {
			[EventTypes.SalesEscalate]: {
				group: GROUP,
				async handler(this: SalesThis, event: CloudEvent<SalesEscalateV1>) {
					await this.escalations.onEscalate(event);
					this.kick();
				}
			},
			[EventTypes.ChatMessageForwarded]: {
				group: GROUP,
				async handler(this: SalesThis, event: CloudEvent<ChatMessageForwardedV1>) {
					await this.escalations.onForwarded(event);
				}
			},
			[EventTypes.WhatsappMessageRefused]: {
				group: GROUP,
				async handler(this: SalesThis, event: CloudEvent<WhatsappMessageRefusedV1>) {
					await this.escalations.onRefused(event);
				}
			},
			[EventTypes.ChatConversationClosed]: {
				group: GROUP,
				async handler(this: SalesThis, event: CloudEvent<ChatConversationClosedV1>) {
					if ((await this.escalations.onConversationClosed(event)).cancelled) this.kick();
				}
			},
			[EventTypes.ChatEscalationWithdrawn]: {
				group: GROUP,
				async handler(this: SalesThis, event: CloudEvent<ChatEscalationWithdrawnV1>) {
					if ((await this.escalations.onWithdrawn(event)).cancelled) this.kick();
				}
			}
		},

		methods: {
			/** Offers soon after something freed or queued work, instead of at the next interval. */
			kick(this: SalesThis) {
				if (this.kickPending) return;
				this.kickPending = true;
				setImmediate(() => {
					this.kickPending = false;
					void runSweep(this);
				});
			}
		},

		created() {
			const self = this as unknown as SalesThis;
			const cfg = brokerConfig(this.broker);
			self.sweepTimer = null;
			self.sweeping = null;
			self.sweepAgain = false;
			self.running = false;
			self.kickPending = false;
			self.escalations = new Escalations({
				broker: this.broker,
				store: this.broker.store,
				logger: this.logger,
				publish: numberingSends(this.broker.store, (type, data, o) => self.publish(type, data, o)),
				push: (push: ConsolePush) => void this.broker.broadcast(CONSOLE_PUSH_EVENT, push),
				sellers: cfg.sellers,
				timings: {
					slaMs: cfg.escalations.slaMs,
					graceMs: cfg.escalations.graceMs,
					offerTtlMs: cfg.escalations.offerTtlMs,
					presenceTtlMs: cfg.escalations.presenceTtlMs
				},
				now,
				retentionMs: cfg.conversationRetentionMs,
				paymentLinkUrl: cfg.paymentLinkUrl,
				sellerNames: Object.fromEntries(cfg.brands.map(b => [b.id, b.seller])),
				...(cfg.openai.apiKey ? { openai: { apiKey: cfg.openai.apiKey, ...(cfg.openai.baseUrl ? { baseUrl: cfg.openai.baseUrl } : {}), model: cfg.openai.model } } : {}),
				...(opts.lockWaitMs ? { lockWaitMs: opts.lockWaitMs } : {})
			});
		},

		started() {
			const self = this as unknown as SalesThis;
			const every = brokerConfig(this.broker).escalations.sweepMs;
			self.running = true;
			self.sweepTimer = setInterval(() => void runSweep(self), every);
			self.sweepTimer.unref();
		},

		async stopped() {
			const self = this as unknown as SalesThis;
			self.running = false;
			if (self.sweepTimer) clearInterval(self.sweepTimer);
			self.sweepTimer = null;
			await self.sweeping?.catch(() => undefined);
		}
	};
}

/**
 * One sweep at a time on this node (the store lock keeps it to one in the cluster); a sweep asked
 * for while one runs runs once more after it, so no kick is lost.
 */
function runSweep(self: SalesThis): Promise<unknown> {
	if (!self.running) return Promise.resolve();
	if (self.sweeping) {
		self.sweepAgain = true;
		return self.sweeping;
	}
	self.sweeping = self.escalations
		.sweep()
		.catch(err => self.logger.warn(`Escalation sweep failed: ${(err as Error).message}`))
		.finally(() => {
			self.sweeping = null;
			if (self.sweepAgain) {
				self.sweepAgain = false;
				void runSweep(self);
			}
		});
	return self.sweeping;
}

export default createSalesAssistantService();
