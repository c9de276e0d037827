import assert from "node:assert/strict";
import { ConnectionRegistry, type SellerSocket } from "../../../gateway/console/registry";

const sock = (sellerId: string, brands: string[]): SellerSocket => ({ sellerId, brands, send() {} });

describe("console connection registry", () => {
	it("targets sellers by id and by brand, each socket once", () => {
		const r = new ConnectionRegistry();
		const ana1 = sock("ana", ["fashion", "beauty"]);
		const ana2 = sock("ana", ["fashion", "beauty"]);
		const ben = sock("ben", ["tech"]);
		const carla = sock("carla", ["tech", "fashion"]);
		for (const s of [ana1, ana2, ben, carla]) r.add(s);
		assert.deepEqual([...r.targets({ brands: ["fashion"] })], [ana1, ana2, carla]);
		assert.deepEqual([...r.targets({ brands: ["tech"] })], [ben, carla]);
		assert.deepEqual([...r.targets({ sellerIds: ["ana"], brands: ["beauty"] })], [ana1, ana2]);
		assert.deepEqual([...r.targets({ sellerIds: ["nobody"], brands: ["gaming"] })], []);
		assert.deepEqual([...r.targets({})], []);
		assert.deepEqual(r.presence(), { ana: 2, ben: 1, carla: 1 });
	});

	it("forgets closed sockets, and a second removal is a no-op", () => {
		const r = new ConnectionRegistry();
		const a = sock("ana", ["fashion"]);
		r.add(a);
		assert.equal(r.remove(a), true);
		assert.equal(r.remove(a), false);
		assert.deepEqual(r.presence(), {});
		assert.equal(r.size, 0);
		assert.deepEqual([...r.targets({ brands: ["fashion"], sellerIds: ["ana"] })], []);
	});
});
