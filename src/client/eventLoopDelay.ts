// How long the extension host's event loop was blocked while the library loaded or a cite was applied: the host is
// shared by every extension, so Paperlens measures what it costs there and logs the worst delay (one info line a
// phase: the end-to-end scale test reads it from the log).
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import type * as vscode from 'vscode';

export class EventLoopDelay {
  private histogram: IntervalHistogram | undefined;
  private phase: string | undefined;

  constructor(private readonly log: vscode.LogOutputChannel) {}

  /** Starts measuring a phase ("start", "reload", "cite"); a phase already running is ended first. */
  begin(phase: string): void {
    if (this.phase === phase) return;
    this.end();
    this.phase = phase;
    this.histogram = monitorEventLoopDelay({ resolution: 10 });
    this.histogram.enable();
  }

  measuring(phase: string): boolean {
    return this.phase === phase;
  }

  /** Ends the phase and logs its maximum delay. */
  end(): void {
    if (!this.histogram || !this.phase) return;
    this.histogram.disable();
    const maxMs = this.histogram.max / 1e6;
    this.log.info(`Extension host event-loop delay during ${this.phase}: max ${maxMs.toFixed(1)} ms, mean ${(this.histogram.mean / 1e6).toFixed(1)} ms`);
    this.histogram = undefined;
    this.phase = undefined;
  }
}
