import {
  CodaError,
  DEFAULT_RECALL_SETTINGS,
  RecallSettings,
  toErrorShape,
  type AnswerRecall,
  type RecalledMessage,
  type RecallStatus,
} from '../../../shared/index.js';
import type { ContextItem } from '../context/builder.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { AppEvents } from '../runs/app-events.js';
import type { Preferences } from '../settings/preferences.js';
import type { EmbeddingsRepository, NearMessage } from '../store/repositories/embeddings.js';
import { keywordNeighbours } from '../store/repositories/recall-keywords.js';
import type { Store } from '../store/store.js';
import type { Embedder } from './embedder.js';
import { EmbeddingQueue } from './embedding-queue.js';

/** How long a question's embedding may take before recall ranks by keywords instead (the answer waits for it). */
const QUESTION_EMBED_TIMEOUT_MS = 5_000;
/** A recalled message longer than this is sent by its beginning. */
const RECALLED_CHARS = 2_000;
const PREVIEW_CHARS = 160;
const QUESTIONS_KEPT = 20;

export const NO_MODEL_NOTICE = 'No embedding model is set (Settings › Recall), so earlier messages are recalled by keywords.';

/** What recall offers one request: turns for the context builder's `recalled` slot, and what the answer lists. */
export interface Recalled {
  items: (ContextItem & { id: string })[];
  recall: AnswerRecall;
}

export interface RecallDeps {
  store: Store;
  preferences: Preferences;
  providers: ProviderRegistry;
  embeddings: EmbeddingsRepository;
  appEvents: AppEvents;
}

/**
 * Semantic recall: before an answer, the earlier messages nearest in meaning to the question (above the similarity
 * threshold, from this chat or every chat) are offered to the context builder. Without an embedding model, or when
 * it fails, the messages sharing the most telling words are offered instead, and the answer says so.
 */
export class Recall {
  /** Embeds the history and each new exchange by the model of the settings. */
  readonly queue: EmbeddingQueue;
  /**
   * Texts embedded lately ("model\ntext"): the gauge's preview and the send of the same question, and a search
   * asked again with other filters or another mode, ask the provider once.
   */
  private readonly questions = new Map<string, Float32Array>();

  constructor(private readonly deps: RecallDeps) {
    this.queue = new EmbeddingQueue({ embeddings: deps.embeddings, appEvents: deps.appEvents, embedder: () => this.embedder().embedder });
  }

  settings(): RecallSettings {
    const parsed = RecallSettings.safeParse({ ...DEFAULT_RECALL_SETTINGS, ...(this.deps.preferences.get('recall') ?? {}) });
    return parsed.success ? parsed.data : DEFAULT_RECALL_SETTINGS;
  }

  update(patch: Partial<RecallSettings>): RecallSettings {
    const before = this.settings();
    const next = RecallSettings.parse({ ...before, ...patch });
    if (next.embedding) this.deps.providers.embedder(next.embedding.provider, next.embedding.model);
    this.deps.preferences.set('recall', next);
    // A new model embeds the history again, in the background.
    if (JSON.stringify(next.embedding) !== JSON.stringify(before.embedding)) this.queue.notify();
    return next;
  }

  /** The embedder of the settings, or why there is none. */
  embedder(): { embedder: Embedder; notice: null } | { embedder: null; notice: string } {
    const { embedding } = this.settings();
    if (!embedding) return { embedder: null, notice: NO_MODEL_NOTICE };
    try {
      return { embedder: this.deps.providers.embedder(embedding.provider, embedding.model), notice: null };
    } catch (error) {
      return { embedder: null, notice: `The embedding model cannot be used (${toErrorShape(error).message}), so earlier messages are recalled by keywords.` };
    }
  }

  /** Loads what search across every chat reads first (at start, in the background); never throws. */
  async warm(): Promise<void> {
    const { embedder } = this.embedder();
    if (embedder) await this.deps.embeddings.warm(embedder.key).catch(() => undefined);
  }

