/**
 * Activities are methods of Nest providers, marked with `@Activity()`. `collectActivities` binds every marked method
 * to its instance (so `this` survives being handed to the worker) under the method's name, and refuses a name
 * registered twice; `assertActivities` refuses, at start-up, a contract whose activity nobody registered.
 */
export type ActivityFunction = (...args: never[]) => Promise<unknown>;

const MARKED = new WeakMap<object, Set<string>>();

export function Activity(): MethodDecorator {
  return (target, key) => {
    const names = MARKED.get(target) ?? new Set<string>();
    names.add(String(key));
    MARKED.set(target, names);
  };
}

/** The marked methods of one provider, bound to it. */
export function activitiesOf(service: object): Record<string, ActivityFunction> {
  const out: Record<string, ActivityFunction> = {};
  for (let proto = Object.getPrototypeOf(service); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    for (const name of MARKED.get(proto) ?? []) {
      const fn = (service as Record<string, unknown>)[name];
      if (typeof fn !== 'function') throw new Error(`@Activity() ${name} of ${service.constructor.name} is not a method`);
      out[name] ??= (fn as ActivityFunction).bind(service) as ActivityFunction;
    }
  }
  return out;
}

/** Every activity of the given providers, by name; two providers registering one name is a start-up error. */
export function collectActivities(services: readonly object[]): Record<string, ActivityFunction> {
  const all: Record<string, ActivityFunction> = {};
  const owner = new Map<string, string>();
  for (const service of services) {
    for (const [name, fn] of Object.entries(activitiesOf(service))) {
      if (owner.has(name)) throw new Error(`activity ${name} is registered by both ${owner.get(name)} and ${service.constructor.name}`);
      owner.set(name, service.constructor.name);
      all[name] = fn;
    }
  }
  return all;
}

/** Every activity the contracts name is registered (a workflow calling a missing one would retry forever). */
export function assertActivities(registered: Record<string, ActivityFunction>, required: Iterable<string>): void {
  const missing = [...new Set(required)].filter((name) => !(name in registered));
  if (missing.length) throw new Error(`activities declared in the contracts but registered by no provider: ${missing.join(', ')}`);
}
