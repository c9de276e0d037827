/**
 * Event contracts: every durable event travels in a CloudEvents 1.0 envelope whose `data` is
 * validated against a versioned schema. The version is carried in `dataschema`
 * (`urn:agent-store:<type>:v<N>`), so a new version of a type can live beside the old one: a
 * consumer validates each envelope against the version it names, and publishers emit the current
 * version. Retire an old version only after its deprecation window.
 *
 * This module imports nothing of ours (contracts sit at the bottom of the dependency graph).
 */
import { randomUUID } from "node:crypto";
import Validator, { type ValidationError as FvError, type ValidationSchema } from "fastest-validator";

export const EventTypes = {
	WhatsappMessageReceived: "store.whatsapp.message.received",
	WhatsappMessageSend: "store.whatsapp.message.send",
	WhatsappMessageStatus: "store.whatsapp.message.status",
	WhatsappMessageRefused: "store.whatsapp.message.refused",
	ChatMessageNew: "store.chat.message.new",
	ChatResponse: "store.chat.response",
	ChatIntentDetected: "store.chat.intent.detected",
	ChatMessageForwarded: "store.chat.message.forwarded",
	ChatConversationClosed: "store.chat.conversation.closed",
	ChatEscalationWithdrawn: "store.chat.escalation.withdrawn",
	CartItemAdded: "store.cart.item.added",
	OrderCreate: "store.order.create",
	OrderCreated: "store.order.created",
	OrderConfirmed: "store.order.confirmed",
	OrderShipped: "store.order.shipped",
	OrderDelivered: "store.order.delivered",
	OrderCancelled: "store.order.cancelled",
	OrderAddressChanged: "store.order.address.changed",
	OrderTrackingChanged: "store.order.tracking.changed",
	OrderRefundDue: "store.order.refund.due",
	SalesEscalate: "store.sales.escalate",
	SalesEscalationAssigned: "store.sales.escalation.assigned",
	SalesEscalationResolved: "store.sales.escalation.resolved",
	SalesSlaBreached: "store.sales.sla.breached",
	SalesInsight: "store.sales.insight",
	CatalogStockChanged: "store.catalog.stock.changed",
	CatalogPromotionStarted: "store.catalog.promotion.started",
	CatalogPromotionEnded: "store.catalog.promotion.ended"
} as const;
export type EventType = (typeof EventTypes)[keyof typeof EventTypes];

/**
 * Types whose channel is split by brand, so that a consumer interested in one brand reads only that
 * share. Each brand's seller once received every customer message, order update and escalation
 * hand-back, and skipped four in five: the cost of an event grew with the number of brands. Now a
 * chat message travels on `store.chat.message.new.<brand>`, read by that brand's seller alone; an
 * escalation's events go to the brand whose seller owns the conversation.
 */
type PartitionKey = (data: Record<string, unknown>) => unknown;
const byBrand: PartitionKey = d => d.brand;
const byConversationBrand: PartitionKey = d => d.conversationBrand ?? d.brand;
const PARTITIONED_BY: Partial<Record<EventType, PartitionKey>> = {
	"store.chat.message.new": byBrand,
	"store.order.confirmed": byBrand,
	"store.order.shipped": byBrand,
	"store.order.delivered": byBrand,
	"store.order.cancelled": byBrand,
	"store.order.address.changed": byBrand,
	"store.order.tracking.changed": byBrand,
	"store.order.refund.due": byBrand,
	"store.sales.escalation.assigned": byConversationBrand,
	"store.sales.escalation.resolved": byConversationBrand
};

/** Whether `type` travels on one channel per brand rather than on its own name. */
export function isPartitioned(type: EventType): boolean {
	return PARTITIONED_BY[type] !== undefined;
}

/** The channel of one share of a partitioned type (brand ids are channel-safe: `[a-z][a-z0-9-]*`). */
export function partitionChannel(type: EventType, key: string): string {
	return `${type}.${key}`;
}

/** The event type a channel carries: its own name, or the type it is a share of; null for any other name. */
export function channelEventType(channel: string): EventType | null {
	if (isEventType(channel)) return channel;
	for (const type of Object.keys(PARTITIONED_BY) as EventType[])
		if (channel.length > type.length + 1 && channel.startsWith(`${type}.`)) return type;
	return null;
}

/** The channel an event of `type` with this payload travels on: its type, or its type's share. */
export function channelOf(type: EventType, data: unknown): string {
	const keyOf = PARTITIONED_BY[type];
	if (!keyOf || data === null || typeof data !== "object") return type;
	const key = keyOf(data as Record<string, unknown>);
	return typeof key === "string" && key !== "" ? partitionChannel(type, key) : type;
}

export const SPEC_VERSION = "1.0";
export const DATA_CONTENT_TYPE = "application/json";

export interface CloudEvent<T = unknown> {
	specversion: typeof SPEC_VERSION;
	id: string;
	type: EventType;
	source: string;
	time: string;
	datacontenttype: typeof DATA_CONTENT_TYPE;
	dataschema: string;
	subject?: string;
	/** The conversation or request this event belongs to, carried end to end. */
	correlationid: string;
	/** The id of the event that caused this one; absent for events caused by the outside world. */
	causationid?: string;
	brand?: string;
	data: T;
}

