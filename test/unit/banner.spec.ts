/** The start banner tells a developer what they need and never puts a real team's secrets in the logs. */
import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { loadConfig } from "../../config";
import { banner } from "../../scripts/banner";

describe("start banner", () => {
	it("shows the demo sellers' tokens, and not those of a sellers file (they are the team's passwords)", () => {
		const demo = banner(loadConfig({}), ["api", "console"]);
		assert.match(demo, /demo console tokens/);
		assert.match(demo, /demo-seller-ana-0001/);

		const file = path.join(mkdtempSync(path.join(os.tmpdir(), "banner-")), "sellers.json");
		writeFileSync(file, JSON.stringify([{ id: "zoe", name: "Zoe Real", token: "prod-secret-token-abcdef123456", brands: ["fashion"], capacity: 2 }]));
		const real = banner(loadConfig({ SELLERS_FILE: file }), ["api", "console"]);
		assert.doesNotMatch(real, /prod-secret-token/);
		assert.match(real, /Zoe Real\s+brands: fashion/);
	});

	it("in cluster mode says that generated secrets differ from node to node", () => {
		assert.match(banner(loadConfig({ TRANSPORTER: "nats://127.0.0.1:4222" }), ["catalog"]), /every node generated its own/);
		assert.doesNotMatch(banner(loadConfig({}), ["api"]), /every node generated its own/);
	});
});
