/**
 * HMAC-SHA256 signatures of webhook bodies, `sha256=<hex>` over the exact raw bytes. Generic on
 * purpose: the WhatsApp webhook (`X-Hub-Signature-256`, app secret) and the orders webhook
 * (`X-Signature-256`, ORDERS_WEBHOOK_SECRET) use the same scheme.
 *
 * Never hash re-serialised JSON: Meta signs its escaped-unicode form, and `JSON.stringify` of the
 * parsed body yields different bytes for any non-ASCII text (SPEC §2).
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export type SignatureFailure = "missing" | "malformed" | "mismatch";

export type SignatureCheck = { ok: true } | { ok: false; reason: SignatureFailure };

const HEADER = /^sha256=([0-9a-fA-F]{64})$/;

/** `sha256=<lowercase hex>` of `body` keyed with `secret`, as a sender would put it in the header. */
export function signBody(secret: string, body: Buffer | string): string {
	return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/**
 * Checks a signature header against the raw body in constant time (for a well-formed header).
 * Hex is compared as bytes, so an uppercase digest is accepted: it is the same signature.
 */
export function verifySignature(secret: string, header: string | string[] | undefined, rawBody: Buffer): SignatureCheck {
	const value = Array.isArray(header) ? header[0] : header;
	if (value === undefined || value === "") return { ok: false, reason: "missing" };
	const m = HEADER.exec(value.trim());
	if (!m) return { ok: false, reason: "malformed" };
	const expected = createHmac("sha256", secret).update(rawBody).digest();
	const given = Buffer.from(m[1], "hex");
	return given.length === expected.length && timingSafeEqual(given, expected) ? { ok: true } : { ok: false, reason: "mismatch" };
}

/** Constant-time equality of two strings (the verify token); false when lengths differ. */
export function safeEqual(a: string, b: string): boolean {
	const x = Buffer.from(a, "utf8");
	const y = Buffer.from(b, "utf8");
	// Compare against itself when lengths differ so the time does not depend on where they differ.
	if (x.length !== y.length) {
		timingSafeEqual(x, x);
		return false;
	}
	return timingSafeEqual(x, y);
}
