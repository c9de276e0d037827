/**
 * The sockets of one console node, by seller and by brand: who a `console.push` reaches, and the
 * presence map the node reports. A seller may have several sockets (tabs); a push to the seller
 * reaches all of them.
 */
import type { ServerFrame } from "../../contracts/console";

export interface SellerSocket {
	readonly sellerId: string;
	readonly brands: readonly string[];
	send(frame: ServerFrame): void;
}

export interface PushTarget {
	sellerIds?: readonly string[];
	brands?: readonly string[];
}

export class ConnectionRegistry<S extends SellerSocket = SellerSocket> {
	private readonly bySeller = new Map<string, Set<S>>();
	private readonly byBrand = new Map<string, Set<S>>();

	add(socket: S): void {
		bucket(this.bySeller, socket.sellerId).add(socket);
		for (const brand of socket.brands) bucket(this.byBrand, brand).add(socket);
	}

	/** False when the socket was not registered (closed twice). */
	remove(socket: S): boolean {
		const own = this.bySeller.get(socket.sellerId);
		if (!own?.delete(socket)) return false;
		if (own.size === 0) this.bySeller.delete(socket.sellerId);
		for (const brand of socket.brands) {
			const set = this.byBrand.get(brand);
			set?.delete(socket);
			if (set?.size === 0) this.byBrand.delete(brand);
		}
		return true;
	}

	socketsOf(sellerId: string): S[] {
		return [...(this.bySeller.get(sellerId) ?? [])];
	}

	/** Every socket of the named sellers and of the sellers of the named brands, each once. */
	targets(to: PushTarget): Set<S> {
		const out = new Set<S>();
		for (const id of to.sellerIds ?? []) for (const s of this.bySeller.get(id) ?? []) out.add(s);
		for (const brand of to.brands ?? []) for (const s of this.byBrand.get(brand) ?? []) out.add(s);
		return out;
	}

	all(): S[] {
		return [...this.bySeller.values()].flatMap(set => [...set]);
	}

	get size(): number {
		let n = 0;
		for (const set of this.bySeller.values()) n += set.size;
		return n;
	}

	/** sellerId → open sockets, for `sales-assistant.presence`. */
	presence(): Record<string, number> {
		const out: Record<string, number> = {};
		for (const [id, set] of this.bySeller) out[id] = set.size;
		return out;
	}
}

function bucket<K, V>(map: Map<K, Set<V>>, key: K): Set<V> {
	let set = map.get(key);
	if (!set) map.set(key, (set = new Set()));
	return set;
}
