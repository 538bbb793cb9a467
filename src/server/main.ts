// Starting the language server: dist/server.js (entry.ts), started by the VS Code client over IPC, and `paperlens lsp
// --stdio` (src/cli.ts) for any other editor. The index worker and the bundled corpus are found beside the bundle.
import * as path from 'node:path';
import { createConnection, ProposedFeatures, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver/node';
import { startServer, type ServerOptions } from './server';

function bundleOptions(): ServerOptions {
  return {
    workerFile: path.join(__dirname, 'libraryWorker.js'),
    bundledCorpus: path.resolve(__dirname, '..', 'corpus', 'papers.txt'),
  };
}

/** Over the transport the command line names (--node-ipc from the VS Code client, --stdio, --socket=N). */
export function runServerFromArguments(): void {
  startServer(createConnection(ProposedFeatures.all), bundleOptions());
}

/** Over standard input and output. */
export function runStdioServer(): void {
  startServer(createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout)), bundleOptions());
}
