import assert from "node:assert/strict";
import {
	channelOf,
	createEvent,
	currentVersion,
	dataViolations,
	EventContractError,
	EventSchemas,
	EventTypes,
	partitionChannel,
	registerEventVersion,
	unregisterEventVersion,
	validateEvent,
	type EventType
} from "../../contracts/events";
import { samples } from "../fixtures/events";

const source = "/agent-store/test";

/** Invalid variants every type must refuse: its first required field gone, or of the wrong type. */
function requiredFields(type: EventType): string[] {
	const schema = EventSchemas[type][currentVersion(type)] as Record<string, { optional?: boolean }>;
	return Object.entries(schema)
		.filter(([k, rule]) => !k.startsWith("$$") && !(typeof rule === "object" && rule.optional))
		.map(([k]) => k);
}

describe("event contracts", () => {
	it("has a sample for every event type named in the product brief and ours", () => {
		const named = [
			"store.whatsapp.message.received", "store.whatsapp.message.send", "store.whatsapp.message.status",
			"store.chat.message.new", "store.chat.response", "store.chat.intent.detected", "store.cart.item.added",
			"store.order.create", "store.order.created", "store.order.confirmed", "store.order.shipped",
			"store.order.delivered", "store.sales.escalate", "store.sales.insight"
		];
		for (const t of named) assert.ok((Object.values(EventTypes) as string[]).includes(t), `${t} is missing`);
		assert.deepEqual(Object.keys(samples).sort(), Object.values(EventTypes).sort());
	});

	for (const type of Object.values(EventTypes)) {
		describe(type, () => {
			it("accepts a valid sample in a complete CloudEvents envelope", () => {
				const event = createEvent(type, samples[type] as never, { source, subject: "s1" });
				assert.equal(event.specversion, "1.0");
				assert.equal(event.type, type);
				assert.equal(event.datacontenttype, "application/json");
				assert.equal(event.dataschema, `urn:agent-store:${type}:v1`);
				assert.equal(event.correlationid, event.id);
				assert.match(event.time, /^\d{4}-\d{2}-\d{2}T/);
				assert.deepEqual(validateEvent(JSON.parse(JSON.stringify(event))), []);
			});

			for (const field of requiredFields(type)) {
				it(`refuses data without '${field}'`, () => {
					const data = { ...(samples[type] as object) } as Record<string, unknown>;
					delete data[field];
					assert.throws(() => createEvent(type, data as never, { source }), (err: unknown) => {
						assert.ok(err instanceof EventContractError);
						assert.ok(err.violations.some(v => v.field === `data.${field}`), JSON.stringify(err.violations));
						return true;
					});
				});
			}

			it("refuses data of the wrong shape", () => {
				const event = createEvent(type, samples[type] as never, { source });
				const broken = { ...event, data: Object.fromEntries(Object.keys(event.data as object).map(k => [k, { nested: [] }])) };
				assert.ok(validateEvent(broken).length > 0);
			});
		});
	}

	it("refuses broken envelopes with every violation named", () => {
		const good = createEvent("store.order.shipped", samples["store.order.shipped"], { source });
		const cases: [string, unknown][] = [
			["not an object", "hello"],
			["an array", [good]],
			["no specversion", { ...good, specversion: undefined }],
			["wrong specversion", { ...good, specversion: "0.3" }],
			["unknown type", { ...good, type: "store.order.teleported" }],
			["no id", { ...good, id: "" }],
			["bad time", { ...good, time: "yesterday" }],
			["no correlation id", { ...good, correlationid: undefined }],
			["dataschema of another type", { ...good, dataschema: "urn:agent-store:store.order.created:v1" }],
			["unknown version", { ...good, dataschema: "urn:agent-store:store.order.shipped:v99" }],
			["data not an object", { ...good, data: "x" }]
		];
		for (const [name, value] of cases) assert.ok(validateEvent(value).length > 0, name);
		const many = validateEvent({ ...good, id: "", source: "", correlationid: "" });
		assert.ok(many.length >= 3, "reports every violation, not the first only");
	});


	it("checks only the envelope of data the caller has just validated", () => {
		const data = samples["store.chat.message.new"];
		assert.deepEqual(dataViolations("store.chat.message.new", data), []);
		const event = createEvent("store.chat.message.new", data, { source, dataChecked: true });
		assert.deepEqual(validateEvent(event), []);
		// The envelope is still ours to check: a bad id is refused whatever the data.
		assert.throws(() => createEvent("store.chat.message.new", data, { source, id: "", dataChecked: true }), EventContractError);
		assert.ok(dataViolations("store.chat.message.new", { conversationId: 5 }).length > 0);
		assert.match(dataViolations("store.chat.message.new", data, 99)[0].message, /Unknown version v99/);
	});
	it("carries causation and correlation from the causing event", () => {
		const cause = createEvent("store.chat.message.new", samples["store.chat.message.new"], { source });
		const effect = createEvent("store.chat.response", samples["store.chat.response"], { source, causedBy: cause });
		assert.equal(effect.causationid, cause.id);
		assert.equal(effect.correlationid, cause.correlationid);
		assert.equal(effect.brand, "fashion");
	});

	it("lets a new version of a type live beside the old one", () => {
		registerEventVersion("store.sales.insight", 2, {
			brand: { type: "string" },
			kind: { type: "string" },
			values: { type: "array", items: { type: "object", props: { name: "string", value: "number" } } }
		});
		try {
			const v2 = createEvent("store.sales.insight", { brand: "tech", kind: "k", values: [{ name: "taken", value: 3 }] } as never, { source });
			assert.equal(v2.dataschema, "urn:agent-store:store.sales.insight:v2");
			const v1 = createEvent("store.sales.insight", samples["store.sales.insight"], { source, version: 1 });
			assert.deepEqual(validateEvent(v1), [], "v1 is still accepted");
			assert.ok(validateEvent({ ...v1, dataschema: v2.dataschema }).length > 0, "a v1 body is not a valid v2");
			assert.throws(() => registerEventVersion("store.sales.insight", 2, {}), /already registered/);
		} finally {
			unregisterEventVersion("store.sales.insight", 2);
		}
		assert.equal(createEvent("store.sales.insight", samples["store.sales.insight"], { source }).dataschema, "urn:agent-store:store.sales.insight:v1");
	});
});

