// Which identity each Yjs client id of a loaded document belongs to. Ownership is not stored: it
// is read back from where each client's first item sits (strictly below people.<id> → that
// participant; anywhere else on the board → the facilitator's side). A notebook has one writer.
import * as Y from 'yjs'
import { BOARD } from '../../shared/layout.js'
import type { RoomName } from '../../shared/protocol.js'
import { FACILITATOR_OWNER } from './identity.js'

export function deriveOwners(doc: Y.Doc, room: RoomName): Map<number, string> {
  const owners = new Map<number, string>()
  const people = doc.share.get(BOARD.people)
  for (const [client, structs] of doc.store.clients) {
    if (room.kind === 'notebook') {
      owners.set(client, room.participantId)
      continue
    }
    const first = structs.find((s): s is Y.Item => s instanceof Y.Item)
    if (!first) continue
    owners.set(client, ownerOfItem(first, people) ?? FACILITATOR_OWNER)
  }
  return owners
}

function ownerOfItem(item: Y.Item, people: Y.AbstractType<any> | undefined): string | null {
  let top = item
  let depth = 0
  while (top.parent instanceof Y.AbstractType && top.parent._item && depth++ < 1000) top = top.parent._item
  if (!people || top.parent !== people || top === item || !top.parentSub) return null
  return top.parentSub
}
