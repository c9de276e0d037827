/**
 * The escalation queues and seller choice, as pure data over escalation snapshots. No broker, no
 * store, no timers: the host feeds it each snapshot after a transition (`upsert(entryOf(s))`) and
 * asks it what to offer to whom and which deadlines have fired. The clock is injected so that a
 * sweep is deterministic in tests.
 *
 * Load counts what a seller holds (active) plus what is offered to them: an offer reserves a slot,
 * so a seller of capacity 1 is never offered two escalations at once.
 */
import type { EscalationDeadline, TimerEventType } from "../../contracts/escalation";
import type { EscalationReason } from "../../contracts/events";
import { deadlinesOf, stateOf, type EscalationSnapshot } from "../../machines/escalation.machine";

export type EntryState = "queued" | "offered" | "active";

export interface QueueEntry {
	escalationId: string;
	conversationId: string;
	brand: string;
	state: EntryState;
	priority: number;
	createdAt: number;
	waitingSince: number;
	reason: EscalationReason;
	customerName: string | null;
	/** The seller an offer is waiting on (state `offered`). */
	offeredTo: string | null;
	/** The seller who has it (state `active`). */
	sellerId: string | null;
	declinedBy: string[];
	/** Armed deadlines, earliest first. */
	deadlines: EscalationDeadline[];
}

export interface SellerAvailability {
	id: string;
	brands: string[];
	capacity: number;
	/** At least one console socket open. */
	online: boolean;
	/** A seller may be online but paused (not taking new work); absent means available. */
	paused?: boolean;
}

export interface DueTimer {
	escalationId: string;
	/** The event to send: stamped with the sweep time, which is at or after `deadline`. */
	event: { type: TimerEventType; at: number };
	deadline: number;
}

export interface PlannedOffer {
	escalationId: string;
	brand: string;
	sellerId: string;
}

/** Null for a resolved escalation: it leaves the queue. */
export function entryOf(snapshot: EscalationSnapshot): QueueEntry | null {
	const state = stateOf(snapshot);
	if (state === "resolved") return null;
	const c = snapshot.context;
	return {
		escalationId: c.escalationId,
		conversationId: c.conversationId,
		brand: c.brand,
		state,
		priority: c.priority,
		createdAt: c.createdAt,
		waitingSince: c.waitingSince,
		reason: c.reason,
		customerName: c.customerName,
		offeredTo: state === "offered" ? (c.offer?.sellerId ?? null) : null,
		sellerId: state === "active" ? c.sellerId : null,
		declinedBy: [...c.declinedBy],
		deadlines: deadlinesOf(snapshot)
	};
}

/** Higher priority first, then older first; the id breaks ties so the order is total. */
export function compareEntries(a: QueueEntry, b: QueueEntry): number {
	return b.priority - a.priority || a.createdAt - b.createdAt || (a.escalationId < b.escalationId ? -1 : a.escalationId > b.escalationId ? 1 : 0);
}

/**
 * The seller to offer an escalation of `brand` to: online, not paused, of the brand, with a free
 * slot, not excluded (they declined it); least loaded first, then the one with the most free slots,
 * then by id. Null when nobody fits (it stays in the queue for anyone to take).
 */
export function chooseSeller(
	brand: string,
	sellers: readonly SellerAvailability[],
	loads: ReadonlyMap<string, number>,
	exclude: Iterable<string> = []
): SellerAvailability | null {
	const excluded = new Set(exclude);
	const load = (s: SellerAvailability) => loads.get(s.id) ?? 0;
	const candidates = sellers.filter(
		s => s.online && !s.paused && s.brands.includes(brand) && load(s) < s.capacity && !excluded.has(s.id)
	);
	candidates.sort(
		(a, b) => load(a) - load(b) || b.capacity - load(b) - (a.capacity - load(a)) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
	);
	return candidates[0] ?? null;
}

export type TakeRefusal = "FORBIDDEN" | "TAKEN" | "AT_CAPACITY" | "NOT_FOUND";

/**
 * Whether a seller may take an escalation from the queue now; null means yes. The machine decides
 * the race (only the first ACCEPT counts); this answers the console before it asks.
 */
export function takeRefusal(entry: QueueEntry | undefined, seller: SellerAvailability, load: number): TakeRefusal | null {
	if (!entry) return "NOT_FOUND";
	if (!seller.brands.includes(entry.brand)) return "FORBIDDEN";
	if (entry.state === "active") return entry.sellerId === seller.id ? null : "TAKEN";
	// An offer to this seller already holds one of their slots.
	const held = entry.offeredTo === seller.id ? 1 : 0;
	if (load - held >= seller.capacity) return "AT_CAPACITY";
	return null;
}

