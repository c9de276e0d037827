/**
 * The seller console protocol (WebSocket `/ws/seller?token=…`, one JSON text frame per message,
 * each with a `type`). PRODUCT.md's "Seller console protocol" section is the binding minimum; the
 * frames below add what the console page needs. Fields may be added (optional), never renamed.
 *
 * Client frames are validated here (fastest-validator): anything a stranger sends is checked
 * before it reaches a service. Unknown fields are stripped, not refused, so an older server keeps
 * working with a newer page.
 *
 * This module imports nothing of ours but other contracts.
 */
import Validator, { type ValidationError as FvError, type ValidationSchema } from "fastest-validator";
import {
	CONSOLE_PUSH_EVENT,
	SALES_NOTE_MAX,
	SELLER_REPLY_MAX,
	type AssistView,
	type ConsolePush,
	type ConversationView,
	type EscalationView,
	type LostConversationView,
	type SellerView,
	type TranscriptMessage
} from "./sales-assistant";

/** The broadcast the sales assistant sends frames through; owned by contracts/sales-assistant.ts. */
export { CONSOLE_PUSH_EVENT, type ConsolePush };

export const CONSOLE_PATH = "/ws/seller";

export const ServerFrameTypes = {
	Welcome: "welcome",
	EscalationNew: "escalation.new",
	EscalationOffered: "escalation.offered",
	EscalationTaken: "escalation.taken",
	EscalationAssigned: "escalation.assigned",
	EscalationUpdated: "escalation.updated",
	EscalationResolved: "escalation.resolved",
	ConversationMessage: "conversation.message",
	Suggestions: "suggestions",
	Ack: "ack",
	Error: "error",
	Pong: "pong"
} as const;
export type ServerFrameType = (typeof ServerFrameTypes)[keyof typeof ServerFrameTypes];

export const ClientFrameTypes = {
	Accept: "accept",
	Decline: "decline",
	Message: "message",
	Resolve: "resolve",
	Transfer: "transfer",
	Approve: "approve",
	Resume: "resume",
	Team: "team",
	Pause: "pause",
	Ping: "ping"
} as const;
export type ClientFrameType = (typeof ClientFrameTypes)[keyof typeof ClientFrameTypes];

export const ConsoleErrorCodes = {
	BadFrame: "BAD_FRAME",
	Forbidden: "FORBIDDEN",
	EscalationTaken: "ESCALATION_TAKEN",
	CapacityFull: "CAPACITY_FULL",
	NotFound: "NOT_FOUND",
	Invalid: "INVALID",
	RateLimited: "RATE_LIMITED",
	Internal: "INTERNAL",
	/** A transfer named a colleague who is not connected to the console. */
	SellerOffline: "SELLER_OFFLINE",
	/** A `message` frame reused a clientId with another text: nothing was sent (the same text again is a retry). */
	ClientIdReused: "CLIENT_ID_REUSED"
} as const;
export type ConsoleErrorCode = (typeof ConsoleErrorCodes)[keyof typeof ConsoleErrorCodes];

/** WebSocket close codes the server uses. */
export const ConsoleCloseCodes = {
	/** The server is stopping: reconnect (to another node). */
	GoingAway: 1001,
	/** A frame over CONSOLE_MAX_FRAME_BYTES (sent by `ws` itself). */
	MessageTooBig: 1009,
	/** The client does not read fast enough: its outgoing buffer passed the bound. */
	SlowConsumer: 4008
} as const;

export const MESSAGE_TEXT_MAX = SELLER_REPLY_MAX;
export const NOTE_MAX = SALES_NOTE_MAX;
export const REF_MAX = 64;
export const ID_MAX = 128;
/** Conversations one `resume` frame may name; a seller holds at most 100 (seller capacity). */
export const RESUME_MAX_CONVERSATIONS = 100;

export type Resolution = "ai" | "closed";
export type ResolvedTo = Resolution | "transferred";

// ---- server → seller ----------------------------------------------------------------------------

