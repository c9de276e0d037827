/**
 * Operators' WhatsApp commands: the sandbox outbox, a customer's 24-hour window, and a message
 * sent by an operator (through `whatsapp.send`, so it is validated, paced and windowed like any).
 */
import { randomUUID } from "node:crypto";
import type { ServiceBroker } from "moleculer";
import type { OutboxEntry } from "../gateway/whatsapp/outbox";
import { restWords } from "./args";
import type { ReplArgs, ReplCommand } from "./types";

const USAGE = "usage: wa outbox [number] | wa window <number> <brand> | wa send <number> <brand> <text...>";
const NUMBER = /^\+?\d{5,20}$/;

function describe(e: OutboxEntry): string {
	const m = e.message as Record<string, any>;
	let what: string;
	if (m.type === "text") what = m.text.body;
	else if (m.type === "interactive") {
		const i = m.interactive;
		const choices = i.type === "button" ? i.action.buttons.map((b: any) => b.reply.title) : i.action.sections.flatMap((s: any) => s.rows.map((r: any) => r.title));
		what = `${i.body.text} [${choices.join(" | ")}]`;
	} else if (m.type === "template") what = `template ${m.template.name} (${m.template.language.code})`;
	else if (m.type === "image") what = `image ${m.image.link}${m.image.caption ? ` "${m.image.caption}"` : ""}`;
	else what = m.typing_indicator ? "typing..." : `read ${m.message_id}`;
	return `${e.at}  ${e.brand.padEnd(8)} → ${e.to}  ${e.kind.padEnd(8)} ${what}`;
}

export async function runWa(broker: ServiceBroker, args: ReplArgs): Promise<string> {
	const sub = typeof args.sub === "string" ? args.sub : undefined;
	// moleculer-repl maps one word per declared argument: the rest of the line comes from the raw command.
	const rest = restWords(args, 2, ["args"]);
	switch (sub) {
		case "outbox": {
			const to = rest[0]?.replace(/^\+/, "");
			if (to !== undefined && !NUMBER.test(to)) return `'${rest[0]}' is not a WhatsApp number (digits). ${USAGE}`;
			const entries = await broker.call<OutboxEntry[], object>("whatsapp.outbox", to ? { to } : {});
			if (!entries.length) return to ? `The outbox holds nothing for ${to}.` : "The outbox is empty.";
			return [`${entries.length} message(s), newest last:`, ...entries.map(describe)].join("\n");
		}
		case "window": {
			const [number, brand] = rest;
			if (!number || !brand || !NUMBER.test(number)) return USAGE;
			const w = await broker.call<{ open: boolean; lastInboundAt: number | null; closesAt: number | null }, object>("whatsapp.window", { waId: number.replace(/^\+/, ""), brand });
			if (w.lastInboundAt === null) return `closed: ${number} never wrote to ${brand} (only templates may be sent)`;
			const last = new Date(w.lastInboundAt).toISOString();
			const closes = new Date(w.closesAt!).toISOString();
			return w.open ? `open: last inbound ${last}, closes ${closes}` : `closed: last inbound ${last}, closed ${closes} (only templates may be sent)`;
		}
		case "send": {
			const [number, brand, ...words] = rest;
			const text = words.join(" ").trim();
			if (!number || !brand || !text || !NUMBER.test(number)) return USAGE;
			const to = number.replace(/^\+/, "");
			const res = await broker.call<{ status: string; messageIds: string[]; reason?: string; fallback?: { messageIds: string[] } }, object>("whatsapp.send", {
				brand,
				to,
				kind: "text",
				text,
				conversationId: `${brand}:${to}`,
				idempotencyKey: `operator:${randomUUID()}`
			});
			if (res.status === "refused") return `refused (${res.reason}); template sent instead: ${res.fallback?.messageIds.join(", ") ?? "none"}`;
			return `sent: ${res.messageIds.join(", ")}`;
		}
		default:
			return USAGE;
	}
}

export const whatsappCommands: ReplCommand[] = [
	{
		command: "wa [sub] [args...]",
		description: "WhatsApp: outbox [number], window <number> <brand>, send <number> <brand> <text>",
		run: runWa
	}
];