// ---- payloads (v1) ------------------------------------------------------------------------------

export type InboundKind =
	| "text"
	| "interactive"
	| "button"
	| "image"
	| "audio"
	| "video"
	| "document"
	| "sticker"
	| "location"
	| "contacts"
	| "reaction"
	| "order"
	| "system"
	| "unsupported";
export const INBOUND_KINDS: readonly InboundKind[] = [
	"text", "interactive", "button", "image", "audio", "video", "document", "sticker",
	"location", "contacts", "reaction", "order", "system", "unsupported"
];

export interface WhatsappMessageReceivedV1 {
	messageId: string;
	phoneNumberId: string;
	/** Resolved brand, or null when the number is shared by several brands (the customer picks). */
	brand: string | null;
	/** Every brand served by the receiving number. */
	brands: string[];
	from: string;
	profileName?: string;
	/** Meta's timestamp, in milliseconds since the epoch. */
	timestamp: number;
	kind: InboundKind;
	text?: string;
	context?: { id: string; from?: string };
	interactive?: { type: "button_reply" | "list_reply"; id: string; title: string; description?: string };
	button?: { payload: string; text: string };
	media?: { id: string; mimeType?: string; sha256?: string; caption?: string; filename?: string; voice?: boolean };
	location?: { latitude: number; longitude: number; name?: string; address?: string };
	contacts?: Record<string, unknown>[];
	reaction?: { messageId: string; emoji?: string };
	order?: {
		catalogId?: string;
		text?: string;
		items: { productRetailerId: string; quantity: number; itemPrice: number; currency: string }[];
	};
	system?: { type?: string; body?: string; waId?: string };
	errors?: { code: number; title: string; message?: string }[];
}

export interface ChatMessageNewV1 {
	conversationId: string;
	brand: string;
	waId: string;
	customerName?: string;
	messageId: string;
	phoneNumberId: string;
	kind: InboundKind;
	text?: string;
	/** The id of a tapped button or list row, or a template quick-reply payload. */
	choiceId?: string;
	replyToMessageId?: string;
	receivedAt: number;
	/**
	 * The number is shared by several brands: `brand` is only the first of `brands`, and the
	 * conversation must ask the customer to pick one.
	 */
	brandChoiceRequired?: boolean;
	brands?: string[];
	/** A cart sent from the brand's WhatsApp catalog (`order`): its product_retailer_ids are our SKUs. */
	orderItems?: { sku: string; qty: number }[];
}

export type OutboundKind = "text" | "buttons" | "list" | "template" | "image" | "read" | "typing";

export interface WhatsappMessageSendV1 {
	brand: string;
	to: string;
	kind: OutboundKind;
	/** Makes a redelivered send command a no-op: conversation, turn and part. */
	idempotencyKey: string;
	conversationId?: string;
	phoneNumberId?: string;
	text?: string;
	replyTo?: string;
	buttons?: { id: string; title: string }[];
	list?: {
		button: string;
		header?: string;
		footer?: string;
		sections: { title?: string; rows: { id: string; title: string; description?: string }[] }[];
	};
	template?: { name: string; language: string; components?: Record<string, unknown>[] };
	/** For `image`, the photo and its caption; for `buttons`, a photo shown as the message's header (no caption: the text is the body). */
	image?: { link: string; caption?: string };
	/** For `read` and `typing`: the inbound message being acknowledged. */
	messageId?: string;
	/**
	 * Place in the customer's send order (`sendLaneKey(brand, to)`), taken by the publisher just
	 * before publishing. Gateway nodes send a numbered message only after the one before it, so two
	 * messages picked up by two nodes at once still leave in the order they were published.
	 */
	seq?: number;
}

/** The store key of a customer's send order, shared by the publishers and the gateway. */
export const sendLaneKey = (brand: string, to: string): string => `wa:lane:${brand}:${to}`;

export interface WhatsappMessageStatusV1 {
	messageId: string;
	recipientId: string;
	phoneNumberId?: string;
	brand?: string;
	/** `played`: a voice message was played. */
	status: "sent" | "delivered" | "read" | "played" | "failed";
	timestamp: number;
	errors?: { code: number; title: string; message?: string }[];
	conversationId?: string;
}

export type RefusalReason = "window_closed" | "invalid" | "undeliverable" | "token_expired" | "rejected" | "outcome_unknown";

/** An outbound message that did not go out as asked; nothing is refused silently. */
export interface WhatsappMessageRefusedV1 {
	idempotencyKey: string;
	brand: string;
	to: string;
	kind: OutboundKind;
	reason: RefusalReason;
	detail: string;
	/** Graph API error code, when Meta refused it. */
	code?: number;
	conversationId?: string;
	/** The template sent instead (outside the 24-hour window). */
	fallback?: { template: string; idempotencyKey: string };
}

export interface TokenUsage {
	promptTokens: number;
	completionTokens: number;
	totalTokens: number;
	/** Estimated cost in US dollars. */
	costUsd: number;
}

