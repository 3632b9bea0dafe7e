// Room code + name → a participant token. Every refusal is told in words after submitting.
import { useState, type FormEvent } from 'react'
import { useTranslation } from 'react-i18next'
import { LIMITS, ROOM_CODE_LENGTH, normalizeCode } from '../../../shared/limits'
import { ApiError, joinWorkshop } from '../net/api'
import { saveParticipant } from '../net/tokens'

type Props = { initialCode?: string; onJoined(code: string): void }

export function JoinForm({ initialCode = '', onJoined }: Props) {
  const { t } = useTranslation()
  const [code, setCode] = useState(initialCode)
  const [name, setName] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  async function submit(e: FormEvent) {
    e.preventDefault()
    const typed = code.trim().toUpperCase()
    const normal = normalizeCode(typed)
    if (!normal) {
      setError(t('join.unknown', { code: typed || '—' }))
      return
    }
    if (!name.trim()) {
      setError(t('join.invalid'))
      return
    }
    setBusy(true)
    setError(null)
    try {
      const res = await joinWorkshop(normal, name.trim())
      saveParticipant(normal, { participantId: res.participantId, token: res.participantToken })
      onJoined(normal)
    } catch (err) {
      setError(messageFor(err, normal))
      setBusy(false)
    }
  }

  function messageFor(err: unknown, c: string): string {
    if (!(err instanceof ApiError)) return t('join.failed')
    switch (err.code) {
      case 'NOT_FOUND':
        return t('join.unknown', { code: c })
      case 'ENDED':
        return t('join.ended')
      case 'CONFLICT':
        return t('join.full')
      case 'INVALID':
        return t('join.invalid')
      case 'RATE_LIMITED':
        return t('join.rateLimited')
      case 'NETWORK':
        return t('join.network')
      default:
        return t('join.failed')
    }
  }

  return (
    <form className="form join-form" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor="join-code">{t('join.code')}</label>
        <input
          id="join-code"
          name="code"
          className="input input-code"
          value={code}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
          autoComplete="off"
          autoCapitalize="characters"
          spellCheck={false}
          maxLength={ROOM_CODE_LENGTH + 4}
          inputMode="text"
          required
        />
      </div>
      <div className="field">
        <label htmlFor="join-name">{t('join.name')}</label>
        <input
          id="join-name"
          name="name"
          className="input"
          value={name}
          onChange={(e) => setName(e.target.value)}
          autoComplete="nickname"
          maxLength={LIMITS.name * 2}
          required
        />
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="btn btn-primary btn-block" disabled={busy}>
        {t('join.submit')}
      </button>
    </form>
  )
}
