// Types for scripts/docker-engine.mjs (plain Node, used by tests and benches).
export function dockerdArgs(daemonJson?: string): string[];
export function pingEngine(timeoutMs?: number): Promise<boolean>;
export function engineLiveRestore(timeoutMs?: number): Promise<boolean | undefined>;
export function waitForEngine(seconds: number): Promise<boolean>;
export function startDockerd(): Promise<void>;
export function restartDockerd(options?: { pidFile?: string; onStopped?: () => void }): Promise<void>;
export function ensureDockerEngine(): Promise<void>;
