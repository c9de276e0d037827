/**
 * A seller's console as a test sees it: a real `ws` client on `/ws/seller?token=…` that records
 * every frame it receives, waits for frames by predicate (never by sleeping) and correlates its
 * own frames with their `ack`/`error` through `ref`.
 */
import { randomUUID } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import WebSocket from "ws";
import type { ServerFrame, WelcomeFrame } from "../../contracts/console";
import { waitFor } from "./wait";

export type Frame = ServerFrame & Record<string, unknown>;

export interface SellerClientOptions {
	/** false: the client does not answer the server's pings (a dead peer). */
	autoPong?: boolean;
	/** false: resolve on open, before `welcome`. */
	awaitWelcome?: boolean;
	timeoutMs?: number;
}

export class SellerClient {
	readonly frames: Frame[] = [];
	closed: { code: number; reason: string } | null = null;

	constructor(readonly ws: WebSocket) {
		ws.on("message", data => this.frames.push(JSON.parse(String(data)) as Frame));
		ws.on("close", (code, reason) => {
			this.closed = { code, reason: String(reason) };
		});
		ws.on("error", () => undefined);
	}

	get welcome(): WelcomeFrame {
		const w = this.frames.find(f => f.type === "welcome");
		if (!w) throw new Error("no welcome yet");
		return w as unknown as WelcomeFrame;
	}

	get isOpen(): boolean {
		return this.ws.readyState === WebSocket.OPEN;
	}

	of<T extends Frame["type"]>(type: T): Extract<Frame, { type: T }>[] {
		return this.frames.filter(f => f.type === type) as Extract<Frame, { type: T }>[];
	}

	/** The first frame (from `from` on) matching; waits for it. */
	async next(pred: (f: Frame) => boolean, opts: { from?: number; timeoutMs?: number; message?: string } = {}): Promise<Frame> {
		return waitFor(() => this.frames.slice(opts.from ?? 0).find(pred), { timeoutMs: opts.timeoutMs ?? 8000, message: opts.message ?? "console frame" });
	}

	nextOf<T extends Frame["type"]>(type: T, pred: (f: Extract<Frame, { type: T }>) => boolean = () => true, opts: { from?: number; timeoutMs?: number } = {}) {
		return this.next(f => f.type === type && pred(f as Extract<Frame, { type: T }>), { ...opts, message: `a ${type} frame` }) as Promise<Extract<Frame, { type: T }>>;
	}

	send(frame: Record<string, unknown> | string): void {
		this.ws.send(typeof frame === "string" ? frame : JSON.stringify(frame));
	}

	/** Sends a frame with a fresh `ref` and resolves with the `ack`, `error` (or, for a ping, `pong`) answering it. */
	async request(frame: Record<string, unknown>, timeoutMs = 8000): Promise<Frame> {
		const ref = randomUUID().slice(0, 12);
		this.send({ ...frame, ref });
		return this.next(f => (f.type === "ack" || f.type === "error" || f.type === "pong") && f.ref === ref, { timeoutMs, message: `the answer to ${String(frame.type)}` });
	}

	/** Proves the socket is open and served: an application ping gets its pong. */
	async alive(): Promise<boolean> {
		const from = this.frames.length;
		this.send({ type: "ping" });
		await this.next(f => f.type === "pong", { from, message: "pong" });
		return this.isOpen;
	}

	async close(): Promise<void> {
		if (this.ws.readyState === WebSocket.CLOSED) return;
		const done = new Promise<void>(resolve => this.ws.once("close", () => resolve()));
		this.ws.close();
		await done;
	}

	async waitClosed(timeoutMs = 8000): Promise<{ code: number; reason: string }> {
		return waitFor(() => this.closed, { timeoutMs, message: "the socket to close" });
	}
}

export function consoleUrl(httpUrl: string, token: string | null): string {
	const base = httpUrl.replace(/^http/, "ws");
	return token === null ? `${base}/ws/seller` : `${base}/ws/seller?token=${encodeURIComponent(token)}`;
}

export async function connectSeller(httpUrl: string, token: string, opts: SellerClientOptions = {}): Promise<SellerClient> {
	const ws = new WebSocket(consoleUrl(httpUrl, token), { autoPong: opts.autoPong ?? true });
	const client = new SellerClient(ws);
	await new Promise<void>((resolve, reject) => {
		ws.once("open", () => resolve());
		ws.once("unexpected-response", (_req, res) => reject(new Error(`upgrade answered ${res.statusCode}`)));
		ws.once("error", reject);
	});
	if (opts.awaitWelcome !== false) await client.next(f => f.type === "welcome", { timeoutMs: opts.timeoutMs ?? 8000, message: "welcome" });
	return client;
}

/** The HTTP status a refused upgrade answered with. */
export function upgradeStatus(httpUrl: string, token: string | null): Promise<number> {
	return new Promise((resolve, reject) => {
		const ws = new WebSocket(consoleUrl(httpUrl, token));
		ws.once("unexpected-response", (_req, res) => {
			resolve(res.statusCode ?? 0);
			ws.terminate();
		});
		ws.once("open", () => {
			ws.terminate();
			reject(new Error("the upgrade was accepted"));
		});
		ws.on("error", err => reject(err));
	});
}

/** Sellers of the console tests (SELLERS_FILE): zoe alone sells gaming, so her sockets meet no escalation. */
export const SELLERS = [
	{ id: "ana", name: "Ana Torres", token: "test-seller-ana-000001", brands: ["fashion", "beauty"], capacity: 3 },
	{ id: "ben", name: "Ben Okafor", token: "test-seller-ben-000002", brands: ["tech", "gaming"], capacity: 3 },
	{ id: "carla", name: "Carla Mendes", token: "test-seller-carla-0003", brands: ["fashion", "tech"], capacity: 3 },
	{ id: "zoe", name: "Zoe Park", token: "test-seller-zoe-000004", brands: ["gaming"], capacity: 1 }
];

/** Writes `sellers` to a fresh temporary SELLERS_FILE. */
export function sellersFile(sellers = SELLERS): string {
	const file = path.join(mkdtempSync(path.join(os.tmpdir(), "console-sellers-")), "sellers.json");
	writeFileSync(file, JSON.stringify(sellers));
	return file;
}
