/**
 * A durable index of conversation deadlines (today: `deadlines.idleAt`), so that a sweeper on any
 * node, after any restart, finds the conversations whose deadline passed without scanning them all.
 * The orders service lists its payment deadlines in one too, under keys of its own.
 *
 * Time is cut into buckets of `bucketMs`; a conversation id is appended to the list of the bucket
 * its deadline falls in (a past deadline goes to the current one). A cursor (the oldest bucket not
 * yet swept) lives in the store too, so a node that starts after a week of downtime sweeps the whole
 * week, bucket by bucket. A sweep visits every bucket that has begun and fires each entry that is
 * due, so the bucket size bounds the work per sweep, not the latency (that is the sweep period).
 * Every node must use the same bucket size: it is a constant, not configuration.
 *
 * An entry is a hint, not the truth: a conversation whose deadline moved (a new message) is still
 * listed in its old bucket, and the sweeper checks the stored record before firing; the machine
 * ignores an IDLE_TIMEOUT that is early anyway (`isIdleDue`). Entries are added BEFORE the record's
 * compare-and-set, so a crash between the two leaves a stale hint rather than a deadline nobody
 * knows about.
 *
 * A bucket is deleted only once it ended `bucketMs` ago, and an entry is never added to a bucket
 * that began before the current one, so a slow writer would need to stall for a whole bucket to
 * write into a deleted one.
 */
import type { BatchOp, Store } from "../../adapters/store/store";

export const DEADLINE_BUCKET_MS = 60_000;
/** Buckets one sweep walks at most: after a long outage the next sweeps continue. */
export const SWEEP_MAX_BUCKETS = 1000;

export const dueBucketKey = (brand: string, bucket: number) => `conv:due:${brand}:${bucket}`;
export const dueCursorKey = (brand: string) => `conv:due:cursor:${brand}`;
export const sweepLockKey = (brand: string) => `conv:sweep:${brand}`;

/** Where an index keeps its buckets and its cursor: the same scheme serves other deadlines (orders' payment). */
export interface DeadlineKeys {
	bucket(bucket: number): string;
	cursor: string;
}

export class DeadlineIndex {
	private readonly keys: DeadlineKeys;

	/** `scope`: a brand (its conversations' keys), or keys of another index. */
	constructor(
		private readonly store: Store,
		scope: string | DeadlineKeys,
		private readonly bucketMs: number,
		private readonly now: () => number = Date.now
	) {
		this.keys = typeof scope === "string" ? { bucket: bucket => dueBucketKey(scope, bucket), cursor: dueCursorKey(scope) } : scope;
	}

	private bucketOf(at: number): number {
		return Math.floor(at / this.bucketMs);
	}

	/** Lists `conversationId` under the bucket of `at` (a past `at` goes to the current bucket). */
	async add(conversationId: string, at: number): Promise<void> {
		await this.store.batch(this.addOps(conversationId, at));
	}

	/** The store steps of `add`, for a caller that writes them with its own (every turn lists its deadline). */
	addOps(conversationId: string, at: number): BatchOp[] {
		const current = this.bucketOf(this.now());
		return [
			{ op: "setIfAbsent", key: this.keys.cursor, value: current },
			{ op: "append", key: this.keys.bucket(Math.max(this.bucketOf(at), current)), value: conversationId }
		];
	}

	/**
	 * Walks the buckets that have begun, oldest first, and calls `fire` once per listed id (the
	 * caller checks whether it is really due). A bucket is dropped once it is safely over; a `failed`
	 * fire (the conversation was busy, the store hiccupped) re-lists the id in the current bucket. The
	 * caller holds the sweep lock.
	 */
	async sweep(fire: (conversationId: string) => Promise<"fired" | "not-due" | "failed">): Promise<{ buckets: number; fired: number }> {
		const now = this.now();
		let cursor = await this.store.get<number>(this.keys.cursor);
		if (cursor === null) return { buckets: 0, fired: 0 };
		let buckets = 0;
		let fired = 0;
		// Every begun bucket is visited; only a run of safely-over ones from the cursor is dropped.
		let dropping = true;
		for (let bucket = cursor; bucket * this.bucketMs <= now && buckets < SWEEP_MAX_BUCKETS; bucket++) {
			const key = this.keys.bucket(bucket);
			const ids = [...new Set(await this.store.range<string>(key, 0, -1))];
			for (const id of ids) {
				const outcome = await fire(id);
				if (outcome === "fired") fired++;
				else if (outcome === "failed") await this.add(id, now);
			}
			buckets++;
			if (dropping && (bucket + 2) * this.bucketMs <= now) {
				await this.store.del(key);
				cursor = bucket + 1;
				await this.store.set(this.keys.cursor, cursor);
			} else dropping = false;
		}
		return { buckets, fired };
	}
}
