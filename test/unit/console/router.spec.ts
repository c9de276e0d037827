import assert from "node:assert/strict";
import { Errors } from "moleculer";
import { parseClientFrame, type ClientFrame } from "../../../contracts/console";
import { ForbiddenError, NotFoundError, StoreClientError, StoreRetryableError, UnavailableError } from "../../../contracts/errors";
import { actionFor, errorFrameFor } from "../../../gateway/console/router";

const frame = (f: object): ClientFrame => {
	const r = parseClientFrame(JSON.stringify(f));
	if (!r.ok) throw new Error(r.message);
	return r.frame;
};

describe("console routing", () => {
	it("maps each action frame to its sales-assistant action with the socket's seller", () => {
		assert.deepEqual(actionFor(frame({ type: "accept", escalationId: "e1", ref: "r" }), "ana"), {
			action: "sales-assistant.accept",
			params: { escalationId: "e1", sellerId: "ana" }
		});
		assert.deepEqual(actionFor(frame({ type: "decline", escalationId: "e1" }), "ana")?.action, "sales-assistant.decline");
		assert.deepEqual(actionFor(frame({ type: "message", conversationId: "c1", text: "hi", clientId: "k" }), "ana"), {
			action: "sales-assistant.reply",
			params: { conversationId: "c1", sellerId: "ana", text: "hi", clientId: "k" }
		});
		assert.deepEqual(actionFor(frame({ type: "resolve", conversationId: "c1", to: "ai" }), "ana"), {
			action: "sales-assistant.resolve",
			params: { conversationId: "c1", sellerId: "ana", to: "ai" }
		});
		assert.deepEqual(actionFor(frame({ type: "transfer", conversationId: "c1", toBrand: "tech", note: "n" }), "ana"), {
			action: "sales-assistant.transfer",
			params: { conversationId: "c1", sellerId: "ana", toBrand: "tech", note: "n" }
		});
		assert.deepEqual(actionFor(frame({ type: "approve", conversationId: "c1", actionId: "a1" }), "ana"), {
			action: "sales-assistant.approve",
			params: { conversationId: "c1", sellerId: "ana", actionId: "a1" }
		});
		assert.deepEqual(actionFor(frame({ type: "team", ref: "r" }), "ana"), { action: "sales-assistant.team", params: { sellerId: "ana" } });
		assert.deepEqual(actionFor(frame({ type: "pause", paused: true }), "ana"), { action: "sales-assistant.pause", params: { sellerId: "ana", paused: true } });
		assert.equal(actionFor(frame({ type: "ping" }), "ana"), null);
		assert.equal(actionFor(frame({ type: "resume", conversations: {} }), "ana"), null);
	});

	it("never takes the seller from the frame", () => {
		const call = actionFor(frame({ type: "accept", escalationId: "e1", sellerId: "ben" }), "ana");
		assert.equal(call?.params.sellerId, "ana");
	});

	it("passes the sales assistant's client errors through with their code and the ref", () => {
		const cases: [unknown, string][] = [
			[new ForbiddenError("not assigned to you"), "FORBIDDEN"],
			[new NotFoundError("escalation"), "NOT_FOUND"],
			[new StoreClientError("someone else took it", 409, "ESCALATION_TAKEN"), "ESCALATION_TAKEN"],
			[new StoreClientError("you are full", 409, "CAPACITY_FULL"), "CAPACITY_FULL"],
			[new StoreClientError("bad", 422, "INVALID"), "INVALID"],
			[new StoreClientError("Carla Mendes is not connected to the console", 409, "SELLER_OFFLINE"), "SELLER_OFFLINE"],
			[new StoreClientError("clientId 'c1' was already used for another message", 409, "CLIENT_ID_REUSED"), "CLIENT_ID_REUSED"],
			[new Errors.ValidationError("Parameters validation error!", "VALIDATION_ERROR", []), "INVALID"]
		];
		for (const [err, code] of cases) {
			const { frame: f, internal } = errorFrameFor(err, "r1");
			assert.equal(f.code, code);
			assert.equal(f.ref, "r1");
			assert.equal(f.message, (err as Error).message);
			assert.equal(internal, false);
		}
	});

	it("hides everything else behind INTERNAL", () => {
		for (const err of [new Error("redis: connection refused at 10.0.0.3"), new StoreClientError("x", 409, "CONFLICT"), null, "boom"]) {
			const { frame: f, internal } = errorFrameFor(err);
			assert.equal(f.code, "INTERNAL");
			assert.equal(f.message, "internal error");
			assert.equal(f.ref, undefined);
			assert.equal(internal, true);
		}
		for (const err of [new Errors.ServiceNotFoundError({ action: "sales-assistant.accept" }), new UnavailableError("store down at 10.0.0.3"), new StoreRetryableError("Escalation e1 is busy", 503, "ESCALATION_BUSY")]) {
			const unavailable = errorFrameFor(err, "r");
			assert.equal(unavailable.frame.code, "INTERNAL");
			assert.equal(unavailable.frame.message, "the sales assistant is unavailable; try again");
			assert.equal(unavailable.frame.ref, "r");
		}
	});
});