export interface ChatResponseV1 {
	conversationId: string;
	brand: string;
	waId: string;
	from: "ai" | "seller" | "system";
	text: string;
	turn?: number;
	sellerId?: string;
	model?: string;
	usage?: TokenUsage;
	latencyMs?: number;
}

/**
 * Customer messages of a conversation that a human has (or is about to have): the AI stays silent
 * and the sales assistant relays them to the seller's console. Published by the conversation's
 * writer after the messages are in the transcript, so `seq` points at their transcript lines.
 */
export interface ChatMessageForwardedV1 {
	conversationId: string;
	brand: string;
	waId: string;
	sellerId?: string;
	/** `media`: what was sent besides words (image, audio, …); `orderItems`: a cart from the WhatsApp catalog. */
	messages: { messageId: string; seq: number; at: number; text?: string; choiceId?: string; media?: string; orderItems?: { sku: string; qty: number }[] }[];
}

/**
 * A conversation was closed (by an operator, by idleness, or after a seller closed it). When it
 * was waiting for (or held by) a human, `escalateEventId` names the `store.sales.escalate` event
 * that asked for one, so the sales assistant withdraws exactly that escalation and never a later one.
 */
export interface ChatConversationClosedV1 {
	conversationId: string;
	brand: string;
	waId: string;
	reason: "resolved" | "operator" | "idle";
	escalateEventId?: string;
}

/**
 * The customer, still waiting for a person, said they no longer want one ("never mind, I'll keep
 * going with the bot"): the AI seller has the conversation again. `escalateEventId` names the
 * escalation to withdraw, as in `store.chat.conversation.closed`; one a seller already took stays theirs.
 */
export interface ChatEscalationWithdrawnV1 {
	conversationId: string;
	brand: string;
	waId: string;
	escalateEventId: string;
}

export interface ChatIntentDetectedV1 {
	conversationId: string;
	brand: string;
	intent: string;
	confidence: number;
	entities?: Record<string, unknown>;
}

export interface CartItemAddedV1 {
	conversationId: string;
	brand: string;
	waId: string;
	sku: string;
	qty: number;
	/** Minor units (cents). */
	unitPrice: number;
	currency: string;
}

export interface OrderLine {
	sku: string;
	qty: number;
	name?: string;
	/** The size chosen, for a product that comes in sizes. */
	size?: string;
	/** The colour (or shade) chosen, for a product that comes in several. */
	color?: string;
	/** Minor units (cents). */
	unitPrice?: number;
}

export interface OrderCreateV1 {
	waId: string;
	brand: string;
	items: { sku: string; qty: number }[];
	promoCode?: string;
	conversationId?: string;
	idempotencyKey: string;
}

/** The longest delivery address an order takes (a full street address with its notes is well under it). */
export const DELIVER_TO_MAX = 300;

export interface OrderCreatedV1 {
	orderId: string;
	waId: string;
	brand: string;
	items: OrderLine[];
	subtotal: number;
	discount: number;
	total: number;
	currency: string;
	/** The delivery address, as the customer gave it. */
	deliverTo?: string;
	/** ISO time: not paid by then, the order is cancelled (reasonCode `not_paid_in_time`) and its stock released. */
	payBy?: string;
	conversationId?: string;
}

export interface OrderConfirmedV1 {
	orderId: string;
	waId: string;
	brand: string;
	paymentRef: string;
	total: number;
	currency: string;
	conversationId?: string;
}

export interface OrderShippedV1 {
	orderId: string;
	waId: string;
	brand: string;
	carrier: string;
	trackingNumber: string;
	conversationId?: string;
}

export interface OrderDeliveredV1 {
	orderId: string;
	waId: string;
	brand: string;
	deliveredAt: string;
	conversationId?: string;
}

export interface OrderCancelledV1 {
	orderId: string;
	waId: string;
	brand: string;
	reason: string;
	/** The state the order was cancelled from. */
	from: "pending" | "confirmed";
	/**
	 * Why, for a consumer to act on: `reason` is free text (staff's or a provider's words, not for the
	 * customer). `not_paid_in_time`: the payment deadline (`payBy`) passed. Absent: no code applies.
	 */
	reasonCode?: OrderCancelReasonCode;
	conversationId?: string;
}

export const ORDER_CANCEL_REASON_CODES = ["not_paid_in_time"] as const;
export type OrderCancelReasonCode = (typeof ORDER_CANCEL_REASON_CODES)[number];

/** Where an order not yet shipped goes now (a person changed it for the customer). */
export interface OrderAddressChangedV1 {
	orderId: string;
	waId: string;
	brand: string;
	deliverTo: string;
	/** The address it had, when it had one. */
	previous?: string;
	conversationId?: string;
}

/**
 * A shipped order's carrier or tracking number was corrected: the customer should follow this one.
 * `correction` counts them (1 for the first), so a consumer can tell a later one from an earlier.
 */
