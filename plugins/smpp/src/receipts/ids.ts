/**
 * @module
 * SMSC message ids as they come back in receipts. submit_sm_resp and the receipt text do not
 * always agree on the form: one may be hex and the other decimal (SMPP 3.3 vs 3.4 habits), with
 * or without leading zeros, in either case.
 */

/** Lower case, without leading zeros: the form ids are stored under. */
export function normalizeId(id: string): string {
  const trimmed = id.trim().toLowerCase()
  const stripped = trimmed.replace(/^0+/, '')
  return stripped === '' && trimmed !== '' ? '0' : stripped
}

/**
 * The stored forms a receipt's id may stand for, most likely first: as given, then the decimal
 * id read as hex, then the hex id read as decimal.
 */
export function idCandidates(id: string): string[] {
  const norm = normalizeId(id)
  const out = [norm]
  if (norm === '' || norm.length > 40) return out
  if (/^[0-9]+$/.test(norm)) out.push(BigInt(norm).toString(16))
  if (/^[0-9a-f]+$/.test(norm)) out.push(BigInt(`0x${norm}`).toString(10))
  return [...new Set(out)]
}
