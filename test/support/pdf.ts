import { execFileSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';

/** pdftotext of a PDF, and the number of pages pdftoppm rendered (each page checked to be an image). */
export function readPdf(bytes: Buffer, dir: string, name: string): { text: string; pages: number } {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, bytes);
  const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  const prefix = join(dir, `${name}-page`);
  execFileSync('pdftoppm', ['-r', '60', '-png', file, prefix]);
  const pages = readdirSync(dir).filter((f) => f.startsWith(`${name}-page`) && f.endsWith('.png'));
  for (const p of pages) expect(statSync(join(dir, p)).size).toBeGreaterThan(1_000);
  return { text, pages: pages.length };
}
