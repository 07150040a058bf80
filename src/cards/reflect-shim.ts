/**
 * The few `Reflect` metadata functions that tsyringe (a dependency of @peculiar/x509) needs at import
 * time. @peculiar/x509 v2 requires "a Reflect polyfill" (reflect-metadata, core-js or
 * @abraham/reflection); none is installed, and this 30-line subset is all tsyringe and tslib's
 * `__metadata` call. It installs nothing when a real polyfill is already present. Import it before
 * `@peculiar/x509` (src/cards/x509.ts does).
 */
type Key = unknown;
type Target = object;
type Prop = string | symbol | undefined;

const metadata = new WeakMap<Target, Map<Prop, Map<Key, unknown>>>();

function table(target: Target, prop: Prop, create: boolean): Map<Key, unknown> | undefined {
  let byProp = metadata.get(target);
  if (!byProp) {
    if (!create) return undefined;
    byProp = new Map();
    metadata.set(target, byProp);
  }
  let byKey = byProp.get(prop);
  if (!byKey) {
    if (!create) return undefined;
    byKey = new Map();
    byProp.set(prop, byKey);
  }
  return byKey;
}

/** Own metadata first, then up the prototype chain, as reflect-metadata's `getMetadata` does. */
function lookup(key: Key, target: Target, prop: Prop): { found: boolean; value: unknown } {
  for (let o: Target | null = target; o; o = Object.getPrototypeOf(o) as Target | null) {
    const own = table(o, prop, false);
    if (own?.has(key)) return { found: true, value: own.get(key) };
  }
  return { found: false, value: undefined };
}

const reflect = Reflect as unknown as Record<string, unknown>;
if (typeof reflect.getMetadata !== 'function') {
  Object.assign(reflect, {
    defineMetadata: (key: Key, value: unknown, target: Target, prop?: Prop) => {
      table(target, prop, true)?.set(key, value);
    },
    getOwnMetadata: (key: Key, target: Target, prop?: Prop) => table(target, prop, false)?.get(key),
    hasOwnMetadata: (key: Key, target: Target, prop?: Prop) => table(target, prop, false)?.has(key) ?? false,
    getMetadata: (key: Key, target: Target, prop?: Prop) => lookup(key, target, prop).value,
    hasMetadata: (key: Key, target: Target, prop?: Prop) => lookup(key, target, prop).found,
    metadata: (key: Key, value: unknown) => (target: Target, prop?: Prop) => {
      table(target, prop, true)?.set(key, value);
    },
  });
}
