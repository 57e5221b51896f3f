/**
 * A moment as both databases keep it: MySQL's DATETIME holds whole seconds, so what is
 * acknowledged and broadcast carries exactly what history will later return.
 */
export function storedTime(ms: number): Date {
  return new Date(Math.floor(ms / 1000) * 1000);
}
