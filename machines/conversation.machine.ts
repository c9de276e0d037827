/**
 * The conversation actor of one customer with one brand: a pure XState v5 machine.
 *
 * Pure means: no timers, no I/O, no model calls. The host (the ai-seller service) carries out what
 * the machine emits and feeds the outcomes back as events:
 *   - `turn.requested` → the host runs the agent turn outside the machine and sends
 *     `TURN_COMPLETED` with the result (so a restored snapshot never repeats a paid model call);
 *   - `reply.send`, `escalation.requested`, `notification.send`, ... → the host publishes them.
 * Timeouts are absolute deadlines in the context (`deadlines.idleAt`); a sweeper fires
 * `IDLE_TIMEOUT` once one has passed, on any node, after any restart. There are no `after` timers.
 *
 * A turn result is applied only if it answers the pending turn and the AI still has the
 * conversation: a result for an older turn, or one that arrives in `escalated`, `human` or
 * `closed`, is discarded and never sent.
 */
import { assign, emit, enqueueActions, setup } from "xstate";
import {
	type ConversationContext,
	type ConversationEmitted,
	type ConversationEvent,
	type ConversationInput,
	type InboundMessage,
	type OrderStatus,
	BRAND_CHOICE_PREFIX,
	newConversationContext,
	noticeName,
	HANDLED_IDS_LIMIT,
	handledId,
	INBOX_LIMIT,
	NOTIFIED_LIMIT,
	SENTIMENT_HISTORY_LIMIT,
	SERVICE_WINDOW_MS,
	SHOWN_LIMIT
} from "../contracts/conversation";
import type { EscalationReason } from "../contracts/events";

type Ev<T extends ConversationEvent["type"]> = Extract<ConversationEvent, { type: T }>;

/** Intents after which a conversation with an order stays in its follow-up state. */
const FOLLOW_UP_INTENTS = new Set(["order_status", "cancel_order", "keep_order", "thanks", "goodbye", "smalltalk", "greeting"]);

/**
 * Where each notice stands in an order's life. The statuses arrive on separate channels and race
 * for the conversation, so a later one can land first; once it was sent, an earlier one would tell
 * the customer something already out of date. Cancelled ranks last: nothing follows it.
 */
const NOTICE_RANK: Record<OrderStatus, number> = { confirmed: 1, shipped: 2, delivered: 3, cancelled: 4 };

/** How a notice is remembered: `<orderId>:<status>`, and a tracking correction as `<orderId>:shipped#<n>`. */
const noticeKey = (e: { orderId: string; status: OrderStatus; correction?: number; refund?: { paymentRef: string } }) => `${e.orderId}:${noticeName(e)}`;

/** A remembered notice ranked: by its status, then (a shipped one) by which tracking correction it gave. */
function noticeRank(what: string): [number, number] {
	const [status, correction] = what.split("#");
	return [NOTICE_RANK[status as OrderStatus] ?? 0, Number(correction ?? 0)];
}

/**
 * A notice for a status the customer was already told the order has moved past; or a tracking older
 * than one they were given (the first shipped notice arriving after its correction).
 */
function isSupersededNotice(ctx: ConversationContext, event: ConversationEvent): boolean {
	// A refund is its own fact, whatever the order went through before or after.
	if (event.type !== "ORDER_UPDATED" || event.refund) return false;
	const prefix = `${event.orderId}:`;
	const [status, correction] = noticeRank(noticeKey(event).slice(prefix.length));
	return ctx.notified.some(key => {
		if (!key.startsWith(prefix)) return false;
		const [s, c] = noticeRank(key.slice(prefix.length));
		return s > status || (s === status && c > correction);
	});
}

const last = <T>(items: T[], n: number): T[] => (items.length > n ? items.slice(items.length - n) : items);

