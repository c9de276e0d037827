/**
 * Sandbox mode's stand-in for Meta: what would have been sent, kept in memory (per node) and
 * served at `GET /sandbox/outbox`, newest last. Bounded so a long demo cannot exhaust memory.
 */
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

export class Outbox {
	private entries: OutboxEntry[] = [];

	constructor(private readonly limit = OUTBOX_LIMIT) {}

	add(entry: OutboxEntry): void {
		this.entries.push(entry);
		if (this.entries.length > this.limit) this.entries.splice(0, this.entries.length - this.limit);
	}

	list(to?: string): OutboxEntry[] {
		return to ? this.entries.filter(e => e.to === to) : [...this.entries];
	}

	get size(): number {
		return this.entries.length;
	}
}
