// The library as sources that change one at a time, for the process that owns it (the language server's worker).
//
//   const store = new LibraryStore({ keyFormula: 'authYearTitle' });
//   await store.setSource(bibSource, 0);          // the document's own .bib first: it wins duplicates
//   await store.setSources([{ source: big, priority: 10 }, { source: other, priority: 20 }]);
//   store.library.searchPage('graph anomaly', { limit: 20 });   // { hits, total }
//   await store.setSource(bibSourceWithOneMoreEntry, 0);         // only the difference is indexed
//   await store.removeSource('/path/gone.bib');
//   await store.loadFile('/path/refs.bib', 0);   // read through the SourceCache; half-written files retried
//   await store.abstractsIndexed();   // abstract search complete
//   await store.idle();               // nothing queued, every index complete and vacuumed
//   await store.save(folder, tag, relatedModel);   // true: written (warm start: LibraryStore.restore(folder) → no
//                                                   // parse, no indexing); false: a change came first, save again
//
// - `store.library` answers at any moment, from whatever is indexed: byKey, papers, origins, sources and size at
//   once; search by key, title, authors, year, venue and keywords once setSource has resolved; abstracts as
//   their background indexing gets to them (Library.abstractsIndexed says when all are in). Read `store.library`
//   for each query rather than keeping it: after a fallback rebuild it is another object.
// - setSource / setSources / removeSource replace whole sources (a file's papers, as loadCorpusFiles reads them).
//   Duplicates across sources are merged as Library.build merges them (the lower priority number wins; equal
//   priorities in order of arrival), and stay correct after any change: a paper shadowed by a removed source's
//   paper reappears. Only the papers whose fate changed touch the indexes (MiniSearch discard / add).
// - Every change goes through one queue; large ones are indexed in chunks with a macrotask between them, so the
//   thread that owns the store keeps answering queries. Abstracts are indexed after the fields, in chunks, behind
//   any source change. Discarded documents are vacuumed when the store is idle.
// - loadFile(file, priority) reads a corpus file through a SourceCache (parsed sources by fingerprint, on disk)
//   and sets it; a half-written file (an export in progress) keeps the previous papers and is read again later.
// - save(folder) / LibraryStore.restore(folder): every source with its file's stamp (content hash, size, time),
//   both indexes and the related-papers model when given, in a folder of parts (snapshot.ts); after a restore,
//   loadFile of an unchanged file only stats it (or hashes it, when its time changed or was too recent to trust).
//   A save writes in slices outside the queue: a change of the sources never waits for it but stops it (it
//   resolves false and leaves the previous snapshot); abstract indexing and vacuum wait for it.
// - An incremental update that throws is logged through `onEvent` and the library is rebuilt from its sources.
import type { FieldTermData } from './fieldSearch';
import { Library } from './library';
import { LibraryIndex, optionsHash, type IndexChange, type LibraryIndexParts, type LibraryOptions, type PrioritisedSource } from './libraryIndex';
import { papersFingerprintInSlices, readSnapshotFolder, writeSnapshotFolder } from './snapshot';
import type { CorpusSource } from './paper';
import { RelatedModel } from './related/model';
import { SlicedWork, WorkOvertaken } from './slicedWork';
import { incompleteReason, SourceCache, type FileStamp } from './sourceCache';

export interface StoreUpdate {
  /** Papers that entered the library (new, or no longer shadowed). */
  added: number;
  /** Papers that left it (removed, replaced, or now shadowed by another source's paper). */
  removed: number;
  /** From the call to the change being searchable by its fields. */
  millis: number;
  /** True when the incremental update failed and the library was rebuilt from its sources. */
  rebuilt: boolean;
}

/** What loadFile did: set the file's papers, or kept the previous ones and will read it again. */
export type FileLoad =
  | { status: 'set'; fromCache: boolean; update: StoreUpdate }
  | { status: 'retrying'; reason: string; attempt: number; retryInMs: number }
  /** Another loadFile or removeSource of the file came while this one read it: that one decides. */
  | { status: 'superseded' }
  /** The file's bytes are those its papers were read from (after a restore, too): nothing to do. */
  | { status: 'unchanged' };

