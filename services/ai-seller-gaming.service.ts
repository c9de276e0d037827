/** `ai-seller-gaming`: the gaming brand's AI seller (see ai-seller.factory.ts). */
import { createAiSellerService } from "./ai-seller.factory";

export default createAiSellerService("gaming");
