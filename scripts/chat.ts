/**
 * `npm run chat -- [--brand fashion] [--from 15550001234] [--name "Test Customer"]`: plays a
 * WhatsApp customer against a running instance. Each line you type is posted to
 * `POST /webhooks/whatsapp` as Meta would (signed with WHATSAPP_APP_SECRET, so start the chat with
 * the same value as the instance: `npm start` prints the exact command). Replies are read from the
 * sandbox outbox; buttons and list rows are numbered, and typing a number taps that choice.
 * `/quit` (or end of input) leaves.
 */
import { randomBytes } from "node:crypto";
import readline from "node:readline";
import { getConfigOrExit } from "../config";
import { signBody } from "../gateway/whatsapp/signature";
import type { OutboxEntry } from "../gateway/whatsapp/outbox";

const POLL_MS = 400;
/** After the input ends, replies still arriving are shown for this long. */
const DRAIN_MS = 1500;

interface Choice {
	id: string;
	title: string;
	description?: string;
	type: "button_reply" | "list_reply";
	context: string;
}

function option(name: string, fallback: string): string {
	const i = process.argv.indexOf(`--${name}`);
	return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
}

/**
 * Who a message is from, as the customer would want to know: the AI seller, a person of the team
 * who took the conversation (the sales assistant's sends), or the store's operator (the REPL).
 */
export function speakerOf(e: OutboxEntry, seller: string): string {
	if (/^esc-[^:]*:(joined|reply):/.test(e.idempotencyKey)) return "Team (a person)";
	if (e.idempotencyKey.startsWith("operator:") || /^esc-[^:]*:waiting:/.test(e.idempotencyKey)) return "The store";
	return seller;
}

/** Text for one outbox entry, and the choices it offers (numbered from 1). */
export function render(e: OutboxEntry, ai: string): { text: string | null; choices: Choice[] } {
	const seller = speakerOf(e, ai);
	const m = e.message as Record<string, any>;
	switch (m.type) {
		case "text":
			return { text: `${seller}: ${m.text.body}`, choices: [] };
		case "image":
			return { text: `${seller}: [image ${m.image.link}]${m.image.caption ? ` ${m.image.caption}` : ""}`, choices: [] };
		case "template":
			return { text: `${seller}: [template "${m.template.name}" (${m.template.language.code})]`, choices: [] };
		case "interactive": {
			const i = m.interactive;
			const lines = [`${seller}: ${i.header?.text ? `*${i.header.text}*\n  ` : ""}${i.body.text}`];
			const choices: Choice[] =
				i.type === "button"
					? i.action.buttons.map((b: any) => ({ id: b.reply.id, title: b.reply.title, type: "button_reply", context: e.id }))
					: i.action.sections.flatMap((s: any) => s.rows.map((r: any) => ({ id: r.id, title: r.title, description: r.description, type: "list_reply", context: e.id })));
			if (i.type === "list") lines.push(`  ≡ ${i.action.button}`);
			let n = 0;
			if (i.type === "list")
				for (const s of i.action.sections) {
					if (s.title) lines.push(`  ${s.title}`);
					for (const r of s.rows) lines.push(`    [${++n}] ${r.title}${r.description ? ` — ${r.description}` : ""}`);
				}
			else for (const c of choices) lines.push(`  [${++n}] ${c.title}`);
			if (i.footer?.text) lines.push(`  _${i.footer.text}_`);
			lines.push("  (type a number to tap)");
			return { text: lines.join("\n"), choices };
		}
		default:
			// Read receipts are invisible to the customer; typing shows as a line.
			return { text: m.typing_indicator ? `${seller} is typing…` : null, choices: [] };
	}
}

