/**
 * What an HTTP caller is told when a request fails. A client error (4xx) keeps its message: it is
 * ours and says what to fix. Anything else is answered with a short generic body, never the
 * internal message: a Redis outage answered `MaxRetriesPerRequestError … Refer to
 * "maxRetriesPerRequest" option`, a NATS one `NatsError: TIMEOUT`. An outage (the store, the
 * transporter, the channels, a service that is not reachable: whatever is retryable) is 503, which
 * Meta and the order providers retry; an unexpected error is 500. The real error is logged here,
 * an outage's once per distinct message in a while, so a flood of retries does not flood the log.
 */
import { StoreRetryableError } from "../contracts/errors";

export interface PublicError {
	name: string;
	message: string;
	code: number;
	type: string;
	data?: unknown;
}

export const UNAVAILABLE: PublicError = { name: "ServiceUnavailableError", message: "Temporarily unavailable, retry later", code: 503, type: "SERVICE_UNAVAILABLE" };
export const INTERNAL: PublicError = { name: "InternalError", message: "Internal error", code: 500, type: "INTERNAL_ERROR" };

/** Errors of the clients of Redis and NATS, by name (they carry no status code of their own). */
const OUTAGE_NAMES = new Set(["MaxRetriesPerRequestError", "NatsError", "ChannelUnavailableError", "AbortError"]);
const OUTAGE_MESSAGE = /Connection is closed|Command timed out|ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|Stream isn't writeable|CONNECTION_(CLOSED|DRAINING)|TIMEOUT|DISCONNECT/;
/** An outage message is logged again after this long, not for every request meanwhile. */
const LOG_EVERY_MS = 10_000;

type Err = Partial<Error> & { code?: unknown; type?: unknown; data?: unknown; retryable?: unknown };

export function isOutage(err: Err): boolean {
	if (err.retryable === true) return true;
	if (err.code === 503 || err.code === 504) return true;
	return OUTAGE_NAMES.has(String(err.name)) || OUTAGE_MESSAGE.test(String(err.message ?? ""));
}

export function publicError(err: unknown): { error: PublicError; outage: boolean; client: boolean } {
	const e = (err ?? {}) as Err;
	const code = typeof e.code === "number" ? e.code : undefined;
	if (code !== undefined && code >= 400 && code < 500 && e.retryable !== true)
		return { error: { name: String(e.name), message: String(e.message), code, type: String(e.type ?? ""), data: e.data }, outage: false, client: true };
	if (!isOutage(e)) return { error: INTERNAL, outage: false, client: false };
	// Our own retryable errors are written for the caller ("The gateway is stopping; retry later").
	if (err instanceof StoreRetryableError) return { error: { name: err.name, message: err.message, code: 503, type: String(err.type) }, outage: true, client: false };
	return { error: UNAVAILABLE, outage: true, client: false };
}

interface Logger {
	warn(...args: unknown[]): void;
	error(...args: unknown[]): void;
}

/** Logs a failed request's real error: an outage as one warning per distinct message per 10 s. */
export function errorLogger(logger: Logger, now: () => number = Date.now) {
	const lastLogged = new Map<string, number>();
	return (what: string, err: unknown, outage: boolean): void => {
		const e = (err ?? {}) as Err;
		const text = `${String(e.name ?? "Error")}: ${String(e.message ?? err)}`;
		if (!outage) return logger.error(`${what} failed: ${text}`, err);
		const at = now();
		const last = lastLogged.get(text);
		if (last !== undefined && at - last < LOG_EVERY_MS) return;
		if (lastLogged.size > 100) lastLogged.clear();
		lastLogged.set(text, at);
		logger.warn(`${what} answered 503 (a dependency is unavailable): ${text}`);
	};
}
