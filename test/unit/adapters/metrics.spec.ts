import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

const run = promisify(execFile);
const FIXTURE = path.join(__dirname, "../../fixtures/v8/metric-rate-layout.ts");

/** Whether a fresh rate and a ticked one share a hidden class, in a child V8 with natives syntax. */
async function layout(mode: "plain" | "broker"): Promise<{ rate: number; sameMap: boolean }> {
	const { stdout } = await run(process.execPath, ["--allow-natives-syntax", "--expose-gc", "--import", "tsx", FIXTURE, mode], { timeout: 30_000 });
	return JSON.parse(stdout);
}

describe("metric rate layout", () => {
	it("a rate keeps its hidden class when its first tick stores a fraction, once a broker's options are built", async () => {
		const [plain, settled] = await Promise.all([layout("plain"), layout("broker")]);
		// The control: without the settling, this V8 gives the ticked rate a new hidden class and retires
		// the old one, the change that sent the metric functions into endless re-optimization.
		assert.ok(!Number.isInteger(plain.rate), `the tick should store a fraction, stored ${plain.rate}`);
		assert.equal(plain.sameMap, false, "this Node no longer retires the rate's layout on its first fraction: settleMetricRateLayout may be unnecessary");
		assert.equal(settled.sameMap, true);
	});
});
