/**
 * Publishes each promotion's start and end once, across every node that runs the catalog. Every
 * node runs a scheduler; at a boundary each one tries to claim `promo:<code>:<phase>` with
 * `setIfAbsent`, and only the winner publishes. A failed publish gives the claim back so the next
 * tick retries, and the event id is derived from the code and phase, so a publish that did reach
 * the channel but reported a failure is absorbed by the consumers' idempotency.
 *
 * A promotion whose window ended before any node ever saw it start publishes nothing: nobody
 * announced it, so there is nothing to take back. Timers come from the global `setTimeout` (so
 * sinon fake timers drive it in tests) and `now` is injectable.
 */
import type { Promotion } from "./types";

export type PromotionPhase = "started" | "ended";

export interface PromotionSchedulerDeps {
	promotions: readonly Promotion[];
	now: () => number;
	/** True when this caller won the claim. */
	claim(key: string): Promise<boolean>;
	release(key: string): Promise<void>;
	isClaimed(key: string): Promise<boolean>;
	publish(phase: PromotionPhase, promotion: Promotion, eventId: string): Promise<void>;
	onError?(err: unknown): void;
	/** Longest sleep between checks; bounds the effect of clock changes. */
	maxSleepMs?: number;
	/** Sleep before retrying after a failed claim or publish. */
	retryMs?: number;
}

export const PROMOTION_MAX_SLEEP_MS = 60_000;
export const PROMOTION_RETRY_MS = 1000;

export const promotionClaimKey = (code: string, phase: PromotionPhase) => `catalog:promotion:${code}:${phase}`;
export const promotionEventId = (promotion: Promotion, phase: PromotionPhase) =>
	`promotion-${promotion.code}-${phase}-${Date.parse(phase === "started" ? promotion.startsAt : promotion.endsAt)}`;

export class PromotionScheduler {
	private timer: NodeJS.Timeout | undefined;
	private running: Promise<void> | undefined;
	private stopped = true;

	constructor(private readonly deps: PromotionSchedulerDeps) {}

	start(): void {
		this.stopped = false;
		this.schedule(0);
	}

	async stop(): Promise<void> {
		this.stopped = true;
		if (this.timer) clearTimeout(this.timer);
		this.timer = undefined;
		await this.running;
	}

	/**
	 * One pass over every promotion; returns what this node published and whether something failed
	 * (one promotion failing does not hold the others back).
	 */
	async tick(): Promise<{ published: { code: string; phase: PromotionPhase }[]; failed: boolean }> {
		const now = this.deps.now();
		const published: { code: string; phase: PromotionPhase }[] = [];
		let failed = false;
		for (const promo of this.deps.promotions) {
			try {
				const starts = Date.parse(promo.startsAt);
				const ends = Date.parse(promo.endsAt);
				if (now >= starts && now < ends) {
					if (await this.fire("started", promo)) published.push({ code: promo.code, phase: "started" });
				} else if (now >= ends && (await this.deps.isClaimed(promotionClaimKey(promo.code, "started")))) {
					if (await this.fire("ended", promo)) published.push({ code: promo.code, phase: "ended" });
				}
			} catch (err) {
				failed = true;
				this.deps.onError?.(err);
			}
		}
		return { published, failed };
	}

	/** Milliseconds until the next start or end after `now`, or null when none is left. */
	nextBoundary(now: number): number | null {
		let next: number | null = null;
		for (const p of this.deps.promotions)
			for (const t of [Date.parse(p.startsAt), Date.parse(p.endsAt)])
				if (t > now && (next === null || t < next)) next = t;
		return next === null ? null : next - now;
	}

	private async fire(phase: PromotionPhase, promo: Promotion): Promise<boolean> {
		const key = promotionClaimKey(promo.code, phase);
		if (!(await this.deps.claim(key))) return false;
		try {
			await this.deps.publish(phase, promo, promotionEventId(promo, phase));
			return true;
		} catch (err) {
			await this.deps.release(key).catch(() => undefined);
			throw err;
		}
	}

	private schedule(delayMs: number): void {
		if (this.stopped) return;
		this.timer = setTimeout(() => {
			this.running = this.tick().then(({ failed }) => {
				const max = failed ? (this.deps.retryMs ?? PROMOTION_RETRY_MS) : (this.deps.maxSleepMs ?? PROMOTION_MAX_SLEEP_MS);
				const next = this.nextBoundary(this.deps.now());
				this.schedule(next === null ? max : Math.min(next, max));
			});
		}, delayMs);
		this.timer.unref?.();
	}
}
