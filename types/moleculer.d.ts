import type { Store } from "../adapters/store/store";
import type { Config } from "../config";

declare module "moleculer" {
	interface BrokerOptions {
		/**
		 * The configuration this broker was built from. Services read it from here rather than from
		 * the process-wide config, so several brokers with different configs can share a process.
		 * It stays local: broker options never cross the transporter.
		 */
		config?: Config;
	}

	interface ServiceBroker {
		/** Added by the Store middleware. */
		store: Store;
		/** Added by the channels middleware. */
		sendToChannel(channel: string, payload: unknown, opts?: { headers?: Record<string, string>; raw?: boolean }): Promise<void>;
		channelAdapter: {
			connected: boolean;
			parseMessageHeaders(raw: unknown): Record<string, string> | null;
		};
	}
}
