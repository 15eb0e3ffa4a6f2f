// Which protocol a model gets: tool calls, or the text protocol (file and shell blocks) for a
// model without tool calling. Text when AI_TEXT_PROTOCOL_MODELS names it, when the provider's
// listing says it takes no tools (AiModelDto.tools false), or once it answered a request with
// tools by saying it does not support them: that turn goes on in the text protocol, and so do
// the model's later turns (remembered until Berth restarts).
import type { AiModelListDto } from '../../contracts';
import type { ModelProvider, TurnEvent, TurnRequest } from '../models/model-provider';
import type { TurnProtocol } from './turn-context';
import { streamTextProtocolTurn } from './text-protocol-turn';

/** How providers say a model takes no tools (Ollama, llama.cpp, vLLM, LM Studio, OpenRouter wordings). */
export const TOOLS_UNSUPPORTED =
  /(does not|doesn't|do not|cannot) support (tools|tool[ _-]?(calls?|calling|use|choice)|function[ _-]?calling)|(tools?|tool[ _-]?(calls?|calling|use|choice)|function[ _-]?calling)( are| is)? (not |un)supported|no endpoints found that support tool use/i;

/** How long a listing of the models is trusted. */
export const LISTING_TTL_MS = 5 * 60_000;
/** A turn waits at most this long for the listing (it only decides the protocol). */
export const LISTING_WAIT_MS = 2_000;
/** Users whose listing is kept at most (each user may have providers of their own). */
const MAX_LISTINGS = 1_000;

export interface ModelProtocolsOptions {
  /** AI_TEXT_PROTOCOL_MODELS */
  textProtocolModels: readonly string[];
  /** The registry's listing for a user (which models take tools). */
  listModels?: (userId: string) => Promise<AiModelListDto>;
  now?: () => number;
}

export class ModelProtocols {
  private readonly learned = new Set<string>();
  private readonly listings = new Map<string, { at: number; noTools: Promise<Set<string>> }>();
  private readonly now: () => number;

  constructor(private readonly options: ModelProtocolsOptions) {
    this.now = options.now ?? Date.now;
  }

  async protocolFor(modelId: string, userId: string): Promise<TurnProtocol> {
    if (this.options.textProtocolModels.includes(modelId) || this.learned.has(modelId)) return 'text';
    return (await this.modelsWithoutTools(userId)).has(modelId) ? 'text' : 'tools';
  }

  /** False when the model is given the text protocol whatever its listing says (the setting, or it refused tools). */
  takesTools(modelId: string): boolean {
    return !this.options.textProtocolModels.includes(modelId) && !this.learned.has(modelId);
  }

  /** The model refused tools: its later turns use the text protocol. */
  learnNoTools(modelId: string): void {
    this.learned.add(modelId);
  }

  private async modelsWithoutTools(userId: string): Promise<Set<string>> {
    const { listModels } = this.options;
    if (!listModels) return new Set();
    let listing = this.listings.get(userId);
    if (!listing || this.now() - listing.at > LISTING_TTL_MS) {
      if (this.listings.size >= MAX_LISTINGS) this.listings.clear();
      listing = {
        at: this.now(),
        noTools: listModels(userId).then(
          (listed) => new Set(listed.models.filter((model) => !model.tools).map((model) => model.id)),
          () => new Set<string>(),
        ),
      };
      this.listings.set(userId, listing);
    }
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Set<string>>((resolve) => (timer = setTimeout(() => resolve(new Set()), LISTING_WAIT_MS)));
    return Promise.race([listing.noTools, late]).finally(() => clearTimeout(timer));
  }
}

/**
 * The turn's model events in its protocol. With tools, a first answer that says the model takes
 * none switches the turn to the text protocol (nothing was told yet), after `onNoTools`.
 */
export async function* streamInProtocol(
  provider: ModelProvider,
  requestFor: (protocol: TurnProtocol) => TurnRequest,
  protocol: TurnProtocol,
  onNoTools: () => void,
): AsyncGenerator<TurnEvent> {
  if (protocol === 'text') {
    yield* streamTextProtocolTurn(provider, requestFor('text'));
    return;
  }
  let told = false;
  for await (const event of provider.streamTurn(requestFor('tools'))) {
    if (!told && event.type === 'failed' && TOOLS_UNSUPPORTED.test(event.message)) {
      onNoTools();
      yield* streamTextProtocolTurn(provider, requestFor('text'));
      return;
    }
    told = true;
    yield event;
  }
}
