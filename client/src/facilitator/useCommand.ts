// Sends a facilitator command and says so when the server refuses it.
import { useCallback } from 'react'
import { useTranslation } from 'react-i18next'
import type { Ack, CommandName, CommandPayload } from '../../../shared/protocol'
import type { Control } from '../net/useControl'
import { useToast } from '../ui/Toasts'

export type Run = <C extends CommandName>(command: C, payload: CommandPayload<C>) => Promise<Ack>

export function useCommand(control: Control): Run {
  const { t } = useTranslation()
  const toast = useToast()
  const { send } = control
  return useCallback(
    async (command, payload) => {
      const ack = await send(command, payload)
      if (!ack.ok) toast(t('errors.command', { message: ack.error.message }), 'error')
      return ack
    },
    [send, t, toast],
  ) as Run
}
