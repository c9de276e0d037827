/**
 * Every service of the product by its public name. `SERVICES=a,b` picks some of them for a
 * process (docker-compose splits the product this way); unset, a process runs them all.
 */
import type { ServiceSchema } from "moleculer";
import ApiService from "../gateway/api.service";
import DlqService from "./dlq.service";
import CatalogService from "./catalog.service";
import OrdersService from "./orders.service";
import WhatsappService from "../gateway/whatsapp.service";
import ConsoleService from "../gateway/console.service";
import AiSellerFashion from "./ai-seller-fashion.service";
import AiSellerTech from "./ai-seller-tech.service";
import AiSellerHome from "./ai-seller-home.service";
import AiSellerBeauty from "./ai-seller-beauty.service";
import AiSellerGaming from "./ai-seller-gaming.service";
import SalesAssistantService from "./sales-assistant.service";

export const serviceCatalog: ServiceSchema[] = [ApiService, DlqService, WhatsappService, ConsoleService, CatalogService, OrdersService, AiSellerFashion, AiSellerTech, AiSellerHome, AiSellerBeauty, AiSellerGaming, SalesAssistantService];

export class UnknownServiceError extends Error {
	constructor(readonly names: string[]) {
		super(`SERVICES=${names.join(",")} names unknown service(s): expected some of ${serviceCatalog.map(s => s.name).join(", ")}`);
	}
}

export function selectServices(names: string[] | null, catalog: ServiceSchema[] = serviceCatalog): ServiceSchema[] {
	if (!names) return catalog;
	const unknown = names.filter(n => !catalog.some(s => s.name === n));
	if (unknown.length) throw new UnknownServiceError(unknown);
	return catalog.filter(s => names.includes(s.name));
}
