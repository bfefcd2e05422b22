// @ts-check
/**
 * A latency histogram in microseconds with about 3 % precision (as HdrHistogram with 5
 * significant bits): values below 64 µs have their own bucket, above that each power of two
 * is split in 32 buckets. Fixed size (800 counts, up to ~2^29 µs), cheap to record, and sent
 * between processes as a plain array, so generator processes can be merged exactly.
 */
export class Histogram {
  /** @param {number[]} [counts] counts of another histogram (from toJSON) */
  constructor(counts) {
    /** @type {number[]} */
    this.counts = counts ? [...counts] : new Array(BUCKETS).fill(0);
    this.total = this.counts.reduce((sum, n) => sum + n, 0);
  }

  /** Counts one value, in microseconds (negative counts as 0, beyond ~9 min as the last bucket). @param {number} micros */
  record(micros) {
    this.counts[bucketOf(micros)] += 1;
    this.total += 1;
  }

  /** Adds another histogram's counts to this one. @param {Histogram} other */
  merge(other) {
    for (let i = 0; i < BUCKETS; i += 1) this.counts[i] += other.counts[i];
    this.total += other.total;
    return this;
  }

  /**
   * The value at quantile q (0–1) in microseconds (the middle of its bucket), or null when empty.
   * @param {number} q
   */
  quantile(q) {
    if (this.total === 0) return null;
    const rank = Math.max(1, Math.ceil(q * this.total));
    let seen = 0;
    for (let i = 0; i < BUCKETS; i += 1) {
      seen += this.counts[i];
      if (seen >= rank) return valueOf(i);
    }
    return valueOf(BUCKETS - 1);
  }

  /** The counts, for process.send. */
  toJSON() {
    return this.counts;
  }
}

const SUB_BITS = 5;
const SUB = 1 << SUB_BITS;
const LINEAR = SUB * 2;
const BUCKETS = 800;

/** @param {number} micros */
function bucketOf(micros) {
  const v = Math.max(0, Math.floor(micros));
  if (v < LINEAR) return v;
  const shift = Math.floor(Math.log2(v)) - SUB_BITS;
  return Math.min(BUCKETS - 1, LINEAR + (shift - 1) * SUB + ((v >>> shift) - SUB));
}

/** @param {number} index */
function valueOf(index) {
  if (index < LINEAR) return index;
  const shift = Math.floor((index - LINEAR) / SUB) + 1;
  const mantissa = ((index - LINEAR) % SUB) + SUB;
  return (mantissa + 0.5) * 2 ** shift;
}
