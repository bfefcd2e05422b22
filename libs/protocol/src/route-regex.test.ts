import { describe, expect, it } from 'vitest';
import { routeMatch } from './config';
import { MAX_ROUTE_REGEX_PROGRAM, routeRegexProblem } from './route-regex';

describe('route regexes (RE2 syntax)', () => {
  it.each([['^/api/v[0-9]+/'], ['/ws$'], ['^/u/(?P<id>[0-9]+)$'], ['^/u/(?<id>[0-9]+)$'], ['(?i)^/docs'], ['^/[[:alpha:]]+$'], ['\\/x'], ['^/users/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$']])('accepts %s', (source) => {
    expect(routeRegexProblem(source)).toBeNull();
  });

  it.each([
    ['^/(?=admin)', 'lookahead (?=…)'],
    ['^/(?!admin)', 'negative lookahead (?!…)'],
    ['(?<=/a)b', 'lookbehind (?<=…)'],
    ['(?<!/a)b', 'negative lookbehind (?<!…)'],
    ['^/(a)\\1', 'backreference \\1'],
    ['^/(?<n>a)\\k<n>', 'named backreference \\k<…>'],
    ['^/a++', 'possessive quantifier ++'],
    ['^/a*+', 'possessive quantifier *+'],
    ['^/a{2}+', 'possessive quantifier {2}+'],
    ['^/(?>a+)', 'atomic group (?>…)'],
    ['^/\\u0041', 'escape \\u (write \\x{HHHH})'],
    ['^/x\\Z', 'escape \\Z'],
  ])('refuses %s naming %s', (source, construct) => {
    expect(routeRegexProblem(source)).toBe(`${construct} is not supported: route regexes use RE2 syntax`);
  });

  it('names plain syntax errors', () => {
    expect(routeRegexProblem('^/(open')).toBe('is not a valid regular expression (RE2 syntax): missing closing ): ^/(open');
    expect(routeRegexProblem('[')).toBe('is not a valid regular expression (RE2 syntax): missing closing ]: [');
  });

  it(`refuses a program above ${MAX_ROUTE_REGEX_PROGRAM} instructions (linear, but too much work per request)`, () => {
    expect(routeRegexProblem('(a|aa){16}$')).toBeNull();
    expect(routeRegexProblem('(a|aa){32}$')).toMatch(/^is too complex: its RE2 program has \d+ instructions, at most 100 are allowed/);
  });

  it('puts the problem on match.path of the route schema', () => {
    const result = routeMatch.safeParse({ type: 'regex', path: '^/(?=x)' });
    expect(result.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([['path', 'lookahead (?=…) is not supported: route regexes use RE2 syntax']]);
    expect(routeMatch.safeParse({ type: 'prefix', path: '/(?=x)' }).success).toBe(true);
  });
});
