// Terminals: login shells in tmux sessions inside workspaces, kept alive while browsers come
// and go and across Berth restarts (adopted from the workspace), with scrollback, batching and
// backpressure. Imports runtime (interface), core, contracts,
// and projects/socket through their index.ts.
export { TerminalService, MAX_TERMINALS_PER_PROJECT, type TerminalWorkspaces } from './terminal-service';
export { TerminalSession, DEFAULT_TERMINAL_LIMITS, type TerminalSink, type TerminalLimits } from './terminal-session';
export { registerTerminalSocketHandlers, broadcastTerminalChanges } from './terminals.socket';
export { printTerminalNotice, outOfMemoryNotice } from './terminal-notice';
export { followWorkspaceEvents, type TerminalWorkspaceEvents } from './follow-workspaces';
