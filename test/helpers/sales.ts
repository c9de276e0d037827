/** Probes and drivers for sales-assistant tests: console pushes, published events, a simulated clock. */
import type { Context, ServiceBroker, ServiceSchema } from "moleculer";
import { EventTypes, type CloudEvent, type EventPayloads, type SalesEscalateV1 } from "../../contracts/events";
import type { ConsolePush, PushFrame } from "../../contracts/sales-assistant";
import { publishEvent } from "../../mixins/events.mixin";
import { channelsOf, probeChannel } from "./broker";

/** A clock the test moves by hand; deadlines fire when the sweeper next looks at it. */
export class TestClock {
	constructor(public t: number = Date.now()) {}
	readonly now = (): number => this.t;
	advance(ms: number): number {
		this.t += ms;
		return this.t;
	}
}

const WATCHED = [
	EventTypes.SalesEscalationAssigned,
	EventTypes.SalesEscalationResolved,
	EventTypes.SalesSlaBreached,
	EventTypes.SalesInsight,
	EventTypes.WhatsappMessageSend
] as const;
type Watched = (typeof WATCHED)[number];

/** Records every `console.push` broadcast and the sales events, in arrival order. */
export function salesProbe(name = "sales-probe") {
	const pushes: ConsolePush[] = [];
	const events: { [T in Watched]: CloudEvent<EventPayloads[T]>[] } = Object.fromEntries(WATCHED.map(t => [t, []])) as never;
	const channels: Record<string, unknown> = {};
	for (const t of WATCHED) for (const channel of channelsOf(t)) channels[channel] = probeChannel(name, async e => void (events[t] as CloudEvent[]).push(e));
	const schema: ServiceSchema = {
		name,
		channels,
		events: {
			"console.push"(ctx: Context<ConsolePush>) {
				pushes.push(ctx.params);
			}
		}
	} as ServiceSchema;
	const frames = <T extends PushFrame["type"]>(type: T, to?: { sellerId?: string; brand?: string }) =>
		pushes
			.filter(p => p.frame.type === type)
			.filter(p => !to?.sellerId || p.to.sellerIds?.includes(to.sellerId))
			.filter(p => !to?.brand || p.to.brands?.includes(to.brand))
			.map(p => p.frame as Extract<PushFrame, { type: T }>);
	return { schema, pushes, events, frames };
}

let seq = 0;
export function escalateData(overrides: Partial<SalesEscalateV1> = {}): SalesEscalateV1 {
	seq++;
	return {
		conversationId: `fashion:1555000${String(seq).padStart(4, "0")}`,
		brand: "fashion",
		waId: `1555000${String(seq).padStart(4, "0")}`,
		customerName: "Maria Lopez",
		reason: "human_requested",
		detail: "wants to talk to a person",
		...overrides
	};
}

export function escalate(broker: ServiceBroker, data: SalesEscalateV1, id?: string) {
	return publishEvent(broker, "/test", EventTypes.SalesEscalate, data, id ? { id } : {});
}
