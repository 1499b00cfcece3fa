import type { Plugin, RollupOptions } from "rollup";

export const MODULES: { [name: string]: string };
export const ES5: { [option: string]: unknown };
export const terserOptions: { [option: string]: unknown };
export function es5Minifier(share?: { debug: boolean }): Plugin;
declare const configs: RollupOptions[];
export default configs;
