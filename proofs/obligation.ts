/**
 * Obligations on one model's named tests, the test named by a key the type checker verifies against
 * the model's test table (a renamed or removed test is a type error here, not a failing `prove`).
 */
import type { Obligation } from "../src/checker/prove.ts"

export const obligationsOn =
  <Tests>(model: string) =>
  (o: Omit<Obligation, "model" | "test"> & { readonly test: keyof Tests & string }): Obligation => ({ ...o, model })
