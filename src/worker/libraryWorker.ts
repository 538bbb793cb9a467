// The worker thread that owns the library: a LibraryStore (core/libraryStore) fed with the corpus files, indexed in
// chunks so it keeps answering the server's queries (postMessage) while it indexes. A changed file costs only itself
// (read through the source cache, its papers replaced in the index); a half-written file keeps the papers it had and
// is read again. A full re-read (Rebuild Library, another key formula) is a new worker, the old one answering until
// the new one is ready.
// Warm start: the library is saved in cacheDir/library (snapshot.ts) a while after every change, here, off the
// extension host. A new worker restores it and answers at once ("(snapshot)"), then checks each file (an unchanged
// one costs a stat, or a hash when its time changed) and reads only those that changed. Rebuild Library discards it.
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { LibraryStore, type StoreEvent } from '../core/libraryStore';
import { loadCorpusFiles } from '../core/load';
import { fileStamp, SourceCache, type FileStamp } from '../core/sourceCache';
import { answer, libraryQueries, type LibraryQuery } from '../server/libraryQueries';
import { CANCELLED, type LibraryWorkerMessage, type LibraryWorkerReply, type LibraryWorkerSetup } from './protocol';

const setup = workerData as LibraryWorkerSetup;
const post = (reply: LibraryWorkerReply) => parentPort?.postMessage(reply);
/** Priorities leave room between files: a lower number wins duplicates (the user's own .bib first). */
const PRIORITY_STEP = 10;

/**
 * Papers indexed between two looks at the queue of queries: a query waits at most one chunk. Measured on the ACL
 * anthology on the (loaded) development machine: the fields of 1,000 papers took ~0.5 s a chunk, so a quarter.
 */
const CHUNK_SIZE = 250;
/** Progress is posted at most this often: a chunk a few milliseconds long would flood the status bar. */
const PROGRESS_INTERVAL_MS = 250;
let lastProgress = 0;
const onEvent = (event: StoreEvent) => {
  if (event.type === 'progress') {
    const now = performance.now();
    if (now - lastProgress < PROGRESS_INTERVAL_MS && event.done < event.total) return;
    lastProgress = now;
    post({ type: 'progress', message: event.phase === 'fields' ? 'indexing' : 'indexing abstracts', done: event.done, total: event.total });
  } else if (event.type === 'incomplete') post({ type: 'log', level: 'warn', message: `${event.file} looks half-written (${event.reason}); its papers stay and it is read again in ${event.retryInMs} ms` });
  else if (event.type === 'rebuilding') post({ type: 'log', level: 'warn', message: `An incremental update failed (${event.reason}); the library is rebuilt from its sources` });
  else if (event.type === 'snapshotIgnored') post({ type: 'log', level: 'info', message: `The saved library in ${event.folder} was ignored (${event.reason}); every file is read` });
};
const storeOptions = {
  keyFormula: setup.keyFormula,
  chunkSize: CHUNK_SIZE,
  onEvent,
  sourceCache: new SourceCache(setup.cacheDir && path.join(setup.cacheDir, 'sources'), setup.cacheTag),
};
/** Where the library is saved for the next session's warm start; nowhere without a cache folder. */
const snapshotFolder = setup.cacheDir && path.join(setup.cacheDir, 'library');
const snapshotTag = setup.cacheTag ?? '';
let store = new LibraryStore(storeOptions);
/** The files of the library in priority order. */
let files: string[] = [];
/** Files restored from the snapshot whose bytes are not checked yet (the first setFiles checks them). */
let unchecked: Set<string> | undefined;
const opened = openStore();

/** The saved library, when there is one for these options; Rebuild Library discards it first. */
async function openStore(): Promise<void> {
  if (!snapshotFolder) return;
  if (setup.fresh) {
    await rm(snapshotFolder, { recursive: true, force: true });
    return;
  }
  const restored = await LibraryStore.restore(snapshotFolder, storeOptions, snapshotTag);
  if (!restored) return;
  store = restored;
  const priorities = restored.sourcePriorities;
  files = [...priorities.keys()].sort((a, b) => (priorities.get(a) as number) - (priorities.get(b) as number));
  unchecked = new Set(files);
}

/** Saves the library a while after the last change, once its abstracts are indexed. */
const SAVE_DELAY_MS = 2_000;
let saveTimer: ReturnType<typeof setTimeout> | undefined;
let saving: Promise<void> = Promise.resolve();
/**
 * The library differs from the saved one. A warm start that finds every file unchanged saves nothing: writing
 * 100 MB again would hold the worker (and the queries waiting on it) for seconds right after it said ready.
 */
let unsaved = false;
function scheduleSave(): void {
  if (!snapshotFolder || !unsaved) return;
  clearTimeout(saveTimer);
  saveTimer = setTimeout(() => {
    saving = saving.then(() => saveSnapshot(snapshotFolder));
  }, SAVE_DELAY_MS);
}

async function saveSnapshot(folder: string): Promise<void> {
  try {
    await store.abstractsIndexed();
    unsaved = false;
    const started = performance.now();
    // The related model of these papers goes with them (its build awaited when still running): a warm start then
    // builds none.
    const answers = currentQueries();
    await answers.prepareRelated();
    if (await store.save(folder, snapshotTag, answers.builtModel())) {
      post({ type: 'log', level: 'info', message: `Library saved for the next start: ${store.library.size} papers in ${Math.round(performance.now() - started)} ms` });
    } else {
      // A change came first (it never waits for a save): the library is saved again a while after it.
      unsaved = true;
      post({ type: 'log', level: 'info', message: `Saving the library gave way to a change; it is saved again ${SAVE_DELAY_MS / 1000} s after the last one` });
      scheduleSave();
    }
  } catch (error) {
    unsaved = true;
    post({ type: 'log', level: 'warn', message: `Saving the library for the next start failed: ${error instanceof Error ? error.message : String(error)}` });
  }
}
/** Queries of the library as it is now; rebuilt when the store's view changes (a fallback rebuild). */
let queries: { library: unknown; answers: ReturnType<typeof libraryQueries> } | undefined;
const currentQueries = (): ReturnType<typeof libraryQueries> => {
  if (queries?.library !== store.library) queries = { library: store.library, answers: libraryQueries(store.library, store.takeRestoredRelated()) };
  return queries.answers;
};

