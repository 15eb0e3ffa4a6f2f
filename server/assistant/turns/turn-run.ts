// One assistant turn from its first model call to its end (TurnEngine starts it once the turn is
// recorded): the model stream with the turn's tools, each event told to the tabs and kept in the
// transcript, the messages stored step by step, and the end — done | stopped | failed — with the
// files it changed, its locks always released.
import type { ToolSet } from 'ai';
import type { MessageAttachment, MessageDto, TurnDto, TurnEndStatus, TurnFileChange } from '../../contracts';
import type { Actor } from '../../files';
import type { TurnEvent } from '../models/model-provider';
import type { ModelRegistry } from '../models/model-registry';
import { createFileTools, isToolError } from '../tools';
import { recordedChanges } from './recorded-changes';
import type { TurnEngineDeps, TurnListener } from './turn-engine';
import { openModelStream, type PreparedContext } from './turn-request';
import { TurnTranscript } from './turn-transcript';
import { afterRecorded } from './tools-after-recorded';

interface TurnEnd {
  status: TurnEndStatus;
  /** Why a failed turn failed. */
  error?: string;
}

export interface TurnRunInput {
  userId: string;
  projectId: string;
  conversationId: string;
  turnId: string;
  history: MessageDto[];
  turns: TurnDto[];
  content: string;
  attachments: MessageAttachment[];
  /** Settles once the turn's snapshot is stored and the turn recorded with the user's request. */
  recorded: Promise<void>;
  model: Awaited<ReturnType<ModelRegistry['resolve']>>;
  signal: AbortSignal;
  emit: TurnListener;
  /** Context gathering started with the turn. */
  prepared: PreparedContext;
}

/** One turn from its first model call to its end: streaming → tool → streaming … → done | stopped | failed. */
export class TurnRun {
  private readonly transcript = new TurnTranscript();

  constructor(
    private readonly deps: TurnEngineDeps,
    private readonly turn: TurnRunInput,
  ) {}

  async execute(): Promise<void> {
    const { userId, projectId, conversationId, turnId } = this.turn;
    // A turn whose snapshot or record failed stops its model at once and ends failed.
    const unrecorded = new AbortController();
    let recordError: string | undefined;
    this.turn.recorded.catch((cause: unknown) => {
      recordError = `The turn could not be started: ${messageOf(cause)}`;
      unrecorded.abort();
    });
    const signal = AbortSignal.any([this.turn.signal, unrecorded.signal]);
    const actor: Actor = { userId };
    const fileTools = createFileTools({
      files: this.deps.files,
      locks: this.deps.locks,
      actor,
      projectId,
      turnId,
      signal,
    });
    const onOutput = ({ toolCallId, data }: { toolCallId: string; data: string }) =>
      this.turn.emit({ type: 'tool-output', conversationId, turnId, toolCallId, data });
    const extras = (this.deps.toolFactories ?? []).map((factory) =>
      factory({ actor, projectId, turnId, signal, onOutput }),
    );
    const all = Object.assign({}, fileTools.tools, ...extras.map((extra) => extra.tools)) as ToolSet;
    const tools = afterRecorded(all, this.turn.recorded);
    const streamed = await this.stream(tools, signal).catch((cause: unknown): TurnEnd =>
      signal.aborted ? { status: 'stopped' } : { status: 'failed', error: messageOf(cause) },
    );
    await this.turn.recorded.catch(() => undefined); // a failure there is the turn's end
    const { status, error }: TurnEnd = recordError ? { status: 'failed', error: recordError } : streamed;
    try {
      if (!recordError)
        await this.store().catch((cause: unknown) => this.warn(cause, 'could not store the last messages'));
    } finally {
      await fileTools.releaseLocks();
      await Promise.all(extras.map(async (extra) => extra.dispose?.())).catch((cause: unknown) =>
        this.warn(cause, 'a tool did not clean up'),
      );
      // Stored with what the turn left in each file (undo's conflict check); told without it.
      const recorded = recordedChanges(fileTools.changeLog);
      const changedFiles: TurnFileChange[] = recorded.map(({ path, change }) => ({ path, change }));
      if (error !== undefined) this.turn.emit({ type: 'error', conversationId, turnId, message: error });
      if (!recordError)
        await this.deps.conversations
          .finishTurn(userId, projectId, conversationId, turnId, { status, changedFiles: recorded, error })
          .catch((cause: unknown) => this.warn(cause, 'could not record the end of the turn'));
      this.turn.emit({ type: 'done', conversationId, turnId, status, changedFiles });
    }
  }

  private async stream(tools: ToolSet, signal: AbortSignal): Promise<TurnEnd> {
    const events = await openModelStream(this.deps, { ...this.turn, tools, signal });
    if (signal.aborted) return { status: 'stopped' };
    for await (const event of events) {
      const end = await this.handle(event);
      if (end) return end;
    }
    return {
      status: signal.aborted ? 'stopped' : 'failed',
      error: signal.aborted ? undefined : 'The turn ended early',
    };
  }

  /** One model event: told, recorded; the turn's end when it is one. */
  private async handle(event: TurnEvent): Promise<TurnEnd | undefined> {
    const { conversationId, turnId, emit } = this.turn;
    switch (event.type) {
      case 'text':
        this.transcript.addText(event.text);
        emit({ type: 'text', conversationId, turnId, text: event.text });
        return undefined;
      case 'tool-call':
        this.transcript.addCall({ id: event.toolCallId, name: event.toolName, args: event.input });
        emit({ type: 'tool-call', conversationId, turnId, ...pick(event), input: event.input, invalid: event.invalid });
        return undefined;
      case 'tool-result': {
        const isError = isToolError(event.output);
        this.transcript.addResult({ callId: event.toolCallId, name: event.toolName, output: event.output, isError });
        emit({ type: 'tool-result', conversationId, turnId, ...pick(event), output: event.output, isError });
        return undefined;
      }
      case 'tool-error':
        this.transcript.addResult({
          callId: event.toolCallId,
          name: event.toolName,
          output: event.message,
          isError: true,
        });
        emit({ type: 'tool-result', conversationId, turnId, ...pick(event), output: event.message, isError: true });
        return undefined;
      case 'step-finish':
        await this.store();
        return undefined;
      case 'finish':
        return { status: 'done' };
      case 'stopped':
        return { status: 'stopped' };
      case 'failed':
        return { status: 'failed', error: event.message };
    }
  }

  /** Appends the step's messages to the conversation (after the turn and its request are recorded). */
  private async store(): Promise<void> {
    const { userId, projectId, conversationId, turnId } = this.turn;
    await this.turn.recorded;
    for (const message of this.transcript.take())
      await this.deps.conversations.appendMessage(userId, projectId, conversationId, { ...message, turnId });
  }

  private warn(error: unknown, message: string): void {
    this.deps.log.warn({ err: error, projectId: this.turn.projectId, turnId: this.turn.turnId }, message);
  }
}

const pick = (event: { toolCallId: string; toolName: string }) => ({
  toolCallId: event.toolCallId,
  toolName: event.toolName,
});

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
