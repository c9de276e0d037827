/**
 * What the seller console sees of an escalation, and what a committed step of an escalation becomes
 * for the console (`console.push` frames) and for the customer. Pure: no store, no broker.
 */
import type { EscalationEmitted } from "../../contracts/escalation";
import type { SellerConfig } from "../../config";
import type { TranscriptLine } from "../../contracts/conversation";
import type { RefusalReason } from "../../contracts/events";
import type { ConsolePush, EscalationView, LostReason, SellerView, TranscriptMessage } from "../../contracts/sales-assistant";
import { stateOf, type EscalationSnapshot } from "../../machines/escalation.machine";

/** A customer's number as sellers see it: country prefix and last four digits only. */
export function maskWaId(waId: string): string {
	const digits = waId.replace(/\D/g, "");
	if (digits.length < 7) return `••••${digits.slice(-2)}`;
	return `${digits.slice(0, 2)}••••${digits.slice(-4)}`;
}

export function escalationView(snapshot: EscalationSnapshot, summary: string): EscalationView {
	const c = snapshot.context;
	const state = stateOf(snapshot);
	return {
		id: c.escalationId,
		conversationId: c.conversationId,
		brand: c.brand,
		state,
		reason: c.reason,
		detail: c.detail,
		summary,
		customer: { name: c.customerName, masked: maskWaId(c.waId) },
		priority: c.priority,
		createdAt: c.createdAt,
		waitingSince: c.waitingSince,
		offeredTo: state === "offered" ? (c.offer?.sellerId ?? null) : null,
		offerExpiresAt: state === "offered" ? (c.offer?.expiresAt ?? null) : null,
		sellerId: state === "active" ? c.sellerId : null,
		sellerName: state === "active" ? c.sellerName : null,
		slaDeadline: state === "queued" || state === "offered" ? c.slaDeadline : null,
		slaBreaches: c.slaBreaches,
		resolution: c.resolution,
		resolutionNote: c.resolutionNote,
		graceDeadline: c.graceDeadline,
		lastTransfer: c.transfers.at(-1) ?? null
	};
}

/**
 * How an escalation left `sellerId`, or null while it is still theirs. The latest of the ways wins:
 * their grace ran out, they transferred it, it ended in their hands; a record that names none of them
 * (stored before `released` was kept) is `other`.
 */
export function lostReason(snapshot: EscalationSnapshot, sellerId: string): LostReason | null {
	const c = snapshot.context;
	const state = stateOf(snapshot);
	if (state === "active" && c.sellerId === sellerId) return null;
	const ways: [LostReason, number][] = [];
	if (c.released?.sellerId === sellerId && c.released.cause === "seller_offline") ways.push(["seller_offline", c.released.at]);
	const handedOn = c.transfers.filter(t => t.fromSellerId === sellerId).at(-1);
	if (handedOn) ways.push(["transferred", handedOn.at]);
	if (state === "resolved" && c.sellerId === sellerId) ways.push(["resolved", c.resolvedAt ?? c.updatedAt]);
	return ways.sort((a, b) => b[1] - a[1])[0]?.[0] ?? "other";
}

export function sellerView(seller: SellerConfig, online: boolean, load: number, paused = false): SellerView {
	return { id: seller.id, name: seller.name, brands: [...seller.brands], capacity: seller.capacity, online, paused, load };
}

export function transcriptMessage(line: TranscriptLine): TranscriptMessage {
	return {
		seq: line.seq,
		from: line.from,
		text: line.text,
		at: line.at,
		...(line.sellerId ? { sellerId: line.sellerId } : {}),
		...(line.image ? { image: line.image } : {}),
		...(line.media ? { media: line.media } : {}),
		...(line.orderItems?.length ? { orderItems: line.orderItems } : {}),
		...(line.internal ? { internal: true } : {}),
		...(line.undelivered ? { undelivered: line.undelivered.seq } : {})
	};
}

export const firstName = (name: string | null | undefined, lang?: string | null): string =>
	(name ?? "").trim().split(/\s+/)[0] || (lang === "es" ? "una persona" : "a member of our team");

/** What the customer reads on WhatsApp when a human seller takes the conversation. */
export function joinedText(sellerName: string | null | undefined, lang?: string | null): string {
	if (lang === "es") return `¡Hola! Soy ${firstName(sellerName, "es")}, de nuestro equipo. Sigo yo desde aquí y te atiendo personalmente.`;
	return `Hi! This is ${firstName(sellerName)} from our team. I'm taking over from here and will help you personally.`;
}

/** What the seller reads when WhatsApp did not take a message they typed: why, and what to do now. */
export function undeliveredText(reason: RefusalReason, detail: string, fallbackSent: boolean): string {
	switch (reason) {
		case "window_closed":
			return `Not delivered: the customer last wrote over 24 hours ago, and WhatsApp then allows only templates.${fallbackSent ? " They were sent our template asking them to reply;" : ""} once they write back, send it again.`;
		case "undeliverable":
			return "Not delivered: WhatsApp cannot deliver to this number (it may no longer use WhatsApp).";
		case "token_expired":
			return "Not delivered: WhatsApp refused our access token. The operators are alerted; send it again once they have replaced it.";
		case "outcome_unknown":
			return "Perhaps not delivered: the connection to WhatsApp broke during the send. Ask the customer whether it arrived before sending it again.";
		default:
			return `Not delivered: WhatsApp refused the message (${detail.slice(0, 200)}).`;
	}
}

/**
 * What a customer waiting for a person reads: told once at the start when nobody of the brand's team
 * is online, and again when they write while still waiting (busy or offline).
 */
