/** 被扶養者異動届 (削除): a dependent, named by its 枝番, ends on `lostOn`. */
import type { NotificationResult } from '../../contract/notifications.js';
import { endingMember } from './loss.js';
import { finish } from './record.js';
import type { Input, Run } from './run.js';

export async function removeDependent(run: Run, input: Input<'dependent_remove'>): Promise<NotificationResult> {
  const member = await endingMember(run, input, 'dependent', {
    ja: '被保険者の喪失は loss で届け出てください',
    en: 'use loss for an insured',
  });
  return finish(run, input, member);
}
