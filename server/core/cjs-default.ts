// CommonJS packages imported from ESM arrive as { default: fn } under Node but as fn under
// bundlers; this returns the function either way.
export function cjsDefault<T>(imported: T): T {
  const wrapped = imported as unknown as { default?: T; __esModule?: boolean };
  return typeof imported === 'function' ? imported : (wrapped.default ?? imported);
}