export interface OrderTrackingChangedV1 {
	orderId: string;
	waId: string;
	brand: string;
	carrier: string;
	trackingNumber: string;
	previous: { carrier: string; trackingNumber: string };
	correction: number;
	conversationId?: string;
}

/** Why money taken must go back: the order it paid for was cancelled, it came after the cancellation, or it paid a paid order again. */
export const REFUND_REASONS = ["cancelled_after_payment", "paid_after_cancellation", "paid_twice"] as const;
export type RefundReason = (typeof REFUND_REASONS)[number];

/**
 * A payment is owed back to the customer (one event per payment): recorded on the order for
 * operators to make, and told to the customer so that they are not left wondering about their money.
 */
export interface OrderRefundDueV1 {
	orderId: string;
	waId: string;
	brand: string;
	paymentRef: string;
	/** Minor units of `currency`. */
	amount: number;
	currency: string;
	reason: RefundReason;
	conversationId?: string;
}

export const ESCALATION_REASONS = [
	"frustration",
	"human_requested",
	"complex",
	"high_value",
	"model_failure",
	"other"
] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];

export interface SalesEscalateV1 {
	conversationId: string;
	brand: string;
	waId: string;
	customerName?: string;
	reason: EscalationReason;
	detail?: string;
	summary?: string;
	/** 0 normal; higher is more urgent. */
	priority?: number;
	/** The customer's language ("en", "es"), so a person joins in it. */
	lang?: string;
}

export interface SalesEscalationAssignedV1 {
	escalationId: string;
	conversationId: string;
	brand: string;
	sellerId: string;
	sellerName?: string;
	/** The brand whose AI seller owns the conversation, when a transfer moved the escalation to another brand. */
	conversationBrand?: string;
}

export interface SalesEscalationResolvedV1 {
	escalationId: string;
	conversationId: string;
	brand: string;
	sellerId?: string;
	to: "ai" | "closed";
	note?: string;
	/** As in SalesEscalationAssignedV1. */
	conversationBrand?: string;
}

export interface SalesSlaBreachedV1 {
	escalationId: string;
	conversationId: string;
	brand: string;
	waitedMs: number;
	priority: number;
}

export interface SalesInsightV1 {
	brand: string;
	sellerId?: string;
	kind: string;
	metrics: Record<string, number>;
	period?: { from: string; to: string };
}

export interface CatalogStockChangedV1 {
	sku: string;
	brand: string;
	before: number;
	after: number;
	reason: "low" | "out" | "restocked" | "changed";
}

export interface CatalogPromotionV1 {
	code: string;
	brand?: string;
	category?: string;
	startsAt: string;
	endsAt: string;
}

/** The payload type of each event type at its current version. */
export interface EventPayloads {
	"store.whatsapp.message.received": WhatsappMessageReceivedV1;
	"store.whatsapp.message.send": WhatsappMessageSendV1;
	"store.whatsapp.message.status": WhatsappMessageStatusV1;
	"store.whatsapp.message.refused": WhatsappMessageRefusedV1;
	"store.chat.message.new": ChatMessageNewV1;
	"store.chat.response": ChatResponseV1;
	"store.chat.intent.detected": ChatIntentDetectedV1;
	"store.chat.message.forwarded": ChatMessageForwardedV1;
	"store.chat.conversation.closed": ChatConversationClosedV1;
	"store.chat.escalation.withdrawn": ChatEscalationWithdrawnV1;
	"store.cart.item.added": CartItemAddedV1;
	"store.order.create": OrderCreateV1;
	"store.order.created": OrderCreatedV1;
	"store.order.confirmed": OrderConfirmedV1;
	"store.order.shipped": OrderShippedV1;
	"store.order.delivered": OrderDeliveredV1;
	"store.order.cancelled": OrderCancelledV1;
	"store.order.address.changed": OrderAddressChangedV1;
	"store.order.tracking.changed": OrderTrackingChangedV1;
	"store.order.refund.due": OrderRefundDueV1;
	"store.sales.escalate": SalesEscalateV1;
	"store.sales.escalation.assigned": SalesEscalationAssignedV1;
	"store.sales.escalation.resolved": SalesEscalationResolvedV1;
	"store.sales.sla.breached": SalesSlaBreachedV1;
	"store.sales.insight": SalesInsightV1;
	"store.catalog.stock.changed": CatalogStockChangedV1;
	"store.catalog.promotion.started": CatalogPromotionV1;
	"store.catalog.promotion.ended": CatalogPromotionV1;
}

// ---- schemas ------------------------------------------------------------------------------------

