/**
 * `orders`: one XState order machine per order (machines/order.machine.ts), persisted in the Store
 * as `{ version, snapshot, order, history, outbox }` and written only by compare-and-set, so two
 * nodes updating the same order never both win.
 *
 * Side effects (durable events, stock release, the listing index) are recorded in the record's
 * `outbox` in the same write as the state change, then performed and removed. Each is safe to
 * perform twice: events carry ids derived from the order and the transition (`order-<id>-paid`),
 * which the consumers' idempotency absorbs; the stock release carries a ref the catalog claims
 * once. So each event leaves exactly once per consumer group even when a publish is retried by a
 * later call after a failure or a crash.
 *
 * Prices always come from the catalog (`catalog.price`), never from the caller; stock is reserved
 * before the order exists (`catalog.reserve`, atomic across nodes) and released if it never does.
 *
 * A pending order holds its stock until it is paid or its payment deadline (`payBy`, stored with
 * the order, ORDER_PAYMENT_TIMEOUT_MINUTES after creation) passes: a sweeper on any node, one at a
 * time under a store lock, reads the due orders from a durable deadline index and sends their
 * machines EXPIRE, which cancels them like any cancellation (stock released once, under the same
 * ref, and `store.order.cancelled` with reasonCode `not_paid_in_time`).
 *
 * Money taken with nothing to show for it is recorded, never dropped: a paid order cancelled, a
 * payment for an order already cancelled, a second payment (another paymentRef) for a paid one.
 * Each adds a refund owed to the order (`refunds`: amount, why, paymentRef) and its history, is
 * counted (`orders_refunds_owed`), logged and published (`store.order.refund.due`, which tells the
 * customer); operators list them (`orders.list` with `refundDue`,
 * the REPL's `orders --refund-due`) and mark them made (`orders.refunded`).
 *
 * A `shipped` update with another carrier or tracking number for a shipped order corrects it: the
 * order keeps the new tracking (its history keeps every one) and `store.order.tracking.changed`
 * says so, numbered (`correction`), so the customer can be told which one to follow.
 */
import { createHash, randomBytes } from "node:crypto";
import type { Context, ServiceSchema } from "moleculer";
import Validator from "fastest-validator";
import { EventsMixin, type EventsMethods } from "../mixins/events.mixin";
import { brokerConfig } from "../adapters/broker-config";
import { ServiceNames } from "../contracts/services";
import { colourNamed, sameSize } from "../contracts/catalog";
import { DELIVER_TO_MAX, EventTypes, type EventPayloads, type EventType } from "../contracts/events";
import { ErrorTypes, NotFoundError, StoreClientError, StoreRetryableError } from "../contracts/errors";
import type { Store } from "../adapters/store/store";
import {
	decideOrderEvent,
	initialOrderSnapshot,
	NOT_PAID_IN_TIME,
	ORDER_STATES,
	type OrderEvent,
	type OrderStatus,
	type PersistedOrderSnapshot,
	type RefundReason
} from "../machines/order.machine";
import type { Quote } from "./catalog/pricing";
import { DeadlineIndex, type DeadlineKeys } from "./ai-seller/deadlines";
import { countExpired, countRefundOwed, registerOrderMetrics } from "./orders/metrics";

/** Schema version of the stored record; bump it with a migration in `load`. */
export const ORDER_RECORD_VERSION = 1;
const CAS_ATTEMPTS = 8;
/** How long a creation claim outlives a node that died holding it. */
const CREATE_CLAIM_TTL_MS = 10_000;
const CREATE_CLAIM_POLL_MS = 20;
const LIST_BATCH = 50;

export const orderKey = (id: string) => `orders:order:${id}`;
const INDEX_KEY = "orders:index";
/**
 * One list per customer beside the store-wide index, so that what a conversation asks about its
 * customer's orders (status, a first-order promotion) reads that customer's few orders, not the store.
 */
const customerIndexKey = (waId: string) => `orders:index:customer:${waId}`;
/** Set once the customer lists hold every order that was in the store-wide index before they existed. */
const CUSTOMER_INDEX_MARKER = "orders:index:customer:v1";
const CUSTOMER_INDEX_LOCK = "orders:index:customer:backfill";
/**
 * Orders whose record may hold side effects not yet performed, appended before the write that
 * records them: a node that dies between that write and the publish leaves the id here, and the
 * sweeper (any node, under a lock) performs what is left. The cursor only passes entries whose
 * outbox is empty and which are older than the grace, so a write still in flight is never skipped.
 */
const PENDING_KEY = "orders:outbox:pending";
const PENDING_CURSOR_KEY = "orders:outbox:cursor";
const SWEEP_LOCK_KEY = "orders:outbox:sweeper";
export const DEFAULT_OUTBOX_SWEEP_MS = 5000;
const PENDING_GRACE_MS = 30_000;
const creatingKey = (id: string) => `orders:creating:${id}`;
/** Pending orders by payment deadline. */
const PAYMENT_DUE_KEYS: DeadlineKeys = { bucket: bucket => `orders:due:${bucket}`, cursor: "orders:due:cursor" };
const PAYMENT_SWEEP_LOCK_KEY = "orders:due:sweeper";
/**
 * How much of the store-wide index was checked for pending orders with no deadline: those placed
 * before deadlines existed, or by a node that predates them during a rolling deploy.
 */
const PAYMENT_BACKFILL_CURSOR_KEY = "orders:due:backfilled";
/** Index entries one sweep checks at most, so that the first sweep of a large store does not outlive its lock. */
const PAYMENT_BACKFILL_MAX = 5000;
/** Every node must use the same bucket size: a constant, not configuration. */
export const PAYMENT_DEADLINE_BUCKET_MS = 60_000;
export const DEFAULT_PAYMENT_SWEEP_MS = 30_000;
const PAYMENT_SWEEP_LOCK_TTL_MS = 60_000;

