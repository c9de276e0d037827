/**
 * Sandbox mode's stand-in for Meta: what would have been sent, kept in the store (so with
 * REDIS_URL every gateway node sees every node's sends) and served at `GET /sandbox/outbox`,
 * newest last. Bounded so a long demo cannot exhaust memory.
 */
import type { Store } from "../../adapters/store/store";

export interface OutboxEntry {
	/** A fake wamid, so statuses and correlation work as they would live. */
	id: string;
	at: string;
	brand: string;
	phoneNumberId: string;
	to: string;
	kind: string;
	idempotencyKey: string;
	conversationId?: string;
	/** The Graph API request body that would have been posted. */
	message: Record<string, unknown>;
}

export const OUTBOX_LIMIT = 1000;
export const OUTBOX_KEY = "wa:sandbox:outbox";

export class Outbox {
	constructor(
		private readonly store: Store,
		private readonly limit = OUTBOX_LIMIT
	) {}

	async add(entry: OutboxEntry): Promise<void> {
		await this.store.appendCapped(OUTBOX_KEY, entry, this.limit);
	}

	async list(to?: string): Promise<OutboxEntry[]> {
		const entries = await this.store.range<OutboxEntry>(OUTBOX_KEY);
		return to ? entries.filter(e => e.to === to) : entries;
	}
}
