/**
 * The escalation actor: a conversation waiting for, or held by, a human seller.
 *
 *   queued ──OFFER──▶ offered ──ACCEPT──▶ active(online ⇄ away) ──RESOLVE──▶ resolved
 *     ▲  ◀─DECLINE / OFFER_EXPIRED─┘          │ GRACE_EXPIRED, TRANSFER(brand) → queued
 *     └──────────────────────────────────────┘ TRANSFER(seller) → offered
 *
 * Pure: no clock, no I/O, no `after` timers. Every event carries `at` from the host's clock and the
 * deadlines live in context as absolute times (see `deadlinesOf`), fired by a sweeper as explicit
 * events. That keeps a restored snapshot's timers intact after a restart and lets
 * `createTestModel` walk the graph. The host hears the machine only through typed `emit()`.
 *
 * Imports nothing of ours but contracts.
 */
import { assign, createActor, emit, setup, type Actor, type SnapshotFrom } from "xstate";
import {
	DECLINED_LIMIT,
	DEFAULT_ESCALATION_SLA_MS,
	DEFAULT_OFFER_TTL_MS,
	DEFAULT_SELLER_GRACE_MS,
	ESCALATION_SNAPSHOT_VERSION,
	EscalationEmittedTypes,
	MAX_ESCALATION_PRIORITY,
	MIN_ESCALATION_PRIORITY,
	TRANSFER_NOTE_MAX,
	type EscalationContext,
	type EscalationDeadline,
	type EscalationEmitted,
	type EscalationEvent,
	type EscalationInput,
	type PersistedEscalation,
	type QueueCause,
	type TransferNote
} from "../contracts/escalation";

const clampPriority = (p: number): number =>
	Math.min(MAX_ESCALATION_PRIORITY, Math.max(MIN_ESCALATION_PRIORITY, Math.trunc(p)));

/** A host clock that steps back (another node, NTP) must not move deadlines into the past. */
const later = (context: EscalationContext, at: number): number => Math.max(context.updatedAt, at);

const base = (context: EscalationContext, at: number) => ({
	escalationId: context.escalationId,
	conversationId: context.conversationId,
	brand: context.brand,
	at
});

const causeOf = (type: EscalationEvent["type"]): QueueCause => {
	switch (type) {
		case "DECLINE":
			return "declined";
		case "OFFER_EXPIRED":
			return "offer_expired";
		case "GRACE_EXPIRED":
			return "seller_offline";
		case "TRANSFER":
			return "transferred";
		default:
			return "created";
	}
};

const remember = (list: string[], sellerId: string): string[] =>
	[...list.filter(s => s !== sellerId), sellerId].slice(-DECLINED_LIMIT);

const validNote = (note: unknown): boolean =>
	typeof note === "string" && note.trim().length > 0 && note.length <= TRANSFER_NOTE_MAX;

