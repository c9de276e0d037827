/**
 * The seller console page (`GET /console`) in headless Chromium against the real product in one
 * process: api + whatsapp (sandbox) + console + sales-assistant + catalog + orders + the fashion AI
 * seller. The customer is played by signed webhooks; what they receive is read from the sandbox
 * outbox. Nothing of the page is stubbed: the browser talks to the real `/ws/seller` socket.
 */
import assert from "node:assert/strict";
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import type { ServiceBroker } from "moleculer";
import type { Browser, Page } from "playwright-core";
import { brokerConfig } from "../../adapters/broker-config";
import { CONSOLE_CSP } from "../../gateway/console-page";
import ConsoleService from "../../gateway/console.service";
import type { OutboxEntry } from "../../gateway/whatsapp/outbox";
import CatalogService from "../../services/catalog.service";
import OrdersService from "../../services/orders.service";
import AiSellerFashion from "../../services/ai-seller-fashion.service";
import SalesAssistantService from "../../services/sales-assistant.service";
import { readConversationRecord } from "../../services/ai-seller/host";
import { readTranscript } from "../../adapters/transcript";
import { windowKey } from "../../gateway/whatsapp/window";
import type { EscalationView } from "../../contracts/sales-assistant";
import catalog from "../../data/catalog.json";
import { BUSINESS, CUSTOMER, CUSTOMER2, body as webhookBody, msg, nowSeconds, value as webhookValue, withMessages } from "../fixtures/whatsapp";
import { launchChromium } from "../helpers/chromium";
import { connectSeller } from "../helpers/console-client";
import { waitFor } from "../helpers/wait";
import { postWebhook, startGateway } from "../helpers/whatsapp";

const CUSTOMER_NAME = "Test User One";
const CONVERSATION = `fashion:${CUSTOMER}`;
/** Playwright's own deadline for each step (auto-waiting); generous for a 2-core machine. */
const STEP_MS = 20_000;

const say = (text: string, from = CUSTOMER) => msg("text", { text: { body: text } }, { from, timestamp: nowSeconds() });

function textOf(e: OutboxEntry): string {
	const m = e.message as { text?: { body?: string }; interactive?: { body?: { text?: string } } };
	return m.text?.body ?? m.interactive?.body?.text ?? "";
}

