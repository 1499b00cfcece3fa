// Progress display for long work: on a terminal, one line redrawn with a spinner, the step
// and elapsed seconds; elsewhere (CI, pipes) one plain line per step.

const FRAMES = "|/-\\";

export class Progress {
  private step = "";
  private frame = 0;
  private readonly started = Date.now();
  private timer: NodeJS.Timeout | null = null;
  private readonly tty: boolean;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = Boolean(stream.isTTY);
    if (this.tty) this.timer = setInterval(() => this.draw(), 120);
  }

  update(step: string): void {
    if (step === this.step) return;
    this.step = step;
    if (this.tty) this.draw();
    else this.stream.write(`[${this.elapsed()}s] ${step}\n`);
  }

  done(message: string): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.tty) this.stream.write("\r\x1b[K");
    this.stream.write(`${message} (${this.elapsed()}s)\n`);
  }

  private elapsed(): string {
    return ((Date.now() - this.started) / 1000).toFixed(1);
  }

  private draw(): void {
    this.frame = (this.frame + 1) % FRAMES.length;
    this.stream.write(`\r\x1b[K${FRAMES[this.frame]} ${this.step} ${this.elapsed()}s`);
  }
}
