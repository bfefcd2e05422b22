// Unified diff → side-by-side rows, for the revisions page: the older YAML export on the left,
// the newer on the right, each line of one side level with its counterpart on the other.

/** One side of a row: the line's number (1-based) in its YAML export and its text. */
export interface DiffCell {
  line: number;
  text: string;
  /** The line is the last of its file and has no newline ("\ No newline at end of file"). */
  noNewline?: boolean;
}

/**
 * A row of the side-by-side view.
 * - `context`: the same line on both sides.
 * - `changed`: a removed line (left) paired with the added line that took its place (right).
 * - `removed` / `added`: a line on one side only (the other side is blank).
 * - `gap`: `skipped` unchanged lines that the unified diff left out.
 */
export type DiffRow =
  | { kind: 'context' | 'changed'; left: DiffCell; right: DiffCell }
  | { kind: 'removed'; left: DiffCell; right: null }
  | { kind: 'added'; left: null; right: DiffCell }
  | { kind: 'gap'; skipped: number };

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;

/**
 * Turns a unified diff (as jsdiff's `createTwoFilesPatch` writes it: optional `Index:`/`===`
 * lines, `---`/`+++` file headers, then `@@ -a,b +c,d @@` hunks) into aligned rows. Within a
 * hunk, a run of removed lines followed by a run of added lines becomes `changed` rows paired in
 * order, the longer run's extra lines `removed` or `added` rows. Lines outside hunks (headers)
 * are skipped; hunk line counts decide where a hunk ends, so a removed line that reads `-- x`
 * is not mistaken for a header. A `\ No newline at end of file` marker flags the line before it.
 * An empty or header-only text (two equal files) gives no rows.
 */
export function sideBySide(unified: string): DiffRow[] {
  const reader = new UnifiedReader();
  for (const line of unified.split('\n')) reader.read(line);
  return reader.finish();
}

interface Hunk {
  /** Line numbers of the next old and new lines. */
  oldLine: number;
  newLine: number;
  /** Lines of each side still to come in this hunk. */
  oldLeft: number;
  newLeft: number;
}

/** Reads a unified diff line by line; see sideBySide. */
class UnifiedReader {
  private readonly rows: DiffRow[] = [];
  /** The pending block: removed lines, then the added lines after them. */
  private readonly removed: DiffCell[] = [];
  private readonly added: DiffCell[] = [];
  private hunk: Hunk | null = null;
  /** Old-side number of the first line after the previous hunk. */
  private nextOldLine = 1;
  /** The cells of the last line read, for a "\ No newline" marker after it. */
  private last: DiffCell[] = [];

  read(line: string): void {
    if (line.startsWith('\\')) {
      for (const cell of this.last) cell.noNewline = true;
    } else if (this.hunk && (this.hunk.oldLeft > 0 || this.hunk.newLeft > 0)) {
      this.last = this.hunkLine(this.hunk, line);
    } else {
      const header = HUNK_HEADER.exec(line);
      if (header) this.openHunk(header); // anything else: file headers, or text after the last hunk
    }
  }

  finish(): DiffRow[] {
    this.flush();
    return this.rows;
  }

  /** Starts the hunk that `@@ -a,b +c,d @@` opens (a count left out is 1; start 0 with count 0 is an empty side). */
  private openHunk(header: RegExpExecArray): void {
    this.flush();
    const oldLeft = header[2] === undefined ? 1 : Number(header[2]);
    const newLeft = header[4] === undefined ? 1 : Number(header[4]);
    const start = (value: string, count: number) => (count === 0 ? Number(value) + 1 : Number(value));
    this.hunk = { oldLine: start(header[1]!, oldLeft), newLine: start(header[3]!, newLeft), oldLeft, newLeft };
    if (this.hunk.oldLine > this.nextOldLine) this.rows.push({ kind: 'gap', skipped: this.hunk.oldLine - this.nextOldLine });
    this.nextOldLine = this.hunk.oldLine + oldLeft;
    this.last = [];
  }

  /**
   * One line of a hunk: a removed or added line joins the pending block; a context line (or an
   * empty line, as some tools strip the leading space) ends it. Returns the cells it went to.
   */
  private hunkLine(hunk: Hunk, line: string): DiffCell[] {
    const text = line.slice(1);
    if (line.startsWith('-')) {
      if (this.added.length > 0) this.flush(); // a removal after additions starts a new block
      hunk.oldLeft--;
      return [push(this.removed, { line: hunk.oldLine++, text })];
    }
    if (line.startsWith('+')) {
      hunk.newLeft--;
      return [push(this.added, { line: hunk.newLine++, text })];
    }
    this.flush();
    hunk.oldLeft--;
    hunk.newLeft--;
    const row = { kind: 'context' as const, left: { line: hunk.oldLine++, text }, right: { line: hunk.newLine++, text } };
    this.rows.push(row);
    return [row.left, row.right];
  }

  /** The pending block as rows: pairs first, then the longer run's rest. */
  private flush(): void {
    const paired = Math.min(this.removed.length, this.added.length);
    for (let i = 0; i < paired; i++) this.rows.push({ kind: 'changed', left: this.removed[i]!, right: this.added[i]! });
    for (const left of this.removed.slice(paired)) this.rows.push({ kind: 'removed', left, right: null });
    for (const right of this.added.slice(paired)) this.rows.push({ kind: 'added', left: null, right });
    this.removed.length = 0;
    this.added.length = 0;
  }
}

function push(cells: DiffCell[], cell: DiffCell): DiffCell {
  cells.push(cell);
  return cell;
}
