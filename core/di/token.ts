import type { DependencyContainer, InjectionToken } from 'tsyringe';

/**
 * A DI token that carries the type it resolves to. Declare it with the same name as its
 * interface (`export interface Encoder {...}; export const Encoder = token<Encoder>('Encoder')`)
 * and resolve it with `resolve(container, Encoder)`, so a wrong token does not compile.
 */
export interface Token<T> {
  readonly description: string;
  /** The underlying tsyringe token. */
  readonly key: InjectionToken<T>;
  /** Phantom field: only the type checker sees it. */
  readonly __type?: T;
}

/** Creates a typed token; `description` appears in error messages. */
export function token<T>(description: string): Token<T> {
  return { description, key: Symbol(description) as InjectionToken<T> };
}

/** Resolves one registration of `tok` from `container`. */
export function resolve<T>(container: DependencyContainer, tok: Token<T>): T {
  return container.resolve(tok.key);
}

/** Resolves every registration of a multi-token, in registration order. */
export function resolveAll<T>(container: DependencyContainer, tok: Token<T>): T[] {
  return container.isRegistered(tok.key, true) ? container.resolveAll(tok.key) : [];
}

/** Registers a ready instance under `tok` (instances added under one token form a multi-token). */
export function provide<T>(container: DependencyContainer, tok: Token<T>, value: T): void {
  container.registerInstance(tok.key, value);
}
