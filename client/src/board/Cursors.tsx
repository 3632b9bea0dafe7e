// Other people's pointers with their names, kept the same size on screen whatever the zoom. They
// glide between positions (app.css), since a busy server relays presence less often.
import type { Peer } from './usePresence'

export function Cursors({ peers }: { peers: Peer[] }) {
  return (
    <g className="cursors" aria-hidden="true">
      {peers.map((p) =>
        p.self || !p.cursor || p.idle ? null : (
          <g key={p.clientId} className="cursor" style={{ transform: `translate(${p.cursor.x}px, ${p.cursor.y}px)` }}>
            <g className="unzoom">
              <path d="M0 0 L0 16 L4.5 12 L8 19 L10.5 18 L7 11 L13 11 Z" fill={p.user.color} stroke="#fff" strokeWidth={1.2} />
              <text x={14} y={26} className="cursor-name" fill={p.user.color}>
                {p.user.name}
              </text>
            </g>
          </g>
        ),
      )}
    </g>
  )
}
