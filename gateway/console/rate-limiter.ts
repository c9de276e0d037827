/**
 * A token bucket per connection: `ratePerSecond` frames refill continuously up to `burst`. A frame
 * that finds the bucket empty is refused (the console answers RATE_LIMITED) and costs nothing, so
 * a client that slows down is served again at once.
 */
export class TokenBucket {
	private tokens: number;
	private last: number;

	constructor(
		private readonly ratePerSecond: number,
		private readonly burst: number,
		private readonly now: () => number = Date.now
	) {
		this.tokens = burst;
		this.last = now();
	}

	take(): boolean {
		const t = this.now();
		this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) * this.ratePerSecond) / 1000);
		this.last = t;
		if (this.tokens < 1) return false;
		this.tokens -= 1;
		return true;
	}
}
