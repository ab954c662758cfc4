/**
 * Helpers for specs whose state packs into one integer below 2^53 (two 32-bit words, hi and lo):
 * the state is its own fingerprint, so exhaustive search costs no hashing and no allocation.
 */
import type { Fingerprint } from "../src/checker/transition-system.ts"

export const TWO32 = 4294967296
export const loWord = (s: number): number => s >>> 0
export const hiWord = (s: number): number => (s - (s >>> 0)) / TWO32
export const pack = (hi: number, lo: number): number => hi * TWO32 + (lo >>> 0)

/** The packed state itself, split into words: injective, so no two states share a fingerprint. */
export const packedFingerprint = (s: number, out: Fingerprint): void => {
  out.lo = s >>> 0
  out.hi = (s - out.lo) / TWO32
}

/** Parses a positive integer parameter such as `rm`. */
export const intParam = (params: Readonly<Record<string, string>>, key: string, dflt: number, min: number, max: number): number => {
  const raw = params[key]
  if (raw === undefined) return dflt
  if (!/^\d+$/.test(raw)) throw new SpecParamError(`parameter ${key} must be a whole number, got "${raw}"`)
  const n = Number(raw)
  if (n < min || n > max) throw new SpecParamError(`parameter ${key} must be between ${min} and ${max}, got ${n}`)
  return n
}

/** Bad parameter value; the CLI matches it by its tag (spec/ imports nothing from the CLI's error family). */
export class SpecParamError extends Error {
  readonly _tag = "SpecParamError"
}
