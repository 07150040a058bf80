/**
 * Card readers at reception and the identity checks each allows (RULES.md §4; seed 001 Q5): a
 * face-recognition reader (顔認証付きカードリーダー) takes the face, the PIN, or a staff member's visual
 * check; a generic reader (汎用カードリーダー) has no camera, so only the PIN or a visual check.
 */

/** 顔認証付きカードリーダー / 汎用カードリーダー (GLOSSARY.md). */
export type CardReader = 'faceReader' | 'genericReader';
export const CARD_READERS: readonly CardReader[] = ['faceReader', 'genericReader'];

export type IdentityCheck = 'face' | 'pin' | 'visual';

export const IDENTITY_CHECKS_BY_READER: Readonly<Record<CardReader, readonly IdentityCheck[]>> = {
  faceReader: ['face', 'pin', 'visual'],
  genericReader: ['pin', 'visual'],
};

/** Whether `check` can be done on `reader`: a face check on a generic reader cannot. */
export function identityCheckAllowed(reader: CardReader, check: IdentityCheck): boolean {
  return IDENTITY_CHECKS_BY_READER[reader].includes(check);
}
