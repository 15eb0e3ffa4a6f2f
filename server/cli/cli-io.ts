// What a command may touch of its process, passed in so tests can run commands in-process.

/** Environment variables (HOME, XDG_CONFIG_HOME). */
export type CliEnv = Readonly<Record<string, string | undefined>>;
export interface CliIo {
  /** Results: stdout. */
  out(line: string): void;
  /** Progress, notes and errors: stderr. */
  err(line: string): void;
  /** Overwrites the current stderr line (progress on a terminal). */
  errInPlace(line: string): void;
  stderrIsTTY: boolean;
  env: CliEnv;
  cwd: string;
}

export function processIo(): CliIo {
  return {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    errInPlace: (line) => process.stderr.write(`\r\x1b[2K${line}`),
    stderrIsTTY: process.stderr.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}
