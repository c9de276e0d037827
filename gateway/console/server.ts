/**
 * The seller console's WebSocket server, attached to the `api` service's HTTP server (`upgrade`
 * on `/ws/seller`). It authenticates sellers, turns their frames into sales-assistant calls,
 * delivers `console.push` frames to the sockets they target, reaps dead sockets and reports
 * presence. The sales assistant decides everything about escalations; this layer decides only who
 * a socket is and what reaches it.
 */
import type http from "node:http";
import type { Duplex } from "node:stream";
import type { LoggerInstance } from "moleculer";
import { WebSocketServer, type WebSocket } from "ws";
import type { Config, SellerConfig } from "../../config";
import {
	CONSOLE_PATH,
	ConsoleCloseCodes,
	ConsoleErrorCodes,
	parseClientFrame,
	type ClientFrame,
	type ConsolePush,
	type ResumeFrame,
	type ResumeResult,
	type ServerFrame
} from "../../contracts/console";
import type { HistoryResult, LostConversationView, LostResult, SessionResult } from "../../contracts/sales-assistant";
import { pathOf, sellerForToken, tokenFromUrl } from "./auth";
import { Connection } from "./connection";
import { PresenceReporter } from "./presence";
import { ConnectionRegistry } from "./registry";
import { actionFor, errorFrameFor, SalesAssistantActions } from "./router";

export type ConsoleLimits = Config["console"];

export interface ConsoleServerDeps {
	sellers: readonly SellerConfig[];
	limits: ConsoleLimits;
	nodeId: string;
	call<T = unknown>(action: string, params: Record<string, unknown>): Promise<T>;
	logger: LoggerInstance;
	now?: () => number;
	/** Wait after the 1001 close for peers to answer before cutting them (default 1 s). */
	closeGraceMs?: number;
	/** After start, when to send a fresh `welcome` to the sockets that connected meanwhile (see attach). */
	settleMs?: number;
}

/** Close code when the sales assistant cannot build the `welcome`: the page retries. */
const TRY_AGAIN_LATER = 1013;
/**
 * Moleculer 0.14 tells other nodes about a new node's event listeners about a second after it
 * starts; until then `console.push` broadcasts do not reach it. Sockets that connect in that window
 * (a rolling deploy: every page reconnects at once) get a second `welcome` once it has passed.
 */
export const DEFAULT_SETTLE_MS = 3000;
const STATUS_TEXT: Record<number, string> = { 401: "Unauthorized", 404: "Not Found", 503: "Service Unavailable" };

export class ConsoleServer {
	private readonly wss: WebSocketServer;
	readonly registry = new ConnectionRegistry<Connection>();
	private readonly presence: PresenceReporter;
	private heartbeat: NodeJS.Timeout | null = null;
	private settle: NodeJS.Timeout | null = null;
	private server: http.Server | null = null;
	private stopping = false;
	private presenceFailing = false;
	private readonly now: () => number;

	constructor(private readonly deps: ConsoleServerDeps) {
		this.now = deps.now ?? Date.now;
		this.wss = new WebSocketServer({ noServer: true, maxPayload: deps.limits.maxFrameBytes, clientTracking: false });
		this.presence = new PresenceReporter({
			intervalMs: deps.limits.presenceMs,
			snapshot: () => this.registry.presence(),
			report: async sellers => {
				await deps.call(SalesAssistantActions.Presence, { nodeId: deps.nodeId, sellers });
				if (this.presenceFailing) deps.logger.info("console presence reports reach the sales assistant again");
				this.presenceFailing = false;
			},
			onError: err => {
				if (!this.presenceFailing) deps.logger.warn(`console presence report failed: ${(err as Error)?.message ?? err}`);
				this.presenceFailing = true;
			}
		});
	}

	attach(server: http.Server): void {
		this.server = server;
		server.on("upgrade", this.onUpgrade);
		this.presence.start();
		this.heartbeat = setInterval(() => this.beat(), this.deps.limits.heartbeatMs);
		this.heartbeat.unref();
		this.settle = setTimeout(() => {
			this.settle = null;
			for (const conn of this.registry.all()) {
				const seller = this.deps.sellers.find(s => s.id === conn.sellerId);
				if (seller && conn.isReady) void this.sendWelcome(conn, seller);
			}
		}, this.deps.settleMs ?? DEFAULT_SETTLE_MS);
		this.settle.unref();
	}

