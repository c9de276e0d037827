/**
 * Pino options for the broker's logger. Customer phone numbers must never reach a log line in
 * clear: Moleculer hands pino free-form arguments (strings, objects, errors), so masking happens
 * in pino's `logMethod` hook on every argument, not only on known keys.
 */
import type { LoggerOptions } from "pino";

/** Digit runs the length of an E.164 number (8 to 15 digits, optional +), not part of a longer token. */
const PHONE = /(?<![\w.+-])\+?\d{8,15}(?!\w|\.\w)/g;

export function maskPhone(value: string): string {
	const plus = value.startsWith("+") ? "+" : "";
	const digits = plus ? value.slice(1) : value;
	if (digits.length < 8) return value;
	return `${plus}${digits.slice(0, 4)}***${digits.slice(-4)}`;
}

export function maskText(text: string): string {
	return text.replace(PHONE, maskPhone);
}

/** Deep copy with every string masked; errors keep their class name, message and stack, masked. */
export function maskValue(value: unknown, depth = 0): unknown {
	if (typeof value === "string") return maskText(value);
	if (typeof value === "number" && Number.isInteger(value) && value >= 1e7 && value < 1e15) {
		// A wa_id that arrived as a number; epoch milliseconds (13 digits, 1.7e12) are left alone.
		return value >= 1e12 && value < 1e13 ? value : maskText(String(value));
	}
	if (value === null || typeof value !== "object" || depth > 8) return value;
	if (value instanceof Error) {
		const err: Record<string, unknown> = { type: value.name, message: maskText(value.message) };
		if (value.stack) err.stack = maskText(value.stack);
		for (const [k, v] of Object.entries(value)) err[k] = maskValue(v, depth + 1);
		return err;
	}
	if (Array.isArray(value)) return value.map(v => maskValue(v, depth + 1));
	const out: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(value)) out[k] = maskValue(v, depth + 1);
	return out;
}

export function pinoOptions(level: string): LoggerOptions {
	return {
		level,
		base: undefined,
		timestamp: () => `,"time":"${new Date().toISOString()}"`,
		formatters: { level: label => ({ level: label }) },
		hooks: {
			logMethod(args, method) {
				// Moleculer passes every argument positionally; pino treats a leading object as
				// bindings. Fold the rest into the message so nothing bypasses masking.
				const masked = args.map(a => maskValue(a));
				const [first, ...rest] = masked;
				if (first !== null && typeof first === "object") {
					const msg = rest.map(r => (typeof r === "string" ? r : JSON.stringify(r))).join(" ");
					return method.apply(this, msg ? [first, msg] : [first]);
				}
				const msg = masked.map(r => (typeof r === "string" ? r : JSON.stringify(r))).join(" ");
				return method.apply(this, [msg]);
			}
		}
	};
}
