/**
 * Webhook body → typed inbound messages, statuses and errors. Pure: no I/O, no clock.
 *
 * Only the envelope decides whether the body is WhatsApp traffic at all (`object` and `entry[]`);
 * below it every piece (an entry, a change, a message, a status) is checked on its own, and a
 * malformed one is dropped with a reason while the rest of the body goes on (SPEC §6). Each
 * message is validated against the `store.whatsapp.message.received` contract before it is
 * returned, so what the service publishes cannot be refused later by a consumer.
 */
import {
	dataViolations,
	EventTypes,
	type ChatMessageNewV1,
	type EventType,
	type InboundKind,
	type WhatsappMessageReceivedV1,
	type WhatsappMessageStatusV1
} from "../../contracts/events";

export const WHATSAPP_OBJECT = "whatsapp_business_account";

export interface Drop {
	/** Where in the body, e.g. `entry[0].changes[1].value.messages[2]`. */
	at: string;
	reason: string;
}

/** Something to log and acknowledge: value-level errors, other webhook fields, unknown numbers. */
export interface Note {
	at: string;
	kind: "value_error" | "other_field" | "unknown_number";
	detail: string;
	/** Error code, for value-level errors. */
	code?: number;
	/** Messages and statuses left out (an unknown number's): counted in the answer's `dropped`. */
	dropped?: number;
}

export type ParsedStatus = WhatsappMessageStatusV1 & { phoneNumberId: string };

export interface ParsedWebhook {
	/** Ordered by Meta's timestamp (stable for equal timestamps). */
	messages: WhatsappMessageReceivedV1[];
	statuses: ParsedStatus[];
	notes: Note[];
	drops: Drop[];
}

export type ParseResult = { ok: true; value: ParsedWebhook } | { ok: false; reason: string };

/** Which brands a `phone_number_id` serves; empty for a number we do not know. */
export type BrandsFor = (phoneNumberId: string) => string[];

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === "object" && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v.length > 0 ? v : undefined);
const WA_ID = /^\d{5,20}$/;
const KINDS = new Set<string>(["text", "interactive", "button", "image", "audio", "video", "document", "sticker", "location", "contacts", "reaction", "order", "system", "unsupported"]);
const STATUSES = new Set(["sent", "delivered", "read", "played", "failed"]);
/** Kinds that are a new turn of the conversation; a reaction or a number change is not. */
const CONVERSATIONAL = new Set<InboundKind>(["text", "interactive", "button", "image", "audio", "video", "document", "sticker", "location", "contacts", "order", "unsupported"]);

/** Digits only: `from` may come as `+1650…` in some documentation (SPEC §3.2, §8.5). */
export function normaliseWaId(v: unknown): string | undefined {
	const s = typeof v === "string" ? v.trim().replace(/^\+/, "") : typeof v === "number" ? String(v) : undefined;
	return s && WA_ID.test(s) ? s : undefined;
}

/** Unix seconds as a string (or a number) → epoch milliseconds. */
function timestampMs(v: unknown): number | undefined {
	const s = typeof v === "number" ? String(v) : typeof v === "string" ? v.trim() : "";
	if (!/^\d{1,12}$/.test(s) || Number(s) <= 0) return undefined;
	return Number(s) * 1000;
}

function waErrors(v: unknown): { code: number; title: string; message?: string }[] | undefined {
	if (!Array.isArray(v)) return undefined;
	const out = v
		.filter(isObj)
		.filter(e => Number.isInteger(e.code))
		.map(e => ({
			code: e.code as number,
			title: str(e.title) ?? str(e.message) ?? `error ${e.code}`,
			...(str(e.message) ? { message: e.message as string } : {})
		}));
	return out.length ? out : undefined;
}

class Malformed extends Error {}
const need = <T>(v: T | undefined, what: string): T => {
	if (v === undefined) throw new Malformed(what);
	return v;
};

