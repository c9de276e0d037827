/**
 * Contracts of the escalation actor: one XState machine per escalation (a conversation handed to a
 * human seller). Its states, context, the events it accepts, the requests it emits to its host and
 * the persisted `{ version, snapshot }` shape.
 *
 * Time never comes from the machine's own clock: every event carries `at` (ms since the epoch, from
 * the host's injected clock) and the deadlines (offer, SLA, grace) are absolute times in context.
 * A sweeper fires them as explicit events (`OFFER_EXPIRED`, `SLA_BREACHED`, `GRACE_EXPIRED`); a
 * timer event that arrives before its deadline (a stale or early sweep) is ignored by the guards,
 * so any node may sweep and a redelivered timer event is harmless.
 *
 * This module imports nothing of ours but other contracts.
 */
import type { EscalationReason, SalesEscalateV1 } from "./events";

export const EscalationStates = {
	Queued: "queued",
	Offered: "offered",
	Active: "active",
	Resolved: "resolved"
} as const;
export type EscalationState = (typeof EscalationStates)[keyof typeof EscalationStates];
/** Sub-states of `active`: the assigned seller has at least one socket, or none (grace running). */
export const ActiveStates = { Online: "online", Away: "away" } as const;
export type ActiveState = (typeof ActiveStates)[keyof typeof ActiveStates];

export const DEFAULT_ESCALATION_SLA_MS = 120_000;
export const DEFAULT_SELLER_GRACE_MS = 60_000;
/** How long one seller has to answer an offer before it goes back to the queue. */
export const DEFAULT_OFFER_TTL_MS = 30_000;
export const MIN_ESCALATION_PRIORITY = 0;
export const MAX_ESCALATION_PRIORITY = 10;
/** Sellers remembered as having declined (or let expire) an offer; oldest forgotten first. */
export const DECLINED_LIMIT = 32;
export const TRANSFER_NOTE_MAX = 2048;

export type Resolution = "ai" | "closed";

/** Why an escalation is (back) in its brand's queue. */
export type QueueCause = "created" | "declined" | "offer_expired" | "seller_offline" | "transferred";

export interface EscalationOffer {
	sellerId: string;
	offeredAt: number;
	/** Absolute time (ms) at which the offer lapses unless accepted or declined. */
	expiresAt: number;
}

export interface TransferNote {
	fromSellerId: string;
	fromBrand: string;
	toSellerId?: string;
	toBrand?: string;
	note: string;
	at: number;
}

export interface ReleaseNote {
	sellerId: string;
	cause: Extract<QueueCause, "seller_offline" | "transferred">;
	at: number;
}

/** What `store.sales.escalate` carries, plus what the sales assistant decides when it queues it. */
export interface EscalationInput extends Pick<SalesEscalateV1, "conversationId" | "brand" | "waId" | "customerName" | "reason" | "detail" | "lang"> {
	escalationId: string;
	/** 0 normal; higher is more urgent (capped at MAX_ESCALATION_PRIORITY). */
	priority?: number;
	/** When the escalation was raised (ms): starts its age and its SLA. */
	createdAt: number;
	slaMs?: number;
	offerTtlMs?: number;
	graceMs?: number;
}

export interface EscalationContext {
	escalationId: string;
	conversationId: string;
	brand: string;
	waId: string;
	customerName: string | null;
	/** The customer's language, for what the customer reads from our side; absent in records from before. */
	lang?: string | null;
	reason: EscalationReason;
	detail: string | null;
	priority: number;
	/** Age for queue ordering: a requeued escalation keeps its seniority. */
	createdAt: number;
	/** When it last started waiting for a seller (created or requeued): the SLA counts from here. */
	waitingSince: number;
	/** Time of the last event that changed it. */
	updatedAt: number;
	slaMs: number;
	offerTtlMs: number;
	graceMs: number;
	/** null once a seller has it; re-armed when it waits again. */
	slaDeadline: number | null;
	slaBreaches: number;
	offer: EscalationOffer | null;
	sellerId: string | null;
	sellerName: string | null;
	acceptedAt: number | null;
	/** Set while the assigned seller has no socket: past it, the escalation goes back to the queue. */
	graceDeadline: number | null;
	/** Sellers not to offer to again (declined or let the offer lapse); cleared on an SLA breach. */
	declinedBy: string[];
	transfers: TransferNote[];
	/**
	 * The last seller who lost it back to waiting, and why (their grace ran out, or they transferred
	 * it): how their console tells them, once back, what became of it. Absent until it happens, and in
	 * records from before (an optional field old code ignores, so v1 stays v1).
	 */
	released?: ReleaseNote | null;
	resolution: Resolution | null;
	resolvedAt: number | null;
	resolutionNote: string | null;
}

// ---- events (SCREAMING_SNAKE), every one stamped with the host's clock --------------------------

export const EscalationEventTypes = {
	Offer: "OFFER",
	Accept: "ACCEPT",
	Decline: "DECLINE",
	OfferExpired: "OFFER_EXPIRED",
	SlaBreached: "SLA_BREACHED",
	SellerDisconnected: "SELLER_DISCONNECTED",
	SellerReconnected: "SELLER_RECONNECTED",
	GraceExpired: "GRACE_EXPIRED",
	Transfer: "TRANSFER",
	Resolve: "RESOLVE",
	Cancel: "CANCEL"
} as const;

