import type { Message, ToolCallEvaluation } from '../../../shared/index.js';
import type { AgentRepository } from '../store/repositories/agent.js';
import type { MessagesRepository } from '../store/repositories/messages.js';
import { toolId, type ToolRegistry } from '../tools/tool-registry.js';
import { scoreSelection } from './tool-evaluation.js';

/** A call that never got an evaluation of its own (it waited for approval when the answer was stopped). */
const UNEVALUATED: ToolCallEvaluation = {
  arguments: 'unchecked',
  problems: [],
  durationMs: null,
  outputChars: 0,
  httpStatus: null,
  selection: null,
  elicitations: [],
};

/**
 * The pass over an answer's tool calls once it has ended (complete, stopped or failed): each call's selection
 * score, which needs the final answer (was the result used?). A stopped or failed answer is scored on what it has.
 */
export async function completeEvaluations(deps: { agent: AgentRepository; messages: MessagesRepository; tools: ToolRegistry }, answer: Message): Promise<void> {
  if (answer.status === 'streaming') return;
  const { toolCalls } = await deps.agent.forMessages([answer.id]);
  if (toolCalls.length === 0) return;
  const question = answer.parentId ? await deps.messages.find(answer.parentId) : null;
  const request = question ? textOf(question) : '';
  const text = textOf(answer);
  await deps.agent.setEvaluations(
    toolCalls.map((call) => {
      const evaluation = call.evaluation ?? UNEVALUATED;
      // The tool as its server describes it now (a tool no server has, or a server since removed, has no description).
      const tool = call.server === null ? undefined : deps.tools.find(toolId(call.server, call.tool));
      const selection = scoreSelection({
        request,
        tool: tool ? { name: tool.name, description: tool.description } : call.server === null ? null : { name: call.tool, description: '' },
        input: call.input,
        status: call.status,
        problems: evaluation.problems,
        output: call.output,
        answer: text,
        answerStatus: answer.status === 'streaming' ? 'interrupted' : answer.status,
      });
      return { id: call.id, evaluation: { ...evaluation, selection } };
    }),
  );
}

function textOf(message: Message): string {
  return message.content.map((p) => (p.type === 'text' ? p.text : '')).join('');
}
