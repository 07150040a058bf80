import { CARD_READERS, type CardReader } from '../../../../src/domain/readers.js';
import { t } from '../../i18n.js';
import { M } from './messages.js';

const READER_LABEL = { faceReader: M.faceReader, genericReader: M.genericReader } as const;

/** The terminal's reader setting: a generic reader has no camera, so the face check is not offered. */
export function ReaderSelect(props: { value: CardReader; onChange: (reader: CardReader) => void }) {
  return (
    <label class="inline">
      {t(M.reader)}
      <select
        name="reader"
        value={props.value}
        onChange={(e) => {
          const chosen = CARD_READERS.find((r) => r === (e.currentTarget as HTMLSelectElement).value);
          if (chosen) props.onChange(chosen);
        }}
      >
        {CARD_READERS.map((r) => (
          <option key={r} value={r}>
            {t(READER_LABEL[r])}
          </option>
        ))}
      </select>
    </label>
  );
}
