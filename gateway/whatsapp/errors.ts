/**
 * WhatsApp gateway errors. Client errors (4xx) are dead-lettered at once by the durable channels;
 * retryable ones are retried there with backoff.
 */
import { StoreClientError, StoreRetryableError } from "../../contracts/errors";

export const WhatsappErrorTypes = {
	NotWhatsapp: "NOT_A_WHATSAPP_PAYLOAD",
	BadSignature: "INVALID_SIGNATURE",
	TooLarge: "PAYLOAD_TOO_LARGE",
	Invalid: "WHATSAPP_MESSAGE_INVALID",
	UnknownBrand: "UNKNOWN_BRAND",
	Rejected: "WHATSAPP_REJECTED",
	TokenExpired: "WHATSAPP_TOKEN_EXPIRED",
	Throttled: "WHATSAPP_RETRY_LATER",
	InProgress: "WHATSAPP_IN_PROGRESS",
	Stopping: "WHATSAPP_STOPPING",
	OutcomeUnknown: "WHATSAPP_OUTCOME_UNKNOWN",
	SandboxOnly: "SANDBOX_ONLY",
	LiveOnly: "LIVE_ONLY"
} as const;

type Data = Record<string, unknown> | undefined;

export class WhatsappClientError extends StoreClientError {
	constructor(message: string, code: number, type: string, data?: Data, cause?: unknown) {
		super(message, code, type, data, cause);
	}
}

export class WhatsappRetryableError extends StoreRetryableError {
	constructor(message: string, type: string = WhatsappErrorTypes.Throttled, data?: Data, cause?: unknown) {
		super(message, 503, type, data, cause);
	}
}