interface CreateParams {
	waId: string;
	brand: string;
	items: { sku: string; qty: number; size?: string; color?: string }[];
	promoCode?: string;
	/** Where the order goes, as the customer wrote it (or the place a shared location names). */
	deliverTo?: string;
	conversationId?: string;
	idempotencyKey?: string;
}

export interface OrderLineView {
	sku: string;
	name: string;
	/** The size chosen, for a product that comes in sizes. */
	size?: string;
	/** The colour (or shade) chosen, for a product that comes in several. */
	color?: string;
	qty: number;
	unitPrice: number;
	lineTotal: number;
}

export interface Order {
	id: string;
	waId: string;
	brand: string;
	status: OrderStatus;
	items: OrderLineView[];
	subtotal: number;
	discount: number;
	total: number;
	currency: string;
	promoCode?: string;
	/** The delivery address, as the customer gave it. */
	deliverTo?: string;
	conversationId?: string;
	createdAt: string;
	updatedAt: string;
	/** While pending: not paid by then (ISO time), it is cancelled as "not paid in time". */
	payBy?: string;
	paymentRef?: string;
	carrier?: string;
	trackingNumber?: string;
	deliveredAt?: string;
	cancelReason?: string;
	/** Payments the store owes back, oldest first; absent until one is. */
	refunds?: OrderRefund[];
}

export interface OrderRefund {
	paymentRef: string;
	/** Minor units of `currency`: the order's total, what its payment was for. */
	amount: number;
	currency: string;
	/** cancelled_after_payment | paid_after_cancellation | paid_twice */
	reason: RefundReason;
	/** The cancellation's own reason, for an order cancelled after it was paid. */
	note?: string;
	/** When it became owed. */
	at: string;
	/** Set once someone recorded it as made (`orders.refunded`). */
	refundedAt?: string;
	refundRef?: string;
}

export interface OrderHistoryEntry {
	/** ADDRESS: the delivery address changed; REFUND: a refund owed was recorded as made. Neither moves the status. */
	event: "CREATE" | "ADDRESS" | "REFUND" | OrderEvent["type"];
	from: OrderStatus | null;
	to: OrderStatus;
	at: string;
	source: string;
	/** The payment a PAY brought. */
	paymentRef?: string;
	/** The carrier and tracking number a SHIP gave (a later one with `from` = `to` corrects them). */
	tracking?: { carrier: string; trackingNumber: string };
	/** The refund this step made owed (PAY, CANCEL) or settled (REFUND). */
	refund?: Pick<OrderRefund, "paymentRef" | "amount" | "reason"> & { refundRef?: string };
}

/** What an update did: the webhook answers it to the provider. */
export type ApplyOutcome = "applied" | "repeated" | "refund_due" | "tracking_changed";

/** An unsettled refund makes an order one operators must act on. */
export const owesRefund = (o: Pick<Order, "refunds">) => (o.refunds ?? []).some(r => !r.refundedAt);

type OutboxItem =
	| { kind: "publish"; type: EventType; id: string; data: Record<string, unknown> }
	| { kind: "release"; items: { sku: string; qty: number }[]; ref: string }
	| { kind: "index" };

export interface OrderRecord {
	version: number;
	snapshot: PersistedOrderSnapshot;
	order: Order;
	history: OrderHistoryEntry[];
	outbox: OutboxItem[];
}

export type OrderView = Order & { history: OrderHistoryEntry[] };

/** The fact each transition publishes, and the word for it in ids and errors. */
const TRANSITIONS = {
	PAY: { type: EventTypes.OrderConfirmed, fact: "confirmed", verb: "pay" },
	SHIP: { type: EventTypes.OrderShipped, fact: "shipped", verb: "ship" },
	DELIVER: { type: EventTypes.OrderDelivered, fact: "delivered", verb: "deliver" },
	CANCEL: { type: EventTypes.OrderCancelled, fact: "cancelled", verb: "cancel" },
	// The same fact as CANCEL: an order is cancelled once, by whichever comes first.
	EXPIRE: { type: EventTypes.OrderCancelled, fact: "cancelled", verb: "expire" }
} as const;

export const orderEventId = (orderId: string, fact: string) => `order-${orderId}-${fact}`;

/** Same customer and key → same id: the compare-and-set on a fresh key is the idempotency check. */
export function orderIdFor(waId: string, idempotencyKey?: string): string {
	if (!idempotencyKey) return `ord_${randomBytes(10).toString("hex")}`;
	return `ord_${createHash("sha256").update(`${waId}\n${idempotencyKey}`).digest("hex").slice(0, 20)}`;
}

const id = { type: "string", min: 1, max: 64, trim: true } as const;
const text = (max: number) => ({ type: "string", min: 1, max, trim: true }) as const;
const waId = { type: "string", pattern: /^\d{5,20}$/ } as const;

/** Webhook bodies come from outside: checked here to answer 400, not a 422 from deeper down. */
const checkWebhook = new Validator({ haltOnFirstError: false }).compile({
	$$strict: false,
	orderId: id,
	event: { type: "enum", values: ["paid", "shipped", "delivered", "cancelled"] },
	paymentRef: { ...text(256), optional: true },
	carrier: { ...text(64), optional: true },
	trackingNumber: { ...text(128), optional: true },
	reason: { ...text(512), optional: true }
});

export interface OrdersServiceOptions {
	now?: () => number;
	/** How often a node looks for side effects a crashed node left behind. */
	outboxSweepMs?: number;
	/** How long a new order waits for its payment; ORDER_PAYMENT_TIMEOUT_MINUTES unless told. */
	paymentTimeoutMs?: number;
	/** How often a node looks for passed payment deadlines. */
	paymentSweepMs?: number;
}

