/**
 * @module
 * The GSM 03.38 default alphabet and its extension table, one septet per octet as SMPP carries
 * it (unpacked). Extension characters are an escape (0x1B) plus a code: two septets each.
 */

// Index = septet value. 0x1B is the escape to the extension table, never a character itself.
const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà'

const EXTENSION: ReadonlyArray<readonly [code: number, char: string]> = [
  [0x0a, '\f'],
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
]

export const ESCAPE = 0x1b

const basicByChar = new Map<string, number>()
for (let i = 0; i < BASIC.length; i++) if (i !== ESCAPE) basicByChar.set(BASIC[i] as string, i)
const extensionByChar = new Map<string, number>(EXTENSION.map(([code, c]) => [c, code]))
const extensionByCode = new Map<number, string>(EXTENSION)

/** Septets the character takes: 1 (basic), 2 (extension) or undefined when GSM cannot carry it. */
export function gsm7Septets(char: string): 1 | 2 | undefined {
  if (basicByChar.has(char)) return 1
  if (extensionByChar.has(char)) return 2
  return undefined
}

/** True when every character of `text` is in the default alphabet or its extension. */
export function isGsm7(text: string): boolean {
  for (const char of text) if (gsm7Septets(char) === undefined) return false
  return true
}

/** Length in septets, extension characters counted as two; undefined when not GSM. */
export function gsm7Length(text: string): number | undefined {
  let n = 0
  for (const char of text) {
    const septets = gsm7Septets(char)
    if (septets === undefined) return undefined
    n += septets
  }
  return n
}

/** Unpacked septets of `text`. Throws for a character outside GSM 03.38: check with isGsm7. */
export function encodeGsm7(text: string): Buffer {
  const out: number[] = []
  for (const char of text) {
    const basic = basicByChar.get(char)
    if (basic !== undefined) {
      out.push(basic)
      continue
    }
    const ext = extensionByChar.get(char)
    if (ext === undefined) throw new RangeError(`'${char}' is not in the GSM 03.38 alphabet`)
    out.push(ESCAPE, ext)
  }
  return Buffer.from(out)
}

/**
 * Text of unpacked septets. An unknown extension code shows the basic character of that code,
 * as 03.38 asks of receivers; a trailing lone escape is dropped.
 */
export function decodeGsm7(bytes: Uint8Array): string {
  let text = ''
  for (let i = 0; i < bytes.length; i++) {
    const septet = (bytes[i] as number) & 0x7f
    if (septet === ESCAPE) {
      if (i + 1 >= bytes.length) break
      const code = (bytes[++i] as number) & 0x7f
      text += extensionByCode.get(code) ?? (code === ESCAPE ? ' ' : (BASIC[code] as string))
      continue
    }
    text += BASIC[septet] as string
  }
  return text
}
