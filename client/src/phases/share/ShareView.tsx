// Share: the purposes of one's group (everyone's when there are no groups), a stamp for the ones
// that move you, and the stamps one has received. Stamps, not scores: nobody is ranked.
import { readPeople, reactionsOf, STAMPS, stampsReceived, type Stamp } from '../../../../shared/layout'
import { STAMP_INFO } from '../../../../shared/deck'
import { boardReadOnly, PhaseFrame, usePhaseT } from '../Frame'
import { usePeople, usePerson } from '../hooks'
import { PurposePanel } from '../purpose/PurposeView'
import type { PhaseContext } from '../types'

export function ShareView(ctx: PhaseContext) {
  const t = usePhaseT(ctx.lang)
  usePeople(ctx.board)
  const person = usePerson(ctx.board, ctx.me.participantId)
  const people = readPeople(ctx.board)
  const byId = new Map(people.map((p) => [p.participantId, p]))
  const roster = ctx.state.roster
  const myGroup = roster.find((r) => r.participantId === ctx.me.participantId)?.group ?? null
  const others = roster.filter((r) => r.participantId !== ctx.me.participantId && (myGroup === null || r.group === myGroup))
  const mine = byId.get(ctx.me.participantId)
  const given = mine?.reactions ?? {}
  const received = stampsReceived(people, ctx.me.participantId)
  const readOnly = boardReadOnly(ctx)

  const stamp = (to: string, s: Stamp) => {
    const map = person && reactionsOf(person)
    if (!map) return
    if (map.get(to) === s) map.delete(to)
    else map.set(to, s)
  }
  const stampName = (s: Stamp) => STAMP_INFO[s][ctx.lang]

  return (
    <PhaseFrame ctx={ctx}>
      <div className="ph-share">
        <div className="ph-card ph-mine">
          <h3 className="ph-h">{t('share.yourPurpose')}</h3>
          {mine?.purpose ? (
            <blockquote className="ph-published">{mine.purpose}</blockquote>
          ) : (
            <details className="ph-catchup">
              <summary>{t('share.noPurpose')}</summary>
              <PurposePanel ctx={ctx} withFrame={false} />
            </details>
          )}
          <p className="ph-received" data-testid="stamps-received">
            <span>{t('share.received')}</span>
            {STAMPS.map((s) => (
              <span key={s} className="ph-received-stamp" data-stamp={s}>
                <span aria-hidden="true">{STAMP_INFO[s].icon}</span> {stampName(s)} {received[s]}
              </span>
            ))}
          </p>
        </div>
        <h3 className="ph-h">{myGroup !== null ? t('share.group', { n: myGroup }) : t('share.everyone')}</h3>
        {others.length === 0 && <p className="ph-hint">{t('share.alone')}</p>}
        <ul className="ph-list ph-others">
          {others.map((r) => {
            const purpose = byId.get(r.participantId)?.purpose ?? ''
            const current = given[r.participantId]
            return (
              <li key={r.participantId} className="ph-card ph-other" data-participant={r.participantId} data-testid="share-person">
                <p className="ph-other-name">
                  <span className="ph-dot" style={{ background: r.color }} aria-hidden="true" />
                  {r.name}
                </p>
                {purpose ? <blockquote className="ph-published">{purpose}</blockquote> : <p className="ph-hint">{t('share.notYet')}</p>}
                <div className="ph-stamps" role="group" aria-label={t('share.stampFor', { name: r.name })}>
                  {STAMPS.map((s) => (
                    <button
                      key={s}
                      type="button"
                      className={`ph-stamp ${current === s ? 'ph-stamp-on' : ''}`}
                      aria-pressed={current === s}
                      disabled={readOnly || !person || !purpose}
                      onClick={() => stamp(r.participantId, s)}
                      data-stamp={s}
                    >
                      <span aria-hidden="true" className="ph-stamp-icon">{STAMP_INFO[s].icon}</span>
                      <span>{stampName(s)}</span>
                    </button>
                  ))}
                </div>
              </li>
            )
          })}
        </ul>
      </div>
    </PhaseFrame>
  )
}