const brand = { type: "string", pattern: /^[a-z][a-z0-9-]{0,31}$/ } as const;
const waId = { type: "string", pattern: /^\d{5,20}$/ } as const;
const id = { type: "string", min: 1, max: 256 } as const;
const minor = { type: "number", integer: true, min: 0 } as const;
const currency = { type: "string", pattern: /^[A-Z]{3}$/ } as const;
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const isoTime = { type: "string", pattern: ISO_TIME } as const;
/** Who carries a shipped order and its number with them. */
const tracking = { carrier: { type: "string", min: 1, max: 64 }, trackingNumber: { type: "string", min: 1, max: 128 } } as const;
const optional = <T extends object>(rule: T) => ({ ...rule, optional: true });
const waErrors = {
	type: "array",
	optional: true,
	items: {
		type: "object",
		props: { code: { type: "number", integer: true }, title: "string", message: { type: "string", optional: true } }
	}
} as const;
const usage = {
	type: "object",
	optional: true,
	props: {
		promptTokens: { type: "number", integer: true, min: 0 },
		completionTokens: { type: "number", integer: true, min: 0 },
		totalTokens: { type: "number", integer: true, min: 0 },
		costUsd: { type: "number", min: 0 }
	}
} as const;

/**
 * Schemas by type and version. Unknown extra properties are tolerated (a newer minor producer may
 * add fields); a missing or mistyped known field is not.
 */
