/**
 * One seller socket: what it may send (rate limit), what it is sent (push frames wait until its
 * `welcome` has gone, so the page never sees an update before the state it updates), and the
 * bound on what it may owe us (a socket that does not read is closed, memory does not grow).
 */
import type { ServerFrame } from "../../contracts/console";
import { ConsoleCloseCodes } from "../../contracts/console";
import type { SellerSocket } from "./registry";
import { TokenBucket } from "./rate-limiter";

/** The part of a `ws` WebSocket a connection uses (a test double implements the same). */
export interface SocketLike {
	readonly readyState: number;
	readonly bufferedAmount: number;
	send(data: string): void;
	close(code?: number, reason?: string): void;
	terminate(): void;
	ping(): void;
}

const OPEN = 1;
/** Push frames held before `welcome`; a seller this far behind reconnects and gets a fresh welcome. */
export const PENDING_MAX = 1000;

export interface ConnectionOptions {
	ratePerSecond: number;
	rateBurst: number;
	maxBufferedBytes: number;
	now?: () => number;
	/** Told when the connection gives up on a slow or stuck peer. */
	onShed?(reason: string): void;
}

let nextId = 0;

export class Connection implements SellerSocket {
	readonly id = ++nextId;
	/** False from each heartbeat ping until the peer's pong. */
	alive = true;
	readonly bucket: TokenBucket;
	private ready = false;
	private pending: string[] = [];
	private shed = false;
	/** Frames of this socket run one after another, so a seller's messages keep their order. */
	private chain: Promise<void> = Promise.resolve();

	constructor(
		readonly ws: SocketLike,
		readonly sellerId: string,
		readonly brands: readonly string[],
		private readonly opts: ConnectionOptions
	) {
		this.bucket = new TokenBucket(opts.ratePerSecond, opts.rateBurst, opts.now);
	}

	get isReady(): boolean {
		return this.ready;
	}

	/** Sends now (answers to the seller's own frames, `welcome`). */
	send(frame: ServerFrame): void {
		this.write(JSON.stringify(frame));
	}

	/** Delivers a pushed frame, already serialized once for every socket it goes to. */
	deliver(text: string): void {
		if (this.ready) return this.write(text);
		if (this.pending.length >= PENDING_MAX) return this.giveUp("too many frames before welcome");
		this.pending.push(text);
	}

	/** Sends `welcome`, then what was pushed while it was being built. */
	welcome(frame: ServerFrame): void {
		this.send(frame);
		this.ready = true;
		const held = this.pending;
		this.pending = [];
		for (const text of held) this.write(text);
	}

	enqueue(work: () => Promise<void>): Promise<void> {
		const run = this.chain.then(work);
		this.chain = run.catch(() => undefined);
		return run;
	}

	private write(text: string): void {
		if (this.shed || this.ws.readyState !== OPEN) return;
		if (this.ws.bufferedAmount > this.opts.maxBufferedBytes) return this.giveUp("slow consumer");
		this.ws.send(text);
	}

	/**
	 * A peer that does not read would make us buffer without bound. The close frame would wait
	 * behind that same buffer, so the socket is cut; the page reconnects and resumes.
	 */
	private giveUp(reason: string): void {
		if (this.shed) return;
		this.shed = true;
		this.pending = [];
		this.opts.onShed?.(reason);
		try {
			this.ws.close(ConsoleCloseCodes.SlowConsumer, reason);
		} finally {
			this.ws.terminate();
		}
	}
}