export interface WelcomeFrame {
	type: "welcome";
	seller: SellerView;
	queue: EscalationView[];
	conversations: ConversationView[];
	/** The other sellers (names, brands, online, load): whom the page offers as transfer targets. */
	team?: SellerView[];
	serverTime: number;
	heartbeatMs: number;
}
export interface EscalationNewFrame {
	type: "escalation.new";
	escalation: EscalationView;
	/** Copies of the view's fields, at the top as PRODUCT.md lists them. */
	conversationId?: string;
	brand?: string;
	reason?: string;
	summary?: string;
	customer?: EscalationView["customer"];
}
export interface EscalationOfferedFrame {
	type: "escalation.offered";
	escalation: EscalationView;
	expiresAt: number;
}
export interface EscalationTakenFrame {
	type: "escalation.taken";
	escalationId: string;
	conversationId: string;
	sellerId: string;
	sellerName: string | null;
}
export interface EscalationAssignedFrame {
	type: "escalation.assigned";
	conversation: ConversationView;
}
export interface EscalationUpdatedFrame {
	type: "escalation.updated";
	escalation: EscalationView;
}
export interface EscalationResolvedFrame {
	type: "escalation.resolved";
	escalationId: string;
	conversationId: string;
	to: ResolvedTo;
}
/** A transcript line as it happens; `system` with `internal` is a note for the team (a message WhatsApp did not deliver). */
export interface ConversationMessageFrame extends TranscriptMessage {
	type: "conversation.message";
	conversationId: string;
}
/** Suggested replies and actions, with the customer's cart as it is now. */
export interface SuggestionsFrame extends AssistView {
	type: "suggestions";
}
export interface AckFrame {
	type: "ack";
	ref: string;
	result?: unknown;
}
export interface ErrorFrame {
	type: "error";
	code: ConsoleErrorCode | string;
	message: string;
	ref?: string;
}
/** The answer to a `ping` frame (its `ref` echoed when it had one). */
export interface PongFrame {
	type: "pong";
	at: number;
	ref?: string;
}

export type ServerFrame =
	| WelcomeFrame
	| EscalationNewFrame
	| EscalationOfferedFrame
	| EscalationTakenFrame
	| EscalationAssignedFrame
	| EscalationUpdatedFrame
	| EscalationResolvedFrame
	| ConversationMessageFrame
	| SuggestionsFrame
	| AckFrame
	| ErrorFrame
	| PongFrame;

// ---- seller → server ----------------------------------------------------------------------------

interface Ref {
	/** Echoed in the `ack` or `error` that answers this frame. */
	ref?: string;
}
export interface AcceptFrame extends Ref {
	type: "accept";
	escalationId: string;
}
export interface DeclineFrame extends Ref {
	type: "decline";
	escalationId: string;
}
export interface MessageFrame extends Ref {
	type: "message";
	conversationId: string;
	text: string;
	/**
	 * Idempotency key chosen by the page: a resent frame (same text) does not send the message twice
	 * and is acked with the first one's seq; the same key with another text is CLIENT_ID_REUSED.
	 */
	clientId?: string;
}
export interface ResolveFrame extends Ref {
	type: "resolve";
	conversationId: string;
	to: Resolution;
	note?: string;
}
export interface TransferFrame extends Ref {
	type: "transfer";
	conversationId: string;
	toSellerId?: string;
	toBrand?: string;
	note: string;
}
export interface ApproveFrame extends Ref {
	type: "approve";
	conversationId: string;
	actionId: string;
}
export interface ResumeFrame extends Ref {
	type: "resume";
	/** The last `seq` the page has of each conversation; the server sends what came after. */
	conversations: Record<string, number>;
	/**
	 * The escalation the page knew each conversation by. A conversation no longer the seller's (the
	 * grace ran out while the page was away, a colleague took it, it ended) is then told about in the
	 * ack's `lost`: why, and where it is now.
	 */
	escalations?: Record<string, string>;
}
/** The `ack` of a `resume`. */
export interface ResumeResult {
	/** Messages sent per conversation. */
	sent: Record<string, number>;
	/** Conversations not resumed, with the error code (FORBIDDEN: no longer yours; NOT_FOUND: ended). */
	skipped: Record<string, string>;
	/** Of the skipped ones named in `escalations`: what became of them. */
	lost?: Record<string, LostConversationView>;
}
/** Asks for the team as it is now (who is online, how full); the `ack` carries `SellerView[]`. */
export interface TeamFrame extends Ref {
	type: "team";
}
/** Takes no new customers for now (`paused: true`), or takes them again; the `ack` carries the seller's own `SellerView`. */
export interface PauseFrame extends Ref {
	type: "pause";
	paused: boolean;
}
export interface PingFrame extends Ref {
	type: "ping";
}

