import type { Decision } from '../../domain/verification.js';
import type { Certification } from '../applications.js';
import type { ChallengeClaim } from '../challenges.js';
import type { HubEntry } from '../hub.js';

/** What a gatherer (by card, by number) hands on: the decision and what it was made from. */
export interface Gathered {
  decision: Decision;
  entries: HubEntry[];
  /** Certifications of the matched members in force on asOf, when already loaded. */
  certifications?: Certification[];
  /** Everyone under the 記号・番号 asked for, when already read (a dependent's insured is among them). */
  household?: HubEntry[];
  /**
   * A card's challenge, used up only with the record (src/services/disclosure-log.ts), and the
   * decision that stands instead if it is refused there.
   */
  challenge?: { claim: ChallengeClaim; refused: Decision };
}
