/**
 * Contracts of the conversation actor: its states, context, the events it accepts, the requests it
 * emits to its host, and the persisted `{ version, snapshot }` shape.
 *
 * The machine is pure: it never calls a model, a catalog or WhatsApp. It asks its host to do so by
 * emitting `ConversationEmitted` requests, and hears the outcome back as events (`TURN_COMPLETED`).
 * That split is what lets a restored snapshot never repeat a paid model call.
 *
 * This module imports nothing of ours but other contracts.
 */
import { createHash } from "node:crypto";
import { DELIVER_TO_MAX, type EscalationReason, type RefundReason, type TokenUsage } from "./events";

export const ConversationStates = {
	New: "new",
	ChoosingBrand: "choosingBrand",
	Browsing: "browsing",
	Cart: "cart",
	Checkout: "checkout",
	Ordered: "ordered",
	Escalated: "escalated",
	Human: "human",
	Closed: "closed"
} as const;
export type ConversationState = (typeof ConversationStates)[keyof typeof ConversationStates];
export const CONVERSATION_STATES: readonly ConversationState[] = Object.values(ConversationStates);

/** States in which the AI seller speaks; in the others it is silent. */
export const AI_STATES: readonly ConversationState[] = ["browsing", "cart", "checkout", "ordered"];

/**
 * How many inbound message ids a conversation remembers for de-duplication. They catch a message
 * delivered again while the customer goes on writing (a channel redelivery, a replay, a second
 * gateway node); Meta's own retries are caught for 7 days by the gateway before they get here.
 */
export const HANDLED_IDS_LIMIT = 32;
/** Ids up to this length are kept as they are; Meta's wamids (60 characters and more) are not. */
export const HANDLED_ID_MAX = 24;

/**
 * How `handled` keeps a message id: short ids as they are, longer ones as a 96-bit digest, so a
 * conversation's record stays small whatever the id format (32 wamids were 2 KB on their own).
 */
export function handledId(messageId: string): string {
	return messageId.length <= HANDLED_ID_MAX ? messageId : `#${createHash("sha256").update(messageId).digest("base64url").slice(0, 16)}`;
}
/** How many sentiment scores the trend keeps. */
export const SENTIMENT_HISTORY_LIMIT = 5;
/** Unanswered messages held for the next turn; older ones are dropped first (a flood, not a chat). */
export const INBOX_LIMIT = 20;
/** Products shown in the last list, for "the second one". */
export const SHOWN_LIMIT = 10;
/** Order notifications remembered for exactly-once delivery. */
export const NOTIFIED_LIMIT = 32;
export const DEFAULT_IDLE_TIMEOUT_MS = 24 * 60 * 60 * 1000;
/** Meta's customer-service window: free-form messages only within 24 h of the last inbound one. */
export const SERVICE_WINDOW_MS = 24 * 60 * 60 * 1000;

/** Interactive reply ids: the host maps a tap to these, the agents and the machine read them. */
export const ChoiceIds = {
	brand: (brand: string) => `brand:${brand}`,
	product: (sku: string) => `product:${sku}`,
	ConfirmCheckout: "checkout:confirm",
	CancelCheckout: "checkout:cancel",
	CancelOrder: "order:cancel",
	KeepOrder: "order:keep"
} as const;
export const BRAND_CHOICE_PREFIX = "brand:";
export const PRODUCT_CHOICE_PREFIX = "product:";

export interface CartLine {
	sku: string;
	name: string;
	/** The size chosen, for a product that comes in sizes; one line per size. */
	size?: string;
	/** The colour (or shade) chosen, for a product that comes in several; one line per colour. */
	color?: string;
	qty: number;
	/** Minor units (cents), as the catalog quoted it when the line was added or last refreshed. */
	unitPrice: number;
	currency: string;
}

/** A cart line as an order item: its size and colour go with it. */
export const orderItemOf = (l: Pick<CartLine, "sku" | "qty" | "size" | "color">): { sku: string; qty: number; size?: string; color?: string } => ({
	sku: l.sku,
	qty: l.qty,
	...(l.size ? { size: l.size } : {}),
	...(l.color ? { color: l.color } : {})
});

/** A line's chosen size and colour as staff read them ("size M, black"); empty when none. */
/** A payment owed back to the customer, told once per payment. */
export interface RefundNotice {
	paymentRef: string;
	/** Minor units of `currency`. */
	amount: number;
	currency: string;
	reason: RefundReason;
}
/**
 * An order notice's name: its status, and a shipped order's tracking correction ("shipped#2"), told
 * once each; a refund by its payment ("refund-<hash>": payment refs are the provider's, of any length).
 */
