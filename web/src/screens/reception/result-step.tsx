import { COMMON, dateText, pick, ratioText, relationshipText, sexText, t } from '../../i18n.js';
import { Icon } from '../../icons.js';
import { M } from './messages.js';
import type { HeadingRef, StepOf } from './steps.js';

const OUTCOME = {
  eligible: { title: M.eligible, sub: M.eligibleSub, tone: 'good', icon: 'check' },
  ineligible: { title: M.ineligible, sub: M.ineligibleSub, tone: 'bad', icon: 'cross' },
  not_found: { title: M.notFound, sub: M.notFoundSub, tone: 'bad', icon: 'question' },
  ambiguous: { title: M.ambiguous, sub: M.ambiguousSub, tone: 'warn', icon: 'bang' },
} as const;

export function Result(props: { step: StepOf<'result'>; heading: HeadingRef; reset: () => void }) {
  const { answer, asOf, limitConsent } = props.step;
  const o = OUTCOME[answer.outcome];
  const q = answer.qualification;
  return (
    <section class="step result">
      <div class={`banner ${o.tone}`} role="status" data-outcome={answer.outcome}>
        <span class="banner-icon" aria-hidden="true">
          <Icon name={o.icon} size={40} />
        </span>
        <div>
          <h1 tabIndex={-1} ref={props.heading}>
            {t(o.title)}
          </h1>
          <p>
            {t(o.sub)} · {t(M.checkedFor, { date: dateText(asOf) })}
          </p>
        </div>
      </div>
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
      {answer.reasons.length > 0 && (
        <div class={`notes ${answer.outcome === 'eligible' ? 'warn' : 'bad'}`}>
          <h2>{t(M.reasons)}</h2>
          <ul>
            {answer.reasons.map((r) => (
              <li key={r.code}>
                {pick(r)} <code class="code">{r.code}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      {answer.fallbacks.length > 0 && (
        <div class="notes info">
          <h2>{t(M.fallbacks)}</h2>
          <ul>
            {answer.fallbacks.map((f) => (
              <li key={f.code}>
                {pick(f)} <code class="code">{f.code}</code>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div class="row">
        <button type="button" class="primary big-button" onClick={props.reset}>
          {t(M.nextPatient)}
        </button>
      </div>
    </section>
  );
}
