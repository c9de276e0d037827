/**
 * The 24-hour customer service window (SPEC §5): every inbound message from a customer opens or
 * resets it for that customer and business number. Outside it only templates may be sent.
 * Meta keeps the window per (phone_number_id, customer); a brand is served by its numbers.
 */
import type { BatchOp, Store } from "../../adapters/store/store";

export const WINDOW_MS = 24 * 3600 * 1000;
/** Kept beyond the window so an operator can still see when it closed. */
const KEEP_MS = 8 * 24 * 3600 * 1000;

export interface WindowState {
	open: boolean;
	/** Epoch ms of the last inbound message, null when the customer never wrote. */
	lastInboundAt: number | null;
	/** Epoch ms at which the window closes (or closed). */
	closesAt: number | null;
}

export function windowKey(phoneNumberId: string, waId: string): string {
	return `wa:window:${phoneNumberId}:${waId}`;
}

/** Pure: the state of a window at `now` given the last inbound time. */
export function windowAt(lastInboundAt: number | null, now: number): WindowState {
	if (lastInboundAt === null) return { open: false, lastInboundAt: null, closesAt: null };
	const closesAt = lastInboundAt + WINDOW_MS;
	return { open: now < closesAt, lastInboundAt, closesAt };
}

/** The store step that records an inbound message time; batched with the webhook's claims. */
export function recordInboundOp(phoneNumberId: string, waId: string, at: number): BatchOp {
	return { op: "setMax", key: windowKey(phoneNumberId, waId), value: at, ttlMs: KEEP_MS };
}

/**
 * Records an inbound message time, keeping the latest: deliveries arrive out of order, and an
 * older message delivered late must not shorten the window.
 */
export async function recordInbound(store: Store, phoneNumberId: string, waId: string, at: number): Promise<void> {
	await store.batch([recordInboundOp(phoneNumberId, waId, at)]);
}

/** The window of a customer over several numbers (a brand may have more than one): the latest wins. */
export async function readWindow(store: Store, phoneNumberIds: string[], waId: string, now: number): Promise<WindowState & { phoneNumberId: string | null }> {
	let best: { at: number; pnid: string } | null = null;
	for (const pnid of phoneNumberIds) {
		const v = await store.getVersioned<number>(windowKey(pnid, waId));
		if (v && (!best || v.value > best.at)) best = { at: v.value, pnid };
	}
	return { ...windowAt(best?.at ?? null, now), phoneNumberId: best?.pnid ?? null };
}