export const escalationMachine = setup({
	types: {} as {
		context: EscalationContext;
		events: EscalationEvent;
		input: EscalationInput;
		emitted: EscalationEmitted;
	},
	guards: {
		hasSeller: ({ event }) => "sellerId" in event && typeof event.sellerId === "string" && event.sellerId.length > 0,
		isOfferedSeller: ({ context, event }) => "sellerId" in event && context.offer?.sellerId === event.sellerId,
		isAssignedSeller: ({ context, event }) =>
			"sellerId" in event && context.sellerId !== null && context.sellerId === event.sellerId,
		isOfferDue: ({ context, event }) => context.offer !== null && event.at >= context.offer.expiresAt,
		isSlaDue: ({ context, event }) => context.slaDeadline !== null && event.at >= context.slaDeadline,
		isGraceDue: ({ context, event }) => context.graceDeadline !== null && event.at >= context.graceDeadline,
		isTransferToSeller: ({ context, event }) =>
			event.type === "TRANSFER" &&
			context.sellerId === event.sellerId &&
			validNote(event.note) &&
			typeof event.toSellerId === "string" &&
			event.toSellerId.length > 0 &&
			event.toSellerId !== context.sellerId,
		isTransferToBrand: ({ context, event }) =>
			event.type === "TRANSFER" &&
			context.sellerId === event.sellerId &&
			validNote(event.note) &&
			event.toSellerId === undefined &&
			typeof event.toBrand === "string" &&
			event.toBrand.length > 0 &&
			event.toBrand !== context.brand,
		isHandback: ({ context, event }) =>
			event.type === "RESOLVE" && context.sellerId === event.sellerId && event.to === "ai",
		isClosing: ({ context, event }) =>
			event.type === "RESOLVE" && context.sellerId === event.sellerId && event.to === "closed"
	},
	actions: {
		setOffer: assign(({ context, event }) => {
			const at = later(context, event.at);
			// A transfer offers it to the seller it names, not to the one handing it on.
			const sellerId = event.type === "TRANSFER" ? event.toSellerId! : (event as { sellerId: string }).sellerId;
			return { offer: { sellerId, offeredAt: at, expiresAt: at + context.offerTtlMs }, updatedAt: at };
		}),
		setAssigned: assign(({ context, event }) => {
			const e = event as Extract<EscalationEvent, { type: "ACCEPT" }>;
			const at = later(context, e.at);
			return {
				sellerId: e.sellerId,
				sellerName: e.sellerName ?? null,
				acceptedAt: at,
				offer: null,
				slaDeadline: null,
				graceDeadline: null,
				updatedAt: at
			};
		}),
		recordDecline: assign(({ context, event }) => {
			const at = later(context, event.at);
			return {
				declinedBy: context.offer ? remember(context.declinedBy, context.offer.sellerId) : context.declinedBy,
				offer: null,
				updatedAt: at
			};
		}),
		/** Priority up, a fresh SLA period, and every seller gets another chance at it. */
		recordSlaBreach: assign(({ context, event }) => {
			const at = later(context, event.at);
			return {
				priority: clampPriority(context.priority + 1),
				slaBreaches: context.slaBreaches + 1,
				slaDeadline: at + context.slaMs,
				declinedBy: [],
				updatedAt: at
			};
		}),
		setSellerAway: assign(({ context, event }) => {
			const at = later(context, event.at);
			return { graceDeadline: at + context.graceMs, updatedAt: at };
		}),
		setSellerBack: assign(({ context, event }) => ({ graceDeadline: null, updatedAt: later(context, event.at) })),
		/** Waiting again: the seller lets go (remembered as `released`), the SLA counts from now, the age (createdAt) stays. */
		setRequeued: assign(({ context, event }) => {
			const at = later(context, event.at);
			const cause = event.type === "GRACE_EXPIRED" ? "seller_offline" : "transferred";
			return {
				...(context.sellerId ? { released: { sellerId: context.sellerId, cause, at } as const } : {}),
				sellerId: null,
				sellerName: null,
				offer: null,
				graceDeadline: null,
				waitingSince: at,
				slaDeadline: at + context.slaMs,
				updatedAt: at
			};
		}),
		recordTransfer: assign(({ context, event }) => {
			const e = event as Extract<EscalationEvent, { type: "TRANSFER" }>;
			const at = later(context, e.at);
			const transfer: TransferNote = {
				fromSellerId: e.sellerId,
				fromBrand: context.brand,
				...(e.toSellerId !== undefined ? { toSellerId: e.toSellerId } : {}),
				...(e.toBrand !== undefined ? { toBrand: e.toBrand } : {}),
				note: e.note.trim(),
				at
			};
			return {
				transfers: [...context.transfers, transfer],
				brand: e.toBrand ?? context.brand,
				// A seller handing it on does not count as declining it.
				declinedBy: context.declinedBy.filter(s => s !== e.toSellerId),
				updatedAt: at
			};
		}),
		setResolved: assign(({ context, event }) => {
			const at = later(context, event.at);
			const e = event as Extract<EscalationEvent, { type: "RESOLVE" | "CANCEL" }>;
			return {
				resolution: e.type === "RESOLVE" ? e.to : "ai",
				resolvedAt: at,
				resolutionNote: e.note ?? null,
				offer: null,
				slaDeadline: null,
				graceDeadline: null,
				updatedAt: at
			};
		}),
		emitQueued: emit(({ context, event }) => ({
			type: EscalationEmittedTypes.Queued,
			...base(context, context.updatedAt),
			priority: context.priority,
			cause: causeOf(event.type)
		})),
		emitOffered: emit(({ context }) => {
			const offer = context.offer!;
			const last = context.transfers.at(-1);
			return {
				type: EscalationEmittedTypes.Offered,
				...base(context, offer.offeredAt),
				sellerId: offer.sellerId,
				expiresAt: offer.expiresAt,
				...(last && last.toSellerId === offer.sellerId && last.at === offer.offeredAt ? { transfer: last } : {})
			};
		}),
		/** Runs before `setAssigned` clears the offer, so it can name whose offer was pre-empted. */
		emitAssigned: emit(({ context, event }) => {
			const e = event as Extract<EscalationEvent, { type: "ACCEPT" }>;
			const at = later(context, e.at);
			return {
				type: EscalationEmittedTypes.Assigned,
				...base(context, at),
				sellerId: e.sellerId,
				...(e.sellerName ? { sellerName: e.sellerName } : {}),
				...(e.by ? { by: e.by } : {}),
				waitedMs: at - context.waitingSince,
				...(context.offer && context.offer.sellerId !== e.sellerId ? { preemptedOfferTo: context.offer.sellerId } : {})
			};
		}),
		emitSlaBreached: emit(({ context }) => ({
			type: EscalationEmittedTypes.SlaBreached,
			...base(context, context.updatedAt),
			waitedMs: context.updatedAt - context.waitingSince,
			priority: context.priority
		})),
		emitSellerAway: emit(({ context }) => ({
			type: EscalationEmittedTypes.SellerAway,
			...base(context, context.updatedAt),
			sellerId: context.sellerId!,
			graceDeadline: context.graceDeadline!
		})),
		emitSellerBack: emit(({ context }) => ({
			type: EscalationEmittedTypes.SellerBack,
			...base(context, context.updatedAt),
			sellerId: context.sellerId!
		})),
		emitTransferred: emit(({ context }) => ({
			type: EscalationEmittedTypes.Transferred,
			...base(context, context.updatedAt),
			transfer: context.transfers.at(-1)!
		})),
		emitResolved: emit(({ context }) => ({
			type: EscalationEmittedTypes.Resolved,
			...base(context, context.resolvedAt!),
			...(context.sellerId ? { sellerId: context.sellerId } : {}),
			to: context.resolution!,
			...(context.resolutionNote ? { note: context.resolutionNote } : {}),
			...(context.sellerId && context.acceptedAt !== null ? { handledMs: context.resolvedAt! - context.acceptedAt } : {})
		}))
	}
}).createMachine({
	id: "escalation",
	context: ({ input }) => {
		const slaMs = input.slaMs ?? DEFAULT_ESCALATION_SLA_MS;
		return {
			escalationId: input.escalationId,
			conversationId: input.conversationId,
			brand: input.brand,
			waId: input.waId,
			customerName: input.customerName ?? null,
			// Only when known: an optional field that old records lack and old code ignores, so v1 stays v1.
			...(input.lang ? { lang: input.lang } : {}),
			reason: input.reason,
			detail: input.detail ?? null,
			priority: clampPriority(input.priority ?? 0),
			createdAt: input.createdAt,
			waitingSince: input.createdAt,
			updatedAt: input.createdAt,
			slaMs,
			offerTtlMs: input.offerTtlMs ?? DEFAULT_OFFER_TTL_MS,
			graceMs: input.graceMs ?? DEFAULT_SELLER_GRACE_MS,
			slaDeadline: input.createdAt + slaMs,
			slaBreaches: 0,
			offer: null,
			sellerId: null,
			sellerName: null,
			acceptedAt: null,
			graceDeadline: null,
			declinedBy: [],
			transfers: [],
			resolution: null,
			resolvedAt: null,
			resolutionNote: null
		};
	},
	initial: "queued",
	states: {
		queued: {
			description: "In its brand's queue, waiting for the host to offer it or a seller to take it.",
			entry: [{ type: "emitQueued" }],
			on: {
				OFFER: { guard: "hasSeller", target: "offered", actions: [{ type: "setOffer" }] },
				ACCEPT: { guard: "hasSeller", target: "active", actions: [{ type: "emitAssigned" }, { type: "setAssigned" }] },
				SLA_BREACHED: { guard: "isSlaDue", actions: [{ type: "recordSlaBreach" }, { type: "emitSlaBreached" }] },
				CANCEL: { target: "resolved", actions: [{ type: "setResolved" }, { type: "emitResolved" }] }
			}
		},
		offered: {
			description: "Offered to one seller until `offer.expiresAt`; anyone of the brand may still take it.",
			entry: [{ type: "emitOffered" }],
			on: {
				ACCEPT: { guard: "hasSeller", target: "active", actions: [{ type: "emitAssigned" }, { type: "setAssigned" }] },
				DECLINE: { guard: "isOfferedSeller", target: "queued", actions: [{ type: "recordDecline" }] },
				OFFER_EXPIRED: { guard: "isOfferDue", target: "queued", actions: [{ type: "recordDecline" }] },
				SLA_BREACHED: { guard: "isSlaDue", actions: [{ type: "recordSlaBreach" }, { type: "emitSlaBreached" }] },
				CANCEL: { target: "resolved", actions: [{ type: "setResolved" }, { type: "emitResolved" }] }
			}
		},
		active: {
			description: "A seller has the conversation; the AI is silent.",
			initial: "online",
			states: {
				online: {
					description: "The seller has at least one socket open.",
					on: {
						SELLER_DISCONNECTED: {
							guard: "isAssignedSeller",
							target: "away",
							actions: [{ type: "setSellerAway" }, { type: "emitSellerAway" }]
						}
					}
				},
				away: {
					description: "All the seller's sockets are gone; past `graceDeadline` it goes back to the queue.",
					on: {
						SELLER_RECONNECTED: {
							guard: "isAssignedSeller",
							target: "online",
							actions: [{ type: "setSellerBack" }, { type: "emitSellerBack" }]
						},
						GRACE_EXPIRED: { guard: "isGraceDue", target: "#escalation.queued", actions: [{ type: "setRequeued" }] }
					}
				}
			},
			on: {
				TRANSFER: [
					{
						guard: "isTransferToSeller",
						target: "offered",
						actions: [{ type: "recordTransfer" }, { type: "setRequeued" }, { type: "setOffer" }, { type: "emitTransferred" }]
					},
					{
						guard: "isTransferToBrand",
						target: "queued",
						actions: [{ type: "recordTransfer" }, { type: "setRequeued" }, { type: "emitTransferred" }]
					}
				],
				RESOLVE: [
					{ guard: "isHandback", target: "resolved", actions: [{ type: "setResolved" }, { type: "emitResolved" }] },
					{ guard: "isClosing", target: "resolved", actions: [{ type: "setResolved" }, { type: "emitResolved" }] }
				]
			}
		},
		resolved: {
			description: "Handed back to the AI (`resolution: ai`) or closed; nothing moves it any more.",
			type: "final"
		}
	}
});