  async status(): Promise<RecallStatus> {
    const { embedder, notice } = this.embedder();
    return { settings: this.settings(), mode: embedder ? 'semantic' : 'keyword', notice, progress: await this.queue.progress() };
  }

  /**
   * What to offer the request answering `question` in `sessionId`: never a message of `exclude` (the conversation
   * the request already chooses from). Null when recall is off (limit 0).
   */
  async forAnswer(
    sessionId: string,
    question: string,
    exclude: readonly string[],
    options: { signal?: AbortSignal | undefined; sessionMessages?: number } = {},
  ): Promise<Recalled | null> {
    const { signal } = options;
    const settings = this.settings();
    if (settings.limit === 0 || !question.trim()) return null;
    const scope = settings.allChats ? {} : { sessionId };
    const chosen = this.embedder();
    let notice: string | null = chosen.notice;
    // Within one chat whose every message is in the conversation already, there is nothing earlier to find: a short
    // chat's answer waits for no embedding and no query.
    if (!settings.allChats && options.sessionMessages !== undefined && options.sessionMessages <= exclude.length + 2)
      return recalled(chosen.embedder ? 'semantic' : 'keyword', notice, []);
    if (chosen.embedder) {
      try {
        const timeout = AbortSignal.timeout(QUESTION_EMBED_TIMEOUT_MS);
        const vector = await this.vectorOf(chosen.embedder, question, signal ? AbortSignal.any([signal, timeout]) : timeout);
        const near = await this.deps.embeddings.nearest(chosen.embedder.key, vector!, {
          limit: settings.limit,
          minSimilarity: settings.threshold,
          filters: scope,
          exclude,
        });
        return recalled('semantic', null, near);
      } catch (error) {
        if (signal?.aborted) throw error;
        // The provider's own words (never a key: errors.ts redacts them); anything else is not the user's to read.
        const reason = error instanceof CodaError ? error.message : 'an internal error';
        notice = `Embedding the question failed (${reason}), so earlier messages are recalled by keywords.`;
      }
    }
    const found = await keywordNeighbours(this.deps.store, question, { limit: settings.limit, ...scope, exclude });
    return recalled('keyword', notice, found);
  }

  /** `text`'s vector by `embedder`, asked of the provider only when it was not embedded lately. */
  async vectorOf(embedder: Embedder, text: string, signal?: AbortSignal): Promise<Float32Array> {
    const key = `${embedder.key}\n${text}`;
    const known = this.questions.get(key);
    if (known) return known;
    const [vector] = await embedder.embed([text], signal);
    this.questions.set(key, vector!);
    // The oldest go first; a few are enough (the last questions of the chats the user has open, the last searches).
    if (this.questions.size > QUESTIONS_KEPT) this.questions.delete(this.questions.keys().next().value!);
    return vector!;
  }
}

function recalled(mode: AnswerRecall['mode'], notice: string | null, found: (Omit<NearMessage, 'similarity'> & { similarity?: number })[]): Recalled {
  const messages: RecalledMessage[] = found.map((m) => ({
    messageId: m.messageId,
    sessionId: m.sessionId,
    sessionTitle: m.sessionTitle,
    role: m.role,
    depth: m.depth,
    similarity: m.similarity ?? null,
    preview: m.text.replace(/\s+/g, ' ').trim().slice(0, PREVIEW_CHARS),
  }));
  const items = found.map((m) => ({ id: m.messageId, turn: recalledTurn(m) }));
  return { items, recall: { mode, notice, messages } };
}

/** A recalled message as the model sees it: apart from the conversation, saying where it comes from. */
function recalledTurn(m: Omit<NearMessage, 'similarity'>) {
  const who = m.role === 'user' ? 'the user' : 'the assistant';
  const text = m.text.length > RECALLED_CHARS ? `${m.text.slice(0, RECALLED_CHARS)}…` : m.text;
  return { role: 'system' as const, content: `Recalled from an earlier message by ${who} in the chat "${m.sessionTitle}":\n${text}` };
}
