// 日本語 / English, remembered in the address as `?lang=`.
import { useTranslation } from 'react-i18next'
import { currentLang, switchLanguage } from '../i18n'
import { LOCALES } from '../../../shared/protocol'

const NAMES = { ja: '日本語', en: 'English' } as const

export function LangSwitch() {
  const { t, i18n } = useTranslation()
  const lang = currentLang(i18n)
  return (
    <div className="lang-switch" role="group" aria-label={t('app.language')}>
      {LOCALES.map((l) => (
        <button key={l} type="button" className="btn-link" lang={l} aria-pressed={l === lang} onClick={() => switchLanguage(i18n, l)}>
          {NAMES[l]}
        </button>
      ))}
    </div>
  )
}
