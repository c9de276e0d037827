/**
 * Graph API client for the Cloud API (SPEC §4): send a message, fetch media. Errors are classified
 * by Meta's `code` (SPEC §4.4: never by HTTP status or title), so the service can decide between
 * retrying, falling back to a template and dead-lettering.
 */

export type GraphErrorKind =
	/** Throttling, server trouble, network: try again later. */
	| "retryable"
	/** 131047: outside the 24-hour window; send a template instead, never retry free-form. */
	| "window"
	/** 0 / 190: the token is invalid or expired; an operator must act. */
	| "auth"
	/** Everything else: a bug, a bad recipient or a policy refusal; retrying cannot help. */
	| "permanent";

const RETRYABLE = new Set([1, 2, 4, 80007, 130429, 131000, 131016, 131056, 131057]);
const AUTH = new Set([0, 190]);

export function classify(code: number | undefined, httpStatus: number): GraphErrorKind {
	if (code !== undefined) {
		if (code === 131047) return "window";
		if (AUTH.has(code)) return "auth";
		if (RETRYABLE.has(code)) return "retryable";
		if (httpStatus >= 500) return "retryable";
		return "permanent";
	}
	return httpStatus >= 500 || httpStatus === 429 || httpStatus === 0 ? "retryable" : "permanent";
}

export class GraphError extends Error {
	readonly kind: GraphErrorKind;
	constructor(
		message: string,
		/** Meta's error code; undefined for network errors and bodies without one. */
		readonly code: number | undefined,
		/** 0 for network errors. */
		readonly httpStatus: number,
		readonly details?: string
	) {
		super(message);
		this.name = "GraphError";
		this.kind = classify(code, httpStatus);
	}
}

/** How long one Graph API call may take before it is abandoned. */
export const GRAPH_TIMEOUT_MS = 10_000;

export interface GraphClientOptions {
	baseUrl: string;
	token: string;
	timeoutMs?: number;
}

export interface SendResponse {
	/** The wamid of the sent message (absent for read receipts and typing indicators). */
	messageId?: string;
	messageStatus?: string;
}

export interface MediaInfo {
	url: string;
	mimeType?: string;
	sha256?: string;
	fileSize?: number;
}

export class GraphClient {
	private readonly timeoutMs: number;

	constructor(private readonly opts: GraphClientOptions) {
		this.timeoutMs = opts.timeoutMs ?? GRAPH_TIMEOUT_MS;
	}

	async sendMessage(phoneNumberId: string, body: Record<string, unknown>): Promise<SendResponse> {
		const res = await this.request(`${this.opts.baseUrl}/${encodeURIComponent(phoneNumberId)}/messages`, {
			method: "POST",
			headers: { "content-type": "application/json" },
			body: JSON.stringify(body)
		});
		const json = (await this.json(res)) as { messages?: { id?: string; message_status?: string }[]; success?: boolean };
		const m = json.messages?.[0];
		return { ...(m?.id ? { messageId: m.id } : {}), ...(m?.message_status ? { messageStatus: m.message_status } : {}) };
	}

	/** Step 1 of a media download: a short-lived URL for the media id (SPEC §4.6). */
	async mediaInfo(mediaId: string, phoneNumberId?: string): Promise<MediaInfo> {
		const q = phoneNumberId ? `?phone_number_id=${encodeURIComponent(phoneNumberId)}` : "";
		const res = await this.request(`${this.opts.baseUrl}/${encodeURIComponent(mediaId)}${q}`, { method: "GET" });
		const j = (await this.json(res)) as { url?: string; mime_type?: string; sha256?: string; file_size?: number };
		if (!j.url) throw new GraphError("Media info has no url", undefined, res.status);
		return { url: j.url, ...(j.mime_type ? { mimeType: j.mime_type } : {}), ...(j.sha256 ? { sha256: j.sha256 } : {}), ...(j.file_size !== undefined ? { fileSize: Number(j.file_size) } : {}) };
	}

	/** Step 2: the bytes, with the same bearer token (the URL alone is refused). */
	async download(url: string): Promise<{ data: Buffer; mimeType: string | null }> {
		const res = await this.request(url, { method: "GET" });
		if (!res.ok) await this.json(res);
		return { data: Buffer.from(await res.arrayBuffer()), mimeType: res.headers.get("content-type") };
	}

	private async request(url: string, init: RequestInit): Promise<Response> {
		try {
			return await fetch(url, {
				...init,
				headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${this.opts.token}` },
				signal: AbortSignal.timeout(this.timeoutMs)
			});
		} catch (err) {
			throw new GraphError(`Graph API unreachable: ${(err as Error).message}`, undefined, 0);
		}
	}

	/** The JSON body of a success, or a `GraphError` from an error body (`{ error: { code, ... } }`). */
	private async json(res: Response): Promise<unknown> {
		const text = await res.text();
		let body: unknown;
		try {
			body = text ? JSON.parse(text) : {};
		} catch {
			body = undefined;
		}
		if (res.ok && body !== undefined) return body;
		const e = (body as { error?: { message?: string; code?: number; error_data?: { details?: string } } } | undefined)?.error;
		const code = typeof e?.code === "number" ? e.code : undefined;
		throw new GraphError(
			e?.message ?? `Graph API answered HTTP ${res.status}${res.ok ? " with a body that is not JSON" : ""}`,
			code,
			res.status,
			e?.error_data?.details
		);
	}
}