export type ClientFrame =
	| AcceptFrame
	| DeclineFrame
	| MessageFrame
	| ResolveFrame
	| TransferFrame
	| ApproveFrame
	| ResumeFrame
	| TeamFrame
	| PauseFrame
	| PingFrame;

const id = { type: "string", min: 1, max: ID_MAX, trim: true } as const;
const ref = { type: "string", min: 1, max: REF_MAX, optional: true } as const;

export const clientFrameSchemas: Record<ClientFrameType, ValidationSchema> = {
	accept: { ref, escalationId: id },
	decline: { ref, escalationId: id },
	message: { ref, conversationId: id, text: { type: "string", min: 1, max: MESSAGE_TEXT_MAX }, clientId: { ...id, optional: true } },
	resolve: { ref, conversationId: id, to: { type: "enum", values: ["ai", "closed"] }, note: { type: "string", max: NOTE_MAX, optional: true } },
	transfer: {
		ref,
		conversationId: id,
		toSellerId: { ...id, optional: true },
		toBrand: { ...id, optional: true },
		note: { type: "string", min: 1, max: NOTE_MAX }
	},
	approve: { ref, conversationId: id, actionId: id },
	resume: {
		ref,
		conversations: {
			type: "record",
			key: { type: "string", min: 1, max: ID_MAX },
			value: { type: "number", integer: true, min: 0 }
		},
		escalations: { type: "record", optional: true, key: { type: "string", min: 1, max: ID_MAX }, value: id }
	},
	team: { ref },
	pause: { ref, paused: { type: "boolean" } },
	ping: { ref }
};

export type ParsedFrame =
	| { ok: true; frame: ClientFrame }
	| { ok: false; code: typeof ConsoleErrorCodes.BadFrame; message: string; ref?: string };

type Check = (value: unknown) => true | FvError[];
const validator = new Validator({ haltOnFirstError: false });
const checks = new Map<string, Check>(
	Object.entries(clientFrameSchemas).map(([type, schema]) => [
		type,
		validator.compile({ $$strict: "remove", type: { type: "equal", value: type }, ...schema }) as Check
	])
);

/** A character someone can read: not whitespace, not a control or format character (zero-width space, joiners). */
const VISIBLE = /[^\s\p{Cc}\p{Cf}]/u;

const bad = (message: string, ref?: string): ParsedFrame => ({ ok: false, code: ConsoleErrorCodes.BadFrame, message, ...(ref ? { ref } : {}) });

/**
 * Parses one text frame. Never throws: a malformed frame yields a BAD_FRAME description (with the
 * frame's `ref` when one could be read) so the connection can answer it and stay open.
 */
export function parseClientFrame(text: string): ParsedFrame {
	let raw: unknown;
	try {
		raw = JSON.parse(text);
	} catch {
		return bad("frame is not valid JSON");
	}
	if (!raw || typeof raw !== "object" || Array.isArray(raw)) return bad("frame must be a JSON object");
	const o = raw as Record<string, unknown>;
	const maybeRef = typeof o.ref === "string" && o.ref.length > 0 && o.ref.length <= REF_MAX ? o.ref : undefined;
	if (typeof o.type !== "string") return bad("frame has no string `type`", maybeRef);
	const check = checks.get(o.type);
	if (!check) return bad(`unknown frame type "${o.type.slice(0, 40)}"`, maybeRef);
	const result = check(o);
	if (result !== true) {
		const fields = result.map(e => `${e.field}: ${e.message ?? e.type}`).slice(0, 5).join("; ");
		return bad(`invalid ${o.type} frame: ${fields}`, maybeRef);
	}
	if (o.type === "transfer" && !o.toSellerId && !o.toBrand) return bad("transfer needs toSellerId or toBrand", maybeRef);
	// Spaces, line breaks and invisible characters alone are no message: WhatsApp would refuse it later.
	if (o.type === "message" && !VISIBLE.test(o.text as string)) return bad("message text has nothing to read", maybeRef);
	if (o.type === "resume" && Object.keys(o.conversations as object).length > RESUME_MAX_CONVERSATIONS)
		return bad(`resume names more than ${RESUME_MAX_CONVERSATIONS} conversations`, maybeRef);
	if (o.type === "resume" && o.escalations && Object.keys(o.escalations as object).length > RESUME_MAX_CONVERSATIONS)
		return bad(`resume names more than ${RESUME_MAX_CONVERSATIONS} escalations`, maybeRef);
	return { ok: true, frame: o as unknown as ClientFrame };
}
