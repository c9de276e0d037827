/**
 * Contracts of the `sales-assistant` service: the params and results of its actions, the views it
 * hands to the seller console, and the `console.push` broadcast it emits to console nodes.
 *
 * Agreed with the console service and the console page (issue 6): names are part of the protocol;
 * fields and actions may be added, never renamed or dropped. Imports nothing of ours but contracts.
 */

export const SALES_ASSISTANT_ERRORS = {
	NotFound: "NOT_FOUND",
	Forbidden: "FORBIDDEN",
	EscalationTaken: "ESCALATION_TAKEN",
	CapacityFull: "CAPACITY_FULL",
	Invalid: "INVALID",
	/** Cancel of an escalation a seller already has, or that is resolved (409). */
	NotCancellable: "NOT_CANCELLABLE",
	/** A transfer to a colleague with no console open: nobody would be there to take the customer (409). */
	SellerOffline: "SELLER_OFFLINE",
	/** A message's clientId already named another text: the first was sent, this one is not (409). */
	ClientIdReused: "CLIENT_ID_REUSED"
} as const;
export type SalesAssistantErrorType = (typeof SALES_ASSISTANT_ERRORS)[keyof typeof SALES_ASSISTANT_ERRORS];

/** Bounds of the seller's reply text and of a note, checked by the service's action params. */
export const SELLER_REPLY_MAX = 4096;
export const SALES_NOTE_MAX = 2048;

export type EscalationViewState = "queued" | "offered" | "active" | "resolved";
export type TranscriptFrom = "customer" | "ai" | "seller" | "system";

export interface EscalationView {
	id: string;
	conversationId: string;
	brand: string;
	state: EscalationViewState;
	reason: string;
	detail: string | null;
	/** Human-readable summary line(s). */
	summary: string;
	/** Masked number, never the full wa_id. */
	customer: { name: string | null; masked: string };
	priority: number;
	createdAt: number;
	waitingSince: number;
	offeredTo: string | null;
	offerExpiresAt: number | null;
	sellerId: string | null;
	sellerName: string | null;
	slaDeadline: number | null;
	slaBreaches: number;
	/** Set once resolved: to whom it went. */
	resolution?: "ai" | "closed" | null;
	/** Set once resolved, when there was one: the note of whoever ended it (a seller, an operator, the conversation closing). */
	resolutionNote?: string | null;
	/** Set while the assigned seller has no socket: when they lose it. */
	graceDeadline?: number | null;
	/** The latest hand-over between sellers or brands, with the note the seller left for the next. */
	lastTransfer?: { fromSellerId: string; fromBrand: string; toSellerId?: string; toBrand?: string; note: string; at: number } | null;
}

export interface TranscriptMessage {
	seq: number;
	from: TranscriptFrom;
	text: string;
	at: number;
	sellerId?: string;
	/** The photo the message carried, by its link. */
	image?: string;
	/** What the customer sent besides words: image, audio, video, document, sticker, location, contacts, unsupported. */
	media?: string;
	/** A cart the customer sent from the WhatsApp catalog. */
	orderItems?: { sku: string; qty: number }[];
	/** A note for the team, not something the customer was sent. */
	internal?: boolean;
	/** On such a note: the seq of the line that did not reach the customer. */
	undelivered?: number;
}

export interface SuggestedActionView {
	id: string;
	kind: "add_to_cart" | "apply_promotion" | "create_order" | "change_address";
	label: string;
	params: Record<string, unknown>;
}

/** A line of the customer's cart as the seller sees it beside the conversation. */
export interface AssistCartLine {
	sku: string;
	name: string;
	qty: number;
	size?: string;
	color?: string;
	/** Minor units. */
	unitPrice: number;
	currency: string;
	/** What the customer still has to choose before it can be ordered. */
	awaiting?: "size" | "colour";
}

export interface AssistView {
	conversationId: string;
	items: string[];
	actions: SuggestedActionView[];
	objection?: { kind: string; advice: string } | null;
	/** The cart as it is now (the escalation's summary tells how it was when the customer asked for a person). */
	cart?: AssistCartLine[];
	/** A promotion code the seller applied: the order they create carries it. */
	promotion?: string | null;
	/** Where the order goes: the address the customer last wrote, or the one the conversation kept. */
	deliverTo?: string | null;
}

export interface ConversationView {
	conversationId: string;
	escalation: EscalationView;
	messages: TranscriptMessage[];
	assist: AssistView | null;
}

export interface SellerView {
	id: string;
	name: string;
	brands: string[];
	capacity: number;
	online: boolean;
	/** Takes no new customers for now (on a break): not offered any, still holds their conversations. */
	paused: boolean;
	load: number;
}

