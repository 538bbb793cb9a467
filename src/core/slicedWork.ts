// Long work on a thread that also answers queries (the library worker saving the library): done in slices of a few
// milliseconds with a macrotask between them, so queued messages run, and given up as soon as what it reads changed.
//
//   const work = new SlicedWork(() => store.changed);
//   for (const item of items) {
//     handle(item);
//     if (work.due) await work.yield();   // throws WorkOvertaken when `overtaken()` says so after the turn
//   }
//   await work.after(writeFile(file, text)); // an await of I/O is a turn too: checked the same way
//
// A loop checks `due` (a clock read), not an await per item: an await is a microtask, and 100k of them cost more
// than the slices they cut.

/** Thrown out of a SlicedWork's yield or after when what the work reads changed during the turn. */
export class WorkOvertaken extends Error {
  constructor() {
    super('overtaken by a change');
  }
}

/** Milliseconds of work between two turns: queries wait at most about this long. */
const SLICE_MS = 5;

export class SlicedWork {
  private sliceStarted = performance.now();

  /**
   * `overtaken()`: true once what the work reads has changed (checked after every turn, before it reads again).
   * `sliceMs`: 0 yields after every item.
   */
  constructor(
    private readonly overtaken: () => boolean = () => false,
    private readonly sliceMs = SLICE_MS,
  ) {}

  /** The current slice has run its time: the caller should yield. */
  get due(): boolean {
    return performance.now() - this.sliceStarted >= this.sliceMs;
  }

  /** Lets queued messages run; throws WorkOvertaken when the work was overtaken meanwhile. */
  async yield(): Promise<void> {
    await new Promise((resolve) => setImmediate(resolve));
    this.check();
  }

  /** Awaits `pending` (I/O: other messages run meanwhile), then checks as yield does. */
  async after<T>(pending: Promise<T>): Promise<T> {
    const value = await pending;
    this.check();
    return value;
  }

  /**
   * Throws WorkOvertaken when the work was overtaken, else starts a new slice: after an await that could not go
   * through `after` (a file opened, which must be closed whatever happens next).
   */
  check(): void {
    if (this.overtaken()) throw new WorkOvertaken();
    this.sliceStarted = performance.now();
  }
}
