import { price } from "@shop/pricing";
export const total = (items: number[]) => items.map(price).reduce((a, b) => a + b, 0);
