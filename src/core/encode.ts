/**
 * The canonical encoding of protocol data, derived from its schemas: what traces store for each step's
 * message or timer, and what replay compares. Equal data encode equally, however it was built:
 *
 * - a Schema class instance is its declared fields only (`cls.fields`), `_tag` first and the rest in
 *   name order: a property the schema does not declare is not data and is dropped, and so is an
 *   undefined value (our schemas have no optional fields; one written as `Schema.optionalKey` is
 *   absent, never undefined), so `{a: 1, b: undefined}` and `{a: 1}` encode alike;
 * - plain objects (Schema.Struct values) by their keys in name order, undefined values dropped;
 * - Maps and Sets by content, in the order of their encoded keys / elements (`{"$map": [[k, v], ...]}`,
 *   `{"$set": [...]}`), so insertion order does not matter;
 * - numbers that JSON cannot hold are spelled out (`{"$num": "Infinity"}`), bigints as `{"$big": "12"}`.
 *
 * The result is plain JSON whose `JSON.stringify` is canonical text (`canonicalText`). Not on the
 * checker's hot path: fingerprints hash the same form directly (checker/hash.ts: declared fields only,
 * undefined values dropped, collections by content), with a hasher compiled per class.
 */
import { declaredFields } from "../checker/schema-fields.ts"

export { declaredFields }

export type Json = null | boolean | number | string | ReadonlyArray<Json> | { readonly [k: string]: Json }

const byText = (a: readonly [string, Json], b: readonly [string, Json]) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)

/** The canonical JSON form of `v` (see the module comment). */
export const encodeCanonical = (v: unknown): Json => {
  switch (typeof v) {
    case "string":
    case "boolean":
      return v
    case "number":
      return Number.isFinite(v) ? v : { $num: String(v) }
    case "bigint":
      return { $big: v.toString() }
    case "undefined":
      return null
    case "object": {
      if (v === null) return null
      if (Array.isArray(v)) return v.map(encodeCanonical)
      if (v instanceof Map) {
        const pairs = [...v].map(([k, x]) => [encodeCanonical(k), encodeCanonical(x)] as const)
        return { $map: pairs.map((p) => [JSON.stringify(p[0]), p] as const).sort(byText).map(([, p]) => p) }
      }
      if (v instanceof Set) return { $set: [...v].map((x) => [JSON.stringify(encodeCanonical(x)), encodeCanonical(x)] as const).sort(byText).map(([, x]) => x) }
      const o = v as Record<string, unknown>
      const names = declaredFields(v) ?? Object.keys(o).sort()
      const out: Record<string, Json> = {}
      for (const k of names) if (o[k] !== undefined) out[k] = encodeCanonical(o[k])
      return out
    }
    default:
      throw new TypeError(`cannot encode a ${typeof v}`)
  }
}

/** The canonical text of `v`: equal data, equal text. */
export const canonicalText = (v: unknown): string => JSON.stringify(encodeCanonical(v))
