import { RE2JS, RE2JSSyntaxException } from 're2js';

/**
 * Largest RE2 program a route regex may compile to (re2js `programSize()`, about one
 * instruction per literal, class or operator, repetitions expanded). Matching is linear in the
 * path times this size, so it bounds the work per request; 100 is Envoy's default
 * `re2.max_program_size.error_level`. Real routes are far below it (`^/api/v[0-9]+/` is 11, a
 * UUID route about 55).
 */
export const MAX_ROUTE_REGEX_PROGRAM = 100;

/** The construct RE2 refuses, named after what the pattern's author meant, from the parser's offending fragment. */
const GROUP_CONSTRUCTS: readonly (readonly [string, string])[] = [
  ['(?=', 'lookahead (?=…)'],
  ['(?!', 'negative lookahead (?!…)'],
  ['(?<=', 'lookbehind (?<=…)'],
  ['(?<!', 'negative lookbehind (?<!…)'],
  ['(?>', 'atomic group (?>…)'],
  ['(?#', 'comment group (?#…)'],
];

/** Names a construct RE2 does not support (lookaround, backreference, possessive quantifier, a PCRE-only escape), or null for a plain syntax error. */
function unsupportedConstruct(description: string, fragment: string): string | null {
  for (const [prefix, name] of GROUP_CONSTRUCTS) if (fragment.startsWith(prefix)) return name;
  if (/^\\[1-9]/.test(fragment)) return `backreference ${fragment}`;
  if (fragment.startsWith('\\k')) return 'named backreference \\k<…>';
  if (description === 'invalid nested repetition operator' && fragment.endsWith('+')) return `possessive quantifier ${fragment}`;
  if (fragment.startsWith('\\u')) return 'escape \\u (write \\x{HHHH})';
  if (description === 'invalid escape sequence') return `escape ${fragment}`;
  if (description === 'invalid or unsupported Perl syntax') return `group syntax ${fragment}`;
  return null;
}

/** Why `source` cannot be a route regex, as a message after the field name; null when it can. */
export function routeRegexProblem(source: string): string | null {
  let compiled: RE2JS;
  try {
    compiled = RE2JS.compile(source);
  } catch (error) {
    if (!(error instanceof RE2JSSyntaxException)) return `is not a valid regular expression: ${(error as Error).message}`;
    const fragment = error.input ?? '';
    const construct = unsupportedConstruct(error.error, fragment);
    if (construct !== null) return `${construct} is not supported: route regexes use RE2 syntax`;
    return `is not a valid regular expression (RE2 syntax): ${error.error}${fragment === '' ? '' : `: ${fragment}`}`;
  }
  const size = compiled.programSize();
  if (size > MAX_ROUTE_REGEX_PROGRAM) return `is too complex: its RE2 program has ${size} instructions, at most ${MAX_ROUTE_REGEX_PROGRAM} are allowed (shorten repetition counts such as {50})`;
  return null;
}

/**
 * Compiles a route regex for matching in linear time (RE2 semantics: no backtracking, so no
 * ReDoS whatever the path). @throws RE2JSSyntaxException for a pattern routeRegexProblem refuses.
 */
export function compileRouteRegex(source: string): RE2JS {
  return RE2JS.compile(source);
}
