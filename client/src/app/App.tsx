// The page switch and the providers every page shares.
import { lazy, Suspense } from 'react'
import { I18nextProvider, useTranslation } from 'react-i18next'
import type { i18n as I18n } from 'i18next'
import { ToastProvider } from '../ui/Toasts'
import { useRoute } from './router'
import { HomePage } from './HomePage'
import { JoinPage } from './JoinPage'

// Participants on phones never load the console (and its QR and export code).
const FacilitatorPage = lazy(() => import('./FacilitatorPage').then((m) => ({ default: m.FacilitatorPage })))

function Loading() {
  const { t } = useTranslation()
  return (
    <p className="loading page" role="status">
      {t('app.loading')}
    </p>
  )
}
import { NotFoundPage } from './NotFoundPage'

function Pages() {
  const route = useRoute()
  switch (route.page) {
    case 'home':
      return <HomePage />
    case 'join':
      return <JoinPage key={route.code} code={route.code} />
    case 'facilitator':
      return (
        <Suspense fallback={<Loading />}>
          <FacilitatorPage key={route.code} code={route.code} />
        </Suspense>
      )
    default:
      return <NotFoundPage />
  }
}

export function App({ i18n }: { i18n: I18n }) {
  return (
    <I18nextProvider i18n={i18n}>
      <ToastProvider>
        <Pages />
      </ToastProvider>
    </I18nextProvider>
  )
}
