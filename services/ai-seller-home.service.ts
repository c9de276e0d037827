/** `ai-seller-home`: the home brand's AI seller (see ai-seller.factory.ts). */
import { createAiSellerService } from "./ai-seller.factory";

export default createAiSellerService("home");
