import { useTranslation } from 'react-i18next'
import { Header } from './Header'

export function NotFoundPage() {
  const { t } = useTranslation()
  return (
    <>
      <Header />
      <main id="main" className="page page-narrow">
        <h1>404</h1>
        <p>
          <a href="/">{t('errors.home')}</a>
        </p>
      </main>
    </>
  )
}
