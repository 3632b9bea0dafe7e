// The built client, with the pages of SPEC §3 answered by its index.html.
import { existsSync } from 'node:fs'
import path from 'node:path'
import express, { type Router } from 'express'

export function clientRoutes(dir: string): Router {
  const r = express.Router()
  const index = path.join(dir, 'index.html')
  r.use(express.static(dir, { index: false, maxAge: '1h', setHeaders: (res, file) => file.includes(`${path.sep}assets${path.sep}`) && res.setHeader('Cache-Control', 'public, max-age=31536000, immutable') }))
  r.get(['/', '/j/:code', '/f/:code'], (_req, res) => {
    if (!existsSync(index)) return res.status(503).type('text/plain').send('The client is not built yet: run `npm run build`.')
    res.setHeader('Cache-Control', 'no-cache')
    res.sendFile(index)
  })
  return r
}
