/**
 * `TaggedData`: Effect's `Schema.TaggedClass`, for messages, timers, commands and results, whose
 * constructor skips validation while a handler runs. A handler builds its messages from values its
 * own typed code computed, and the checker builds millions of them: parsing each one's fields again
 * was about a tenth of a protocol search. Validation stays where data arrives from outside: the
 * runtime's frames and storage, trace files and user input are decoded through the schemas, and a
 * class built outside a handler (a workload's commands, a test's messages) validates as before.
 *
 * Written exactly like `Schema.TaggedClass` (`class Ping extends TaggedData<Ping>()("Ping", { ... }) {}`),
 * with the same type; the schema (`fields`, `ast`, decoding, `make`) is the class's own. Inside a
 * handler (`trustingConstruction`), `new Ping({ ... })` makes an instance of the class holding the
 * declared fields of its argument, as a validated construction would have.
 */
import { Schema } from "effect"

let trusting = 0

/** Runs `f` with construction of `TaggedData` classes unvalidated (handlers' code; see the file header). */
export const trustingConstruction = <A>(f: () => A): A => {
  trusting++
  try {
    return f()
  } finally {
    trusting--
  }
}

/** Whether `TaggedData` constructors currently skip validation. */
export const constructionTrusted = (): boolean => trusting > 0

export const TaggedData: typeof Schema.TaggedClass = ((identifier?: string) =>
  (tag: string, fields: any, annotations?: any) => {
    const Base = (Schema.TaggedClass as any)(identifier)(tag, fields, annotations)
    const names = Object.keys(Base.fields as object).filter((k) => k !== "_tag")
    return class extends Base {
      constructor(input?: any, options?: unknown) {
        if (trusting > 0 && options === undefined) {
          // A derived constructor that returns an object needs no `super()`: the instance is built here.
          const o = Object.create(new.target.prototype)
          o._tag = tag
          if (input !== undefined)
            for (let i = 0; i < names.length; i++) {
              const v = input[names[i]!]
              if (v !== undefined) o[names[i]!] = v
            }
          return o
        }
        super(input, options)
      }
    }
  }) as any