	/** Delivers a pushed frame to the sockets it names on this node; a push for nobody here is dropped. */
	push(push: ConsolePush): number {
		if (!push || typeof push !== "object" || !push.frame || typeof push.frame.type !== "string" || !push.to) {
			this.deps.logger.warn("console.push without a frame or a target ignored");
			return 0;
		}
		const targets = this.registry.targets(push.to);
		if (targets.size === 0) return 0;
		const text = JSON.stringify(push.frame);
		for (const conn of targets) conn.deliver(text);
		return targets.size;
	}

	/** Closes every socket with 1001 (the page reconnects elsewhere) and reports this node empty. */
	async stop(): Promise<void> {
		if (this.stopping) return;
		this.stopping = true;
		if (this.heartbeat) clearInterval(this.heartbeat);
		if (this.settle) clearTimeout(this.settle);
		this.server?.off("upgrade", this.onUpgrade);
		const open = this.registry.all();
		const closed = open.map(conn => new Promise<void>(resolve => {
			const ws = conn.ws as WebSocket;
			if (ws.readyState === ws.CLOSED) return resolve();
			ws.once("close", () => resolve());
		}));
		for (const conn of open) conn.ws.close(ConsoleCloseCodes.GoingAway, "server stopping");
		const cut = setTimeout(() => open.forEach(conn => conn.ws.terminate()), this.deps.closeGraceMs ?? 1000);
		await Promise.all(closed);
		clearTimeout(cut);
		await this.presence.stop({});
		await new Promise<void>(resolve => this.wss.close(() => resolve()));
	}

