/**
 * `ai-seller-<brand>`: one service per brand from one factory, each hosting its brand's
 * conversation actors (conversation id = `<brand>:<wa_id>`). Thin: the locking, restoring, turn
 * running and publishing live in `ai-seller/host.ts`.
 *
 * Each seller consumes its own brand's share of the chat, order and escalation channels
 * (`partitionChannel`), in its own consumer group: other brands' events never reach it.
 */
import type { LoggerInstance, ServiceBroker, ServiceSchema } from "moleculer";
import { brokerConfig } from "../adapters/broker-config";
import { DELIVER_TO_MAX, EventTypes, partitionChannel, type EventType, type ChatMessageNewV1, type CloudEvent, type OrderCancelledV1, type OrderConfirmedV1, type OrderDeliveredV1, type OrderShippedV1, type OrderTrackingChangedV1, type OrderRefundDueV1 } from "../contracts/events";
import type { CartLine, ConversationEvent } from "../contracts/conversation";
import { NotFoundError } from "../contracts/errors";
import { aiSellerServiceName } from "../contracts/services";
import { EventsMixin, type EventsMethods } from "../mixins/events.mixin";
import { DEFAULT_ESCALATION_RULES } from "../agents/escalation";
import { createOfflineBrain } from "../agents/offline-brain";
import { createOpenAIModel } from "../agents/openai-model";
import type { Model } from "../agents/runner";
import { ConversationHost } from "./ai-seller/host";
import { numberingSends } from "../adapters/send-order";
import { recordFailedTurn, recordTurn, registerAiSellerMetrics } from "./ai-seller/metrics";
import type { SalesEscalationAssignedV1, SalesEscalationResolvedV1 } from "../contracts/events";

interface SellerThis {
	broker: ServiceBroker;
	logger: LoggerInstance;
	host: ConversationHost;
	brand: string;
	publish: EventsMethods["publish"];
	sweeper: { timer: NodeJS.Timeout | null; running: Promise<unknown> | null };
}

/** Conversations `list` returns when not told how many. */
const LIST_LIMIT = 50;

/** Lines of the transcript `get` returns (the REPL's `conv <id>`). */
const LAST_MESSAGES = 10;

const CONVERSATION_EVENTS = ["ESCALATE", "CLOSE", "HUMAN_ASSIGNED", "HANDED_BACK"] as const;

