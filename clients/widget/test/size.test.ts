import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const bundle = join(root, 'dist/widget.js');
const budget = 15 * 1024;

/** The newest change under src/, so a stale build is rebuilt rather than measured. */
function newestSource(dir = join(root, 'src')): number {
  return Math.max(...readdirSync(dir, { withFileTypes: true }).map((e) => (e.isDirectory() ? newestSource(join(dir, e.name)) : statSync(join(dir, e.name)).mtimeMs)));
}

describe('dist/widget.js', () => {
  it(`is one self-contained script within ${budget} bytes gzip`, () => {
    if (!existsSync(bundle) || statSync(bundle).mtimeMs < newestSource()) {
      execFileSync(process.execPath, [join(root, '../../node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
    }
    const bytes = readFileSync(bundle);
    const code = bytes.toString('utf8');
    const gzip = gzipSync(bytes, { level: 9 }).length;
    console.log(`dist/widget.js: ${bytes.length} bytes, ${gzip} bytes gzip`);
    expect(gzip).toBeLessThanOrEqual(budget);
    // one IIFE (no top-level declarations: no globals but window.LiveChat), no other chunks,
    // nothing imported at runtime
    expect(code.startsWith('(function(){'), 'starts as an IIFE').toBe(true);
    expect(code.trimEnd().endsWith('})();'), 'ends as an IIFE').toBe(true);
    expect(/\bimport\s*\(|(^|[;}])\s*import[\s{*]|\bexport\s*[{*]/m.test(code), 'import or export found').toBe(false);
    expect(readdirSync(join(root, 'dist'))).toEqual(['widget.js']);
    // nothing loaded from anywhere: no fonts, images or CDNs (SVG's namespace is not a request)
    expect(code.match(/https?:\/\/[^\s"'`)]*/g)?.filter((url) => !url.startsWith('http://www.w3.org/')) ?? []).toEqual([]);
  });
});
