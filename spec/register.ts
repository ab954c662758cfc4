/**
 * Register: one value, initially absent (null). Read returns it, Write sets it, and on a
 * compare-and-set register CAS(e, v) sets it to v and returns true when it equals e, else returns
 * false. Jepsen's etcd histories are checked against the CAS register.
 */
import { fingerprintValue } from "../src/checker/hash.ts"
import type { TransitionSystem } from "../src/checker/transition-system.ts"

export type RegisterValue = number | string

export type RegisterInput =
  | { readonly op: "read" }
  | { readonly op: "write"; readonly value: RegisterValue }
  | { readonly op: "cas"; readonly expected: RegisterValue | null; readonly value: RegisterValue }

/** read: { value }; cas: { ok }; write: {}. */
export interface RegisterOutput {
  readonly value?: RegisterValue | null
  readonly ok?: boolean
}

export type RegisterState = RegisterValue | null

/** The result a sequential register gives. */
export const registerResult = (state: RegisterState, input: RegisterInput): RegisterOutput =>
  input.op === "read" ? { value: state } : input.op === "cas" ? { ok: state === input.expected } : {}

/** The next state when `input` may give `output` (null: unknown) in `state`; undefined when it cannot. */
export const registerStep = (state: RegisterState, input: RegisterInput, output: RegisterOutput | null): RegisterState | undefined => {
  switch (input.op) {
    case "read":
      return output === null || output.value === state ? state : undefined
    case "write":
      return input.value
    case "cas": {
      const swap = state === input.expected
      if (output !== null && output.ok !== swap) return undefined
      return swap ? input.value : state
    }
  }
}

const show = (v: RegisterState | undefined) => (v === undefined ? "?" : JSON.stringify(v))

/** `Read -> 3`, `Write(3)`, `CAS(1,2) -> false`; `?` marks an unknown result. */
export const describeRegister = (input: RegisterInput, output: RegisterOutput | null): string => {
  switch (input.op) {
    case "read":
      return `Read -> ${output === null ? "?" : show(output.value)}`
    case "write":
      return `Write(${show(input.value)})`
    case "cas":
      return `CAS(${show(input.expected)},${show(input.value)}) -> ${output?.ok === undefined ? "?" : String(output.ok)}`
  }
}

export interface RegisterLabel {
  readonly input: RegisterInput
  readonly output: RegisterOutput
}

/** The register as a transition system over `values`; with `cas`, a compare-and-set register. */
export const registerSpec = ({ values, cas = false }: { readonly values: ReadonlyArray<RegisterValue>; readonly cas?: boolean }): TransitionSystem<RegisterState, RegisterLabel> => {
  const inputs: RegisterInput[] = [
    { op: "read" },
    ...values.map((value): RegisterInput => ({ op: "write", value })),
    ...(cas ? [null, ...values].flatMap((expected) => values.map((value): RegisterInput => ({ op: "cas", expected, value }))) : []),
  ]
  return {
    name: cas ? "CASRegister" : "Register",
    initial: () => [null],
    successors: (state, emit) => {
      for (const input of inputs) emit({ input, output: registerResult(state, input) }, registerStep(state, input, null) ?? null)
    },
    fingerprint: (state, out) => void fingerprintValue(state, out),
    formatLabel: ({ input, output }) => describeRegister(input, output),
    view: (state) => state,
    properties: [],
  }
}
