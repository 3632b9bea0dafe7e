// `/j/:code`: the join form, or — once this browser holds a participant token for the room — the
// participant's page. The workshop's language applies before joining when the code is known.
import { useEffect, useState } from 'react'
import { useTranslation } from 'react-i18next'
import { normalizeCode } from '../../../shared/limits'
import { applyWorkshopLocale } from '../i18n'
import { getWorkshop } from '../net/api'
import { clearParticipant, loadParticipant } from '../net/tokens'
import { Header } from './Header'
import { JoinForm } from './JoinForm'
import { ParticipantPage } from './ParticipantPage'
import { navigate } from './router'

export function JoinPage({ code }: { code: string }) {
  const { t, i18n } = useTranslation()
  const normal = normalizeCode(code)
  const [creds, setCreds] = useState(() => (normal ? loadParticipant(normal) : null))
  const [title, setTitle] = useState<string | null>(null)

  useEffect(() => {
    if (!normal || creds) return
    let live = true
    getWorkshop(normal)
      .then((info) => {
        if (!live) return
        setTitle(info.title)
        applyWorkshopLocale(i18n, info.locale)
      })
      .catch(() => {
        // An unknown code is told after submitting, not before.
      })
    return () => {
      live = false
    }
  }, [normal, creds, i18n])

  if (normal && creds) {
    return (
      <ParticipantPage
        code={normal}
        creds={creds}
        onRejoin={() => {
          clearParticipant(normal)
          setCreds(null)
        }}
      />
    )
  }

  return (
    <>
      <Header />
      <main id="main" className="page page-narrow">
        <section className="panel" aria-labelledby="join-title">
          <h1 id="join-title">{title ?? t('join.title')}</h1>
          <JoinForm
            initialCode={normal ?? code}
            onJoined={(joined) => {
              if (joined === normal) setCreds(loadParticipant(joined))
              else navigate(`/j/${joined}`)
            }}
          />
        </section>
      </main>
    </>
  )
}
