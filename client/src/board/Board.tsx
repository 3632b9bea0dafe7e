// The shared board: an SVG canvas with the vision in the middle and everyone's purpose and values
// around it, links, presence, and the writes each person may make. Used by participants and the
// facilitator alike.
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { useTranslation } from 'react-i18next'
import type * as Y from 'yjs'
import type { WebsocketProvider } from 'y-websocket'
import type { Ack, CommandName, CommandPayload, WorkshopState } from '../../../shared/protocol'
import { useToast } from '../ui/Toasts'
import { BoardToolbar } from './BoardToolbar'
import { shade } from './color'
import { CardView } from './CardView'
import { Cursors } from './Cursors'
import { InfoPanel } from './InfoPanel'
import { LinkLayer, curve, type Point } from './LinkLayer'
import { ReasonDialog } from './ReasonDialog'
import { boxOf, buildScene, type Card, type LinkLine } from './scene'
import { useBoardData } from './useBoardData'
import { useBoardGestures } from './useBoardGestures'
import { useFocusFollow } from './useFocusFollow'
import { usePanZoom } from './usePanZoom'
import { usePresence, type User } from './usePresence'
import { VisionDialog } from './VisionDialog'
import { fitBox, type Size, type Viewport } from './viewport'
import { deleteLink, deleteVision, editVision, moveValue, moveVision, useUndo, writeLink } from './write'
import { LIMITS } from '../../../shared/limits'

export type BoardProps = {
  doc: Y.Doc
  provider: WebsocketProvider
  synced: boolean
  state: WorkshopState
  /** participantId null: the facilitator. */
  self: User
  send<C extends CommandName>(command: C, payload: CommandPayload<C>): Promise<Ack>
  onViewport?(v: Viewport, size: Size): void
}

type Selection = { card?: string; link?: string } | null

const READABLE_ZOOM = 0.55

