// The participant's phase view (client/src/phases), behind a boundary so that a failing view
// leaves the rest of the page — the board, the timer — working.
import { Component, type ReactNode } from 'react'
import { PhaseView } from '../phases'
import type { PhaseContext } from '../phases/types'

class Boundary extends Component<{ children: ReactNode; fallback: ReactNode; reset: string }, { failed: string | null }> {
  override state = { failed: null as string | null }
  static getDerivedStateFromError() {
    return { failed: 'yes' }
  }
  override componentDidUpdate(prev: { reset: string }) {
    if (prev.reset !== this.props.reset && this.state.failed) this.setState({ failed: null })
  }
  override render() {
    return this.state.failed ? this.props.fallback : this.props.children
  }
}

export function PhaseSlot(ctx: PhaseContext) {
  return (
    <Boundary reset={ctx.phase.id} fallback={<p className="prompt">{ctx.phase.prompt}</p>}>
      <PhaseView {...ctx} />
    </Boundary>
  )
}
