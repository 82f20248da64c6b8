import type { Message, Session } from '../../../shared/index.js';
import type { ContextItem, SummarySlot, TokenCounting } from '../context/builder.js';
import type { Recalled } from '../recall/recall.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { ChatTurn } from '../providers/types.js';
import type { RunRegistry } from '../runs/run-registry.js';
import type { ToolPolicy } from '../settings/preferences.js';
import type { AgentRepository } from '../store/repositories/agent.js';
import type { ApprovalGate } from '../tools/approval.js';
import type { ElicitationBroker } from '../tools/elicitation/broker.js';
import type { ToolRegistry } from '../tools/tool-registry.js';
import type { Tracing } from '../tracing/tracing.js';
import type { ProgressSaver } from './progress-saver.js';
import type { UsageMeter } from './usage-meter.js';

/* The types the agent loop and its tool calls share: its services, one answer's run context, a requested call. */

export interface AgentLoopDeps {
  providers: ProviderRegistry;
  tools: ToolRegistry;
  agent: AgentRepository;
  approvals: ApprovalGate;
  elicitations: ElicitationBroker;
  /** The user's rule for a tool: run it, ask first, or never. */
  toolPolicy: (toolId: string) => ToolPolicy;
  runs: RunRegistry;
  /** Spans of the answer, its model and tool calls (OpenTelemetry). */
  tracing: Tracing;
}

/** A provider and model to answer with. */
export interface Target {
  provider: string;
  model: string;
}

/** What a run learned from the provider, kept across fallback attempts. */
export interface Outcome {
  /** Tokens of every model turn: as the provider reported them, or estimated where it did not. */
  meter: UsageMeter;
  responseId: string | null;
  estimatedInputTokens: number | null;
}

/** One answer being made, as everything in the loop needs it: built by the chat service, passed down whole. */
export interface AgentRun {
  runId: string;
  /** Who answers in this attempt; a fallback makes a new run object with the next one. */
  target: Target;
  session: Session;
  assistant: Message;
  /** The conversation before this answer, as provider turns (all the context builder may choose from). */
  history: ChatTurn[];
  /** The message id of each history turn (null for the system prompt). */
  historyIds: (string | null)[];
  /** The chat's pinned messages on this path, oldest first: always sent. */
  pinned: (ContextItem & { id: string })[];
  /** The chat's summary on this path, sent in place of the messages it covers (null: none). */
  summary: SummarySlot | null;
  /** Earlier messages recall offers (and what the answer lists); null when recall did not look. */
  recalled: Recalled | null;
  signal: AbortSignal;
  saver: ProgressSaver;
  outcome: Outcome;
  /** For this answer only, in place of each tool's rule (the CLI's --approve); null to follow the rules. */
  approvalOverride: ToolPolicy | null;
  /** How the context builder counts for this target (its encoding, or o200k corrected from billed usage). */
  counting: TokenCounting;
  /** Told the turns of the answer's first request once the builder chose them (its pre-flight estimate counts those). */
  requestBuilt?: (turns: ChatTurn[]) => void;
}

/** A tool call the model asked for. */
export interface RequestedCall {
  /** Coda's own id (a UUIDv7): the tool_calls row, every run event about the call, and its approval. */
  id: string;
  /** The provider's id, renamed when it repeated one of the same turn: used only to send the result back. */
  providerCallId: string;
  /** The provider's id as it came, when it had to be renamed. */
  renamedFrom: string | null;
  /** The tool as the model named it. */
  name: string;
  /** JSON text as the model wrote it; it may not parse. */
  arguments: string;
  /** Gemini's thought signature for this call, sent back with it on the next step. */
  signature?: string;
}
