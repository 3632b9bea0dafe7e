// The thin bar on top of every page: name, what follows it, language.
import type { ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { LangSwitch } from '../ui/LangSwitch'

export function Header({ children }: { children?: ReactNode }) {
  const { t } = useTranslation()
  return (
    <header className="app-header">
      <a className="skip-link" href="#main">
        {t('app.skip')}
      </a>
      <a className="brand" href="/">
        <span aria-hidden="true">重</span> Kasane
      </a>
      <div className="app-header-middle">{children}</div>
      <LangSwitch />
    </header>
  )
}
