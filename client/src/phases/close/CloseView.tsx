// Close: a summary of everything the participant shared today, and their personal sheet as a PDF.
import { useState } from 'react'
import { readPeople, readVision, stampsReceived, STAMPS, PURPOSE_SOURCE } from '../../../../shared/layout'
import { STAMP_INFO } from '../../../../shared/deck'
import { PhaseFrame, usePhaseT } from '../Frame'
import { usePeople, useVision } from '../hooks'
import type { PhaseContext } from '../types'
import { fetchSheet, saveBlob, SheetError, sheetUrl } from './sheet'

type Download = { state: 'idle' } | { state: 'busy'; progress: number | null } | { state: 'done' } | { state: 'error'; message: string }

function Item({ label, value, testId }: { label: string; value: string; testId?: string }) {
  if (!value) return null
  return (
    <div className="ph-summary-item" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  )
}

export function CloseView(ctx: PhaseContext) {
  const t = usePhaseT(ctx.lang)
  usePeople(ctx.board)
  useVision(ctx.board)
  const people = readPeople(ctx.board)
  const mine = people.find((p) => p.participantId === ctx.me.participantId)
  const vision = readVision(ctx.board)
  const received = stampsReceived(people, ctx.me.participantId)
  const [dl, setDl] = useState<Download>({ state: 'idle' })

  const download = async () => {
    setDl({ state: 'busy', progress: null })
    try {
      const blob = await fetchSheet(sheetUrl(ctx.me.code, ctx.me.participantId, ctx.lang), ctx.me.token, (progress) => setDl({ state: 'busy', progress }))
      saveBlob(blob, `kasane-${ctx.me.code}-${ctx.lang === 'ja' ? 'シート' : 'sheet'}.pdf`)
      setDl({ state: 'done' })
    } catch (e) {
      const err = e instanceof SheetError ? e : new SheetError(0, 'NETWORK')
      const key = err.status === 0 ? 'network' : err.status === 401 ? 'unauthorized' : err.status === 404 ? 'notFound' : err.status === 429 ? 'busy' : 'failed'
      setDl({ state: 'error', message: t(`close.error.${key}`) })
    }
  }

  const sourceLabel = (from: string) => (from === PURPOSE_SOURCE ? t('connect.purpose') : mine?.values.find((v) => v.id === from)?.text ?? t('connect.gone'))
  const titleOf = (id: string) => vision.find((v) => v.id === id)?.title ?? t('connect.gone')
  const stampCount = STAMPS.reduce((n, s) => n + received[s], 0)

  return (
    <PhaseFrame ctx={ctx} ready={false}>
      <div className="ph-card ph-sheet">
        <button type="button" className="ph-btn ph-btn-wide" onClick={download} disabled={dl.state === 'busy'} data-testid="sheet-download">
          {dl.state === 'busy' ? t('close.preparing') : t('close.download')}
        </button>
        <div role="status" aria-live="polite" className="ph-sheet-status">
          {dl.state === 'busy' && (
            <progress max={1} value={dl.progress ?? undefined} aria-label={t('close.preparing')} />
          )}
          {dl.state === 'done' && <p className="ph-ok">{t('close.done')}</p>}
        </div>
        {dl.state === 'error' && <p className="ph-error" role="alert" data-testid="sheet-error">{dl.message}</p>}
        <p className="ph-hint">{t('close.privateNote')}</p>
      </div>
      <div className="ph-card">
        <h3 className="ph-h">{t('close.summary')}</h3>
        {!mine ? (
          <p className="ph-hint">{t('boardLoading')}</p>
        ) : (
          <dl className="ph-summary" data-testid="summary">
            <Item label={t('close.checkin')} value={mine.checkin} />
            {mine.values.length > 0 && (
              <div className="ph-summary-item">
                <dt>{t('close.values')}</dt>
                <dd>
                  <ol className="ph-summary-values">
                    {mine.values.map((v) => (
                      <li key={v.id}>{v.text}</li>
                    ))}
                  </ol>
                </dd>
              </div>
            )}
            <Item label={t('close.purpose')} value={mine.purpose} />
            {mine.links.length > 0 && (
              <div className="ph-summary-item">
                <dt>{t('close.links')}</dt>
                <dd>
                  <ul className="ph-list">
                    {mine.links.map((l) => (
                      <li key={l.id}>
                        {sourceLabel(l.from)} → <strong>{titleOf(l.to)}</strong>
                        {l.reason && <span className="ph-link-reason"> — {l.reason}</span>}
                      </li>
                    ))}
                  </ul>
                </dd>
              </div>
            )}
            <Item label={t('close.commitment')} value={mine.commitment} />
            <Item label={t('close.autonomy')} value={mine.autonomy} />
            <Item
              label={t('close.stamps')}
              value={stampCount ? STAMPS.filter((s) => received[s]).map((s) => `${STAMP_INFO[s].icon} ${STAMP_INFO[s][ctx.lang]} ${received[s]}`).join('　') : ''}
            />
          </dl>
        )}
        {mine && !mine.checkin && !mine.purpose && mine.values.length === 0 && !mine.commitment && <p className="ph-hint">{t('close.nothing')}</p>}
      </div>
    </PhaseFrame>
  )
}
