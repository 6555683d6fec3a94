/**
 * The method names of an activity interface, as a runtime list the worker checks at start-up (every name must be
 * registered exactly once). The compiler holds the list to the interface: a name missing or extra is an error.
 *
 *   export const KERNEL_ACTIVITIES = activityNames<KernelActivities>()({ openTask: true, ... });
 */
export function activityNames<I>() {
  return <R extends Record<keyof I & string, true>>(names: R & Record<Exclude<keyof R, keyof I>, never>): ReadonlyArray<keyof I & string> =>
    Object.keys(names) as Array<keyof I & string>;
}
