/**
 * A one-pass test of a decoded value against a Schema's type side, for the shapes the runtime's
 * records and messages are made of (structs, arrays, maps, unions, literals, primitives, tagged
 * classes). Effect's own check costs ~13 us per entry of a ReadonlyMap, and a Raft snapshot or record
 * holds the whole store: at 200k keys that was seconds per InstallSnapshot and per recovery. Any node
 * of a shape not listed here (a refinement, a declaration other than a map or a class) is tested by
 * Effect (`Schema.is`), so this accepts only what Effect accepts; on a refusal the caller asks Effect
 * again for its message (`passes` is an accelerator, never the judge of a rejection's wording).
 * Give it the schema itself, not `Schema.toType` of it: only the type side of each node is read.
 */
import { Schema } from "effect"

type Test = (v: unknown) => boolean

interface Node {
  readonly ast: { readonly _tag: string; readonly checks?: ReadonlyArray<unknown>; readonly literal?: unknown; readonly elements?: ReadonlyArray<unknown>; readonly rest?: ReadonlyArray<unknown>; readonly indexSignatures?: ReadonlyArray<unknown>; readonly context?: { readonly isOptional?: boolean } }
  readonly schema?: Node
  readonly fields?: Readonly<Record<string, Node>>
  readonly members?: ReadonlyArray<Node>
  readonly key?: Node
  readonly value?: Node
}

const compiled = new WeakMap<object, Test>()

const byEffect = (s: Node): Test => Schema.is(Schema.toType(s as unknown as Schema.Codec<unknown, unknown>)) as Test

const compile = (s: Node): Test => {
  const ast = s.ast
  if (ast.checks !== undefined && ast.checks.length > 0) return byEffect(s)
  // A struct field made optional (Schema.optional): the schema it wraps, which admits undefined.
  if (ast.context?.isOptional === true && s.schema !== undefined) return testOf(s.schema)
  switch (ast._tag) {
    case "String":
      return (v) => typeof v === "string"
    case "Number":
      return (v) => typeof v === "number"
    case "Boolean":
      return (v) => typeof v === "boolean"
    case "Null":
      return (v) => v === null
    case "Undefined":
      return (v) => v === undefined
    case "Unknown":
    case "Any":
      return () => true
    case "Literal":
      return (v) => v === ast.literal
    case "Union": {
      if (s.members === undefined) return byEffect(s)
      const ms = s.members.map(testOf)
      return (v) => ms.some((m) => m(v))
    }
    case "Arrays": {
      if (s.value === undefined || ast.elements?.length !== 0 || ast.rest?.length !== 1) return byEffect(s)
      const item = testOf(s.value)
      return (v) => Array.isArray(v) && v.every(item)
    }
    case "Objects": {
      if (s.fields === undefined || (ast.indexSignatures?.length ?? 0) > 0) return byEffect(s)
      const fields = Object.entries(s.fields).map(([k, f]) => [k, testOf(f), f.ast.context?.isOptional === true] as const)
      return (v) => {
        if (typeof v !== "object" || v === null || Array.isArray(v)) return false
        const o = v as Record<string, unknown>
        for (const [k, test, optional] of fields) {
          if (!(k in o)) {
            if (optional) continue
            return false
          }
          if (!test(o[k])) return false
        }
        return true
      }
    }
    case "Declaration": {
      if (s.key !== undefined && s.value !== undefined && !("members" in s)) {
        // A ReadonlyMap: every entry, in one pass.
        const key = testOf(s.key)
        const value = testOf(s.value)
        return (v) => {
          if (!(v instanceof Map)) return false
          for (const [k, x] of v) if (!key(k) || !value(x)) return false
          return true
        }
      }
      // A tagged class: its instances were built by its constructor, which validated them.
      if (typeof s === "function" && typeof (s as { identifier?: unknown }).identifier === "string") {
        const cls = s as unknown as abstract new (...args: never) => unknown
        const effect = byEffect(s)
        return (v) => v instanceof cls || effect(v)
      }
      return byEffect(s)
    }
    default:
      return byEffect(s)
  }
}

const testOf = (s: Node): Test => {
  let t = compiled.get(s)
  if (t === undefined) {
    // Set before compiling the parts: a recursive schema refers back to itself (lazily, through Suspend).
    let built: Test | undefined
    compiled.set(s, (v) => built!(v))
    built = compile(s)
    compiled.set(s, built)
    t = built
  }
  return t
}

/** Whether `v` is of `schema`'s type; true only where Effect's own check would accept it. */
export const passes = (schema: Schema.Top, v: unknown): boolean => testOf(schema as unknown as Node)(v)
