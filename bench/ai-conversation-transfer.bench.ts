// Issue 11 §5 (`npm run bench -- ai-conversation`): what carrying the assistant's conversations adds
// to a duplicate and to a bundle's round trip. A real Berth server (in this process, from source:
// embedded PostgreSQL, Docker workspace); the project holds 20 conversations of 500 messages each
// (10,000 messages, 1,000 turns, about 1 KB a message with tool calls and results). Baseline in the
// same run: the same files in a project with no conversations (a duplicate made before seeding).
import { ConversationService } from '../server/assistant';
import type { PortableConversation, PortableMessage, PortableTurn, ProjectDto } from '../server/contracts';
import { ProjectService } from '../server/projects';
import { call, type TestServer, type TestUser } from '../server/test-support/api-test-server';
import { closeProjectFixture, openProjectFixture } from '../server/test-support/project-fixture';
import { runBench } from './lib/cleanup';
import { writeSection } from './lib/results';
import { rounded, summarize } from './lib/stats';
import { printTable, SUMMARY_HEADER, summaryRow } from './lib/table';

const CONVERSATIONS = 20;
const MESSAGES_EACH = 500;
const ROUNDS = 5;
const WARMUP = 1;

await runBench('ai-conversation-transfer', async (defer) => {
  console.log('── ai-conversation-transfer: Berth from source, real PostgreSQL and Docker');
  const fixture = await openProjectFixture({ name: 'Chatty', running: true });
  defer('close the server and its project', () => closeProjectFixture(fixture));
  const { t, user, project } = fixture;
  // Same files, no conversations: duplicated before they exist.
  const plain = await json<ProjectDto>(t, user, 'POST', `/api/v1/projects/${project.id}/duplicate`, 201);
  defer('delete the baseline project', () => remove(t, user, plain.id));
  // Stopped, so both copy their latest snapshot (a running workspace would be scanned first).
  const stopped = await json<{ state: string }>(t, user, 'POST', `/api/v1/projects/${project.id}/stop`, 200);
  if (stopped.state !== 'stopped') throw new Error(`the workspace is ${stopped.state} after stop`);

  const { prisma } = t.server.database;
  const conversations = new ConversationService(prisma, new ProjectService(prisma));
  const seedStarted = performance.now();
  await conversations.importAll(
    user.id,
    project.id,
    Array.from({ length: CONVERSATIONS }, (_, i) => history(i)),
  );
  const seedMs = performance.now() - seedStarted;

  const duplicate = { with: [] as number[], without: [] as number[] };
  const roundTrip = { with: [] as number[], without: [] as number[] };
  const bundleBytes = { with: 0, without: 0 };
  for (let round = 0; round < WARMUP + ROUNDS; round++) {
    for (const [kind, source] of [
      ['with', project.id],
      ['without', plain.id],
    ] as const) {
      let started = performance.now();
      const copy = await json<ProjectDto>(t, user, 'POST', `/api/v1/projects/${source}/duplicate`, 201);
      const duplicateMs = performance.now() - started;
      await remove(t, user, copy.id);

      started = performance.now();
      const bundle = await call(t.baseUrl, 'GET', `/api/v1/projects/${source}/bundle`, { cookie: user.cookie });
      const bytes = Buffer.from(await bundle.arrayBuffer());
      if (bundle.status !== 200) throw new Error(`bundle export: ${bundle.status}`);
      const imported = await upload(t, user, bytes);
      const roundTripMs = performance.now() - started;
      await remove(t, user, imported.id);

      bundleBytes[kind] = bytes.length;
      if (round < WARMUP) continue;
      duplicate[kind].push(duplicateMs);
      roundTrip[kind].push(roundTripMs);
    }
  }
  // The copies carried everything (checked once, outside the timings).
  const check = await json<ProjectDto>(t, user, 'POST', `/api/v1/projects/${project.id}/duplicate`, 201);
  const copied = await prisma.message.count({ where: { conversation: { projectId: check.id } } });
  await remove(t, user, check.id);
  if (copied !== CONVERSATIONS * MESSAGES_EACH) throw new Error(`the duplicate holds ${copied} messages`);

  const figures = {
    duplicateWith: summarize(duplicate.with),
    duplicateWithout: summarize(duplicate.without),
    roundTripWith: summarize(roundTrip.with),
    roundTripWithout: summarize(roundTrip.without),
  };
  printTable(
    `Duplicate and bundle round trip, ${CONVERSATIONS * MESSAGES_EACH} messages in ${CONVERSATIONS} conversations`,
    SUMMARY_HEADER,
    [
      summaryRow('POST …/duplicate with the conversations', figures.duplicateWith),
      summaryRow('baseline: the same files, no conversations', figures.duplicateWithout),
      summaryRow('GET …/bundle + POST …/import with them', figures.roundTripWith),
      summaryRow('baseline: the same files, no conversations', figures.roundTripWithout),
    ],
    [
      `bundle ${(bundleBytes.with / 1024).toFixed(0)} KB with the conversations, ${(bundleBytes.without / 1024).toFixed(0)} KB without`,
      `seeding them (one import) took ${seedMs.toFixed(0)} ms`,
    ],
  );
  writeSection('ai-conversation-transfer', {
    messages: CONVERSATIONS * MESSAGES_EACH,
    conversations: CONVERSATIONS,
    bundleBytes,
    seedMs: Math.round(seedMs),
    duplicateWith: rounded(figures.duplicateWith),
    duplicateWithout: rounded(figures.duplicateWithout),
    roundTripWith: rounded(figures.roundTripWith),
    roundTripWithout: rounded(figures.roundTripWithout),
  });
});

