/**
 * The life of one order, pure: no I/O, no timers. The orders service keeps the persisted snapshot
 * in the Store and drives it with `decideOrderEvent`, which never executes anything: it tells the
 * service whether an event applies, was already applied (a repeat: a no-op for the caller), or is
 * refused in the current state.
 *
 *   pending ──PAY──▶ confirmed ──SHIP──▶ shipped ──DELIVER──▶ delivered
 *      └──CANCEL──▶ cancelled ◀──CANCEL──┘
 *      └──EXPIRE──┘
 *
 * A payment is a fact, not a request: money the provider took is never refused. One that arrives
 * when the order is already paid (another paymentRef) or cancelled, and the payment of an order
 * cancelled after it was paid, are recorded as refunds owed (`refunds`) without a change of state.
 * A SHIP with another carrier or tracking number on a shipped order is a correction: the order
 * keeps the new one, and stays shipped.
 *
 * EXPIRE is the payment deadline passing: the deadline (`payBy`) is stored with the order and fired
 * by the service's sweeper as an event, never as an `after` timer (those are not persisted).
 */
import { assertEvent, assign, setup, transition, type SnapshotFrom } from "xstate";
import type { RefundReason } from "../contracts/events";

export type { RefundReason };

export const ORDER_STATES = ["pending", "confirmed", "shipped", "delivered", "cancelled"] as const;
export type OrderStatus = (typeof ORDER_STATES)[number];

export type OrderEvent =
	| { type: "PAY"; paymentRef: string }
	| { type: "SHIP"; carrier: string; trackingNumber: string }
	| { type: "DELIVER"; at: string }
	| { type: "CANCEL"; reason: string }
	/** The payment deadline passed (`at`: when it was noticed, ISO time). */
	| { type: "EXPIRE"; at: string };
export type OrderEventType = OrderEvent["type"];
export const ORDER_EVENT_TYPES: readonly OrderEventType[] = ["PAY", "SHIP", "DELIVER", "CANCEL", "EXPIRE"];
/** The cancellation reason of an order whose payment deadline passed. */
export const NOT_PAID_IN_TIME = "not paid in time";

/** A payment the store must give back. */
export interface OwedRefund {
	paymentRef: string;
	reason: RefundReason;
}

export interface OrderMachineContext {
	orderId: string;
	/** ISO time by which a pending order must be paid; orders from before deadlines existed have none until given one. */
	payBy?: string;
	paymentRef?: string;
	carrier?: string;
	trackingNumber?: string;
	deliveredAt?: string;
	cancelReason?: string;
	cancelledFrom?: "pending" | "confirmed";
	/** Absent until one is owed. */
	refunds?: OwedRefund[];
}

/** A paymentRef this order already knows: its payment, or one it owes back. */
function knowsPayment(context: OrderMachineContext, paymentRef: string): boolean {
	return context.paymentRef === paymentRef || (context.refunds ?? []).some(r => r.paymentRef === paymentRef);
}

export const orderMachine = setup({
	types: {
		context: {} as OrderMachineContext,
		events: {} as OrderEvent,
		input: {} as { orderId: string; payBy?: string }
	},
	guards: {
		// Early is possible: the sweeper's clock and the one that set the deadline may differ.
		isPaymentDue: ({ context, event }) => event.type === "EXPIRE" && context.payBy !== undefined && Date.parse(event.at) >= Date.parse(context.payBy),
		// The same paymentRef again is the provider retrying, not a second payment.
		isNewPayment: ({ context, event }) => event.type === "PAY" && !knowsPayment(context, event.paymentRef),
		// The same tracking again is the carrier's system retrying, not a correction.
		isTrackingChange: ({ context, event }) => event.type === "SHIP" && (event.carrier !== context.carrier || event.trackingNumber !== context.trackingNumber)
	},
	actions: {
		recordPayment: assign(({ event }) => {
			assertEvent(event, "PAY");
			return { paymentRef: event.paymentRef };
		}),
		recordShipment: assign(({ event }) => {
			assertEvent(event, "SHIP");
			return { carrier: event.carrier, trackingNumber: event.trackingNumber };
		}),
		recordDelivery: assign(({ event }) => {
			assertEvent(event, "DELIVER");
			return { deliveredAt: event.at };
		}),
		recordCancellation: assign(({ context, event }, params: { from: "pending" | "confirmed" }) => {
			assertEvent(event, "CANCEL");
			const paid = params.from === "confirmed" && context.paymentRef;
			return {
				cancelReason: event.reason,
				cancelledFrom: params.from,
				...(paid ? { refunds: [...(context.refunds ?? []), { paymentRef: context.paymentRef!, reason: "cancelled_after_payment" as const }] } : {})
			};
		}),
		oweRefund: assign(({ context, event }, params: { reason: RefundReason }) => {
			assertEvent(event, "PAY");
			return { refunds: [...(context.refunds ?? []), { paymentRef: event.paymentRef, reason: params.reason }] };
		}),
		recordExpiry: assign(() => ({ cancelReason: NOT_PAID_IN_TIME, cancelledFrom: "pending" as const }))
	}
}).createMachine({
	id: "order",
	context: ({ input }) => ({ orderId: input.orderId, ...(input.payBy ? { payBy: input.payBy } : {}) }),
	initial: "pending",
	states: {
		pending: {
			description: "Created with its stock reserved; awaiting payment.",
			on: {
				PAY: { target: "confirmed", actions: "recordPayment" },
				CANCEL: { target: "cancelled", actions: { type: "recordCancellation", params: { from: "pending" } } },
				EXPIRE: { guard: "isPaymentDue", target: "cancelled", actions: "recordExpiry" }
			}
		},
		confirmed: {
			description: "Paid; awaiting shipment.",
			on: {
				SHIP: { target: "shipped", actions: "recordShipment" },
				CANCEL: { target: "cancelled", actions: { type: "recordCancellation", params: { from: "confirmed" } } },
				PAY: { guard: "isNewPayment", actions: { type: "oweRefund", params: { reason: "paid_twice" } } }
			}
		},
		shipped: {
			description: "With the carrier; can no longer be cancelled.",
			on: {
				DELIVER: { target: "delivered", actions: "recordDelivery" },
				SHIP: { guard: "isTrackingChange", actions: "recordShipment" },
				PAY: { guard: "isNewPayment", actions: { type: "oweRefund", params: { reason: "paid_twice" } } }
			}
		},
		// Not final: a payment can still arrive (and must be owed back) after the order's life ended.
		delivered: {
			description: "Done.",
			on: { PAY: { guard: "isNewPayment", actions: { type: "oweRefund", params: { reason: "paid_twice" } } } }
		},
		cancelled: {
			description: "Cancelled; its stock was released.",
			on: { PAY: { guard: "isNewPayment", actions: { type: "oweRefund", params: { reason: "paid_after_cancellation" } } } }
		}
	}
});

