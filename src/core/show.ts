import { declaredFields } from "./encode.ts"

/**
 * Compact, deterministic rendering of data for labels and traces, derived from the schemas: a Schema
 * class instance is `Tag(field=value, ...)` over its declared fields in name order (as encode.ts
 * encodes it: undeclared properties and undefined values are not shown). Protocols may supply their
 * own (Config.show); traces replay on the encoded events, never on this text.
 */
export const show = (v: unknown): string => {
  switch (typeof v) {
    case "string":
      return /^[\w.:/-]*$/.test(v) && v !== "" ? v : JSON.stringify(v)
    case "number":
    case "boolean":
    case "bigint":
      return String(v)
    case "undefined":
      return "undefined"
    case "object": {
      if (v === null) return "null"
      if (Array.isArray(v)) return `[${v.map(show).join(",")}]`
      if (v instanceof Map) return `{${[...v].map(([k, x]) => `${show(k)}:${show(x)}`).sort().join(",")}}`
      if (v instanceof Set) return `{${[...v].map(show).sort().join(",")}}`
      const o = v as Record<string, unknown>
      const keys = (declaredFields(o) ?? Object.keys(o).sort()).filter((k) => k !== "_tag" && o[k] !== undefined)
      const body = keys.map((k) => `${k}=${show(o[k])}`).join(",")
      return typeof o._tag === "string" ? `${o._tag}(${body})` : `{${body}}`
    }
    default:
      return String(v)
  }
}

/** Plain-JSON view of data (Maps and Sets become objects and arrays) for traces and the viewer. */
export const toPlain = (v: unknown): unknown => {
  if (v instanceof Map) return Object.fromEntries([...v].map(([k, x]) => [typeof k === "string" ? k : show(k), toPlain(x)]))
  if (v instanceof Set) return [...v].map(toPlain)
  if (Array.isArray(v)) return v.map(toPlain)
  if (typeof v === "bigint") return v.toString()
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toPlain(x)]))
  return v
}