/** One conversation of turns of five messages: request, tool calls, their results, answer, a note. */
function history(index: number): PortableConversation {
  const start = Date.UTC(2026, 0, 1) + index * 86_400_000;
  const at = (n: number) => new Date(start + n * 1_000).toISOString();
  const turns: PortableTurn[] = [];
  const messages: PortableMessage[] = [];
  for (let seq = 0; seq < MESSAGES_EACH; seq++) {
    if (seq % 5 === 0)
      turns.push({
        id: `t${seq / 5}`,
        status: 'done',
        model: 'openai:bench',
        error: null,
        startedAt: at(seq),
        endedAt: at(seq + 4),
        changedFiles: [{ path: `src/file-${seq}.js`, change: 'modified' }],
      });
    const turnId = turns[turns.length - 1]!.id;
    const base = { seq, turnId, createdAt: at(seq), toolCalls: [], toolResults: [] };
    const path = `src/file-${seq - (seq % 5)}.js`;
    const code = 'const value = 1; // a line of code\n'.repeat(12);
    switch (seq % 5) {
      case 0:
        messages.push({ ...base, role: 'user', content: `Change ${path} so that it does thing number ${seq}.` });
        break;
      case 1:
        messages.push({
          ...base,
          role: 'assistant',
          content: 'Editing the file.',
          toolCalls: [{ id: `c${seq}`, name: 'edit_file', args: { path, old: code, new: code.replace('1', '2') } }],
        });
        break;
      case 2:
        messages.push({
          ...base,
          role: 'tool',
          content: '',
          toolResults: [{ callId: `c${seq - 1}`, name: 'edit_file', output: { path, replaced: 1 }, isError: false }],
        });
        break;
      default:
        messages.push({ ...base, role: 'assistant', content: `Done: ${path} now does thing ${seq}. ${code}` });
    }
  }
  return { title: `Conversation ${index}`, createdAt: at(0), updatedAt: at(MESSAGES_EACH), turns, messages };
}

async function json<T>(t: TestServer, user: TestUser, method: string, route: string, status: number): Promise<T> {
  const response = await call(t.baseUrl, method, route, { cookie: user.cookie });
  if (response.status !== status) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

async function upload(t: TestServer, user: TestUser, zip: Buffer): Promise<ProjectDto> {
  const form = new FormData();
  form.set('file', new Blob([new Uint8Array(zip)], { type: 'application/zip' }), 'bench.berth.zip');
  const response = await fetch(`${t.baseUrl}/api/v1/projects/import`, {
    method: 'POST',
    headers: { Cookie: user.cookie, Origin: t.origin },
    body: form,
  });
  if (response.status !== 201) throw new Error(`import: ${response.status} ${await response.text()}`);
  return (await response.json()) as ProjectDto;
}

async function remove(t: TestServer, user: TestUser, projectId: string): Promise<void> {
  const response = await call(t.baseUrl, 'DELETE', `/api/v1/projects/${projectId}`, { cookie: user.cookie });
  if (response.status !== 204) throw new Error(`delete ${projectId}: ${response.status}`);
}
