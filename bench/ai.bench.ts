// Issue 11 (`npm run bench -- ai`, which runs the other ai-* benches first, ai-undo among them): the
// assistant's figures against the scripted model server, so the model's own time is known. The
// production server (dist/server.mjs, its own embedded PostgreSQL, a Docker workspace) talks to the
// model through a TCP tap that timestamps what the model sends; Chromium shows the Assistant panel,
// a Socket.IO client acts as a second tab. (1) First token: Enter in the panel → the first text in
// it, and POST …/messages → ai:text on the socket / the first text event of the answer, each less
// the provider's own time to first token, read with a plain fetch in the same round. (2) edit_file
// sent by the model → tool-result (file written), fs:changed, the card done in the panel; baseline:
// the same edit as a PUT. (3) Undo of a 20-file turn: ai-undo's figure of this run. (4) 200 tokens/s
// for 10 s: the rate reaching the socket and the panel and the lag of the last token; the server's
// RSS over 100 short turns.
import os from 'node:os';
import type { ScriptedStep } from '../server/test-support/scripted-model-server';
import { startScriptedModelServer } from '../server/test-support/scripted-model-server';
import {
  aiEnv,
  createConversation,
  nextPush,
  readProviderDirectly,
  readStream,
  runTurn,
  sendMessage,
  takeSnapshot,
} from './lib/ai-turns';
import { printRss, rssOverShortTurns } from './lib/ai-rss';
import { lastTokenLag, measureStream, printStream, tokensPerSecond } from './lib/ai-stream';
import { printUndoFromAiUndo } from './lib/ai-undo-figures';
import {
  doneCardsAtLeast,
  requestTiming,
  lastTextHas,
  openAssistantPage,
  pageClockOffset,
  sendFromPanel,
  toBenchClock,
  watchPage,
} from './lib/assistant-page';
import { call, connectSocket, createProject, startBenchServer, waitForState } from './lib/berth';
import { launchBrowser } from './lib/browser';
import { runBench } from './lib/cleanup';
import { prepareDocker } from './lib/docker';
import { startModelTap, tapSees } from './lib/model-tap';
import { writeSection } from './lib/results';
import { loadAverage, rounded, summarize, type Summary } from './lib/stats';
import { printTable, SUMMARY_HEADER, summaryRow, verdict } from './lib/table';

const TURNS = 30;
const WARMUP = 3;
const T = 20_000; // per wait
const GOAL = { firstP50: 30, firstP99: 100, toolP50: 50, undo: 1_000, lagMs: 100, rssMiB: 5 };
const STREAM_TOKENS = 2_000; // 200 tokens/s for 10 s
const RSS_TURNS = 100;
const TOOL_FILE = 'bench-tool.txt'; // at the root: the watcher reports files of a new folder late
/** An empty list of samples per name. */
const samples = <K extends string>(...names: K[]) =>
  Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<K, number[]>;
const summarizeAll = <K extends string>(all: Record<K, number[]>) =>
  Object.fromEntries(Object.entries<number[]>(all).map(([name, v]) => [name, summarize(v)])) as Record<K, Summary>;
const FILLER = Array.from({ length: 100 }, (_, i) => `const line${i} = ${i}; // some code\n`).join('');

