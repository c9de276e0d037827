/** How an escalation left a seller, as their console is told on reconnect (`lostReason`). */
import assert from "node:assert/strict";
import type { EscalationEvent } from "../../../contracts/escalation";
import { createEscalation, type EscalationSnapshot } from "../../../machines/escalation.machine";
import { closedText, escalationView, lostReason, passedOnText } from "../../../services/sales-assistant/views";

const T0 = Date.UTC(2024, 10, 22, 10, 0, 0);
const S = 1000;

function run(...events: EscalationEvent[]): EscalationSnapshot {
	const actor = createEscalation({ escalationId: "e", conversationId: "fashion:1555", brand: "fashion", waId: "1555", reason: "human_requested", createdAt: T0, graceMs: 60 * S }).start();
	for (const e of events) actor.send(e);
	const s = actor.getSnapshot();
	actor.stop();
	return s;
}

const accept = (sellerId: string, at: number): EscalationEvent => ({ type: "ACCEPT", sellerId, sellerName: sellerId, at });

describe("lostReason: how an escalation left a seller", () => {
	it("is null while it is still theirs, away or not", () => {
		assert.equal(lostReason(run(accept("ana", T0 + S)), "ana"), null);
		assert.equal(lostReason(run(accept("ana", T0 + S), { type: "SELLER_DISCONNECTED", sellerId: "ana", at: T0 + 2 * S }), "ana"), null);
	});

	it("seller_offline once their grace ran out, whoever has it since", () => {
		const away = [accept("ana", T0 + S), { type: "SELLER_DISCONNECTED", sellerId: "ana", at: T0 + 2 * S }, { type: "GRACE_EXPIRED", at: T0 + 70 * S }] as EscalationEvent[];
		assert.equal(lostReason(run(...away), "ana"), "seller_offline");
		const withCarla = run(...away, accept("carla", T0 + 80 * S));
		assert.equal(lostReason(withCarla, "ana"), "seller_offline");
		assert.deepEqual([escalationView(withCarla, "s").state, escalationView(withCarla, "s").sellerName], ["active", "carla"]);
	});

	it("transferred when they handed it on; resolved, with the note, when it ended in their hands", () => {
		assert.equal(lostReason(run(accept("ana", T0 + S), { type: "TRANSFER", sellerId: "ana", toSellerId: "carla", note: "sizes", at: T0 + 2 * S }), "ana"), "transferred");
		const closed = run(accept("ana", T0 + S), { type: "RESOLVE", sellerId: "ana", to: "closed", note: "conversation closed (operator)", at: T0 + 2 * S });
		assert.equal(lostReason(closed, "ana"), "resolved");
		assert.deepEqual([escalationView(closed, "s").resolution, escalationView(closed, "s").resolutionNote], ["closed", "conversation closed (operator)"]);
	});

	it("the latest way wins: lost to the grace, taken back, then handed on", () => {
		const s = run(
			accept("ana", T0 + S),
			{ type: "SELLER_DISCONNECTED", sellerId: "ana", at: T0 + 2 * S },
			{ type: "GRACE_EXPIRED", at: T0 + 70 * S },
			accept("ana", T0 + 80 * S),
			{ type: "TRANSFER", sellerId: "ana", toBrand: "beauty", note: "skin care", at: T0 + 90 * S }
		);
		assert.equal(lostReason(s, "ana"), "transferred");
	});

	it("other when the record names no way it left them (never theirs, or stored before it kept who let it go)", () => {
		assert.equal(lostReason(run(), "ana"), "other");
		assert.equal(lostReason(run(accept("carla", T0 + S)), "ana"), "other");
	});
});

describe("closedText: what a customer reads when their seller closes the chat", () => {
	it("names the seller by first name and the shop's assistant, who answers next, in English or Spanish", () => {
		assert.match(closedText("Ana Torres", "Luna", "en"), /^Ana has closed this chat — [^]*: Luna will answer right away, and you can say "talk to a person"/);
		assert.match(closedText("Ana Torres", "Luna", "es"), /^Ana cerró esta conversación — [^]*: te responde Luna al momento, y si quieres volver a hablar con una persona, escribe "hablar con una persona"\.$/);
	});

	it("still reads as a sentence with no seller name or no assistant known", () => {
		assert.match(closedText(null, null), /^Our team has closed this chat — [^]*: we'll answer right away,/);
		assert.match(closedText("  ", null, "es"), /^Nuestro equipo cerró esta conversación — [^]*: te respondemos al momento,/);
	});
});

describe("passedOnText: what a customer reads when their seller hands them on", () => {
	it("promises someone shortly only when the team has someone online; otherwise says so, and how to carry on", () => {
		assert.match(passedOnText("en"), /they'll write to you here shortly/);
		assert.match(passedOnText("en", false), /^I'm passing you to a colleague [^]*Nobody from that team is online right now[^]*just say "never mind"\.$/);
		assert.doesNotMatch(passedOnText("es", false), /en breve/);
		assert.match(passedOnText("es", false), /no hay nadie de ese equipo en línea[^]*escribe "no importa"\.$/);
	});
});