export type OrderSnapshot = SnapshotFrom<typeof orderMachine>;
/** The JSON form kept in the Store. */
export interface PersistedOrderSnapshot {
	value: OrderStatus;
	context: OrderMachineContext;
}

/** The event that leads into each state: used to tell a repeat from a refusal. */
const ENTERED_BY: Record<OrderEventType, OrderStatus> = {
	PAY: "confirmed",
	SHIP: "shipped",
	DELIVER: "delivered",
	CANCEL: "cancelled",
	EXPIRE: "cancelled"
};

export function initialOrderSnapshot(orderId: string, payBy?: string): PersistedOrderSnapshot {
	return persist(orderMachine.resolveState({ value: "pending", context: { orderId, ...(payBy ? { payBy } : {}) } }));
}

export function restoreOrderSnapshot(persisted: PersistedOrderSnapshot): OrderSnapshot {
	if (!ORDER_STATES.includes(persisted.value)) throw new Error(`Unknown order state '${String(persisted.value)}'`);
	return orderMachine.resolveState({ value: persisted.value, context: persisted.context });
}

function persist(snapshot: OrderSnapshot): PersistedOrderSnapshot {
	return { value: snapshot.value as OrderStatus, context: { ...snapshot.context } };
}

export type OrderDecision =
	| { outcome: "applied"; from: OrderStatus; to: OrderStatus; snapshot: PersistedOrderSnapshot }
	| { outcome: "repeated"; status: OrderStatus }
	| { outcome: "refused"; status: OrderStatus; allowed: OrderEventType[] };

/**
 * What `event` does to an order. `visited` is every state the order has been in (its history):
 * an event whose target state was already reached is a repeat (DELIVER on a delivered order,
 * CANCEL on a cancelled one, SHIP with the same tracking on a shipped one or any SHIP once
 * delivered), and so is a payment the order already knows (its paymentRef, or one it owes back);
 * anything else the machine does not accept is refused. An applied event may leave the state as it
 * was (`from` = `to`): a payment recorded as a refund owed, a tracking correction.
 */
export function decideOrderEvent(persisted: PersistedOrderSnapshot, event: OrderEvent, visited: readonly OrderStatus[]): OrderDecision {
	const snapshot = restoreOrderSnapshot(persisted);
	const status = persisted.value;
	if (snapshot.can(event)) {
		const [next] = transition(orderMachine, snapshot, event);
		return { outcome: "applied", from: status, to: next.value as OrderStatus, snapshot: persist(next) };
	}
	if (event.type === "PAY" && knowsPayment(persisted.context, event.paymentRef)) return { outcome: "repeated", status };
	if (status === ENTERED_BY[event.type] || visited.includes(ENTERED_BY[event.type])) return { outcome: "repeated", status };
	return { outcome: "refused", status, allowed: allowedEvents(persisted) };
}

/**
 * What a caller may send now to move the order on; EXPIRE is the sweeper's, not a caller's, and a
 * payment that would only be owed back is no step either: neither is offered.
 */
export function allowedEvents(persisted: PersistedOrderSnapshot): OrderEventType[] {
	const snapshot = restoreOrderSnapshot(persisted);
	const samples: Record<Exclude<OrderEventType, "EXPIRE">, OrderEvent> = {
		PAY: { type: "PAY", paymentRef: "x" },
		SHIP: { type: "SHIP", carrier: "x", trackingNumber: "x" },
		DELIVER: { type: "DELIVER", at: "x" },
		CANCEL: { type: "CANCEL", reason: "x" }
	};
	return (Object.keys(samples) as (keyof typeof samples)[]).filter(t => snapshot.can(samples[t]) && transition(orderMachine, snapshot, samples[t])[0].value !== persisted.value);
}
