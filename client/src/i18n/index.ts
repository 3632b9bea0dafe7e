// i18next for the whole client: the `common` namespace (shell, console, board) merged with the
// phase views' `phases` namespace. Language: `?lang=` first, then the workshop's locale, then the
// browser's.
import i18next, { type i18n as I18n, type Resource } from 'i18next'
import { initReactI18next } from 'react-i18next'
import { common } from '../../../shared/i18n/common'
import { phases } from '../../../shared/i18n/phases'
import { LOCALES, type Locale } from '../../../shared/protocol'

const isLocale = (v: unknown): v is Locale => typeof v === 'string' && (LOCALES as readonly string[]).includes(v)

export function urlLang(): Locale | null {
  const v = new URLSearchParams(window.location.search).get('lang')
  return isLocale(v) ? v : null
}

export function browserLang(): Locale {
  const langs = navigator.languages?.length ? navigator.languages : [navigator.language]
  for (const l of langs) {
    const base = l?.toLowerCase().slice(0, 2)
    if (isLocale(base)) return base
  }
  return 'en'
}

export function createI18n(): I18n {
  const instance = i18next.createInstance()
  const resources: Resource = {}
  for (const lng of LOCALES) {
    resources[lng] = { common: common[lng], phases: phases[lng] as Resource[string][string] }
  }
  void instance.use(initReactI18next).init({
    resources,
    lng: urlLang() ?? browserLang(),
    fallbackLng: 'en',
    ns: ['common', 'phases'],
    defaultNS: 'common',
    // React escapes what it renders; double escaping would show &amp; to people.
    interpolation: { escapeValue: false },
    initAsync: false,
  })
  instance.on('languageChanged', (lng) => {
    document.documentElement.lang = lng
  })
  document.documentElement.lang = instance.language
  return instance
}

/** The workshop's locale applies unless the address names a language. */
export function applyWorkshopLocale(i18n: I18n, locale: Locale): void {
  if (!urlLang() && i18n.language !== locale) void i18n.changeLanguage(locale)
}

/** Switching language by hand writes `?lang=` so it survives a refresh and wins over the workshop's. */
export function switchLanguage(i18n: I18n, lang: Locale): void {
  const url = new URL(window.location.href)
  url.searchParams.set('lang', lang)
  window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash)
  void i18n.changeLanguage(lang)
}

export function currentLang(i18n: I18n): Locale {
  return isLocale(i18n.language) ? i18n.language : 'en'
}
