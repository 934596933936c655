/**
 * How the driver calls a hook's handlers:
 * - `sequential`: one after another in registration order, awaiting each; return values ignored.
 * - `waterfall`: each handler receives the previous handler's result and returns the next value.
 * - `collect`: every handler returns a value; the driver gathers them by plugin name.
 * - `distribute`: the inverse of collect; each handler receives the value stored under its plugin name.
 * No hook observes in parallel (each must finish before the next), so there is no `parallel` kind:
 * add one with the first hook that needs it.
 */
export type HookKind = 'sequential' | 'waterfall' | 'collect' | 'distribute';