interface OrdersThis {
	broker: import("moleculer").ServiceBroker;
	logger: import("moleculer").LoggerInstance;
	now: () => number;
	publish: EventsMethods["publish"];
	store(): Store;
	load(orderId: string): Promise<{ version: number; value: OrderRecord } | null>;
	flush(orderId: string): Promise<OrderRecord | null>;
	perform(record: OrderRecord, item: OutboxItem): Promise<void>;
	apply(orderId: string, event: OrderEvent, source: string): Promise<OrderView>;
	applyEvent(orderId: string, event: OrderEvent, source: string): Promise<{ view: OrderView; outcome: ApplyOutcome }>;
	settleRefund(orderId: string, paymentRef: string, refundRef: string | undefined, source: string): Promise<OrderView>;
	readdress(orderId: string, deliverTo: string, source: string): Promise<OrderView>;
	createOrder(ctx: Context<CreateParams>, orderId: string): Promise<OrderView>;
	claimCreation(orderId: string): Promise<OrderRecord | null>;
	notePending(orderId: string): Promise<void>;
	indexCustomers(): Promise<void>;
	sweepOutbox(): Promise<number>;
	sweepTimer?: NodeJS.Timeout;
	paymentTimeoutMs: number;
	deadlines: DeadlineIndex;
	sweepPayments(): Promise<{ swept: boolean; fired: number }>;
	backfillPaymentDeadlines(): Promise<number>;
	givePaymentDeadline(orderId: string): Promise<boolean>;
	paymentSweep: { timer: NodeJS.Timeout | null; running: Promise<unknown> | null };
}

/** Tracking corrections so far: SHIP steps taken while already shipped. */
function corrections(history: readonly OrderHistoryEntry[]): number {
	return history.filter(h => h.event === "SHIP" && h.from === "shipped").length;
}

function view(record: OrderRecord): OrderView {
	return { ...record.order, history: record.history };
}

function refusal(orderId: string, status: OrderStatus, event: OrderEvent["type"], allowed: string[]): StoreClientError {
	const verb = TRANSITIONS[event].verb;
	return new StoreClientError(
		`Cannot ${verb} order ${orderId}: it is ${status}${allowed.length ? ` (allowed: ${allowed.join(", ")})` : ""}`,
		409,
		ErrorTypes.InvalidTransition,
		{ orderId, status, event, allowed }
	);
}

function eventData(order: Order, event: OrderEvent): EventPayloads[(typeof TRANSITIONS)[OrderEvent["type"]]["type"]] {
	const base = { orderId: order.id, waId: order.waId, brand: order.brand, ...(order.conversationId ? { conversationId: order.conversationId } : {}) };
	switch (event.type) {
		case "PAY":
			return { ...base, paymentRef: event.paymentRef, total: order.total, currency: order.currency };
		case "SHIP":
			return { ...base, carrier: event.carrier, trackingNumber: event.trackingNumber };
		case "DELIVER":
			return { ...base, deliveredAt: event.at };
		case "CANCEL":
			return { ...base, reason: event.reason, from: order.status as "pending" | "confirmed" };
		case "EXPIRE":
			return { ...base, reason: NOT_PAID_IN_TIME, from: "pending", reasonCode: "not_paid_in_time" };
	}
}

