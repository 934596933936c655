/**
 * How the driver calls a hook's handlers:
 * - `sequential`: one after another in registration order, awaiting each; return values ignored.
 * - `parallel`: all started together and awaited together; return values ignored.
 * - `waterfall`: each handler receives the previous handler's result and returns the next value.
 * - `collect`: every handler returns a value; the driver gathers them by plugin name.
 * - `distribute`: the inverse of collect; each handler receives the value stored under its plugin name.
 */
export type HookKind = 'sequential' | 'parallel' | 'waterfall' | 'collect' | 'distribute';