export type EscalationMachine = typeof escalationMachine;
export type EscalationSnapshot = SnapshotFrom<EscalationMachine>;
export type EscalationActor = Actor<EscalationMachine>;

/** The top-level state name of a snapshot. */
export function stateOf(snapshot: EscalationSnapshot): "queued" | "offered" | "active" | "resolved" {
	const value = snapshot.value;
	return (typeof value === "string" ? value : Object.keys(value)[0]) as "queued" | "offered" | "active" | "resolved";
}

/**
 * The deadlines armed in a snapshot, earliest first: what a sweeper must fire and when. Only the
 * ones the current state listens to are listed (an SLA does not run while a seller has it).
 */
export function deadlinesOf(snapshot: EscalationSnapshot): EscalationDeadline[] {
	const c = snapshot.context;
	const out: EscalationDeadline[] = [];
	if ((snapshot.matches("queued") || snapshot.matches("offered")) && c.slaDeadline !== null)
		out.push({ type: "SLA_BREACHED", at: c.slaDeadline });
	if (snapshot.matches("offered") && c.offer) out.push({ type: "OFFER_EXPIRED", at: c.offer.expiresAt });
	if (snapshot.matches({ active: "away" }) && c.graceDeadline !== null) out.push({ type: "GRACE_EXPIRED", at: c.graceDeadline });
	return out.sort((a, b) => a.at - b.at || a.type.localeCompare(b.type));
}

