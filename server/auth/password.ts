// Password hashing with bcrypt (pure JS, no native build). Cost 11 ≈ 100 ms here.
import bcrypt from 'bcryptjs';

const COST = 11;
// Compared against when the email is unknown, so a miss takes as long as a wrong password.
// Made on first use: hashing at import time would add ~140 ms to every start.
let dummyHash: string | undefined;
const getDummyHash = () => (dummyHash ??= bcrypt.hashSync('berth-timing-equaliser', COST));

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export async function verifyPassword(password: string, hash: string | null | undefined): Promise<boolean> {
  const matches = await bcrypt.compare(password, hash ?? getDummyHash());
  return matches && Boolean(hash);
}
