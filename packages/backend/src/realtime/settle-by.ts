/**
 * Waits for `work` (its failure counts as settled), or until `deadline` (a Date.now() time in
 * ms), whichever comes first. Resolves true when the work settled in time, false when the
 * deadline came first. Shutdown uses it so one hung command cannot hold up the restart.
 */
export async function settleBy(work: Promise<unknown>, deadline: number, now: () => number = Date.now): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const settled = work.then(
    () => true,
    () => true,
  );
  const late = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), Math.max(0, deadline - now()))));
  try {
    return await Promise.race([settled, late]);
  } finally {
    clearTimeout(timer);
  }
}
