/**
 * Merges the store batches that concurrent webhook deliveries issue in one turn of the event loop
 * into a single `Store.batch`. Under load most of a webhook's cost is system calls: one command
 * for many deliveries writes once and reads once. Alone, a delivery waits only for the end of the
 * current turn (`setImmediate`); the batch is then written at once (`gathered`), not held for
 * another turn by the store's own auto-pipelining.
 *
 * Writes nobody waits for (`later`: the `done` marks written after the 200) ride along with the
 * next batch someone does wait for, so under load they cost no command of their own; when no such
 * batch comes within `lazyMs`, they go alone.
 *
 * Each caller's steps stay together and in order, and `Store.batch` runs atomically, so merging
 * changes nothing a caller can observe except that a failing batch fails every caller merged into
 * it: a store error answers all those deliveries non-200 and Meta retries them.
 */
import type { BatchOp, Store } from "../../adapters/store/store";

interface Call {
	ops: BatchOp[];
	resolve(results: unknown[]): void;
	reject(err: unknown): void;
}

/** How long a lazy write may wait for a batch to ride along with. */
export const LAZY_MS = 20;

export class BatchCoalescer {
	private queue: Call[] = [];
	private scheduled = false;
	private lazyTimer: NodeJS.Timeout | null = null;

	constructor(
		private readonly store: Store,
		private readonly lazyMs = LAZY_MS
	) {}

	run(ops: BatchOp[]): Promise<unknown[]> {
		return this.enqueue(ops, false);
	}

	/** Like `run`, for writes whose caller does not wait: they go with the next `run`, or after `lazyMs`. */
	later(ops: BatchOp[]): Promise<unknown[]> {
		return this.enqueue(ops, true);
	}

	/** Writes whatever waits now (at shutdown, so lazy writes are not left behind). */
	async drain(): Promise<void> {
		await this.flush()?.catch(() => undefined);
	}

	private enqueue(ops: BatchOp[], lazy: boolean): Promise<unknown[]> {
		if (!ops.length) return Promise.resolve([]);
		return new Promise((resolve, reject) => {
			this.queue.push({ ops, resolve, reject });
			if (this.scheduled) return;
			if (!lazy) {
				this.scheduled = true;
				setImmediate(() => this.flush());
			} else if (!this.lazyTimer) {
				this.lazyTimer = setTimeout(() => this.flush(), this.lazyMs);
				this.lazyTimer.unref();
			}
		});
	}

	private flush(): Promise<unknown> | undefined {
		const calls = this.queue;
		this.queue = [];
		this.scheduled = false;
		if (this.lazyTimer) clearTimeout(this.lazyTimer);
		this.lazyTimer = null;
		if (!calls.length) return undefined;
		const all = calls.length === 1 ? calls[0].ops : calls.flatMap(c => c.ops);
		let done: Promise<unknown[]>;
		try {
			done = this.store.batch(all, { gathered: true });
		} catch (err) {
			done = Promise.reject(err);
		}
		return done.then(
			results => {
				let at = 0;
				for (const c of calls) {
					c.resolve(results.slice(at, at + c.ops.length));
					at += c.ops.length;
				}
			},
			err => {
				for (const c of calls) c.reject(err);
			}
		);
	}
}
