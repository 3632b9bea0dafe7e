// The room code in large type, the join link with a copy button, and the QR code.
import { useState } from 'react'
import { useTranslation } from 'react-i18next'
import { Qr } from '../ui/Qr'

type Props = { code: string; joinUrl: string; participants: number; onProject(): void }

export function JoinInfo({ code, joinUrl, participants, onProject }: Props) {
  const { t } = useTranslation()
  const [copied, setCopied] = useState(false)
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(joinUrl)
      setCopied(true)
      window.setTimeout(() => setCopied(false), 2000)
    } catch {
      // Clipboard refused (no permission): the link stays selectable on screen.
    }
  }
  return (
    <section className="panel join-info" aria-labelledby="join-info-title">
      <h2 id="join-info-title" className="panel-title">
        {t('facilitator.roomCode')}
      </h2>
      <div className="join-info-body">
        <div>
          <p className="room-code" aria-label={`${t('facilitator.roomCode')}: ${code.split('').join(' ')}`}>
            {code}
          </p>
          <p className="join-link">
            <span className="muted">{t('facilitator.joinLink')}: </span>
            <a href={joinUrl} target="_blank" rel="noreferrer">
              {joinUrl}
            </a>
          </p>
          <p className="row">
            <button type="button" className="btn btn-small" onClick={copy}>
              {copied ? t('facilitator.copied') : t('facilitator.copy')}
            </button>
            <button type="button" className="btn btn-small btn-primary" onClick={onProject}>
              {t('facilitator.project')}
            </button>
          </p>
          <p className="muted">{t('facilitator.participants', { count: participants })}</p>
        </div>
        <Qr text={joinUrl} label={t('facilitator.qr', { code })} size={132} />
      </div>
    </section>
  )
}
