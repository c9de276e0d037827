/**
 * Outbound messages: WhatsApp's limits (SPEC §4.3) checked before anything is sent, and the Graph
 * API request bodies built from a send command. Pure.
 *
 * A message that breaks a limit is refused with every violation named, never sent broken and never
 * silently truncated. The one adaptation the spec allows is splitting a long text into several
 * messages, on line or sentence boundaries where it can.
 */
import type { OutboundKind, WhatsappMessageSendV1 } from "../../contracts/events";

export const LIMITS = {
	text: 4096,
	buttonsMin: 1,
	buttonsMax: 3,
	buttonTitle: 20,
	buttonId: 256,
	/** Interactive bodies: the list page says 4096, every older reference 1024 (SPEC §8.2). */
	interactiveBody: 1024,
	footer: 60,
	header: 60,
	listButton: 20,
	listRowsTotal: 10,
	listSections: 10,
	sectionTitle: 24,
	rowTitle: 24,
	rowId: 200,
	rowDescription: 72,
	caption: 1024
} as const;

export interface Violation {
	field: string;
	message: string;
}

export class OutboundInvalid extends Error {
	constructor(readonly violations: Violation[]) {
		super(`Outbound message breaks WhatsApp's limits: ${violations.map(v => `${v.field}: ${v.message}`).join("; ")}`);
		this.name = "OutboundInvalid";
	}
}

/** A Graph API `/{phone-number-id}/messages` request body. */
export type GraphMessage = Record<string, unknown>;

/** Kinds that need an open 24-hour window (SPEC §5); templates do not, read receipts and typing refer to an inbound message. */
export const FREE_FORM_KINDS: ReadonlySet<OutboundKind> = new Set(["text", "buttons", "list", "image"]);

const len = (s: string | undefined) => (s ?? "").length;

/**
 * Splits text into parts of at most `max` characters, cutting at the last line break, else the
 * last sentence end, else the last space in each window; a hard cut only for a run with none.
 */
export function splitText(text: string, max: number = LIMITS.text): string[] {
	const parts: string[] = [];
	let rest = text.trim();
	while (rest.length > max) {
		const window = rest.slice(0, max + 1);
		let cut = window.lastIndexOf("\n");
		if (cut < max / 4) {
			const sentence = Math.max(window.lastIndexOf(". "), window.lastIndexOf("! "), window.lastIndexOf("? "), window.lastIndexOf("。"));
			cut = sentence >= max / 4 ? sentence + 1 : -1;
		}
		if (cut < max / 4) cut = window.lastIndexOf(" ");
		if (cut <= 0) {
			cut = max;
			// Never split a surrogate pair (an emoji) in two.
			const code = rest.charCodeAt(cut - 1);
			if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
		}
		const part = rest.slice(0, cut).trim();
		if (part) parts.push(part);
		rest = rest.slice(cut).trim();
	}
	if (rest) parts.push(rest);
	return parts;
}

