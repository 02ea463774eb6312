import { readdirSync, readFileSync } from 'node:fs'
import { join, relative, resolve } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = resolve(import.meta.dirname, '../..')
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g

/** The thread that owns a file: `shared` (src/shared), `page` (the rest of src) or `vault` (worker). */
function threadOf(file: string): 'shared' | 'page' | 'vault' | 'other' {
  const path = relative(root, file)
  if (path.startsWith('src/shared/')) return 'shared'
  if (path.startsWith('src/')) return 'page'
  if (path.startsWith('worker/')) return 'vault'
  return 'other'
}

/** Every relative import of `source` (a file at `file`) that crosses a thread boundary. */
function crossings(file: string, source: string): string[] {
  const from = threadOf(file)
  const out: string[] = []
  for (const [, specifier] of source.matchAll(SPECIFIER)) {
    const to = threadOf(resolve(file, '..', specifier!))
    const allowed = to === from || (to === 'shared' && from !== 'other')
    if (!allowed) out.push(`${relative(root, file)} imports ${specifier} (${from} -> ${to})`)
  }
  return out
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap(entry => {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) return sources(path)
    return /\.ts$/.test(entry.name) && !entry.name.endsWith('.test.ts') ? [path] : []
  })
}

describe('thread boundary', () => {
  it('page and vault code import each other only through src/shared, which imports neither', () => {
    const files = [...sources(join(root, 'src')), ...sources(join(root, 'worker'))]
    expect(files.length).toBeGreaterThan(40)
    expect(files.flatMap(file => crossings(file, readFileSync(file, 'utf8')))).toEqual([])
  })

  it('finds a crossing in each direction (the check can fail)', () => {
    expect(crossings(join(root, 'worker/vault.ts'), "import { Session } from '../src/session.js'")).toHaveLength(1)
    expect(crossings(join(root, 'src/session.ts'), "const m = await import('../worker/vault.js')")).toHaveLength(1)
    expect(crossings(join(root, 'src/shared/rpc.ts'), "import type { X } from '../options.js'")).toHaveLength(1)
    expect(crossings(join(root, 'worker/vault.ts'), "import { serve } from '../src/shared/rpc.js'")).toEqual([])
  })
})
