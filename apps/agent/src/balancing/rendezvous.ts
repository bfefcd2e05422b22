import type { RuntimeMember } from '../config/runtime';
import type { Candidates, MemberPicker } from './pickers';

/** MurmurHash3's 32-bit finalizer (fmix32): a bijection whose every output bit depends on every input bit. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** FNV-1a over the string's UTF-16 code units, finished with mix32: a fast, well-spread 32-bit hash (not for secrets). */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** 2^32, to map a 32-bit hash into (0, 1). */
const TWO_32 = 4294967296;

/**
 * Weighted rendezvous (highest random weight) hashing, as HAProxy's `hash-type consistent`
 * promises and Thaler & Ravishankar's HRW with the logarithmic weighting of Schindelhauer &
 * Schomaker ("Weighted distributed hash tables", 2005): each candidate scores
 * -weight / ln(u), u in (0, 1) a hash of (key, member id), and the highest score wins. A key
 * therefore stays on its member across requests, agents and snapshots; adding or removing one
 * member of N moves only the keys it gains or held (about 1/N); the share of keys is
 * proportional to weight. A member already tried is not a candidate, so failover goes to the
 * key's next-highest score. Per pick: one hash of the key, one mix and one log per candidate.
 */
export class RendezvousHash implements MemberPicker {
  constructor(private readonly members: readonly RuntimeMember[]) {}

  pick(candidates: Candidates): number {
    const { index, weight, count } = candidates;
    const key = hashString(candidates.key);
    let best = index[0];
    let bestScore = -Infinity;
    for (let k = 0; k < count; k++) {
      const i = index[k];
      const u = (mix32(key ^ this.members[i].hashSeed) + 0.5) / TWO_32;
      const score = -weight[k] / Math.log(u);
      if (score > bestScore) {
        bestScore = score;
        best = i;
      }
    }
    return best;
  }
}
