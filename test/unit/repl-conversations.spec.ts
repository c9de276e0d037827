import assert from "node:assert/strict";
import type { ServiceBroker, ServiceSchema } from "moleculer";
import { CONVERSATION_STATES, newConversationContext, type TranscriptLine } from "../../contracts/conversation";
import { aiSellerServiceName } from "../../contracts/services";
import { runConv, runConversations } from "../../repl/conversations";
import { startBroker } from "../helpers/broker";

const ID = "fashion:15551234567";
const AT = Date.UTC(2025, 0, 6, 10, 0, 0);

/** The seller service as the REPL sees it: its `get` and `list` answers, and what `list` was asked. */
function fakeSeller(messages: TranscriptLine[]) {
	const listed: object[] = [];
	const context = { ...newConversationContext({ conversationId: ID, brand: "fashion", customer: { waId: "15551234567", name: "Ana" } }), orderId: "ord_274c9912345678546d77f528b3" };
	const schema: ServiceSchema = {
		name: aiSellerServiceName("fashion"),
		actions: {
			get: () => ({ id: ID, state: "ordered", version: 7, context, messages }),
			list: ctx => {
				listed.push(ctx.params);
				return { items: [{ id: ID, brand: "fashion", state: "ordered", turn: 3, lastInboundAt: AT, cartItems: 0 }], total: 1 };
			}
		}
	};
	return { schema, listed };
}

describe("REPL: conversations, conv", () => {
	let broker: ServiceBroker;
	const line = (seq: number, from: TranscriptLine["from"], text: string): TranscriptLine => ({ id: `m${seq}`, seq, from, text, at: AT + seq * 1000 });
	const seller = fakeSeller([
		line(1, "customer", "call me on +44 7700 900123 or 15551234567 please"),
		line(2, "ai", "Your order ord_274c9912345678546d77f528b3 is on its way with UPS, tracking 1Z9991234567890"),
		line(3, "customer", "is JD014600003215 the DHL one? my number is 447700900123.")
	]);

	before(async () => {
		broker = await startBroker({ services: [seller.schema] });
	});
	after(() => broker?.stop());

	it("conv masks phone numbers only: order ids and tracking numbers stay readable", async () => {
		const out = await runConv(broker, { id: ID, options: {} });
		assert.match(out, /^fashion:15••••4567  state=ordered  snapshot v7$/m);
		assert.match(out, /order: ord_274c9912345678546d77f528b3 /);
		const lines = out.split("\n").filter(l => /^  #\d /.test(l));
		assert.equal(lines.length, 3);
		assert.match(lines[1]!, /ai: Your order ord_274c9912345678546d77f528b3 is on its way with UPS, tracking 1Z9991234567890$/);
		assert.match(lines[2]!, /customer: is JD014600003215 the DHL one\? my number is ••••0123\.$/);
		assert.match(lines[0]!, /customer: call me on ••••0123 or ••••4567 please$/);
		for (const phone of ["7700 900123", "15551234567", "447700900123"]) assert.ok(!out.includes(phone), phone);
	});

	it("conversations --state refuses a state that does not exist and names the valid ones", async () => {
		const out = await runConversations(broker, { options: { state: "bogus", brand: "fashion" } });
		assert.equal(out, `Unknown state 'bogus': expected one of ${CONVERSATION_STATES.join(", ")}`);
		assert.match(out, /browsing, .*escalated/);
		assert.deepEqual(seller.listed, [], "nothing was asked of the services");
		assert.match(await runConversations(broker, { options: { state: "ordered", brand: "fashion" } }), /^1 conversation\(s\):\nfashion:15••••4567  ordered  turn=3/);
		assert.deepEqual(seller.listed, [{ limit: 20, state: "ordered" }]);
	});
});
