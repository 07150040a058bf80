import { CARD_READERS, type CardReader } from '../../../../src/domain/readers.js';

/**
 * The reader this terminal has (顔認証付きカードリーダー or 汎用カードリーダー), a setting of the
 * terminal rather than of a patient: kept in localStorage so a reload keeps it.
 */
const READER_KEY = 'shikaku.reception.reader';

export function storedReader(): CardReader {
  const value = localStorage.getItem(READER_KEY);
  return CARD_READERS.find((r) => r === value) ?? 'faceReader';
}

export function storeReader(reader: CardReader): void {
  localStorage.setItem(READER_KEY, reader);
}
