import { type FSWatcher, watch } from 'node:fs'
import { basename, dirname } from 'node:path'

/**
 * Calls `onChange` after the file changed and stayed quiet for `debounceMs`. Watches the folder,
 * not the file, because editors and config-map mounts replace the file instead of writing it.
 */
export function watchFile(file: string, onChange: () => void, debounceMs = 200): () => void {
  const name = basename(file)
  let timer: NodeJS.Timeout | undefined
  let watcher: FSWatcher | undefined
  const fire = () => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(onChange, debounceMs)
  }
  watcher = watch(dirname(file), (_event, changed) => {
    // Kubernetes swaps a ..data symlink, so any change in the folder counts when no name is given.
    if (!changed || changed === name || String(changed).startsWith('..')) fire()
  })
  watcher.unref()
  return () => {
    if (timer) clearTimeout(timer)
    watcher?.close()
    watcher = undefined
  }
}
