// Terminals that come back, as a person meets them: after binary output was printed into one,
// and after one could not start because the workspace was at its process limit.
import { createProjectViaApi, expect, test, uniqueName } from './support/berth';

test.describe.configure({ timeout: 180_000 });

// Waits, with shell builtins only (nothing to fork), until the workspace's cgroup is at its
// process limit (cgroup v2 has the counters at the top, v1 under pids/).
const WAIT_FOR_PROCESS_LIMIT =
  'd=/sys/fs/cgroup; [ -r $d/pids.max ] || d=$d/pids; read max < $d/pids.max; until read n < $d/pids.current && [ $n -ge $((max - 1)) ]; do :; done';

// A linear congruential generator: the same 200,000 "binary" bytes every run.
const SEEDED_NOISE =
  "node -e 'let x=7;const b=Buffer.alloc(2e5);for(let i=0;i<b.length;i++){x=(x*1103515245+12345)>>>0;b[i]=x>>>16}process.stdout.write(b)'";

test('binary output: the next command shows, live and after a reload', async ({ user, page, workbench }) => {
  void user;
  // The screen's last two lines with text: a Ctrl+C that was handled ends in a fresh prompt.
  const lastRows = async () => {
    const rows = await workbench.activeTerminalScreen.locator(':scope > div').allInnerTexts();
    return rows
      .map((row) => row.trimEnd())
      .filter(Boolean)
      .slice(-2)
      .join('\n');
  };
  const project = await createProjectViaApi(page.request, uniqueName('binary'), 'blank-node');
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await expect(workbench.activeTerminalScreen).toContainText('/workspace $');

  // 200 kB of the same pseudo-random bytes on every run, printed to the end, then CAN and ST (end
  // any escape sequence or string the bytes left open) and a reset, as `reset` would: truly random
  // bytes cut short by Ctrl+C sometimes left the prompt off the last rows, so the test flaked.
  await workbench.typeInTerminal(`${SEEDED_NOISE}; printf '\\030\\033\\\\\\033c'; echo noise-$((6*7))\n`);
  await expect(workbench.activeTerminalScreen).toContainText('noise-42');
  // As a person would: Ctrl+C, then Ctrl+C again for a clean command line (tmux answers the
  // terminal queries hidden in the bytes, and the answers arrive as typed input).
  await page.keyboard.press('Control+C');
  await page.keyboard.press('Control+C');
  await expect.poll(lastRows).toMatch(/\^C\n\/workspace \$$/);
  await workbench.typeInTerminal('echo ok-$((6*7))\n');
  // Sooner than tmux's own 5 s timeout for an unterminated escape string.
  await expect(workbench.activeTerminalScreen).toContainText('ok-42', { timeout: 4000 });

  await page.reload();
  await workbench.expectWorkspaceRunning();
  await expect(workbench.activeTerminalScreen).toContainText('ok-42');
  await workbench.typeInTerminal('echo again-$((6*7))\n');
  await expect(workbench.activeTerminalScreen).toContainText('again-42', { timeout: 4000 });
});

test('a terminal that cannot start says why in the panel and starts on Retry', async ({ user, page, workbench }) => {
  void user;
  const project = await createProjectViaApi(page.request, uniqueName('pids'), 'blank-node');
  await workbench.goto(project.id);
  await workbench.expectWorkspaceRunning();
  await expect(workbench.activeTerminalScreen).toContainText('/workspace $');

  // Fill the workspace's process table with a job of its own process group.
  await workbench.typeInTerminal("sh -c 'while sleep 600 & do :; done' 2>/dev/null & FILLER=$!\n");
  await workbench.typeInTerminal(`${WAIT_FOR_PROCESS_LIMIT}; echo filled-$((6*7))\n`);
  await expect(workbench.activeTerminalScreen).toContainText('filled-42', { timeout: 60_000 });

  await page.getByTestId('new-terminal').click();
  const failure = page.getByTestId('terminal-start-error');
  await expect(failure).toContainText('process limit');
  await expect(failure).toHaveAttribute('data-status', 'failed');
  await expect(workbench.terminalTabs).toHaveCount(1);

  // Free the processes (kill and wait are builtins), then Retry.
  await workbench.typeInTerminal('kill -- -$FILLER; wait; echo freed-$((6*7))\n');
  await expect(workbench.activeTerminalScreen).toContainText('freed-42');
  await page.getByTestId('terminal-start-retry').click();
  await expect(failure).toBeHidden();
  await expect(workbench.terminalTabs).toHaveCount(2);
  await workbench.typeInTerminal('echo second-$((6*7))\n');
  await expect(workbench.activeTerminalScreen).toContainText('second-42');
});