export const EventSchemas: { [K in EventType]: Record<number, ValidationSchema> } = {
	"store.whatsapp.message.received": {
		1: {
			messageId: id,
			phoneNumberId: { type: "string", pattern: /^\d{1,32}$/ },
			brand: { ...brand, nullable: true },
			brands: { type: "array", items: brand },
			from: waId,
			profileName: { type: "string", optional: true, max: 256 },
			timestamp: { type: "number", integer: true, positive: true },
			kind: { type: "enum", values: INBOUND_KINDS as InboundKind[] },
			text: { type: "string", optional: true, max: 65536 },
			context: { type: "object", optional: true, props: { id, from: optional(waId) } },
			interactive: {
				type: "object",
				optional: true,
				props: {
					type: { type: "enum", values: ["button_reply", "list_reply"] },
					id,
					title: { type: "string", max: 256 },
					description: { type: "string", optional: true, max: 1024 }
				}
			},
			button: { type: "object", optional: true, props: { payload: "string", text: "string" } },
			media: {
				type: "object",
				optional: true,
				props: {
					id,
					mimeType: { type: "string", optional: true },
					sha256: { type: "string", optional: true },
					caption: { type: "string", optional: true, max: 4096 },
					filename: { type: "string", optional: true, max: 1024 },
					voice: { type: "boolean", optional: true }
				}
			},
			location: {
				type: "object",
				optional: true,
				props: {
					latitude: { type: "number", min: -90, max: 90 },
					longitude: { type: "number", min: -180, max: 180 },
					name: { type: "string", optional: true },
					address: { type: "string", optional: true }
				}
			},
			contacts: { type: "array", optional: true, items: "object" },
			reaction: { type: "object", optional: true, props: { messageId: id, emoji: { type: "string", optional: true } } },
			order: {
				type: "object",
				optional: true,
				props: {
					catalogId: { type: "string", optional: true },
					text: { type: "string", optional: true },
					items: {
						type: "array",
						items: {
							type: "object",
							props: {
								productRetailerId: id,
								quantity: { type: "number", integer: true, positive: true },
								itemPrice: { type: "number", min: 0 },
								currency
							}
						}
					}
				}
			},
			system: { type: "object", optional: true },
			errors: waErrors
		}
	},
	"store.whatsapp.message.send": {
		1: {
			brand,
			to: waId,
			kind: { type: "enum", values: ["text", "buttons", "list", "template", "image", "read", "typing"] },
			idempotencyKey: id,
			conversationId: optional(id),
			phoneNumberId: { type: "string", optional: true, pattern: /^\d{1,32}$/ },
			text: { type: "string", optional: true, max: 65536 },
			replyTo: optional(id),
			buttons: {
				type: "array",
				optional: true,
				items: { type: "object", props: { id: "string", title: "string" } }
			},
			list: { type: "object", optional: true, props: { button: "string", sections: { type: "array", items: "object" } } },
			template: { type: "object", optional: true, props: { name: "string", language: "string" } },
			image: { type: "object", optional: true, props: { link: { type: "url" }, caption: { type: "string", optional: true } } },
			messageId: optional(id),
			seq: { type: "number", integer: true, positive: true, optional: true }
		}
	},
	"store.whatsapp.message.status": {
		1: {
			messageId: id,
			recipientId: { type: "string", min: 1, max: 64 },
			phoneNumberId: { type: "string", optional: true },
			brand: optional(brand),
			status: { type: "enum", values: ["sent", "delivered", "read", "played", "failed"] },
			timestamp: { type: "number", integer: true, positive: true },
			errors: waErrors,
			conversationId: optional(id)
		}
	},
	"store.whatsapp.message.refused": {
		1: {
			idempotencyKey: id,
			brand,
			to: waId,
			kind: { type: "enum", values: ["text", "buttons", "list", "template", "image", "read", "typing"] },
			reason: { type: "enum", values: ["window_closed", "invalid", "undeliverable", "token_expired", "rejected", "outcome_unknown"] },
			detail: { type: "string", min: 1, max: 2048 },
			code: { type: "number", integer: true, optional: true },
			conversationId: optional(id),
			fallback: { type: "object", optional: true, props: { template: "string", idempotencyKey: id } }
		}
	},
	"store.chat.message.new": {
		1: {
			conversationId: id,
			brand,
			waId,
			customerName: { type: "string", optional: true, max: 256 },
			messageId: id,
			phoneNumberId: { type: "string", pattern: /^\d{1,32}$/ },
			kind: { type: "enum", values: INBOUND_KINDS as InboundKind[] },
			text: { type: "string", optional: true, max: 65536 },
			choiceId: optional(id),
			replyToMessageId: optional(id),
			receivedAt: { type: "number", integer: true, positive: true },
			brandChoiceRequired: { type: "boolean", optional: true },
			brands: { type: "array", optional: true, items: brand },
			orderItems: {
				type: "array",
				optional: true,
				max: 100,
				items: { type: "object", strict: true, props: { sku: { type: "string", min: 1, max: 128 }, qty: { type: "number", integer: true, positive: true, max: 10_000 } } }
			}
		}
	},
	"store.chat.message.forwarded": {
		1: {
			conversationId: id,
			brand,
			waId,
			sellerId: optional(id),
			messages: {
				type: "array",
				min: 1,
				max: 100,
				items: {
					type: "object",
					props: {
						messageId: id,
						seq: { type: "number", integer: true, positive: true },
						at: { type: "number", integer: true, positive: true },
						text: { type: "string", optional: true, max: 65536 },
						choiceId: optional(id),
						media: { type: "string", optional: true, max: 32 },
						orderItems: {
							type: "array",
							optional: true,
							max: 100,
							items: { type: "object", strict: true, props: { sku: { type: "string", min: 1, max: 128 }, qty: { type: "number", integer: true, positive: true, max: 10_000 } } }
						}
					}
				}
			}
		}
	},
	"store.chat.conversation.closed": {
		1: {
			conversationId: id,
			brand,
			waId,
			reason: { type: "enum", values: ["resolved", "operator", "idle"] },
			escalateEventId: optional(id)
		}
	},
	"store.chat.escalation.withdrawn": {
		1: {
			conversationId: id,
			brand,
			waId,
			escalateEventId: id
		}
	},
	"store.chat.response": {
		1: {
			conversationId: id,
			brand,
			waId,
			from: { type: "enum", values: ["ai", "seller", "system"] },
			text: { type: "string", max: 65536 },
			turn: { type: "number", integer: true, min: 0, optional: true },
			sellerId: optional(id),
			model: { type: "string", optional: true },
			usage,
			latencyMs: { type: "number", min: 0, optional: true }
		}
	},
	"store.chat.intent.detected": {
		1: {
			conversationId: id,
			brand,
			intent: { type: "string", min: 1, max: 64 },
			confidence: { type: "number", min: 0, max: 1 },
			entities: { type: "object", optional: true }
		}
	},
	"store.cart.item.added": {
		1: { conversationId: id, brand, waId, sku: id, qty: { type: "number", integer: true, positive: true }, unitPrice: minor, currency }
	},
	"store.order.create": {
		1: {
			waId,
			brand,
			items: {
				type: "array",
				min: 1,
				max: 50,
				items: { type: "object", props: { sku: id, qty: { type: "number", integer: true, positive: true, max: 1000 } } }
			},
			promoCode: { type: "string", optional: true, max: 64 },
			conversationId: optional(id),
			idempotencyKey: id
		}
	},
	"store.order.created": {
		1: {
			orderId: id,
			waId,
			brand,
			items: {
				type: "array",
				min: 1,
				items: {
					type: "object",
					props: {
						sku: id,
						qty: { type: "number", integer: true, positive: true },
						name: { type: "string", optional: true },
						size: { type: "string", optional: true, max: 24 },
						color: { type: "string", optional: true, max: 32 },
						unitPrice: optional(minor)
					}
				}
			},
			subtotal: minor,
			discount: minor,
			total: minor,
			currency,
			deliverTo: { type: "string", optional: true, max: DELIVER_TO_MAX },
			payBy: optional(isoTime),
			conversationId: optional(id)
		}
	},
	"store.order.confirmed": {
		1: { orderId: id, waId, brand, paymentRef: id, total: minor, currency, conversationId: optional(id) }
	},
	"store.order.shipped": {
		1: { orderId: id, waId, brand, ...tracking, conversationId: optional(id) }
	},
	"store.order.delivered": {
		1: { orderId: id, waId, brand, deliveredAt: isoTime, conversationId: optional(id) }
	},
	"store.order.cancelled": {
		1: {
			orderId: id,
			waId,
			brand,
			reason: { type: "string", min: 1, max: 512 },
			from: { type: "enum", values: ["pending", "confirmed"] },
			reasonCode: { type: "enum", values: [...ORDER_CANCEL_REASON_CODES], optional: true },
			conversationId: optional(id)
		}
	},
	"store.order.address.changed": {
		1: {
			orderId: id,
			waId,
			brand,
			deliverTo: { type: "string", min: 5, max: DELIVER_TO_MAX },
			previous: { type: "string", optional: true, max: DELIVER_TO_MAX },
			conversationId: optional(id)
		}
	},
	"store.order.tracking.changed": {
		1: {
			orderId: id,
			waId,
			brand,
			...tracking,
			previous: { type: "object", props: tracking },
			correction: { type: "number", integer: true, positive: true },
			conversationId: optional(id)
		}
	},
	"store.order.refund.due": {
		1: {
			orderId: id,
			waId,
			brand,
			paymentRef: { type: "string", min: 1, max: 256 },
			amount: minor,
			currency,
			reason: { type: "enum", values: [...REFUND_REASONS] },
			conversationId: optional(id)
		}
	},
	"store.sales.escalate": {
		1: {
			conversationId: id,
			brand,
			waId,
			customerName: { type: "string", optional: true, max: 256 },
			reason: { type: "enum", values: [...ESCALATION_REASONS] },
			detail: { type: "string", optional: true, max: 2048 },
			summary: { type: "string", optional: true, max: 4096 },
			priority: { type: "number", integer: true, min: 0, max: 10, optional: true },
			lang: { type: "enum", values: ["en", "es"], optional: true }
		}
	},
	"store.sales.escalation.assigned": {
		1: { escalationId: id, conversationId: id, brand, sellerId: id, sellerName: { type: "string", optional: true }, conversationBrand: optional(brand) }
	},
	"store.sales.escalation.resolved": {
		1: {
			escalationId: id,
			conversationId: id,
			brand,
			sellerId: optional(id),
			to: { type: "enum", values: ["ai", "closed"] },
			note: { type: "string", optional: true, max: 2048 },
			conversationBrand: optional(brand)
		}
	},
	"store.sales.sla.breached": {
		1: { escalationId: id, conversationId: id, brand, waitedMs: { type: "number", min: 0 }, priority: { type: "number", integer: true, min: 0 } }
	},
	"store.sales.insight": {
		1: {
			brand,
			sellerId: optional(id),
			kind: { type: "string", min: 1, max: 64 },
			metrics: { type: "record", key: { type: "string" }, value: { type: "number" } },
			period: { type: "object", optional: true, props: { from: "string", to: "string" } }
		}
	},
	"store.catalog.stock.changed": {
		1: {
			sku: id,
			brand,
			before: { type: "number", integer: true, min: 0 },
			after: { type: "number", integer: true, min: 0 },
			reason: { type: "enum", values: ["low", "out", "restocked", "changed"] }
		}
	},
	"store.catalog.promotion.started": {
		1: { code: id, brand: optional(brand), category: { type: "string", optional: true }, startsAt: isoTime, endsAt: isoTime }
	},
	"store.catalog.promotion.ended": {
		1: { code: id, brand: optional(brand), category: { type: "string", optional: true }, startsAt: isoTime, endsAt: isoTime }
	}
};

