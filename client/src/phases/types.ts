// The contract between the participant page (shell, connections, board) and the phase views.
import type * as Y from 'yjs'
import type { Ack, CommandName, CommandPayload, Locale, Phase, WorkshopState } from '../../../shared/protocol'

export type ConnStatus = 'connecting' | 'online' | 'offline'

export type Me = { code: string; participantId: string; name: string; color: string; token: string }

export type PhaseContext = {
  state: WorkshopState
  phase: Phase
  me: Me
  /** The board document, synced; the participant may write strictly below people.<me>. */
  board: Y.Doc
  /** The participant's private notebook document, synced. */
  notebook: Y.Doc
  boardStatus: ConnStatus
  notebookStatus: ConnStatus
  lang: Locale
  send<C extends CommandName>(command: C, payload: CommandPayload<C>): Promise<Ack>
}
