import bcrypt from 'bcrypt';

const rounds = 10;
const bcryptPattern = /^\$2[aby]\$\d{2}\$[./A-Za-z0-9]{53}$/;

export function isBcryptHash(value: string): boolean {
  return bcryptPattern.test(value);
}

/** bcrypt on libuv's pool, off the event loop. */
export function hashSecret(secret: string): Promise<string> {
  return bcrypt.hash(secret, rounds);
}

// Compared against when there is no hash, so a missing account costs the same time as a wrong password.
const decoy = bcrypt.hashSync('palco-decoy-password', rounds);

export async function verifySecret(secret: string, hash: string | null | undefined): Promise<boolean> {
  if (!hash || !isBcryptHash(hash)) {
    await bcrypt.compare(secret, decoy);
    return false;
  }
  return bcrypt.compare(secret, hash);
}
