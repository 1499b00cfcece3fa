// The device's setTimeout/setInterval on host timers. Callbacks are run through the board's
// task runner (which prints uncaught errors and the prompt), never directly.

interface Timer {
  handle: NodeJS.Timeout;
  fn: () => void;
  repeat: boolean;
}

export class BoardTimers {
  private readonly timers = new Map<number, Timer>();

  constructor(private readonly runTask: (fn: () => void, id: number, repeat: boolean) => void) {}

  add(fn: () => void, ms: number, repeat: boolean): number {
    // As the device's jsiTimerAdd: one more than the newest timer's id, or 1 when none is left.
    let id = 1;
    for (const k of this.timers.keys()) id = Math.max(id, k + 1);
    this.timers.set(id, { handle: this.schedule(id, ms, repeat), fn, repeat });
    return id;
  }

  clear(id: number): void {
    const t = this.timers.get(id);
    if (!t) return;
    clearTimeout(t.handle);
    this.timers.delete(id);
  }

  /** False when there is no such timer (the device then throws "Unknown Interval"). */
  change(id: number, ms: number): boolean {
    const t = this.timers.get(id);
    if (!t) return false;
    clearTimeout(t.handle);
    t.handle = this.schedule(id, ms, t.repeat);
    return true;
  }

  /** The callbacks of the timers now set (the memory model counts what they keep alive). */
  callbacks(): Array<{ fn: () => void; repeat: boolean }> {
    return [...this.timers.values()].map((t) => ({ fn: t.fn, repeat: t.repeat }));
  }

  clearAll(): void {
    for (const t of this.timers.values()) clearTimeout(t.handle);
    this.timers.clear();
  }

  private schedule(id: number, ms: number, repeat: boolean): NodeJS.Timeout {
    const fire = (): void => {
      const t = this.timers.get(id);
      if (!t) return;
      if (!t.repeat) this.timers.delete(id);
      this.runTask(t.fn, id, t.repeat);
    };
    const delayMs = Math.max(repeat ? 1 : 0, ms || 0);
    return repeat ? setInterval(fire, delayMs) : setTimeout(fire, delayMs);
  }
}
