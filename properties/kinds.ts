/**
 * Property kinds: how a property is checked. A kind says *when* a property is evaluated; its
 * class (classes.ts) says what a violation means.
 *
 * @example
 * defaultClass('quiescence'); // 'leak': a final state that still holds a reference
 */
import type { PropertyClass } from './classes.ts';

/**
 * - `invariant`: holds in every reachable state;
 * - `requires`: holds whenever the step that carries it is taken (taking it otherwise is the violation);
 * - `deadlock`: a state where no step is possible is an intended end (`final`);
 * - `quiescence`: holds in every final state (every reference returned, every lock released);
 * - `cover`: some reachable state satisfies it (else the model is vacuous there, or a capability is lost);
 * - `bounds`: every value stays inside its sort (a violation means "raise the model's bounds").
 */
export type PropertyKind = 'invariant' | 'requires' | 'deadlock' | 'quiescence' | 'cover' | 'bounds';

export const KINDS: readonly PropertyKind[] = ['invariant', 'requires', 'deadlock', 'quiescence', 'cover', 'bounds'];

/** The class a property of this kind gets when neither the catalogue nor the model names one. */
export function defaultClass(kind: PropertyKind): PropertyClass {
  switch (kind) {
    case 'invariant': case 'requires': return 'unsound';
    case 'deadlock': return 'liveness';
    case 'quiescence': return 'leak';
    case 'cover': return 'capability';
    // A value left its sort: not a kernel event but a model limit; reported, never UB.
    case 'bounds': return 'warn';
  }
}