function freshMessages(ctx: ConversationContext, messages: InboundMessage[]): InboundMessage[] {
	const seen = new Set(ctx.handled);
	const fresh: InboundMessage[] = [];
	for (const m of messages) {
		const id = handledId(m.messageId);
		if (seen.has(id)) continue;
		seen.add(id);
		fresh.push(m);
	}
	return fresh;
}

/** The context after accepting inbound messages: ids remembered, window and deadline moved. */
function withInbound(ctx: ConversationContext, event: Ev<"MESSAGE_RECEIVED">, keepInInbox: boolean): Partial<ConversationContext> {
	const fresh = freshMessages(ctx, event.messages);
	const latest = Math.max(ctx.lastInboundAt ?? 0, ...fresh.map(m => m.at));
	const scores = fresh.map(m => m.sentiment).filter((s): s is number => typeof s === "number");
	const inbox = keepInInbox ? last([...ctx.inbox, ...fresh].sort((a, b) => a.at - b.at), INBOX_LIMIT) : ctx.inbox;
	return {
		handled: last([...ctx.handled, ...fresh.map(m => handledId(m.messageId))], HANDLED_IDS_LIMIT),
		inbox,
		lastInboundAt: latest,
		sentiment: last([...ctx.sentiment, ...scores], SENTIMENT_HISTORY_LIMIT),
		customer: event.customerName ? { ...ctx.customer, name: event.customerName } : ctx.customer,
		deadlines: { idleAt: keepInInbox ? latest + ctx.idleTimeoutMs : null }
	};
}

/** What the customer said to the human side that is still unanswered, by the host's reading and the machine's own. */
function owed(ctx: ConversationContext, event: ConversationEvent): InboundMessage[] {
	if (event.type !== "HANDED_BACK" || !event.unanswered) return [];
	const forwarded = new Set(ctx.forwarded);
	return event.unanswered.filter(m => forwarded.has(handledId(m.messageId)) || forwarded.has(m.messageId));
}

/** Back from a person within the 24-hour window, with something the customer said still unanswered. */
function isAnswerOwed(ctx: ConversationContext, event: ConversationEvent): boolean {
	return event.type === "HANDED_BACK" && owed(ctx, event).length > 0 && withinWindow(ctx, event.at);
}

const withinWindow = (ctx: ConversationContext, at: number) => ctx.lastInboundAt !== null && at - ctx.lastInboundAt < SERVICE_WINDOW_MS;

function brandFromMessages(ctx: ConversationContext, messages: InboundMessage[]): string | null {
	for (const m of messages) {
		const id = m.choiceId?.startsWith(BRAND_CHOICE_PREFIX) ? m.choiceId.slice(BRAND_CHOICE_PREFIX.length) : null;
		const typed = m.text?.trim().toLowerCase();
		const brand = id ?? ctx.brands.find(b => b === typed) ?? m.namesBrand ?? null;
		if (brand && ctx.brands.includes(brand)) return brand;
	}
	return null;
}

/** The AI resumes where the cart says; what the customer said meanwhile and nobody answered, it answers now. */
const answerUnanswered = ["takeUnanswered", "emitHandedBack", "resumeAi", "requestTurn", { type: "emitTurnRequested", params: { greet: false, supersedes: null } }] as const;
/** Still waiting, the customer no longer wants a person: the request is withdrawn and the AI answers what they said. */
const withdraw = ["emitWithdrawn", "resumeAi", "recordInbound", "requestTurn", { type: "emitTurnRequested", params: { greet: false, supersedes: null } }] as const;
const handBack = [
	{ guard: "isAnswerOwedWithCart", target: "cart", actions: answerUnanswered },
	{ guard: "isAnswerOwed", target: "browsing", actions: answerUnanswered },
	{ guard: "hasCart", target: "cart", actions: ["resumeAi", "emitHandedBack"] },
	{ target: "browsing", actions: ["resumeAi", "emitHandedBack"] }
] as const;