describe("seller console page in headless Chromium", function () {
	this.timeout(180_000);
	let broker: ServiceBroker;
	let url: string;
	let browser: Browser;
	/** Raw TCP sockets of the console upgrades, so the test can cut them from the server side. */
	const consoleSockets: Duplex[] = [];
	const pages: Page[] = [];
	/** Uncaught script errors of each page: every test ends with none. */
	const scriptErrors = new WeakMap<Page, string[]>();

	async function outbox(to = CUSTOMER): Promise<OutboxEntry[]> {
		const res = await fetch(`${url}/sandbox/outbox?to=${to}`);
		const body = (await res.json()) as unknown;
		if (!Array.isArray(body)) throw new Error(`sandbox outbox answered ${res.status}: ${JSON.stringify(body)}`);
		return body as OutboxEntry[];
	}
	const tokenOf = (id: string) => brokerConfig(broker).sellers.find(s => s.id === id)!.token;

	async function openConsole(setUp?: (page: Page) => Promise<void>): Promise<Page> {
		const page = await browser.newPage();
		pages.push(page);
		await setUp?.(page);
		page.setDefaultTimeout(STEP_MS);
		const errors: string[] = [];
		page.on("pageerror", err => errors.push(err.message));
		scriptErrors.set(page, errors);
		const res = await page.goto(`${url}/console`);
		assert.equal(res?.status(), 200);
		return page;
	}

	async function signIn(page: Page, token: string): Promise<void> {
		await page.getByLabel("Seller token").fill(token);
		await page.getByRole("button", { name: "Sign in" }).click();
	}

	/** Every value `#connection` takes from now on, recorded in the page (transient states included). */
	async function recordConnectionStates(page: Page): Promise<() => Promise<string[]>> {
		// In-page code as strings: this project type-checks without the DOM library.
		await page.evaluate(`(() => {
			const node = document.getElementById("connection");
			window.connectionStates = [node.dataset.state];
			new MutationObserver(() => window.connectionStates.push(node.dataset.state)).observe(node, { attributes: true, attributeFilter: ["data-state"] });
		})()`);
		return () => page.evaluate<string[]>("window.connectionStates");
	}

	before(async () => {
		const [b, g] = await Promise.all([
			launchChromium(),
			startGateway({ withProbe: false, services: [ConsoleService, SalesAssistantService, CatalogService, OrdersService, AiSellerFashion] })
		]);
		browser = b;
		broker = g.broker;
		url = g.url;
		const api = broker.getLocalService("api") as unknown as { server: Server };
		api.server.on("upgrade", (req: IncomingMessage, socket: Duplex) => {
			if (req.url?.startsWith("/ws/seller")) consoleSockets.push(socket);
		});
	});
	afterEach(async () => {
		for (const page of pages.splice(0)) {
			const errors = scriptErrors.get(page) ?? [];
			await page.close();
			assert.deepEqual(errors, [], "the page threw no script error");
		}
	});
	after(async () => {
		await browser?.close();
		await broker?.stop();
	});

	it("serves the page and its assets with a strict Content-Security-Policy", async () => {
		for (const [path, type] of [["/console", /^text\/html/], ["/console/page.js", /^text\/javascript/], ["/console/page.css", /^text\/css/]] as const) {
			const res = await fetch(`${url}${path}`);
			assert.equal(res.status, 200, path);
			assert.match(res.headers.get("content-type") ?? "", type, path);
			assert.equal(res.headers.get("content-security-policy"), CONSOLE_CSP, path);
			assert.equal(res.headers.get("x-content-type-options"), "nosniff", path);
			const again = await fetch(`${url}${path}`, { headers: { "if-none-match": res.headers.get("etag")! } });
			assert.equal(again.status, 304, `${path} revalidates by ETag`);
		}
		assert.equal((await fetch(`${url}/console/other.js`)).status, 404);
		assert.doesNotMatch(await (await fetch(`${url}/console`)).text(), /<script>|https?:\/\//, "no inline script, no external origin");
	});

	it("shows a sign-in error for an unknown token and stays signed out", async () => {
		const page = await openConsole();
		await signIn(page, "not-a-seller-token");
		await page.getByRole("alert").filter({ hasText: "That token was not accepted" }).waitFor();
		assert.equal(await page.locator("#connection").getAttribute("data-state"), "signed-out");
		assert.equal(await page.locator("#app").isHidden(), true);
		assert.equal(await page.evaluate<number>("sessionStorage.length"), 0, "a refused token is not kept");
	});

	it("signs out by itself when its token was revoked while it was away, instead of reconnecting forever", async () => {
		const page = await openConsole();
		await signIn(page, tokenOf("ben"));
		await page.locator('#connection[data-state="online"]').waitFor();
		const sellers = brokerConfig(broker).sellers;
		const at = sellers.findIndex(s => s.id === "ben");
		const [ben] = sellers.splice(at, 1);
		try {
			for (const s of consoleSockets.splice(0)) s.destroy();
			await page.getByRole("alert").filter({ hasText: "Your sign-in is no longer valid" }).waitFor();
			assert.equal(await page.locator("#connection").getAttribute("data-state"), "signed-out");
			assert.equal(await page.evaluate<number>("sessionStorage.length"), 0, "the revoked token is not kept");
		} finally {
			sellers.splice(at, 0, ben!);
		}
	});

	it("takes a customer from the queue to a conversation and back to the AI, reconnecting by itself", async () => {
		const page = await openConsole();
		await signIn(page, tokenOf("ana"));
		await page.locator('#connection[data-state="online"]').waitFor();
		assert.match((await page.locator("#whoami").textContent()) ?? "", /Ana Torres/);
		assert.equal(await page.evaluate<string | null>(`sessionStorage.getItem("agentStore.sellerToken")`), tokenOf("ana"));

		// The AI shows the customer a dress (its card carries the photo), then the customer asks for a person:
		// the escalation reaches the queue with its reason and summary.
		assert.equal((await postWebhook(url, withMessages(say("Do you have the Linen Midi Dress?")))).status, 200);
		await waitFor(async () => (await outbox()).length >= 1, { timeoutMs: STEP_MS, message: "the AI shows the dress" });
		assert.equal((await postWebhook(url, withMessages(say("Hi! I want to talk to a human please")))).status, 200);
		const item = page.locator("#queue li.escalation", { hasText: CUSTOMER_NAME });
		await item.waitFor();
		const [view] = (await broker.call("sales-assistant.queue", { brand: "fashion" })) as EscalationView[];
		assert.ok(view, "the escalation is queued");
		assert.equal(view.conversationId, CONVERSATION);
		assert.equal(await item.locator(".reason").textContent(), "Asked for a person");
		// Its detail ("The customer asked for a person") would only repeat the tag.
		assert.equal(view.detail, "The customer asked for a person");
		assert.equal(await item.locator(".detail").count(), 0);
		assert.doesNotMatch(view.summary, /asked for a person: /);
		assert.equal(await item.locator(".summary").textContent(), view.summary);
		assert.ok(view.summary.length > 0);
		assert.match((await item.locator(".who").textContent()) ?? "", new RegExp(`${CUSTOMER_NAME} · ${view.customer.masked.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`));
		assert.ok(!(await page.content()).includes(CUSTOMER), "the full number never reaches the page");
		// Ana is the only fashion seller online: the offer is hers, with its countdown and a Decline.
		await item.and(page.locator('[data-offered="true"]')).waitFor();
		assert.match((await item.locator(".meta").last().textContent()) ?? "", /offer expires in \d+ s/);
		assert.equal(await item.getByRole("button", { name: "Decline" }).count(), 1);
		// What the customer says while waiting is on the card, not only what they said at the hand-over.
		assert.equal((await postWebhook(url, withMessages(say("It's about the Linen Midi Dress in size M, actually")))).status, 200);
		await item.locator(".summary", { hasText: 'last said: "It\'s about the Linen Midi Dress in size M, actually"' }).waitFor();

		// Accept: the conversation opens with the customer's words, and the AI's with the photo it sent as a link.
		await item.getByRole("button", { name: /^Accept/ }).click();
		await page.locator("#history li[data-from=customer]", { hasText: "I want to talk to a human please" }).waitFor();
		const photo = page.locator("#history li[data-from=ai] a.photo");
		await photo.waitFor();
		assert.match((await photo.getAttribute("href")) ?? "", /^https:\/\/images\.agent-store\.example\/FA-\d+\.jpg$/);
		assert.equal(await photo.getAttribute("rel"), "noopener noreferrer");
		await item.waitFor({ state: "detached" });
		assert.equal(await page.locator("#conversation-title").textContent(), `${CUSTOMER_NAME} · ${view.customer.masked} · fashion`);
		await waitFor(async () => (await outbox()).some(e => /\bAna\b/.test(textOf(e))), { timeoutMs: STEP_MS, message: "the customer is told Ana took over" });
		// A photo without a word is shown as one, not as an empty line.
		assert.equal((await postWebhook(url, withMessages(msg("image", { image: { id: "1234567890", mime_type: "image/jpeg" } }, { from: CUSTOMER, timestamp: nowSeconds() })))).status, 200);
		await page.locator("#history li[data-from=customer] .media", { hasText: "📷 Photo" }).waitFor();

		// Beside the queue on a wide screen; on a narrow one (a phone), above it, with nothing wider than the screen.
		const box = async (selector: string) => (await page.locator(selector).boundingBox())!;
		assert.ok((await box("#conversation")).x > (await box(".queue-panel")).x, "side by side");
		await page.setViewportSize({ width: 400, height: 800 });
		assert.equal((await box("#conversation")).x, (await box(".queue-panel")).x, "one column");
		assert.ok((await box("#conversation")).y < (await box(".queue-panel")).y, "the open conversation first");
		assert.ok(await page.evaluate<boolean>("document.documentElement.scrollWidth <= window.innerWidth"), "no sideways scrolling");
		await page.setViewportSize({ width: 1280, height: 720 });

		// No one has answered the customer yet (the AI's and the automatic lines do not count).
		const entry = page.locator(`#mine li[data-conversation="${CONVERSATION}"]`);
		await entry.and(page.locator('[data-awaiting="true"]')).locator(".awaiting", { hasText: /^awaiting your reply · / }).waitFor();

		// Carla has no console open: she is listed as away and cannot be picked, since nobody would be there to take the customer.
		const to = page.getByLabel("To", { exact: true });
		await to.focus();
		const carlaOption = to.locator('option[value="seller:carla"]');
		await waitFor(async () => (await carlaOption.textContent()) === "Carla Mendes (away)", { timeoutMs: STEP_MS, message: "Carla away in the transfer list" });
		assert.equal(await carlaOption.isDisabled(), true, "an away colleague cannot be picked");
		await page.getByLabel(/Reply to the customer/).focus();

		// A suggestion goes into the reply box; the seller edits it and sends it with Enter.
		const suggestion = page.locator("#suggestions button").first();
		await suggestion.waitFor();
		const suggested = (await suggestion.textContent())!;
		await suggestion.click();
		const reply = page.getByLabel(/Reply to the customer/);
		assert.equal(await reply.inputValue(), suggested);
		assert.equal(await page.evaluate<string | undefined>("document.activeElement?.id"), "reply", "the reply box has the focus");
		await reply.press("End");
		await reply.pressSequentially(" (Ana here)");
		const sent = `${suggested} (Ana here)`;
		await reply.press("Enter");
		assert.equal(await reply.inputValue(), "");
		await page.locator("#history li[data-from=seller]:not([data-pending])", { hasText: sent }).waitFor();
		assert.equal(await entry.locator(".awaiting").count(), 0, "answered");
		const delivered = await waitFor(async () => (await outbox()).find(e => textOf(e) === sent), { timeoutMs: STEP_MS, message: "the seller's reply in the sandbox outbox" });
		assert.equal(delivered.brand, "fashion", "the seller's message leaves from the brand's number");

		// The customer answers (hostile markup included): it shows as text, never as HTML.
		const product = catalog.find(p => p.brand === "fashion" && p.stock > 0 && p.name.length > 6)!;
		// Its size and one of its colours named, the assistant's add needs no question first.
		const colour = (product.attributes as { colours: string[] }).colours[0];
		const answer = `Do you have the ${product.name} in size 42, in ${colour}? <img src=x onerror="window.pwned=1"><b>now</b>`;
		await postWebhook(url, withMessages(say(answer)));
		const line = page.locator("#history li[data-from=customer]", { hasText: product.name });
		await line.waitFor();
		assert.equal(await line.locator(".text").textContent(), answer);
		assert.equal(await page.locator("#history img, #history b").count(), 0);
		assert.equal(await page.evaluate<unknown>("window.pwned"), undefined);

		// The server cuts the seller's socket: the page shows it and recovers by itself, with a
		// message sent meanwhile.
		const states = await recordConnectionStates(page);
		assert.ok(consoleSockets.length > 0, "the test saw the console upgrade");
		for (const s of consoleSockets.splice(0)) s.destroy();
		await waitFor(async () => (await states()).includes("reconnecting"), { timeoutMs: STEP_MS, message: "reconnecting shown" });
		await postWebhook(url, withMessages(say("Also, is it true to size?")));
		await page.locator('#connection[data-state="online"]').waitFor();
		await page.locator("#history li[data-from=customer]", { hasText: "Also, is it true to size?" }).waitFor();
		const seqs = (await page.locator("#history li[data-seq]").evaluateAll(nodes => nodes.map(n => n.getAttribute("data-seq")))).map(Number);
		assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), "history by seq, each line once");

		// Approve the suggested action (the product the customer named goes into the cart).
		const action = page.locator("#actions li", { hasText: product.name });
		await action.getByRole("button", { name: /^Approve/ }).click();
		await action.locator(".done").waitFor();
		assert.ok(((await action.locator(".done").textContent()) ?? "").length > 0, "what happened is shown");
		// The cart beside it shows the product now in it, priced, with the total.
		await page.locator(`#cart li[data-sku="${product.sku}"]`, { hasText: `1× ${product.name}` }).waitFor();
		assert.match((await page.locator("#cart-total").textContent()) ?? "", /^Total \$\d+\.\d{2}/);
		// Nobody has said where it goes yet: the seller reads that, then the address once the customer writes it.
		assert.equal(await page.locator("#deliver-to").textContent(), "No delivery address yet: ask the customer where to deliver");
		await postWebhook(url, withMessages(say("Please send it to 12 Baker Street, London NW1 6XE")));
		await page.locator("#deliver-to", { hasText: "Delivery to: 12 Baker Street, London NW1 6XE" }).waitFor();
		await waitFor(
			async () => {
				const rec = await readConversationRecord(broker.store, CONVERSATION);
				const cart = (rec?.value.snapshot as { context?: { cart?: { sku: string }[] } } | undefined)?.context?.cart ?? [];
				return cart.some(l => l.sku === product.sku);
			},
			{ timeoutMs: STEP_MS, message: `${product.sku} in the conversation's cart` }
		);

		// A problem with an earlier purchase is named as what it is, not as an objection to the sale.
		await postWebhook(url, withMessages(say("Also the zipper on the jacket I bought last month broke")));
		await page.locator("#objection:not([hidden])", { hasText: /^Problem with a purchase: .*apologise, ask for the order number and a photo/ }).waitFor();

		// Hand back: the conversation leaves the console and the AI answers the next message.
		await page.getByRole("button", { name: "Hand back to AI" }).click();
		await page.locator("#conversation").waitFor({ state: "hidden" });
		await page.getByRole("alert").filter({ hasText: "handed back to the AI seller" }).waitFor();
		const before = (await outbox()).length;
		await postWebhook(url, withMessages(say("Thanks! Which sneakers do you have?")));
		const aiReply = await waitFor(async () => (await outbox()).slice(before)[0], { timeoutMs: STEP_MS, message: "the AI's answer after hand-back" });
		assert.equal(aiReply.brand, "fashion");
		assert.notEqual(textOf(aiReply), sent);
		const rec = await readConversationRecord(broker.store, CONVERSATION);
		assert.notEqual(rec?.value.snapshot.value, "human", "the AI has the conversation again");
	});
	it("shows a lost race readably, transfers to a colleague picked by name with a note, flags unread messages, and closes on a second click", async () => {
		const ana = await openConsole();
		const carla = await openConsole();
		// Carla's page stands for a browser whose frames are still in flight: while `hold` is set,
		// the news that Ana took the escalation does not reach it, so her click races Ana's.
		let hold = false;
		await carla.routeWebSocket(/\/ws\/seller/, ws => {
			const server = ws.connectToServer();
			server.onMessage(message => {
				const type = typeof message === "string" ? (JSON.parse(message) as { type?: string }).type : undefined;
				if (hold && (type === "escalation.taken" || type === "escalation.updated")) return;
				ws.send(message);
			});
		});
		await signIn(ana, tokenOf("ana"));
		await signIn(carla, tokenOf("carla"));
		await ana.locator('#connection[data-state="online"]').waitFor();
		await carla.locator('#connection[data-state="online"]').waitFor();

		await postWebhook(url, withMessages(say("Please let me talk to a real person about my order", CUSTOMER2)));
		const atAna = ana.locator("#queue li.escalation", { hasText: "Test User Three" });
		const atCarla = carla.locator("#queue li.escalation", { hasText: "Test User Three" });
		await atAna.waitFor();
		await atCarla.waitFor();
		const id = (await atAna.getAttribute("data-escalation"))!;

		hold = true;
		await atAna.getByRole("button", { name: /^Accept/ }).click();
		await ana.locator("#history li[data-from=customer]", { hasText: "talk to a real person" }).waitFor();
		await atCarla.getByRole("button", { name: /^Accept/ }).click();
		await carla.getByRole("alert").filter({ hasText: "Someone else took this conversation." }).waitFor();
		await atCarla.waitFor({ state: "detached" });
		assert.equal(await carla.locator('#connection[data-state="online"]').count(), 1, "an error frame keeps the connection open");
		hold = false;

		// Carla takes a break: her button says so, and Ana's transfer list shows it.
		const pause = carla.getByRole("button", { name: "Pause new customers" });
		await pause.click();
		await carla.locator('#pause[aria-pressed="true"]', { hasText: "Paused · take new customers" }).waitFor();
		const to = ana.getByLabel("To", { exact: true });
		await to.focus();
		const carlaOption = to.locator('option[value="seller:carla"]');
		await waitFor(async () => /^Carla Mendes \(online, paused, 0 of \d+\)$/.test((await carlaOption.textContent()) ?? ""), { timeoutMs: STEP_MS, message: "Carla paused in the transfer list" });
		await carla.locator("#pause").click();
		await carla.locator('#pause[aria-pressed="false"]', { hasText: "Pause new customers" }).waitFor();
		await ana.getByLabel("Reply to the customer").focus();

		// Ana transfers it to Carla, picked by name from the colleagues who sell fashion (online, with
		// how many conversations they have), with a note: it leaves Ana's console and is offered to Carla.
		await to.focus();
		// The list is asked for afresh on focus: until that answer, it is the one from Ana's sign-in, before Carla's.
		await waitFor(async () => /^Carla Mendes \(online, 0 of \d+\)$/.test((await carlaOption.textContent()) ?? ""), { timeoutMs: STEP_MS, message: "Carla online in the transfer list" });
		assert.equal(await to.locator('option[value="seller:ben"]').count(), 0, "Ben does not sell fashion");
		assert.match((await to.locator('option[value="brand:tech"]').textContent()) ?? "", /^tech \(\d+ online\)$/);
		assert.equal(await to.locator('option[value="brand:fashion"]').count(), 0, "not the conversation's own brand");
		await to.selectOption("seller:carla");
		await ana.getByLabel("Note for them").fill("Wants to change the delivery address");
		await ana.getByRole("button", { name: "Transfer" }).click();
		await ana.locator("#conversation").waitFor({ state: "hidden" });
		await ana.getByRole("alert").filter({ hasText: "transferred" }).waitFor();
		const offered = carla.locator(`#queue li.escalation[data-escalation="${id}"][data-offered="true"]`);
		await offered.waitFor();
		// The note travels with it: Carla reads it before and after she accepts.
		await offered.locator(".transfer-note", { hasText: "Note from Ana Torres: Wants to change the delivery address" }).waitFor();
		// Declined, it comes back to Ana, who is told so (not shown her own note); she hands it on again.
		await offered.getByRole("button", { name: "Decline" }).click();
		const back = ana.locator(`#queue li.escalation[data-escalation="${id}"][data-offered="true"]`);
		await back.locator(".transfer-note", { hasText: "Back to you: Carla Mendes did not take it" }).waitFor();
		await back.getByRole("button", { name: /^Accept/ }).click();
		await ana.locator("#conversation").waitFor();
		await to.focus();
		await waitFor(async () => /^Carla Mendes \(online, 0 of \d+\)$/.test((await carlaOption.textContent()) ?? ""), { timeoutMs: STEP_MS, message: "Carla still online in the transfer list" });
		await to.selectOption("seller:carla");
		await ana.getByLabel("Note for them").fill("Wants to change the delivery address");
		await ana.getByRole("button", { name: "Transfer" }).click();
		await ana.locator("#conversation").waitFor({ state: "hidden" });
		await offered.waitFor();
		await offered.getByRole("button", { name: /^Accept/ }).click();
		await carla.locator("#history li[data-from=customer]", { hasText: "talk to a real person" }).waitFor();
		await carla.locator("#conversation-summary", { hasText: "Note from Ana Torres: Wants to change the delivery address" }).waitFor();

		// Carla takes a second customer from the queue; that conversation opens. The first
		// customer writes meanwhile: their entry says so, and so does the tab's title, until she looks.
		await postWebhook(url, withMessages(say("I need to speak to a person please")));
		const second = carla.locator("#queue li.escalation", { hasText: CUSTOMER_NAME });
		await second.getByRole("button", { name: /^Accept/ }).click();
		await carla.locator("#conversation-title", { hasText: CUSTOMER_NAME }).waitFor();
		await postWebhook(url, withMessages(say("Any news on the address change?", CUSTOMER2)));
		const first = carla.locator(`#mine li[data-conversation="fashion:${CUSTOMER2}"]`);
		await first.locator(".unread", { hasText: "1 new" }).waitFor();
		await first.locator(".awaiting", { hasText: /^awaiting your reply · \d+ s$/ }).waitFor();
		assert.equal(await carla.title(), "(1) Seller console · Agent Store");
		await first.getByRole("button").click();
		await carla.locator("#history li[data-from=customer]", { hasText: "Any news on the address change?" }).waitFor();
		assert.equal(await first.locator(".unread").count(), 0, "read once opened");
		assert.equal(await carla.title(), "Seller console · Agent Store");

		// Closing ends the customer's conversation: the first click only arms the button.
		const close = carla.getByRole("button", { name: "Close conversation" });
		await close.click();
		const armed = carla.getByRole("button", { name: "Click again to close" });
		assert.equal(await carla.locator("#conversation").isVisible(), true, "one click closes nothing");
		await armed.click();
		await carla.locator("#conversation-title", { hasText: CUSTOMER_NAME }).waitFor();
		await carla.getByRole("alert").filter({ hasText: "conversation closed" }).waitFor();
		const closed = await waitFor(async () => {
			const v = (await broker.call("sales-assistant.get", { id })) as EscalationView;
			return v.state === "resolved" && v;
		}, { timeoutMs: STEP_MS, message: "the escalation resolved" });
		assert.equal(closed.resolution, "closed");

		// The customer asks again and an operator withdraws it before anyone takes it: it leaves both queues.
		await postWebhook(url, withMessages(say("Please let me talk to a real person again", CUSTOMER2)));
		const again = ana.locator("#queue li.escalation", { hasText: "Test User Three" });
		await again.waitFor();
		await carla.locator("#queue li.escalation", { hasText: "Test User Three" }).waitFor();
		const againId = (await again.getAttribute("data-escalation"))!;
		assert.notEqual(againId, id);
		const cancelled = (await broker.call("sales-assistant.cancel", { escalationId: againId, by: "ops" })) as EscalationView;
		assert.equal(cancelled.resolution, "ai");
		await ana.locator(`#queue li.escalation[data-escalation="${againId}"]`).waitFor({ state: "detached" });
		await carla.locator(`#queue li.escalation[data-escalation="${againId}"]`).waitFor({ state: "detached" });
	});

	it("warns while WhatsApp's 24-hour window is closing and once it closed, and marks a reply WhatsApp did not take", async () => {
		// The page's clock is Playwright's: paused, so moving it on fires no heartbeat, and each
		// move is seen when the conversation is opened again. The page reads time as the server's
		// (set at the welcome), which may lag the paused clock by a second.
		const page = await openConsole(p => p.clock.install());
		await page.clock.pauseAt(Date.now() + 1000);
		await signIn(page, tokenOf("carla"));
		await page.locator('#connection[data-state="online"]').waitFor();
		// Carla still has Test User One's conversation from the test before.
		await page.locator("#conversation-title", { hasText: CUSTOMER_NAME }).waitFor();
		const banner = page.locator("#window");
		assert.equal(await banner.isHidden(), true, "nothing to say while the customer wrote recently");
		const lastWrote = Math.max(
			...(await readTranscript(broker.store, CONVERSATION)).filter(l => l.from === "customer").map(l => l.at)
		);
		const reopen = async () => page.locator(`#mine li[data-conversation="${CONVERSATION}"] button`).click();
		await page.clock.setSystemTime(lastWrote + 22 * 3600_000);
		await reopen();
		await banner.and(page.locator('[data-state="closing"]')).filter({ hasText: /^WhatsApp's 24-hour window closes in 2 h 00 min: / }).waitFor();
		await page.clock.setSystemTime(lastWrote + 25 * 3600_000);
		await reopen();
		await banner.and(page.locator('[data-state="closed"]')).filter({ hasText: /^The customer last wrote (24 h 59|25 h 00) min ago, so WhatsApp's 24-hour window is closed/ }).waitFor();

		// The gateway agrees (it keeps its own record of the window): the reply goes nowhere, and
		// the page says so on the line, with a note only the team sees.
		await broker.store.del(windowKey(BUSINESS.fashion, CUSTOMER));
		const reply = page.getByLabel(/Reply to the customer/);
		await reply.fill("Are you still there?");
		await reply.press("Enter");
		const line = page.locator("#history li[data-from=seller]", { hasText: "Are you still there?" });
		await line.and(page.locator('[data-undelivered="true"]')).locator(".undelivered", { hasText: "Not delivered" }).waitFor();
		const note = page.locator('#history li[data-internal="true"]');
		await note.locator(".from", { hasText: "Only the team sees this" }).waitFor();
		assert.match((await note.locator(".text").textContent()) ?? "", /^Not delivered: the customer last wrote over 24 hours ago/);
		await page.locator(`#mine li[data-conversation="${CONVERSATION}"][data-awaiting="true"]`).waitFor();
		await waitFor(async () => (await outbox()).some(e => (e.message as { type?: string }).type === "template"), { timeoutMs: STEP_MS, message: "the template instead" });
	});

	it("keeps each conversation's reply draft to itself: switching, accepting another customer, a reload or a resolution elsewhere never carry it to another customer", async () => {
		// Two customers of their own, so nothing earlier tests left with Ana or Carla is in the way.
		const FOUR = "15550006666";
		const FIVE = "15550008888";
		const contacts = [{ profile: { name: "Test User Four" }, wa_id: FOUR }, { profile: { name: "Test User Five" }, wa_id: FIVE }];
		const from = (waId: string, text: string) => webhookBody(webhookValue({ contacts, messages: [say(text, waId)] }));
		const four = `fashion:${FOUR}`;
		const five = `fashion:${FIVE}`;
		const sellerLines = async (conversationId: string) => (await readTranscript(broker.store, conversationId)).filter(l => l.from === "seller").map(l => l.text);

		const page = await openConsole();
		await signIn(page, tokenOf("ana"));
		await page.locator('#connection[data-state="online"]').waitFor();
		const reply = page.getByLabel(/Reply to the customer/);
		const send = page.locator("#reply-form").getByRole("button", { name: "Send" });
		const title = page.locator("#conversation-title");
		const open = async (conversationId: string, name: string) => {
			await page.locator(`#mine li[data-conversation="${conversationId}"]`).getByRole("button").click();
			await title.filter({ hasText: name }).waitFor();
		};

		// Ana takes Four and starts a reply she has not sent yet.
		await postWebhook(url, from(FOUR, "I want to talk to a human please"));
		await page.locator("#queue li.escalation", { hasText: "Test User Four" }).getByRole("button", { name: /^Accept/ }).click();
		await title.filter({ hasText: "Test User Four" }).waitFor();
		const toFour = "Your refund for order 123 is approved, Mr. Four";
		await reply.fill(toFour);

		// Accepting Five opens Five, with the focus in a box that holds nothing typed to Four.
		await postWebhook(url, from(FIVE, "I want to talk to a human please"));
		await page.locator("#queue li.escalation", { hasText: "Test User Five" }).getByRole("button", { name: /^Accept/ }).click();
		await title.filter({ hasText: "Test User Five" }).waitFor();
		assert.equal(await reply.inputValue(), "", "Four's reply is not in Five's box");
		assert.equal(await send.isDisabled(), true, "nothing to send");

		// Blank (spaces, a line break, a zero-width space that String.trim keeps) is nothing to send.
		await reply.fill(" \u200b \n ");
		assert.equal(await send.isDisabled(), true, "blank is not sendable");
		await reply.press("Enter");
		assert.equal(await page.locator("#history li[data-pending]").count(), 0, "Enter sent nothing");

		// A suggestion goes into Five's own box as it is, not after anything typed elsewhere; Enter sends it to Five.
		await reply.fill("");
		const suggestion = page.locator("#suggestions button").first();
		await suggestion.waitFor();
		const toFive = (await suggestion.textContent())!;
		await suggestion.click();
		assert.equal(await reply.inputValue(), toFive);
		await reply.press("Enter");
		assert.equal(await reply.inputValue(), "", "sent, the box is empty");
		await page.locator("#history li[data-from=seller]:not([data-pending])", { hasText: toFive }).waitFor();
		assert.deepEqual(await sellerLines(five), [toFive], "Five got what was typed to Five, once, and no blank message");
		assert.deepEqual(await sellerLines(four), [], "Four got nothing");
		assert.ok(!(await outbox(FIVE)).some(e => textOf(e).includes("refund")), "Four's reply never reached Five");

		// Back and forth: each conversation shows its own draft; Five's was sent, so it has none.
		await open(four, "Test User Four");
		assert.equal(await reply.inputValue(), toFour, "Four's draft is back");
		assert.equal(await send.isDisabled(), false);
		await open(five, "Test User Five");
		assert.equal(await reply.inputValue(), "", "nothing of Four's, nothing already sent");
		const draftFive = "Let me check the sizes for you";
		await reply.fill(draftFive);

		// A reload keeps both drafts, each with its own conversation.
		await page.reload();
		await page.locator('#connection[data-state="online"]').waitFor();
		await open(four, "Test User Four");
		assert.equal(await reply.inputValue(), toFour, "Four's draft survives a reload");
		await open(five, "Test User Five");
		assert.equal(await reply.inputValue(), draftFive, "Five's draft survives a reload");

		// Four, on screen with its draft, is handed back to the AI from another tab: the page moves to
		// Five with Five's draft, says Four's reply did not go out, and keeps no copy of it.
		await open(four, "Test User Four");
		const otherTab = await connectSeller(url, tokenOf("ana"));
		try {
			assert.equal((await otherTab.request({ type: "resolve", conversationId: four, to: "ai" })).type, "ack");
			await title.filter({ hasText: "Test User Five" }).waitFor();
			assert.equal(await reply.inputValue(), draftFive, "Five's box holds Five's draft, not Four's");
			await page.getByRole("alert").filter({ hasText: `handed back to the AI seller. Your reply to them was not sent: “${toFour}”` }).waitFor();
			assert.deepEqual(await page.evaluate<string[]>(`Object.keys(sessionStorage).filter((k) => k.includes(${JSON.stringify(FOUR)}))`), [], "no stored draft for Four");
			assert.deepEqual(await sellerLines(four), [], "Four still got nothing");
			assert.equal((await otherTab.request({ type: "resolve", conversationId: five, to: "ai" })).type, "ack");
			await page.locator("#conversation").waitFor({ state: "hidden" });
		} finally {
			await otherTab.close();
		}
	});

	it("tells a seller back from a lost connection which conversation is no longer theirs and why, with the reply they had not sent", async () => {
		const SEVEN = "15550005555";
		const conversationId = `fashion:${SEVEN}`;
		// While `away`, the page's reconnects reach no server: a laptop asleep, a train in a tunnel.
		let away = false;
		const page = await openConsole(p =>
			p.routeWebSocket(/\/ws\/seller/, ws => {
				if (away) return void ws.close();
				ws.connectToServer();
			})
		);
		await signIn(page, tokenOf("ana"));
		await page.locator('#connection[data-state="online"]').waitFor();
		await postWebhook(url, webhookBody(webhookValue({ contacts: [{ profile: { name: "Test User Seven" }, wa_id: SEVEN }], messages: [say("I want to talk to a human please", SEVEN)] })));
		await page.locator("#queue li.escalation", { hasText: "Test User Seven" }).getByRole("button", { name: /^Accept/ }).click();
		await page.locator("#conversation-title", { hasText: "Test User Seven" }).waitFor();
		await page.getByLabel(/Reply to the customer/).fill("Let me check the stock for you");

		away = true;
		for (const s of consoleSockets.splice(0)) s.destroy();
		await page.locator('#connection[data-state="reconnecting"]').waitFor();
		// Meanwhile an operator closes the conversation: the news of it has no socket to reach.
		await broker.call("ai-seller-fashion.send", { id: conversationId, type: "CLOSE" });
		await waitFor(async () => ((await broker.call("sales-assistant.queue", {})) as EscalationView[]).every(e => e.conversationId !== conversationId) && (await readConversationRecord(broker.store, conversationId))?.value.snapshot.value === "closed", { timeoutMs: STEP_MS, message: "closed under Ana" });
		assert.equal(await page.locator(`#mine li[data-conversation="${conversationId}"]`).count(), 1, "still listed while the page cannot know");

		away = false;
		await page.locator('#connection[data-state="online"]').waitFor();
		await page.getByRole("alert").filter({ hasText: /^While you were away, a conversation is no longer yours\. Test User Seven · [^:]+: closed \(conversation closed \(operator\)\)\. Your reply to them was not sent: “Let me check the stock for you”$/ }).waitFor();
		assert.equal(await page.locator(`#mine li[data-conversation="${conversationId}"]`).count(), 0);
		assert.equal(await page.locator("#conversation").isHidden(), true);
	});

	it("counts an order notice sent to a customer not on screen as unread, live and after a reconnect", async () => {
		const EIGHT = "15550004444";
		const NINE = "15550003333";
		const contacts = [{ profile: { name: "Test User Eight" }, wa_id: EIGHT }, { profile: { name: "Test User Nine" }, wa_id: NINE }];
		const from = (waId: string, text: string) => webhookBody(webhookValue({ contacts, messages: [say(text, waId)] }));
		const page = await openConsole();
		await signIn(page, tokenOf("ana"));
		await page.locator('#connection[data-state="online"]').waitFor();
		for (const [waId, name] of [[EIGHT, "Test User Eight"], [NINE, "Test User Nine"]]) {
			await postWebhook(url, from(waId, "I want to talk to a human please"));
			await page.locator("#queue li.escalation", { hasText: name }).getByRole("button", { name: /^Accept/ }).click();
			await page.locator("#conversation-title", { hasText: name }).waitFor();
		}
		await page.locator("#queue li.escalation").first().waitFor({ state: "detached" });
		// Nine is on screen; Eight's order is paid meanwhile, and Eight is told so.
		const product = catalog.find(p => p.brand === "fashion" && p.stock > 0)!;
		const attrs = product.attributes as { sizes?: string[]; colours?: string[] };
		const pay = async (ref: string) => {
			const order = (await broker.call("orders.create", {
				waId: EIGHT,
				brand: "fashion",
				conversationId: `fashion:${EIGHT}`,
				items: [{ sku: product.sku, qty: 1, ...(attrs.sizes?.[0] ? { size: attrs.sizes[0] } : {}), ...(attrs.colours?.[0] ? { color: attrs.colours[0] } : {}) }],
				deliverTo: "12 Baker Street, London NW1 6XE"
			})) as { id: string };
			await broker.call("orders.pay", { id: order.id, paymentRef: ref });
			return order.id;
		};
		const eight = page.locator(`#mine li[data-conversation="fashion:${EIGHT}"]`);
		const first = await pay("pay-eight-1");
		await eight.locator(".unread", { hasText: "1 new" }).waitFor();
		assert.equal(await page.title(), "(1) Seller console · Agent Store");
		await eight.getByRole("button").click();
		await page.locator("#history li[data-from=system]", { hasText: `Your order ${first} is confirmed` }).waitFor();
		assert.equal(await eight.locator(".unread").count(), 0, "read once opened");

		// Back on Nine, the socket drops; a notice sent while it is down is as unread once back.
		await page.locator(`#mine li[data-conversation="fashion:${NINE}"]`).getByRole("button").click();
		await page.locator("#conversation-title", { hasText: "Test User Nine" }).waitFor();
		for (const s of consoleSockets.splice(0)) s.destroy();
		await page.locator('#connection[data-state="reconnecting"]').waitFor();
		const second = await pay("pay-eight-2");
		await waitFor(async () => (await readTranscript(broker.store, `fashion:${EIGHT}`)).some(l => l.text.includes(`${second} is confirmed`)), { timeoutMs: STEP_MS, message: "the second notice sent" });
		await page.locator('#connection[data-state="online"]').waitFor();
		await eight.locator(".unread", { hasText: "1 new" }).waitFor();
		for (const id of [EIGHT, NINE]) await broker.call("sales-assistant.resolve", { conversationId: `fashion:${id}`, sellerId: "ana", to: "ai" });
	});

	it("counts a reply WhatsApp refused in a conversation not on screen as unread, live and after a reconnect: the customer never got it", async () => {
		const TEN = "15550001010";
		const ELEVEN = "15550001111";
		const contacts = [{ profile: { name: "Test User Ten" }, wa_id: TEN }, { profile: { name: "Test User Eleven" }, wa_id: ELEVEN }];
		const from = (waId: string, text: string) => webhookBody(webhookValue({ contacts, messages: [say(text, waId)] }));
		const page = await openConsole();
		await signIn(page, tokenOf("ana"));
		await page.locator('#connection[data-state="online"]').waitFor();
		for (const [waId, name] of [[TEN, "Test User Ten"], [ELEVEN, "Test User Eleven"]]) {
			await postWebhook(url, from(waId, "I want to talk to a human please"));
			await page.locator("#queue li.escalation", { hasText: name }).getByRole("button", { name: /^Accept/ }).click();
			await page.locator("#conversation-title", { hasText: name }).waitFor();
		}
		await page.locator("#queue li.escalation").first().waitFor({ state: "detached" });
		// The gateway no longer has Ten's window (as for a customer who wrote over a day ago): a line
		// to Ten is refused. Ana writes to Ten from another tab while this one shows Eleven.
		await broker.store.del(windowKey(BUSINESS.fashion, TEN));
		const replyToTen = (clientId: string) => broker.call("sales-assistant.reply", { conversationId: `fashion:${TEN}`, sellerId: "ana", text: "Are you still there?", clientId });
		const ten = page.locator(`#mine li[data-conversation="fashion:${TEN}"]`);
		await replyToTen("ten-1");
		await ten.locator(".unread", { hasText: "1 new" }).waitFor();
		assert.equal(await page.title(), "(1) Seller console · Agent Store");
		await ten.getByRole("button").click();
		await page.locator('#history li[data-internal="true"]', { hasText: /^Only the team sees this/ }).waitFor();
		assert.equal(await ten.locator(".unread").count(), 0, "read once opened");

		// Back on Eleven, the socket drops; a refusal while it is down is as unread once back.
		await page.locator(`#mine li[data-conversation="fashion:${ELEVEN}"]`).getByRole("button").click();
		await page.locator("#conversation-title", { hasText: "Test User Eleven" }).waitFor();
		for (const s of consoleSockets.splice(0)) s.destroy();
		await page.locator('#connection[data-state="reconnecting"]').waitFor();
		await replyToTen("ten-2");
		await waitFor(async () => (await readTranscript(broker.store, `fashion:${TEN}`)).filter(l => l.internal && l.undelivered).length === 2, { timeoutMs: STEP_MS, message: "the second refusal noted" });
		await page.locator('#connection[data-state="online"]').waitFor();
		await ten.locator(".unread", { hasText: "1 new" }).waitFor();
		for (const id of [TEN, ELEVEN]) await broker.call("sales-assistant.resolve", { conversationId: `fashion:${id}`, sellerId: "ana", to: "ai" });
	});

	it("ends an offer whose time ran out: no countdown at 0 s, no Decline", async () => {
		// The page's clock is Playwright's, paused: moving it past the offer's end shows what the
		// seller would see had the server not yet said what became of the offer.
		const SIX = "15550007777";
		const page = await openConsole(p => p.clock.install());
		await page.clock.pauseAt(Date.now() + 1000);
		await signIn(page, tokenOf("ana"));
		await page.locator('#connection[data-state="online"]').waitFor();
		await postWebhook(url, webhookBody(webhookValue({ contacts: [{ profile: { name: "Test User Six" }, wa_id: SIX }], messages: [say("I want to talk to a human please", SIX)] })));
		// Ana is the only fashion seller online: the offer is hers.
		const item = page.locator("#queue li.escalation", { hasText: "Test User Six" });
		await item.and(page.locator('[data-offered="true"]')).waitFor();
		assert.match((await item.locator(".meta").last().textContent()) ?? "", /offer expires in \d+ s/);
		const id = (await item.getAttribute("data-escalation"))!;
		try {
			const view = (await broker.call("sales-assistant.get", { id })) as EscalationView;
			assert.ok(view.offerExpiresAt, "offered with an end");
			// The page reads time as the server's, which lags the paused clock by about a second.
			await page.clock.setSystemTime(view.offerExpiresAt + 5000);
			await page.clock.runFor(1000);
			await item.locator(".offer-expired", { hasText: "your offer expired" }).waitFor();
			assert.equal(await item.getAttribute("data-offered"), "false");
			assert.doesNotMatch((await item.locator(".meta").last().textContent()) ?? "", /expires in/);
			assert.equal(await item.getByRole("button", { name: "Decline" }).count(), 0);
			// Anyone of the brand may still take a queued customer.
			assert.equal(await item.getByRole("button", { name: /^Accept/ }).count(), 1);
		} finally {
			await broker.call("sales-assistant.cancel", { escalationId: id, by: "ops" });
		}
		await item.waitFor({ state: "detached" });
	});
});
