/**
 * Lets unit tests import `.svelte.ts` classes in plain Node. The unit-test config runs no Svelte
 * compiler, so `$state(x)` would be an undefined global; here it stands for `x` itself, which is
 * all a class's logic needs (reactivity is the compiler's part, checked by the e2e specs). Classes
 * meant for this keep derived values in getters, not `$derived` fields, which would be computed
 * once here. Import this module before the module under test.
 */
const itself = <T>(value: T): T => value;

Object.assign(globalThis, {
  $state: Object.assign(itself, { raw: itself, snapshot: <T>(value: T): T => structuredClone(value) }),
});
