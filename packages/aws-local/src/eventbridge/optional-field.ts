/**
 * `{ [key]: value }`, or `{}` when the value is undefined: spreads an optional field into an
 * answer without writing `key: undefined` (which the JSON answers and the persisted files must not hold).
 */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}
