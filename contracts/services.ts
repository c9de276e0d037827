/** Service names are public: operators type them in the REPL and in `SERVICES=`. */
export const ServiceNames = {
	Api: "api",
	DeadLetters: "dlq",
	Whatsapp: "whatsapp",
	Console: "console",
	SalesAssistant: "sales-assistant",
	Catalog: "catalog",
	Orders: "orders"
} as const;
export type ServiceName = (typeof ServiceNames)[keyof typeof ServiceNames];

export const aiSellerServiceName = (brand: string): string => `ai-seller-${brand}`;
/** The brands the product has an AI seller for (a service, a persona and a catalog each); a brands file may name and number them, not add others. */
export const SELLER_BRANDS = ["fashion", "tech", "home", "beauty", "gaming"] as const;

/** Channel names are the event types; dead letters of every channel share one store index. */
export const DEAD_LETTER_HEADERS = {
	/** Set on a replayed message so that only the group that failed handles it again. */
	TargetGroup: "x-target-group",
	ReplayOf: "x-replay-of"
} as const;
