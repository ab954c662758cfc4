/** Keyboard stepping shared by both pages: j/k or arrows, Home/End, f for the failing step. */
import { useEffect } from "preact/hooks"

export const useStepKeys = (step: number, last: number, select: (s: number) => void, failing?: number) => {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.target instanceof HTMLInputElement || e.ctrlKey || e.metaKey || e.altKey) return
      const to =
        e.key === "j" || e.key === "ArrowDown" || e.key === "ArrowRight" ? step + 1
        : e.key === "k" || e.key === "ArrowUp" || e.key === "ArrowLeft" ? step - 1
        : e.key === "Home" ? 0
        : e.key === "End" ? last
        : e.key === "f" && failing !== undefined ? failing
        : undefined
      if (to === undefined) return
      e.preventDefault()
      select(Math.max(0, Math.min(last, to)))
    }
    addEventListener("keydown", onKey)
    return () => removeEventListener("keydown", onKey)
  }, [step, last, failing])
}
