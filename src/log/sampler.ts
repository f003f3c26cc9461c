/**
 * `log ... sample <ranges>:<size>` (configuration.txt 4.2 "log"): of every <size> messages
 * sent to a target, only those whose rank (from 1) falls in one of the ranges go out. The
 * ranges are walked in order, each one counting the messages it let through, as HAProxy's
 * process_send_log() does, so "1-2,5:6" sends messages 1, 2, 5, 7, 8, 11, ...
 */

interface Range {
  readonly low: number;
  readonly high: number;
  readonly size: number;
  index: number;
}

export class LogSampler {
  private readonly ranges: Range[];
  private current = 0;
  private index = 0;

  /** `ranges` as the configuration wrote them ("1-3,5"), already checked. */
  constructor(
    ranges: string,
    private readonly size: number,
  ) {
    this.ranges = ranges
      .split(',')
      .filter((r) => r !== '')
      .map((r) => {
        const [lo, hi] = r.split('-');
        const low = Number(lo);
        const high = hi === undefined ? low : Number(hi);
        return { low, high, size: high - low + 1, index: 0 };
      })
      .sort((a, b) => a.low - b.low);
  }

  /** Whether the next message goes out. */
  next(): boolean {
    const r = this.ranges[this.current]!;
    const rank = this.index + 1;
    const inRange = rank >= r.low && rank <= r.high;
    if (inRange) {
      r.index = (r.index + 1) % r.size;
      if (r.index === 0) this.current = (this.current + 1) % this.ranges.length;
    }
    this.index = (this.index + 1) % this.size;
    return inRange;
  }
}
