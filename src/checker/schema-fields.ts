/**
 * What a Schema class declares, read from the class itself (`cls.fields`, as Effect 4 Schema classes
 * carry it) without importing the schema library: the names the canonical encoding keeps
 * (core/encode.ts) and the fingerprint hashes (hash.ts), and each field's kind, so that a hasher
 * compiled per class hashes a number field as a number without asking.
 */

/** What a compiled hasher needs of one field: its type when it is a plain primitive, or a string literal's value. */
export type FieldKind = { readonly k: "number" | "string" | "boolean" | "any" } | { readonly k: "literal"; readonly value: string }

export interface DeclaredFields {
  /** `_tag` first (when declared), the rest in name order. */
  readonly names: ReadonlyArray<string>
  readonly kinds: ReadonlyMap<string, FieldKind>
}

const declared = new WeakMap<object, DeclaredFields | null>()

const ANY: FieldKind = { k: "any" }
const kindOfField = (schema: unknown): FieldKind => {
  const ast = (schema as { ast?: { _tag?: unknown; literal?: unknown; context?: { isOptional?: unknown }; checks?: unknown } } | undefined)?.ast
  if (ast === undefined || ast.context?.isOptional === true) return ANY
  switch (ast._tag) {
    case "Number":
      return { k: "number" }
    case "String":
      return { k: "string" }
    case "Boolean":
      return { k: "boolean" }
    case "Literal":
      return typeof ast.literal === "string" ? { k: "literal", value: ast.literal } : ANY
    default:
      return ANY
  }
}

/** The fields the Schema class of `ctor` declares, or undefined for a constructor that is no Schema class. */
export const fieldsOfClass = (ctor: unknown): DeclaredFields | undefined => {
  if (typeof ctor !== "function" || ctor === Object) return undefined
  let d = declared.get(ctor)
  if (d === undefined) {
    const fields = (ctor as { fields?: unknown }).fields
    if (typeof fields === "object" && fields !== null) {
      const f = fields as Record<string, unknown>
      const names = [...(Object.hasOwn(f, "_tag") ? ["_tag"] : []), ...Object.keys(f).filter((k) => k !== "_tag").sort()]
      d = { names, kinds: new Map(names.map((n) => [n, kindOfField(f[n])])) }
    } else d = null
    declared.set(ctor, d)
  }
  return d ?? undefined
}

/** The field names a Schema class declares for `v` (`_tag` first, the rest sorted), or undefined for plain data. */
export const declaredFields = (v: object): ReadonlyArray<string> | undefined => fieldsOfClass((v as { constructor?: unknown }).constructor)?.names
