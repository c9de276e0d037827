/**
 * Which sales-assistant action answers a seller's frame, and how an action's error becomes an
 * `error` frame. Pure: the connection does the calling.
 *
 * The seller's id always comes from the authenticated socket, never from the frame, so a frame
 * cannot act as someone else.
 */
import { ConsoleErrorCodes, type ClientFrame, type ConsoleErrorCode, type ErrorFrame } from "../../contracts/console";
import { SALES_ASSISTANT_ERRORS } from "../../contracts/sales-assistant";
import { ServiceNames } from "../../contracts/services";

export interface ActionCall {
	action: string;
	params: Record<string, unknown>;
}

const action = (name: string): string => `${ServiceNames.SalesAssistant}.${name}`;

export const SalesAssistantActions = {
	Session: action("session"),
	Team: action("team"),
	Pause: action("pause"),
	History: action("history"),
	Lost: action("lost"),
	Presence: action("presence"),
	Accept: action("accept"),
	Decline: action("decline"),
	Reply: action("reply"),
	Resolve: action("resolve"),
	Transfer: action("transfer"),
	Approve: action("approve")
} as const;

/** The action for a frame that maps to exactly one call; null for `ping` and `resume`, which the connection answers itself. */
export function actionFor(frame: ClientFrame, sellerId: string): ActionCall | null {
	switch (frame.type) {
		case "accept":
			return { action: SalesAssistantActions.Accept, params: { escalationId: frame.escalationId, sellerId } };
		case "decline":
			return { action: SalesAssistantActions.Decline, params: { escalationId: frame.escalationId, sellerId } };
		case "message":
			return {
				action: SalesAssistantActions.Reply,
				params: { conversationId: frame.conversationId, sellerId, text: frame.text, ...(frame.clientId ? { clientId: frame.clientId } : {}) }
			};
		case "resolve":
			return {
				action: SalesAssistantActions.Resolve,
				params: { conversationId: frame.conversationId, sellerId, to: frame.to, ...(frame.note !== undefined ? { note: frame.note } : {}) }
			};
		case "transfer":
			return {
				action: SalesAssistantActions.Transfer,
				params: {
					conversationId: frame.conversationId,
					sellerId,
					note: frame.note,
					...(frame.toSellerId ? { toSellerId: frame.toSellerId } : {}),
					...(frame.toBrand ? { toBrand: frame.toBrand } : {})
				}
			};
		case "approve":
			return { action: SalesAssistantActions.Approve, params: { conversationId: frame.conversationId, sellerId, actionId: frame.actionId } };
		case "team":
			return { action: SalesAssistantActions.Team, params: { sellerId } };
		case "pause":
			return { action: SalesAssistantActions.Pause, params: { sellerId, paused: frame.paused } };
		case "resume":
		case "ping":
			return null;
	}
}

const PASSED_THROUGH: Record<string, ConsoleErrorCode> = {
	[SALES_ASSISTANT_ERRORS.NotFound]: ConsoleErrorCodes.NotFound,
	[SALES_ASSISTANT_ERRORS.Forbidden]: ConsoleErrorCodes.Forbidden,
	[SALES_ASSISTANT_ERRORS.EscalationTaken]: ConsoleErrorCodes.EscalationTaken,
	[SALES_ASSISTANT_ERRORS.CapacityFull]: ConsoleErrorCodes.CapacityFull,
	[SALES_ASSISTANT_ERRORS.Invalid]: ConsoleErrorCodes.Invalid,
	[SALES_ASSISTANT_ERRORS.SellerOffline]: ConsoleErrorCodes.SellerOffline,
	[SALES_ASSISTANT_ERRORS.ClientIdReused]: ConsoleErrorCodes.ClientIdReused
};

interface ErrorLike {
	type?: unknown;
	code?: unknown;
	message?: unknown;
	name?: unknown;
}

/**
 * A client error of the sales assistant (4xx with a known type) keeps its code and message: it is
 * about what the seller asked. Anything else is ours and becomes INTERNAL with a fixed message,
 * so no stack, node name or store detail reaches the page. `internal` is true for those, so the
 * caller logs them.
 */
export function errorFrameFor(err: unknown, ref?: string): { frame: ErrorFrame; internal: boolean } {
	const e = (err ?? {}) as ErrorLike;
	const type = typeof e.type === "string" ? e.type : "";
	const status = typeof e.code === "number" ? e.code : 0;
	const message = typeof e.message === "string" ? e.message.slice(0, 300) : "";
	const withRef = ref ? { ref } : {};
	const known = PASSED_THROUGH[type];
	if (known && status >= 400 && status < 500)
		return { frame: { type: "error", code: known, message, ...withRef }, internal: false };
	// Moleculer's parameter validation answers 422 VALIDATION_ERROR: the seller's input, not our fault.
	if (status === 422)
		return { frame: { type: "error", code: ConsoleErrorCodes.Invalid, message: message || "invalid request", ...withRef }, internal: false };
	// Retryable (a busy escalation lock, a node gone): nothing happened, the same frame may be sent again.
	if ((err as { retryable?: unknown })?.retryable === true || e.name === "ServiceNotAvailableError" || e.name === "ServiceNotFoundError" || e.name === "RequestTimeoutError")
		return { frame: { type: "error", code: ConsoleErrorCodes.Internal, message: "the sales assistant is unavailable; try again", ...withRef }, internal: true };
	return { frame: { type: "error", code: ConsoleErrorCodes.Internal, message: "internal error", ...withRef }, internal: true };
}
