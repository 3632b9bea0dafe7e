// Who is on the other end of a connection, as resolved from its token.
export type Identity =
  | { role: 'facilitator'; code: string; participantId: null }
  | { role: 'participant'; code: string; participantId: string }

/** What the control plane currently allows on a workshop's board. */
export type WritePolicy = { locked: boolean; ended: boolean }

/** The owner key a Yjs client id is bound to: a participant id, or these two for the others. */
export const FACILITATOR_OWNER = '#facilitator'
export const SERVER_OWNER = '#server'
export const ownerKey = (who: Identity) => (who.role === 'facilitator' ? FACILITATOR_OWNER : who.participantId)
