/**
 * Outbound pacing (SPEC §7): at most `ratePerSecond` messages per sending number, Meta's pair rate
 * limit per customer (one message per `pairIntervalMs` on average, bursts of `pairBurst`), and
 * messages to one customer leave in the order they were handed over.
 *
 * In one process the limits are kept in memory. With several gateway nodes (REDIS_URL) the
 * gateway passes `takeSlot`, backed by the store, so every node books its slots on the same
 * schedule and together they stay within the limits. Order per customer is kept by the local lane
 * (a node books a customer's next slot only once its previous message left) and, across nodes, by
 * the order in which slots are booked.
 * The clock and the sleep are injected so tests can drive time deterministically.
 */
import type { RateGateSpec } from "../../adapters/store/store";

/**
 * Generic cell rate algorithm: a token bucket without tokens. `reserve` books the next slot and
 * says how long to wait for it; bookings made in order are served in order.
 */
export class RateGate {
	private tat = 0;
	private readonly tolerance: number;

	constructor(
		/** Milliseconds between messages at the sustained rate. */
		readonly intervalMs: number,
		/** Messages that may leave at once. */
		readonly burst: number = 1
	) {
		this.tolerance = (Math.max(1, burst) - 1) * intervalMs;
	}

	/** Books a slot at or after `now`; returns the milliseconds to wait for it. */
	reserve(now: number): number {
		const tat = Math.max(this.tat, now);
		const wait = Math.max(0, tat - this.tolerance - now);
		this.tat = tat + this.intervalMs;
		return wait;
	}

	/** True when a slot booked now would not wait: the gate has forgotten everything. */
	idle(now: number): boolean {
		return this.tat <= now;
	}
}

export interface PacerOptions {
	ratePerSecond: number;
	pairIntervalMs: number;
	pairBurst: number;
	now?: () => number;
	sleep?: (ms: number) => Promise<void>;
	/** Books a slot on shared gates (`Store.takeSlot`) and returns the wait; local gates when absent. */
	takeSlot?: (gates: RateGateSpec[]) => Promise<number>;
}

/** Store keys of the shared gates. */
export const paceKeys = {
	number: (phoneNumberId: string) => `wa:pace:number:${phoneNumberId}`,
	pair: (phoneNumberId: string, to: string) => `wa:pace:pair:${phoneNumberId}:${to}`
};

const realSleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms));

export class Pacer {
	private readonly numbers = new Map<string, RateGate>();
	private readonly pairs = new Map<string, RateGate>();
	private readonly lanes = new Map<string, Promise<unknown>>();
	private readonly now: () => number;
	private readonly sleep: (ms: number) => Promise<void>;

	constructor(private readonly opts: PacerOptions) {
		this.now = opts.now ?? Date.now;
		this.sleep = opts.sleep ?? realSleep;
	}

	/**
	 * Runs `send` when the customer's earlier messages are done and both limits allow it. `send`
	 * may retry inside (a throttled message keeps its place in the customer's queue).
	 */
	run<T>(phoneNumberId: string, to: string, send: () => Promise<T>): Promise<T> {
		const lane = `${phoneNumberId}:${to}`;
		const previous = this.lanes.get(lane) ?? Promise.resolve();
		const turn = previous.then(async () => {
			if (this.opts.takeSlot) {
				const gates: RateGateSpec[] = [{ key: paceKeys.number(phoneNumberId), intervalMs: 1000 / this.opts.ratePerSecond, burst: 1 }];
				// A zero interval switches the pair limit off.
				if (this.opts.pairIntervalMs > 0) gates.push({ key: paceKeys.pair(phoneNumberId, to), intervalMs: this.opts.pairIntervalMs, burst: this.opts.pairBurst });
				const ms = await this.opts.takeSlot(gates);
				if (ms > 0) await this.sleep(ms);
			} else {
				await this.wait(this.gate(this.pairs, lane, this.opts.pairIntervalMs, this.opts.pairBurst));
				await this.wait(this.gate(this.numbers, phoneNumberId, 1000 / this.opts.ratePerSecond, 1));
			}
			return send();
		});
		const settled = turn.then(
			() => undefined,
			() => undefined
		);
		this.lanes.set(lane, settled);
		void settled.then(() => {
			if (this.lanes.get(lane) === settled) this.lanes.delete(lane);
			const pair = this.pairs.get(lane);
			if (pair?.idle(this.now())) this.pairs.delete(lane);
		});
		return turn;
	}

	/** Customers with messages waiting or in flight. */
	get activeLanes(): number {
		return this.lanes.size;
	}

	private gate(map: Map<string, RateGate>, key: string, intervalMs: number, burst: number): RateGate {
		let g = map.get(key);
		if (!g) map.set(key, (g = new RateGate(intervalMs, burst)));
		return g;
	}

	private async wait(gate: RateGate): Promise<void> {
		const ms = gate.reserve(this.now());
		if (ms > 0) await this.sleep(ms);
	}
}