export function waitingText(anyoneOnline: boolean, lang?: string | null): string {
	if (lang === "es")
		return anyoneOnline
			? "Gracias por esperar — todo nuestro equipo está ocupado ahora mismo, y la primera persona libre te responde por aquí. Tus mensajes quedan guardados, así que verán todo."
			: "Ahora mismo no hay nadie de nuestro equipo en línea, lo siento. La primera persona que vuelva te responde por aquí — tus mensajes quedan guardados, no hace falta repetir nada. Si prefieres seguir con nuestro asistente mientras tanto, escribe \"no importa\".";
	// With nobody online the wait may be long: the customer is told how to carry on without it.
	return anyoneOnline
		? "Thanks for waiting — everyone on our team is busy right now, and the first one free will answer you here. Your messages are saved, so they'll see everything."
		: "Nobody from our team is online right now, I'm afraid. The first one back will answer you here — your messages are saved, so there's no need to repeat anything. To carry on with our assistant meanwhile, just say \"never mind\".";
}

/**
 * What a customer reads when their seller hands them to a colleague: they are not left wondering who
 * answers. Handed to a team with nobody online (`anyoneOnline` false), "shortly" would be untrue:
 * they hear so, and how to carry on with the assistant meanwhile.
 */
export function passedOnText(lang?: string | null, anyoneOnline = true): string {
	if (lang === "es")
		return anyoneOnline
			? "Te paso con una persona de nuestro equipo que te puede ayudar mejor con esto — te escribe por aquí en breve. No hace falta repetir nada."
			: "Te paso con una persona de nuestro equipo que te puede ayudar mejor con esto. Ahora mismo no hay nadie de ese equipo en línea, lo siento: la primera persona que vuelva te escribe por aquí, y no hace falta repetir nada. Si prefieres seguir con nuestro asistente mientras tanto, escribe \"no importa\".";
	return anyoneOnline
		? "I'm passing you to a colleague who can help you better with this — they'll write to you here shortly. No need to repeat anything."
		: "I'm passing you to a colleague who can help you better with this. Nobody from that team is online right now, I'm afraid: the first one back will write to you here, and there's no need to repeat anything. To carry on with our assistant meanwhile, just say \"never mind\".";
}

/**
 * What a customer reads when their seller closes the conversation: that it ended, and that writing
 * again reaches the AI seller (`assistantName`), from whom a person is one sentence away.
 */
export function closedText(sellerName: string | null | undefined, assistantName: string | null, lang?: string | null): string {
	const who = (sellerName ?? "").trim().split(/\s+/)[0];
	if (lang === "es") {
		const next = assistantName ? `te responde ${assistantName} al momento` : "te respondemos al momento";
		return `${who ? `${who} cerró` : "Nuestro equipo cerró"} esta conversación — ¡gracias por escribirnos! Si necesitas algo más, escribe por aquí: ${next}, y si quieres volver a hablar con una persona, escribe "hablar con una persona".`;
	}
	const next = assistantName ? `${assistantName} will answer right away` : "we'll answer right away";
	return `${who ? `${who} has` : "Our team has"} closed this chat — thanks for talking with us! If you need anything else, just write here: ${next}, and you can say "talk to a person" any time to reach us again.`;
}

/** What a customer reads when they write while their seller has briefly lost the connection. */
export function awayText(sellerName: string | null | undefined, lang?: string | null): string {
	const who = firstName(sellerName, lang);
	if (lang === "es") return `${who} se desconectó un momento — tu mensaje queda guardado y te responde en cuanto vuelva; si no puede, sigue otra persona de nuestro equipo.`;
	return `${who} has stepped away for a moment — your message is saved and they'll answer as soon as they're back; if they can't, someone else from our team will.`;
}

/**
 * The frames a committed step pushes to console nodes, except `escalation.assigned` (its
 * conversation view needs the transcript and the assist, which the host reads).
 */
export function pushesFor(emitted: readonly EscalationEmitted[], view: EscalationView): ConsolePush[] {
	const out: ConsolePush[] = [];
	for (const e of emitted) {
		switch (e.type) {
			case "escalation.queued":
				out.push({ to: { brands: [e.brand] }, frame: { type: "escalation.new", escalation: view, conversationId: view.conversationId, brand: view.brand, reason: view.reason, summary: view.summary, customer: view.customer } });
				break;
			case "escalation.offered":
				out.push({ to: { sellerIds: [e.sellerId] }, frame: { type: "escalation.offered", escalation: view, expiresAt: e.expiresAt } });
				break;
			case "escalation.assigned":
				// The racing loser is one of the brand's sellers, so it hears this too.
				out.push({
					to: { brands: [e.brand] },
					frame: { type: "escalation.taken", escalationId: e.escalationId, conversationId: e.conversationId, sellerId: e.sellerId, sellerName: e.sellerName ?? null }
				});
				break;
			case "escalation.slaBreached":
				out.push({ to: { brands: [e.brand] }, frame: { type: "escalation.updated", escalation: view } });
				break;
			case "escalation.sellerAway":
			case "escalation.sellerBack":
				out.push({ to: { sellerIds: [e.sellerId] }, frame: { type: "escalation.updated", escalation: view } });
				break;
			case "escalation.transferred":
				out.push({
					to: { sellerIds: [e.transfer.fromSellerId] },
					frame: { type: "escalation.resolved", escalationId: e.escalationId, conversationId: e.conversationId, to: "transferred" }
				});
				break;
			case "escalation.resolved":
				out.push({
					// Withdrawn before anyone took it: the brand's queues drop it.
					to: e.sellerId ? { sellerIds: [e.sellerId] } : { brands: [e.brand] },
					frame: { type: "escalation.resolved", escalationId: e.escalationId, conversationId: e.conversationId, to: e.to }
				});
				break;
		}
	}
	return out;
}