/** Meta fetches a media link itself: it must be a web address. */
function checkImage(link: string | undefined, v: Violation[]): void {
	if (!link || !/^https?:\/\//.test(link)) v.push({ field: "image.link", message: "must be an http(s) URL" });
}

function check(cmd: WhatsappMessageSendV1): Violation[] {
	const v: Violation[] = [];
	const max = (field: string, value: string | undefined, limit: number, min = 0) => {
		if (len(value) < min) v.push({ field, message: min === 1 ? "is required" : `must be at least ${min} characters` });
		else if (len(value) > limit) v.push({ field, message: `is ${len(value)} characters, the limit is ${limit}` });
	};
	if (!/^\d{5,20}$/.test(cmd.to)) v.push({ field: "to", message: "must be a WhatsApp id (digits)" });
	switch (cmd.kind) {
		case "text":
			if (!cmd.text?.trim()) v.push({ field: "text", message: "is required" });
			break;
		case "buttons": {
			max("text", cmd.text, LIMITS.interactiveBody, 1);
			const buttons = cmd.buttons ?? [];
			if (buttons.length < LIMITS.buttonsMin || buttons.length > LIMITS.buttonsMax)
				v.push({ field: "buttons", message: `must hold ${LIMITS.buttonsMin} to ${LIMITS.buttonsMax} buttons, not ${buttons.length}` });
			buttons.forEach((b, i) => {
				max(`buttons[${i}].title`, b.title, LIMITS.buttonTitle, 1);
				max(`buttons[${i}].id`, b.id, LIMITS.buttonId, 1);
			});
			if (new Set(buttons.map(b => b.title)).size !== buttons.length) v.push({ field: "buttons", message: "titles must be unique" });
			if (new Set(buttons.map(b => b.id)).size !== buttons.length) v.push({ field: "buttons", message: "ids must be unique" });
			if (cmd.image) checkImage(cmd.image.link, v);
			if (cmd.image?.caption) v.push({ field: "image.caption", message: "is not allowed on a buttons header: the text is the body" });
			break;
		}
		case "list": {
			max("text", cmd.text, LIMITS.interactiveBody, 1);
			const list = cmd.list;
			if (!list) {
				v.push({ field: "list", message: "is required" });
				break;
			}
			max("list.button", list.button, LIMITS.listButton, 1);
			max("list.header", list.header, LIMITS.header);
			max("list.footer", list.footer, LIMITS.footer);
			const sections = Array.isArray(list.sections) ? list.sections : [];
			if (sections.length < 1 || sections.length > LIMITS.listSections)
				v.push({ field: "list.sections", message: `must hold 1 to ${LIMITS.listSections} sections, not ${sections.length}` });
			let rows = 0;
			const ids = new Set<string>();
			sections.forEach((s, si) => {
				if (sections.length > 1) max(`list.sections[${si}].title`, s.title, LIMITS.sectionTitle, 1);
				else max(`list.sections[${si}].title`, s.title, LIMITS.sectionTitle);
				const sRows = Array.isArray(s.rows) ? s.rows : [];
				if (!sRows.length) v.push({ field: `list.sections[${si}].rows`, message: "must hold at least one row" });
				sRows.forEach((r, ri) => {
					rows++;
					const at = `list.sections[${si}].rows[${ri}]`;
					max(`${at}.id`, r?.id, LIMITS.rowId, 1);
					max(`${at}.title`, r?.title, LIMITS.rowTitle, 1);
					max(`${at}.description`, r?.description, LIMITS.rowDescription);
					if (r?.id && ids.has(r.id)) v.push({ field: `${at}.id`, message: "must be unique in the list" });
					if (r?.id) ids.add(r.id);
				});
			});
			if (rows > LIMITS.listRowsTotal) v.push({ field: "list.sections", message: `hold ${rows} rows in all, the limit is ${LIMITS.listRowsTotal}` });
			break;
		}
		case "template":
			if (!cmd.template?.name || !/^[a-z0-9_]{1,512}$/.test(cmd.template.name)) v.push({ field: "template.name", message: "must be a template name (lowercase, digits, _)" });
			if (!cmd.template?.language) v.push({ field: "template.language", message: "is required" });
			break;
		case "image":
			checkImage(cmd.image?.link, v);
			max("image.caption", cmd.image?.caption, LIMITS.caption);
			break;
		case "read":
		case "typing":
			if (!cmd.messageId) v.push({ field: "messageId", message: "is required: the inbound message being acknowledged" });
			break;
		default:
			v.push({ field: "kind", message: `unknown kind '${String((cmd as { kind: unknown }).kind)}'` });
	}
	return v;
}

/**
 * The Graph API bodies for a send command, in sending order (several only for a split text).
 * Throws `OutboundInvalid` naming every limit the command breaks.
 */
export function buildMessages(cmd: WhatsappMessageSendV1): GraphMessage[] {
	const violations = check(cmd);
	if (violations.length) throw new OutboundInvalid(violations);
	const to = `+${cmd.to}`;
	const base = (type: string, content: unknown, withContext: boolean): GraphMessage => ({
		messaging_product: "whatsapp",
		recipient_type: "individual",
		to,
		type,
		[type]: content,
		...(withContext && cmd.replyTo ? { context: { message_id: cmd.replyTo } } : {})
	});
	switch (cmd.kind) {
		case "text":
			return splitText(cmd.text!).map((body, i) => base("text", { body }, i === 0));
		case "buttons":
			return [
				base("interactive", {
					type: "button",
					...(cmd.image ? { header: { type: "image", image: { link: cmd.image.link } } } : {}),
					body: { text: cmd.text },
					action: { buttons: cmd.buttons!.map(b => ({ type: "reply", reply: { id: b.id, title: b.title } })) }
				}, true)
			];
		case "list": {
			const l = cmd.list!;
			return [
				base("interactive", {
					type: "list",
					...(l.header ? { header: { type: "text", text: l.header } } : {}),
					body: { text: cmd.text },
					...(l.footer ? { footer: { text: l.footer } } : {}),
					action: {
						button: l.button,
						sections: l.sections.map(s => ({
							...(s.title ? { title: s.title } : {}),
							rows: s.rows.map(r => ({ id: r.id, title: r.title, ...(r.description ? { description: r.description } : {}) }))
						}))
					}
				}, true)
			];
		}
		case "template":
			// Templates do not render a quoted reply (SPEC §4.1): no context.
			return [
				base("template", {
					name: cmd.template!.name,
					language: { code: cmd.template!.language },
					...(cmd.template!.components?.length ? { components: cmd.template!.components } : {})
				}, false)
			];
		case "image":
			return [base("image", { link: cmd.image!.link, ...(cmd.image!.caption ? { caption: cmd.image!.caption } : {}) }, true)];
		case "read":
			return [{ messaging_product: "whatsapp", status: "read", message_id: cmd.messageId }];
		case "typing":
			return [{ messaging_product: "whatsapp", status: "read", message_id: cmd.messageId, typing_indicator: { type: "text" } }];
	}
}