await runBench('ai', async (defer) => {
  console.log('── ai: production build, Docker engine and workspace image, scripted model server behind a tap');
  const { docker, image } = await prepareDocker(defer);
  const model = await startScriptedModelServer();
  defer('close the model server', () => model.close());
  const tap = await startModelTap(model.baseUrl, defer);
  const bench = await startBenchServer('ai', image, defer, aiEnv(tap.baseUrl));
  const { project } = await createProject(bench, docker, 'Bench ai', defer);
  const projectId = project.id;
  const socket = await connectSocket(bench, defer);
  const running = waitForState(socket, projectId, 'running', 60_000);
  running.catch(() => undefined);
  if ((await call(socket, 'workspace:open', { projectId })).state !== 'running') await running;
  const conversationId = await createConversation(bench, projectId);
  const browser = await launchBrowser(defer);
  const page = await openAssistantPage(browser, bench, projectId);
  const clock = await pageClockOffset(page);
  const pageAt = (epochMs: number) => toBenchClock(epochMs - clock.offsetMs);
  const ours = { projectId } as const;
  const turnDone = () => nextPush(socket, 'ai:done', (p) => p.projectId === ours.projectId, T);
  console.log(
    `── ai: server pid ${bench.server.pid}; page clock ${clock.offsetMs.toFixed(2)} ± ${clock.errorMs.toFixed(2)} ms`,
  );

  // ── (1) first token ──
  const first = samples('provider', 'browser', 'asked', 'tapToScreen', 'toFetch', 'fetchToSent', 'sentToAnswered');
  const viaApi = samples('provider', 'socket', 'asked', 'sse', 'snapshot');
  const textStep = (marker: string): ScriptedStep => ({ kind: 'text', chunks: [marker, 'and ', 'the rest.'] });
  const providerFirst = async (marker: string) => {
    let at = 0;
    const sentAt = await readProviderDirectly(model, textStep(marker), (text, seen) => {
      if (!at && text.includes(marker)) at = seen;
    });
    return at - sentAt;
  };
  console.log(`── ai: (1) first token, ${WARMUP}+${TURNS} turns from the panel, as many through POST …/messages`);
  for (let round = 0; round < WARMUP + TURNS; round++) {
    const marker = `first-${round}-`;
    const provider = await providerFirst(marker);
    model.enqueue(textStep(marker));
    const shown = await watchPage(page, lastTextHas(marker), T);
    const passed = tapSees(tap, marker, T);
    const asked = tapSees(tap, `Panel round ${round}.`, T, 'request');
    const done = turnDone();
    const enterAt = await sendFromPanel(page, `Panel round ${round}.`);
    const shownAt = await shown.settled();
    const [tapAt, askedAt] = await Promise.all([passed, asked]);
    await done;
    const request = await requestTiming(page, '/messages', enterAt);
    if (round < WARMUP) continue;
    first.toFetch.push(request.fetchAt - enterAt);
    first.fetchToSent.push(request.sentAt - request.fetchAt);
    first.sentToAnswered.push(request.answeredAt - request.sentAt);
    first.provider.push(provider);
    first.browser.push(shownAt - enterAt);
    first.asked.push(askedAt - pageAt(enterAt));
    first.tapToScreen.push(pageAt(shownAt) - tapAt);
  }
  let listings = 0; // GET /v1/models Berth sends during these turns
  const stopCounting = tap.listen(
    (text, _, carried) => void (listings += text.slice(carried).split('GET /v1/models').length - 1),
    'request',
  );
  for (let round = 0; round < WARMUP + TURNS; round++) {
    const marker = `api-${round}-`;
    const provider = await providerFirst(marker);
    model.enqueue(textStep(marker));
    const onSocket = nextPush(socket, 'ai:text', (p) => p.projectId === ours.projectId && p.text.includes(marker), T);
    const asked = tapSees(tap, `API round ${round}.`, T, 'request');
    const done = turnDone();
    const { response, sentAt } = await sendMessage(bench, projectId, conversationId, `API round ${round}.`);
    let sseAt = 0;
    await readStream(response, (text, at) => {
      if (!sseAt && text.includes(marker)) sseAt = at;
    });
    const socketAt = await onSocket;
    await done;
    if (round < WARMUP) continue;
    viaApi.provider.push(provider);
    viaApi.socket.push(socketAt - sentAt);
    viaApi.asked.push((await asked) - sentAt);
    viaApi.snapshot.push(await takeSnapshot(bench, projectId));
    viaApi.sse.push(sseAt - sentAt);
  }
  stopCounting();
  const minus = (a: number[], b: number[]) => a.map((x, i) => x - b[i]!);
  const s1 = {
    browser: summarize(first.browser),
    provider: summarize([...first.provider, ...viaApi.provider]),
    browserAdded: summarize(minus(first.browser, first.provider)),
    asked: summarize(first.asked),
    toFetch: summarize(first.toFetch),
    fetchToSent: summarize(first.fetchToSent),
    sentToAnswered: summarize(first.sentToAnswered),
    tapToScreen: summarize(first.tapToScreen),
    apiAsked: summarize(viaApi.asked),
    snapshot: summarize(viaApi.snapshot),
    socket: summarize(viaApi.socket),
    socketAdded: summarize(minus(viaApi.socket, viaApi.provider)),
    sse: summarize(viaApi.sse),
    sseAdded: summarize(minus(viaApi.sse, viaApi.provider)),
  };
  const firstGoal = `p50 < ${GOAL.firstP50}, p99 < ${GOAL.firstP99} ms`;
  const firstVerdict = (s: Summary) =>
    verdict(s.p50, GOAL.firstP50) === 'PASS' && verdict(s.p99, GOAL.firstP99) === 'PASS' ? 'PASS' : 'MISS';
  printTable(
    `(1) Time to first token (${TURNS} turns each, after ${WARMUP} warm-up)`,
    SUMMARY_HEADER,
    [
      summaryRow('panel: Enter → first text in the panel', s1.browser),
      summaryRow('baseline: provider alone, request → first token', s1.provider),
      summaryRow(
        'added by Berth, panel (− provider, per round)',
        s1.browserAdded,
        firstGoal,
        firstVerdict(s1.browserAdded),
      ),
      summaryRow("  of which: Enter → Berth's request to the model", s1.asked),
      summaryRow('    of which: Enter → fetch() in the page', s1.toFetch),
      summaryRow('    of which: fetch() → request sent (Resource Timing)', s1.fetchToSent),
      summaryRow("  request sent → response headers (Berth's 'started')", s1.sentToAnswered),
      summaryRow('  of which: first token passed the tap → in the panel', s1.tapToScreen),
      summaryRow('socket client: POST …/messages → ai:text', s1.socket),
      summaryRow('added by Berth, socket client', s1.socketAdded, firstGoal, firstVerdict(s1.socketAdded)),
      summaryRow("  of which: POST → Berth's request to the model", s1.apiAsked),
      summaryRow('  for comparison: POST …/snapshots (a turn takes one first)', s1.snapshot),
      summaryRow('POST …/messages → first text event of its answer', s1.sse),
      summaryRow('added by Berth, the answer stream', s1.sseAdded),
    ],
    [
      "panel times are the page's own clock (keydown capture → MutationObserver: DOM committed, paint follows)",
      "before calling the model a turn stores the request, takes the project's snapshot, builds the context",
      `Berth asked the provider for its models (GET /v1/models) ${listings}× in the ${WARMUP + TURNS} POST …/messages turns`,
      `load average (1, 5, 15 min) after these turns: ${loadAverage()} on ${os.cpus().length} cores: a busy machine stretches every step`,
    ],
  );

  // ── (2) tool call overhead ──
  console.log(`── ai: (2) edit_file, ${WARMUP}+${TURNS} turns, each followed by the same kind of edit as a PUT`);
  const fileUrl = `${bench.base}/api/v1/projects/${projectId}/files/content?path=${encodeURIComponent(TOOL_FILE)}`;
  const put = (value: number) =>
    fetch(fileUrl, {
      method: 'PUT',
      headers: { Authorization: `Bearer ${bench.user.token}` },
      body: `value = ${value}\n${FILLER}`,
    }).then(async (response) => {
      if (response.status !== 200) throw new Error(`PUT ${TOOL_FILE}: ${response.status} ${await response.text()}`);
      return performance.now();
    });
  const fileChanged = () =>
    nextPush(
      socket,
      'fs:changed',
      (p) => p.projectId === ours.projectId && p.changes.some((c) => c.path === TOOL_FILE),
      T,
    );
  let value = 0;
  const settledPut = fileChanged();
  await put(value);
  await settledPut;
  const tool = samples('result', 'card', 'changed', 'put', 'putChanged');
  for (let round = 0; round < WARMUP + TURNS; round++) {
    const edit = { path: TOOL_FILE, old: `value = ${value}\n`, new: `value = ${value + 1}\n` };
    model.enqueue(
      {
        kind: 'tool-calls',
        calls: [{ id: `edit_${round}`, name: 'edit_file', argumentChunks: [JSON.stringify(edit)] }],
      },
      { kind: 'text', chunks: [`Edited ${round}.`] },
    );
    const emitted = tapSees(tap, '"finish_reason":"tool_calls"', T);
    const result = nextPush(socket, 'ai:tool-result', (p) => p.projectId === ours.projectId && !p.isError, T);
    const changed = fileChanged();
    const card = await watchPage(page, doneCardsAtLeast('edit_file', round + 1), T);
    await runTurn(bench, projectId, conversationId, `Edit round ${round}`);
    const [emittedAt, resultAt, changedAt, cardAt] = await Promise.all([emitted, result, changed, card.settled()]);
    value += 2;
    const putChanged = fileChanged();
    const putStarted = performance.now();
    const putAt = await put(value);
    const putChangedAt = await putChanged;
    if (round < WARMUP) continue;
    tool.result.push(resultAt - emittedAt);
    tool.card.push(pageAt(cardAt) - emittedAt);
    tool.changed.push(changedAt - emittedAt);
    tool.put.push(putAt - putStarted);
    tool.putChanged.push(putChangedAt - putStarted);
  }
  const s2 = summarizeAll(tool);
  printTable(
    `(2) Tool call overhead: the model's edit_file (${TURNS} turns) and the same edit as a PUT`,
    SUMMARY_HEADER,
    [
      summaryRow('edit_file sent → tool-result on the socket (written)', s2.result),
      summaryRow(
        'edit_file sent → its card done in the panel',
        s2.card,
        `p50 < ${GOAL.toolP50} ms`,
        verdict(s2.card.p50, GOAL.toolP50),
      ),
      summaryRow('edit_file sent → fs:changed on the socket', s2.changed),
      summaryRow('baseline: PUT …/files/content → 200', s2.put),
      summaryRow('baseline: PUT …/files/content → fs:changed', s2.putChanged),
    ],
    [
      '"sent": the model\'s finish_reason chunk passed the tap; panel times moved to the bench clock',
      "fs:changed comes from the container's file watcher, which batches changes for 40 ms",
    ],
  );

  // ── (3) undo of a 20-file turn: ai-undo's figures of this run ──
  printUndoFromAiUndo(GOAL.undo);

  // ── (4) stream throughput and RSS ──
  console.log(`── ai: (4) ${STREAM_TOKENS} tokens, one every 5 ms, straight from the provider, then through Berth`);
  const runStreamTurn = () => runTurn(bench, projectId, conversationId, 'Stream');
  const stream = await measureStream({ model, tap, socket, page, pageAt, runTurn: runStreamTurn }, STREAM_TOKENS, 5);
  printStream(stream, GOAL.lagMs);
  console.log(`── ai: (4) server RSS over ${RSS_TURNS} short turns`);
  const rss = await rssOverShortTurns(bench, model, projectId, RSS_TURNS, RSS_TURNS / 2);
  printRss(rss, GOAL.rssMiB);

  writeSection('ai', {
    firstToken: Object.fromEntries(Object.entries(s1).map(([k, v]) => [k, rounded(v)])),
    toolCall: Object.fromEntries(Object.entries(s2).map(([k, v]) => [k, rounded(v)])),
    stream: {
      tokens: STREAM_TOKENS,
      tokensPerSecond: Object.fromEntries(Object.entries(stream.span).map(([k, v]) => [k, tokensPerSecond(stream, v)])),
      lastTokenLagMs: {
        socket: lastTokenLag(stream, stream.span.socket),
        browser: lastTokenLag(stream, stream.span.browser),
      },
    },
    rss,
    pageClock: clock,
    goals: GOAL,
  });
});