	private readonly onUpgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
		socket.on("error", () => socket.destroy());
		if (pathOf(req.url) !== CONSOLE_PATH) {
			// Another upgrade handler may own this path; with none, answer rather than leave it hanging.
			if (this.server && this.server.listenerCount("upgrade") === 1) reject(socket, 404);
			return;
		}
		const seller = sellerForToken(this.deps.sellers, tokenFromUrl(req.url));
		if (!seller) return reject(socket, 401);
		if (this.stopping) return reject(socket, 503);
		this.wss.handleUpgrade(req, socket, head, ws => this.onConnection(ws, seller));
	};

	private onConnection(ws: WebSocket, seller: SellerConfig): void {
		const { limits, logger } = this.deps;
		const conn = new Connection(ws, seller.id, seller.brands, {
			ratePerSecond: limits.ratePerSecond,
			rateBurst: limits.rateBurst,
			maxBufferedBytes: limits.maxBufferedBytes,
			now: this.now,
			onShed: reason => logger.warn(`console socket of seller ${seller.id} closed: ${reason}`)
		});
		this.registry.add(conn);
		this.presence.changed();
		logger.debug(`console: seller ${seller.id} connected (${this.registry.socketsOf(seller.id).length} socket(s))`);

		ws.on("pong", () => {
			conn.alive = true;
		});
		ws.on("message", (data, isBinary) => this.onMessage(conn, data, isBinary));
		// `ws` reports protocol errors (an oversized frame: 1009) here and then closes the socket.
		ws.on("error", err => logger.debug(`console socket of seller ${seller.id}: ${err.message}`));
		ws.on("close", () => {
			if (this.registry.remove(conn)) this.presence.changed();
		});

		void this.sendWelcome(conn, seller);
	}

	private async sendWelcome(conn: Connection, seller: SellerConfig): Promise<void> {
		try {
			const session = await this.deps.call<SessionResult>(SalesAssistantActions.Session, { sellerId: seller.id });
			conn.welcome({
				type: "welcome",
				seller: session.seller,
				queue: session.queue,
				conversations: session.conversations,
				team: session.team,
				serverTime: this.now(),
				heartbeatMs: this.deps.limits.heartbeatMs
			});
		} catch (err) {
			const { frame } = errorFrameFor(err);
			this.deps.logger.warn(`console: no welcome for seller ${seller.id}: ${(err as Error)?.message ?? err}`);
			conn.send(frame);
			conn.ws.close(TRY_AGAIN_LATER, "session unavailable");
		}
	}

	private onMessage(conn: Connection, data: unknown, isBinary: boolean): void {
		const text = isBinary ? null : Buffer.isBuffer(data) ? data.toString("utf8") : Array.isArray(data) ? Buffer.concat(data).toString("utf8") : Buffer.from(data as ArrayBuffer).toString("utf8");
		const parsed = text === null ? null : parseClientFrame(text);
		const ref = parsed ? (parsed.ok ? parsed.frame.ref : parsed.ref) : undefined;
		if (!conn.bucket.take()) {
			conn.send({ type: "error", code: ConsoleErrorCodes.RateLimited, message: "too many frames; slow down", ...(ref ? { ref } : {}) });
			return;
		}
		if (!parsed) {
			conn.send({ type: "error", code: ConsoleErrorCodes.BadFrame, message: "frames must be JSON text, not binary" });
			return;
		}
		if (!parsed.ok) {
			conn.send({ type: "error", code: parsed.code, message: parsed.message, ...(ref ? { ref } : {}) });
			return;
		}
		const frame = parsed.frame;
		if (frame.type === "ping") {
			conn.send({ type: "pong", at: this.now(), ...(frame.ref ? { ref: frame.ref } : {}) });
			return;
		}
		void conn.enqueue(() => this.handle(conn, frame));
	}

	private async handle(conn: Connection, frame: ClientFrame): Promise<void> {
		try {
			if (frame.type === "resume") {
				const result = await this.resume(conn, frame);
				if (frame.ref) conn.send({ type: "ack", ref: frame.ref, result });
				return;
			}
			const call = actionFor(frame, conn.sellerId);
			if (!call) return;
			const result = await this.deps.call(call.action, call.params);
			if (frame.ref) conn.send({ type: "ack", ref: frame.ref, result });
		} catch (err) {
			const { frame: error, internal } = errorFrameFor(err, frame.ref);
			if (internal) this.deps.logger.error(`console: ${frame.type} of seller ${conn.sellerId} failed: ${(err as Error)?.message ?? err}`);
			conn.send(error);
		}
	}

	/**
	 * Sends, per conversation, the messages after the page's last `seq`, oldest first. A
	 * conversation the seller no longer has (resolved, transferred) is reported in the ack's
	 * `skipped` with the reason, not as an error: the rest of the resume still happens; with its
	 * escalation named, `lost` says what became of it.
	 */
	private async resume(conn: Connection, frame: ResumeFrame): Promise<ResumeResult> {
		const sent: Record<string, number> = {};
		const skipped: Record<string, string> = {};
		for (const [conversationId, lastSeq] of Object.entries(frame.conversations)) {
			try {
				const { messages } = await this.deps.call<HistoryResult>(SalesAssistantActions.History, {
					sellerId: conn.sellerId,
					conversationId,
					afterSeq: lastSeq
				});
				let n = 0;
				for (const m of messages) {
					if (m.seq <= lastSeq || m.from === "system") continue;
					// The history's line as it is: a copy field by field would miss the next field a line gains.
					conn.send({ type: "conversation.message", conversationId, ...m } satisfies ServerFrame);
					n++;
				}
				sent[conversationId] = n;
			} catch (err) {
				const { frame: error, internal } = errorFrameFor(err);
				if (internal) this.deps.logger.error(`console: resume of seller ${conn.sellerId} failed: ${(err as Error)?.message ?? err}`);
				skipped[conversationId] = error.code;
			}
		}
		const asked = Object.entries(frame.escalations ?? {}).filter(([conversationId]) => conversationId in skipped);
		if (!asked.length) return { sent, skipped };
		try {
			const found = await this.deps.call<LostResult>(SalesAssistantActions.Lost, { sellerId: conn.sellerId, escalationIds: asked.map(([, id]) => id) });
			const lost: Record<string, LostConversationView> = {};
			for (const [conversationId, escalationId] of asked) {
				const l = found.find(f => f.escalation.id === escalationId);
				if (l) lost[conversationId] = l;
			}
			return { sent, skipped, lost };
		} catch (err) {
			// The page still knows they are gone (`skipped`); only the why is missing.
			this.deps.logger.warn(`console: what became of seller ${conn.sellerId}'s conversations is unknown: ${(err as Error)?.message ?? err}`);
			return { sent, skipped };
		}
	}

	/** Pings every socket; one that has not answered the previous ping is cut (its close updates presence). */
	private beat(): void {
		for (const conn of this.registry.all()) {
			if (!conn.alive) {
				this.deps.logger.debug(`console: seller ${conn.sellerId} missed a heartbeat; socket terminated`);
				conn.ws.terminate();
				continue;
			}
			conn.alive = false;
			try {
				conn.ws.ping();
			} catch {
				conn.ws.terminate();
			}
		}
	}
}

function reject(socket: Duplex, status: number): void {
	const text = STATUS_TEXT[status] ?? "Error";
	socket.once("finish", () => socket.destroy());
	socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
}
