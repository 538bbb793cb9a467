// Parses and indexes the corpus off the extension host's thread (one thread shared by every extension),
// and keeps a snapshot on disk so a warm start neither re-parses nor re-indexes.
import { parentPort, workerData } from 'node:worker_threads';
import { buildLibrarySnapshot } from './buildSnapshot';
import type { IndexReply, IndexRequest } from './protocol';

const request = workerData as IndexRequest;
const post = (reply: IndexReply) => parentPort?.postMessage(reply);

buildLibrarySnapshot(request, (message) => post({ type: 'progress', message })).then(
  (result) => post({ type: 'done', ...result }),
  (error: unknown) =>
    post(error instanceof Error ? { type: 'error', message: error.message, stack: error.stack } : { type: 'error', message: String(error) }),
);