const envelopeSchema: ValidationSchema = {
	$$strict: false,
	specversion: { type: "equal", value: SPEC_VERSION, strict: true },
	id: { type: "string", min: 1, max: 256 },
	type: { type: "enum", values: Object.values(EventTypes) },
	source: { type: "string", min: 1, max: 256 },
	time: isoTime,
	datacontenttype: { type: "equal", value: DATA_CONTENT_TYPE, strict: true },
	dataschema: { type: "string", pattern: /^urn:agent-store:[a-z.]+:v\d+$/ },
	subject: { type: "string", optional: true, max: 256 },
	correlationid: { type: "string", min: 1, max: 256 },
	causationid: { type: "string", optional: true, min: 1, max: 256 },
	brand: { type: "string", optional: true, max: 32 },
	data: { type: "object" }
};

// ---- validation ---------------------------------------------------------------------------------

export interface ContractViolation {
	field?: string;
	message: string;
	type?: string;
}

/** Thrown by `createEvent` and `assertEvent`; carries every violation, not only the first. */
export class EventContractError extends Error {
	readonly code = "EVENT_CONTRACT_VIOLATION";
	constructor(
		message: string,
		readonly violations: ContractViolation[]
	) {
		super(message);
		this.name = "EventContractError";
	}
}

const validator = new Validator({ haltOnFirstError: false });
type Check = (value: unknown) => true | FvError[] | Promise<true | FvError[]>;
const checkEnvelope = validator.compile(envelopeSchema) as Check;
const dataChecks = new Map<string, Check>();
for (const [type, versions] of Object.entries(EventSchemas))
	for (const [version, schema] of Object.entries(versions))
		dataChecks.set(`${type}:v${version}`, validator.compile({ $$strict: false, ...schema }) as Check);

/**
 * Adds a version of a type beside the ones it has. Publishers move to the newest version; a
 * consumer keeps accepting older envelopes, validated against the schema they name, until the old
 * version is removed from `EventSchemas` at the end of its deprecation window.
 */
const currentVersions = new Map<EventType, number>();

export function registerEventVersion(type: EventType, version: number, schema: ValidationSchema): void {
	if (!Number.isInteger(version) || version < 1) throw new Error(`Event versions are positive integers, not ${version}`);
	if (EventSchemas[type][version]) throw new Error(`${type} v${version} is already registered`);
	EventSchemas[type][version] = schema;
	dataChecks.set(`${type}:v${version}`, validator.compile({ $$strict: false, ...schema }) as Check);
	currentVersions.delete(type);
}

