import assert from "node:assert/strict";
import { TokenBucket } from "../../../gateway/console/rate-limiter";

describe("console rate limiter (token bucket)", () => {
	it("allows a burst, then refills at the rate", () => {
		let now = 1000;
		const bucket = new TokenBucket(10, 5, () => now);
		for (let i = 0; i < 5; i++) assert.equal(bucket.take(), true, `burst ${i}`);
		assert.equal(bucket.take(), false);
		now += 100; // one token at 10/s
		assert.equal(bucket.take(), true);
		assert.equal(bucket.take(), false);
		now += 10_000; // refills to the burst, not beyond
		for (let i = 0; i < 5; i++) assert.equal(bucket.take(), true);
		assert.equal(bucket.take(), false);
	});

	it("does not charge a refused frame", () => {
		let now = 0;
		const bucket = new TokenBucket(1, 1, () => now);
		assert.equal(bucket.take(), true);
		for (let i = 0; i < 100; i++) assert.equal(bucket.take(), false);
		now += 1000;
		assert.equal(bucket.take(), true);
	});
});