export class EscalationQueue {
	private readonly entries = new Map<string, QueueEntry>();

	constructor(private readonly now: () => number = Date.now) {}

	/** Record an escalation's latest state; a resolved one (null entry) is dropped by `remove`. */
	upsert(entry: QueueEntry): void {
		this.entries.set(entry.escalationId, entry);
	}

	/** Feed a snapshot straight in: upserts, or removes a resolved escalation. */
	apply(snapshot: EscalationSnapshot): QueueEntry | null {
		const entry = entryOf(snapshot);
		if (entry) this.upsert(entry);
		else this.remove(snapshot.context.escalationId);
		return entry;
	}

	remove(escalationId: string): boolean {
		return this.entries.delete(escalationId);
	}

	get(escalationId: string): QueueEntry | undefined {
		return this.entries.get(escalationId);
	}

	get size(): number {
		return this.entries.size;
	}

	/** Escalations waiting for a seller in one brand (queued or offered), in queue order. */
	waiting(brand: string): QueueEntry[] {
		return this.waitingIn([brand]);
	}

	/** The merged queue a seller of these brands sees, in queue order. */
	waitingIn(brands: readonly string[]): QueueEntry[] {
		const wanted = new Set(brands);
		return [...this.entries.values()]
			.filter(e => e.state !== "active" && wanted.has(e.brand))
			.sort(compareEntries);
	}

	/** Escalations a seller holds. */
	assignedTo(sellerId: string): QueueEntry[] {
		return [...this.entries.values()].filter(e => e.sellerId === sellerId).sort(compareEntries);
	}

	brands(): string[] {
		return [...new Set([...this.entries.values()].map(e => e.brand))].sort();
	}

	/** Active escalations plus pending offers, per seller. */
	loads(): Map<string, number> {
		const loads = new Map<string, number>();
		for (const e of this.entries.values()) {
			const holder = e.sellerId ?? e.offeredTo;
			if (holder) loads.set(holder, (loads.get(holder) ?? 0) + 1);
		}
		return loads;
	}

	load(sellerId: string): number {
		return this.loads().get(sellerId) ?? 0;
	}

	/** The escalations offered to this seller and not yet answered. */
	offersTo(sellerId: string): string[] {
		return [...this.entries.values()].filter(e => e.offeredTo === sellerId).map(e => e.escalationId);
	}

	/**
	 * Offers to make now: each queued (not offered) escalation, highest priority and oldest first,
	 * to the least loaded fitting seller who has not declined it; each planned offer takes a slot
	 * before the next escalation is considered. Pure: the host sends the OFFER events.
	 */
	planOffers(sellers: readonly SellerAvailability[]): PlannedOffer[] {
		const loads = this.loads();
		const plan: PlannedOffer[] = [];
		const queued = [...this.entries.values()].filter(e => e.state === "queued").sort(compareEntries);
		for (const entry of queued) {
			const seller = chooseSeller(entry.brand, sellers, loads, entry.declinedBy);
			if (!seller) continue;
			loads.set(seller.id, (loads.get(seller.id) ?? 0) + 1);
			plan.push({ escalationId: entry.escalationId, brand: entry.brand, sellerId: seller.id });
		}
		return plan;
	}

	/**
	 * The deadlines that have fired by `now`, earliest first, as the events to send. Only the
	 * earliest deadline of each escalation is listed: firing it may disarm the others (an expired
	 * offer...), so the sweeper sends it, feeds the new snapshot back and sweeps again.
	 */
	due(now: number = this.now()): DueTimer[] {
		const out: DueTimer[] = [];
		for (const e of this.entries.values()) {
			const first = e.deadlines[0];
			if (first && first.at <= now) out.push({ escalationId: e.escalationId, event: { type: first.type, at: now }, deadline: first.at });
		}
		return out.sort((a, b) => a.deadline - b.deadline || (a.escalationId < b.escalationId ? -1 : 1));
	}

	/** When the sweeper should next wake up; null when nothing is armed. */
	nextDeadline(): number | null {
		let next: number | null = null;
		for (const e of this.entries.values()) {
			const first = e.deadlines[0];
			if (first && (next === null || first.at < next)) next = first.at;
		}
		return next;
	}
}
