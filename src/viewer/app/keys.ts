/** Keyboard stepping shared by both pages: j/k or arrows, Home/End, f for the failing step. */
import { useEffect, useRef } from "preact/hooks"

export const useStepKeys = (step: number, last: number, select: (s: number) => void, failing?: number) => {
  // Presses can come faster than renders: each one moves from where the previous one went.
  const at = useRef({ step, last, select, failing })
  at.current = { step, last, select, failing }
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey) return
      const { step, last, select, failing } = at.current
      const to =
        e.key === "j" || e.key === "ArrowDown" || e.key === "ArrowRight" ? step + 1
        : e.key === "k" || e.key === "ArrowUp" || e.key === "ArrowLeft" ? step - 1
        : e.key === "Home" ? 0
        : e.key === "End" ? last
        : e.key === "f" && failing !== undefined ? failing
        : undefined
      if (to === undefined) return
      e.preventDefault()
      const next = Math.max(0, Math.min(last, to))
      at.current = { ...at.current, step: next }
      select(next)
    }
    addEventListener("keydown", onKey)
    return () => removeEventListener("keydown", onKey)
  }, [])
}
