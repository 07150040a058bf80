import type { CodedMessage } from '../../answers.js';
import { COMMON, dateText, pick, ratioText, relationshipText, sexText, t } from '../../i18n.js';
import { Icon } from '../../icons.js';
import { Banner } from './banner.js';
import { M } from './messages.js';
import type { StepProps } from './steps.js';

const OUTCOME = {
  eligible: { title: M.eligible, sub: M.eligibleSub, tone: 'good', icon: 'check' },
  ineligible: { title: M.ineligible, sub: M.ineligibleSub, tone: 'bad', icon: 'cross' },
  not_found: { title: M.notFound, sub: M.notFoundSub, tone: 'bad', icon: 'question' },
  ambiguous: { title: M.ambiguous, sub: M.ambiguousSub, tone: 'warn', icon: 'bang' },
} as const;

/** The answer: eligible or not, the qualification, reasons and what to do at the counter. */
export function Result({ step, heading, actions }: StepProps<'result'>) {
  const { answer, asOf, today, limitConsent } = step;
  const o = OUTCOME[answer.outcome];
  const q = answer.qualification;
  return (
    <section class="step result">
      {asOf !== today && (
        // Above the outcome and unlike any of its colours, so a replayed day never passes for today's answer.
        <p class="as-of-warning" role="alert">
          <Icon name="bang" size={24} /> {t(M.notToday, { date: dateText(asOf) })}
        </p>
      )}
      <Banner
        tone={o.tone}
        role="status"
        outcome={answer.outcome}
        icon={o.icon}
        iconSize={40}
        heading={heading}
        title={t(o.title)}
      >
        {t(o.sub)} · {t(M.checkedFor, { date: dateText(asOf) })}
      </Banner>
      {answer.reasons.some((r) => r.code === 'IDENTITY_CHECK_NOT_ALLOWED') && (
        <p class="alert bad" role="alert">
          {t(M.faceRefused)}
        </p>
      )}
      {q && (
        <div class="qualification">
          <div class="who">
            <p class="kana">{q.nameKana}</p>
            <p class="person-name">{q.name}</p>
            <p class="meta">
              {dateText(q.birthDate)} · {sexText(q.sex)} · {relationshipText(q.relationship)}
            </p>
          </div>
          <div class="ratio">
            <span class="ratio-label">{t(COMMON.burdenRatio)}</span>
            <span class="ratio-value">{ratioText(q.burdenRatio)}</span>
          </div>
          <dl class="facts">
            <div>
              <dt>{t(M.symbolNumber)}</dt>
              <dd class="mono big">
                {q.symbol}・{q.number}・{q.branch}
              </dd>
            </div>
            <div>
              <dt>{t(M.insurer)}</dt>
              <dd>
                {q.insurerName} <span class="mono nowrap">（{q.insurerNumber}）</span>
              </dd>
            </div>
            <div>
              <dt>{t(COMMON.limitCategory)}</dt>
              <dd>{q.limitCategory ?? (limitConsent ? t(M.limitNone) : t(M.limitNoConsent))}</dd>
            </div>
            <div>
              <dt>{t(COMMON.acquiredOn)}</dt>
              <dd>
                {dateText(q.acquiredOn)}
                {q.lostOn && (
                  <>
                    {' '}
                    → {t(COMMON.lostOn)} {dateText(q.lostOn)}
                  </>
                )}
              </dd>
            </div>
            {q.specificDisease.length > 0 && (
              <div>
                <dt>{t(M.specificDisease)}</dt>
                <dd>
                  {q.specificDisease.map((d) => `${d.category} (${d.monthlyLimitYen.toLocaleString()}円)`).join('、')}
                </dd>
              </div>
            )}
          </dl>
        </div>
      )}
      <Notes tone={answer.outcome === 'eligible' ? 'warn' : 'bad'} title={t(M.reasons)} items={answer.reasons} />
      <Notes tone="info" title={t(M.fallbacks)} items={answer.fallbacks} />
      <div class="row">
        <button type="button" class="primary big-button" onClick={actions.nextPatient}>
          {t(M.nextPatient)}
        </button>
      </div>
    </section>
  );
}

/** Reasons or fallbacks of an answer, each with its code; nothing when there are none. */
function Notes(props: { tone: 'warn' | 'bad' | 'info'; title: string; items: CodedMessage[] }) {
  if (props.items.length === 0) return null;
  return (
    <div class={`notes ${props.tone}`}>
      <h2>{props.title}</h2>
      <ul>
        {props.items.map((r) => (
          <li key={r.code}>
            {pick(r)} <code class="code">{r.code}</code>
          </li>
        ))}
      </ul>
    </div>
  );
}
