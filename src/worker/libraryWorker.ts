// The worker thread that owns a library: it reads (or takes from the snapshot) and indexes the corpus, says when it
// is ready, then answers the server's queries over postMessage. A rebuild is a new worker; the old one answers until
// the new one is ready, so no query ever waits for a build and no index is serialised to move between threads.
import { parentPort, workerData } from 'node:worker_threads';
import { answer, libraryQueries } from '../server/libraryQueries';
import { loadLibrary } from './buildSnapshot';
import type { IndexRequest, LibraryWorkerMessage, LibraryWorkerReply } from './protocol';

const request = workerData as IndexRequest;
const post = (reply: LibraryWorkerReply) => parentPort?.postMessage(reply);

loadLibrary(request, (message) => post({ type: 'progress', message })).then(
  async (loaded) => {
    const queries = libraryQueries(loaded.library);
    const problems = loaded.library.sources.reduce((sum, source) => sum + source.problems.length, 0);
    parentPort?.on('message', (message: LibraryWorkerMessage) => {
      try {
        post({ type: 'answer', id: message.id, result: answer(queries, message.query) });
      } catch (error) {
        post({ type: 'answer', id: message.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      }
    });
    post({
      type: 'ready',
      size: loaded.library.size,
      sources: loaded.library.sources.length,
      problems,
      problemList: loaded.library.sources.flatMap((source) => source.problems),
      fromCache: loaded.fromCache,
      millis: loaded.millis,
    });
    // After ready: queries are answered first, the snapshot for the next start is written when they let it.
    const cacheWarning = await loaded.saveSnapshot();
    if (cacheWarning) post({ type: 'cacheWarning', message: cacheWarning });
  },
  (error: unknown) =>
    post(error instanceof Error ? { type: 'error', message: error.message, stack: error.stack } : { type: 'error', message: String(error) }),
);
