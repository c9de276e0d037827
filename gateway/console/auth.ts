/**
 * Seller authentication for the console socket: the `token` query parameter of the upgrade
 * request against the sellers of SELLERS_FILE.
 *
 * Tokens are compared in constant time (digests of equal length through `timingSafeEqual`, and
 * every seller is checked even after a match), so response timing says nothing about how much of a
 * guess was right. A token never appears in a log line or an error.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import type { SellerConfig } from "../../config";

const digest = (value: string): Buffer => createHash("sha256").update(value, "utf8").digest();

/** Longer than any real token; a bigger value is refused before it is hashed. */
export const TOKEN_MAX = 512;

export function sellerForToken(sellers: readonly SellerConfig[], token: string | null | undefined): SellerConfig | null {
	if (!token || token.length > TOKEN_MAX) return null;
	const given = digest(token);
	let found: SellerConfig | null = null;
	for (const seller of sellers) {
		if (timingSafeEqual(given, digest(seller.token)) && !found) found = seller;
	}
	return found;
}

/** The `token` query parameter of an upgrade request's URL (path and query only), or null. */
export function tokenFromUrl(url: string | undefined): string | null {
	if (!url) return null;
	try {
		return new URL(url, "http://console.invalid").searchParams.get("token");
	} catch {
		return null;
	}
}

export function pathOf(url: string | undefined): string {
	if (!url) return "";
	const q = url.indexOf("?");
	return q === -1 ? url : url.slice(0, q);
}