export const conversationMachine = setup({
	types: {
		context: {} as ConversationContext,
		events: {} as ConversationEvent,
		input: {} as ConversationInput,
		emitted: {} as ConversationEmitted
	},
	guards: {
		isAllHandled: ({ context, event }) =>
			event.type === "MESSAGE_RECEIVED" && freshMessages(context, event.messages).length === 0,
		isBrandMissing: ({ context }) => context.brand === null && context.brands.length > 1,
		isBrandChoice: ({ context, event }) =>
			event.type === "MESSAGE_RECEIVED" && brandFromMessages(context, freshMessages(context, event.messages)) !== null,
		isKnownBrand: ({ context, event }) => event.type === "BRAND_CHOSEN" && context.brands.includes(event.brand),
		isStaleTurn: ({ context, event }) =>
			(event.type === "TURN_COMPLETED" || event.type === "TURN_FAILED") && event.turn !== context.pendingTurn,
		hasEscalation: ({ event }) => event.type === "TURN_COMPLETED" && !!event.escalation,
		hasPlacedOrder: ({ event }) => event.type === "TURN_COMPLETED" && !!event.orderId,
		isAwaitingConfirmation: ({ event }) => event.type === "TURN_COMPLETED" && event.awaitingConfirmation,
		hasCartItems: ({ event }) => event.type === "TURN_COMPLETED" && event.cart.length > 0,
		isFollowingOrder: ({ context, event }) =>
			event.type === "TURN_COMPLETED" && context.orderId !== null && FOLLOW_UP_INTENTS.has(event.intent),
		isIdleDue: ({ context, event }) =>
			event.type === "IDLE_TIMEOUT" && context.deadlines.idleAt !== null && event.at >= context.deadlines.idleAt,
		isAlreadyNotified: ({ context, event }) => event.type === "ORDER_UPDATED" && context.notified.includes(noticeKey(event)),
		isSupersededNotice: ({ context, event }) => isSupersededNotice(context, event),
		hasCart: ({ context }) => context.cart.length > 0,
		isAnswerOwed: ({ context, event }) => isAnswerOwed(context, event),
		// Taking back the request for a person, in a message not seen before.
		isWithdrawal: ({ context, event }) => event.type === "MESSAGE_RECEIVED" && freshMessages(context, event.messages).some(m => m.withdrawsHuman),
		isWithdrawalWithCart: ({ context, event }) =>
			event.type === "MESSAGE_RECEIVED" && context.cart.length > 0 && freshMessages(context, event.messages).some(m => m.withdrawsHuman),
		isWithdrawalOfEscalation: ({ context, event }) =>
			event.type === "MESSAGE_RECEIVED" && context.escalation !== null && freshMessages(context, event.messages).some(m => m.withdrawsHuman),
		isAnswerOwedWithCart: ({ context, event }) => isAnswerOwed(context, event) && context.cart.length > 0,
		isAssignedSeller: ({ context, event }) => event.type === "SELLER_CART_UPDATED" && event.sellerId === context.sellerId
	},
	actions: {
		recordInbound: assign(({ context, event }) =>
			event.type === "MESSAGE_RECEIVED" ? withInbound(context, event, true) : {}
		),
		recordForwarded: assign(({ context, event }) =>
			event.type === "MESSAGE_RECEIVED"
				? { ...withInbound(context, event, false), forwarded: last([...context.forwarded, ...freshMessages(context, event.messages).map(m => handledId(m.messageId))], INBOX_LIMIT) }
				: {}
		),
		forwardToHuman: emit(({ context, event }) => {
			// Computed before recordForwarded runs, so these are the messages not yet handled.
			const messages = event.type === "MESSAGE_RECEIVED" ? freshMessages(context, event.messages) : [];
			return { type: "customer.message.forwarded" as const, messages };
		}),
		setBrandFromMessages: assign(({ context, event }) =>
			event.type === "MESSAGE_RECEIVED" ? { brand: brandFromMessages(context, event.messages) } : {}
		),
		setBrand: assign(({ event }) => (event.type === "BRAND_CHOSEN" ? { brand: event.brand } : {})),
		requestBrandChoice: emit(({ context }) => ({ type: "brand.choice.requested" as const, brands: context.brands })),
		requestTurn: assign(({ context }) => ({ turn: context.turn + 1, pendingTurn: context.turn + 1 })),
		emitTurnRequested: emit(({ context }, params: { greet: boolean; supersedes: number | null }) => ({
			type: "turn.requested" as const,
			turn: context.turn,
			messages: context.inbox,
			greet: params.greet,
			supersedes: params.supersedes
		})),
		emitSupersedingTurn: enqueueActions(({ context, enqueue }) => {
			const turn = context.turn + 1;
			enqueue.assign({ turn, pendingTurn: turn });
			enqueue.emit({
				type: "turn.requested",
				turn,
				messages: context.inbox,
				// Turn 1 is always a greeting turn, so superseding it keeps the greeting.
				greet: context.pendingTurn === 1,
				supersedes: context.pendingTurn
			});
		}),
		applyTurn: assign(({ context, event }) => {
			if (event.type !== "TURN_COMPLETED") return {};
			return {
				cart: event.cart,
				promoCode: event.promoCode === undefined ? context.promoCode : event.promoCode,
				deliverTo: event.deliverTo ?? context.deliverTo,
				orderId: event.orderId ?? context.orderId,
				// A question of one turn: whatever the customer says next answers it or moves on.
				cancelling: event.cancelling ?? null,
				...(event.cancelledOrderId ? { notified: last([...context.notified, `${event.cancelledOrderId}:cancelled`], NOTIFIED_LIMIT) } : {}),
				pendingTurn: null,
				inbox: [],
				shown: event.shown?.length ? last(event.shown, SHOWN_LIMIT) : context.shown,
				focus: event.focus === undefined ? context.focus : event.focus,
				lang: event.lang ?? context.lang,
				misunderstood: event.understood ? 0 : context.misunderstood + 1
			};
		}),
		sendReply: emit(({ event }) => {
			const e = event as Ev<"TURN_COMPLETED">;
			return { type: "reply.send" as const, turn: e.turn, reply: e.reply };
		}),
		/** A failed turn still tells the customer that a person will join, when the host says how. */
		sendFailureReply: enqueueActions(({ event, enqueue }) => {
			if (event.type === "TURN_FAILED" && event.reply) enqueue.emit({ type: "reply.send", turn: event.turn, reply: event.reply });
		}),
		discardTurn: emit(({ event }, params: { reason: "stale" | "human" | "escalated" | "closed" }) => ({
			type: "turn.discarded" as const,
			turn: (event as Ev<"TURN_COMPLETED">).turn,
			reason: params.reason
		})),
		/**
		 * The AI no longer has the conversation: whatever turn is running will be discarded, and a
		 * cancellation the customer was asked to confirm is not confirmed by what they say to a person.
		 */
		dropPendingTurn: assign({ pendingTurn: null, inbox: [], cancelling: null, deadlines: { idleAt: null } }),
		recordEscalation: assign(({ event }) => {
			// No undefined fields: the context must survive a JSON round trip unchanged.
			const escalation = (reason: EscalationReason, detail: string | undefined) => ({
				escalation: detail === undefined ? { reason } : { reason, detail }
			});
			if (event.type === "TURN_COMPLETED" && event.escalation) return escalation(event.escalation.reason, event.escalation.detail);
			if (event.type === "ESCALATE") return escalation(event.reason, event.detail);
			if (event.type === "TURN_FAILED") return escalation("model_failure", event.detail);
			return {};
		}),
		requestEscalation: emit(({ context, event }) => ({
			type: "escalation.requested" as const,
			reason: context.escalation?.reason ?? "other",
			detail: context.escalation?.detail,
			summary: event.type === "TURN_COMPLETED" ? event.escalation?.summary : undefined,
			cart: context.cart,
			sentiment: context.sentiment
		})),
		setSeller: assign(({ event }) => (event.type === "HUMAN_ASSIGNED" ? { sellerId: event.sellerId } : {})),
		// The seller acted on what the customer asked: none of it is left for the AI to answer.
		setSellerCart: assign(({ context, event }) =>
			event.type === "SELLER_CART_UPDATED"
				? {
						cart: event.cart.map(l => ({ ...l })),
						orderId: event.orderId ?? context.orderId,
						deliverTo: event.deliverTo ?? context.deliverTo,
						// A code the seller applied goes with the cart to the AI at handback; an order placed used it up.
						promoCode: event.promoCode === undefined ? context.promoCode : event.promoCode,
						forwarded: []
					}
				: {}
		),
		resumeAi: assign(({ context, event }) => ({
			forwarded: [],
			escalation: null,
			sellerId: null,
			sentiment: [],
			misunderstood: 0,
			deadlines: { idleAt: (event.type === "HANDED_BACK" ? event.at : context.lastInboundAt ?? 0) + context.idleTimeoutMs }
		})),
		emitHandedBack: emit(({ context, event }) => {
			const at = (event as Ev<"HANDED_BACK">).at;
			return { type: "conversation.handed.back" as const, at, withinWindow: withinWindow(context, at), answering: isAnswerOwed(context, event) };
		}),
		/** The customer's unanswered messages become the next turn's input; they were handled (forwarded) already. */
		takeUnanswered: assign(({ context, event }) => ({ inbox: last(owed(context, event).sort((a, b) => a.at - b.at), INBOX_LIMIT) })),
		emitWithdrawn: emit(({ context }) => ({ type: "escalation.withdrawn" as const, turn: context.turn, reason: context.escalation?.reason ?? "other" })),
		reopen: assign({ escalation: null, sellerId: null, misunderstood: 0 }),
		closeConversation: assign({ pendingTurn: null, inbox: [], forwarded: [], cancelling: null, deadlines: { idleAt: null } }),
		emitClosed: emit(({ event }) => ({
			type: "conversation.closed" as const,
			reason: event.type === "CLOSE" ? event.reason : ("idle" as const)
		})),
		notifyOrder: emit(({ context, event }) => {
			const e = event as Ev<"ORDER_UPDATED">;
			const withinWindow = context.lastInboundAt !== null && e.at - context.lastInboundAt < SERVICE_WINDOW_MS;
			return {
				type: "notification.send" as const,
				orderId: e.orderId,
				status: e.status,
				withinWindow,
				// Waiting for or with a person: the notice does not tell them to ask for one.
				...(context.escalation !== null || context.sellerId !== null ? { withPerson: true } : {}),
				carrier: e.carrier,
				trackingNumber: e.trackingNumber,
				reason: e.reason,
				...(e.reasonCode ? { reasonCode: e.reasonCode } : {}),
				...(e.correction ? { correction: e.correction } : {}),
				...(e.refund ? { refund: e.refund } : {})
			};
		}),
		recordNotified: assign(({ context, event }) =>
			event.type === "ORDER_UPDATED"
				? {
						notified: last([...context.notified, noticeKey(event)], NOTIFIED_LIMIT),
						orderId: context.orderId ?? event.orderId
					}
				: {}
		)
	}
}).createMachine({
	id: "conversation",
	initial: "new",
	context: ({ input }) => newConversationContext(input),
	on: {
		// Order updates reach the customer in every state, once each and never one older than what
		// they were told; the host picks text or a template from `withinWindow`.
		ORDER_UPDATED: [{ guard: "isAlreadyNotified" }, { guard: "isSupersededNotice" }, { actions: ["notifyOrder", "recordNotified"] }]
	},
	states: {
		new: {
			description: "No message handled yet.",
			on: {
				MESSAGE_RECEIVED: [
					{ guard: "isAllHandled" },
					{ guard: "isBrandMissing", target: "choosingBrand", actions: ["recordInbound", "requestBrandChoice"] },
					{
						target: "browsing",
						actions: ["recordInbound", "requestTurn", { type: "emitTurnRequested", params: { greet: true, supersedes: null } }]
					}
				]
			}
		},
		choosingBrand: {
			description: "A shared number: the customer was asked to pick a brand; messages wait in the inbox.",
			on: {
				MESSAGE_RECEIVED: [
					{ guard: "isAllHandled" },
					{
						guard: "isBrandChoice",
						target: "browsing",
						actions: [
							"setBrandFromMessages",
							"recordInbound",
							"requestTurn",
							{ type: "emitTurnRequested", params: { greet: true, supersedes: null } }
						]
					},
					{ actions: ["recordInbound", "requestBrandChoice"] }
				],
				BRAND_CHOSEN: {
					guard: "isKnownBrand",
					target: "browsing",
					actions: ["setBrand", "requestTurn", { type: "emitTurnRequested", params: { greet: true, supersedes: null } }]
				},
				IDLE_TIMEOUT: { guard: "isIdleDue", target: "closed", actions: ["closeConversation", "emitClosed"] },
				CLOSE: { target: "closed", actions: ["closeConversation", "emitClosed"] }
			}
		},
		browsing: { description: "The AI seller answers questions and shows products.", on: aiTransitions({ placesOrders: false }) },
		cart: { description: "The cart has items.", on: aiTransitions({ placesOrders: false }) },
		checkout: { description: "The AI asked the customer to confirm the order.", on: aiTransitions({ placesOrders: true }) },
		ordered: { description: "An order was placed; the AI follows it up.", on: aiTransitions({ placesOrders: false }) },
		escalated: {
			description: "Waiting for a human seller; the AI is silent and messages go to the human side.",
			on: {
				MESSAGE_RECEIVED: [
					{ guard: "isAllHandled" },
					{ guard: "isWithdrawalWithCart", target: "cart", actions: withdraw },
					{ guard: "isWithdrawal", target: "browsing", actions: withdraw },
					{ actions: ["forwardToHuman", "recordForwarded"] }
				],
				TURN_COMPLETED: { actions: { type: "discardTurn", params: { reason: "escalated" } } },
				TURN_FAILED: { actions: { type: "discardTurn", params: { reason: "escalated" } } },
				HUMAN_ASSIGNED: { target: "human", actions: "setSeller" },
				HANDED_BACK: handBack,
				CLOSE: { target: "closed", actions: ["closeConversation", "emitClosed"] }
			}
		},
		human: {
			description: "A human seller has the conversation; the AI is silent.",
			on: {
				MESSAGE_RECEIVED: [
					{ guard: "isAllHandled" },
					// Their seller may be gone (dropped off, back in the queue with nobody online): the
					// human side decides, as the seller who still has it may want to answer first.
					{ guard: "isWithdrawalOfEscalation", actions: ["forwardToHuman", "recordForwarded", "emitWithdrawn"] },
					{ actions: ["forwardToHuman", "recordForwarded"] }
				],
				TURN_COMPLETED: { actions: { type: "discardTurn", params: { reason: "human" } } },
				TURN_FAILED: { actions: { type: "discardTurn", params: { reason: "human" } } },
				// A transfer to another seller.
				HUMAN_ASSIGNED: { actions: "setSeller" },
				// Only the seller who has it; a seller it was taken from changes nothing.
				SELLER_CART_UPDATED: { guard: "isAssignedSeller", actions: "setSellerCart" },
				HANDED_BACK: handBack,
				CLOSE: { target: "closed", actions: ["closeConversation", "emitClosed"] }
			}
		},
		closed: {
			description: "Resolved or idle past its deadline; a new message reopens it with its context.",
			on: {
				MESSAGE_RECEIVED: [
					{ guard: "isAllHandled" },
					{
						target: "browsing",
						actions: [
							"reopen",
							"recordInbound",
							"requestTurn",
							{ type: "emitTurnRequested", params: { greet: true, supersedes: null } }
						]
					}
				],
				TURN_COMPLETED: { actions: { type: "discardTurn", params: { reason: "closed" } } },
				TURN_FAILED: { actions: { type: "discardTurn", params: { reason: "closed" } } }
			}
		}
	}
});

