// What every phase view shares: the prompt, the connection note, the ready toggle and the shared/private badge.
import { useState, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import type { PhaseContext } from './types'

export type PhaseT = (key: string, options?: Record<string, unknown>) => string

/** Translations of the `phases` namespace in the page's language. React escapes what it renders,
 *  so interpolated text (names, card labels) is not escaped a second time. */
export function usePhaseT(lang: PhaseContext['lang']): PhaseT {
  const { t } = useTranslation('phases', { lng: lang })
  const tr = t as unknown as (key: string, options?: Record<string, unknown>) => string
  return (key, options) => tr(key, { ...options, interpolation: { escapeValue: false } })
}

/** True when the board may not be written: a write now would be refused and the document lost. */
export function boardReadOnly(ctx: PhaseContext): boolean {
  return ctx.state.locked || ctx.state.ended
}

export function ConnectionNote({ ctx }: { ctx: PhaseContext }) {
  const t = usePhaseT(ctx.lang)
  const offline = ctx.boardStatus === 'offline' || ctx.notebookStatus === 'offline'
  const connecting = !offline && (ctx.boardStatus === 'connecting' || ctx.notebookStatus === 'connecting')
  if (!offline && !connecting) return null
  return (
    <p className={`ph-note ${offline ? 'ph-note-offline' : 'ph-note-connecting'}`} role="status" data-testid="offline-note">
      {offline ? t('offline') : t('connecting')}
    </p>
  )
}

export function ReadyToggle({ ctx }: { ctx: PhaseContext }) {
  const t = usePhaseT(ctx.lang)
  const ready = ctx.state.roster.find((r) => r.participantId === ctx.me.participantId)?.ready ?? false
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const toggle = async () => {
    setBusy(true)
    setError(null)
    try {
      const ack = await ctx.send('ready:set', { ready: !ready })
      if (!ack.ok) setError(t('readyFailed'))
    } catch {
      setError(t('readyFailed'))
    } finally {
      setBusy(false)
    }
  }
  if (ctx.state.ended) return null
  return (
    <div className="ph-ready">
      <button type="button" className={`ph-btn ${ready ? 'ph-btn-done' : 'ph-btn-quiet'}`} aria-pressed={ready} disabled={busy} onClick={toggle}>
        {ready && <span aria-hidden="true">✓ </span>}
        {t('readyOff')}
      </button>
      {error && <span className="ph-error" role="alert">{error}</span>}
    </div>
  )
}

export function PhaseFrame({ ctx, children, ready = true }: { ctx: PhaseContext; children?: ReactNode; ready?: boolean }) {
  return (
    <section className="ph" data-phase-kind={ctx.phase.kind} aria-label={ctx.phase.title}>
      {ctx.phase.prompt && <p className="ph-prompt">{ctx.phase.prompt}</p>}
      <ConnectionNote ctx={ctx} />
      {children}
      {ready && <ReadyToggle ctx={ctx} />}
    </section>
  )
}

/** "Shared" or "private only": every piece of a participant's writing says where it lives. */
export function Visibility({ shared, lang }: { shared: boolean; lang: PhaseContext['lang'] }) {
  const t = usePhaseT(lang)
  return (
    <span className={`ph-badge ${shared ? 'ph-badge-shared' : 'ph-badge-private'}`} data-visibility={shared ? 'shared' : 'private'}>
      {shared ? (
        <svg viewBox="0 0 12 12" aria-hidden="true"><circle cx="6" cy="6" r="4" fill="currentColor" /></svg>
      ) : (
        <svg viewBox="0 0 12 12" aria-hidden="true">
          <rect x="2" y="5.5" width="8" height="6" rx="1" fill="currentColor" />
          <path d="M4 5.5V4a2 2 0 0 1 4 0v1.5" fill="none" stroke="currentColor" strokeWidth="1.4" />
        </svg>
      )}
      {shared ? t('shared') : t('privateOnly')}
    </span>
  )
}