export function Board({ doc, provider, synced, state, self, onViewport }: BoardProps) {
  const { t } = useTranslation()
  const toast = useToast()
  const svgRef = useRef<HTMLDivElement>(null)
  const layerRef = useRef<HTMLDivElement>(null)
  const data = useBoardData(doc)
  const scene = useMemo(() => buildScene(data.vision, data.people, state.roster), [data, state.roster])
  const me = self.participantId
  const isFacilitator = me === null
  const canEdit = isFacilitator || (!state.locked && !state.ended)
  const undo = useUndo(doc, me)
  const { peers, publish } = usePresence(provider, self)
  const [selection, setSelection] = useState<Selection>(null)
  const [linkSource, setLinkSource] = useState<string | null>(null)
  const [pending, setPending] = useState<{ from: Card; to: Card } | null>(null)
  const [editing, setEditing] = useState<Card | null>(null)

  const viewportChanged = useCallback(
    (v: Viewport, size: Size) => {
      publish({ viewport: { x: Math.round(v.x), y: Math.round(v.y), zoom: Math.round(v.zoom * 1000) / 1000 } })
      onViewport?.(v, size)
    },
    [publish, onViewport],
  )
  const refit = useRef<() => void>(() => {})
  const pz = usePanZoom(svgRef, layerRef, viewportChanged, () => refit.current())
  const following = useFocusFollow(state.focus, isFacilitator, pz)

  // Keep everything in view as content arrives, until the person moves the view themselves. On a
  // small screen the whole board is too small to read: a participant starts at their own cards.
  const box = scene.box
  const home = () => {
    const all = fitBox(box, pz.size.current)
    const mine = scene.cards.filter((c) => c.ownerId !== null && c.ownerId === me)
    if (all.zoom >= READABLE_ZOOM || !mine.length) return all
    const own = fitBox(boxOf(mine), pz.size.current)
    return { ...own, zoom: Math.max(READABLE_ZOOM, Math.min(own.zoom, 1)) }
  }
  refit.current = () => {
    if (synced && !state.focus && !pz.touched.current) pz.set(home())
  }
  useEffect(() => {
    if (!synced || state.focus || pz.touched.current) return
    pz.set(home())
    // `pz` is a new object every render; refit only when the content's extent changes.
  }, [synced, box.minX, box.minY, box.maxX, box.maxY, state.focus])

  const own = (c: Card) => c.ownerId !== null && c.ownerId === me
  const canMove = (c: Card) => canEdit && ((c.kind === 'value' && own(c)) || (c.kind === 'vision' && isFacilitator))
  const canLinkFrom = (c: Card) => canEdit && own(c) && (c.kind === 'value' || c.kind === 'purpose')

  const startLink = (from: Card, to: Card) => canEdit && setPending({ from, to })
  // A lock or the end of the workshop cancels a link in the making: writing it would be refused.
  useEffect(() => {
    if (canEdit) return
    setLinkSource(null)
    setPending(null)
  }, [canEdit])

  const tapCard = (c: Card) => {
    const source = linkSource ? scene.byKey.get(linkSource) : undefined
    if (source && c.kind === 'vision') {
      startLink(source, c)
      setLinkSource(null)
      return
    }
    if (canLinkFrom(c) && linkSource !== c.key) {
      setLinkSource(c.key)
      setSelection({ card: c.key })
      return
    }
    setLinkSource(null)
    setSelection({ card: c.key })
  }

  const gestures = useBoardGestures({
    scene,
    pz,
    svgRef,
    canMove,
    canLinkFrom,
    onTapCard: tapCard,
    onTapLink: (key) => {
      setLinkSource(null)
      setSelection({ link: key })
    },
    onTapEmpty: () => {
      setLinkSource(null)
      setSelection(null)
    },
    onMoved: (c, pos) => (c.kind === 'vision' ? moveVision(doc, c.refId, pos) : moveValue(doc, me!, c.refId, pos)),
    onLinkDrop: startLink,
    publish,
  })

  // Live positions: my own drag first, then what others are dragging.
  const overrides = useMemo(() => {
    const m = new Map<string, Point>()
    for (const p of peers) if (!p.self && p.drag) m.set(p.drag.key, p.drag)
    if (gestures.drag) m.set(gestures.drag.key, gestures.drag)
    return m
  }, [peers, gestures.drag])
  const at = useCallback((key: string): Point | null => overrides.get(key) ?? scene.byKey.get(key) ?? null, [overrides, scene])

  const labelOf = (c: Card) =>
    c.kind === 'vision'
      ? linkSource
        ? t('board.linkTo', { title: c.text })
        : t('board.vision', { title: c.text })
      : c.kind === 'purpose'
        ? t('board.purpose', { name: c.ownerName, text: c.text })
        : t('board.value', { name: c.ownerName, text: c.text })
  const linkLabel = useCallback(
    (l: LinkLine) => `${scene.byKey.get(l.from)?.text ?? ''} → ${scene.byKey.get(l.to)?.text ?? ''}${l.reason ? `: ${l.reason}` : ''}`,
    [scene],
  )

  const onKeyDown = (e: KeyboardEvent) => {
    const key = (e.target as Element).closest?.('[data-key]')?.getAttribute('data-key')
    const card = key ? scene.byKey.get(key) : undefined
    if ((e.key === 'Enter' || e.key === ' ') && card) {
      e.preventDefault()
      tapCard(card)
    } else if (e.key === 'Escape') {
      setLinkSource(null)
      setSelection(null)
    } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'z' && undo && canEdit) {
      e.preventDefault()
      if (e.shiftKey) undo.redo()
      else undo.undo()
    } else if (e.key.startsWith('Arrow')) {
      e.preventDefault()
      const step = e.shiftKey ? 80 : 20
      const dx = e.key === 'ArrowLeft' ? -step : e.key === 'ArrowRight' ? step : 0
      const dy = e.key === 'ArrowUp' ? -step : e.key === 'ArrowDown' ? step : 0
      if (card && canMove(card)) {
        const z = pz.view.current.zoom
        const pos = { x: card.x + dx / z, y: card.y + dy / z }
        if (card.kind === 'vision') moveVision(doc, card.refId, pos)
        else moveValue(doc, me!, card.refId, pos)
      } else pz.panBy(dx, dy)
    } else if (e.key === '+' || e.key === '=') pz.zoomBy(1.25)
    else if (e.key === '-') pz.zoomBy(0.8)
  }

  const selected = selection?.card ? { card: scene.byKey.get(selection.card) } : selection?.link ? { link: scene.links.find((l) => l.key === selection.link) } : null
  const source = linkSource ? (scene.byKey.get(linkSource) ?? null) : null
  const empty = synced && scene.cards.length === 0

  return (
    <div className={`board${following ? ' is-following' : ''}`}>
      <div
        ref={svgRef}
        className="board-view"
        role="application"
        aria-label={t('board.label')}
        aria-roledescription="canvas"
        tabIndex={0}
        onKeyDown={onKeyDown}
        {...gestures.handlers}
      >
        <div ref={layerRef} className="board-layer">
          <svg className="board-svg" width="1" height="1" overflow="visible">
            <LinkLayer links={scene.links} at={at} selected={selection?.link ?? null} label={linkLabel} />
            {gestures.band && <path className="link-band" d={curve(gestures.band.from, gestures.band.to)} />}
            {scene.labels.map((l) => (
              <text key={l.key} x={l.x} y={l.y} className="owner-name" fill={shade(l.color)}>
                {l.name}
              </text>
            ))}
            {scene.cards.map((c) => {
              const o = overrides.get(c.key)
              return (
                <CardView
                  key={c.key}
                  card={c}
                  x={o?.x ?? c.x}
                  y={o?.y ?? c.y}
                  label={labelOf(c)}
                  focusable
                  selected={selection?.card === c.key}
                  linkSource={linkSource === c.key}
                  handle={canLinkFrom(c)}
                  dragging={!!o}
                />
              )
            })}
            <Cursors peers={peers} />
          </svg>
        </div>
      </div>
      {!synced && <p className="board-overlay" role="status">{t('board.loading')}</p>}
      {empty && <p className="board-overlay">{t('board.empty')}</p>}
      {following && (
        <div className="board-follow" role="status">
          {t('board.following')}
        </div>
      )}
      <BoardToolbar zoomBy={pz.zoomBy} fit={() => pz.fit(scene.box)} undo={undo} canEdit={canEdit} peers={peers} locked={state.locked && !isFacilitator} />
      <InfoPanel
        scene={scene}
        selected={selected}
        linkSource={source}
        me={me}
        canEdit={canEdit}
        isFacilitator={isFacilitator}
        visionBody={(id) => data.vision.find((v) => v.id === id)?.body ?? ''}
        onCancelLink={() => setLinkSource(null)}
        onDeleteLink={(l) => {
          deleteLink(doc, l.ownerId, l.id)
          setSelection(null)
        }}
        onEditVision={(v) => setEditing(v)}
        onClose={() => setSelection(null)}
      />
      <ReasonDialog
        open={!!pending}
        fromText={pending?.from.text ?? ''}
        toText={pending?.to.text ?? ''}
        initial={pending ? (scene.links.find((l) => l.from === pending.from.key && l.to === pending.to.key)?.reason ?? '') : ''}
        onCancel={() => setPending(null)}
        onSave={(reason) => {
          if (pending && me) {
            const r = writeLink(doc, me, pending.from.refId, pending.to.refId, reason)
            if (r === 'too-many') toast(t('board.tooManyLinks', { max: LIMITS.linksMax }), 'error')
          }
          setPending(null)
        }}
      />
      <VisionDialog
        open={!!editing}
        initial={editing ? { title: editing.text, body: data.vision.find((v) => v.id === editing.refId)?.body ?? '' } : null}
        onCancel={() => setEditing(null)}
        onSave={(title, body) => {
          if (editing) editVision(doc, editing.refId, title, body)
          setEditing(null)
        }}
        onDelete={() => {
          if (editing) deleteVision(doc, editing.refId)
          setEditing(null)
          setSelection(null)
        }}
      />
    </div>
  )
}
