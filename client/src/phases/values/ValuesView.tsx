// Values: sort the deck (and one's own words) into three piles in the notebook, choose a top
// three, and publish those — and only those — to the board.
import { cardsOf, draftsOf, readNotebook, readPerson, readVision } from '../../../../shared/layout'
import { DRAFT, draftText, peekDraft } from '../../notebook/drafts'
import { boardReadOnly, PhaseFrame } from '../Frame'
import { useObserved, usePerson, useVision } from '../hooks'
import type { PhaseContext } from '../types'
import { setText } from '../ytext'
import { allCards, cardNames, defaultValuePos, publishValues } from './cards'
import { CardPiles } from './CardPiles'
import { CustomCards } from './CustomCards'
import { TopThree } from './TopThree'

export function ValuesView(ctx: PhaseContext) {
  const { notebook, board, me, lang } = ctx
  useObserved(cardsOf(notebook))
  useObserved(draftsOf(notebook))
  useVision(board)
  const person = usePerson(board, me.participantId)
  const cards = allCards(notebook, lang)
  const piles = readNotebook(notebook).cards
  const published = person ? readPerson(person, me.participantId).values : []
  const publishedTexts = new Set(published.map((v) => v.text))
  const shared = new Set(cards.filter((c) => cardNames(notebook, c.id).some((n) => publishedTexts.has(n))).map((c) => c.id))
  const very = cards.filter((c) => piles[c.id] === 'very')
  const labelOf = (id: string) => cards.find((c) => c.id === id)?.label ?? ''

  const stored = peekDraft(notebook, DRAFT.topThree)?.toString() ?? ''
  const picks = [...new Set(stored.split(/\s+/))].filter((id) => piles[id] === 'very' && labelOf(id)).slice(0, 3)
  const setPicks = (ids: string[]) => setText(draftText(notebook, DRAFT.topThree), ids.join(' '))

  const index = ctx.state.roster.findIndex((r) => r.participantId === me.participantId)
  const visionPos = readVision(board).map((v) => v.pos)
  const publish = () => {
    if (!person) return
    publishValues(board, person, picks.map((id) => ({ text: labelOf(id), names: cardNames(notebook, id) })), (rank) => defaultValuePos(visionPos, index, rank))
  }
  const unpublish = () => person && publishValues(board, person, [], () => ({ x: 0, y: 0 }))
  return (
    <PhaseFrame ctx={ctx}>
      <div className="ph-values">
        <div className="ph-values-sort">
          <CardPiles notebook={notebook} cards={cards} piles={piles} shared={shared} lang={lang} />
          <CustomCards notebook={notebook} own={cards.filter((c) => c.custom)} lang={lang} />
        </div>
        <div className="ph-values-top">
          <TopThree
            lang={lang}
            very={very}
            picks={picks}
            setPicks={setPicks}
            published={published}
            person={person}
            readOnly={boardReadOnly(ctx)}
            labelOf={labelOf}
            namesOf={(id) => cardNames(notebook, id)}
            onPublish={publish}
            onUnpublish={unpublish}
          />
        </div>
      </div>
    </PhaseFrame>
  )
}
