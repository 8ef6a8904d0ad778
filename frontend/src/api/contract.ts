// The UI's contract with the Go container, derived from the generated models.
//
// wailsjs/go/models.ts is generated from the Go types (app/, document/,
// store/, gaps/, teamsync/, …) by `wails build`, which `make test` runs
// before `npm run build` type-checks the frontend, or by hand with
// `wails generate module -tags webkit2_41` at the repository's root. Its
// classes carry the JSON field names and types of Go's encoding/json, which
// is what both transports deliver: the Wails bindings (wails.ts) and
// `engram serve` over HTTP (http.ts) encode the same Go values. Wire<T> turns
// such a class into the shape of that JSON, so every wire type in wire.ts and
// every domain type in types.ts that is the Go JSON as it is comes from here:
// a field renamed or removed in Go is a tsc error in the conversion (or the
// view) that reads it, instead of a field silently undefined.
//
// What the generated classes do not say, Wire<T> says honestly:
//   - Go's nil slices and maps arrive as null (an omitempty one is left out,
//     which the model marks optional with "?"), so a list or map field that
//     is not optional may be null;
//   - a field the model marks optional is a pointer or omitempty: when it
//     holds a struct it may be null (a nil pointer without omitempty) as well
//     as absent. (A pointer to a string or number without omitempty could be
//     null too; the Go types in the contract have none.)
//   - time.Time generates as `any`; over JSON it is an RFC 3339 string, or
//     absent (omitzero), or null (a nil *time.Time), so it becomes unknown and
//     the conversions read it with time() or timeOrNull().
// The classes' methods (convertValues) are not data and are dropped; the
// static createFrom is not on instances.

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...a: any[]) => any;
type IsAny<T> = 0 extends 1 & T ? true : false;

/** Wire<T> is the JSON of the Go type whose generated model is T. */
export type Wire<T> =
  IsAny<T> extends true
    ? unknown
    : T extends readonly (infer E)[]
      ? Wire<E>[] | null
      : T extends Fn
        ? never
        : T extends object
          ? string extends keyof T
            ? { [k: string]: Wire<T[string & keyof T]> } | null
            : WireObject<T>
          : T;

type WireObject<T> = {
  [K in keyof T as T[K] extends Fn ? never : K]: undefined extends T[K] ? WireOptional<Exclude<T[K], undefined>> : Wire<T[K]>;
};

// An optional field: absent, or (a pointer to a struct) null; an optional
// list or map is omitempty, so left out rather than null.
type WireOptional<V> =
  IsAny<V> extends true
    ? unknown
    : V extends readonly (infer E)[]
      ? Wire<E>[] | undefined
      : V extends object
        ? string extends keyof V
          ? { [k: string]: Wire<V[string & keyof V]> } | undefined
          : WireObject<V> | null | undefined
        : V | undefined;

type IsList<V> = [NonNullable<V>] extends [never] ? false : NonNullable<V> extends readonly unknown[] ? true : false;

/**
 * Lists<W> is the wire shape W with every list field present and never null:
 * what the conversions in wire.ts give the views after filling the lists Go
 * sends as null or leaves out. It reaches one level; nested objects are
 * retyped with Retype where their lists are filled too.
 */
export type Lists<W> = Flat<
  { [K in keyof W as IsList<W[K]> extends true ? K : never]-?: NonNullable<W[K]> } & {
    [K in keyof W as IsList<W[K]> extends true ? never : K]: W[K];
  }
>;

/**
 * Retype<W, O> is W with the fields O names given O's types (a time as an
 * RFC 3339 string, a nested object with its lists filled). O may name only
 * fields W has: a field Go renames or drops is a tsc error where the domain
 * type is defined.
 */
export type Retype<W, O extends { [K in keyof O]: K extends keyof W ? unknown : never }> = Flat<Omit<W, keyof O> & O>;

type Flat<T> = { [K in keyof T]: T[K] } & {};

/** time reads a time.Time field: its RFC 3339 string, or "" when absent or null. */
export function time(v: unknown): string {
  return typeof v === "string" ? v : "";
}

/** timeOrNull reads a *time.Time field: its RFC 3339 string, or null when unknown. */
export function timeOrNull(v: unknown): string | null {
  return typeof v === "string" ? v : null;
}

/** timeOpt reads an omitzero time.Time field: its RFC 3339 string, or undefined when absent. */
export function timeOpt(v: unknown): string | undefined {
  return typeof v === "string" ? v : undefined;
}

/** asList gives a Go slice as a list, [] for the null of a nil slice (or a field left out). */
export function asList<T>(v: T[] | null | undefined): T[] {
  return v ?? [];
}
