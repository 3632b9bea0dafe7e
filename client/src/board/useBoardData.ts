// Plain snapshots of the board document, refreshed at most once a frame however many updates come.
import { useEffect, useState } from 'react'
import type * as Y from 'yjs'
import { peopleOf, readPeople, readVision, visionOf, type PersonView, type VisionItemView } from '../../../shared/layout'

export type BoardData = { vision: VisionItemView[]; people: PersonView[] }

const read = (doc: Y.Doc): BoardData => ({ vision: readVision(doc), people: readPeople(doc) })

export function useBoardData(doc: Y.Doc): BoardData {
  const [data, setData] = useState<BoardData>(() => read(doc))
  useEffect(() => {
    setData(read(doc))
    let frame = 0
    const schedule = () => {
      if (frame) return
      frame = requestAnimationFrame(() => {
        frame = 0
        setData(read(doc))
      })
    }
    const vision = visionOf(doc)
    const people = peopleOf(doc)
    vision.observeDeep(schedule)
    people.observeDeep(schedule)
    return () => {
      vision.unobserveDeep(schedule)
      people.unobserveDeep(schedule)
      if (frame) cancelAnimationFrame(frame)
    }
  }, [doc])
  return data
}