/** The type-specific part of a message; throws `Malformed` with a reason. */
function payload(kind: string, m: Obj): Partial<WhatsappMessageReceivedV1> & { kind: InboundKind } {
	const body = m[kind];
	const o = isObj(body) ? body : undefined;
	switch (kind) {
		case "text":
			return { kind, text: need(typeof o?.body === "string" ? o.body : undefined, "text.body is missing") };
		case "interactive": {
			const t = need(str(o?.type), "interactive.type is missing");
			if (t !== "button_reply" && t !== "list_reply")
				return unsupported(`interactive.${t}`);
			const r = need(isObj(o?.[t]) ? (o![t] as Obj) : undefined, `interactive.${t} is missing`);
			return {
				kind,
				interactive: {
					type: t,
					id: need(str(r.id), `interactive.${t}.id is missing`),
					title: typeof r.title === "string" ? r.title : "",
					...(str(r.description) ? { description: r.description as string } : {})
				}
			};
		}
		case "button": {
			const text = typeof o?.text === "string" ? o.text : undefined;
			const p = typeof o?.payload === "string" ? o.payload : text;
			return { kind, button: { payload: need(p, "button.payload is missing"), text: text ?? p! } };
		}
		case "image":
		case "video":
		case "audio":
		case "document":
		case "sticker": {
			const media = need(o, `${kind} is missing`);
			return {
				kind,
				media: {
					id: need(str(media.id), `${kind}.id is missing`),
					...(str(media.mime_type) ? { mimeType: media.mime_type as string } : {}),
					...(str(media.sha256) ? { sha256: media.sha256 as string } : {}),
					...(typeof media.caption === "string" ? { caption: media.caption } : {}),
					...(typeof media.filename === "string" ? { filename: media.filename } : {}),
					...(typeof media.voice === "boolean" ? { voice: media.voice } : {})
				}
			};
		}
		case "location": {
			const l = need(o, "location is missing");
			const lat = typeof l.latitude === "number" ? l.latitude : Number.NaN;
			const lng = typeof l.longitude === "number" ? l.longitude : Number.NaN;
			if (!(Math.abs(lat) <= 90) || !(Math.abs(lng) <= 180)) throw new Malformed("location has no valid latitude/longitude");
			return {
				kind,
				location: {
					latitude: lat,
					longitude: lng,
					...(typeof l.name === "string" ? { name: l.name } : {}),
					...(typeof l.address === "string" ? { address: l.address } : {})
				}
			};
		}
		case "contacts": {
			const cards = m.contacts;
			if (!Array.isArray(cards) || cards.length === 0 || !cards.every(isObj)) throw new Malformed("contacts is not an array of cards");
			return { kind, contacts: cards as Obj[] };
		}
		case "reaction": {
			const r = need(o, "reaction is missing");
			return {
				kind,
				reaction: {
					messageId: need(str(r.message_id), "reaction.message_id is missing"),
					// Missing emoji: the customer removed the reaction (SPEC §3.3).
					...(str(r.emoji) ? { emoji: r.emoji as string } : {})
				}
			};
		}
		case "order": {
			const ord = need(o, "order is missing");
			const items = need(Array.isArray(ord.product_items) ? ord.product_items : undefined, "order.product_items is missing");
			return {
				kind,
				order: {
					...(str(ord.catalog_id) ? { catalogId: ord.catalog_id as string } : {}),
					...(typeof ord.text === "string" ? { text: ord.text } : {}),
					items: items.map((it, i) => {
						const x = need(isObj(it) ? it : undefined, `order.product_items[${i}] is not an object`);
						const quantity = Number(x.quantity);
						const itemPrice = Number(x.item_price);
						if (!Number.isInteger(quantity) || quantity <= 0) throw new Malformed(`order.product_items[${i}].quantity is invalid`);
						if (!Number.isFinite(itemPrice) || itemPrice < 0) throw new Malformed(`order.product_items[${i}].item_price is invalid`);
						return {
							productRetailerId: need(str(x.product_retailer_id), `order.product_items[${i}].product_retailer_id is missing`),
							quantity,
							itemPrice,
							currency: need(str(x.currency), `order.product_items[${i}].currency is missing`)
						};
					})
				}
			};
		}
		case "system": {
			const s = need(o, "system is missing");
			return {
				kind,
				system: {
					...(str(s.type) ? { type: s.type as string } : {}),
					...(typeof s.body === "string" ? { body: s.body } : {}),
					...(normaliseWaId(s.wa_id ?? s.new_wa_id) ? { waId: normaliseWaId(s.wa_id ?? s.new_wa_id) } : {})
				}
			};
		}
		case "unsupported":
			return { kind, errors: waErrors(m.errors) ?? [{ code: 131051, title: `Unsupported message type${str(o?.type) ? `: ${o!.type}` : ""}` }] };
		default:
			return unsupported(kind.replace(/^other:/, ""));
	}
}

