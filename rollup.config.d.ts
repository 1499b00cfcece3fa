import type { RollupOptions } from "rollup";

export const MODULES: { [name: string]: string };
export function firmwareConfig(app: string, debug: boolean, kinds: string[]): RollupOptions;
declare const configs: RollupOptions[];
export default configs;