export const noticeName = (e: { status: OrderStatus; correction?: number; refund?: Pick<RefundNotice, "paymentRef"> }): string =>
	e.refund ? `refund-${createHash("sha256").update(e.refund.paymentRef).digest("hex").slice(0, 12)}` : `${e.status}${e.correction ? `#${e.correction}` : ""}`;
/** What a cart's lines come to, in minor units. */
export const cartTotal = (lines: readonly Pick<CartLine, "qty" | "unitPrice">[]): number => lines.reduce((sum, l) => sum + l.qty * l.unitPrice, 0);
export const variantLabel = (l: { size?: string; color?: string }): string => [l.size && `size ${l.size}`, l.color].filter(Boolean).join(", ");

export interface Customer {
	waId: string;
	name?: string;
}

/** Kinds of inbound message that carry no words of their own to answer (a caption may come with some). */
export const MEDIA_KINDS = ["image", "audio", "video", "document", "sticker", "location", "contacts", "unsupported"] as const;
export type MediaKind = (typeof MEDIA_KINDS)[number];
export const isMediaKind = (kind: string): kind is MediaKind => (MEDIA_KINDS as readonly string[]).includes(kind);

export interface InboundMessage {
	messageId: string;
	/** Meta's timestamp, ms since the epoch. */
	at: number;
	text?: string;
	/** Id of a tapped list row or button (see `ChoiceIds`). */
	choiceId?: string;
	/** A cart the customer sent from the WhatsApp catalog. */
	orderItems?: { sku: string; qty: number }[];
	/** What the customer sent when it was not text: a voice note, a photo, a location... */
	media?: MediaKind;
	/** Deterministic 0–1 score of this message (agents/sentiment.ts), computed by the host. */
	sentiment?: number;
	/** The customer takes back a request for a person ("never mind, I don't need one"), read by the host. */
	withdrawsHuman?: true;
	/** On a shared number, the shop this message picks and nothing more ("belleza", "Bella", "2"), read by the host. */
	namesBrand?: string;
}

/**
 * One line of a conversation's transcript: what the customer, the AI, a human seller or the system
 * said, in order. The transcript lives beside the snapshot (not in it): the machine needs none of it,
 * while the model, the console and the REPL read its tail.
 */
export interface TranscriptEntry {
	/** Unique within the conversation: the WhatsApp message id, or a deterministic id of ours. */
	id: string;
	from: "customer" | "ai" | "seller" | "system";
	text: string;
	at: number;
	sellerId?: string;
	choiceId?: string;
	/** The photo an AI reply carried (a product card's header, or the photo asked for): the console shows it. */
	image?: string;
	/** What a customer sent that was not only words (a photo, a voice note…): its text is the caption, if any. */
	media?: MediaKind;
	/** A cart the customer sent from the WhatsApp catalog. */
	orderItems?: { sku: string; qty: number }[];
	/** For the team only, never sent to the customer (say, that WhatsApp refused a message): the console shows it, the model never reads it. */
	internal?: true;
	/** On an internal note: the line that did not reach the customer, which the model's history then leaves out too. */
	undelivered?: { id: string; seq: number };
}

/** A transcript entry with its position: 1-based, stable, gaps allowed (duplicates are skipped). */
export interface TranscriptLine extends TranscriptEntry {
	seq: number;
}

/**
 * An address as an order carries it: one line (a multi-line message's lines joined by commas),
 * spaces collapsed, no control characters; null when it is too short or too long to be one, or
 * says nothing (punctuation only).
 */
export function deliveryAddress(text: string): string | null {
	const line = text
		.split(/[\r\n]+/)
		.map(l => l.replace(/[\u0000-\u001f\u007f]/g, " ").replace(/\s+/g, " ").replace(/^[\s,;]+|[\s,;]+$/g, ""))
		.filter(Boolean)
		.join(", ");
	return line.length >= 5 && line.length <= DELIVER_TO_MAX && /[\p{L}\p{N}]{2}/u.test(line) ? line : null;
}