/** A type we do not model (flows, polls, edits...): kept as `unsupported` so nobody is ignored. */
function unsupported(type: string): { kind: InboundKind; errors: { code: number; title: string }[] } {
	return { kind: "unsupported", errors: [{ code: 131051, title: `Unsupported message type: ${type}`.slice(0, 200) }] };
}

function contractViolations(type: EventType, data: unknown): string | undefined {
	const v = dataViolations(type, data);
	return v.length ? v.map(x => `${x.field ?? ""} ${x.message}`.trim()).join("; ") : undefined;
}

function parseMessage(m: unknown, phoneNumberId: string, brands: string[], names: Map<string, string>): WhatsappMessageReceivedV1 {
	if (!isObj(m)) throw new Malformed("not an object");
	const messageId = need(str(m.id), "id is missing");
	// BSUID-only senders (SPEC §3.6) cannot be addressed by our wa_id-keyed contract yet.
	const from = need(normaliseWaId(m.from), str(m.from_user_id) ? "sender has only a BSUID (from_user_id), not yet supported" : "from is missing or not a WhatsApp id");
	const timestamp = need(timestampMs(m.timestamp), "timestamp is missing or invalid");
	const type = need(str(m.type), "type is missing");
	const part = payload(KINDS.has(type) ? type : `other:${type}`, m);
	const ctx = isObj(m.context) ? m.context : undefined;
	const msg: WhatsappMessageReceivedV1 = {
		messageId,
		phoneNumberId,
		brand: brands.length === 1 ? brands[0] : null,
		brands,
		from,
		timestamp,
		...part
	};
	const name = names.get(from);
	if (name !== undefined) msg.profileName = name.slice(0, 256);
	if (ctx && str(ctx.id)) msg.context = { id: ctx.id as string, ...(normaliseWaId(ctx.from) ? { from: normaliseWaId(ctx.from)! } : {}) };
	const problem = contractViolations(EventTypes.WhatsappMessageReceived, msg);
	if (problem) throw new Malformed(`breaks the contract: ${problem}`);
	return msg;
}

function parseStatus(s: unknown, phoneNumberId: string, brands: string[]): ParsedStatus {
	if (!isObj(s)) throw new Malformed("not an object");
	const status = need(str(s.status), "status is missing");
	if (!STATUSES.has(status)) throw new Malformed(`unknown status '${status}'`);
	const out: ParsedStatus = {
		messageId: need(str(s.id), "id is missing"),
		recipientId: need(normaliseWaId(s.recipient_id) ?? (str(s.recipient_id) && (s.recipient_id as string).length <= 64 ? (s.recipient_id as string) : undefined), "recipient_id is missing"),
		phoneNumberId,
		status: status as ParsedStatus["status"],
		timestamp: need(timestampMs(s.timestamp), "timestamp is missing or invalid")
	};
	if (brands.length === 1) out.brand = brands[0];
	const errors = waErrors(s.errors);
	if (errors) out.errors = errors;
	const problem = contractViolations(EventTypes.WhatsappMessageStatus, out);
	if (problem) throw new Malformed(`breaks the contract: ${problem}`);
	return out;
}

