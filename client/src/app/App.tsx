// The page switch and the providers every page shares.
import { I18nextProvider } from 'react-i18next'
import type { i18n as I18n } from 'i18next'
import { ToastProvider } from '../ui/Toasts'
import { useRoute } from './router'
import { HomePage } from './HomePage'
import { JoinPage } from './JoinPage'
import { FacilitatorPage } from './FacilitatorPage'
import { NotFoundPage } from './NotFoundPage'

function Pages() {
  const route = useRoute()
  switch (route.page) {
    case 'home':
      return <HomePage />
    case 'join':
      return <JoinPage key={route.code} code={route.code} />
    case 'facilitator':
      return <FacilitatorPage key={route.code} code={route.code} />
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
