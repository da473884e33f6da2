import { total } from "./cart";
import { banner } from "@web/banner";
export const render = () => `${banner()} ${total([1, 2])}`;