export type StoreEvent =
  | { type: 'progress'; phase: 'fields' | 'abstracts'; done: number; total: number }
  | { type: 'incomplete'; file: string; reason: string; attempt: number; retryInMs: number }
  | { type: 'updated'; update: StoreUpdate }
  | { type: 'vacuumed'; documents: number; millis: number }
  | { type: 'rebuilding'; reason: string }
  /** restore found a snapshot it cannot use (damaged, another version or options): the caller reads afresh. */
  | { type: 'snapshotIgnored'; folder: string; reason: string };

export interface StoreOptions extends LibraryOptions {
  /** Papers indexed between two yields to the event loop; 2,000 when not given (~50–150 ms of work). */
  chunkSize?: number;
  /** Discarded documents that make an idle store vacuum; 1,000 when not given. */
  vacuumThreshold?: number;
  onEvent?: (event: StoreEvent) => void;
  /** Where loadFile reads files; a SourceCache without a folder (parse every time) when not given. */
  sourceCache?: SourceCache;
  /** Wait before reading a half-written file again; 2,000 ms when not given. */
  retryMs?: number;
  /** Reads of a file that keeps looking half-written before it is taken as it is; 5 when not given. */
  retries?: number;
}

const DEFAULT_CHUNK = 2_000;
const DEFAULT_VACUUM_THRESHOLD = 1_000;
const DEFAULT_RETRY_MS = 2_000;
const DEFAULT_RETRIES = 5;

