// `/`: join by room code, or create a workshop.
import { useTranslation } from 'react-i18next'
import { CreateForm } from './CreateForm'
import { Header } from './Header'
import { JoinForm } from './JoinForm'
import { navigate } from './router'

export function HomePage() {
  const { t } = useTranslation()
  return (
    <>
      <Header />
      <main id="main" className="page home">
        <p className="tagline">{t('app.tagline')}</p>
        <div className="home-grid">
          <section className="panel" aria-labelledby="home-join">
            <h1 id="home-join">{t('home.joinTitle')}</h1>
            <p className="hint">{t('home.joinHint')}</p>
            <JoinForm onJoined={(code) => navigate(`/j/${code}`)} />
          </section>
          <section className="panel" aria-labelledby="home-create">
            <h2 id="home-create">{t('home.createTitle')}</h2>
            <p className="hint">{t('home.createHint')}</p>
            <CreateForm />
          </section>
        </div>
      </main>
    </>
  )
}