/** Ends a version's life (its deprecation window is over): events of it are refused from now on. */
export function unregisterEventVersion(type: EventType, version: number): void {
	delete EventSchemas[type][version];
	dataChecks.delete(`${type}:v${version}`);
	currentVersions.delete(type);
}

/** Every published event asks for it; registerEventVersion clears the cache. */
export function currentVersion(type: EventType): number {
	let v = currentVersions.get(type);
	if (v === undefined) {
		v = Math.max(...Object.keys(EventSchemas[type]).map(Number));
		currentVersions.set(type, v);
	}
	return v;
}

export function dataSchemaUrn(type: EventType, version = currentVersion(type)): string {
	return `urn:agent-store:${type}:v${version}`;
}

export function isEventType(value: unknown): value is EventType {
	return typeof value === "string" && value in EventSchemas;
}

function toViolations(result: true | FvError[], prefix = ""): ContractViolation[] {
	if (result === true) return [];
	return result.map(e => ({ field: e.field ? prefix + e.field : prefix || undefined, message: e.message ?? e.type, type: e.type }));
}

/**
 * Validates an envelope and its data; returns every violation (empty when valid). Never throws:
 * consumers route invalid events to the dead-letter queue with these violations.
 */
export function validateEvent(value: unknown): ContractViolation[] {
	if (value === null || typeof value !== "object" || Array.isArray(value))
		return [{ message: "The event is not a JSON object" }];
	const envelope = value as Record<string, unknown>;
	const problems = toViolations(checkEnvelope(envelope) as true | FvError[]);
	if (problems.length) return problems;
	const m = /^urn:agent-store:([a-z.]+):v(\d+)$/.exec(envelope.dataschema as string);
	if (!m || m[1] !== envelope.type)
		return [{ field: "dataschema", message: `dataschema does not name the event type '${String(envelope.type)}'` }];
	return dataViolations(m[1] as EventType, envelope.data, Number(m[2]), "data.");
}

/** Violations of `data` against the schema of `type` at `version` (the current one by default). */
export function dataViolations(type: EventType, data: unknown, version = currentVersion(type), prefix = ""): ContractViolation[] {
	const check = dataChecks.get(`${type}:v${version}`);
	if (!check) return [{ field: "dataschema", message: `Unknown version v${version} of '${type}'` }];
	return toViolations(check(data) as true | FvError[], prefix);
}

function refuse(violations: ContractViolation[]): void {
	if (violations.length) throw new EventContractError(`Invalid event: ${violations.map(v => v.message).join("; ")}`, violations);
}

export function assertEvent<T extends EventType>(value: unknown): asserts value is CloudEvent<EventPayloads[T]> {
	refuse(validateEvent(value));
}

export interface CreateEventOptions {
	source: string;
	correlationid?: string;
	/** The event that caused this one: its id becomes `causationid` and its correlation id is kept. */
	causedBy?: Pick<CloudEvent, "id" | "correlationid">;
	subject?: string;
	brand?: string;
	version?: number;
	id?: string;
	time?: Date;
	/**
	 * The caller has just checked `data` with `dataViolations` for this type's current version and
	 * found none: only the envelope is checked again (the webhook's parser validates each message
	 * to drop a malformed one alone, and publishes the same object).
	 */
	dataChecked?: boolean;
}

/** Publishes one event through the durable channels (the EventsMixin's `publish`, or a test double). */
export type Publish = <T extends EventType>(type: T, data: EventPayloads[T], opts?: Omit<CreateEventOptions, "source">) => Promise<unknown>;

/**
 * An event an actor's step must publish, stored with the state it came from (an outbox): published
 * after the write, cleared after, re-published by the next writer if a crash came in between.
 */
export interface Publication {
	type: EventType;
	id: string;
	data: Record<string, unknown>;
	subject: string;
}

/** Builds and validates an envelope; throws `EventContractError` rather than publish a bad event. */
export function createEvent<T extends EventType>(
	type: T,
	data: EventPayloads[T],
	opts: CreateEventOptions
): CloudEvent<EventPayloads[T]> {
	const eventId = opts.id ?? randomUUID();
	const event: CloudEvent<EventPayloads[T]> = {
		specversion: SPEC_VERSION,
		id: eventId,
		type,
		source: opts.source,
		time: (opts.time ?? new Date()).toISOString(),
		datacontenttype: DATA_CONTENT_TYPE,
		dataschema: dataSchemaUrn(type, opts.version),
		correlationid: opts.correlationid ?? opts.causedBy?.correlationid ?? eventId,
		data
	};
	if (opts.causedBy) event.causationid = opts.causedBy.id;
	if (opts.subject !== undefined) event.subject = opts.subject;
	const b = opts.brand ?? (data as { brand?: unknown }).brand;
	if (typeof b === "string") event.brand = b;
	refuse(opts.dataChecked && opts.version === undefined ? toViolations(checkEnvelope(event) as true | FvError[]) : validateEvent(event));
	return event;
}
