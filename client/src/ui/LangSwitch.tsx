// One button to the other language (日本語 ⇄ English), remembered in the address as `?lang=`.
import { useTranslation } from 'react-i18next'
import { currentLang, switchLanguage } from '../i18n'

const OTHER = { ja: { lang: 'en', name: 'English' }, en: { lang: 'ja', name: '日本語' } } as const

export function LangSwitch() {
  const { t, i18n } = useTranslation()
  const other = OTHER[currentLang(i18n)]
  return (
    <button type="button" className="lang-switch" lang={other.lang} title={t('app.language')} onClick={() => switchLanguage(i18n, other.lang)}>
      {other.name}
    </button>
  )
}