export interface ConversationContext {
	conversationId: string;
	/** null until a customer on a shared number picks a brand. */
	brand: string | null;
	/** Brands served by the number the customer wrote to. */
	brands: string[];
	customer: Customer;
	cart: CartLine[];
	/** A promotion code the customer gave; checkout applies it, and placing the order clears it. */
	promoCode: string | null;
	/** Where the customer's orders go, as they gave it; kept for the next order (its summary shows it). */
	deliverTo: string | null;
	/** Last inbound message time (ms): opens Meta's 24-hour window. null before the first one. */
	lastInboundAt: number | null;
	orderId: string | null;
	/** The order the customer was just asked to confirm cancelling; only the next turn may cancel it. */
	cancelling: string | null;
	/** Latest sentiment scores, oldest first, at most SENTIMENT_HISTORY_LIMIT. */
	sentiment: number[];
	escalation: { reason: EscalationReason; detail?: string } | null;
	/** Number of the last turn requested; a result carrying another number is stale. */
	turn: number;
	/** The turn awaiting its result, or null when none is running. */
	pendingTurn: number | null;
	/** Messages received and not yet answered; the next turn answers them all at once. */
	inbox: InboundMessage[];
	/** Inbound message ids already handled (as `handledId` keeps them), newest last, at most HANDLED_IDS_LIMIT. */
	handled: string[];
	/**
	 * Messages (as `handled` keeps them) forwarded to the human side since a seller last changed the
	 * cart, at most INBOX_LIMIT. At a handback, those no seller's line answered are the AI's to answer.
	 */
	forwarded: string[];
	/** SKUs of the products in the last list shown, in order. */
	shown: string[];
	/** The product the customer last asked about ("add it", "yes" after its details); null when none. */
	focus: string | null;
	/**
	 * The customer's language as the last turn read it ("en", "es"); null before the first. Order
	 * notices go out in it, and a message that does not show its own ("ok") keeps it.
	 */
	lang: string | null;
	/** Consecutive turns the agent did not understand. */
	misunderstood: number;
	/** Keys (`<orderId>:<status>`) of order notifications already sent. */
	notified: string[];
	/** Absolute deadlines (ms); a sweeper fires the matching event once one has passed. */
	deadlines: { idleAt: number | null };
	idleTimeoutMs: number;
	/** The human seller who has the conversation, in `human`. */
	sellerId: string | null;
}

export interface ConversationInput {
	conversationId: string;
	brand: string | null;
	brands?: string[];
	customer: Customer;
	idleTimeoutMs?: number;
}

export interface ReplyButton {
	id: string;
	title: string;
}
export interface ReplyList {
	button: string;
	header?: string;
	footer?: string;
	sections: { title?: string; rows: { id: string; title: string; description?: string }[] }[];
}
/**
 * What the customer will see: text, optionally with reply buttons or an interactive list, or a photo
 * the text captions. A photo with buttons is the buttons message's header.
 */
export interface OutboundReply {
	text: string;
	buttons?: ReplyButton[];
	list?: ReplyList;
	image?: { link: string };
}

export interface TurnEscalation {
	reason: EscalationReason;
	detail?: string;
	summary?: string;
}

/** The result of an agent turn run by the host, fed back as `TURN_COMPLETED`. */
export interface TurnResult {
	turn: number;
	reply: OutboundReply;
	/** The whole cart after the turn. */
	cart: CartLine[];
	/** The promotion code after the turn (absent: unchanged). */
	promoCode?: string | null;
	/** The delivery address after the turn (absent: unchanged). */
	deliverTo?: string;
	/** Set when this turn placed an order. */
	orderId?: string;
	/** The order this turn asked the customer to confirm cancelling. */
	cancelling?: string;
	/** The order this turn cancelled: the customer was told, so its cancellation notice is not sent. */
	cancelledOrderId?: string;
	/** The agent asked the customer to confirm a checkout. */
	awaitingConfirmation: boolean;
	intent: string;
	understood: boolean;
	escalation?: TurnEscalation | null;
	/** SKUs listed to the customer this turn (empty: keep the previous list). */
	shown?: string[];
	/** The product in focus after the turn (absent: unchanged). */
	focus?: string | null;
	/** The language the turn answered in (absent: unchanged). */
	lang?: string;
	usage?: TokenUsage;
	model?: string;
}

export type OrderStatus = "confirmed" | "shipped" | "delivered" | "cancelled";

export type ConversationEvent =
	| { type: "MESSAGE_RECEIVED"; messages: InboundMessage[]; customerName?: string }
	| { type: "BRAND_CHOSEN"; brand: string; at: number }
	| ({ type: "TURN_COMPLETED" } & TurnResult)
	/**
	 * The turn threw (a bug or an outage in our own turn code; model failures end as TURN_COMPLETED
	 * with an escalation). `reply` is what the customer is told: that a person will join.
	 */
	| { type: "TURN_FAILED"; turn: number; detail?: string; reply?: OutboundReply }
	| { type: "ESCALATE"; reason: EscalationReason; detail?: string }
	| { type: "HUMAN_ASSIGNED"; sellerId: string }
	/**
	 * `unanswered`: what the customer said after the last time anyone answered them (the host reads
	 * it from the transcript). Within the 24-hour window the AI answers it at once.
	 */
	| { type: "HANDED_BACK"; at: number; unanswered?: InboundMessage[] }
	/**
	 * The human seller who has the conversation changed its cart (a suggested action they approved,
	 * run through the AI seller's tools): the whole cart after the change, and the order it placed.
	 * Ignored unless that seller has the conversation.
	 */
	| { type: "SELLER_CART_UPDATED"; sellerId: string; cart: CartLine[]; orderId?: string; deliverTo?: string; promoCode?: string | null }
	| { type: "CLOSE"; reason: "resolved" | "operator" }
	| { type: "IDLE_TIMEOUT"; at: number }
	| {
			type: "ORDER_UPDATED";
			orderId: string;
			status: OrderStatus;
			at: number;
			carrier?: string;
			trackingNumber?: string;
			reason?: string;
			/** Why, as a code the customer may be told ("not_paid_in_time"); `reason` is staff's words. */
			reasonCode?: string;
			/** A shipped order's n-th tracking correction: the customer is told the new tracking, once each. */
			correction?: number;
			/** Money the customer paid is owed back: told once per payment, whatever the order's status. */
			refund?: RefundNotice;
	  };
