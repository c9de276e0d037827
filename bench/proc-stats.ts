/**
 * CPU time of processes from /proc (Linux), to see which process of the cluster is CPU-bound
 * during a run: user + system ticks before and after, as a share of one core.
 */
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100;

/** User + system CPU seconds used so far by `pid`, or null when it is gone or /proc is absent. */
export function cpuSeconds(pid: number): number | null {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
		// The command name may hold spaces; the fields after its closing parenthesis are fixed.
		const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
		return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
	} catch {
		return null;
	}
}

/** Children of `parent` whose command name is `comm` (e.g. the servers the test helpers spawn). */
export function childPids(parent: number, comm: string): number[] {
	const out: number[] = [];
	let entries: string[];
	try {
		entries = readdirSync("/proc");
	} catch {
		return out;
	}
	for (const e of entries) {
		if (!/^\d+$/.test(e)) continue;
		try {
			const stat = readFileSync(`/proc/${e}/stat`, "utf8");
			const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
			const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
			if (ppid === parent && name === comm) out.push(Number(e));
		} catch {
			// The process ended while we looked.
		}
	}
	return out;
}

export interface CpuSample {
	/** CPU seconds each process used over the interval. */
	seconds: Record<string, number>;
	wallSeconds: number;
}

/** Samples a set of named processes; `stop()` gives the CPU seconds each one used meanwhile. */
export function cpuMeter(pids: Record<string, number>): { stop(): CpuSample } {
	const t0 = process.hrtime.bigint();
	const start = Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, cpuSeconds(pid) ?? 0]));
	return {
		stop() {
			const wallSeconds = Number(process.hrtime.bigint() - t0) / 1e9;
			return { wallSeconds, seconds: Object.fromEntries(Object.entries(pids).map(([k, pid]) => [k, (cpuSeconds(pid) ?? 0) - start[k]])) };
		}
	};
}
