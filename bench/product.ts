/**
 * How the benches run the product: compiled, as production does (`npm run build`, then
 * `node dist/scripts/start.js`, the Dockerfile's command). Under tsx the same code spent about a
 * sixth more CPU per webhook (its loader's helpers and source maps), which is not a cost anyone
 * deploys.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";

export const ROOT = path.join(__dirname, "..");
export const START_SCRIPT = path.join(ROOT, "dist", "scripts", "start.js");

let built = false;

/** Compiles the product into dist/ (once per bench run), so a bench never measures stale JS. */
export function buildProduct(): void {
	if (built) return;
	const t0 = Date.now();
	const run = spawnSync("npm", ["run", "-s", "build"], { cwd: ROOT, encoding: "utf8" });
	if (run.status !== 0) throw new Error(`npm run build failed (exit ${run.status}):\n${run.stdout}${run.stderr}`);
	console.log(`built the product into dist/ in ${((Date.now() - t0) / 1000).toFixed(0)} s; it runs as \`node dist/scripts/start.js\`, as in production\n`);
	built = true;
}
