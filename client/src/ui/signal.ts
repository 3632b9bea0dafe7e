// The time's-up signal: a short WebAudio beep (browsers allow it after any earlier tap or key).
let ctx: AudioContext | null = null

function audio(): AudioContext | null {
  try {
    ctx ??= new AudioContext()
    return ctx
  } catch {
    return null
  }
}

/** Call from a user gesture so that later beeps are allowed to play. */
export function unlockAudio(): void {
  const a = audio()
  if (a && a.state === 'suspended') void a.resume()
}

export function beep(): void {
  const a = audio()
  if (!a) return
  if (a.state === 'suspended') void a.resume()
  const start = a.currentTime + 0.02
  for (let i = 0; i < 3; i++) {
    const osc = a.createOscillator()
    const gain = a.createGain()
    osc.type = 'sine'
    osc.frequency.value = 880
    const t0 = start + i * 0.35
    gain.gain.setValueAtTime(0.0001, t0)
    gain.gain.exponentialRampToValueAtTime(0.3, t0 + 0.02)
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + 0.25)
    osc.connect(gain).connect(a.destination)
    osc.start(t0)
    osc.stop(t0 + 0.3)
  }
}
