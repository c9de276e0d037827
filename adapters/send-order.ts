/**
 * Per-customer order of outbound WhatsApp messages across gateway nodes. A publisher numbers each
 * send command on the customer's lane just before publishing it; a gateway node sends number n
 * only once n - 1 is done (sent, refused or dead-lettered) or after WHATSAPP_ORDER_WAIT_MS. The
 * channel may hand two commands to two nodes at once; the numbers say which goes first.
 */
import { EventTypes, sendLaneKey, type EventType, type Publish, type WhatsappMessageSendV1 } from "../contracts/events";
import type { Store } from "./store/store";

/** A lane is forgotten a week after its last message, as the gateway's other outbound marks. */
export const SEND_LANE_TTL_MS = 7 * 24 * 3600 * 1000;

/** The next number on the customer's lane, for the command about to be published. */
export function nextSendSeq(store: Store, brand: string, to: string): Promise<number> {
	return store.laneNext(sendLaneKey(brand, to), SEND_LANE_TTL_MS);
}

/**
 * Wraps a service's publish so that every send command it publishes is numbered on its customer's
 * lane at the moment it leaves: commands published one after the other get increasing numbers.
 */
export function numberingSends<P extends Publish>(store: Store, publish: P): P {
	return (async (type: EventType, data: unknown, opts?: unknown) => {
		if (type === EventTypes.WhatsappMessageSend) {
			const send = data as WhatsappMessageSendV1;
			if (send.seq === undefined) data = { ...send, seq: await nextSendSeq(store, send.brand, send.to) };
		}
		return (publish as unknown as (t: EventType, d: unknown, o?: unknown) => Promise<unknown>)(type, data, opts);
	}) as unknown as P;
}
