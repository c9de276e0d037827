/*
 * The seller console page: plain browser JavaScript, no build step, no dependency. It speaks the
 * console protocol (contracts/console.ts) over one WebSocket at /ws/seller?token=… on this origin.
 *
 * Everything the server sends is untrusted text (customer messages above all): it only ever reaches
 * the page through textContent / attributes set one by one, never through innerHTML.
 *
 * The server is the source of truth: `welcome` (sent on every connect) replaces the queue and the
 * conversations, and `resume` asks for the messages missed while the socket was down. Messages are
 * kept per conversation by their transcript `seq`, so a frame that arrives twice is shown once.
 */
"use strict";

(() => {
	const TOKEN_KEY = "agentStore.sellerToken";
	/** sessionStorage prefix of the replies being typed, so a reload keeps them: `<prefix><sellerId>:<conversationId>`. */
	const DRAFT_KEY = "agentStore.draft.";
	const BACKOFF_MIN_MS = 500;
	const BACKOFF_MAX_MS = 10000;
	const DEFAULT_HEARTBEAT_MS = 15000;

	const ERROR_TEXT = {
		ESCALATION_TAKEN: "Someone else took this conversation.",
		FORBIDDEN: "That conversation is not assigned to you.",
		CAPACITY_FULL: "You already have as many conversations as you can take. Close or hand one back first.",
		NOT_FOUND: "That escalation or conversation no longer exists.",
		RATE_LIMITED: "Too many actions at once: wait a moment and try again.",
		INTERNAL: "Something went wrong on the server. Try again.",
		BAD_FRAME: "The server did not understand the last action",
		INVALID: "That action is not possible now",
		SELLER_OFFLINE: "That colleague is not connected to the console now: pick someone online, or a team",
		CLIENT_ID_REUSED: "That message was not sent: the console reused the id of an earlier one. Send it again."
	};
	const REASON_TEXT = {
		human_requested: "Asked for a person",
		complaint: "Complaint",
		negative_sentiment: "Unhappy customer",
		ai_failure: "The AI could not help",
		repeated_failure: "The AI could not help",
		high_value: "High-value order",
		other: "Other"
	};
	// System lines (a seller joined, waiting notices, order updates) went to the customer with no one typing them.
	const FROM_TEXT = { customer: "Customer", ai: "AI seller", seller: "Seller", system: "Sent automatically" };
	const TITLE = document.title;
	/** WhatsApp's customer service window: free-form messages only this long after the customer's last one. */
	const WINDOW_MS = 24 * 3600 * 1000;
	/** From this close to its end, the page warns that the window is closing. */
	const WINDOW_WARN_MS = 3 * 3600 * 1000;
	/** How long "Click again to close" waits for the second click. */
	const CLOSE_ARM_MS = 4000;

	const $ = (id) => document.getElementById(id);
	const el = {
		connection: $("connection"),
		whoami: $("whoami"),
		signOut: $("sign-out"),
		pause: $("pause"),
		signIn: $("sign-in"),
		signInForm: $("sign-in-form"),
		token: $("token"),
		signInError: $("sign-in-error"),
		app: $("app"),
		notice: $("notice"),
		queue: $("queue"),
		queueEmpty: $("queue-empty"),
		mine: $("mine"),
		mineEmpty: $("mine-empty"),
		conversation: $("conversation"),
		conversationTitle: $("conversation-title"),
		conversationSummary: $("conversation-summary"),
		history: $("history"),
		window: $("window"),
		objection: $("objection"),
		suggestions: $("suggestions"),
		actions: $("actions"),
		cart: $("cart"),
		cartTotal: $("cart-total"),
		deliverTo: $("deliver-to"),
		replyForm: $("reply-form"),
		reply: $("reply"),
		send: document.querySelector('#reply-form button[type="submit"]'),
		transferForm: $("transfer-form"),
		transferTo: $("transfer-to"),
		transferNote: $("transfer-note"),
		handBack: $("hand-back"),
		close: $("close-conversation")
	};

	const state = {
		token: null,
		seller: null,
		/** The other sellers (SellerView[]): transfer targets and the names behind seller ids. */
		team: [],
		/** escalationId → EscalationView (queued or offered). */
		queue: new Map(),
		/** escalationId → expiresAt of an offer made to this seller. */
		offers: new Map(),
		/** Offers to this seller that ran out on the page's clock; the server may say nothing when one lapses. */
		expiredOffers: new Set(),
		/** conversationId → { escalation, messages: Map<seq, line>, pending: Map<clientId, line>, assist, approved: Map<actionId, { label, text }>, unread } */
		conversations: new Map(),
		selected: null,
		/**
		 * conversationId → the reply typed to that customer and not sent yet. The page has one reply
		 * box: what is in it belongs to the conversation on screen (`shown`) and to no other, so
		 * switching conversations swaps it instead of carrying one customer's reply to the next.
		 */
		drafts: new Map(),
		socket: null,
		/** True once a `welcome` arrived with the current token: a later failure is a network problem, not a bad token. */
		welcomed: false,
		attempt: 0,
		reconnectTimer: null,
		heartbeatTimer: null,
		heartbeatMs: DEFAULT_HEARTBEAT_MS,
		lastFrameAt: 0,
		/** serverTime − local time, so countdowns follow the server's clock. */
		clockOffset: 0,
		/** ref → what to do with its ack or error. */
		refs: new Map(),
		nextRef: 1,
		/** The conversation on screen when it last rendered: a change disarms "Close conversation". */
		shown: null,
		closeArmTimer: null
	};

	// ---- small helpers ---------------------------------------------------------------------------

	function h(tag, attrs, ...children) {
		const node = document.createElement(tag);
		for (const [k, v] of Object.entries(attrs || {})) {
			if (v === undefined || v === null || v === false) continue;
			if (k === "text") node.textContent = String(v);
			else if (k === "onclick") node.addEventListener("click", v);
			else if (k === "dataset") Object.assign(node.dataset, v);
			else node.setAttribute(k, v === true ? "" : String(v));
		}
		for (const c of children) if (c !== null && c !== undefined) node.append(c);
		return node;
	}

	function randomId() {
		// getRandomValues works outside secure contexts too (randomUUID does not).
		const bytes = new Uint8Array(16);
		crypto.getRandomValues(bytes);
		return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
	}

	const serverNow = () => Date.now() + state.clockOffset;

	function duration(ms) {
		const s = Math.max(0, Math.round(ms / 1000));
		if (s < 60) return `${s} s`;
		const m = Math.floor(s / 60);
		if (m < 60) return `${m} min ${String(s % 60).padStart(2, "0")} s`;
		const hours = Math.floor(m / 60);
		if (hours < 48) return `${hours} h ${String(m % 60).padStart(2, "0")} min`;
		return `${Math.floor(hours / 24)} d ${hours % 24} h`;
	}

	/** A seller's name where the page knows it, else their id. */
	function nameOf(sellerId) {
		if (state.seller && state.seller.id === sellerId) return state.seller.name;
		const mate = state.team.find((s) => s.id === sellerId);
		return mate ? mate.name : sellerId;
	}

	/** Nothing a customer would see: spaces, and the invisible characters String.trim keeps. */
	const blank = (text) => /^[\s\u180E\u200B-\u200D\u2060]*$/.test(text);

	const customerLabel = (esc) => `${esc.customer && esc.customer.name ? esc.customer.name : "Customer"} · ${esc.customer ? esc.customer.masked : ""}`;
	const reasonLabel = (reason) => REASON_TEXT[reason] || String(reason || "").replace(/_/g, " ");

	function showNotice(text, kind) {
		el.notice.textContent = text;
		el.notice.dataset.kind = kind || "error";
		el.notice.hidden = false;
	}
	function clearNotice() {
		el.notice.hidden = true;
		el.notice.textContent = "";
	}

	function setConnection(s) {
		const text = { connecting: "Connecting…", online: "Online", reconnecting: "Reconnecting…", "signed-out": "Signed out" }[s];
		el.connection.dataset.state = s;
		el.connection.textContent = text;
	}

	// ---- drafts ----------------------------------------------------------------------------------

	// Storage may be disabled or full: drafts then live in memory only, until a reload.
	const draftKey = (conversationId) => `${DRAFT_KEY}${state.seller ? state.seller.id : ""}:${conversationId}`;

	function draftOf(conversationId) {
		if (!conversationId) return "";
		if (!state.drafts.has(conversationId)) {
			let stored = null;
			try {
				stored = sessionStorage.getItem(draftKey(conversationId));
			} catch {
				// Memory only.
			}
			state.drafts.set(conversationId, stored || "");
		}
		return state.drafts.get(conversationId);
	}

	/** Remembers what is typed to a conversation; the reply box itself is left alone (its caret with it). */
	function storeDraft(conversationId, text) {
		state.drafts.set(conversationId, text);
		try {
			if (text) sessionStorage.setItem(draftKey(conversationId), text);
			else sessionStorage.removeItem(draftKey(conversationId));
		} catch {
			// Memory only.
		}
	}

	/** Replaces a conversation's draft, in the reply box too when that conversation is the one on screen. */
	function setDraft(conversationId, text) {
		if (!conversationId) return;
		storeDraft(conversationId, text);
		if (conversationId === state.shown) {
			el.reply.value = text;
			renderSendable();
		}
	}

	function renderSendable() {
		el.send.disabled = blank(el.reply.value);
	}

	/**
	 * Forgets a conversation that is no longer this seller's, and its draft with it: the same
	 * customer may come back days later, and a stale reply must not be waiting for them. Returns
	 * the draft if it held anything, so the seller can be told what did not go out.
	 */
	function forget(conversationId) {
		state.conversations.delete(conversationId);
		const draft = draftOf(conversationId);
		state.drafts.delete(conversationId);
		try {
			sessionStorage.removeItem(draftKey(conversationId));
		} catch {
			// Nothing stored.
		}
		return blank(draft) ? "" : draft.trim();
	}

	/** Stored drafts of conversations this seller no longer has (resolved while the page was closed). */
	function pruneStoredDrafts(live) {
		try {
			const prefix = draftKey("");
			for (let i = sessionStorage.length - 1; i >= 0; i--) {
				const key = sessionStorage.key(i);
				if (key && key.startsWith(prefix) && !live.has(key.slice(prefix.length))) sessionStorage.removeItem(key);
			}
		} catch {
			// Nothing stored.
		}
	}

	/** A seller signing out leaves no customer's reply behind in the tab for whoever signs in next. */
	function clearDrafts() {
		state.drafts.clear();
		try {
			for (let i = sessionStorage.length - 1; i >= 0; i--) {
				const key = sessionStorage.key(i);
				if (key && key.startsWith(DRAFT_KEY)) sessionStorage.removeItem(key);
			}
		} catch {
			// Nothing stored.
		}
	}

	const unsentNote = (draft) => (draft ? ` Your reply to them was not sent: “${draft}”` : "");

	// ---- connection ------------------------------------------------------------------------------

	function socketUrl(token) {
		const scheme = location.protocol === "https:" ? "wss:" : "ws:";
		return `${scheme}//${location.host}/ws/seller?token=${encodeURIComponent(token)}`;
	}

	function connect() {
		clearTimeout(state.reconnectTimer);
		state.reconnectTimer = null;
		if (!state.token) return;
		setConnection(state.welcomed ? "reconnecting" : "connecting");
		let opened = false;
		let socket;
		try {
			socket = new WebSocket(socketUrl(state.token));
		} catch (err) {
			scheduleReconnect();
			return;
		}
		state.socket = socket;
		socket.addEventListener("open", () => {
			opened = true;
		});
		socket.addEventListener("message", (ev) => {
			if (socket !== state.socket) return;
			state.lastFrameAt = Date.now();
			let frame;
			try {
				frame = JSON.parse(ev.data);
			} catch {
				return;
			}
			if (frame && typeof frame.type === "string") handleFrame(frame);
		});
		socket.addEventListener("close", () => {
			if (socket !== state.socket) return;
			state.socket = null;
			stopHeartbeat();
			failPendingRefs();
			if (!state.token) return;
			if (!opened && !state.welcomed) {
				// The server refuses the upgrade (401) for an unknown token; the browser only sees
				// a socket that never opened. With no welcome ever received, that is a sign-in failure.
				signOut("That token was not accepted. Check it and sign in again.");
				return;
			}
			setConnection("reconnecting");
			if (opened) scheduleReconnect();
			// A reconnect that never opened: the server is away, or the token was revoked meanwhile.
			else checkSession(state.token);
		});
	}

	/** Asks the server whether the token is still a seller's: signs out on 401, keeps reconnecting otherwise. */
	function checkSession(token) {
		fetch("/console/session", { headers: { Authorization: `Bearer ${token}` }, cache: "no-store" }).then(
			(res) => {
				if (state.token !== token) return;
				if (res.status === 401) signOut("Your sign-in is no longer valid. Sign in again.");
				else scheduleReconnect();
			},
			() => {
				if (state.token === token) scheduleReconnect();
			}
		);
	}

	function scheduleReconnect() {
		if (state.reconnectTimer || !state.token) return;
		const base = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * 2 ** state.attempt);
		state.attempt += 1;
		// Jitter spreads the reconnects of many sellers after a server restart.
		const wait = base / 2 + Math.random() * (base / 2);
		state.reconnectTimer = setTimeout(() => {
			state.reconnectTimer = null;
			connect();
		}, wait);
	}

	function send(frame, onAck, onError) {
		const socket = state.socket;
		if (!socket || socket.readyState !== WebSocket.OPEN) return false;
		const ref = `r${state.nextRef++}`;
		state.refs.set(ref, { onAck, onError });
		socket.send(JSON.stringify({ ...frame, ref }));
		return true;
	}

	function failPendingRefs() {
		// Answers lost with the socket: their actions may or may not have happened, welcome tells.
		state.refs.clear();
	}

	function startHeartbeat() {
		stopHeartbeat();
		state.lastFrameAt = Date.now();
		state.heartbeatTimer = setInterval(() => {
			const socket = state.socket;
			if (!socket || socket.readyState !== WebSocket.OPEN) return;
			// A socket that answers nothing for two intervals is dead even if the browser thinks not.
			if (Date.now() - state.lastFrameAt > 2 * state.heartbeatMs) {
				socket.close();
				return;
			}
			socket.send(JSON.stringify({ type: "ping" }));
		}, state.heartbeatMs);
	}
	function stopHeartbeat() {
		clearInterval(state.heartbeatTimer);
		state.heartbeatTimer = null;
	}

	function signIn(token) {
		state.token = token;
		state.welcomed = false;
		state.attempt = 0;
		try {
			sessionStorage.setItem(TOKEN_KEY, token);
		} catch {
			// Storage may be disabled; the page still works until it is reloaded.
		}
		el.signInError.hidden = true;
		connect();
	}

	function signOut(error) {
		state.token = null;
		state.welcomed = false;
		try {
			sessionStorage.removeItem(TOKEN_KEY);
		} catch {
			// Nothing stored.
		}
		clearTimeout(state.reconnectTimer);
		state.reconnectTimer = null;
		stopHeartbeat();
		const socket = state.socket;
		state.socket = null;
		if (socket) socket.close(1000);
		state.seller = null;
		state.queue.clear();
		state.offers.clear();
		state.conversations.clear();
		state.selected = null;
		state.shown = null;
		clearDrafts();
		el.reply.value = "";
		setConnection("signed-out");
		el.app.hidden = true;
		el.signOut.hidden = true;
		el.pause.hidden = true;
		el.whoami.hidden = true;
		el.signIn.hidden = false;
		if (error) {
			el.signInError.textContent = error;
			el.signInError.hidden = false;
		}
		el.token.value = "";
		el.token.focus();
	}

	// ---- frames ----------------------------------------------------------------------------------

	function conversationOf(view) {
		let c = state.conversations.get(view.conversationId);
		if (!c) {
			c = { escalation: view.escalation, messages: new Map(), pending: new Map(), assist: null, approved: new Map(), unread: 0 };
			state.conversations.set(view.conversationId, c);
		}
		c.escalation = view.escalation;
		for (const m of view.messages || []) addLine(c, m);
		if (view.assist) c.assist = view.assist;
		return c;
	}

	function addLine(c, m) {
		if (typeof m.seq !== "number" || c.messages.has(m.seq)) return false;
		c.messages.set(m.seq, { seq: m.seq, from: m.from, text: m.text, at: m.at, sellerId: m.sellerId, image: m.image, media: m.media, orderItems: m.orderItems, internal: m.internal === true, undelivered: m.undelivered });
		return true;
	}

	const lastSeq = (c) => Math.max(0, ...c.messages.keys());

	/**
	 * What the seller has to see in a conversation they are not looking at: the customer's words,
	 * what the customer was sent without anyone typing it (an order confirmed, shipped, cancelled),
	 * and a reply of theirs WhatsApp refused (the team's note on it), which they must send again or
	 * act on: the customer never got it. The AI is silent while a seller has it.
	 */
	const countsAsUnread = (m) => m.from === "customer" || (m.from === "system" && (m.internal !== true || typeof m.undelivered === "number"));

	function handleFrame(f) {
		switch (f.type) {
			case "welcome":
				return onWelcome(f);
			case "escalation.new":
			case "escalation.updated":
				return onEscalation(f.escalation);
			case "escalation.offered":
				state.offers.set(f.escalation.id, f.expiresAt);
				return onEscalation(f.escalation);
			case "escalation.taken":
				state.queue.delete(f.escalationId);
				state.offers.delete(f.escalationId);
				return renderQueue();
			case "escalation.assigned": {
				const c = conversationOf(f.conversation);
				state.queue.delete(c.escalation.id);
				state.offers.delete(c.escalation.id);
				if (!state.selected) state.selected = f.conversation.conversationId;
				renderAll();
				return;
			}
			case "escalation.resolved":
				return onResolved(f);
			case "conversation.message": {
				const c = state.conversations.get(f.conversationId);
				if (!c || !addLine(c, f)) return;
				// What the customer wrote, or was told, where the seller is not looking is counted until they look.
				if (countsAsUnread(f) && (state.selected !== f.conversationId || document.hidden)) c.unread++;
				if (state.selected === f.conversationId) renderConversation();
				renderMine();
				return;
			}
			case "suggestions": {
				const c = state.conversations.get(f.conversationId);
				if (!c) return;
				c.assist = { conversationId: f.conversationId, items: f.items || [], actions: f.actions || [], objection: f.objection || null, cart: f.cart, promotion: f.promotion || null, deliverTo: f.deliverTo || null };
				if (state.selected === f.conversationId) renderAssist();
				return;
			}
			case "ack": {
				const pending = state.refs.get(f.ref);
				state.refs.delete(f.ref);
				if (pending && pending.onAck) pending.onAck(f.result);
				return;
			}
			case "error":
				return onError(f);
			default:
				return;
		}
	}

	function onWelcome(f) {
		const first = !state.welcomed;
		state.welcomed = true;
		state.attempt = 0;
		state.seller = f.seller;
		if (Array.isArray(f.team)) state.team = f.team;
		if (typeof f.serverTime === "number") state.clockOffset = f.serverTime - Date.now();
		if (typeof f.heartbeatMs === "number" && f.heartbeatMs > 0) state.heartbeatMs = f.heartbeatMs;
		state.queue.clear();
		for (const e of f.queue || []) state.queue.set(e.id, e);
		for (const id of state.offers.keys()) if (!state.queue.has(id)) state.offers.delete(id);
		for (const e of f.queue || []) if (e.state === "offered" && e.offeredTo === f.seller.id && e.offerExpiresAt) state.offers.set(e.id, e.offerExpiresAt);
		// Conversations the server no longer gives us were resolved or taken away while we were gone:
		// the seller is told which and why (the resume's ack says), never left to find them missing.
		const live = new Set((f.conversations || []).map((v) => v.conversationId));
		const lost = new Map();
		for (const [id, c] of [...state.conversations]) {
			if (live.has(id)) continue;
			const typed = [...c.pending.values()].map((line) => line.text);
			const draft = forget(id);
			lost.set(id, { escalationId: c.escalation.id, label: customerLabel(c.escalation), lastSeq: lastSeq(c), unsent: [...typed, ...(draft ? [draft] : [])] });
		}
		pruneStoredDrafts(live);
		for (const v of f.conversations || []) {
			// What came while the socket was down arrives here, not as live frames: it is as unread.
			const had = state.conversations.get(v.conversationId);
			const seen = had ? lastSeq(had) : Infinity;
			const c = conversationOf(v);
			if (state.selected !== v.conversationId || document.hidden) for (const m of c.messages.values()) if (m.seq > seen && countsAsUnread(m)) c.unread++;
		}
		if (state.selected && !state.conversations.has(state.selected)) state.selected = null;
		if (!state.selected && state.conversations.size) state.selected = state.conversations.keys().next().value;

		const resume = {};
		for (const [id, c] of state.conversations) resume[id] = lastSeq(c);
		const escalations = {};
		for (const [id, l] of lost) {
			resume[id] = l.lastSeq;
			escalations[id] = l.escalationId;
		}
		if (Object.keys(resume).length) {
			const sent = send(
				{ type: "resume", conversations: resume, ...(lost.size ? { escalations } : {}) },
				(result) => lost.size && tellLost(lost, result && result.lost),
				() => lost.size && tellLost(lost, null)
			);
			if (!sent && lost.size) tellLost(lost, null);
		}
		resendPending();

		setConnection("online");
		startHeartbeat();
		el.signIn.hidden = true;
		el.signInError.hidden = true;
		el.app.hidden = false;
		el.signOut.hidden = false;
		el.whoami.hidden = false;
		el.whoami.textContent = `${f.seller.name} · ${(f.seller.brands || []).join(", ")}`;
		renderPause();
		if (first) clearNotice();
		renderAll();
		renderTransferTargets();
	}

	function onEscalation(esc) {
		if (!esc) return;
		const mine = state.conversations.get(esc.conversationId);
		if (mine && mine.escalation.id === esc.id) {
			mine.escalation = esc;
			if (esc.state === "resolved" || (esc.sellerId && state.seller && esc.sellerId !== state.seller.id)) {
				const unsent = forget(esc.conversationId);
				if (state.selected === esc.conversationId) state.selected = null;
				if (unsent) showNotice(`${customerLabel(esc)}: no longer yours.${unsentNote(unsent)}`, "info");
			}
		}
		if (esc.state === "queued" || esc.state === "offered") state.queue.set(esc.id, esc);
		else {
			state.queue.delete(esc.id);
			state.offers.delete(esc.id);
		}
		if (esc.state === "offered" && state.seller && esc.offeredTo !== state.seller.id) state.offers.delete(esc.id);
		else if (esc.state === "offered" && state.seller && esc.offerExpiresAt) state.offers.set(esc.id, esc.offerExpiresAt);
		renderAll();
	}

	/**
	 * What became of each conversation that left this seller while the page was away, as the resume's
	 * ack tells it (`lost`: why, and where it is now), with whatever they typed to it that did not go out.
	 */
	function tellLost(lost, found) {
		const lines = [...lost].map(([id, l]) => `${l.label}: ${lostText(found && found[id])}.${unsentNote(l.unsent.join(" · "))}`);
		showNotice(`While you were away, ${lost.size === 1 ? "a conversation is" : `${lost.size} conversations are`} no longer yours. ${lines.join(" ")}`, "info");
	}

	function lostText(l) {
		if (!l || !l.escalation) return "no longer yours";
		const esc = l.escalation;
		const ended = esc.resolution === "closed" ? "closed" : "handed back to the AI seller";
		if (l.reason === "resolved") return `${ended}${esc.resolutionNote ? ` (${esc.resolutionNote})` : ""}`;
		const how = { seller_offline: "went back to the queue because your console was disconnected for too long", transferred: "you transferred it" }[l.reason] || "no longer yours";
		const mine = state.seller && esc.offeredTo === state.seller.id;
		const now =
			esc.state === "active"
				? `${esc.sellerName || nameOf(esc.sellerId)} has it now`
				: esc.state === "queued"
					? "it is waiting in the queue"
					: esc.state === "offered"
						? mine
							? "it is offered to you again"
							: `it is offered to ${nameOf(esc.offeredTo)}`
						: `it was ${ended} since`;
		return `${how}; ${now}`;
	}

	function onResolved(f) {
		// Also sent to the brand's sellers when an escalation is withdrawn before anyone took it.
		state.queue.delete(f.escalationId);
		state.offers.delete(f.escalationId);
		const c = state.conversations.get(f.conversationId);
		const unsent = forget(f.conversationId);
		if (state.selected === f.conversationId) state.selected = state.conversations.keys().next().value || null;
		if (c) {
			const who = customerLabel(c.escalation);
			const text = { ai: `${who}: handed back to the AI seller.`, closed: `${who}: conversation closed.`, transferred: `${who}: transferred.` }[f.to] || `${who}: resolved.`;
			showNotice(text + unsentNote(unsent), "info");
		}
		renderAll();
	}

	function onError(f) {
		const pending = f.ref ? state.refs.get(f.ref) : null;
		if (f.ref) state.refs.delete(f.ref);
		if (pending && pending.onError) pending.onError(f);
		const known = ERROR_TEXT[f.code];
		// SELLER_OFFLINE's own message names the colleague, which the seller needs more than the generic line.
		const text = known ? (f.code === "BAD_FRAME" || f.code === "INVALID" ? `${known}: ${f.message}` : f.code === "SELLER_OFFLINE" && f.message ? f.message : known) : f.message || "Something went wrong.";
		showNotice(text, "error");
	}

	// ---- actions ---------------------------------------------------------------------------------

	function accept(escalationId) {
		clearNotice();
		send(
			{ type: "accept", escalationId },
			(result) => {
				if (result && result.conversationId) {
					const c = conversationOf(result);
					state.queue.delete(c.escalation.id);
					state.offers.delete(c.escalation.id);
					state.selected = result.conversationId;
					renderAll();
					el.reply.focus();
				}
			},
			(err) => {
				// Lost the race (or it is gone): it is no longer ours to take, whatever frames follow.
				if (err.code === "ESCALATION_TAKEN" || err.code === "NOT_FOUND") {
					state.queue.delete(escalationId);
					state.offers.delete(escalationId);
					renderQueue();
				}
			}
		) || showNotice("Not connected: wait for the console to reconnect.");
	}

	function decline(escalationId) {
		clearNotice();
		send({ type: "decline", escalationId }, () => {
			state.offers.delete(escalationId);
			renderQueue();
		}) || showNotice("Not connected: wait for the console to reconnect.");
	}

	function sendReply() {
		// The box's text is the shown conversation's: it goes to that customer or to no one.
		const id = state.shown;
		const c = id && id === state.selected && state.conversations.get(id);
		const text = el.reply.value.trim();
		if (!c || blank(text)) return;
		const line = { clientId: randomId(), text, at: serverNow() };
		c.pending.set(line.clientId, line);
		setDraft(id, "");
		clearNotice();
		transmit(id, c, line);
		renderConversation();
		renderMine();
	}

	/** Sends (or resends, after a reconnect) one reply; its clientId makes a resend harmless. */
	function transmit(conversationId, c, line) {
		send(
			{ type: "message", conversationId, text: line.text, clientId: line.clientId },
			(result) => {
				c.pending.delete(line.clientId);
				if (result && typeof result.seq === "number") addLine(c, { seq: result.seq, from: "seller", text: line.text, at: line.at, sellerId: state.seller && state.seller.id });
				if (state.selected === conversationId) renderConversation();
				renderMine();
			},
			() => {
				// Refused (not yours any more, rate limited…): the notice says why; the text goes back
				// to its own conversation's draft, if that is empty, so nothing typed is lost and it
				// never lands in the box of the customer on screen now.
				c.pending.delete(line.clientId);
				if (state.conversations.get(conversationId) === c && blank(draftOf(conversationId))) setDraft(conversationId, line.text);
				if (state.selected === conversationId) renderConversation();
				renderMine();
			}
		);
	}

	function resendPending() {
		for (const [id, c] of state.conversations) for (const line of c.pending.values()) transmit(id, c, line);
	}

	function approve(conversationId, action) {
		clearNotice();
		send({ type: "approve", conversationId, actionId: action.id }, (result) => {
			const c = state.conversations.get(conversationId);
			const text = result && typeof result.result === "string" ? result.result : "Done.";
			if (c) c.approved.set(action.id, { label: action.label, text });
			showNotice(`${action.label}: ${text}`, "info");
			if (state.selected === conversationId) renderAssist();
		}) || showNotice("Not connected: wait for the console to reconnect.");
	}

	/** On a break: no new customer is offered; the button says what a click does, and is pressed while paused. */
	function renderPause() {
		const paused = !!(state.seller && state.seller.paused);
		el.pause.hidden = !state.seller;
		// A click waits for its answer; a welcome (after a lost socket) tells the state afresh.
		el.pause.disabled = false;
		el.pause.setAttribute("aria-pressed", String(paused));
		el.pause.textContent = paused ? "Paused · take new customers" : "Pause new customers";
	}

	function pauseClicked() {
		if (!state.seller) return;
		const sent = send({ type: "pause", paused: !state.seller.paused }, (view) => {
			if (view && typeof view.paused === "boolean" && state.seller) state.seller.paused = view.paused;
			renderPause();
		}, renderPause);
		el.pause.disabled = sent;
	}

	/** Asks who is online now, so the transfer list does not offer yesterday's picture. */
	function refreshTeam() {
		send({ type: "team" }, (team) => {
			if (!Array.isArray(team)) return;
			state.team = team;
			renderTransferTargets();
		});
	}

	/** Closing ends the customer's conversation: the first click arms the button, a second one within a few seconds closes. */
	function closeClicked() {
		if (el.close.dataset.armed !== "true") {
			el.close.dataset.armed = "true";
			el.close.textContent = "Click again to close";
			clearTimeout(state.closeArmTimer);
			state.closeArmTimer = setTimeout(disarmClose, CLOSE_ARM_MS);
			return;
		}
		disarmClose();
		resolve("closed");
	}
	function disarmClose() {
		clearTimeout(state.closeArmTimer);
		delete el.close.dataset.armed;
		el.close.textContent = "Close conversation";
	}

	function resolve(to) {
		const id = state.selected;
		if (!id) return;
		clearNotice();
		send({ type: "resolve", conversationId: id, to }, () => onResolved({ conversationId: id, to })) ||
			showNotice("Not connected: wait for the console to reconnect.");
	}

	function transfer() {
		const id = state.selected;
		const to = el.transferTo.value;
		const note = el.transferNote.value.trim();
		if (!id) return;
		if (!to || !note) {
			showNotice("A transfer needs who it goes to and a note for them.");
			(to ? el.transferNote : el.transferTo).focus();
			return;
		}
		clearNotice();
		const frame = { type: "transfer", conversationId: id, note };
		const [kind, target] = [to.slice(0, to.indexOf(":")), to.slice(to.indexOf(":") + 1)];
		if (kind === "brand") frame.toBrand = target;
		else frame.toSellerId = target;
		send(
			frame,
			() => {
				el.transferTo.value = "";
				el.transferNote.value = "";
				onResolved({ conversationId: id, to: "transferred" });
			},
			(err) => {
				// The list showed them online a moment ago: it is asked for again, so it says who is there now.
				if (err.code === "SELLER_OFFLINE") refreshTeam();
			}
		) || showNotice("Not connected: wait for the console to reconnect.");
	}

	// ---- rendering -------------------------------------------------------------------------------

	function renderAll() {
		renderQueue();
		renderMine();
		renderConversation();
	}

	function sortedQueue() {
		return [...state.queue.values()].sort((a, b) => b.priority - a.priority || a.waitingSince - b.waitingSince);
	}

	/** "The customer asked for a person" under the tag "Asked for a person" says nothing new. */
	function restates(detail, label) {
		const words = (s) => s.toLowerCase().match(/[\p{L}\p{N}]+/gu) || [];
		const said = new Set([...words(label), "the", "customer", "a", "an"]);
		return words(detail).every((w) => said.has(w));
	}

	function renderQueue() {
		for (const id of state.expiredOffers) if (!state.queue.has(id) || state.offers.has(id)) state.expiredOffers.delete(id);
		const items = sortedQueue().map((esc) => {
			const offeredToMe = state.offers.has(esc.id);
			const headingId = `esc-${esc.id}`;
			const meta = h("p", { class: "meta" });
			meta.append(h("span", { text: `${esc.brand} · priority ${esc.priority} · waiting ` }), h("span", { class: "tick", "data-since": esc.waitingSince }));
			if (offeredToMe) meta.append(h("span", { text: " · offer expires in " }), h("span", { class: "tick", "data-until": state.offers.get(esc.id) }));
			else if (state.expiredOffers.has(esc.id)) meta.append(h("span", { class: "offer-expired", text: " · your offer expired" }));
			if (esc.slaBreaches > 0) meta.append(h("span", { text: " · over the waiting target" }));
			return h(
				"li",
				{ class: "escalation", "data-escalation": esc.id, "data-offered": offeredToMe ? "true" : "false", "aria-labelledby": headingId },
				h("p", { class: "who", id: headingId, text: customerLabel(esc) }),
				h("span", { class: "reason", text: reasonLabel(esc.reason) }),
				esc.detail && !restates(esc.detail, reasonLabel(esc.reason)) ? h("p", { class: "meta detail", text: esc.detail }) : null,
				h("p", { class: "summary", text: esc.summary }),
				transferNote(esc),
				meta,
				h(
					"div",
					{ class: "buttons" },
					h("button", { type: "button", text: "Accept", "aria-label": `Accept ${customerLabel(esc)}`, onclick: () => accept(esc.id) }),
					offeredToMe ? h("button", { type: "button", class: "secondary", text: "Decline", onclick: () => decline(esc.id) }) : null
				)
			);
		});
		el.queue.replaceChildren(...items);
		el.queueEmpty.hidden = items.length > 0;
		updateTitle();
		tick();
	}

	function renderMine() {
		if (state.selected && !document.hidden) {
			const open = state.conversations.get(state.selected);
			if (open) open.unread = 0;
		}
		const items = [...state.conversations.entries()].map(([id, c]) => {
			// No seller has answered the customer's last message (the AI's and automatic lines do not
			// count): the seller owes a reply, and the page says for how long.
			const last = lastSpoken(c);
			const awaiting = last && last.from === "customer" && !c.pending.size;
			const status = h("span", { class: "state" });
			if (c.unread) status.append(h("span", { class: "unread", text: `${c.unread} new` }));
			if (awaiting) status.append(h("span", { class: "awaiting" }, "awaiting your reply · ", h("span", { class: "tick", "data-since": last.at })));
			const button = h(
				"button",
				{
					type: "button",
					"aria-current": state.selected === id ? "true" : "false",
					onclick: () => {
						state.selected = id;
						renderMine();
						renderConversation();
						el.reply.focus();
					}
				},
				h("span", { class: "label", text: `${customerLabel(c.escalation)} (${c.escalation.brand})` }),
				status.childNodes.length ? status : null
			);
			return h("li", { "data-conversation": id, "data-unread": c.unread || null, "data-awaiting": awaiting ? "true" : null }, button);
		});
		el.mine.replaceChildren(...items);
		el.mineEmpty.hidden = items.length > 0;
		updateTitle();
		tick();
	}

	/** The customer's or a seller's latest line that reached the other side. */
	function lastSpoken(c) {
		const undelivered = undeliveredSeqs(c);
		let last = null;
		for (const m of c.messages.values()) if ((m.from === "customer" || m.from === "seller") && !undelivered.has(m.seq) && (!last || m.seq > last.seq)) last = m;
		return last;
	}

	const undeliveredSeqs = (c) => new Set([...c.messages.values()].flatMap((m) => (typeof m.undelivered === "number" ? [m.undelivered] : [])));

	/** The tab's title counts what needs the seller: what is unread (`countsAsUnread`) and customers waiting in the queue. */
	function updateTitle() {
		let n = state.queue.size;
		for (const c of state.conversations.values()) n += c.unread;
		document.title = n ? `(${n}) ${TITLE}` : TITLE;
	}

	/**
	 * Whom the open conversation can go to: colleagues who sell its brand (online first; one at
	 * capacity cannot take it), or another brand's team. The choice made survives a refresh.
	 */
	function renderTransferTargets() {
		const c = state.selected && state.conversations.get(state.selected);
		if (!c) return;
		const brand = c.escalation.brand;
		const chosen = el.transferTo.value;
		const mates = state.team.filter((s) => (s.brands || []).includes(brand)).sort((a, b) => Number(b.online) - Number(a.online) || a.load - b.load || a.name.localeCompare(b.name));
		const colleagues = h("optgroup", { label: `Colleagues selling ${brand}` });
		for (const s of mates) {
			const full = s.load >= s.capacity;
			const how = full ? `full, ${s.load} of ${s.capacity}` : s.online ? `online${s.paused ? ", paused" : ""}, ${s.load} of ${s.capacity}` : "away";
			// Someone away would only be offered the customer for nobody to take it: the server refuses it too.
			colleagues.append(h("option", { value: `seller:${s.id}`, disabled: full || !s.online, text: `${s.name} (${how})` }));
		}
		if (!mates.length) colleagues.append(h("option", { value: "", disabled: true, text: `No one else sells ${brand}` }));
		const others = [...new Set(state.team.flatMap((s) => s.brands || []))].filter((b) => b !== brand).sort();
		const teams = h("optgroup", { label: "Another brand's team" });
		for (const b of others) {
			const online = state.team.filter((s) => s.online && (s.brands || []).includes(b)).length;
			teams.append(h("option", { value: `brand:${b}`, text: `${b} (${online} online)` }));
		}
		el.transferTo.replaceChildren(h("option", { value: "", text: "Choose who takes it…" }), colleagues, ...(others.length ? [teams] : []));
		const still = [...el.transferTo.options].find((o) => o.value === chosen && !o.disabled);
		el.transferTo.value = still ? chosen : "";
	}

	/** The note a seller left when handing the conversation over, for whoever takes it next. */
	function transferNote(esc) {
		const t = esc.lastTransfer;
		if (!t) return null;
		// A transfer of one's own that came back (declined, or not taken in time): said as such, not as a note to oneself.
		if (state.seller && t.fromSellerId === state.seller.id)
			return h("p", { class: "meta transfer-note", text: `Back to you: ${t.toSellerId ? nameOf(t.toSellerId) : `the ${t.toBrand} team`} did not take it` });
		return t.note ? h("p", { class: "meta transfer-note", text: `Note from ${nameOf(t.fromSellerId)}: ${t.note}` }) : null;
	}

	/**
	 * The photo a reply carried, as a link the seller can open: the page loads nothing from other
	 * origins (its CSP), and only a web address is linked.
	 */
	// What the customer sent besides words; WhatsApp media is not fetched here, so it is named.
	const MEDIA_TEXT = {
		image: "📷 Photo",
		audio: "🎤 Voice note",
		video: "🎬 Video",
		document: "📄 Document",
		sticker: "🙂 Sticker",
		location: "📍 Location",
		contacts: "👤 Contact card",
		unsupported: "❔ A message WhatsApp cannot show here"
	};
	function sentWith(m) {
		if (Array.isArray(m.orderItems) && m.orderItems.length)
			return h("span", { class: "media", text: `🛒 Cart from the WhatsApp catalog: ${m.orderItems.map((i) => `${i.qty}× ${i.sku}`).join(", ")}` });
		return m.media && MEDIA_TEXT[m.media] ? h("span", { class: "media", text: MEDIA_TEXT[m.media] }) : null;
	}

	function photoLink(image) {
		if (typeof image !== "string" || !/^https?:\/\//.test(image)) return null;
		return h("a", { class: "photo", href: image, target: "_blank", rel: "noopener noreferrer", text: "📷 Photo sent with this message" });
	}

	function renderConversation() {
		const c = state.selected && state.conversations.get(state.selected);
		el.conversation.hidden = !c;
		if (state.shown !== state.selected) {
			// Another conversation: a close armed for the previous one must not close this one, and
			// its transfer targets are another brand's. Built here, not on every message, so a list
			// the seller has open is not rebuilt under them.
			state.shown = state.selected;
			disarmClose();
			el.transferTo.value = "";
			renderTransferTargets();
			// The one reply box now belongs to this conversation: it shows this customer's own draft.
			el.reply.value = draftOf(state.shown);
			renderSendable();
		}
		if (!c) return;
		const esc = c.escalation;
		el.conversationTitle.textContent = `${customerLabel(esc)} · ${esc.brand}`;
		const own = esc.lastTransfer && state.seller && esc.lastTransfer.fromSellerId === state.seller.id;
		const note = esc.lastTransfer && esc.lastTransfer.note && !own ? `Note from ${nameOf(esc.lastTransfer.fromSellerId)}: ${esc.lastTransfer.note}` : "";
		el.conversationSummary.textContent = [reasonLabel(esc.reason), esc.summary, note].filter(Boolean).join(" · ");
		const atBottom = el.history.scrollTop + el.history.clientHeight >= el.history.scrollHeight - 8;
		const undelivered = undeliveredSeqs(c);
		const lines = [...c.messages.values()].sort((a, b) => a.seq - b.seq).map((m) =>
			h(
				"li",
				{ class: "line", "data-from": m.from, "data-seq": m.seq, "data-internal": m.internal ? "true" : null, "data-undelivered": undelivered.has(m.seq) ? "true" : null },
				h("span", { class: "from", text: m.internal ? "Only the team sees this" : m.from === "seller" && m.sellerId && state.seller && m.sellerId !== state.seller.id ? nameOf(m.sellerId) : FROM_TEXT[m.from] || m.from }),
				sentWith(m),
				h("span", { class: "text", text: m.text }),
				undelivered.has(m.seq) ? h("span", { class: "undelivered", text: "Not delivered" }) : null,
				photoLink(m.image)
			)
		);
		for (const p of c.pending.values()) {
			lines.push(
				h(
					"li",
					{ class: "line", "data-from": "seller", "data-pending": "true" },
					h("span", { class: "from", text: state.socket ? "Sending…" : "Not sent yet: goes out when the console reconnects" }),
					h("span", { class: "text", text: p.text })
				)
			);
		}
		el.history.replaceChildren(...lines);
		if (atBottom) el.history.scrollTop = el.history.scrollHeight;
		renderWindow();
		renderAssist();
	}

	/**
	 * WhatsApp takes a typed message only within 24 hours of the customer's last one: the seller is
	 * told when that is about to end and once it has, before typing into the void.
	 */
	function renderWindow() {
		const c = state.selected && state.conversations.get(state.selected);
		let lastAt = 0;
		if (c) for (const m of c.messages.values()) if (m.from === "customer" && m.at > lastAt) lastAt = m.at;
		const left = lastAt + WINDOW_MS - serverNow();
		if (!lastAt || left > WINDOW_WARN_MS) {
			el.window.hidden = true;
			return;
		}
		el.window.hidden = false;
		el.window.dataset.state = left > 0 ? "closing" : "closed";
		el.window.textContent =
			left > 0
				? `WhatsApp's 24-hour window closes in ${duration(left)}: after that, a typed reply reaches the customer only once they write again.`
				: `The customer last wrote ${duration(serverNow() - lastAt)} ago, so WhatsApp's 24-hour window is closed: a typed reply will not reach them. They are sent our template asking them to reply instead.`;
	}

	function renderAssist() {
		const c = state.selected && state.conversations.get(state.selected);
		if (!c) return;
		const a = c.assist || { items: [], actions: [] };
		const conversationId = state.selected;
		el.suggestions.replaceChildren(
			...(a.items || []).map((text) =>
				h(
					"li",
					{},
					h("button", {
						type: "button",
						class: "suggestion",
						text,
						title: "Insert into the reply box",
						onclick: () => {
							if (conversationId !== state.shown) return;
							const typed = draftOf(conversationId);
							setDraft(conversationId, blank(typed) ? text : `${typed.trimEnd()} ${text}`);
							el.reply.focus();
							el.reply.setSelectionRange(el.reply.value.length, el.reply.value.length);
						}
					})
				)
			)
		);
		if (a.objection && a.objection.advice) {
			// A problem with a purchase is no objection to a sale: it is named as what it is.
			el.objection.textContent = a.objection.kind === "problem" ? `Problem with a purchase: ${a.objection.advice}` : `Objection (${a.objection.kind}): ${a.objection.advice}`;
			el.objection.hidden = false;
		} else el.objection.hidden = true;
		renderCart(a);
		// What the seller approved stays listed with its result, also once fresh suggestions no longer offer it.
		const offered = new Set((a.actions || []).map((action) => action.id));
		const doneLine = (id, done) => h("li", { "data-action": id }, h("span", { class: "label", text: done.label }), h("span", { class: "done", text: done.text }));
		el.actions.replaceChildren(
			...[...c.approved].filter(([id]) => !offered.has(id)).map(([id, done]) => doneLine(id, done)),
			...(a.actions || []).map((action) => {
				const done = c.approved.get(action.id);
				return done
					? doneLine(action.id, done)
					: h(
							"li",
							{ "data-action": action.id },
							h("span", { class: "label", text: action.label }),
							h("button", { type: "button", text: "Approve", "aria-label": `Approve: ${action.label}`, onclick: () => approve(conversationId, action) })
						);
			})
		);
	}

	function money(minor, currency) {
		try {
			return new Intl.NumberFormat("en-US", { style: "currency", currency }).format(minor / 100);
		} catch {
			return `${(minor / 100).toFixed(2)} ${currency}`;
		}
	}

	/** The customer's cart as it is now: what the seller's approvals changed shows at once. */
	function renderCart(a) {
		const lines = Array.isArray(a.cart) ? a.cart : null;
		if (!lines) {
			// An assistant that sent no cart (an older server): nothing to claim.
			el.cart.replaceChildren(h("li", { class: "empty", text: "Not known yet." }));
			el.cartTotal.textContent = "";
			el.deliverTo.textContent = "";
			return;
		}
		el.cart.replaceChildren(
			...(lines.length
				? lines.map((l) => {
						const variant = [l.size, l.color].filter(Boolean).join(", ");
						return h(
							"li",
							{ "data-sku": l.sku },
							h("span", { class: "item" }, `${l.qty}× ${l.name}${variant ? ` (${variant})` : ""}`, l.awaiting ? h("span", { class: "awaiting", text: ` · ${l.awaiting} to choose` }) : null),
							h("span", { class: "price", text: money(l.unitPrice * l.qty, l.currency) })
						);
					})
				: [h("li", { class: "empty", text: "Empty." })])
		);
		const currency = lines[0] && lines[0].currency;
		const total = lines.reduce((n, l) => n + l.unitPrice * l.qty, 0);
		el.cartTotal.textContent = lines.length ? `Total ${money(total, currency)}${a.promotion ? ` before ${a.promotion}, which the order will carry` : ""}` : "";
		// The order button needs an address; a seller who sees none knows to ask for it.
		el.deliverTo.textContent = a.deliverTo ? `Delivery to: ${a.deliverTo}` : lines.length ? "No delivery address yet: ask the customer where to deliver" : "";
	}

	/** Waiting times and offer countdowns, refreshed every second. */
	function tick() {
		const now = serverNow();
		// A lapsed offer is no longer this seller's to decline; the server may not say so, so the
		// page's clock ends it rather than leaving a countdown at 0 s.
		let lapsed = false;
		for (const [id, until] of state.offers) {
			if (typeof until === "number" && until <= now) {
				state.offers.delete(id);
				state.expiredOffers.add(id);
				lapsed = true;
			}
		}
		if (lapsed) {
			renderQueue();
			return;
		}
		for (const node of [...el.queue.querySelectorAll(".tick"), ...el.mine.querySelectorAll(".tick")]) {
			if (node.dataset.since) node.textContent = duration(now - Number(node.dataset.since));
			else if (node.dataset.until) node.textContent = duration(Number(node.dataset.until) - now);
		}
		if (state.selected) renderWindow();
	}

	// ---- wiring ----------------------------------------------------------------------------------

	el.signInForm.addEventListener("submit", (ev) => {
		ev.preventDefault();
		const token = el.token.value.trim();
		if (!token) {
			el.signInError.textContent = "Enter your seller token.";
			el.signInError.hidden = false;
			el.token.focus();
			return;
		}
		signIn(token);
	});
	el.signOut.addEventListener("click", () => signOut());
	el.pause.addEventListener("click", () => pauseClicked());
	el.replyForm.addEventListener("submit", (ev) => {
		ev.preventDefault();
		sendReply();
	});
	el.reply.addEventListener("input", () => {
		if (state.shown) storeDraft(state.shown, el.reply.value);
		renderSendable();
	});
	el.reply.addEventListener("keydown", (ev) => {
		if (ev.key === "Enter" && !ev.shiftKey && !ev.isComposing) {
			ev.preventDefault();
			sendReply();
		}
	});
	el.transferForm.addEventListener("submit", (ev) => {
		ev.preventDefault();
		transfer();
	});
	el.handBack.addEventListener("click", () => resolve("ai"));
	el.close.addEventListener("click", closeClicked);
	el.transferTo.addEventListener("focus", refreshTeam);
	document.addEventListener("visibilitychange", () => {
		if (!document.hidden) renderMine();
	});
	setInterval(tick, 1000);

	let saved = null;
	try {
		saved = sessionStorage.getItem(TOKEN_KEY);
	} catch {
		// No storage: the seller signs in again.
	}
	if (saved) signIn(saved);
	else el.token.focus();
})();
