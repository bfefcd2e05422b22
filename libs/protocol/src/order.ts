/**
 * A comparator ordering values by the string `key` gives them, in UTF-16 code unit order (what
 * `<` does on strings): the same on every machine and database, unlike a locale or a collation.
 */
export function byText<T>(key: (value: T) => string): (a: T, b: T) => number {
  return (a, b) => {
    const x = key(a);
    const y = key(b);
    return x < y ? -1 : x > y ? 1 : 0;
  };
}
