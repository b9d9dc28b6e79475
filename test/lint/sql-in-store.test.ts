import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const store = 'src-main/core/store/';

/** A statement handed to SQLite: `.prepare(…)`, `.pragma(…)`, or `.exec(` with SQL text (a RegExp's `.exec(value)` is not). */
const SQL_CALL = /\.(?:prepare|pragma)\s*(?:<[^>]*>)?\s*\(|\.exec\s*\(\s*['"`]/;

function sourceFiles(dir: string): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(relative);
    return /\.tsx?$/.test(entry.name) ? [relative] : [];
  });
}

/** `file:line` of every SQL statement in `files` outside the store. */
function sqlOutsideStore(files: Array<{ file: string; text: string }>): string[] {
  return files.flatMap(({ file, text }) =>
    file.startsWith(store) ? [] : text.split('\n').flatMap((line, index) => (SQL_CALL.test(line) ? [`${file}:${index + 1}`] : [])),
  );
}

describe('all SQL lives in src-main/core/store (DESIGN.md)', () => {
  it('finds no statement prepared or executed anywhere else in the main process', () => {
    const files = sourceFiles('src-main').map((file) => ({ file, text: readFileSync(path.join(root, file), 'utf8') }));
    expect(files.some(({ file }) => file.startsWith(store))).toBe(true);
    expect(sqlOutsideStore(files)).toEqual([]);
  });

  it.each([
    ["db.prepare('SELECT * FROM directory_sync_state WHERE id = 1').get();"],
    ['db.prepare<[string], { n: number }>(`SELECT count(*) AS n FROM users WHERE id = ?`);'],
    ["db.exec('DELETE FROM challenges');"],
    ["db.pragma('synchronous = FULL');"],
  ])('would refuse %s outside the store', (line) => {
    expect(sqlOutsideStore([{ file: 'src-main/core/idp/x.ts', text: line }])).toEqual(['src-main/core/idp/x.ts:1']);
    expect(sqlOutsideStore([{ file: `${store}x.ts`, text: line }])).toEqual([]);
  });

  it("does not mistake a RegExp's exec for SQL", () => {
    expect(sqlOutsideStore([{ file: 'src-main/core/sms/x.ts', text: 'const match = /^sha256=([0-9a-f]{64})$/i.exec(header.trim());' }])).toEqual([]);
  });
});
