/**
 * The Japanese font embedded in every PDF (toolchain.md §5). IPAexGothic from Debian is the default:
 * it has the variant kanji of the resident record (髙, 﨑) and fontkit parses it quickly. The file is
 * read once per process and the Buffer reused: re-reading or re-parsing it per document is what
 * makes PDF rendering slow.
 */
import { existsSync, readFileSync } from 'node:fs';

export interface DocumentFont {
  /** Where the font was read from (for logs and error messages). */
  path: string;
  /** The font file. Never mutate it: it is shared by every document of the process. */
  buffer: Buffer;
  /** PostScript name of the face to use when the file is a collection (.ttc/.otc), else undefined. */
  family: string | undefined;
}

interface Candidate {
  path: string;
  family?: string;
}

/** Searched in order after `SHIKAKU_FONT`: Debian/Ubuntu IPAex, then Noto Sans CJK JP (Debian, Fedora, Arch). */
export const FONT_CANDIDATES: readonly Candidate[] = [
  { path: '/usr/share/fonts/opentype/ipaexfont-gothic/ipaexg.ttf' },
  { path: '/usr/share/fonts/truetype/ipaexfont-gothic/ipaexg.ttf' },
  { path: '/usr/share/fonts/ipaex-gothic/ipaexg.ttf' },
  { path: '/usr/share/fonts/opentype/ipafont-gothic/ipag.ttf' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKjp-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKjp-Regular' },
  { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKjp-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJKjp-Regular.otf' },
];

const INSTALL_HINT =
  'Install a Japanese font: `apt-get install fonts-ipaexfont-gothic` (Debian/Ubuntu), ' +
  'or set SHIKAKU_FONT to a .ttf/.otf file (for a .ttc collection also set SHIKAKU_FONT_FAMILY, e.g. NotoSansCJKjp-Regular)';

let cached: DocumentFont | undefined;

function isCollection(path: string): boolean {
  return /\.(ttc|otc)$/i.test(path);
}

/**
 * Picks the font file: `SHIKAKU_FONT` (with `SHIKAKU_FONT_FAMILY` for a collection), then
 * FONT_CANDIDATES. Pure apart from `existsSync`; exported for tests.
 */
export function resolveFontPath(
  env: Record<string, string | undefined> = process.env,
  exists: (path: string) => boolean = existsSync,
): Candidate {
  const fromEnv = env.SHIKAKU_FONT?.trim();
  if (fromEnv) {
    // An explicit choice that does not work is an error, not a reason to fall back silently.
    if (!exists(fromEnv)) throw new Error(`SHIKAKU_FONT=${fromEnv} does not exist. ${INSTALL_HINT}`);
    const family = env.SHIKAKU_FONT_FAMILY?.trim() || undefined;
    if (isCollection(fromEnv) && !family) {
      throw new Error(`SHIKAKU_FONT=${fromEnv} is a font collection: set SHIKAKU_FONT_FAMILY to the face to use`);
    }
    return family ? { path: fromEnv, family } : { path: fromEnv };
  }
  const found = FONT_CANDIDATES.find((c) => exists(c.path));
  if (!found) {
    throw new Error(
      `No Japanese font found (looked at ${FONT_CANDIDATES.map((c) => c.path).join(', ')}). ${INSTALL_HINT}`,
    );
  }
  return found;
}

/** The font for documents, read on first use and cached for the life of the process. */
export function documentFont(): DocumentFont {
  if (!cached) {
    const { path, family } = resolveFontPath();
    cached = { path, buffer: readFileSync(path), family };
  }
  return cached;
}

/** Forgets the cached font (tests that change SHIKAKU_FONT). */
export function resetDocumentFontCache(): void {
  cached = undefined;
}
