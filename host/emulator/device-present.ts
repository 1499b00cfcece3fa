// Built-ins that host/rules/espruino-rules.ts lists as missing but the device has: looked up on
// the interpreter built from source (2v29; its ChangeLog adds globalThis in 2v22, Object.fromEntries
// and Math.sign earlier). The emulator keeps V8's versions of these instead of removing them.
export const PRESENT_ON_DEVICE: ReadonlySet<string> = new Set(["globalThis", "Math.sign", "Object.fromEntries"]);
