/**
 * A real store with some of its methods stood in for: tests that count, slow or refuse one kind of
 * call keep every other read and write of the engine on the store as it is.
 */

type Method = (...args: never[]) => unknown;

/** The names of `T`'s methods. */
export type MethodName<T> = { [K in keyof T]: T[K] extends Method ? K : never }[keyof T];

/** What stands in for method `K`: it gets the store's own method (bound to the store) and the call's arguments. */
export type Replacement<T, K extends MethodName<T>> = T[K] extends (...args: infer A) => infer R
  ? (original: T[K], ...args: A) => R
  : never;

/**
 * `store` as seen through a proxy whose named methods are `replacements`, the rest of its members
 * the store's own, methods bound to it: the store's code reads its own fields, not the proxy's.
 */
export function withStoreMethods<T extends object>(
  store: T,
  replacements: { readonly [K in MethodName<T>]?: Replacement<NoInfer<T>, K> },
): T {
  const replaced = replacements as Readonly<
    Record<string | symbol, (original: unknown, ...args: unknown[]) => unknown>
  >;
  return new Proxy(store, {
    get(target, name) {
      const value: unknown = Reflect.get(target, name);
      if (typeof value !== 'function') return value;
      const original = value.bind(target);
      // Own keys only: an object literal inherits toString and the like, which replace nothing.
      if (!Object.hasOwn(replaced, name)) return original;
      const replacement = replaced[name] as (original: unknown, ...args: unknown[]) => unknown;
      return (...args: unknown[]) => replacement(original, ...args);
    },
  });
}
