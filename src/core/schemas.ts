/**
 * The default parameters of generic schemas. A consensus log, the exactly-once layer and a snapshot
 * carry their application's commands, results and state without knowing them: their message classes
 * come from factories taking the application's schemas (`amoSchemas`, `exactlyOnceSchemas`,
 * `paxosMessages`, `raftMessages`, `specLogMessages`), and every boundary where data arrives from
 * outside (the runtime's frames and storage) builds them with the real ones, so a nested command is
 * validated field by field. Inside a process the generic layers use the same factories applied to the
 * schemas below, which accept what a typed layer could only have built already:
 *
 * - `TaggedValue`: an instance of some Schema tagged class (whose own constructor validated its fields),
 *   or a plain object with a string `_tag` (a user's command written as data, or a cloned instance);
 * - `sameTag(cls)`: an instance of `cls` or of another class with its tag (the same class built by a
 *   factory with other schemas: a decoded command inside a message the generic layer builds);
 * - `DataValue`: immutable data: primitives, arrays, Maps, Sets, plain objects and Schema class instances.
 */
import { Schema } from "effect"
import { type Tagged, type TaggedClass, tagOf } from "./node.ts"

/** An instance of a Schema tagged class: it has a `_tag` and its class declares its fields. */
export const isTaggedValue = (u: unknown): u is Tagged => {
  if (typeof u !== "object" || u === null || typeof (u as { _tag?: unknown })._tag !== "string") return false
  // A user's plain tagged object ({ _tag: "Acquire", owner }) is a command too, and so is a class
  // instance after a structured clone (a state handed to a worker thread arrives as plain data).
  const proto = Object.getPrototypeOf(u)
  return proto === Object.prototype || proto === null || typeof (u.constructor as { fields?: unknown } | undefined)?.fields === "object"
}

const isData = (u: unknown, depth: number): boolean => {
  if (depth > 64) return false
  switch (typeof u) {
    case "string":
    case "number":
    case "boolean":
    case "bigint":
      return true
    case "object": {
      if (u === null) return true
      if (Array.isArray(u)) return u.every((x) => isData(x, depth + 1))
      if (u instanceof Map) return [...u].every(([k, x]) => isData(k, depth + 1) && isData(x, depth + 1))
      if (u instanceof Set) return [...u].every((x) => isData(x, depth + 1))
      const proto = Object.getPrototypeOf(u)
      if (proto !== Object.prototype && proto !== null && typeof (u.constructor as { fields?: unknown } | undefined)?.fields !== "object") return false
      return Object.values(u).every((x) => x === undefined || isData(x, depth + 1))
    }
    default:
      return false
  }
}

/** Some Schema tagged class's instance: a generic layer's command or result. */
export const TaggedValue = Schema.declare(isTaggedValue, { identifier: "TaggedValue" })

/** An instance of `cls`, or of another Schema class with the same tag (see the module comment). */
export const sameTag = <T extends Tagged>(cls: TaggedClass<T>) => {
  const tag = tagOf(cls)
  return Schema.declare((u: unknown): u is T => isTaggedValue(u) && u._tag === tag, { identifier: tag })
}

/** Immutable data (no functions, no foreign class instances): a generic layer's application state. */
export const DataValue = Schema.declare((u: unknown): u is unknown => isData(u, 0), { identifier: "DataValue" })

/** What a factory takes for commands or results: any schema of tagged values (a union of tagged classes, or `TaggedValue`). */
export type TaggedSchema = Schema.Codec<Tagged, unknown>
/** What a factory takes for an application's state: any schema (`DataValue` when unknown). */
export type DataSchema = Schema.Codec<unknown, unknown>
