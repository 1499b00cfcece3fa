// What the emulator throws through the program to stop it, as the device's interpreter stops
// execution: Ctrl-C, OUT OF MEMORY. The program's catch blocks re-throw it (syntax.ts adds
// that), so like on the device it cannot be caught.

export type InterruptReason = "ctrl-c" | "memory";

export class BoardInterrupt {
  /** It stopped a timer's or an event's callback (the device then says "during event processing"). */
  inEvent = false;
  constructor(readonly reason: InterruptReason) {}
}
