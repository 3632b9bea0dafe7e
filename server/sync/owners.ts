// Which identity each Yjs client id of a loaded document belongs to. Ownership is not stored: it
// is read back from where each client's first item sits (strictly below people.<id> → that
// participant; anywhere else on the board → the facilitator's side). A notebook has one writer.
import * as Y from 'yjs'
import { BOARD } from '../../shared/layout.js'
import type { RoomName } from '../../shared/protocol.js'
import { FACILITATOR_OWNER } from './identity.js'

export function deriveOwners(doc: Y.Doc, room: RoomName): Map<number, string> {
  const owners = new Map<number, string>()
  bindClients(doc, room, owners, doc.store.clients.keys())
  return owners
}

/** Binds the given client ids that have no owner yet (after applying another node's update). */
export function bindClients(doc: Y.Doc, room: RoomName, owners: Map<number, string>, clients: Iterable<number>): void {
  const people = doc.share.get(BOARD.people)
  for (const client of clients) {
    if (owners.has(client)) continue
    if (room.kind === 'notebook') {
      owners.set(client, room.participantId)
      continue
    }
    const first = doc.store.clients.get(client)?.find((s): s is Y.Item => s instanceof Y.Item)
    if (first) owners.set(client, ownerOfItem(first, people) ?? FACILITATOR_OWNER)
  }
}

function ownerOfItem(item: Y.Item, people: Y.AbstractType<any> | undefined): string | null {
  let top = item
  let depth = 0
  while (top.parent instanceof Y.AbstractType && top.parent._item && depth++ < 1000) top = top.parent._item
  if (!people || top.parent !== people || top === item || !top.parentSub) return null
  return top.parentSub
}