export class EscalationSnapshotError extends Error {
	constructor(message: string, readonly data: { version?: unknown; escalationId?: string }) {
		super(message);
		this.name = "EscalationSnapshotError";
	}
}

/** Migrations from version N to N+1, keyed by N. None yet: version 1 is the first. */
const migrations: Record<number, (snapshot: unknown) => unknown> = {};

export function persistEscalation(actor: EscalationActor): PersistedEscalation {
	return { version: ESCALATION_SNAPSHOT_VERSION, snapshot: actor.getPersistedSnapshot() };
}

/**
 * Rebuilds an actor (not started) from a stored `{ version, snapshot }`. Throws
 * `EscalationSnapshotError` on an unknown version or a snapshot that no longer fits the machine,
 * instead of handing back an actor that would throw asynchronously when started.
 */
export function restoreEscalation(persisted: PersistedEscalation): EscalationActor {
	if (!persisted || typeof persisted !== "object" || !Number.isInteger(persisted.version))
		throw new EscalationSnapshotError("not a persisted escalation", {});
	let { version, snapshot } = persisted;
	if (version > ESCALATION_SNAPSHOT_VERSION || version < 1)
		throw new EscalationSnapshotError(`unknown escalation snapshot version ${version}`, { version });
	while (version < ESCALATION_SNAPSHOT_VERSION) {
		const migrate = migrations[version];
		if (!migrate) throw new EscalationSnapshotError(`no migration from version ${version}`, { version });
		snapshot = migrate(snapshot);
		version++;
	}
	let actor: EscalationActor;
	try {
		// A restored actor takes its context from the snapshot; xstate's typing still asks for the
		// input that only a fresh actor reads.
		const options = { snapshot: snapshot as EscalationSnapshot } as { snapshot: EscalationSnapshot; input: EscalationInput };
		actor = createActor(escalationMachine, options);
	} catch (err) {
		throw new EscalationSnapshotError(`escalation snapshot does not fit the machine: ${(err as Error).message}`, { version });
	}
	const restored = actor.getSnapshot();
	if (restored.status === "error" || !restored.context || typeof restored.context.escalationId !== "string")
		throw new EscalationSnapshotError("escalation snapshot does not fit the machine", { version });
	return actor;
}

/** A new escalation actor (not started: subscribe with `actor.on("*", ...)` first, then start it). */
export function createEscalation(input: EscalationInput): EscalationActor {
	return createActor(escalationMachine, { input });
}
