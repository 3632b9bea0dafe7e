// Zoom, fit, undo and redo as buttons (touch and keyboard), plus who is here.
import { useEffect, useReducer, useState } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import type { Peer } from './usePresence'

type Props = {
  zoomBy(f: number): void
  fit(): void
  undo: Y.UndoManager | null
  canEdit: boolean
  peers: Peer[]
  locked: boolean
}

export function BoardToolbar({ zoomBy, fit, undo, canEdit, peers, locked }: Props) {
  const { t } = useTranslation()
  const [, bump] = useReducer((n: number) => n + 1, 0)
  const [showPeople, setShowPeople] = useState(false)
  useEffect(() => {
    if (!undo) return
    undo.on('stack-item-added', bump)
    undo.on('stack-item-popped', bump)
    undo.on('stack-cleared', bump)
    return () => {
      undo.off('stack-item-added', bump)
      undo.off('stack-item-popped', bump)
      undo.off('stack-cleared', bump)
    }
  }, [undo])
  const online = peers.filter((p) => !p.idle).length
  return (
    <div className="board-toolbar">
      {locked && <span className="badge badge-locked">{t('board.locked')}</span>}
      <div className="btn-group" role="group" aria-label={t('board.label')}>
        <button type="button" className="btn-icon" onClick={() => zoomBy(1 / 1.25)} aria-label={t('board.zoomOut')} title={t('board.zoomOut')}>
          −
        </button>
        <button type="button" className="btn-icon" onClick={fit} aria-label={t('board.fit')} title={t('board.fit')}>
          ⤢
        </button>
        <button type="button" className="btn-icon" onClick={() => zoomBy(1.25)} aria-label={t('board.zoomIn')} title={t('board.zoomIn')}>
          +
        </button>
      </div>
      {undo && (
        <div className="btn-group" role="group">
          <button type="button" className="btn-icon" onClick={() => undo.undo()} disabled={!canEdit || !undo.canUndo()} aria-label={t('board.undo')} title={t('board.undo')}>
            ↶
          </button>
          <button type="button" className="btn-icon" onClick={() => undo.redo()} disabled={!canEdit || !undo.canRedo()} aria-label={t('board.redo')} title={t('board.redo')}>
            ↷
          </button>
        </div>
      )}
      <div className="presence">
        <button type="button" className="btn-chip" aria-expanded={showPeople} onClick={() => setShowPeople((v) => !v)}>
          <span aria-hidden="true">●</span> {t('board.online')} {online}
        </button>
        {showPeople && (
          <ul className="presence-list">
            {peers.map((p) => (
              <li key={p.clientId} className={p.idle ? 'is-idle' : ''}>
                <span className="dot" style={{ background: p.user.color }} aria-hidden="true" />
                {p.user.participantId === null ? `${p.user.name || t('board.facilitator')}` : p.user.name}
                {p.self && ` (${t('board.you')})`}
                {p.idle && <span className="muted"> · {t('board.idle')}</span>}
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  )
}
