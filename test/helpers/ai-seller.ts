/**
 * Shared pieces of the AI-seller integration tests: webhook messages for one customer, the
 * sandbox outbox as the customer sees it, the seller's stored record through its action, and
 * per-turn scripting of the OpenAI stub.
 */
import { createHash } from "node:crypto";
import type { ServiceBroker } from "moleculer";
import type { OutboxEntry } from "../../gateway/whatsapp/outbox";
import type { ConversationContext } from "../../contracts/conversation";
import type { ConversationHost } from "../../services/ai-seller/host";
import { body, value, wamid } from "../fixtures/whatsapp";
import type { OpenAIStub, StubStep } from "./openai-stub";
import { postWebhook } from "./whatsapp";

export interface StoredConversation {
	id: string;
	state: string;
	context: ConversationContext;
	version: number;
}

/** One customer writing to one number; every message gets a fresh wamid unless told otherwise. */
export function customer(waId: string, opts: { name?: string; phoneNumberId?: string } = {}) {
	const contacts = [{ profile: { name: opts.name ?? "Test Customer" }, wa_id: waId }];
	const wrap = (message: Record<string, unknown>) => body(value({ phoneNumberId: opts.phoneNumberId ?? "100000000000001", contacts, messages: [message] }));
	return {
		waId,
		text(text: string, o: { id?: string; timestamp?: number } = {}) {
			const id = o.id ?? wamid("ai");
			return { id, payload: wrap({ from: waId, id, timestamp: String(o.timestamp ?? Math.floor(Date.now() / 1000)), type: "text", text: { body: text } }) };
		},
		tap(rowId: string, title: string, o: { id?: string; timestamp?: number } = {}) {
			const id = o.id ?? wamid("tap");
			return {
				id,
				payload: wrap({
					from: waId,
					id,
					timestamp: String(o.timestamp ?? Math.floor(Date.now() / 1000)),
					type: "interactive",
					interactive: { type: "list_reply", list_reply: { id: rowId, title } }
				})
			};
		},
		/** A photo as Meta delivers it: a media id, and the caption when there is one. */
		image(caption?: string, o: { id?: string; timestamp?: number } = {}) {
			const id = o.id ?? wamid("img");
			return {
				id,
				payload: wrap({ from: waId, id, timestamp: String(o.timestamp ?? Math.floor(Date.now() / 1000)), type: "image", image: { id: "1234567890", mime_type: "image/jpeg", sha256: "abc", ...(caption ? { caption } : {}) } })
			};
		},
		/** Posts a signed webhook; throws unless Meta would see a 200. */
		async post(url: string, m: { payload: unknown }) {
			const res = await postWebhook(url, m.payload);
			if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
		}
	};
}

export async function outbox(url: string, to: string): Promise<OutboxEntry[]> {
	return (await (await fetch(`${url}/sandbox/outbox?to=${to}`)).json()) as OutboxEntry[];
}

/** The customer-visible text of an outbox entry, whatever its kind. */
export function textOf(e: OutboxEntry): string {
	const m = e.message as { text?: { body?: string }; interactive?: { body?: { text?: string } } };
	return m.text?.body ?? m.interactive?.body?.text ?? "";
}

export async function stored(broker: ServiceBroker, id: string, brand = "fashion"): Promise<StoredConversation | null> {
	try {
		return await broker.call<StoredConversation, { id: string }>(`ai-seller-${brand}.get`, { id });
	} catch (err) {
		if ((err as { code?: number }).code === 404) return null;
		throw err;
	}
}

/** The host behind a seller service of this broker (for what no action exposes: IDLE_TIMEOUT). */
export function hostOf(broker: ServiceBroker, brand = "fashion"): ConversationHost {
	const svc = broker.getLocalService(`ai-seller-${brand}`) as unknown as { host?: ConversationHost } | undefined;
	if (!svc?.host) throw new Error(`ai-seller-${brand} is not running on this node`);
	return svc.host;
}

/** The id the WhatsApp gateway gives the `store.chat.message.new` of a message (deterministic). */
export const chatEventId = (messageId: string) => createHash("sha256").update(`chat\u0000${messageId}`).digest("hex").slice(0, 32);

/**
 * The chat messages a seller's host has finished handling, by event id. Its chat channel keeps no
 * done mark (the host dedupes by itself), so tests watch the host instead: call once, before the
 * messages are published.
 */
export function watchChatHandling(broker: ServiceBroker, brand = "fashion"): Set<string> {
	const host = hostOf(broker, brand);
	const done = new Set<string>();
	const original = host.onChatMessage.bind(host);
	host.onChatMessage = async event => {
		const result = await original(event);
		done.add(event.id);
		return result;
	};
	return done;
}

/** True once the seller's consumer group finished an event of a marked channel (the durable middleware's done mark). */
export async function handled(broker: ServiceBroker, eventId: string, brand = "fashion"): Promise<boolean> {
	return (await broker.store.get(`chan:done:ai-seller-${brand}:${eventId}`)) !== null;
}

/** A model call nobody planned: non-retryable, so it turns into a visible `model_failure` escalation. */
export const UNPLANNED: StubStep = { status: 400, error: "unplanned model request" };

/** The next requests the stub receives get `steps`, in order; any further one gets UNPLANNED. */
export function plan(stub: OpenAIStub, steps: StubStep[]): void {
	const done = stub.requests.length;
	stub.script.splice(0, stub.script.length, ...new Array<StubStep>(done).fill(UNPLANNED), ...steps, UNPLANNED);
}

export const call = (name: string, args: unknown) => ({ name, arguments: JSON.stringify(args) });
