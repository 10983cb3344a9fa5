/**
 * A progress bar on stderr for runs: steps over the chain's step budget (a stage that converges early
 * gives back the rest of its budget), the current stage, its temperature, max force and energy. On a
 * terminal it redraws one line at most 10 times a second; elsewhere (CI logs, pipes) it prints a line
 * at each stage and every 10 %.
 */
import type { EngineEvent } from '../engine/api.ts';

export class ProgressBar {
  private step = 0;
  private stage = '';
  private detail = '';
  private lastDraw = 0;
  private lastDecile = -1;
  private totalSteps: number;
  private completed = false;

  /** @param stageSteps step budget of each stage */
  constructor(
    private readonly stageSteps: readonly number[],
    private readonly out: NodeJS.WriteStream = process.stderr,
  ) {
    this.totalSteps = stageSteps.reduce((a, b) => a + b, 0);
  }

  /** Feeds an engine event. */
  update(e: EngineEvent): void {
    if (e.type === 'stage') {
      this.stage = e.name;
      this.totalSteps = e.step + this.stageSteps.slice(e.stage).reduce((a, b) => a + b, 0);
    }
    if (!this.stage) return;
    if (e.type === 'log') {
      this.step = e.record.step;
      const r = e.record;
      this.detail = `T ${r.temperature.toFixed(1)} K  fmax ${r.maxForce.toPrecision(3)} eV/Å  E ${(r.potentialEnergy + r.kineticEnergy).toFixed(4)} eV`;
    }
    if (e.type === 'end') {
      this.step = e.step;
      this.completed = e.reason === 'completed';
    }
    this.draw(e.type === 'end' || e.type === 'stage');
  }

  /** Ends the bar's line. */
  finish(): void {
    this.draw(true);
    if (this.out.isTTY) this.out.write('\n');
  }

  private draw(force: boolean): void {
    const fraction = this.completed || this.totalSteps === 0 ? 1 : Math.min(1, this.step / this.totalSteps);
    if (this.out.isTTY) {
      const now = Date.now();
      if (!force && now - this.lastDraw < 100) return;
      this.lastDraw = now;
      const width = 24;
      const full = Math.round(fraction * width);
      const bar = `${'█'.repeat(full)}${'░'.repeat(width - full)}`;
      this.out.write(
        `\r\x1b[2K${bar} ${(100 * fraction).toFixed(0).padStart(3)}%  step ${this.step}  ${this.stage}  ${this.detail}`,
      );
      return;
    }
    const decile = Math.floor(fraction * 10);
    if (decile === this.lastDecile && !force) return;
    this.lastDecile = decile;
    this.out.write(
      `${(100 * fraction).toFixed(0).padStart(3)}%  step ${this.step}  ${this.stage}  ${this.detail}\n`,
    );
  }
}