/** Parses a JSON value that passed the signature check. */
export function parseWebhook(body: unknown, brandsFor: BrandsFor): ParseResult {
	if (!isObj(body)) return { ok: false, reason: "the body is not a JSON object" };
	if (body.object !== WHATSAPP_OBJECT) return { ok: false, reason: `'object' is not '${WHATSAPP_OBJECT}'` };
	if (!Array.isArray(body.entry)) return { ok: false, reason: "'entry' is not an array" };

	const out: ParsedWebhook = { messages: [], statuses: [], notes: [], drops: [] };
	body.entry.forEach((entry, ei) => {
		const eAt = `entry[${ei}]`;
		if (!isObj(entry) || !Array.isArray(entry.changes)) return out.drops.push({ at: eAt, reason: "not an entry with changes[]" });
		entry.changes.forEach((change, ci) => {
			const cAt = `${eAt}.changes[${ci}]`;
			if (!isObj(change) || !isObj(change.value)) return out.drops.push({ at: cAt, reason: "not a change with a value" });
			if (change.field !== "messages") {
				out.notes.push({ at: cAt, kind: "other_field", detail: `field '${String(change.field).slice(0, 64)}'` });
				return;
			}
			const value = change.value;
			const phoneNumberId = isObj(value.metadata) ? str(value.metadata.phone_number_id) : undefined;
			if (!phoneNumberId || !/^\d{1,32}$/.test(phoneNumberId)) return out.drops.push({ at: cAt, reason: "metadata.phone_number_id is missing or invalid" });

			if (Array.isArray(value.errors))
				for (const e of waErrors(value.errors) ?? [])
					out.notes.push({ at: `${cAt}.value.errors`, kind: "value_error", code: e.code, detail: e.title });

			const messages = Array.isArray(value.messages) ? value.messages : [];
			const statuses = Array.isArray(value.statuses) ? value.statuses : [];
			const brands = brandsFor(phoneNumberId);
			if (!brands.length) {
				if (messages.length || statuses.length)
					out.notes.push({ at: cAt, kind: "unknown_number", detail: `phone_number_id ${phoneNumberId}: ${messages.length} message(s), ${statuses.length} status(es) dropped`, dropped: messages.length + statuses.length });
				return;
			}
			// Join senders by wa_id, never by index (SPEC §3.1).
			const names = new Map<string, string>();
			if (Array.isArray(value.contacts))
				for (const c of value.contacts)
					if (isObj(c) && normaliseWaId(c.wa_id) && isObj(c.profile) && typeof c.profile.name === "string")
						names.set(normaliseWaId(c.wa_id)!, c.profile.name);

			messages.forEach((m, mi) => {
				const at = `${cAt}.value.messages[${mi}]`;
				try {
					out.messages.push(parseMessage(m, phoneNumberId, brands, names));
				} catch (err) {
					if (!(err instanceof Malformed)) throw err;
					out.drops.push({ at, reason: err.message });
				}
			});
			statuses.forEach((s, si) => {
				const at = `${cAt}.value.statuses[${si}]`;
				try {
					out.statuses.push(parseStatus(s, phoneNumberId, brands));
				} catch (err) {
					if (!(err instanceof Malformed)) throw err;
					out.drops.push({ at, reason: err.message });
				}
			});
		});
	});
	// Array.prototype.sort is stable: equal timestamps keep their order in the body.
	out.messages.sort((a, b) => a.timestamp - b.timestamp);
	out.statuses.sort((a, b) => a.timestamp - b.timestamp);
	return { ok: true, value: out };
}

export function isConversational(m: WhatsappMessageReceivedV1): boolean {
	return CONVERSATIONAL.has(m.kind);
}

/** A short human text for the conversation: what the customer wrote, tapped or captioned. */
function textOf(m: WhatsappMessageReceivedV1): string | undefined {
	switch (m.kind) {
		case "text":
			return m.text;
		case "interactive":
			return m.interactive?.title;
		case "button":
			return m.button?.text;
		case "location":
			return [m.location?.name, m.location?.address].filter(Boolean).join(", ") || `${m.location?.latitude},${m.location?.longitude}`;
		case "order":
			return m.order?.text;
		default:
			return m.media?.caption ?? m.text;
	}
}

/**
 * The conversational view of an inbound message, or null when it is not a turn (reaction,
 * system). A shared number routes to its first brand with `brandChoiceRequired`, so the
 * conversation exists from the first message and can ask the customer to pick a brand.
 */
export function toChatMessage(m: WhatsappMessageReceivedV1): ChatMessageNewV1 | null {
	if (!isConversational(m) || !m.brands.length) return null;
	const brand = m.brand ?? m.brands[0];
	const chat: ChatMessageNewV1 = {
		conversationId: conversationIdOf(brand, m.from),
		brand,
		waId: m.from,
		messageId: m.messageId,
		phoneNumberId: m.phoneNumberId,
		kind: m.kind,
		receivedAt: m.timestamp
	};
	if (m.profileName !== undefined) chat.customerName = m.profileName;
	const text = textOf(m);
	if (text !== undefined) chat.text = text;
	const choice = m.interactive?.id ?? m.button?.payload;
	if (choice) chat.choiceId = choice;
	if (m.context?.id) chat.replyToMessageId = m.context.id;
	if (m.kind === "order" && m.order?.items.length) chat.orderItems = m.order.items.map(i => ({ sku: i.productRetailerId, qty: i.quantity }));
	if (m.brand === null) {
		chat.brandChoiceRequired = true;
		chat.brands = [...m.brands];
	}
	return chat;
}

export function conversationIdOf(brand: string, waId: string): string {
	return `${brand}:${waId}`;
}
