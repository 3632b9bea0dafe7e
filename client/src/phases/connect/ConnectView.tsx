// Connect: link one's published values or purpose to the company's vision items, with a reason.
// A link is shared the moment it is made; one's links are listed and can be removed.
import { useId, useState, type FormEvent } from 'react'
import { nanoid } from 'nanoid'
import { linksOf, PURPOSE_SOURCE, readPerson, readVision } from '../../../../shared/layout'
import { LIMITS, isValidId } from '../../../../shared/limits'
import { codePoints } from '../../../../shared/text'
import { boardReadOnly, PhaseFrame, usePhaseT, Visibility } from '../Frame'
import { usePerson, useVision } from '../hooks'
import { PurposePanel } from '../purpose/PurposeView'
import type { PhaseContext } from '../types'
import { clampText, publishable } from '../ytext'

function short(s: string, max = 40) {
  const c = Array.from(s)
  return c.length > max ? `${c.slice(0, max - 1).join('')}…` : s
}

export function ConnectView(ctx: PhaseContext) {
  const t = usePhaseT(ctx.lang)
  const id = useId()
  useVision(ctx.board)
  const person = usePerson(ctx.board, ctx.me.participantId)
  const vision = readVision(ctx.board)
  const mine = person ? readPerson(person, ctx.me.participantId) : null
  const sources = [
    ...(mine?.values ?? []).map((v) => ({ id: v.id, label: v.rank ? `${v.rank}. ${v.text}` : v.text })),
    ...(mine?.purpose ? [{ id: PURPOSE_SOURCE, label: `${t('connect.purpose')}: ${short(mine.purpose)}` }] : []),
  ]
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [reason, setReason] = useState('')
  const links = mine?.links ?? []
  const readOnly = boardReadOnly(ctx)
  const full = links.length >= LIMITS.linksMax
  const fromOk = sources.some((s) => s.id === from)
  const toOk = vision.some((v) => v.id === to)
  const duplicate = links.some((l) => l.from === from && l.to === to)
  const canLink = !!person && !readOnly && !full && fromOk && toOk && !duplicate
  const labelOfSource = (s: string) => sources.find((x) => x.id === s)?.label ?? t('connect.gone')
  const titleOf = (v: string) => vision.find((x) => x.id === v)?.title ?? t('connect.gone')

  const submit = (e: FormEvent) => {
    e.preventDefault()
    const map = person && linksOf(person)
    if (!map || !canLink) return
    let linkId = nanoid(12)
    while (!isValidId(linkId) || map.has(linkId)) linkId = nanoid(12)
    map.set(linkId, { from, to, reason: publishable(reason, LIMITS.reason) })
    setReason('')
  }
  const remove = (linkId: string) => person && linksOf(person)?.delete(linkId)

  return (
    <PhaseFrame ctx={ctx}>
      <div className="ph-connect">
        <div className="ph-card">
          <h3 className="ph-h">{t('connect.vision')}</h3>
          <ul className="ph-list ph-vision" data-testid="vision-list">
            {vision.map((v) => (
              <li key={v.id} className="ph-vision-item">
                <strong>{v.title}</strong>
                {v.body && <p className="ph-vision-body">{v.body}</p>}
              </li>
            ))}
          </ul>
        </div>
        {sources.length === 0 ? (
          <div className="ph-card">
            <p>{t('connect.nothingPublished')}</p>
            <details className="ph-catchup">
              <summary>{t('connect.catchUp')}</summary>
              <PurposePanel ctx={ctx} withFrame={false} />
            </details>
          </div>
        ) : (
          <form className="ph-card ph-link-form" onSubmit={submit} data-testid="link-form">
            <h3 className="ph-h">{t('connect.make')}</h3>
            <div className="ph-field">
              <label htmlFor={`${id}-from`} className="ph-label">{t('connect.from')}</label>
              <select id={`${id}-from`} value={fromOk ? from : ''} onChange={(e) => setFrom(e.target.value)} data-testid="link-from">
                <option value="">{t('connect.choose')}</option>
                {sources.map((s) => <option key={s.id} value={s.id}>{s.label}</option>)}
              </select>
            </div>
            <div className="ph-field">
              <label htmlFor={`${id}-to`} className="ph-label">{t('connect.to')}</label>
              <select id={`${id}-to`} value={toOk ? to : ''} onChange={(e) => setTo(e.target.value)} data-testid="link-to">
                <option value="">{t('connect.choose')}</option>
                {vision.map((v) => <option key={v.id} value={v.id}>{short(v.title, 60)}</option>)}
              </select>
            </div>
            <div className="ph-field">
              <label htmlFor={`${id}-why`} className="ph-label">{t('connect.reason')}</label>
              <textarea id={`${id}-why`} rows={2} value={reason} onChange={(e) => setReason(clampText(e.target.value, LIMITS.reason))} aria-describedby={`${id}-n`} data-testid="link-reason" />
              <span id={`${id}-n`} className="ph-count">{t('count', { count: codePoints(reason.trim()), max: LIMITS.reason })}</span>
            </div>
            <button type="submit" className="ph-btn ph-btn-wide" disabled={!canLink} data-testid="link-add">{t('connect.link')}</button>
            {full && <p className="ph-hint">{t('connect.full', { max: LIMITS.linksMax })}</p>}
            {fromOk && toOk && duplicate && <p className="ph-hint">{t('connect.already')}</p>}
          </form>
        )}
        <div className="ph-card">
          <div className="ph-row">
            <h3 className="ph-h ph-grow">{t('connect.yours', { count: links.length })}</h3>
            <Visibility shared={links.length > 0} lang={ctx.lang} />
          </div>
          {links.length === 0 ? (
            <p className="ph-hint">{t('connect.none')}</p>
          ) : (
            <ul className="ph-list" data-testid="links">
              {links.map((l) => (
                <li key={l.id} className="ph-link" data-testid="link">
                  <div className="ph-link-ends">
                    <span>{labelOfSource(l.from)}</span>
                    <span aria-hidden="true"> → </span>
                    <span className="ph-sr">{t('connect.linkedTo')}</span>
                    <strong>{titleOf(l.to)}</strong>
                  </div>
                  {l.reason && <p className="ph-link-reason">{l.reason}</p>}
                  <button type="button" className="ph-btn ph-btn-quiet" disabled={readOnly} onClick={() => remove(l.id)} aria-label={t('connect.remove', { to: titleOf(l.to) })}>
                    {t('remove')}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </PhaseFrame>
  )
}
