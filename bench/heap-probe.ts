/**
 * Preloaded into each product process of the end-to-end bench (`node --expose-gc --import tsx
 * --import bench/heap-probe.ts scripts/start.ts`, spawned with an IPC channel). The product's code
 * is not touched. Over IPC it answers:
 * - "heap": runs a full GC and answers with process.memoryUsage(), so the heap figures are live
 *   objects, not garbage not yet collected;
 * - {profile: "start"} and {profile: "stop", file}: a V8 CPU profile of one run (`--profile DIR`),
 *   written as a .cpuprofile that Chrome's DevTools open.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";

const gc = (globalThis as { gc?: () => void }).gc;
let session: Session | null = null;

function profile(msg: { profile: "start" | "stop"; file?: string }): void {
	if (msg.profile === "start") {
		session = new Session();
		session.connect();
		session.post("Profiler.enable", () => session!.post("Profiler.start", () => process.send!({ profiling: true })));
		return;
	}
	session?.post("Profiler.stop", (err, result) => {
		if (!err && msg.file) writeFileSync(msg.file, JSON.stringify(result.profile));
		session?.disconnect();
		session = null;
		process.send!({ profiled: err ? String(err) : msg.file });
	});
}

if (process.send) {
	process.on("message", (msg: unknown) => {
		if (msg && typeof msg === "object" && "profile" in msg) return profile(msg as { profile: "start" | "stop"; file?: string });
		if (msg !== "heap") return;
		// Two passes: the first may only promote what the second frees.
		gc?.();
		gc?.();
		process.send!({ heap: process.memoryUsage(), gc: Boolean(gc) });
	});
	// The IPC channel must not keep a stopping process alive.
	process.channel?.unref();
}