/** Lets queued messages (queries) run between two chunks of indexing. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class LibraryStore {
  private data: LibraryIndex;
  private view: Library;
  /** The sources as last set, for a rebuild. */
  private readonly sources = new Map<string, PrioritisedSource>();
  /** Stamp (content hash, size, time) of the file each source was read from, as set or restored. */
  private readonly stamps = new Map<string, FileStamp>();
  /** Ids whose abstracts wait to be indexed, in library order. */
  private pendingAbstracts: number[] = [];
  private abstractsRunning: Promise<void> | undefined;
  private tail: Promise<unknown> = Promise.resolve();
  /** Counts changes of the sources; a save that sees it move is overtaken (checked after each of its turns). */
  private changes = 0;
  /** Saves writing now, outside the queue: background work (abstracts, vacuum) waits for them. */
  private readonly savesWriting = new Set<Promise<boolean>>();
  private readonly chunkSize: number;
  private readonly vacuumThreshold: number;
  private readonly sourceCache: SourceCache;
  /** Pending re-reads of half-written files. */
  private readonly retryTimers = new Map<string, ReturnType<typeof setTimeout>>();
  /** Counts loadFile and removeSource calls per file, so a slow read finishing late does not win. */
  private readonly generations = new Map<string, number>();

  constructor(private readonly options: StoreOptions = {}, restored?: LibraryIndex) {
    this.data = restored ?? LibraryIndex.empty(options);
    this.view = new Library(this.data);
    this.chunkSize = Math.max(1, options.chunkSize ?? DEFAULT_CHUNK);
    this.vacuumThreshold = options.vacuumThreshold ?? DEFAULT_VACUUM_THRESHOLD;
    this.sourceCache = options.sourceCache ?? new SourceCache(undefined);
  }

  get library(): Library {
    return this.view;
  }

  /** Each source's file and priority, as set (or restored). */
  get sourcePriorities(): Map<string, number> {
    return new Map([...this.sources].map(([file, { priority }]) => [file, priority]));
  }

  setSource(source: CorpusSource, priority: number): Promise<StoreUpdate> {
    return this.setSources([{ source, priority }]);
  }

  /**
   * Adds these sources or replaces those of the same files; resolves once their fields are searchable. `stamps`:
   * of the files they were read from (sourceCache.fileStamp, taken before reading), so that loadFile, after a
   * save and restore too, knows them unchanged.
   */
  setSources(sources: PrioritisedSource[], stamps: ReadonlyMap<string, FileStamp> = new Map()): Promise<StoreUpdate> {
    return this.update(() => {
      for (const prioritised of sources) {
        const file = prioritised.source.file;
        this.sources.set(file, prioritised);
        const stamp = stamps.get(file);
        if (stamp) this.stamps.set(file, stamp);
        else this.stamps.delete(file);
      }
      return this.data.setSources(sources);
    });
  }

  /**
   * Reads `file` (through the source cache: unchanged bytes are not parsed again) and sets its papers. A read
   * that looks half-written (sourceCache.incompleteReason: no papers, or far fewer with problems, where there
   * were some) keeps the previous papers and is read again after `retryMs`, up to `retries` times; after that the
   * file is taken as it is. A later loadFile or removeSource of the file cancels a pending re-read.
   */
  async loadFile(file: string, priority: number, attempt = 0): Promise<FileLoad> {
    this.cancelRetry(file);
    const generation = this.nextGeneration(file);
    const current = this.sources.get(file);
    const known = current?.priority === priority ? this.stamps.get(file) : undefined;
    const read = await this.sourceCache.readIfChanged(file, known);
    if (this.generations.get(file) !== generation) return { status: 'superseded' };
    if (!read) return { status: 'unchanged' };
    const reason = incompleteReason(read.source, this.sources.get(file)?.source);
    const retries = this.options.retries ?? DEFAULT_RETRIES;
    if (reason !== undefined && attempt < retries) {
      const retryInMs = this.options.retryMs ?? DEFAULT_RETRY_MS;
      this.emit({ type: 'incomplete', file, reason, attempt: attempt + 1, retryInMs });
      const timer = setTimeout(() => {
        this.retryTimers.delete(file);
        void this.loadFile(file, priority, attempt + 1);
      }, retryInMs);
      this.retryTimers.set(file, timer);
      return { status: 'retrying', reason, attempt: attempt + 1, retryInMs };
    }
    const update = await this.update(() => {
      this.sources.set(file, { source: read.source, priority });
      if (read.fingerprint) {
        const { hash, size, mtimeMs, hashedAt } = read.fingerprint;
        this.stamps.set(file, { hash, size, mtimeMs, hashedAt });
      } else this.stamps.delete(file);
      return this.data.setSources([{ source: read.source, priority }]);
    });
    return { status: 'set', fromCache: read.fromCache, update };
  }

  /**
   * Writes the library to `folder` (snapshot.ts, folder layout) once the changes queued before are applied, so
   * that `LibraryStore.restore` starts from it without parsing or indexing. Abstracts not yet indexed are
   * indexed after a restore. It writes in slices of a few milliseconds (queries are answered between them) and
   * outside the queue: a change never waits for it. A change of the sources (setSource, setSources, loadFile,
   * removeSource) that comes while it writes overtakes it: the save stops, removes what it wrote and resolves
   * false, the previous snapshot untouched; save again to write the changed library. True once written.
   * Abstract indexing and vacuum wait for a save that writes.
   */
  save(folder: string, tag = '', related?: RelatedModel): Promise<boolean> {
    // One save at a time: two into one folder would write the same .partial folder.
    const saved = this.lastSave.then(() => this.saveNow(folder, tag, related));
    this.lastSave = saved.catch(() => undefined);
    return saved;
  }

  private lastSave: Promise<unknown> = Promise.resolve();

  private async saveNow(folder: string, tag: string, related: RelatedModel | undefined): Promise<boolean> {
    let writing: Promise<boolean> | undefined;
    await this.exclusive(async () => {
      const began = this.changes;
      const work = new SlicedWork(() => this.changes !== began);
      writing = this.write(folder, tag, related, work);
      this.savesWriting.add(writing);
    });
    const written = writing as Promise<boolean>;
    try {
      return await written;
    } finally {
      this.savesWriting.delete(written);
    }
  }

  private async write(folder: string, tag: string, related: RelatedModel | undefined, work: SlicedWork): Promise<boolean> {
    const data = this.data;
    let parts: LibraryIndexParts;
    let fits: boolean;
    try {
      // A model of other papers (built before a change) would be refused by the next restore: not written.
      fits = related !== undefined && related.fingerprint === (await papersFingerprintInSlices(data.papersInOrder(), work));
      parts = await data.partsToSave(work);
    } catch (error) {
      if (error instanceof WorkOvertaken) return false;
      throw error;
    }
    return writeSnapshotFolder(folder, parts, this.stamps, optionsHash(this.options), tag, fits ? related?.toParts() : undefined, work);
  }

  /** Loads the related-papers model saved with the restored library (undefined when it was not, or does not fit). */
  private restoredRelated: (() => Promise<RelatedModel | undefined>) | undefined;

  /**
   * The restored related model, once: whoever builds the ranking's index takes it (and the store lets it go). Its
   * parts are read when it is taken, after the library answers; undefined when none was saved with these papers.
   */
  takeRestoredRelated(): Promise<RelatedModel | undefined> {
    const load = this.restoredRelated;
    this.restoredRelated = undefined;
    return load ? load() : Promise.resolve(undefined);
  }

  /**
   * The store saved in `folder`, or undefined when there is none for these options and tag (or it is damaged: then
   * a `snapshotIgnored` event says why).
   * Then loadFile of each corpus file costs a read and a hash for an unchanged file, and a changed one only itself.
   */
  static async restore(folder: string, options: StoreOptions = {}, tag = ''): Promise<LibraryStore | undefined> {
    const saved = await readSnapshotFolder(folder, optionsHash(options), tag);
    if ('missing' in saved) return undefined;
    if ('ignored' in saved) {
      options.onEvent?.({ type: 'snapshotIgnored', folder, reason: saved.ignored });
      return undefined;
    }
    let data: LibraryIndex;
    try {
      data = LibraryIndex.fromState(saved.state, options);
    } catch (error) {
      options.onEvent?.({ type: 'snapshotIgnored', folder, reason: error instanceof Error ? error.message : String(error) });
      return undefined;
    }
    const store = new LibraryStore(options, data);
    const { related } = saved;
    if (related) {
      const papers = data.papersInOrder();
      store.restoredRelated = async () => {
        const parts = await related();
        return parts && RelatedModel.fromParts(parts, papers);
      };
    }
    for (const { source, priority } of saved.state.sources) store.sources.set(source.file, { source, priority });
    for (const [file, stamp] of saved.stamps) store.stamps.set(file, stamp);
    store.pendingAbstracts = data.papersInOrder().flatMap((paper) => {
      const id = data.idOf(paper.key) as number;
      return data.abstractIndex.has(id) ? [] : [id];
    });
    store.startAbstracts();
    return store;
  }

  /** Stops pending re-reads of half-written files. */
  dispose(): void {
    for (const file of [...this.retryTimers.keys()]) this.cancelRetry(file);
  }

  removeSource(file: string): Promise<StoreUpdate> {
    this.cancelRetry(file);
    this.nextGeneration(file);
    return this.update(() => {
      this.sources.delete(file);
      this.stamps.delete(file);
      return this.data.removeSources([file]);
    });
  }

  /** Resolves when every paper's abstract is indexed (at once when none wait). */
  async abstractsIndexed(): Promise<void> {
    await this.tail;
    while (this.abstractsRunning) {
      await this.abstractsRunning;
      await this.tail;
    }
  }

  /** Resolves when nothing is queued, every abstract is indexed and discarded documents are vacuumed. */
  async idle(): Promise<void> {
    await this.abstractsIndexed();
    if (this.data.dirt > 0) await this.background(() => this.vacuum());
  }

  /** Runs `task` after every change queued before it; changes queued after it wait for it. */
  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.catch(() => undefined);
    return run;
  }

  /**
   * Runs background work (a chunk of abstracts, a vacuum) in the queue once no save is writing, so that only a change
   * of the sources overtakes a save.
   */
  private async background(task: () => Promise<void> | void): Promise<void> {
    for (;;) {
      while (this.savesWriting.size > 0) await Promise.allSettled(this.savesWriting);
      const ran = await this.exclusive(async () => {
        // A save that began writing after the wait above: wait for it again.
        if (this.savesWriting.size > 0) return false;
        await task();
        return true;
      });
      if (ran) return;
    }
  }

  private update(change: () => IndexChange): Promise<StoreUpdate> {
    return this.exclusive(async () => {
      // Before anything changes: a save writing now stops at its next turn, before it reads the library again.
      this.changes++;
      const started = performance.now();
      let rebuilt = false;
      let applied: IndexChange;
      try {
        applied = change();
        this.data.discard(applied.removed);
        await this.indexFields(this.data, applied.added);
      } catch (error) {
        this.emit({ type: 'rebuilding', reason: error instanceof Error ? error.message : String(error) });
        applied = await this.rebuild();
        rebuilt = true;
      }
      this.pendingAbstracts.push(...applied.added);
      const update: StoreUpdate = { added: applied.added.length, removed: applied.removed.length, millis: performance.now() - started, rebuilt };
      this.emit({ type: 'updated', update });
      this.startAbstracts();
      return update;
    });
  }

  /** A fresh index of every source, swapped in once its fields are indexed; the old one answers until then. */
  private async rebuild(): Promise<IndexChange> {
    const data = LibraryIndex.empty(this.options);
    const change = data.setSources([...this.sources.values()]);
    await this.indexFields(data, change.added);
    this.data = data;
    this.view = new Library(data);
    this.pendingAbstracts = [];
    return { removed: [], added: change.added };
  }

  private async indexFields(data: LibraryIndex, ids: number[]): Promise<void> {
    // Queries between the chunks only read the index; the next change waits in the queue.
    const terms = new Map<string, FieldTermData>();
    for (let start = 0; start < ids.length; start += this.chunkSize) {
      if (start > 0) await yieldToEventLoop();
      data.indexFields(ids.slice(start, start + this.chunkSize), terms);
      if (ids.length > this.chunkSize) this.emit({ type: 'progress', phase: 'fields', done: Math.min(ids.length, start + this.chunkSize), total: ids.length });
    }
  }

  /** The background loop: a chunk of abstracts at a time, each its own turn in the queue. */
  private startAbstracts(): void {
    if (this.abstractsRunning || this.pendingAbstracts.length === 0) return;
    this.abstractsRunning = (async () => {
      try {
        while (this.pendingAbstracts.length > 0) {
          await yieldToEventLoop();
          await this.background(() => {
            const chunk = this.pendingAbstracts.splice(0, this.chunkSize);
            this.data.indexAbstracts(chunk);
            this.emit({ type: 'progress', phase: 'abstracts', done: this.data.abstractIndex.documentCount, total: this.data.size });
          });
        }
        if (this.data.dirt >= this.vacuumThreshold) await this.background(() => this.vacuum());
      } finally {
        this.abstractsRunning = undefined;
      }
      // A change that arrived after the loop's last look at the queue.
      this.startAbstracts();
    })();
  }

  private async vacuum(): Promise<void> {
    const started = performance.now();
    const documents = this.data.dirt;
    await this.data.vacuum();
    this.emit({ type: 'vacuumed', documents, millis: performance.now() - started });
  }

  private nextGeneration(file: string): number {
    const generation = (this.generations.get(file) ?? 0) + 1;
    this.generations.set(file, generation);
    return generation;
  }

  private cancelRetry(file: string): void {
    const timer = this.retryTimers.get(file);
    if (timer !== undefined) clearTimeout(timer);
    this.retryTimers.delete(file);
  }

  private emit(event: StoreEvent): void {
    this.options.onEvent?.(event);
  }
}
