/**
 * Preloaded into each product process of the end-to-end bench (`node --expose-gc --import tsx
 * --import bench/heap-probe.ts scripts/start.ts`, spawned with an IPC channel). On the bench's
 * "heap" message it runs a full GC and answers with process.memoryUsage(), so the heap figures
 * are live objects, not garbage not yet collected. The product's code is not touched.
 */
const gc = (globalThis as { gc?: () => void }).gc;

export {};

if (process.send) {
	process.on("message", (msg: unknown) => {
		if (msg !== "heap") return;
		// Two passes: the first may only promote what the second frees.
		gc?.();
		gc?.();
		process.send!({ heap: process.memoryUsage(), gc: Boolean(gc) });
	});
	// The IPC channel must not keep a stopping process alive.
	process.channel?.unref();
}
