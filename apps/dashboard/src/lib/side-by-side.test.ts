import { createTwoFilesPatch } from 'diff';
import { describe, expect, it } from 'vitest';
import { sideBySide, type DiffRow } from './side-by-side';

/** Rows as short strings: `kind oldLine:text | newLine:text`, a missing side as `·`, no newline as `⏎̸`. */
function show(rows: DiffRow[]): string[] {
  const cell = (c: { line: number; text: string; noNewline?: boolean } | null) => (c ? `${c.line}:${c.text}${c.noNewline ? '⏎̸' : ''}` : '·');
  return rows.map((r) => (r.kind === 'gap' ? `gap ${r.skipped}` : `${r.kind} ${cell(r.left)} | ${cell(r.right)}`));
}

const lines = (...xs: string[]) => xs.map((x) => `${x}\n`).join('');

describe('sideBySide', () => {
  it('aligns context lines on both sides with their own line numbers, and marks skipped lines as a gap', () => {
    const before = lines('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j');
    const after = lines('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'J');
    expect(show(sideBySide(createTwoFilesPatch('revision 1', 'revision 2', before, after)))).toEqual([
      'gap 5',
      'context 6:f | 6:f',
      'context 7:g | 7:g',
      'context 8:h | 8:h',
      'context 9:i | 9:i',
      'changed 10:j | 10:J',
    ]);
  });

  it('puts pure additions on the right with a blank left, numbering the right side on', () => {
    const text = createTwoFilesPatch('a', 'b', lines('x', 'y'), lines('x', 'new1', 'new2', 'y'));
    expect(show(sideBySide(text))).toEqual(['context 1:x | 1:x', 'added · | 2:new1', 'added · | 3:new2', 'context 2:y | 4:y']);
  });

  it('puts pure removals on the left with a blank right', () => {
    const text = createTwoFilesPatch('a', 'b', lines('x', 'gone', 'y'), lines('x', 'y'));
    expect(show(sideBySide(text))).toEqual(['context 1:x | 1:x', 'removed 2:gone | ·', 'context 3:y | 2:y']);
  });

  it('pairs a changed block of unequal length in order, the longer side keeping its extra lines', () => {
    const more = createTwoFilesPatch('a', 'b', lines('k', 'old1', 'z'), lines('k', 'new1', 'new2', 'new3', 'z'));
    expect(show(sideBySide(more))).toEqual(['context 1:k | 1:k', 'changed 2:old1 | 2:new1', 'added · | 3:new2', 'added · | 4:new3', 'context 3:z | 5:z']);
    const fewer = createTwoFilesPatch('a', 'b', lines('k', 'old1', 'old2', 'old3', 'z'), lines('k', 'new1', 'z'));
    expect(show(sideBySide(fewer))).toEqual(['context 1:k | 1:k', 'changed 2:old1 | 2:new1', 'removed 3:old2 | ·', 'removed 4:old3 | ·', 'context 5:z | 3:z']);
  });

  it('flags the line before a "\\ No newline at end of file" marker, on the side it belongs to', () => {
    const text = createTwoFilesPatch('a', 'b', lines('a', 'k'), 'a\nk');
    expect(show(sideBySide(text))).toEqual(['context 1:a | 1:a', 'changed 2:k | 2:k⏎̸']);
    const both = ['--- a', '+++ b', '@@ -1 +1 @@', '-x', '\\ No newline at end of file', '+y', '\\ No newline at end of file', ''].join('\n');
    expect(show(sideBySide(both))).toEqual(['changed 1:x⏎̸ | 1:y⏎̸']);
    const context = ['@@ -1,2 +1,2 @@', '-a', '+A', ' z', '\\ No newline at end of file'].join('\n');
    expect(show(sideBySide(context))).toEqual(['changed 1:a | 1:A', 'context 2:z⏎̸ | 2:z⏎̸']);
  });

  it('keeps hunks apart with the number of unchanged lines between them', () => {
    const before = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
    const after = before.map((l, i) => (i === 1 || i === 25 ? `${l} edited` : l));
    const rows = sideBySide(createTwoFilesPatch('a', 'b', lines(...before), lines(...after)));
    expect(rows.filter((r) => r.kind === 'gap')).toEqual([{ kind: 'gap', skipped: 15 }]) // jsdiff keeps 4 lines of context: 1–6, then 22–30;
    expect(show(rows.filter((r) => r.kind === 'changed'))).toEqual(['changed 2:line 2 | 2:line 2 edited', 'changed 26:line 26 | 26:line 26 edited']);
  });

  it('starts a new block when a removal follows additions, and reads removed lines that look like headers', () => {
    const text = ['--- a', '+++ b', '@@ -1,2 +1,2 @@', '--- x', '+y', '-z', '++++ w', ''].join('\n');
    expect(show(sideBySide(text))).toEqual(['changed 1:-- x | 1:y', 'changed 2:z | 2:+++ w']);
  });

  it('handles counts left out of hunk headers and an empty side', () => {
    expect(show(sideBySide('@@ -3 +3 @@\n-a\n+b\n'))).toEqual(['gap 2', 'changed 3:a | 3:b']);
    expect(show(sideBySide(createTwoFilesPatch('a', 'b', '', lines('p', 'q'))))).toEqual(['added · | 1:p', 'added · | 2:q']);
    expect(show(sideBySide(createTwoFilesPatch('a', 'b', lines('p'), '')))).toEqual(['removed 1:p | ·']);
  });

  it('gives no rows for two equal files or an empty text', () => {
    expect(sideBySide(createTwoFilesPatch('a', 'b', lines('same'), lines('same')))).toEqual([]);
    expect(sideBySide('')).toEqual([]);
  });

  it('reads an empty line inside a hunk as an empty context line', () => {
    expect(show(sideBySide('@@ -1,2 +1,2 @@\n\n-a\n+b\n'))).toEqual(['context 1: | 1:', 'changed 2:a | 2:b']);
  });
});
