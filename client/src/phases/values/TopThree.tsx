// Choosing one's top three from the "very important" pile, ranking them, and publishing them to
// the board on a tap; what is on the board is shown as shared, everything else as private.
import type { PersonMap, ValueView } from '../../../../shared/layout'
import type { Locale } from '../../../../shared/protocol'
import { usePhaseT, Visibility } from '../Frame'
import { samePicks, type Card } from './cards'

type Props = {
  lang: Locale
  very: Card[]
  picks: string[]
  setPicks: (ids: string[]) => void
  published: ValueView[]
  person: PersonMap | undefined
  readOnly: boolean
  labelOf: (id: string) => string
  namesOf: (id: string) => string[]
  onPublish: () => void
  onUnpublish: () => void
}

export function TopThree({ lang, very, picks, setPicks, published, person, readOnly, labelOf, namesOf, onPublish, onUnpublish }: Props) {
  const t = usePhaseT(lang)
  const toggle = (id: string) => {
    if (picks.includes(id)) setPicks(picks.filter((p) => p !== id))
    else if (picks.length < 3) setPicks([...picks, id])
  }
  const move = (i: number, by: -1 | 1) => {
    const next = [...picks]
    const j = i + by
    if (j < 0 || j >= next.length) return
    ;[next[i], next[j]] = [next[j]!, next[i]!]
    setPicks(next)
  }
  const same = samePicks(picks.map((id) => ({ text: labelOf(id), names: namesOf(id) })), published)
  return (
    <div className="ph-card ph-top" data-testid="top-three">
      <h3 className="ph-h">{t('values.topTitle')}</h3>
      {very.length === 0 ? (
        <p className="ph-hint">{t('values.topEmpty')}</p>
      ) : (
        <>
          <p className="ph-hint">{t('values.topHint')}</p>
          <ul className="ph-chips" aria-label={t('values.pile.very')}>
            {very.map((c) => {
              const rank = picks.indexOf(c.id) + 1
              return (
                <li key={c.id}>
                  <button
                    type="button"
                    className={`ph-chip ph-chip-pick ${rank ? 'ph-chip-picked' : ''}`}
                    aria-pressed={rank > 0}
                    disabled={!rank && picks.length >= 3}
                    onClick={() => toggle(c.id)}
                    data-pick={c.id}
                  >
                    {rank > 0 && <span className="ph-rank" aria-hidden="true">{rank}</span>}
                    {c.label}
                  </button>
                </li>
              )
            })}
          </ul>
        </>
      )}
      {picks.length > 0 && (
        <ol className="ph-ranked" aria-label={t('values.yourTop')}>
          {picks.map((id, i) => (
            <li key={id} className="ph-ranked-item">
              <span className="ph-rank">{i + 1}</span>
              <span className="ph-grow">{labelOf(id)}</span>
              <button type="button" className="ph-btn ph-btn-quiet ph-btn-icon" aria-label={t('values.rankUp', { card: labelOf(id) })} disabled={i === 0} onClick={() => move(i, -1)}>↑</button>
              <button type="button" className="ph-btn ph-btn-quiet ph-btn-icon" aria-label={t('values.rankDown', { card: labelOf(id) })} disabled={i === picks.length - 1} onClick={() => move(i, 1)}>↓</button>
            </li>
          ))}
        </ol>
      )}
      <div className="ph-row">
        <Visibility shared={published.length > 0} lang={lang} />
        {published.length > 0 && !same && <span className="ph-hint">{t('changesNotShared')}</span>}
      </div>
      {published.length > 0 && (
        <ol className="ph-published ph-published-values" data-testid="values-published" aria-label={t('values.onBoard')}>
          {published.map((v) => (
            <li key={v.id}>{v.text}</li>
          ))}
        </ol>
      )}
      <div className="ph-actions">
        {!same && (
          <button type="button" className="ph-btn" disabled={!person || readOnly || picks.length === 0} onClick={onPublish} data-testid="values-publish">
            {published.length ? t('shareChanges') : t('values.publish')}
          </button>
        )}
        {published.length > 0 && (
          <button type="button" className="ph-btn ph-btn-quiet" disabled={readOnly} onClick={onUnpublish} data-testid="values-unpublish">
            {t('unpublish')}
          </button>
        )}
      </div>
    </div>
  )
}
