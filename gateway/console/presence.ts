/**
 * Reports this node's connected sellers to the sales assistant: soon after every change (a burst
 * of connects and disconnects makes one report) and on an interval, which keeps the node's entry
 * alive there (the sales assistant expires a node that stops reporting).
 *
 * Reports never overlap: a change during a report schedules one more, so the last report sent is
 * always the current map. A failed report is logged and the next one repairs it.
 */
export interface PresenceReporterOptions {
	report(sellers: Record<string, number>): Promise<unknown>;
	snapshot(): Record<string, number>;
	intervalMs: number;
	/** How long to wait after a change for more changes before reporting. */
	coalesceMs?: number;
	onError?(err: unknown): void;
}

export const DEFAULT_PRESENCE_COALESCE_MS = 25;

export class PresenceReporter {
	private interval: NodeJS.Timeout | null = null;
	private pending: NodeJS.Timeout | null = null;
	private running: Promise<void> | null = null;
	private dirty = false;
	private stopped = false;

	constructor(private readonly opts: PresenceReporterOptions) {}

	start(): void {
		this.stopped = false;
		this.interval = setInterval(() => this.flush(), this.opts.intervalMs);
		this.interval.unref();
		this.changed();
	}

	changed(): void {
		if (this.stopped || this.pending) return;
		this.pending = setTimeout(() => {
			this.pending = null;
			this.flush();
		}, this.opts.coalesceMs ?? DEFAULT_PRESENCE_COALESCE_MS);
		this.pending.unref();
	}

	/** Resolves when a report started now (or after the one running) has been answered. */
	flush(): Promise<void> {
		if (this.running) {
			this.dirty = true;
			return this.running;
		}
		this.running = (async () => {
			do {
				this.dirty = false;
				try {
					await this.opts.report(this.opts.snapshot());
				} catch (err) {
					this.opts.onError?.(err);
				}
			} while (this.dirty && !this.stopped);
		})().finally(() => {
			this.running = null;
		});
		return this.running;
	}

	/** Stops the timers and sends one last report of `final` (an empty map when the node leaves). */
	async stop(final: Record<string, number>): Promise<void> {
		this.stopped = true;
		if (this.interval) clearInterval(this.interval);
		if (this.pending) clearTimeout(this.pending);
		this.interval = this.pending = null;
		await this.running;
		try {
			await this.opts.report(final);
		} catch (err) {
			this.opts.onError?.(err);
		}
	}
}
