/**
 * `ai-seller-<brand>`: one service per brand from one factory, each hosting its brand's
 * conversation actors (conversation id = `<brand>:<wa_id>`). Thin: the locking, restoring, turn
 * running and publishing live in `ai-seller/host.ts`.
 *
 * A channel is an event type, not a brand, so every seller consumes every `store.chat.message.new`
 * in its own consumer group and drops other brands' messages at once (no store access, no lock).
 */
import type { ServiceSchema } from "moleculer";
import { brokerConfig } from "../adapters/broker-config";
import { EventTypes, type ChatMessageNewV1, type CloudEvent, type OrderCancelledV1, type OrderConfirmedV1, type OrderDeliveredV1, type OrderShippedV1 } from "../contracts/events";
import type { ConversationEvent } from "../contracts/conversation";
import { NotFoundError } from "../contracts/errors";
import { aiSellerServiceName } from "../contracts/services";
import { EventsMixin, type EventsMethods } from "../mixins/events.mixin";
import { createOfflineBrain } from "../agents/offline-brain";
import { createOpenAIModel } from "../agents/openai-model";
import type { Model } from "../agents/runner";
import { ConversationHost } from "./ai-seller/host";

interface SellerThis {
	host: ConversationHost;
	brand: string;
	publish: EventsMethods["publish"];
}

const CONVERSATION_EVENTS = ["ESCALATE", "CLOSE", "HUMAN_ASSIGNED", "HANDED_BACK"] as const;

export function createAiSellerService(brand: string): ServiceSchema {
	const name = aiSellerServiceName(brand);
	const mine = (data: { brand: string }) => data.brand === brand;
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
					return { id: ctx.params.id, state: record.snapshot.value, context: record.snapshot.context, version: record.version };
				}
			},
			list: {
				params: { state: { type: "string", optional: true, max: 32 } },
				async handler(this: SellerThis, ctx: { params: { state?: string } }) {
					const records = await this.host.list();
					return records
						.filter(r => !ctx.params.state || r.snapshot.value === ctx.params.state)
						.map(r => ({
							id: r.snapshot.context.conversationId,
							brand: r.snapshot.context.brand ?? brand,
							state: r.snapshot.value,
							turn: r.snapshot.context.turn,
							lastInboundAt: r.snapshot.context.lastInboundAt,
							cartItems: r.snapshot.context.cart.length
						}));
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
			[EventTypes.ChatMessageNew]: {
				group: name,
				async handler(this: SellerThis, event: CloudEvent<ChatMessageNewV1>) {
					if (!mine(event.data)) return;
					await this.host.onChatMessage(event);
				}
			},
			[EventTypes.OrderConfirmed]: {
				group: name,
				async handler(this: SellerThis, event: CloudEvent<OrderConfirmedV1>) {
					if (mine(event.data)) await this.host.onOrderEvent("confirmed", event.data);
				}
			},
			[EventTypes.OrderShipped]: {
				group: name,
				async handler(this: SellerThis, event: CloudEvent<OrderShippedV1>) {
					if (mine(event.data)) await this.host.onOrderEvent("shipped", event.data);
				}
			},
			[EventTypes.OrderDelivered]: {
				group: name,
				async handler(this: SellerThis, event: CloudEvent<OrderDeliveredV1>) {
					if (mine(event.data)) await this.host.onOrderEvent("delivered", event.data);
				}
			},
			[EventTypes.OrderCancelled]: {
				group: name,
				async handler(this: SellerThis, event: CloudEvent<OrderCancelledV1>) {
					if (mine(event.data)) await this.host.onOrderEvent("cancelled", event.data);
				}
			}
		},

		created() {
			const self = this as unknown as SellerThis;
			const openai = brokerConfig(this.broker).openai;
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
				publish: (type, data, opts) => self.publish(type, data, opts),
				model
			});
		}
	};
}