// ---- action params and results (`broker.call("sales-assistant.<action>", params)`) -------------

export interface SessionParams { sellerId: string }
export interface SessionResult {
	seller: SellerView;
	/** Queued or offered, of the seller's brands, by priority then age. */
	queue: EscalationView[];
	/** Active, assigned to this seller, full transcript. */
	conversations: ConversationView[];
	/** The other sellers, with whether they are online and how full: who a conversation can be transferred to. */
	team: SellerView[];
}

export interface TeamParams { sellerId: string }

/** Takes no new customers (`paused`), or takes them again; the result is the seller's own view. */
export interface PauseParams { sellerId: string; paused: boolean }
export type PauseResult = SellerView;
export type TeamResult = SellerView[];

export interface HistoryParams { sellerId: string; conversationId: string; afterSeq?: number }
export interface HistoryResult { messages: TranscriptMessage[] }

export interface PresenceParams {
	nodeId: string;
	/** The node's full map of connected sellers: sellerId → open sockets. */
	sellers: Record<string, number>;
}
export interface OkResult { ok: true }

export interface AcceptParams { escalationId: string; sellerId: string }
export type AcceptResult = ConversationView;

export interface DeclineParams { escalationId: string; sellerId: string }
export type DeclineResult = OkResult;

export interface ReplyParams { conversationId: string; sellerId: string; text: string; clientId?: string }
export interface ReplyResult { seq: number }

export interface ResolveParams { conversationId: string; sellerId: string; to: "ai" | "closed"; note?: string }
export type ResolveResult = EscalationView;

export interface TransferParams { conversationId: string; sellerId: string; toSellerId?: string; toBrand?: string; note: string }
export type TransferResult = EscalationView;

export interface ApproveParams { conversationId: string; sellerId: string; actionId: string }
export interface ApproveResult { ok: true; result: string }

/** `force`: assign a seller whose console is not open (they are about to sign in): the customer is told they joined. */
export interface AssignParams { escalationId: string; sellerId: string; by: string; force?: boolean }
export type AssignResult = EscalationView;

/** An operator withdraws an escalation nobody has taken (queued or offered): back to the AI. */
export interface CancelParams { escalationId: string; by: string; note?: string }
export type CancelResult = EscalationView;

/**
 * Escalations a seller's console still showed as theirs (it was away while they changed): what became
 * of each one that is no longer theirs. One still theirs, or unknown, is left out.
 */
export interface LostParams { sellerId: string; escalationIds: string[] }
/**
 * Why it left them: their console was gone past the grace period (`seller_offline`: back to the
 * queue), they transferred it (from another tab), or it ended while theirs (`resolved`: by them
 * elsewhere, an operator, the conversation closing; `escalation.resolutionNote` says). `other` when
 * the record cannot tell (one stored before it kept who let it go).
 */
export type LostReason = "seller_offline" | "transferred" | "resolved" | "other";
export interface LostConversationView {
	conversationId: string;
	reason: LostReason;
	/** The escalation as it is now: in the queue, with a colleague (`sellerName`), or resolved (`resolution`). */
	escalation: EscalationView;
}
export type LostResult = LostConversationView[];
/** At most this many escalations per `lost` call (a seller holds at most 100). */
export const LOST_MAX = 100;

export interface QueueParams { brand?: string }
export type QueueResult = EscalationView[];

export interface GetParams { id: string }
export type GetResult = EscalationView;

export type SellersResult = SellerView[];

// ---- push: sales-assistant → console nodes --------------------------------------------------------

/** The plain Moleculer broadcast event carrying a frame to sellers' sockets (may be lost). */
export const CONSOLE_PUSH_EVENT = "console.push";

export type PushFrame =
	| {
			type: "escalation.new";
			escalation: EscalationView;
			conversationId: string;
			brand: string;
			reason: string;
			summary: string;
			customer: EscalationView["customer"];
	  }
	| { type: "escalation.offered"; escalation: EscalationView; expiresAt: number }
	| { type: "escalation.taken"; escalationId: string; conversationId: string; sellerId: string; sellerName: string | null }
	| { type: "escalation.assigned"; conversation: ConversationView }
	| { type: "escalation.updated"; escalation: EscalationView }
	| { type: "escalation.resolved"; escalationId: string; conversationId: string; to: "ai" | "closed" | "transferred" }
	| ({ type: "conversation.message"; conversationId: string } & TranscriptMessage)
	| ({ type: "suggestions" } & AssistView);

export interface ConsolePush {
	/** Every socket of these sellers, and of every seller whose brands include one of these. */
	to: { sellerIds?: string[]; brands?: string[] };
	frame: PushFrame;
}
