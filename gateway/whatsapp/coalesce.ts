/**
 * Merges the store batches that concurrent webhook deliveries issue in one turn of the event loop
 * into a single `Store.batch`. Under load most of a webhook's cost is system calls: one command
 * for many deliveries writes once and reads once. Alone, a delivery waits only for the end of the
 * current turn (`setImmediate`).
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

export class BatchCoalescer {
	private queue: Call[] = [];
	private scheduled = false;

	constructor(private readonly store: Store) {}

	run(ops: BatchOp[]): Promise<unknown[]> {
		if (!ops.length) return Promise.resolve([]);
		return new Promise((resolve, reject) => {
			this.queue.push({ ops, resolve, reject });
			if (this.scheduled) return;
			this.scheduled = true;
			setImmediate(() => this.flush());
		});
	}

	private flush(): void {
		const calls = this.queue;
		this.queue = [];
		this.scheduled = false;
		const all = calls.length === 1 ? calls[0].ops : calls.flatMap(c => c.ops);
		let done: Promise<unknown[]>;
		try {
			done = this.store.batch(all);
		} catch (err) {
			done = Promise.reject(err);
		}
		done.then(
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
