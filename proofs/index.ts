/** Every protocol's proof obligations, by protocol. */
import type { Obligation } from "../src/checker/prove.ts"
import { obligations as clientserver } from "./clientserver.ts"
import { obligations as twophase } from "./twophase.ts"

export const PROOFS: Readonly<Record<string, ReadonlyArray<Obligation>>> = { twophase, clientserver }
