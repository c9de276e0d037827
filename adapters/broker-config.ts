import type { ServiceBroker } from "moleculer";
import { getConfig, type Config } from "../config";

/** The config of the broker a service runs on (see `BrokerOptions.config`). */
export function brokerConfig(broker: ServiceBroker): Config {
	return broker.options.config ?? getConfig();
}
