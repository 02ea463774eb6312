/**
 * A small declarative validator: a schema is a tree of rules, each turning an
 * unknown value into a typed one or throwing {@link Invalid} with the path it
 * failed at. Options (`ERR_BAD_OPTIONS` naming the field), cross-tab messages
 * and stored idle snapshots (dropped when invalid) are all described with it.
 */

/** Why a value was refused: where (`auth.loginUrl`) and what is wrong with it. */
export class Invalid extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path} ${problem}`)
  }
}

/** A rule: the value to keep (`undefined`: absent), or throws {@link Invalid}. `ctx` is whatever the caller passes down. */
export type Rule<T, C = unknown> = (value: unknown, path: string, ctx: C) => T

/** The type a rule produces. */
export type Infer<R> = R extends Rule<infer T, never> ? T : never

type Shape = Record<string, Rule<unknown, never>>
type Intersection<U> = (U extends unknown ? (value: U) => void : never) extends (value: infer I) => void ? I : never
/** The context a shape's rules need: what every one of them needs. */
type ShapeContext<S extends Shape> = Intersection<{ [K in keyof S]: Parameters<S[K]>[2] }[keyof S]>
type ShapeType<S> = { [K in keyof S as undefined extends Infer<S[K]> ? never : K]: Infer<S[K]> } & {
  [K in keyof S as undefined extends Infer<S[K]> ? K : never]?: Infer<S[K]>
}

export const fail = (path: string, problem: string): never => {
  throw new Invalid(path, problem)
}

const join = (path: string, key: string) => (path ? `${path}.${key}` : key)

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * An object with these fields. Unknown keys are refused (`'refuse'`, for
 * options: a typo must not pass silently) or dropped (`'drop'`, for messages).
 */
export function object<S extends Shape>(
  shape: S,
  unknownKeys: 'refuse' | 'drop' = 'refuse',
): Rule<ShapeType<S>, ShapeContext<S>> {
  return (value, path, ctx) => {
    if (!isRecord(value)) return fail(path, 'must be an object')
    if (unknownKeys === 'refuse') {
      for (const key of Object.keys(value))
        if (!Object.hasOwn(shape, key)) fail(join(path, key), 'is not a known option')
    }
    const out: Record<string, unknown> = {}
    for (const [key, rule] of Object.entries(shape)) {
      const field = rule(value[key], join(path, key), ctx as never)
      if (field !== undefined) out[key] = field
    }
    return out as ShapeType<S>
  }
}

/** `rule`, or `fallback` when the value is `undefined`. */
export function optional<T, C = unknown>(rule: Rule<T, C>): Rule<T | undefined, C>
export function optional<T, C = unknown>(rule: Rule<T, C>, fallback: T): Rule<T, C>
export function optional<T, C>(rule: Rule<T, C>, fallback?: T): Rule<T | undefined, C> {
  return (value, path, ctx) => (value === undefined ? fallback : rule(value, path, ctx))
}

/** A value that must be present. */
export const required =
  <T, C = unknown>(rule: Rule<T, C>): Rule<T, C> =>
  (value, path, ctx) =>
    value === undefined ? fail(path, 'is required') : rule(value, path, ctx)

/** One of the listed literals. */
export const oneOf =
  <const L extends readonly unknown[]>(list: L, problem: string): Rule<L[number]> =>
  (value, path) =>
    list.includes(value) ? (value as L[number]) : fail(path, problem)

export const string =
  (problem = 'must be a string', test: (value: string) => boolean = () => true): Rule<string> =>
  (value, path) =>
    typeof value === 'string' && test(value) ? value : fail(path, problem)

export const boolean: Rule<boolean> = (value, path) =>
  typeof value === 'boolean' ? value : fail(path, 'must be a boolean')

export const func =
  <F>(): Rule<F> =>
  (value, path) =>
    typeof value === 'function' ? (value as F) : fail(path, 'must be a function')

/** A rule whose result is checked further (`test` returns a problem, or undefined). */
export const refine =
  <T, C = unknown>(rule: Rule<T, C>, test: (value: T, ctx: C) => string | undefined): Rule<T, C> =>
  (value, path, ctx) => {
    const out = rule(value, path, ctx)
    const problem = test(out, ctx)
    return problem === undefined ? out : fail(path, problem)
  }

/** A tagged union: the branch named by the value's `tag` field, else `problem`. */
export const union =
  <B extends Shape>(branches: B, tag: string, problem: string): Rule<Infer<B[keyof B]>, ShapeContext<B>> =>
  (value, path, ctx) => {
    const kind = isRecord(value) ? value[tag] : undefined
    if (typeof kind !== 'string' || !Object.hasOwn(branches, kind)) return fail(join(path, tag), problem)
    return branches[kind]!(value, path, ctx as never) as Infer<B[keyof B]>
  }

/** The parsed value, or null when it is invalid (messages from the channel, snapshots from storage). */
export function parseOrNull<T, C>(rule: Rule<T, C>, value: unknown, ctx: C): T | null {
  try {
    return rule(value, '', ctx)
  } catch (error) {
    if (error instanceof Invalid) return null
    throw error
  }
}
