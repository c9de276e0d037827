/**
 * Graph API client for the Cloud API (SPEC §4): send a message, fetch media. Errors are classified
 * by Meta's `code` (SPEC §4.4: never by HTTP status or title), so the service can decide between
 * retrying, falling back to a template and dead-lettering.
 *
 * Over node:http(s) with keep-alive agents of our own rather than the global `fetch`: every reply
 * leaves through here, and fetch's WHATWG layers (Request, Headers, web streams) cost about three
 * times the CPU per call. Not over the undici package: importing it installs its Agent as the
 * process's global dispatcher, so every other `fetch` in the process (the OpenAI SDK's among them)
 * would run on another undici version than Node's own.
 */
import http from "node:http";
import https from "node:https";

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

type Reply = { status: number; body: Buffer; contentType: string | null };

export class GraphClient {
	private readonly timeoutMs: number;
	// Node's default keep-alive: sockets the server closed while idle are dropped, not reused for a POST.
	private readonly agents = { "http:": new http.Agent({ keepAlive: true }), "https:": new https.Agent({ keepAlive: true }) };

	constructor(private readonly opts: GraphClientOptions) {
		this.timeoutMs = opts.timeoutMs ?? GRAPH_TIMEOUT_MS;
	}

	async sendMessage(phoneNumberId: string, body: Record<string, unknown>): Promise<SendResponse> {
		const res = await this.request(`${this.opts.baseUrl}/${encodeURIComponent(phoneNumberId)}/messages`, "POST", JSON.stringify(body));
		const json = this.json(res) as { messages?: { id?: string; message_status?: string }[]; success?: boolean };
		const m = json.messages?.[0];
		return { ...(m?.id ? { messageId: m.id } : {}), ...(m?.message_status ? { messageStatus: m.message_status } : {}) };
	}

	/** Step 1 of a media download: a short-lived URL for the media id (SPEC §4.6). */
	async mediaInfo(mediaId: string, phoneNumberId?: string): Promise<MediaInfo> {
		const q = phoneNumberId ? `?phone_number_id=${encodeURIComponent(phoneNumberId)}` : "";
		const res = await this.request(`${this.opts.baseUrl}/${encodeURIComponent(mediaId)}${q}`, "GET");
		const j = this.json(res) as { url?: string; mime_type?: string; sha256?: string; file_size?: number };
		if (!j.url) throw new GraphError("Media info has no url", undefined, res.status);
		return { url: j.url, ...(j.mime_type ? { mimeType: j.mime_type } : {}), ...(j.sha256 ? { sha256: j.sha256 } : {}), ...(j.file_size !== undefined ? { fileSize: Number(j.file_size) } : {}) };
	}

	/** Step 2: the bytes, with the same bearer token (the URL alone is refused). */
	async download(url: string): Promise<{ data: Buffer; mimeType: string | null }> {
		const res = await this.request(url, "GET");
		if (res.status < 200 || res.status >= 300) this.json(res);
		return { data: res.body, mimeType: res.contentType };
	}

	async close(): Promise<void> {
		for (const agent of Object.values(this.agents)) agent.destroy();
	}

	/**
	 * One call, answered in full within `timeoutMs`. No answer, a cut-off body or a timeout is a
	 * network failure (status 0), as retryable as an unreachable server.
	 */
	private request(url: string, method: "GET" | "POST", body?: string): Promise<Reply> {
		return new Promise((resolve, reject) => {
			let target: URL;
			try {
				target = new URL(url);
			} catch {
				return reject(new GraphError(`Graph API URL is not valid: ${url}`, undefined, 0));
			}
			const agent = this.agents[target.protocol as keyof typeof this.agents];
			if (!agent) return reject(new GraphError(`Graph API URL must be http or https: ${target.protocol}`, undefined, 0));
			const payload = body === undefined ? undefined : Buffer.from(body);
			let settled = false;
			const fail = (message: string) => {
				if (settled) return;
				settled = true;
				clearTimeout(timer);
				req.destroy();
				reject(new GraphError(message, undefined, 0));
			};
			const req = (target.protocol === "https:" ? https : http).request(target, {
				method,
				agent,
				headers: {
					authorization: `Bearer ${this.opts.token}`,
					...(payload ? { "content-type": "application/json", "content-length": payload.length } : {})
				}
			});
			const timer = setTimeout(() => fail(`Graph API did not answer within ${this.timeoutMs} ms`), this.timeoutMs);
			req.on("error", err => fail(`Graph API unreachable: ${err.message}`));
			req.on("response", res => {
				const chunks: Buffer[] = [];
				res.on("data", (c: Buffer) => chunks.push(c));
				res.on("aborted", () => fail("Graph API answer cut off"));
				res.on("close", () => {
					if (!res.complete) fail("Graph API answer cut off");
				});
				res.on("error", err => fail(`Graph API answer unreadable: ${err.message}`));
				res.on("end", () => {
					if (settled) return;
					// A body shorter than its declared length ended with the connection, not with the answer.
					if (!res.complete) return fail("Graph API answer cut off");
					settled = true;
					clearTimeout(timer);
					resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), contentType: header(res.headers["content-type"]) });
				});
			});
			req.end(payload);
		});
	}

	/** The JSON body of a success, or a `GraphError` from an error body (`{ error: { code, ... } }`). */
	private json(res: Reply): unknown {
		let body: unknown;
		try {
			const text = res.body.toString("utf8");
			body = text ? JSON.parse(text) : {};
		} catch {
			body = undefined;
		}
		const ok = res.status >= 200 && res.status < 300;
		if (ok && body !== undefined) return body;
		const e = (body as { error?: { message?: string; code?: number; error_data?: { details?: string } } } | undefined)?.error;
		const code = typeof e?.code === "number" ? e.code : undefined;
		throw new GraphError(
			e?.message ?? `Graph API answered HTTP ${res.status}${ok ? " with a body that is not JSON" : ""}`,
			code,
			res.status,
			e?.error_data?.details
		);
	}
}

const header = (v: string | string[] | undefined): string | null => (Array.isArray(v) ? (v[0] ?? null) : (v ?? null));
