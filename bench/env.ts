/** A whole-number knob from the environment: the default when unset, empty, not a whole number or below `min`. */
export function envInt(name: string, dflt: number, min = 1): number {
  const raw = process.env[name];
  const v = Number(raw);
  return raw !== undefined && raw !== '' && Number.isInteger(v) && v >= min ? v : dflt;
}