export function createOrdersService(opts: OrdersServiceOptions = {}): ServiceSchema {
	return {
		name: ServiceNames.Orders,
		mixins: [EventsMixin],

		actions: {
			create: {
				params: {
					waId,
					brand: { type: "string", pattern: /^[a-z][a-z0-9-]{0,31}$/ },
					items: {
						type: "array",
						min: 1,
						max: 50,
						items: {
							type: "object",
							strict: "remove",
							props: { sku: id, qty: { type: "number", integer: true, positive: true, max: 1000, convert: true }, size: { type: "string", optional: true, min: 1, max: 24, trim: true }, color: { type: "string", optional: true, min: 1, max: 32, trim: true } }
						}
					},
					promoCode: { type: "string", optional: true, max: 64, trim: true },
					deliverTo: { type: "string", optional: true, min: 5, max: DELIVER_TO_MAX, trim: true },
					conversationId: { type: "string", optional: true, min: 1, max: 256 },
					idempotencyKey: { type: "string", optional: true, min: 1, max: 256 }
				},
				async handler(this: OrdersThis, ctx: Context<CreateParams>) {
					const p = ctx.params;
					const orderId = orderIdFor(p.waId, p.idempotencyKey);
					if (p.idempotencyKey) {
						const existing = await this.claimCreation(orderId);
						if (existing) return view(existing);
					}
					try {
						return await this.createOrder(ctx, orderId);
					} finally {
						if (p.idempotencyKey) await this.store().del(creatingKey(orderId)).catch(() => undefined);
					}
				}
			},

			get: {
				params: { id },
				async handler(this: OrdersThis, ctx: Context<{ id: string }>) {
					const record = await this.flush(ctx.params.id);
					if (!record) throw new NotFoundError(`Order '${ctx.params.id}'`, { orderId: ctx.params.id }, ErrorTypes.OrderNotFound);
					return view(record);
				}
			},

			list: {
				params: {
					waId: { ...waId, optional: true },
					brand: { type: "string", optional: true, max: 32 },
					status: { type: "enum", values: [...ORDER_STATES], optional: true },
					/** Only orders with a refund owed and not yet made. */
					refundDue: { type: "boolean", optional: true, convert: true },
					limit: { type: "number", integer: true, min: 1, max: 500, optional: true, convert: true }
				},
				async handler(this: OrdersThis, ctx: Context<{ waId?: string; brand?: string; status?: OrderStatus; refundDue?: boolean; limit?: number }>) {
					const { waId: wa, brand, status, refundDue, limit = 50 } = ctx.params;
					const ids = [...new Set(await this.store().range<string>(wa ? customerIndexKey(wa) : INDEX_KEY))].reverse();
					const matched: OrderView[] = [];
					for (let i = 0; i < ids.length; i += LIST_BATCH) {
						const records = await Promise.all(ids.slice(i, i + LIST_BATCH).map(o => this.load(o)));
						for (const r of records) {
							if (!r) continue;
							const o = r.value.order;
							if ((wa && o.waId !== wa) || (brand && o.brand !== brand) || (status && o.status !== status) || (refundDue && !owesRefund(o))) continue;
							matched.push(view(r.value));
						}
					}
					return { items: matched.slice(0, limit), total: matched.length };
				}
			},

			pay: {
				params: { id, paymentRef: text(256) },
				handler(this: OrdersThis, ctx: Context<{ id: string; paymentRef: string }>) {
					return this.apply(ctx.params.id, { type: "PAY", paymentRef: ctx.params.paymentRef }, "api");
				}
			},

			ship: {
				params: { id, carrier: text(64), trackingNumber: text(128) },
				handler(this: OrdersThis, ctx: Context<{ id: string; carrier: string; trackingNumber: string }>) {
					return this.apply(ctx.params.id, { type: "SHIP", carrier: ctx.params.carrier, trackingNumber: ctx.params.trackingNumber }, "api");
				}
			},

			deliver: {
				params: { id },
				handler(this: OrdersThis, ctx: Context<{ id: string }>) {
					return this.apply(ctx.params.id, { type: "DELIVER", at: new Date(this.now()).toISOString() }, "api");
				}
			},

			/**
			 * Where an order not yet shipped goes now (a person fixed it for the customer): the order,
			 * its history and `store.order.address.changed`. The same address again changes nothing.
			 */
			setAddress: {
				params: { id, deliverTo: { type: "string", min: 5, max: DELIVER_TO_MAX, trim: true } },
				handler(this: OrdersThis, ctx: Context<{ id: string; deliverTo: string }>) {
					return this.readdress(ctx.params.id, ctx.params.deliverTo, "api");
				}
			},

			cancel: {
				params: { id, reason: text(512) },
				handler(this: OrdersThis, ctx: Context<{ id: string; reason: string }>) {
					return this.apply(ctx.params.id, { type: "CANCEL", reason: ctx.params.reason }, "api");
				}
			},

			/**
			 * A refund owed was made (by whoever pays it back: the provider's console, a bank transfer):
			 * it leaves the refund-due list, keeping its record. Again is no change; a paymentRef the
			 * order owes nothing for is a 409 naming those it does.
			 */
			refunded: {
				params: { id, paymentRef: text(256), refundRef: { ...text(256), optional: true } },
				handler(this: OrdersThis, ctx: Context<{ id: string; paymentRef: string; refundRef?: string }>) {
					return this.settleRefund(ctx.params.id, ctx.params.paymentRef, ctx.params.refundRef, "api");
				}
			},

			/**
			 * `POST /webhooks/orders` after its signature was checked by the gateway. The body is the
			 * provider's: a bad shape answers 400 with every problem. The answer is the order with
			 * `outcome`: `applied`, `repeated` (a redelivery: nothing changed), `tracking_changed` (a
			 * `shipped` with another carrier or tracking number corrected a shipped order), or `refund_due` (money was
			 * taken that the store must give back: a payment for a cancelled order, a second paymentRef
			 * for a paid one, the cancellation of a paid order). A payment is answered 200 in every state:
			 * the provider has taken the money whatever we answer, and it retries a non-2xx for days,
			 * which records nothing more; the refund owed is what must not be lost, and it is recorded
			 * before the answer.
			 */
			webhook: {
				async handler(this: OrdersThis, ctx: Context<Record<string, unknown>>) {
					const body = ctx.params;
					const result = checkWebhook(body);
					if (result !== true)
						throw new StoreClientError("Malformed order update", 400, ErrorTypes.Invalid, {
							problems: (result as { message?: string }[]).map(e => e.message)
						});
					const orderId = String(body.orderId).trim();
					const str = (k: string) => (typeof body[k] === "string" ? (body[k] as string).trim() : undefined);
					let event: OrderEvent;
					switch (body.event) {
						case "paid": {
							const paymentRef = str("paymentRef");
							if (!paymentRef) throw new StoreClientError("A 'paid' update needs paymentRef", 400, ErrorTypes.Invalid);
							event = { type: "PAY", paymentRef };
							break;
						}
						case "shipped": {
							const carrier = str("carrier");
							const trackingNumber = str("trackingNumber");
							if (!carrier || !trackingNumber) throw new StoreClientError("A 'shipped' update needs carrier and trackingNumber", 400, ErrorTypes.Invalid);
							event = { type: "SHIP", carrier, trackingNumber };
							break;
						}
						case "delivered":
							event = { type: "DELIVER", at: new Date(this.now()).toISOString() };
							break;
						default:
							event = { type: "CANCEL", reason: str("reason") ?? "cancelled by the provider" };
					}
					const { view: order, outcome } = await this.applyEvent(orderId, event, "webhook");
					return { ...order, outcome };
				}
			}
		},

		methods: {
			store(this: OrdersThis) {
				return this.broker.store;
			},

			/** Prices, reserves and writes a new order; the caller has excluded a duplicate key. */
			async createOrder(this: OrdersThis, ctx: Context<CreateParams>, orderId: string) {
				const p = ctx.params;
				// The catalog prices and reserves by product; the size rides along, line for line.
				const items = p.items.map(({ sku, qty }) => ({ sku, qty }));
				const q = await ctx.call<Quote & { lines: (Quote["lines"][number] & { brand: string })[] }, object>("catalog.price", {
					items,
					...(p.promoCode ? { promoCode: p.promoCode, waId: p.waId } : {})
				});
				const foreign = q.lines.filter(l => l.brand !== p.brand);
				if (foreign.length)
					throw new StoreClientError(
						`${foreign.map(l => l.sku).join(", ")} ${foreign.length > 1 ? "are" : "is"} not sold by ${p.brand}`,
						422,
						ErrorTypes.BrandMismatch,
						{ brand: p.brand, skus: foreign.map(l => l.sku) }
					);
				// A size the product does not come in would ship as nobody can; the catalog's spelling is kept.
				const sizes = p.items.map((item, i) => {
					if (!item.size) return undefined;
					const line = q.lines[i]!;
					const offered = line.sizes ?? [];
					const size = offered.find(z => sameSize(z, item.size!));
					if (!size)
						throw new StoreClientError(
							offered.length ? `${line.name} does not come in size ${item.size} (sizes: ${offered.join(", ")})` : `${line.name} comes in one size only`,
							422,
							ErrorTypes.UnknownSize,
							{ sku: line.sku, size: item.size, sizes: offered }
						);
					return size;
				});
				// Likewise a colour it does not come in; the catalog's spelling is kept ("Navy" for "navy").
				const colours = p.items.map((item, i) => {
					if (!item.color) return undefined;
					const line = q.lines[i]!;
					const offered = line.colours ?? [];
					const color = colourNamed(item.color, offered);
					if (!color)
						throw new StoreClientError(
							offered.length ? `${line.name} does not come in ${item.color} (colours: ${offered.join(", ")})` : `${line.name} comes in one colour only`,
							422,
							ErrorTypes.UnknownColour,
							{ sku: line.sku, color: item.color, colours: offered }
						);
					return color;
				});
				if (q.promo && !q.promo.applied)
					throw new StoreClientError(`Promotion code not applied: ${q.promo.reason}`, 422, ErrorTypes.PromoNotApplicable, {
						code: q.promo.code,
						refusal: q.promo.refusal,
						reason: q.promo.reason
					});

				await ctx.call("catalog.reserve", { items });
				const now = this.now();
				const at = new Date(now).toISOString();
				const payByMs = now + this.paymentTimeoutMs;
				const payBy = new Date(payByMs).toISOString();
				const order: Order = {
					id: orderId,
					waId: p.waId,
					brand: p.brand,
					status: "pending",
					items: q.lines.map((l, i) => ({
						sku: l.sku,
						name: l.name,
						...(sizes[i] ? { size: sizes[i] } : {}),
						...(colours[i] ? { color: colours[i] } : {}),
						qty: l.qty,
						unitPrice: l.unitPrice,
						lineTotal: l.lineTotal
					})),
					subtotal: q.subtotal,
					discount: q.discount,
					total: q.total,
					currency: q.currency,
					...(q.promo?.applied ? { promoCode: q.promo.code } : {}),
					...(p.deliverTo ? { deliverTo: p.deliverTo } : {}),
					...(p.conversationId ? { conversationId: p.conversationId } : {}),
					createdAt: at,
					updatedAt: at,
					payBy
				};
				const created: EventPayloads["store.order.created"] = {
					orderId,
					waId: order.waId,
					brand: order.brand,
					items: order.items.map(l => ({ sku: l.sku, qty: l.qty, name: l.name, ...(l.size ? { size: l.size } : {}), ...(l.color ? { color: l.color } : {}), unitPrice: l.unitPrice })),
					subtotal: order.subtotal,
					discount: order.discount,
					total: order.total,
					currency: order.currency,
					...(order.deliverTo ? { deliverTo: order.deliverTo } : {}),
					payBy,
					...(order.conversationId ? { conversationId: order.conversationId } : {})
				};
				const record: OrderRecord = {
					version: ORDER_RECORD_VERSION,
					snapshot: initialOrderSnapshot(orderId, payBy),
					order,
					history: [{ event: "CREATE", from: null, to: "pending", at, source: "api" }],
					outbox: [{ kind: "index" }, { kind: "publish", type: EventTypes.OrderCreated, id: orderEventId(orderId, "created"), data: { ...created } }]
				};

				// Retries of one idempotency key share the order id, so each attempt's reservation gets a
				// ref of its own: giving back one attempt's stock must not look like a repeat of another's.
				const unreserve = { items, ref: `order:${orderId}:unreserve:${randomBytes(6).toString("hex")}` };
				let written: number | null;
				try {
					await this.notePending(orderId);
					// Listed before the write: a crash in between leaves a hint the sweeper checks, never an order nobody expires.
					await this.deadlines.add(orderId, payByMs);
					written = await this.store().compareAndSet(orderKey(orderId), 0, record);
				} catch (err) {
					await ctx.call("catalog.release", unreserve).catch(() => undefined);
					throw err;
				}
				if (written === null) {
					// The same idempotency key won on another call meanwhile: give our reservation back.
					await ctx.call("catalog.release", unreserve);
					return view((await this.flush(orderId))!);
				}
				return view((await this.flush(orderId)) ?? record);
			},

			/**
			 * The first call with an idempotency key claims its creation; a concurrent call with the
			 * same key waits for that order instead of reserving stock a second time. A claim left
			 * by a crashed node expires, and a failed creation deletes it, so a retry can proceed.
			 */
			async claimCreation(this: OrdersThis, orderId: string) {
				const deadline = Date.now() + CREATE_CLAIM_TTL_MS + 1000;
				for (;;) {
					if (await this.load(orderId)) return this.flush(orderId);
					if (await this.store().setIfAbsent(creatingKey(orderId), this.broker.nodeID, CREATE_CLAIM_TTL_MS)) return null;
					if (Date.now() > deadline)
						throw new StoreRetryableError(`Order ${orderId} is still being created; try again`, 503, ErrorTypes.Conflict, { orderId });
					await new Promise(resolve => setTimeout(resolve, CREATE_CLAIM_POLL_MS));
				}
			},

			async load(this: OrdersThis, orderId: string) {
				const record = await this.store().getVersioned<OrderRecord>(orderKey(orderId));
				if (record && record.value.version !== ORDER_RECORD_VERSION)
					throw new Error(`Order ${orderId} has record version ${record.value.version}; this node reads ${ORDER_RECORD_VERSION}`);
				return record;
			},

			/**
			 * Performs and removes the record's pending side effects, oldest first. A failure stops
			 * here and leaves the rest for the next call that touches the order; it is logged, not
			 * thrown: the state change itself is done and must be reported as done.
			 */
			async flush(this: OrdersThis, orderId: string) {
				for (;;) {
					const current = await this.load(orderId);
					if (!current) return null;
					const item = current.value.outbox[0];
					if (!item) return current.value;
					try {
						await this.perform(current.value, item);
					} catch (err) {
						this.logger.warn(`Order ${orderId}: ${item.kind} left for a later retry: ${(err as Error).message}`);
						return current.value;
					}
					const next = { ...current.value, outbox: current.value.outbox.slice(1) };
					// On a conflict someone else changed the record: read it again (the item is idempotent).
					await this.store().compareAndSet(orderKey(orderId), current.version, next);
				}
			},

			/**
			 * Fills the customer lists from the store-wide index, once per store: orders written before
			 * the lists existed. Until it is done no node answers `list` by customer, which waits for it.
			 */
			async indexCustomers(this: OrdersThis) {
				while (!(await this.store().get<boolean>(CUSTOMER_INDEX_MARKER))) {
					const lock = await this.store().lock(CUSTOMER_INDEX_LOCK, 60_000);
					if (!lock) {
						await new Promise(r => setTimeout(r, 200));
						continue;
					}
					try {
						if (await this.store().get<boolean>(CUSTOMER_INDEX_MARKER)) return;
						const ids = [...new Set(await this.store().range<string>(INDEX_KEY))];
						for (let i = 0; i < ids.length; i += LIST_BATCH) {
							const records = await Promise.all(ids.slice(i, i + LIST_BATCH).map(o => this.load(o)));
							for (const r of records) if (r) await this.store().append(customerIndexKey(r.value.order.waId), r.value.order.id);
						}
						await this.store().set(CUSTOMER_INDEX_MARKER, true);
						if (ids.length) this.logger.info(`Indexed ${ids.length} orders by customer`);
					} finally {
						await lock.release();
					}
				}
			},

			async notePending(this: OrdersThis, orderId: string) {
				await this.store().append(PENDING_KEY, { orderId, at: this.now() });
			},

			/** Flushes every noted order from the cursor on; returns how many still have work left. */
			async sweepOutbox(this: OrdersThis) {
				const lock = await this.store().lock(SWEEP_LOCK_KEY, 60_000);
				if (!lock) return 0;
				try {
					const cursor = (await this.store().get<number>(PENDING_CURSOR_KEY)) ?? 0;
					const entries = await this.store().range<{ orderId: string; at: number }>(PENDING_KEY, cursor, -1);
					let next = cursor;
					let passing = true;
					let left = 0;
					for (const entry of entries) {
						const record = await this.flush(entry.orderId);
						const settled = !record || record.outbox.length === 0;
						if (!settled) left++;
						if (passing && settled && this.now() - entry.at > PENDING_GRACE_MS) next++;
						else passing = false;
					}
					if (next !== cursor) await this.store().set(PENDING_CURSOR_KEY, next);
					return left;
				} finally {
					await lock.release();
				}
			},

			/**
			 * Gives unpaid orders with no deadline one (counted from their creation), then fires every
			 * deadline that passed. Any node may call it at any time; one sweeps, the others return.
			 */
			async sweepPayments(this: OrdersThis) {
				const lock = await this.store().lock(PAYMENT_SWEEP_LOCK_KEY, PAYMENT_SWEEP_LOCK_TTL_MS);
				if (!lock) return { swept: false, fired: 0 };
				try {
					await this.backfillPaymentDeadlines();
					const { fired } = await this.deadlines.sweep(async orderId => {
						const order = (await this.load(orderId))?.value.order;
						const at = this.now();
						// The index is a hint: the order itself says whether it still waits, and until when.
						if (!order || order.status !== "pending" || !order.payBy || Date.parse(order.payBy) > at) return "not-due";
						try {
							await this.apply(orderId, { type: "EXPIRE", at: new Date(at).toISOString() }, "deadline");
							return "fired";
						} catch (err) {
							// Paid or cancelled since it was read: nothing is left to expire.
							if ((err as { code?: number }).code === 409) return "not-due";
							this.logger.warn(`Payment deadline of order ${orderId} not fired yet: ${(err as Error).message}`);
							return "failed";
						}
					});
					return { swept: true, fired };
				} finally {
					await lock.release().catch(() => false);
				}
			},

			/** The caller holds the payment sweep lock. Returns how many orders were given a deadline. */
			async backfillPaymentDeadlines(this: OrdersThis) {
				const from = (await this.store().get<number>(PAYMENT_BACKFILL_CURSOR_KEY)) ?? 0;
				const ids = await this.store().range<string>(INDEX_KEY, from, from + PAYMENT_BACKFILL_MAX - 1);
				let given = 0;
				for (let i = 0; i < ids.length; i += LIST_BATCH) {
					const batch = [...new Set(ids.slice(i, i + LIST_BATCH))];
					given += (await Promise.all(batch.map(id => this.givePaymentDeadline(id)))).filter(Boolean).length;
				}
				if (ids.length) await this.store().set(PAYMENT_BACKFILL_CURSOR_KEY, from + ids.length);
				if (given) this.logger.info(`Gave ${given} unpaid order(s) placed without a payment deadline one`);
				return given;
			},

			async givePaymentDeadline(this: OrdersThis, orderId: string) {
				for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
					const current = await this.load(orderId);
					if (!current) return false;
					const record = current.value;
					if (record.order.status !== "pending" || record.snapshot.context.payBy) return false;
					// A full window from now, not from when it was placed: its customer was given no deadline,
					// and a deploy must not cancel every old unpaid order at once "for not paying in time".
					const payByMs = Math.max(Date.parse(record.order.createdAt), this.now()) + this.paymentTimeoutMs;
					const payBy = new Date(payByMs).toISOString();
					await this.deadlines.add(orderId, payByMs);
					const next: OrderRecord = {
						...record,
						snapshot: { ...record.snapshot, context: { ...record.snapshot.context, payBy } },
						order: { ...record.order, payBy }
					};
					if ((await this.store().compareAndSet(orderKey(orderId), current.version, next)) !== null) return true;
				}
				return false;
			},

			async perform(this: OrdersThis, record: OrderRecord, item: OutboxItem) {
				const order = record.order;
				if (item.kind === "index") {
					// A retried item appends again; readers drop the repeat.
					await this.store().append(INDEX_KEY, order.id);
					await this.store().append(customerIndexKey(order.waId), order.id);
				}
				else if (item.kind === "release") await this.broker.call("catalog.release", { items: item.items, ref: item.ref });
				else
					await this.publish(item.type, item.data as never, {
						id: item.id,
						subject: order.id,
						correlationid: order.conversationId ?? order.id
					});
			},

			async settleRefund(this: OrdersThis, orderId: string, paymentRef: string, refundRef: string | undefined, source: string) {
				for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
					const current = await this.load(orderId);
					if (!current) throw new NotFoundError(`Order '${orderId}'`, { orderId }, ErrorTypes.OrderNotFound);
					const record = current.value;
					const refunds = record.order.refunds ?? [];
					const i = refunds.findIndex(r => r.paymentRef === paymentRef);
					if (i < 0)
						throw new StoreClientError(
							`Order ${orderId} owes no refund for payment ${paymentRef}${refunds.length ? ` (it owes for: ${refunds.map(r => r.paymentRef).join(", ")})` : ""}`,
							409,
							ErrorTypes.InvalidTransition,
							{ orderId, status: record.order.status, event: "REFUND", paymentRef, owed: refunds.map(r => r.paymentRef) }
						);
					if (refunds[i]!.refundedAt) return view(record);
					const at = new Date(this.now()).toISOString();
					const settled: OrderRefund = { ...refunds[i]!, refundedAt: at, ...(refundRef ? { refundRef } : {}) };
					const status = record.order.status;
					const next: OrderRecord = {
						...record,
						order: { ...record.order, refunds: refunds.map((r, j) => (j === i ? settled : r)), updatedAt: at },
						history: [
							...record.history,
							{ event: "REFUND", from: status, to: status, at, source, refund: { paymentRef, amount: settled.amount, reason: settled.reason, ...(refundRef ? { refundRef } : {}) } }
						]
					};
					if ((await this.store().compareAndSet(orderKey(orderId), current.version, next)) !== null) return view(next);
				}
				throw new StoreRetryableError(`Order ${orderId} is being updated by others; try again`, 503, ErrorTypes.Conflict, { orderId });
			},

			async readdress(this: OrdersThis, orderId: string, deliverTo: string, source: string) {
				for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
					const current = await this.load(orderId);
					if (!current) throw new NotFoundError(`Order '${orderId}'`, { orderId }, ErrorTypes.OrderNotFound);
					const record = current.value;
					const { order } = record;
					if (order.deliverTo === deliverTo) return view((await this.flush(orderId)) ?? record);
					if (order.status !== "pending" && order.status !== "confirmed")
						throw new StoreClientError(`Cannot change the address of order ${orderId}: it is ${order.status}`, 409, ErrorTypes.InvalidTransition, { orderId, status: order.status, event: "ADDRESS", allowed: [] });
					const at = new Date(this.now()).toISOString();
					const changes = record.history.filter(h => h.event === "ADDRESS").length;
					const data: EventPayloads["store.order.address.changed"] = {
						orderId,
						waId: order.waId,
						brand: order.brand,
						deliverTo,
						...(order.deliverTo ? { previous: order.deliverTo } : {}),
						...(order.conversationId ? { conversationId: order.conversationId } : {})
					};
					const next: OrderRecord = {
						...record,
						order: { ...order, deliverTo, updatedAt: at },
						history: [...record.history, { event: "ADDRESS", from: order.status, to: order.status, at, source }],
						// Each change is its own fact: the id counts them, so a retried publish is still one.
						outbox: [...record.outbox, { kind: "publish", type: EventTypes.OrderAddressChanged, id: orderEventId(orderId, `address-${changes + 1}`), data: { ...data } }]
					};
					await this.notePending(orderId);
					if ((await this.store().compareAndSet(orderKey(orderId), current.version, next)) !== null) return view((await this.flush(orderId)) ?? next);
				}
				throw new StoreRetryableError(`Order ${orderId} is being updated by others; try again`, 503, ErrorTypes.Conflict, { orderId });
			},

			async apply(this: OrdersThis, orderId: string, event: OrderEvent, source: string) {
				return (await this.applyEvent(orderId, event, source)).view;
			},

			async applyEvent(this: OrdersThis, orderId: string, event: OrderEvent, source: string) {
				for (let attempt = 0; attempt < CAS_ATTEMPTS; attempt++) {
					const current = await this.load(orderId);
					if (!current) throw new NotFoundError(`Order '${orderId}'`, { orderId }, ErrorTypes.OrderNotFound);
					const record = current.value;
					const decision = decideOrderEvent(record.snapshot, event, record.history.filter(h => h.event !== "ADDRESS" && h.event !== "REFUND").map(h => h.to));
					if (decision.outcome === "repeated") return { view: view((await this.flush(orderId)) ?? record), outcome: "repeated" as const };
					if (decision.outcome === "refused") throw refusal(orderId, decision.status, event.type, decision.allowed);

					const at = new Date(this.now()).toISOString();
					const ctx = decision.snapshot.context;
					const owed: OrderRefund[] = (ctx.refunds ?? []).slice((record.snapshot.context.refunds ?? []).length).map(r => ({
						paymentRef: r.paymentRef,
						amount: record.order.total,
						currency: record.order.currency,
						reason: r.reason,
						...(r.reason === "cancelled_after_payment" && ctx.cancelReason ? { note: ctx.cancelReason } : {}),
						at
					}));
					const order: Order = {
						...record.order,
						status: decision.to,
						updatedAt: at,
						...(ctx.paymentRef ? { paymentRef: ctx.paymentRef } : {}),
						...(ctx.carrier ? { carrier: ctx.carrier, trackingNumber: ctx.trackingNumber } : {}),
						...(ctx.deliveredAt ? { deliveredAt: ctx.deliveredAt } : {}),
						...(ctx.cancelReason ? { cancelReason: ctx.cancelReason } : {}),
						...(owed.length ? { refunds: [...(record.order.refunds ?? []), ...owed] } : {})
					};
					const t = TRANSITIONS[event.type];
					const outbox: OutboxItem[] = [...record.outbox];
					if (decision.to === "cancelled" && decision.from !== "cancelled")
						outbox.push({ kind: "release", items: order.items.map(l => ({ sku: l.sku, qty: l.qty })), ref: `order:${orderId}:cancel` });
					// A payment owed back is no new fact for the customer's conversation: it stays in the state it was.
					if (decision.from !== decision.to)
						outbox.push({ kind: "publish", type: t.type, id: orderEventId(orderId, t.fact), data: { ...eventData(record.order, event) } });
					// The customer hears of each, after the cancellation it may come with (one per payment: a retried publish is still one).
					for (const r of owed) {
						const data: EventPayloads["store.order.refund.due"] = {
							orderId,
							waId: order.waId,
							brand: order.brand,
							paymentRef: r.paymentRef,
							amount: r.amount,
							currency: r.currency,
							reason: r.reason,
							...(order.conversationId ? { conversationId: order.conversationId } : {})
						};
						outbox.push({ kind: "publish", type: EventTypes.OrderRefundDue, id: orderEventId(orderId, `refund-${createHash("sha256").update(r.paymentRef).digest("hex").slice(0, 16)}`), data: { ...data } });
					}
					const correction = event.type === "SHIP" && decision.from === "shipped" ? corrections(record.history) + 1 : 0;
					if (correction && event.type === "SHIP") {
						const data: EventPayloads["store.order.tracking.changed"] = {
							orderId,
							waId: order.waId,
							brand: order.brand,
							carrier: event.carrier,
							trackingNumber: event.trackingNumber,
							previous: { carrier: record.order.carrier!, trackingNumber: record.order.trackingNumber! },
							correction,
							...(order.conversationId ? { conversationId: order.conversationId } : {})
						};
						// Each correction is its own fact: the id counts them, so a retried publish is still one.
						outbox.push({ kind: "publish", type: EventTypes.OrderTrackingChanged, id: orderEventId(orderId, `tracking-${correction}`), data: { ...data } });
					}
					const step: OrderHistoryEntry = {
						event: event.type,
						from: decision.from,
						to: decision.to,
						at,
						source,
						...(event.type === "PAY" ? { paymentRef: event.paymentRef } : {}),
						...(event.type === "SHIP" ? { tracking: { carrier: event.carrier, trackingNumber: event.trackingNumber } } : {}),
						...(owed[0] ? { refund: { paymentRef: owed[0].paymentRef, amount: owed[0].amount, reason: owed[0].reason } } : {})
					};
					const next: OrderRecord = { ...record, snapshot: decision.snapshot, order, history: [...record.history, step], outbox };
					await this.notePending(orderId);
					if ((await this.store().compareAndSet(orderKey(orderId), current.version, next)) !== null) {
						if (event.type === "EXPIRE") {
							countExpired(this.broker, order.brand);
							this.logger.info(`Order ${orderId} cancelled: not paid by ${record.order.payBy}`);
						}
						for (const r of owed) {
							countRefundOwed(this.broker, order.brand, r.reason);
							this.logger.warn(`Order ${orderId}: refund owed of ${r.amount} ${r.currency} for payment ${r.paymentRef} (${r.reason})`);
						}
						if (correction) this.logger.info(`Order ${orderId}: tracking corrected to ${order.carrier} ${order.trackingNumber} (was ${record.order.carrier} ${record.order.trackingNumber})`);
						const outcome: ApplyOutcome = owed.length ? "refund_due" : correction ? "tracking_changed" : "applied";
						return { view: view((await this.flush(orderId)) ?? next), outcome };
					}
				}
				throw new StoreRetryableError(`Order ${orderId} is being updated by others; try again`, 503, ErrorTypes.Conflict, { orderId });
			}
		},

		created(this: OrdersThis) {
			this.now = opts.now ?? (() => Date.now());
			this.paymentTimeoutMs = opts.paymentTimeoutMs ?? brokerConfig(this.broker).orders.paymentTimeoutMs;
			this.deadlines = new DeadlineIndex(this.broker.store, PAYMENT_DUE_KEYS, PAYMENT_DEADLINE_BUCKET_MS, () => this.now());
			this.paymentSweep = { timer: null, running: null };
			registerOrderMetrics(this.broker);
		},

		async started(this: OrdersThis) {
			await this.indexCustomers();
			const every = opts.outboxSweepMs ?? DEFAULT_OUTBOX_SWEEP_MS;
			const sweep = () =>
				this.sweepOutbox().catch(err => this.logger.warn(`Outbox sweep failed: ${(err as Error).message}`));
			void sweep();
			this.sweepTimer = setInterval(sweep, every);
			this.sweepTimer.unref();
			// Deadlines that passed while no node ran fire now, then every paymentSweepMs.
			const sweepPayments = () => {
				if (this.paymentSweep.running) return;
				this.paymentSweep.running = this.sweepPayments()
					.catch(err => this.logger.warn(`Payment deadline sweep failed: ${(err as Error).message}`))
					.finally(() => (this.paymentSweep.running = null));
			};
			sweepPayments();
			this.paymentSweep.timer = setInterval(sweepPayments, opts.paymentSweepMs ?? DEFAULT_PAYMENT_SWEEP_MS);
			this.paymentSweep.timer.unref();
		},

		async stopped(this: OrdersThis) {
			if (this.sweepTimer) clearInterval(this.sweepTimer);
			if (this.paymentSweep.timer) clearInterval(this.paymentSweep.timer);
			this.paymentSweep.timer = null;
			await this.paymentSweep.running;
		}
	} as unknown as ServiceSchema;
}

export default createOrdersService();
