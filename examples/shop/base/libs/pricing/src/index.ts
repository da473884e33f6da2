export const price = (cents: number) => Math.round(cents * 1.2);