async function main(): Promise<void> {
	const cfg = getConfigOrExit();
	const brandId = option("brand", cfg.brands[0].id);
	const brand = cfg.brands.find(b => b.id === brandId);
	if (!brand) {
		process.stderr.write(`Unknown brand '${brandId}': one of ${cfg.brands.map(b => b.id).join(", ")}\n`);
		process.exit(1);
	}
	const from = option("from", "15550001234").replace(/^\+/, "");
	if (!/^\d{5,20}$/.test(from)) {
		process.stderr.write(`--from must be a WhatsApp number (digits), not '${from}'\n`);
		process.exit(1);
	}
	const name = option("name", "Test Customer");
	const host = cfg.host === "0.0.0.0" ? "127.0.0.1" : cfg.host;
	const base = `http://${host}:${cfg.port}`;
	const phoneNumberId = brand.phoneNumberIds[0];
	const out = (s: string) => process.stdout.write(`${s}\n`);

	const shown = new Set<string>();
	let choices: Choice[] = [];
	let polling = false;
	const poll = async () => {
		if (polling) return;
		polling = true;
		try {
			const res = await fetch(`${base}/sandbox/outbox?to=${from}`);
			if (res.status === 404) {
				out("! The instance is not in sandbox mode: replies go to WhatsApp, not to this terminal.");
				return;
			}
			for (const e of (await res.json()) as OutboxEntry[]) {
				if (shown.has(e.id)) continue;
				shown.add(e.id);
				const r = render(e, brand.seller);
				if (r.text) out(r.text);
				if (r.choices.length) choices = r.choices;
			}
		} catch (err) {
			out(`! cannot reach ${base}: ${(err as Error).message}`);
		} finally {
			polling = false;
		}
	};
	await poll();
	const timer = setInterval(() => void poll(), POLL_MS);

	const post = async (message: Record<string, unknown>) => {
		const payload = {
			object: "whatsapp_business_account",
			entry: [
				{
					id: "0",
					changes: [
						{
							field: "messages",
							value: {
								messaging_product: "whatsapp",
								metadata: { display_phone_number: phoneNumberId, phone_number_id: phoneNumberId },
								contacts: [{ profile: { name }, wa_id: from }],
								messages: [{ from, id: `wamid.chat.${randomBytes(12).toString("hex")}`, timestamp: String(Math.floor(Date.now() / 1000)), ...message }]
							}
						}
					]
				}
			]
		};
		const raw = Buffer.from(JSON.stringify(payload));
		try {
			const res = await fetch(`${base}/webhooks/whatsapp`, {
				method: "POST",
				headers: { "content-type": "application/json", "x-hub-signature-256": signBody(cfg.whatsapp.appSecret, raw) },
				body: raw
			});
			if (res.status === 200) out("  ✓ delivered");
			else if (res.status === 401) out("  ✗ 401: signature refused — start the chat with the instance's WHATSAPP_APP_SECRET (npm start prints the command)");
			else out(`  ✗ HTTP ${res.status}: ${await res.text()}`);
		} catch (err) {
			out(`  ✗ cannot reach ${base}: ${(err as Error).message}`);
		}
	};

	out(`Chatting with ${brand.seller} (${brand.id}) as +${from} on ${base}. Type a message; a number taps a choice; /quit leaves.`);
	const rl = readline.createInterface({ input: process.stdin, terminal: false });
	const pending: Promise<void>[] = [];
	rl.on("line", line => {
		const text = line.trim();
		if (!text) return;
		if (text === "/quit") return rl.close();
		const n = /^\d{1,2}$/.test(text) ? Number(text) : 0;
		const choice = n >= 1 && n <= choices.length ? choices[n - 1] : undefined;
		if (choice) {
			out(`  → tapped "${choice.title}"`);
			pending.push(post({ type: "interactive", interactive: { type: choice.type, [choice.type]: { id: choice.id, title: choice.title, ...(choice.description ? { description: choice.description } : {}) } }, context: { from: phoneNumberId, id: choice.context } }));
		} else pending.push(post({ type: "text", text: { body: text } }));
	});
	rl.on("close", async () => {
		await Promise.all(pending);
		await new Promise(r => setTimeout(r, DRAIN_MS));
		await poll();
		clearInterval(timer);
		out("Bye.");
		process.exit(0);
	});
}

if (require.main === module)
	main().catch(err => {
		process.stderr.write(`chat failed: ${(err as Error)?.stack ?? err}\n`);
		process.exit(1);
	});
