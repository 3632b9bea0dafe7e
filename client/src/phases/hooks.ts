// React bindings for Yjs: a component re-renders whenever what it reads changes, locally or remotely.
import { useEffect, useReducer } from 'react'
import type * as Y from 'yjs'
import { peopleOf, visionOf, type PersonMap } from '../../../shared/layout'

/** Re-renders on every change inside `type` (deep). */
export function useObserved(type: Y.AbstractType<any> | null | undefined): void {
  const [, bump] = useReducer((n: number) => n + 1, 0)
  useEffect(() => {
    if (!type) return
    const onChange = () => bump()
    type.observeDeep(onChange)
    bump()
    return () => type.unobserveDeep(onChange)
  }, [type])
}

/** Everyone's board entries, observed. */
export function usePeople(board: Y.Doc): Y.Map<PersonMap> {
  const people = peopleOf(board)
  useObserved(people)
  return people
}

/** One's own board entry (created by the server at join; absent until the board has synced). */
export function usePerson(board: Y.Doc, participantId: string): PersonMap | undefined {
  const people = usePeople(board)
  const p = people.get(participantId)
  return p && typeof (p as PersonMap).get === 'function' ? p : undefined
}

export function useVision(board: Y.Doc) {
  const vision = visionOf(board)
  useObserved(vision)
  return vision
}
