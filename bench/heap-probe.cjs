/**
 * Preloaded into each product process of the end-to-end bench (`node --expose-gc --require
 * bench/heap-probe.cjs dist/scripts/start.js`, spawned with an IPC channel). Plain JavaScript: the
 * product runs compiled, with no TypeScript loader to preload this through. The product's code is
 * not touched. Over IPC it answers:
 * - "heap": runs a full GC and answers with process.memoryUsage(), so the heap figures are live
 *   objects, not garbage not yet collected;
 * - {profile: "start"} and {profile: "stop", file}: a V8 CPU profile of one run (`--profile DIR`),
 *   written as a .cpuprofile that Chrome's DevTools open.
 */
"use strict";
const { writeFileSync } = require("node:fs");
const { Session } = require("node:inspector");

const gc = globalThis.gc;
/** @type {import("node:inspector").Session | null} */
let session = null;

/** @param {{ profile: "start" | "stop", file?: string }} msg */
function profile(msg) {
	if (msg.profile === "start") {
		const s = new Session();
		session = s;
		s.connect();
		s.post("Profiler.enable", () => s.post("Profiler.start", () => process.send({ profiling: true })));
		return;
	}
	const s = session;
	if (!s) return void process.send({ profiled: "not profiling" });
	s.post("Profiler.stop", (err, result) => {
		if (!err && msg.file) writeFileSync(msg.file, JSON.stringify(result.profile));
		s.disconnect();
		session = null;
		process.send({ profiled: err ? String(err) : msg.file });
	});
}

if (process.send) {
	process.on("message", msg => {
		if (msg && typeof msg === "object" && "profile" in msg) return profile(msg);
		if (msg !== "heap") return;
		// Two passes: the first may only promote what the second frees.
		gc?.();
		gc?.();
		process.send({ heap: process.memoryUsage(), gc: Boolean(gc) });
	});
	// The IPC channel must not keep a stopping process alive.
	process.channel?.unref();
}
