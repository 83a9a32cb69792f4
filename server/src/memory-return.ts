/**
 * V8 collects garbage only while the program allocates, so once many rooms unload and the
 * server goes quiet, the heap they used stays committed: 80 s after 500 pairs editing at 2
 * edits/s for a minute had left, RSS was still 352 MB, 190 MB of heap in use, most of it garbage.
 * Two full collections 10 s apart gave it back: heap 39 MB, RSS 117 MB (below the 172 MB of the
 * fresh process). A full collection pauses the event loop (tens of milliseconds at that size),
 * so it runs only after a large drop in open rooms, once the count has held still for a check.
 */
const CHECK_EVERY_MS = 10_000;
/** At least this many rooms, and at least half of those open at the peak, must have unloaded. */
const MIN_ROOMS_GONE = 50;

export class MemoryReturn {
  private peak = 0;
  private last = 0;
  private followUp = false;

  constructor(
    private readonly openRooms: () => number,
    private readonly collect: () => void,
  ) {}

  /** Called every CHECK_EVERY_MS; collects now, and once more at the next check, after a large drop. */
  check(): void {
    const rooms = this.openRooms();
    if (this.followUp) {
      this.followUp = false;
      this.collect();
    } else if (rooms === this.last && this.peak - rooms >= MIN_ROOMS_GONE && rooms <= this.peak / 2) {
      this.collect();
      this.followUp = true; // V8 gives pages back to the system after a second collection
      this.peak = rooms;
    }
    this.peak = Math.max(this.peak, rooms);
    this.last = rooms;
  }
}

/**
 * Starts the checks; returns what stops them. Needs V8's collector exposed (`--expose-gc`, in
 * server/process-env.json's NODE_OPTIONS and the production command); without it, does nothing.
 * Not set at run time with v8.setFlagsFromString: Node calls that undefined behaviour once V8 runs.
 */
export function returnMemoryWhenQuiet(openRooms: () => number): () => void {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) return () => undefined;
  const watcher = new MemoryReturn(openRooms, collect);
  const timer = setInterval(() => watcher.check(), CHECK_EVERY_MS);
  timer.unref();
  return () => clearInterval(timer);
}
