/**
 * Our error classes. Client errors (4xx) are the caller's fault and are never retried; retryable
 * errors are ours or a third party's and may succeed later. Each has a numeric `code`, an
 * UPPER_SNAKE `type` and JSON-safe `data`; the original error, when there is one, stays in `cause`.
 */
import { Errors } from "moleculer";

export const ErrorTypes = {
	NotFound: "NOT_FOUND",
	Forbidden: "FORBIDDEN",
	Invalid: "INVALID_REQUEST",
	Conflict: "CONFLICT",
	EventContract: "EVENT_CONTRACT_VIOLATION",
	DeadLetterNotFound: "DEAD_LETTER_NOT_FOUND",
	Unavailable: "SERVICE_UNAVAILABLE",
	ThirdParty: "THIRD_PARTY_FAILURE",
	ProductNotFound: "PRODUCT_NOT_FOUND",
	OutOfStock: "OUT_OF_STOCK",
	UnknownSize: "UNKNOWN_SIZE",
	UnknownColour: "UNKNOWN_COLOUR",
	PromoNotApplicable: "PROMO_NOT_APPLICABLE",
	BrandMismatch: "BRAND_MISMATCH",
	OrderNotFound: "ORDER_NOT_FOUND",
	InvalidTransition: "INVALID_TRANSITION",
	InvalidSignature: "INVALID_SIGNATURE"
} as const;
export type ErrorType = (typeof ErrorTypes)[keyof typeof ErrorTypes];

type Data = Record<string, unknown> | undefined;

export class StoreClientError extends Errors.MoleculerClientError {
	constructor(message: string, code: number, type: ErrorType | string, data?: Data, cause?: unknown) {
		super(message, code, type, data);
		if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
	}
}

export class StoreRetryableError extends Errors.MoleculerRetryableError {
	constructor(message: string, code: number, type: ErrorType | string, data?: Data, cause?: unknown) {
		super(message, code, type, data);
		if (cause !== undefined) (this as { cause?: unknown }).cause = cause;
	}
}

export class NotFoundError extends StoreClientError {
	constructor(what: string, data?: Data, type: string = ErrorTypes.NotFound) {
		super(`${what} not found`, 404, type, data);
	}
}

export class ForbiddenError extends StoreClientError {
	constructor(message: string, data?: Data) {
		super(message, 403, ErrorTypes.Forbidden, data);
	}
}

export class UnavailableError extends StoreRetryableError {
	constructor(message: string, data?: Data, cause?: unknown) {
		super(message, 503, ErrorTypes.Unavailable, data, cause);
	}
}
