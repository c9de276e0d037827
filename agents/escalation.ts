/**
 * When the AI should stop and hand the conversation to a person. Pure and deterministic: the same
 * conversation facts always give the same decision, checked in order of how clear the signal is.
 */
import type { TurnEscalation } from "../contracts/conversation";
import { fold } from "./language";

export const DEFAULT_ESCALATION_RULES = {
	/** Below this latest score the customer is frustrated. */
	frustratedBelow: 0.3,
	/** Two falling steps in a row that lose at least this much in total, ending below neutral. */
	fallingBy: 0.2,
	/**
	 * Consecutive turns the agent did not understand, including this one. Three, not two: a
	 * customer misread twice ("aplícalo", then "cuánto es?") was sent to a queue that, with nobody
	 * online, left them waiting in silence; a third try is cheaper than that.
	 */
	maxMisunderstood: 3,
	/** Tool failures in one turn (invalid arguments, unknown tools, errors). */
	maxToolFailures: 2,
	/** A cart worth more than this (minor units) goes to a person. */
	highValueCart: 100_000
};
export type EscalationRules = typeof DEFAULT_ESCALATION_RULES;

const HUMAN_PATTERNS = [
	/\b(human|person|people|somebody|someone|agent|representative|operator|manager|supervisor|real person|live chat|customer service|customer support)\b/i,
	// "Alguien" alone is anyone ("¿alguien lo ha probado?"); to talk with someone is a person.
	/\b(humano|persona|asesor|asesora|agente|encargado|encargada|alguien real|vendedor|vendedora|representante|ejecutivo|ejecutiva|operador|operadora|atencion al cliente|servicio al cliente|(?:hablar|comunicarme|comunicar) con alguien)\b/i
];
/** "Call me at …": only a person can; no other words needed. */
const CALL_ME = /\b(call me|give me a call|phone me|ring me|llamame|llamenme|llameme|me (?:pueden|puedes|podrian|podes) llamar)\b/i;
const ASKING = /\b(talk|speak|chat|connect|transfer|want|need|get|give|hablar|quiero|necesito|pasame|pasas|pasan|pases|pasar|comunicar|comunicarme|comunicas|comunican|contactar)\b/i;

/**
 * "Never mind, I don't need a person anymore", "forget it, I'll keep going with you", "olvídalo, ya
 * no necesito hablar con nadie": a request for a person taken back.
 */
const WITHDRAWS =
	/\b(?:never ?mind|nevermind|no need(?: for (?:a|the) (?:person|human|agent))?|(?:i )?(?:don'?t|do not) need (?:a |the |to talk to a |to speak to a )?(?:person|human|agent|anyone|anybody|someone)(?: any ?more)?|(?:i'?ll|i will|let'?s) (?:keep going|carry on|continue|stay) with (?:you|the bot|the ai)|back to (?:the )?(?:bot|ai|assistant)|cancel (?:that(?! order)|the request|my request)|forget (?:it|that|about it)|ya no (?:necesito|quiero) (?:hablar con )?(?:una persona|un humano|nadie|a nadie|un asesor)|no (?:necesito|hace falta) (?:hablar con )?(?:una persona|un humano|nadie)|olvidalo|olvida eso|no importa|mejor (?:sigo|seguimos) (?:contigo|con el bot)|sigo contigo|cancela (?:eso|la solicitud))\b/i;
export function withdrawsHuman(text: string | undefined): boolean {
	if (!text) return false;
	const plain = fold(text);
	// "Never mind the price, I still need a person": what else it says asks for one.
	return WITHDRAWS.test(plain) && !asksForPerson(plain.replace(new RegExp(WITHDRAWS.source, "gi"), " "));
}
/** The words of a (folded) message besides its taking back of a request for a person: "show me candles" of "ok forget it, show me candles". */
export function besidesWithdrawal(folded: string): string {
	return folded
		.replace(new RegExp(WITHDRAWS.source, "gi"), " ")
		.replace(/\b(?:ok(?:ay)?|so|then|and|just|please|pls|actually|i'?m fine|it'?s fine|all good|any ?more|anymore|ya|pues|bueno|entonces|y|por favor|gracias|thanks)\b/g, " ")
		.replace(/[^\p{L}\p{N}]+/gu, " ")
		.trim();
}

/** The customer asks for a person ("can I talk to a human?", "quiero hablar con un asesor", "¿me pasas con un humano?"). */
export function asksForHuman(text: string | undefined): boolean {
	if (!text || withdrawsHuman(text)) return false;
	return asksForPerson(fold(text));
}

function asksForPerson(plain: string): boolean {
	if (CALL_ME.test(plain)) return true;
	// "I don't need a person" names one without asking for one.
	const mentions = HUMAN_PATTERNS.some(p => p.test(plain)) && !/\b(?:don'?t|do not|no) need\b|\bno (?:necesito|hace falta)\b/i.test(plain);
	return mentions && (ASKING.test(plain) || plain.trim().split(/\s+/).length <= 3);
}

export interface EscalationFacts {
	/** Text of this turn's customer messages. */
	text?: string;
	/** Sentiment scores, oldest first, this turn's included. */
	sentiment: number[];
	/** Consecutive misunderstood turns, this one included. */
	misunderstood?: number;
	toolFailures?: number;
	/** Cart value after the turn, minor units. */
	cartTotal?: number;
	/**
	 * Cart value before the turn. A cart already over the threshold was a person's to see when it got
	 * there: one handed back to the AI (or kept by it) is not escalated again for the same value.
	 */
	cartTotalBefore?: number;
	modelFailed?: boolean;
}

/** Signals known before the model runs: no need to pay for a turn that ends with a person. */
export function escalationBeforeTurn(facts: EscalationFacts, rules: EscalationRules = DEFAULT_ESCALATION_RULES): TurnEscalation | null {
	if (asksForHuman(facts.text)) return { reason: "human_requested", detail: "The customer asked for a person" };
	const s = facts.sentiment;
	const latest = s[s.length - 1];
	if (latest !== undefined && latest < rules.frustratedBelow)
		return { reason: "frustration", detail: `Sentiment ${latest.toFixed(2)} is below ${rules.frustratedBelow}` };
	if (s.length >= 3) {
		const [a, b, c] = s.slice(-3);
		if (a > b && b > c && a - c >= rules.fallingBy && c < 0.5)
			return { reason: "frustration", detail: `Sentiment fell over two turns (${a.toFixed(2)} → ${c.toFixed(2)})` };
	}
	return null;
}

/** Signals known once the turn ran: the model failed, the agent is lost, the cart is large. */
export function escalationAfterTurn(facts: EscalationFacts, rules: EscalationRules = DEFAULT_ESCALATION_RULES): TurnEscalation | null {
	if (facts.modelFailed) return { reason: "model_failure", detail: "The model did not answer" };
	if ((facts.toolFailures ?? 0) >= rules.maxToolFailures)
		return { reason: "complex", detail: `${facts.toolFailures} tool failures in one turn` };
	if ((facts.misunderstood ?? 0) >= rules.maxMisunderstood)
		return { reason: "complex", detail: `Not understood ${facts.misunderstood} turns in a row` };
	if ((facts.cartTotal ?? 0) > rules.highValueCart && (facts.cartTotalBefore ?? 0) <= rules.highValueCart)
		return { reason: "high_value", detail: `Cart worth ${((facts.cartTotal ?? 0) / 100).toFixed(2)} exceeds ${(rules.highValueCart / 100).toFixed(2)}` };
	return null;
}
