// engine/scenario-gen-rng.ts: the seeded PRNG of the practice generator (engine/scenario-gen.ts).
// Integer arithmetic only (Math.imul, >>>), so a seed gives the same stream on every machine,
// engine and Node version: a seed a teacher hands out names one problem for good.

/** A stream of numbers in [0, 1) and the helpers the generator draws with. */
export interface Rng {
  /** the next number in [0, 1) */
  next(): number;
  /** an integer in [lo, hi] */
  int(lo: number, hi: number): number;
  /** one element of a non-empty list */
  pick<T>(xs: readonly T[]): T;
  /** true with probability p */
  chance(p: number): boolean;
  /** one key of `weights` (an object of non-negative weights, not all zero), by weight */
  weighted<K extends string>(weights: Partial<Record<K, number>>): K;
}

/** mulberry32 (Tommy Ettinger's 32-bit generator) seeded with `seed` (any uint32). */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const rng: Rng = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)),
    pick: xs => {
      if (xs.length === 0) throw new Error("scenario-gen: pick from an empty list");
      return xs[Math.floor(next() * xs.length)];
    },
    chance: p => next() < p,
    weighted<K extends string>(weights: Partial<Record<K, number>>): K {
      // keys in a fixed (sorted) order: the draw never depends on how the object was built
      const entries = (Object.entries(weights) as [K, number][]).filter(([, w]) => w > 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      if (entries.length === 0) throw new Error("scenario-gen: no choice has a weight");
      const total = entries.reduce((s, [, w]) => s + w, 0);
      let x = next() * total;
      for (const [k, w] of entries) { if (x < w) return k; x -= w; }
      return entries[entries.length - 1][0];
    },
  };
  return rng;
}

/** FNV-1a of `text` (UTF-16 code units) as a uint32: mixes the lesson id into the seed, so
 *  seed 1 of lesson 01 and seed 1 of lesson 06 are unrelated problems. */
export function fnv1a(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Seeds are uint32: 0 .. 4294967295. */
export const QUIZ_SEED_MAX = 0xffffffff;

/** Parses a seed as the CLI and the share link give it: a decimal integer 0 .. QUIZ_SEED_MAX
 *  (leading zeros allowed), else null. */
export function parseSeed(text: string | null | undefined): number | null {
  if (text === null || text === undefined || !/^\d{1,10}$/.test(text)) return null;
  const n = Number(text);
  return n <= QUIZ_SEED_MAX ? n : null;
}