export type ConversationEventType = ConversationEvent["type"];

/** Requests the machine emits; the host carries them out (and may do so again after a crash). */
export type ConversationEmitted =
	| {
			type: "turn.requested";
			turn: number;
			messages: InboundMessage[];
			/** The conversation's first AI turn: greet in the persona's voice. */
			greet: boolean;
			/** A previous turn still running is superseded; its result will be discarded. */
			supersedes: number | null;
	  }
	| { type: "reply.send"; turn: number; reply: OutboundReply }
	| { type: "turn.discarded"; turn: number; reason: "stale" | "human" | "escalated" | "closed" }
	| { type: "brand.choice.requested"; brands: string[] }
	| {
			type: "escalation.requested";
			reason: EscalationReason;
			detail?: string;
			summary?: string;
			cart: CartLine[];
			sentiment: number[];
	  }
	| { type: "customer.message.forwarded"; messages: InboundMessage[] }
	| {
			type: "notification.send";
			orderId: string;
			status: OrderStatus;
			/** false: Meta's 24-hour window is closed, only a template may go out. */
			withinWindow: boolean;
			/** The conversation is waiting for, or with, a human seller. */
			withPerson?: boolean;
			carrier?: string;
			trackingNumber?: string;
			reason?: string;
			reasonCode?: string;
			correction?: number;
			refund?: RefundNotice;
	  }
	| { type: "conversation.closed"; reason: "resolved" | "operator" | "idle" }
	/** The customer no longer waits for a person: the escalation asked at `turn` for `reason` is withdrawn. */
	| { type: "escalation.withdrawn"; turn: number; reason: EscalationReason }
	| {
			type: "conversation.handed.back";
			/** When the seller handed it back: one handback, one notice. */
			at: number;
			/** false: Meta's 24-hour window is closed; the customer is not told (no template for it). */
			withinWindow: boolean;
			/** The AI goes on to answer what the customer said while waiting for a person. */
			answering: boolean;
	  };
export type ConversationEmittedType = ConversationEmitted["type"];

/** The snapshot version this code writes. Bump it with a migration in conversation.persistence. */
export const CONVERSATION_SNAPSHOT_VERSION = 2;

/** A new conversation's context: every field at its default. */
export function newConversationContext(input: ConversationInput): ConversationContext {
	return {
		conversationId: input.conversationId,
		brand: input.brand,
		brands: input.brands?.length ? [...input.brands] : input.brand ? [input.brand] : [],
		customer: { ...input.customer },
		cart: [],
		promoCode: null,
		deliverTo: null,
		lastInboundAt: null,
		orderId: null,
		cancelling: null,
		sentiment: [],
		escalation: null,
		turn: 0,
		pendingTurn: null,
		inbox: [],
		handled: [],
		forwarded: [],
		shown: [],
		focus: null,
		lang: null,
		misunderstood: 0,
		notified: [],
		deadlines: { idleAt: null },
		idleTimeoutMs: input.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
		sellerId: null
	};
}

/**
 * A context as the store keeps it: a field still at its `newConversationContext` default is left
 * out (most are, in most conversations; issue 5 allows 2 KB per conversation), and reading puts it
 * back. Who and which brand are always there: the defaults depend on them.
 */
export type StoredConversationContext = Pick<ConversationContext, "conversationId" | "customer" | "brand"> & Partial<ConversationContext>;

/** What the store holds for a conversation. `snapshot` is XState's persisted snapshot (JSON). */
export interface PersistedConversation {
	version: number;
	snapshot: StoredSnapshot;
}

interface SnapshotFields {
	/** Absent: active (what nearly every stored conversation is; not written, to keep records small). */
	status?: "active" | "done" | "error" | "stopped";
	value: unknown;
	[key: string]: unknown;
}

/** A snapshot as stored. */
export interface StoredSnapshot extends SnapshotFields {
	context: StoredConversationContext;
}

/** A snapshot as loaded: every context field present. */
export interface PersistedSnapshot extends SnapshotFields {
	context: ConversationContext;
}