describe("event channels", () => {
	it("puts chat messages, order updates and escalation hand-backs on their brand's share, every other type on its own", () => {
		assert.equal(channelOf(EventTypes.ChatMessageNew, samples["store.chat.message.new"]), `store.chat.message.new.${(samples["store.chat.message.new"] as { brand: string }).brand}`);
		assert.equal(partitionChannel(EventTypes.ChatMessageNew, "tech"), "store.chat.message.new.tech");
		assert.equal(channelOf(EventTypes.OrderShipped, samples["store.order.shipped"]), "store.order.shipped.fashion", "an order update goes to its brand's seller");
		// An escalation transferred to another brand's sellers still belongs to the conversation's brand.
		const assigned = samples["store.sales.escalation.assigned"];
		assert.equal(channelOf(EventTypes.SalesEscalationAssigned, assigned), "store.sales.escalation.assigned.fashion");
		assert.equal(channelOf(EventTypes.SalesEscalationAssigned, { ...assigned, brand: "beauty", conversationBrand: "fashion" }), "store.sales.escalation.assigned.fashion");
		assert.equal(channelOf(EventTypes.SalesEscalate, samples["store.sales.escalate"]), "store.sales.escalate", "the sales assistant reads every brand's escalations");
		// Without its key the event breaks its contract (brand is required): publishing refuses it.
		assert.equal(channelOf(EventTypes.ChatMessageNew, { text: "hi" }), "store.chat.message.new");
		assert.equal(channelOf(EventTypes.ChatMessageNew, null), "store.chat.message.new");
		assert.throws(() => createEvent(EventTypes.ChatMessageNew, { text: "hi" } as never, { source }), EventContractError);
	});
});
