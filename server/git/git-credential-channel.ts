// How a user's token reaches git in the workspace container for one command, and nowhere else
// (see below). GitRunner starts CREDENTIAL_SERVER when a command has a credential; the command's
// own settings (CREDENTIAL_HELPER_CONFIG) make git ask it.

export interface GitCredential {
  username: string;
  password: string;
}

// A token must appear in no process's argv or environment inside the container (`ps`, `ps e`,
// /proc/*/environ), never in .git/config, and never in a file or fd that another process of the
// workspace user can open: git runs as uid 1000, like the user's terminal, and /proc/<pid>/fd/N
// of a same-uid process can be reopened by it (a pipe or a deleted file is read in full that
// way). A socket cannot be (open() of /proc/<pid>/fd/N gives ENXIO). So: a small Node program
// in the container (its own code, below) says it is ready on stdout; only then does Berth write
// "username\npassword\n" to the exec's stdin (so the bytes sit in that pipe for as short a
// time as possible), and the program keeps them in memory. It starts the command with fd 9 one
// end of a socketpair it holds the other end of, and answers each "get" line on it with git's
// credential answer. The helper git is given (`credential.helper`, every other helper cleared
// first) writes "get" to fd 9 and reads the answer with shell builtins. Only git's own
// descendants hold fd 9. What stays open to the workspace user is what no fd trick can close:
// the memory of git-remote-http(s), which holds the password to send it, readable through
// /proc/<pid>/mem by the same uid unless the host restricts ptrace (Yama ptrace_scope >= 1).
export const CREDENTIAL_SERVER = [
  "'use strict';",
  "const { spawn } = require('child_process');",
  'const [ready, wrapper, ...command] = process.argv.slice(1);',
  "let input = '';",
  'let started = false;',
  "process.stdin.setEncoding('utf8');",
  "process.stdin.on('data', (chunk) => {",
  '  input += chunk;',
  "  const lines = input.split('\\n');",
  '  if (started || lines.length < 3) return;',
  '  started = true;',
  "  input = '';",
  '  process.stdin.destroy();',
  "  const answer = 'username=' + lines[0] + '\\npassword=' + lines[1] + '\\n\\n';",
  "  const stdio = ['ignore', 'inherit', 'inherit', 'ignore', 'ignore', 'ignore', 'ignore', 'ignore', 'ignore', 'pipe'];",
  "  const child = spawn('sh', ['-c', wrapper, 'sh', ...command], { stdio });",
  "  let asked = '';",
  "  child.stdio[9].on('error', () => undefined);",
  "  child.stdio[9].on('data', (bytes) => {",
  '    asked += bytes;',
  "    for (let at = asked.indexOf('\\n'); at >= 0; at = asked.indexOf('\\n')) {",
  "      if (asked.slice(0, at) === 'get') child.stdio[9].write(answer);",
  '      asked = asked.slice(at + 1);',
  '    }',
  '  });',
  "  child.on('exit', (code, signal) => process.exit(code === null ? 128 + (signal === 'SIGKILL' ? 9 : 15) : code));",
  '});',
  "process.stdin.on('end', () => { if (!started) process.exit(97); });",
  'process.stdout.write(ready);',
].join('\n');

/** Git's per-command settings that make it ask fd 9 (CREDENTIAL_SERVER) and nothing else. */
export const CREDENTIAL_HELPER_CONFIG = [
  'credential.helper=',
  'credential.helper=!f() { test "$1" = get || exit 0; printf "get\\n" >&9; while IFS= read -r l <&9 && [ -n "$l" ]; do printf "%s\\n" "$l"; done; }; f',
];
