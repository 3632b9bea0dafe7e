// Sorting the values cards into three piles: the next unsorted card with one button per pile,
// then the piles, where tapping a card moves it on to the next pile, a mouse can drag it to any
// pile, and the keys 1, 2 and 3 put the focused card straight into a pile.
import { useCallback, useLayoutEffect, useState, type KeyboardEvent } from 'react'
import type * as Y from 'yjs'
import { PILES, type Pile } from '../../../../shared/layout'
import type { Locale } from '../../../../shared/protocol'
import { usePhaseT, Visibility } from '../Frame'
import { nextPile, setPile, type Card } from './cards'
import { useCardDrag } from './useCardDrag'

type Props = {
  notebook: Y.Doc
  cards: Card[]
  piles: Record<string, Pile>
  shared: Set<string>
  lang: Locale
}

export function CardPiles({ notebook, cards, piles, shared, lang }: Props) {
  const t = usePhaseT(lang)
  const drop = useCallback((id: string, pile: Pile) => setPile(notebook, id, pile), [notebook])
  const { drag, onPointerDown, consumeDragClick } = useCardDrag(drop)
  const unsorted = cards.filter((c) => !piles[c.id])
  const next = unsorted[0]
  const sortedCount = cards.length - unsorted.length

  // A card changes lists when it changes piles; a keyboard user's focus follows it there, in the
  // same commit, so a key pressed right after lands on the card and not on the page.
  const [follow, setFollow] = useState<string | null>(null)
  useLayoutEffect(() => {
    if (!follow) return
    document.querySelector<HTMLElement>(`.ph-piles [data-card="${CSS.escape(follow)}"]`)?.focus()
    setFollow(null)
  }, [follow])
  const move = (id: string, pile: Pile, el: HTMLElement) => {
    const keyboard = el.matches(':focus-visible')
    setPile(notebook, id, pile)
    if (keyboard) setFollow(id)
  }
  const onKey = (id: string, e: KeyboardEvent<HTMLElement>) => {
    const i = ['1', '2', '3'].indexOf(e.key)
    if (i >= 0) {
      e.preventDefault()
      move(id, PILES[i]!, e.currentTarget)
    }
  }

  const chip = (c: Card) => {
    const pile = piles[c.id]
    const dragging = drag?.id === c.id
    const isShared = shared.has(c.id)
    return (
      <li key={c.id}>
        <button
          type="button"
          className={`ph-chip ph-chip-${pile ?? 'none'} ${dragging ? 'ph-chip-dragging' : ''} ${isShared ? 'ph-chip-shared' : ''}`}
          style={dragging ? { transform: `translate(${drag.dx}px, ${drag.dy}px)` } : undefined}
          aria-label={`${c.label} — ${pile ? t(`values.pile.${pile}`) : t('values.unsorted')}${isShared ? ` (${t('shared')})` : ''}. ${t('values.tapTo', { pile: t(`values.pile.${nextPile(pile)}`) })}`}
          aria-keyshortcuts="1 2 3"
          data-card={c.id}
          onPointerDown={(e) => onPointerDown(c.id, e)}
          onClick={(e) => {
            if (!consumeDragClick()) move(c.id, nextPile(pile), e.currentTarget)
          }}
          onKeyDown={(e) => onKey(c.id, e)}
        >
          {c.label}
          {isShared && <span aria-hidden="true" className="ph-chip-mark">★</span>}
        </button>
      </li>
    )
  }

  return (
    <div className="ph-sort">
      <div className="ph-card ph-next" aria-live="polite">
        <p className="ph-hint">{t('values.progress', { count: sortedCount, total: cards.length })}</p>
        {next ? (
          <>
            <p className="ph-next-card" data-testid="next-card">{next.label}</p>
            <div className="ph-pile-buttons" role="group" aria-label={t('values.putInto', { card: next.label })}>
              {PILES.map((p) => (
                <button key={p} type="button" className={`ph-btn ph-pile-btn ph-pile-btn-${p}`} onClick={() => setPile(notebook, next.id, p)} data-testid={`sort-${p}`}>
                  {t(`values.pile.${p}`)}
                </button>
              ))}
            </div>
          </>
        ) : (
          <p className="ph-next-done">{t('values.allSorted')}</p>
        )}
      </div>
      <p className="ph-hint">{t('values.howTo')}</p>
      <div className="ph-piles">
        {PILES.map((p) => {
          const inPile = cards.filter((c) => piles[c.id] === p)
          return (
            <section key={p} className={`ph-pile ph-pile-${p} ${drag?.over === p ? 'ph-pile-over' : ''}`} data-pile={p} aria-labelledby={`pile-${p}`}>
              <h4 id={`pile-${p}`} className="ph-pile-title">
                {t(`values.pile.${p}`)} <span className="ph-pile-count">{inPile.length}</span>
              </h4>
              <ul className="ph-chips">{inPile.map(chip)}</ul>
            </section>
          )
        })}
      </div>
      {unsorted.length > 1 && (
        <details className="ph-unsorted">
          <summary>{t('values.unsortedList', { count: unsorted.length })}</summary>
          <ul className="ph-chips">{unsorted.map(chip)}</ul>
        </details>
      )}
      <div className="ph-row">
        <Visibility shared={false} lang={lang} />
        <span className="ph-hint">{t('values.sortPrivate')}</span>
      </div>
    </div>
  )
}
