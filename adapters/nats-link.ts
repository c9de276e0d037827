/**
 * Whether a NATS connection is up right now, from the client's own status events.
 *
 * Neither Moleculer's NATS transporter (nats 2.x) nor the channels' JetStream adapter follow their
 * connection after the first connect: `transit.connected` and the adapter's `connected` stay true
 * through an outage while the client reconnects underneath, so the readiness probe said ready
 * while every call and publish timed out, and the only trace of the outage was at debug level.
 * A `NatsLink` listens to the client's `disconnect` / `reconnect` / close and logs each change
 * once (the client's reconnect attempts are not logged).
 */
import type { NatsConnection } from "nats";

export type LinkState = "connected" | "disconnected" | "closed";

interface Logger {
	info(...args: unknown[]): void;
	warn(...args: unknown[]): void;
}

export class NatsLink {
	state: LinkState = "connected";
	/** When the link went down (ms since epoch), while it is down. */
	downSince: number | null = null;
	/** Set while the owner closes the connection on purpose: the close is then not an outage. */
	closing = false;
	private client: NatsConnection | null = null;

	constructor(
		private readonly what: string,
		private readonly logger: Logger,
		private readonly onChange?: (state: LinkState) => void
	) {}

	/** Follows `client` from now on (a new client replaces the one followed before). */
	watch(client: NatsConnection | null | undefined): void {
		if (!client || client === this.client) return;
		this.client = client;
		this.closing = false;
		this.set(client.isClosed() ? "closed" : "connected");
		void (async () => {
			for await (const s of client.status()) {
				if (client !== this.client) return;
				if (s.type === "disconnect") this.set("disconnected", String(s.data ?? ""));
				else if (s.type === "reconnect") this.set("connected", String(s.data ?? ""));
			}
		})().catch(() => undefined);
		void client.closed().then(() => {
			if (client === this.client) this.set("closed");
		});
	}

	get connected(): boolean {
		return this.state === "connected";
	}

	/** The reason a readiness probe gives while the link is not up, or null. */
	reason(now = Date.now()): string | null {
		if (this.state === "connected") return null;
		if (this.state === "closed") return `${this.what} connection is closed`;
		const secs = this.downSince === null ? 0 : Math.round((now - this.downSince) / 1000);
		return `${this.what} connection lost ${secs} s ago, reconnecting`;
	}

	private set(state: LinkState, server = ""): void {
		const was = this.state;
		if (state === was) return;
		this.state = state;
		const at = server ? ` (${server})` : "";
		if (state === "disconnected") {
			this.downSince = Date.now();
			this.logger.warn(`${this.what} connection lost${at}; reconnecting`);
		} else if (state === "connected") {
			const secs = this.downSince === null ? 0 : (Date.now() - this.downSince) / 1000;
			this.downSince = null;
			this.logger.info(`${this.what} connection restored${at} after ${secs.toFixed(1)} s`);
		} else {
			this.downSince ??= Date.now();
			if (!this.closing) this.logger.warn(`${this.what} connection closed; it will not reconnect`);
		}
		this.onChange?.(state);
	}
}
