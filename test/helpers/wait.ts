// Captured at load so that waitFor keeps real time while a test has sinon fake timers installed.
const realNow = Date.now.bind(Date);
const realSetTimeout = setTimeout;
const realClearTimeout = clearTimeout;

export interface WaitForOptions {
	timeoutMs?: number;
	intervalMs?: number;
	/** Describes what was awaited, for the error at the deadline. */
	message?: string;
}

type Truthy<T> = Exclude<T, false | 0 | "" | null | undefined>;

/**
 * Polls `fn` until it returns a truthy value and resolves with that value. A throwing `fn`
 * counts as "not yet"; its last error is reported if the deadline passes.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, opts: WaitForOptions = {}): Promise<Truthy<T>> {
	const { timeoutMs = 5000, intervalMs = 10, message = "condition" } = opts;
	const deadline = realNow() + timeoutMs;
	let lastError: unknown;
	let lastValue: unknown;
	for (;;) {
		try {
			const value = await beforeDeadline(Promise.resolve().then(fn), deadline);
			if (value) return value as Truthy<T>;
			lastValue = value;
		} catch (err) {
			if (err !== DEADLINE) lastError = err;
		}
		const remaining = deadline - realNow();
		if (remaining <= 0) {
			const last = lastError === undefined ? `last value: ${String(lastValue)}` : `last error: ${errorText(lastError)}`;
			throw new Error(`waitFor: ${message} not met within ${timeoutMs} ms (${last})`, { cause: lastError });
		}
		await new Promise((resolve) => realSetTimeout(resolve, Math.min(intervalMs, remaining)));
	}
}

const DEADLINE = Symbol("deadline");

/** Stops waiting on an attempt that hangs, so that the deadline holds even then. */
function beforeDeadline<T>(attempt: Promise<T>, deadline: number): Promise<T> {
	let timer: NodeJS.Timeout | undefined;
	const expired = new Promise<never>((_, reject) => {
		timer = realSetTimeout(() => reject(DEADLINE), Math.max(deadline - realNow(), 0));
	});
	return Promise.race([attempt, expired]).finally(() => realClearTimeout(timer));
}

function errorText(err: unknown): string {
	return err instanceof Error ? err.message : String(err);
}
