// Three pages (SPEC §3): `/`, `/j/:code`, `/f/:code`. Navigation keeps `?lang=`.
import { useEffect, useState } from 'react'

export type Route = { page: 'home' } | { page: 'join'; code: string } | { page: 'facilitator'; code: string } | { page: 'notFound' }

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'home' }
  const m = /^\/([jf])\/([^/]+)\/?$/.exec(pathname)
  if (!m) return { page: 'notFound' }
  const code = decodeURIComponent(m[2]!).toUpperCase()
  return m[1] === 'j' ? { page: 'join', code } : { page: 'facilitator', code }
}

const NAV_EVENT = 'kasane:navigate'

export function navigate(path: string, opts: { replace?: boolean } = {}): void {
  const lang = new URLSearchParams(window.location.search).get('lang')
  const url = new URL(path, window.location.origin)
  if (lang && !url.searchParams.has('lang')) url.searchParams.set('lang', lang)
  const target = url.pathname + url.search + url.hash
  if (opts.replace) window.history.replaceState(null, '', target)
  else window.history.pushState(null, '', target)
  window.dispatchEvent(new Event(NAV_EVENT))
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.pathname))
  useEffect(() => {
    const update = () => setRoute(parseRoute(window.location.pathname))
    window.addEventListener('popstate', update)
    window.addEventListener(NAV_EVENT, update)
    return () => {
      window.removeEventListener('popstate', update)
      window.removeEventListener(NAV_EVENT, update)
    }
  }, [])
  return route
}