function summary() {
  const library = store.library;
  const problemList = library.sources.flatMap((source) => source.problems);
  return { size: library.size, sources: library.sources.length, problems: problemList.length, problemList };
}

/** Sets the library's files: those gone are removed, those new or moved are read (all at once: @string and crossref across files). */
async function setFiles(id: number, next: string[]): Promise<void> {
  const started = performance.now();
  await opened;
  const restored = unchecked;
  unchecked = undefined;
  const known = new Set(files);
  const priorities = store.sourcePriorities;
  const removed = files.filter((file) => !next.includes(file));
  const moved = next.filter((file, index) => known.has(file) && priorities.get(file) !== index * PRIORITY_STEP);
  const added = next.filter((file) => !known.has(file));
  files = next;
  for (const file of removed) await store.removeSource(file);
  if (added.length > 0 || moved.length > 0) {
    post({ type: 'progress', message: `reading ${added.length + moved.length} corpus file${added.length + moved.length === 1 ? '' : 's'}` });
    const toRead = [...added, ...moved].sort((a, b) => next.indexOf(a) - next.indexOf(b));
    // Hashed before they are read: bytes that change meanwhile differ from the hash, so the next check reads them.
    const stamps = new Map<string, FileStamp>();
    for (const file of toRead) {
      const stamp = await fileStamp(file);
      if (stamp) stamps.set(file, stamp);
    }
    const sources = await loadCorpusFiles(toRead);
    await store.setSources(
      sources.map((source) => ({ source, priority: next.indexOf(source.file) * PRIORITY_STEP })),
      stamps,
    );
  }
  post({ type: 'loaded', id, ...summary(), millis: Math.round(performance.now() - started), fromSnapshot: restored !== undefined });
  prepareRelated();
  if (restored === undefined || removed.length > 0 || added.length > 0 || moved.length > 0) unsaved = true;
  if (restored) {
    // Files that changed while no session watched them: each read alone, the rest cost a stat or a hash.
    for (const file of next) if (restored.has(file) && !moved.includes(file)) await fileChanged(file);
    if (!unsaved && snapshotFolder) post({ type: 'log', level: 'info', message: 'Every file is as the saved library read it: nothing to save' });
  }
  scheduleSave();
}

/**
 * Builds the related-papers index once the library is ready or changed, a slice at a time between queries (the
 * previous index answers meanwhile).
 */
function prepareRelated(): void {
  currentQueries()
    .prepareRelated()
    .catch((error: unknown) => post({ type: 'log', level: 'error', message: `Building the related-papers index failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}` }));
}

/** One file changed on disk: only it is read again and its papers replaced. */
async function fileChanged(file: string): Promise<void> {
  const priority = files.indexOf(file);
  if (priority < 0) return;
  const loaded = await store.loadFile(file, priority * PRIORITY_STEP);
  if (loaded.status !== 'set') return;
  post({ type: 'updated', file, added: loaded.update.added, removed: loaded.update.removed, millis: Math.round(loaded.update.millis), rebuilt: loaded.update.rebuilt, ...summary() });
  prepareRelated();
  unsaved = true;
  scheduleSave();
}

/**
 * Queries not answered yet, in arrival order; one is answered a turn, so cancellations that arrive meanwhile count.
 * A query that waits for something (the first related-papers index) answers when it comes, the others go on.
 */
const waitingQueries = new Map<number, LibraryQuery>();
let answering = false;
function answerNextQuery(): void {
  if (answering) return;
  answering = true;
  setImmediate(() => {
    answering = false;
    const next = waitingQueries.entries().next();
    if (next.done) return;
    const [id, query] = next.value;
    waitingQueries.delete(id);
    const fail = (error: unknown) => post({ type: 'answer', id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
    try {
      const result = answer(currentQueries(), query);
      if (result instanceof Promise) result.then((value: unknown) => post({ type: 'answer', id, result: value }), fail);
      else post({ type: 'answer', id, result });
    } catch (error) {
      fail(error);
    }
    if (waitingQueries.size > 0) answerNextQuery();
  });
}

parentPort?.on('message', (message: LibraryWorkerMessage) => {
  switch (message.type) {
    case 'query':
      waitingQueries.set(message.id, message.query);
      answerNextQuery();
      break;
    case 'cancel':
      // Cancelled before its turn: never run (a completion asked on every keystroke is outdated by the next one).
      if (waitingQueries.delete(message.id)) post({ type: 'answer', id: message.id, error: CANCELLED });
      break;
    case 'setFiles':
      setFiles(message.id, message.files).catch((error: unknown) =>
        post({ type: 'failed', id: message.id, message: error instanceof Error ? error.message : String(error), stack: error instanceof Error ? error.stack : undefined }),
      );
      break;
    case 'fileChanged':
      fileChanged(message.file).catch((error: unknown) => post({ type: 'log', level: 'error', message: `Updating ${message.file} failed: ${String(error)}` }));
      break;
  }
});