/** Offer the escalation to one seller (the host chose them: of the brand, available, with room). */
export interface OfferEvent { type: "OFFER"; sellerId: string; at: number }
/**
 * A seller takes it: the offered seller accepting, any seller of the brand taking it from the
 * queue, or an operator assigning it (`by`). The host checks brand and capacity before sending;
 * in `active` the event is ignored, which is how exactly one of two racing sellers wins.
 */
export interface AcceptEvent { type: "ACCEPT"; sellerId: string; sellerName?: string; by?: string; at: number }
export interface DeclineEvent { type: "DECLINE"; sellerId: string; at: number }
export interface OfferExpiredEvent { type: "OFFER_EXPIRED"; at: number }
export interface SlaBreachedEvent { type: "SLA_BREACHED"; at: number }
/** The assigned seller's last socket closed. */
export interface SellerDisconnectedEvent { type: "SELLER_DISCONNECTED"; sellerId: string; at: number }
export interface SellerReconnectedEvent { type: "SELLER_RECONNECTED"; sellerId: string; at: number }
export interface GraceExpiredEvent { type: "GRACE_EXPIRED"; at: number }
/** Hand it to another seller (who gets an offer) or another brand (its queue), with a note. */
export interface TransferEvent {
	type: "TRANSFER";
	sellerId: string;
	toSellerId?: string;
	toBrand?: string;
	note: string;
	at: number;
}
export interface ResolveEvent { type: "RESOLVE"; sellerId: string; to: Resolution; note?: string; at: number }
/** Withdrawn before any seller took it (the customer moved on, or an operator): back to the AI. */
export interface CancelEvent { type: "CANCEL"; note?: string; at: number }

export type EscalationEvent =
	| OfferEvent
	| AcceptEvent
	| DeclineEvent
	| OfferExpiredEvent
	| SlaBreachedEvent
	| SellerDisconnectedEvent
	| SellerReconnectedEvent
	| GraceExpiredEvent
	| TransferEvent
	| ResolveEvent
	| CancelEvent;
export type EscalationEventType = EscalationEvent["type"];

/** The three deadlines a sweeper fires, and the event each one becomes. */
export type TimerEventType = "OFFER_EXPIRED" | "SLA_BREACHED" | "GRACE_EXPIRED";
export interface EscalationDeadline {
	type: TimerEventType;
	at: number;
}

// ---- requests the machine emits to its host ----------------------------------------------------

export const EscalationEmittedTypes = {
	Queued: "escalation.queued",
	Offered: "escalation.offered",
	Assigned: "escalation.assigned",
	SlaBreached: "escalation.slaBreached",
	SellerAway: "escalation.sellerAway",
	SellerBack: "escalation.sellerBack",
	Transferred: "escalation.transferred",
	Resolved: "escalation.resolved"
} as const;

interface EmittedBase {
	escalationId: string;
	conversationId: string;
	brand: string;
	at: number;
}
/** Choose a seller to offer it to (and tell the brand's sellers it is in the queue). */
export interface QueuedEmitted extends EmittedBase { type: "escalation.queued"; priority: number; cause: QueueCause }
export interface OfferedEmitted extends EmittedBase {
	type: "escalation.offered";
	sellerId: string;
	expiresAt: number;
	transfer?: TransferNote;
}
/** Publish `store.sales.escalation.assigned`; the conversation goes to human mode. */
export interface AssignedEmitted extends EmittedBase {
	type: "escalation.assigned";
	sellerId: string;
	sellerName?: string;
	by?: string;
	/** Time from waiting to accepted (for insights). */
	waitedMs: number;
	/** The seller whose offer was pre-empted by someone taking it from the queue. */
	preemptedOfferTo?: string;
}
/** Publish `store.sales.sla.breached`. */
export interface SlaBreachedEmitted extends EmittedBase { type: "escalation.slaBreached"; waitedMs: number; priority: number }
export interface SellerAwayEmitted extends EmittedBase { type: "escalation.sellerAway"; sellerId: string; graceDeadline: number }
export interface SellerBackEmitted extends EmittedBase { type: "escalation.sellerBack"; sellerId: string }
export interface TransferredEmitted extends EmittedBase { type: "escalation.transferred"; transfer: TransferNote }
/** Publish `store.sales.escalation.resolved`; `to: ai` hands the conversation back. */
export interface ResolvedEmitted extends EmittedBase {
	type: "escalation.resolved";
	sellerId?: string;
	to: Resolution;
	note?: string;
	/** From accepted to resolved; absent when nobody took it. */
	handledMs?: number;
}

export type EscalationEmitted =
	| QueuedEmitted
	| OfferedEmitted
	| AssignedEmitted
	| SlaBreachedEmitted
	| SellerAwayEmitted
	| SellerBackEmitted
	| TransferredEmitted
	| ResolvedEmitted;

// ---- persistence -------------------------------------------------------------------------------

/** Bump on a breaking change of states or context, and add a migration from the previous one. */
export const ESCALATION_SNAPSHOT_VERSION = 1;
export interface PersistedEscalation {
	version: number;
	snapshot: unknown;
}