/**
 * The transitions shared by the states where the AI speaks. A function, not a shared object, so
 * that each state gets its own transition definitions (the graph tests count them one by one).
 *
 * `placesOrders`: only a turn that began in `checkout` can place an order. The checkout tool
 * refuses `confirm` unless the customer was already asked to confirm when the turn began
 * (agents/tools.ts, `wasAwaitingConfirmation`), so an order result from any other state is not
 * something the product can produce; the graph has no such edge. Should one ever arrive,
 * `applyTurn` still records its order id (nothing is lost) and the result is routed like any other
 * answer.
 */
function aiTransitions({ placesOrders }: { placesOrders: boolean }) {
	return {
		MESSAGE_RECEIVED: [
			{ guard: "isAllHandled" as const },
			{
				actions: [
					"recordInbound" as const,
					// A turn still running is superseded: the new one answers every unanswered message.
					{ type: "emitSupersedingTurn" as const }
				]
			}
		],
		TURN_COMPLETED: [
			{ guard: "isStaleTurn" as const, actions: { type: "discardTurn" as const, params: { reason: "stale" as const } } },
			{
				guard: "hasEscalation" as const,
				target: "#conversation.escalated",
				actions: ["applyTurn" as const, "sendReply" as const, "recordEscalation" as const, "dropPendingTurn" as const, "requestEscalation" as const]
			},
			...(placesOrders
				? [{ guard: "hasPlacedOrder" as const, target: "#conversation.ordered", actions: ["applyTurn" as const, "sendReply" as const] }]
				: []),
			{ guard: "isAwaitingConfirmation" as const, target: "#conversation.checkout", actions: ["applyTurn" as const, "sendReply" as const] },
			{ guard: "hasCartItems" as const, target: "#conversation.cart", actions: ["applyTurn" as const, "sendReply" as const] },
			{ guard: "isFollowingOrder" as const, target: "#conversation.ordered", actions: ["applyTurn" as const, "sendReply" as const] },
			{ target: "#conversation.browsing", actions: ["applyTurn" as const, "sendReply" as const] }
		],
		// The host sends it when the turn itself threw (services/ai-seller/host.ts): the customer is
		// told a person will join and handed over, rather than left unanswered while the message is
		// retried and dead-lettered.
		TURN_FAILED: [
			{ guard: "isStaleTurn" as const, actions: { type: "discardTurn" as const, params: { reason: "stale" as const } } },
			{
				target: "#conversation.escalated",
				actions: ["recordEscalation" as const, "sendFailureReply" as const, "dropPendingTurn" as const, "requestEscalation" as const]
			}
		],
		ESCALATE: {
			target: "#conversation.escalated",
			actions: ["recordEscalation" as const, "dropPendingTurn" as const, "requestEscalation" as const]
		},
		HUMAN_ASSIGNED: { target: "#conversation.human", actions: ["dropPendingTurn" as const, "setSeller" as const] },
		IDLE_TIMEOUT: { guard: "isIdleDue" as const, target: "#conversation.closed", actions: ["closeConversation" as const, "emitClosed" as const] },
		CLOSE: { target: "#conversation.closed", actions: ["closeConversation" as const, "emitClosed" as const] }
	};
}

export type ConversationMachine = typeof conversationMachine;