export function createAiSellerService(brand: string): ServiceSchema {
	const name = aiSellerServiceName(brand);
	// Every channel below is this brand's share of its event type (`partitionChannel`): another
	// brand's customers, orders and escalations never reach this service.
	const mine = (type: EventType) => partitionChannel(type, brand);
	return {
		name,
		mixins: [EventsMixin],

		actions: {
			/** A conversation's stored record (state, context), or 404. */
			get: {
				params: { id: { type: "string", min: 3, max: 128 } },
				async handler(this: SellerThis, ctx: { params: { id: string } }) {
					const record = await this.host.get(ctx.params.id);
					if (!record) throw new NotFoundError(`Conversation '${ctx.params.id}'`, { conversationId: ctx.params.id });
					const messages = await this.host.transcript(ctx.params.id, LAST_MESSAGES);
					return { id: ctx.params.id, state: record.snapshot.value, context: record.snapshot.context, version: record.version, messages };
				}
			},
			/** Newest first, a page at a time: a brand may hold a hundred thousand conversations. */
			list: {
				params: {
					state: { type: "string", optional: true, max: 32 },
					limit: { type: "number", integer: true, min: 1, max: 500, optional: true, convert: true },
					offset: { type: "number", integer: true, min: 0, optional: true, convert: true }
				},
				async handler(this: SellerThis, ctx: { params: { state?: string; limit?: number; offset?: number } }) {
					const { items, total } = await this.host.list({ state: ctx.params.state, limit: ctx.params.limit ?? LIST_LIMIT, offset: ctx.params.offset ?? 0 });
					return {
						total,
						items: items.map(r => ({
							id: r.snapshot.context.conversationId,
							brand: r.snapshot.context.brand ?? brand,
							state: r.snapshot.value,
							turn: r.snapshot.context.turn,
							lastInboundAt: r.snapshot.context.lastInboundAt,
							cartItems: r.snapshot.context.cart.length
						}))
					};
				}
			},
			/**
			 * The human seller who has the conversation changed its cart (the sales assistant ran an
			 * approved action through the AI seller's tools). Goes through this conversation's writer
			 * like every other change; the machine ignores it unless that seller has the conversation,
			 * so the caller reads the returned cart to know whether it landed.
			 */
			updateCart: {
				params: {
					id: { type: "string", min: 3, max: 128 },
					sellerId: { type: "string", min: 1, max: 64 },
					cart: {
						type: "array",
						max: 50,
						items: {
							type: "object",
							strict: "remove",
							props: {
								sku: { type: "string", min: 1, max: 64 },
								name: { type: "string", min: 1, max: 200 },
								// Kept, not stripped: a line that lost its size or colour would be ordered without it.
								size: { type: "string", optional: true, min: 1, max: 24 },
								color: { type: "string", optional: true, min: 1, max: 32 },
								qty: { type: "number", integer: true, positive: true, max: 1000 },
								unitPrice: { type: "number", integer: true, min: 0 },
								currency: { type: "string", pattern: /^[A-Z]{3}$/ }
							}
						}
					},
					orderId: { type: "string", optional: true, min: 1, max: 128 },
					// Where the seller's order went: the AI seller offers it for the next one.
					deliverTo: { type: "string", optional: true, min: 5, max: DELIVER_TO_MAX },
					promoCode: { type: "string", optional: true, nullable: true, min: 2, max: 32 }
				},
				async handler(this: SellerThis, ctx: { params: { id: string; sellerId: string; cart: CartLine[]; orderId?: string; deliverTo?: string; promoCode?: string | null } }) {
					const p = ctx.params;
					const result = await this.host.send(p.id, { type: "SELLER_CART_UPDATED", sellerId: p.sellerId, cart: p.cart, ...(p.orderId ? { orderId: p.orderId } : {}), ...(p.deliverTo ? { deliverTo: p.deliverTo } : {}), ...(p.promoCode !== undefined ? { promoCode: p.promoCode } : {}) });
					const record = await this.host.get(p.id);
					return { id: p.id, state: result.state, cart: record?.snapshot.context.cart ?? [], orderId: record?.snapshot.context.orderId ?? null };
				}
			},
			/** An operator's event: escalate or close a conversation, or hand it back / assign it. */
			send: {
				params: {
					id: { type: "string", min: 3, max: 128 },
					type: { type: "enum", values: [...CONVERSATION_EVENTS] },
					sellerId: { type: "string", optional: true, max: 64 },
					detail: { type: "string", optional: true, max: 500 }
				},
				async handler(this: SellerThis, ctx: { params: { id: string; type: (typeof CONVERSATION_EVENTS)[number]; sellerId?: string; detail?: string } }) {
					const p = ctx.params;
					// Another brand's conversation run by this brand's seller would answer as the wrong persona.
					if (!p.id.startsWith(`${brand}:`)) throw new NotFoundError(`Conversation '${p.id}' of ${name}: it belongs to ai-seller-${p.id.split(":")[0]}`, { conversationId: p.id });
					const event: ConversationEvent =
						p.type === "ESCALATE"
							? { type: "ESCALATE", reason: "other", ...(p.detail ? { detail: p.detail } : {}) }
							: p.type === "CLOSE"
								? { type: "CLOSE", reason: "operator" }
								: p.type === "HUMAN_ASSIGNED"
									? { type: "HUMAN_ASSIGNED", sellerId: p.sellerId ?? "operator" }
									: { type: "HANDED_BACK", at: Date.now() };
					const result = await this.host.send(p.id, event);
					return { id: p.id, state: result.state, published: result.published };
				}
			}
		},

		channels: {
			// The human side: while a seller has the conversation the AI is silent; a handback resumes it.
			[mine(EventTypes.SalesEscalationAssigned)]: {
				group: name,
				async handler(this: SellerThis, event: CloudEvent<SalesEscalationAssignedV1>) {
					const d = event.data;
					// The two events travel on separate channels: an assignment retried past its own
					// resolution must not put the conversation back in human hands for good.
					if (await this.broker.store.get(settledKey(d.escalationId))) {
						this.logger.info(`Escalation ${d.escalationId} was resolved before its assignment arrived; the AI keeps the conversation`);
						return;
					}
					await sendToConversation(this, d.conversationId, { type: "HUMAN_ASSIGNED", sellerId: d.sellerId });
				}
			},
			[mine(EventTypes.SalesEscalationResolved)]: {
				group: name,
				async handler(this: SellerThis, event: CloudEvent<SalesEscalationResolvedV1>) {
					const d = event.data;
					await this.broker.store.set(settledKey(d.escalationId), d.to, SETTLED_TTL_MS);
					const at = Date.parse(event.time);
					await sendToConversation(this, d.conversationId, d.to === "ai" ? { type: "HANDED_BACK", at: Number.isFinite(at) ? at : Date.now() } : { type: "CLOSE", reason: "resolved" });
				}
			},
			[mine(EventTypes.ChatMessageNew)]: {
				group: name,
				// A repeat is fed to the actor again and dropped there: its id is in `handled`.
				idempotent: true,
				async handler(this: SellerThis, event: CloudEvent<ChatMessageNewV1>) {
					await this.host.onChatMessage(event);
				}
			},
			[mine(EventTypes.OrderConfirmed)]: {
				group: name,
				async handler(this: SellerThis, event: CloudEvent<OrderConfirmedV1>) {
					await this.host.onOrderEvent("confirmed", event.data);
				}
			},
			[mine(EventTypes.OrderShipped)]: {
				group: name,
				async handler(this: SellerThis, event: CloudEvent<OrderShippedV1>) {
					await this.host.onOrderEvent("shipped", event.data);
				}
			},
			[mine(EventTypes.OrderTrackingChanged)]: {
				group: name,
				async handler(this: SellerThis, event: CloudEvent<OrderTrackingChangedV1>) {
					await this.host.onOrderEvent("shipped", event.data);
				}
			},
			[mine(EventTypes.OrderDelivered)]: {
				group: name,
				async handler(this: SellerThis, event: CloudEvent<OrderDeliveredV1>) {
					await this.host.onOrderEvent("delivered", event.data);
				}
			},
			[mine(EventTypes.OrderCancelled)]: {
				group: name,
				async handler(this: SellerThis, event: CloudEvent<OrderCancelledV1>) {
					await this.host.onOrderEvent("cancelled", event.data);
				}
			},
			// Told as a notice of its own, once per payment; the status only names the order's side of it.
			[mine(EventTypes.OrderRefundDue)]: {
				group: name,
				async handler(this: SellerThis, event: CloudEvent<OrderRefundDueV1>) {
					const { paymentRef, amount, currency, reason, ...order } = event.data;
					await this.host.onOrderEvent(reason === "paid_twice" ? "confirmed" : "cancelled", { ...order, refund: { paymentRef, amount, currency, reason } });
				}
			}
		},

		created() {
			const self = this as unknown as SellerThis;
			const { openai, aiSeller, brands, whatsapp, paymentLinkUrl, conversationRetentionMs } = brokerConfig(this.broker);
			const highValueCart = brands.find(b => b.id === brand)?.highValueCart;
			// No key: the deterministic offline brain, so `npm start` works out of the box.
			const model: Model = openai.apiKey
				? createOpenAIModel({ apiKey: openai.apiKey, baseURL: openai.baseUrl, model: openai.model })
				: createOfflineBrain();
			self.brand = brand;
			self.host = new ConversationHost({
				brand,
				broker: this.broker,
				store: this.broker.store,
				logger: this.logger,
				publish: numberingSends(this.broker.store, (type, data, opts) => self.publish(type, data, opts)),
				model,
				coalesceMs: aiSeller.coalesceMs,
				idleTimeoutMs: aiSeller.idleTimeoutMs,
				sweepIntervalMs: aiSeller.sweepIntervalMs,
				lockTtlMs: aiSeller.lockTtlMs,
				retentionMs: conversationRetentionMs,
				templateLanguages: whatsapp.templateLanguages,
				paymentLinkUrl,
				runnerOptions: { timeoutMs: openai.timeoutMs, ...(highValueCart ? { rules: { ...DEFAULT_ESCALATION_RULES, highValueCart } } : {}) },
				onTurn: (b, outcome) => recordTurn(this.broker, b, outcome),
				onTurnFailed: (b, model) => recordFailedTurn(this.broker, b, model),
				naming: Object.fromEntries(brands.map(b => [b.id, { seller: b.seller, personality: b.personality }]))
			});
			self.sweeper = { timer: null, running: null };
			registerAiSellerMetrics(this.broker);
		},

		/** Idle deadlines passed while no node was up fire now; then every AI_SWEEP_INTERVAL_MS. */
		started() {
			const self = this as unknown as SellerThis & { logger: { warn(msg: string): void } };
			const sweep = () => {
				if (self.sweeper.running) return;
				self.sweeper.running = self.host
					.sweepIdle()
					.catch(err => self.logger.warn(`Idle sweep failed: ${(err as Error).message}`))
					.finally(() => (self.sweeper.running = null));
			};
			sweep();
			self.sweeper.timer = setInterval(sweep, brokerConfig(this.broker).aiSeller.sweepIntervalMs);
			self.sweeper.timer.unref();
		},

		async stopped() {
			const self = this as unknown as SellerThis & { logger: { warn(msg: string): void } };
			if (self.sweeper.timer) clearInterval(self.sweeper.timer);
			self.sweeper.timer = null;
			await self.sweeper.running;
			// Before the store and the transporter go: a turn cut off here holds its lock until it expires.
			const left = await self.host.drain(brokerConfig(this.broker).shutdownTimeoutMs);
			if (left) self.logger.warn(`${left} conversation step(s) still running at stop; their locks expire after AI_LOCK_TTL_MS and another node answers`);
		}
	};
}

/** Resolved escalations, remembered as long as the channels may still redeliver their assignment. */
const settledKey = (escalationId: string) => `conv:escalation-settled:${escalationId}`;
const SETTLED_TTL_MS = 7 * 24 * 3600 * 1000;

/** An escalation opened by an operator may have no conversation behind it: nothing to move then. */
async function sendToConversation(self: SellerThis, conversationId: string, event: ConversationEvent): Promise<void> {
	try {
		await self.host.send(conversationId, event);
	} catch (err) {
		if ((err as { code?: number }).code === 404) return;
		throw err;
	}
}
