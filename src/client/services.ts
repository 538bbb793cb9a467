// The one service object: built in activate(), handed to every feature's register(). No globals.
import type * as vscode from 'vscode';
import type { EventLoopDelay } from './eventLoopDelay';
import type { PaperlensServer } from './server';

export interface Services {
  readonly context: vscode.ExtensionContext;
  /** The language server that owns the library: every question about papers goes to it. */
  readonly server: PaperlensServer;
  readonly log: vscode.LogOutputChannel;
  /** Measures the extension host's event-loop delay during loads and cites (logged, one line a phase). */
  readonly eventLoopDelay: EventLoopDelay;
}
