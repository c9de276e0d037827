/**
 * A test host for escalation actors, shaped like the sales-assistant service will be: the actor
 * lives only as a stored `{ version, snapshot }` (JSON text, as in the store), every event is a
 * restore → send → persist cycle (so every step also survives a restart), the queue is fed each
 * new snapshot, and a sweeper fires due deadlines from the queue on a simulated clock.
 */
import { SimulatedClock } from "xstate";
import type { EscalationEmitted, EscalationEvent, EscalationInput, PersistedEscalation } from "../../contracts/escalation";
import {
	createEscalation,
	persistEscalation,
	restoreEscalation,
	type EscalationActor,
	type EscalationSnapshot
} from "../../machines/escalation.machine";
import { EscalationQueue } from "../../services/sales-assistant/queue";

export class EscalationHost {
	readonly clock = new SimulatedClock();
	readonly queue = new EscalationQueue(() => this.clock.now());
	readonly emitted: EscalationEmitted[] = [];
	/** Timer events the sweeper sent, in order. */
	readonly swept: string[] = [];
	private readonly stored = new Map<string, string>();

	constructor(startAt: number) {
		this.clock.set(startAt);
	}

	/** Moves the clock forward only: a deadline never fires twice because time went back. */
	advanceTo(at: number): void {
		if (at < this.clock.now()) throw new Error(`clock would go back from ${this.clock.now()} to ${at}`);
		this.clock.set(at);
	}

	create(input: Omit<EscalationInput, "createdAt">): EscalationSnapshot {
		const actor = createEscalation({ ...input, createdAt: this.clock.now() });
		return this.runAndStore(actor, () => undefined);
	}

	send(escalationId: string, event: EscalationEvent): EscalationSnapshot {
		const text = this.stored.get(escalationId);
		if (!text) throw new Error(`no escalation ${escalationId}`);
		const actor = restoreEscalation(JSON.parse(text) as PersistedEscalation);
		return this.runAndStore(actor, a => a.send(event));
	}

	/** Fires every deadline due now, again and again until none is (one firing may arm another). */
	sweep(): string[] {
		const fired: string[] = [];
		for (let due = this.queue.due(); due.length > 0; due = this.queue.due()) {
			for (const d of due) {
				this.send(d.escalationId, d.event);
				fired.push(d.event.type);
			}
			if (fired.length > 100) throw new Error("sweep does not settle");
		}
		this.swept.push(...fired);
		return fired;
	}

	snapshot(escalationId: string): EscalationSnapshot {
		const actor = restoreEscalation(JSON.parse(this.stored.get(escalationId)!) as PersistedEscalation);
		return actor.getSnapshot();
	}

	persisted(escalationId: string): PersistedEscalation {
		return JSON.parse(this.stored.get(escalationId)!) as PersistedEscalation;
	}

	private runAndStore(actor: EscalationActor, act: (a: EscalationActor) => void): EscalationSnapshot {
		const errors: unknown[] = [];
		actor.on("*", e => this.emitted.push(e as EscalationEmitted));
		actor.subscribe({ error: err => errors.push(err) });
		actor.start();
		act(actor);
		if (errors.length > 0) throw errors[0];
		const snapshot = actor.getSnapshot();
		this.stored.set(snapshot.context.escalationId, JSON.stringify(persistEscalation(actor)));
		actor.stop();
		this.queue.apply(snapshot);
		return snapshot;
	}
}
