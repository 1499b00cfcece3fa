import type { RollupOptions } from "rollup";

export const MODULES: { [name: string]: string };
export const ES5: { [option: string]: unknown };
export const terserOptions: { [option: string]: unknown };
declare const configs: RollupOptions[];
export default configs;
