// Details of what is selected on the board, as DOM text: a card's full text and its links with
// reasons, or one link; with the actions that apply (link, delete, edit).
import { useTranslation } from 'react-i18next'
import type { Card, LinkLine, Scene } from './scene'

type Props = {
  scene: Scene
  selected: { card?: Card; link?: LinkLine } | null
  linkSource: Card | null
  me: string | null
  canEdit: boolean
  isFacilitator: boolean
  visionBody(id: string): string
  onCancelLink(): void
  onDeleteLink(l: LinkLine): void
  onEditVision(vision: Card): void
  onClose(): void
}

export function InfoPanel(p: Props) {
  const { t } = useTranslation()
  const { scene } = p
  const textOf = (key: string) => scene.byKey.get(key)?.text ?? ''
  if (p.linkSource) {
    return (
      <div className="board-info" role="status">
        <p>{t('board.linkStart', { text: p.linkSource.text })}</p>
        <button type="button" className="btn btn-small" onClick={p.onCancelLink}>
          {t('board.linkCancel')}
        </button>
      </div>
    )
  }
  if (!p.selected) return null
  const { card, link } = p.selected
  const close = (
    <button type="button" className="btn-icon board-info-close" aria-label={t('board.close')} onClick={p.onClose}>
      ×
    </button>
  )
  if (link) {
    const own = link.ownerId === p.me
    return (
      <div className="board-info" role="region" aria-label={t('board.link', { from: textOf(link.from), to: textOf(link.to) })}>
        {close}
        <p className="board-info-title">
          <span className="chip">{textOf(link.from)}</span> → <span className="chip chip-vision">{textOf(link.to)}</span>
        </p>
        <p>{link.reason ? t('board.reasonOf', { reason: link.reason }) : t('board.noReason')}</p>
        {own && p.canEdit && (
          <button type="button" className="btn btn-small btn-danger" onClick={() => p.onDeleteLink(link)}>
            {t('board.deleteLink')}
          </button>
        )}
      </div>
    )
  }
  if (!card) return null
  const links = scene.links.filter((l) => l.from === card.key || l.to === card.key)
  return (
    <div className="board-info" role="region" aria-label={card.text}>
      {close}
      {card.ownerName && (
        <p className="board-info-owner">
          <span className="dot" style={{ background: card.color }} aria-hidden="true" /> {card.ownerName}
        </p>
      )}
      <p className="board-info-title">{card.text}</p>
      {card.kind === 'vision' && p.visionBody(card.refId) && <p className="board-info-body">{p.visionBody(card.refId)}</p>}
      {links.length > 0 && (
        <ul className="board-info-links">
          {links.map((l) => (
            <li key={l.key}>
              <span className="chip">{textOf(l.from)}</span> → <span className="chip chip-vision">{textOf(l.to)}</span>
              {l.reason && <span className="reason"> — {l.reason}</span>}
              {l.ownerId === p.me && p.canEdit && (
                <button type="button" className="btn-link" onClick={() => p.onDeleteLink(l)}>
                  {t('board.deleteLink')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {card.kind === 'vision' && p.isFacilitator && (
        <button type="button" className="btn btn-small" onClick={() => p.onEditVision(card)}>
          {t('facilitator.editVision')}
        </button>
      )}
    </div>
  )
}
