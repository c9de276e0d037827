/**
 * The dead-letter queue, kept in the Store so every node with the same Redis sees the same
 * entries. An entry keeps the original event untouched and seed 003's error record. Entry ids are
 * derived from (group, event id): a message dead-lettered twice (at-least-once redelivery, two
 * consumers) yields one entry, not two.
 */
import { createHash } from "node:crypto";
import type { Store } from "./store/store";
import { channelEventType, type ContractViolation } from "../contracts/events";

export interface DeadLetterError {
	message: string;
	code: string | number;
	attempts: number;
	lastAttempt: string;
	violations?: ContractViolation[];
}

export interface DeadLetter {
	id: string;
	/** The channel the message was published on: its event type, or a share of it (`channelOf`). */
	channel: string;
	/** The consumer group that failed to handle it. */
	group: string;
	eventId: string | null;
	originalEvent: unknown;
	error: DeadLetterError;
	nodeID: string;
	createdAt: string;
	/** Set while a replay is in flight; a failure of the replay replaces the entry. */
	replayedAt?: string;
}

const INDEX = "dlq:index";
const entryKey = (id: string) => `dlq:entry:${id}`;

export function deadLetterId(group: string, eventId: string): string {
	return createHash("sha256").update(`${group}\n${eventId}`).digest("hex").slice(0, 16);
}

export interface ListFilter {
	channel?: string;
	group?: string;
	limit?: number;
	offset?: number;
}

export class DeadLetters {
	constructor(private readonly store: Store) {}

	/** Records an entry; false when the same (group, event) is already dead-lettered. */
	async add(entry: Omit<DeadLetter, "id" | "createdAt">, now = new Date()): Promise<DeadLetter | null> {
		const eventId = entry.eventId ?? createHash("sha256").update(JSON.stringify(entry.originalEvent) ?? "").digest("hex");
		const id = deadLetterId(entry.group, eventId);
		const full: DeadLetter = { ...entry, id, createdAt: now.toISOString() };
		if (!(await this.store.setIfAbsent(entryKey(id), full))) {
			const existing = await this.get(id);
			if (!existing?.replayedAt) return null;
			await this.store.set(entryKey(id), full);
			return full;
		}
		await this.store.append(INDEX, id);
		return full;
	}

	/** Stamps the entry before its event is republished; returns the stamp. */
	async markReplaying(entry: DeadLetter, now = new Date()): Promise<string> {
		const stamp = now.toISOString();
		await this.store.set(entryKey(entry.id), { ...entry, replayedAt: stamp });
		return stamp;
	}

	/** Removes the entry unless the replayed event already failed again and replaced it. */
	async settleReplay(id: string, stamp: string): Promise<boolean> {
		const current = await this.get(id);
		if (current?.replayedAt !== stamp) return false;
		return this.remove(id);
	}

	/** Puts an entry back as it was when its replay could not be published. */
	async restore(entry: DeadLetter): Promise<void> {
		await this.store.set(entryKey(entry.id), entry);
	}

	get(id: string): Promise<DeadLetter | null> {
		return this.store.get<DeadLetter>(entryKey(id));
	}

	/**
	 * Newest first. Ids of removed entries stay in the index and are skipped here. A `channel`
	 * filter naming a partitioned event type matches every share of it.
	 */
	async list(filter: ListFilter = {}): Promise<{ items: DeadLetter[]; total: number }> {
		const ids = [...new Set((await this.store.range<string>(INDEX, 0, -1)).reverse())];
		// One round trip for the entries, however many there are.
		const entries = ids.length ? await this.store.getMany<DeadLetter>(ids.map(entryKey)) : [];
		const items: DeadLetter[] = [];
		for (const entry of entries) {
			if (!entry) continue;
			if (filter.channel && entry.channel !== filter.channel && channelEventType(entry.channel) !== filter.channel) continue;
			if (filter.group && entry.group !== filter.group) continue;
			items.push(entry);
		}
		const offset = filter.offset ?? 0;
		return { items: items.slice(offset, offset + (filter.limit ?? 50)), total: items.length };
	}

	remove(id: string): Promise<boolean> {
		return this.store.del(entryKey(id));
	}

	/** Removes every entry (matching the filter); returns how many. */
	async purge(filter: Pick<ListFilter, "channel" | "group"> = {}): Promise<number> {
		const { items } = await this.list({ ...filter, limit: Number.MAX_SAFE_INTEGER });
		let n = 0;
		for (const e of items) if (await this.remove(e.id)) n++;
		if (!filter.channel && !filter.group) await this.store.del(INDEX);
		return n;
	}
}
