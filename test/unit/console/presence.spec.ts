import assert from "node:assert/strict";
import { PresenceReporter } from "../../../gateway/console/presence";
import { waitFor } from "../../helpers/wait";

describe("console presence reporter", () => {
	it("coalesces a burst of changes into one report of the latest map", async () => {
		let map: Record<string, number> = {};
		const reports: Record<string, number>[] = [];
		const p = new PresenceReporter({ intervalMs: 60_000, coalesceMs: 20, snapshot: () => ({ ...map }), report: async m => void reports.push(m) });
		p.start();
		await waitFor(() => reports.length === 1);
		for (let i = 1; i <= 50; i++) {
			map = { ana: i };
			p.changed();
		}
		await waitFor(() => reports.length === 2);
		assert.deepEqual(reports[1], { ana: 50 });
		await p.stop({});
		assert.deepEqual(reports.at(-1), {});
		assert.equal(reports.length, 3);
	});

	it("reports again on the interval, and a change during a report is reported after it", async () => {
		let map: Record<string, number> = { ana: 1 };
		const reports: Record<string, number>[] = [];
		let release: (() => void) | null = null;
		const p = new PresenceReporter({
			intervalMs: 30,
			coalesceMs: 1,
			snapshot: () => ({ ...map }),
			report: async m => {
				reports.push(m);
				if (reports.length === 2) await new Promise<void>(r => (release = r));
			}
		});
		p.start();
		await waitFor(() => release !== null);
		map = { ana: 2 };
		p.changed();
		void p.flush();
		(release as unknown as () => void)();
		await waitFor(() => reports.some(r => r.ana === 2));
		await waitFor(() => reports.length >= 5, { message: "interval reports" });
		await p.stop({});
		assert.deepEqual(reports.at(-1), {});
	});

	it("survives failing reports and tells about them", async () => {
		const errors: unknown[] = [];
		let ok = 0;
		let fail = true;
		const p = new PresenceReporter({
			intervalMs: 10,
			snapshot: () => ({}),
			report: async () => {
				if (fail) throw new Error("no sales assistant");
				ok++;
			},
			onError: e => errors.push(e)
		});
		p.start();
		await waitFor(() => errors.length >= 2);
		fail = false;
		await waitFor(() => ok >= 1);
		await p.stop({});
	});
});
