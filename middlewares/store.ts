/**
 * Gives the broker one Store (`broker.store`) for the services, channels and REPL to share:
 * created with the broker, closed after every service has stopped.
 */
import type { Middleware, ServiceBroker } from "moleculer";
import type { Store } from "../adapters/store/store";

export function StoreMiddleware(factory: (broker: ServiceBroker) => Store): Middleware {
	let broker: ServiceBroker;
	return {
		name: "Store",
		created(b: ServiceBroker) {
			broker = b;
			broker.store = factory(b);
		},
		async stopped() {
			await broker.store.close();
		}
	} as unknown as Middleware;
}
