import assert from "node:assert/strict";
import { pathOf, sellerForToken, tokenFromUrl, TOKEN_MAX } from "../../../gateway/console/auth";
import type { SellerConfig } from "../../../config";

const sellers: SellerConfig[] = [
	{ id: "ana", name: "Ana", token: "token-of-ana-0000001", brands: ["fashion"], capacity: 2 },
	{ id: "ben", name: "Ben", token: "token-of-ben-0000002", brands: ["tech"], capacity: 2 }
];

describe("console auth", () => {
	it("finds the seller of a token", () => {
		assert.equal(sellerForToken(sellers, "token-of-ana-0000001")?.id, "ana");
		assert.equal(sellerForToken(sellers, "token-of-ben-0000002")?.id, "ben");
	});

	it("refuses a missing, empty, wrong, prefix or oversized token", () => {
		for (const t of [null, undefined, "", "token-of-ana", "token-of-ana-00000011", "TOKEN-OF-ANA-0000001", "x".repeat(TOKEN_MAX + 1)])
			assert.equal(sellerForToken(sellers, t), null, String(t));
	});

	it("reads the token and the path of an upgrade URL", () => {
		assert.equal(tokenFromUrl("/ws/seller?token=abc%20d"), "abc d");
		assert.equal(tokenFromUrl("/ws/seller"), null);
		assert.equal(tokenFromUrl(undefined), null);
		assert.equal(pathOf("/ws/seller?token=x"), "/ws/seller");
		assert.equal(pathOf("/ws/seller"), "/ws/seller");
	});
});
