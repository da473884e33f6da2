export const banner = () => "shop";
