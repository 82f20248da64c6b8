import { useEffect, useRef } from 'react';
import { useChat, type ToolCallView } from './chat-store.js';
import { ElicitationQuestion } from './ElicitationForm.js';
import { EvaluationBadges, EvaluationDetails } from './ToolCallEvaluation.js';
import { STATUS_LABEL } from './tool-call-views.js';

/** The tools an answer used, each expandable to its arguments and output (shown as text, never as markup). */
export function ToolCalls({ calls }: { calls: ToolCallView[] }) {
  const approve = useChat((s) => s.approve);
  const list = useRef<HTMLUListElement>(null);
  // The keyboard focus moves to a request for approval when one appears (its card, not its Allow button, so an
  // Enter meant for something else approves nothing); Tab then reaches its buttons.
  const waiting = calls.find((c) => c.approval)?.key;
  useEffect(() => {
    if (waiting) list.current?.querySelector<HTMLElement>(`[data-approval-key="${CSS.escape(waiting)}"]`)?.focus();
  }, [waiting]);
  return (
    <ul className="tool-calls" data-testid="tool-calls" ref={list}>
      {calls.map((call) => {
        // Its server waits for the user's answer to a question: shown like a call waiting for approval.
        const asking = call.status === 'running' && (call.elicitations ?? []).some((e) => !e.answer);
        return (
          <li key={call.key} className={`tool-call tool-${asking ? 'pending' : call.status}`} data-testid="tool-call" data-status={call.status}>
            {call.approval ? (
              <div className="approval" role="alertdialog" aria-label={`Allow ${call.name}?`} tabIndex={-1} data-approval-key={call.key} data-testid="approval">
                <div>
                  Allow <code>{call.name.slice(call.name.indexOf('__') + 2)}</code> from the server <strong>{call.approval.serverLabel}</strong> to run
                  {call.approval.readOnly ? ' (it says it only reads)' : ' (it may change things)'} with these arguments?
                </div>
                <pre>{pretty(call.input)}</pre>
                <div className="approval-buttons">
                  <button type="button" className="primary" onClick={() => void approve(call.approval!.runId, call.key, true)} data-testid="approve">
                    Allow
                  </button>
                  <button
                    type="button"
                    onClick={() => void approve(call.approval!.runId, call.key, true, call.name)}
                    title="Allow now, and let this tool run without asking from now on (Settings › Tools can change it back)"
                    data-testid="always-allow"
                  >
                    Always allow
                  </button>
                  <button type="button" onClick={() => void approve(call.approval!.runId, call.key, false)} data-testid="deny">
                    Deny
                  </button>
                </div>
              </div>
            ) : null}
            <details>
              <summary title="Show its arguments and output">
                <code>{call.name.replace('__', ' › ')}</code>
                <span className="tool-status">{asking ? 'asks you' : STATUS_LABEL[call.status]}</span>
                {call.durationMs !== null ? (
                  <span className="tool-duration" title="How long the tool itself ran (the trace also shows any wait for your approval)">
                    ran {call.durationMs} ms
                  </span>
                ) : null}
                <EvaluationBadges call={call} />
              </summary>
              <div className="tool-io">
                <span>Arguments</span>
                <pre>{pretty(call.input)}</pre>
                <span>Output</span>
                <pre data-testid="tool-output">{call.status === 'running' ? '…' : pretty(call.output)}</pre>
                <EvaluationDetails evaluation={call.evaluation} />
              </div>
            </details>
            {call.elicitations?.map((question) => (
              <ElicitationQuestion key={question.id} question={question} />
            ))}
          </li>
        );
      })}
    </ul>
  );
}

function pretty(value: unknown): string {
  if (typeof value === 'string') return value;
  try {
    return JSON.stringify(value, null, 2) ?? '';
  } catch {
    return String(value);
  }
}
