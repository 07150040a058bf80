/**
 * QR code drawn as vector rectangles (toolchain.md §5): crisp at any print resolution, no image
 * to embed, and a few hundred path operations per code.
 */
import QRCode from 'qrcode';

export interface QrMatrix {
  /** Modules per side (21 for version 1, +4 per version). */
  size: number;
  isDark(row: number, col: number): boolean;
}

/** Quiet zone required around the symbol (ISO/IEC 18004: 4 modules). */
export const QR_QUIET_ZONE = 4;

const matrices = new Map<string, QrMatrix>();
const MATRIX_CACHE_LIMIT = 64;

/**
 * The modules of the QR code for `payload` (error correction M: survives a crease or a stamp).
 * Cached: a batch of notices usually links to the same portal address, and choosing the mask
 * pattern is the costly part.
 */
export function qrMatrix(payload: string): QrMatrix {
  let matrix = matrices.get(payload);
  if (!matrix) {
    const { modules } = QRCode.create(payload, { errorCorrectionLevel: 'M' });
    matrix = { size: modules.size, isDark: (row, col) => modules.get(row, col) === 1 };
    if (matrices.size >= MATRIX_CACHE_LIMIT) matrices.clear();
    matrices.set(payload, matrix);
  }
  return matrix;
}

export interface QrPlacement {
  /** Top-left corner of the box, quiet zone included. */
  x: number;
  y: number;
  /** Side of the box, quiet zone included. */
  side: number;
}

/**
 * Draws the code in a `side` × `side` box whose outer QR_QUIET_ZONE modules stay blank, and returns
 * the module size. Each run of dark modules in a row is one rectangle, and all go in one path filled
 * once, so rasterisers leave no hairline seams between neighbouring modules.
 */
export function drawQr(doc: PDFKit.PDFDocument, payload: string, at: QrPlacement): number {
  const matrix = qrMatrix(payload);
  const module = at.side / (matrix.size + 2 * QR_QUIET_ZONE);
  const x0 = at.x + QR_QUIET_ZONE * module;
  const y0 = at.y + QR_QUIET_ZONE * module;
  doc.save();
  doc.rect(at.x, at.y, at.side, at.side).fill('#ffffff');
  for (let row = 0; row < matrix.size; row++) {
    let col = 0;
    while (col < matrix.size) {
      if (!matrix.isDark(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < matrix.size && matrix.isDark(row, col)) col++;
      doc.rect(x0 + start * module, y0 + row * module, (col - start) * module, module);
    }
  }
  doc.fill('#000000');
  doc.restore();
  return module;
}
