import { useEffect, useRef, type ReactNode } from 'react';
import { useEscape } from '../../app/escape.js';
import type { ToolCallView } from '../chat/chat-store.js';
import { EvaluationBadges, EvaluationDetails } from '../chat/ToolCallEvaluation.js';
import { markdownToPlainText } from '../markdown/plain-text.js';
import { CodeView } from './CodeView.js';
import { callName, overheadText, stepTitle, valueView, type StepView } from './step-views.js';
import { useStepsPanels, usePanel } from './steps-open-store.js';
import { useWideWindow } from './wide-window.js';
import './steps.css';
import { STATUS_LABEL } from '../chat/tool-call-views.js';

/** The "Steps" button of an answer: opens and closes its panel (remembered per answer). */
export function StepsToggle({ messageId, steps, calls }: { messageId: string; steps: number; calls: number }) {
  const panel = usePanel(messageId);
  const setOpen = useStepsPanels((s) => s.setOpen);
  const counts = [steps === 1 ? '1 step' : `${steps} steps`, ...(calls > 0 ? [calls === 1 ? '1 tool call' : `${calls} tool calls`] : [])].join(', ');
  return (
    <button
      type="button"
      className="steps-toggle"
      aria-expanded={panel.open}
      aria-controls={panel.open ? `steps-${messageId}` : undefined}
      title={`How this answer was made: ${counts}`}
      onClick={() => setOpen(messageId, !panel.open)}
      data-testid="steps-toggle"
    >
      Steps{steps > 0 ? <span className="steps-count"> · {counts}</span> : null}
    </button>
  );
}

interface PanelProps {
  messageId: string;
  steps: StepView[];
  calls: ToolCallView[];
  streaming: boolean;
  /** The answer's timing waterfall, when there is one (issue 10: spans); shown as the panel's last section. */
  timing?: ReactNode;
}

/** Every step of an answer in order: reasoning, what the model wrote, the tools it chose with arguments and results. */
export function StepsPanel({ messageId, steps, calls, streaming, timing }: PanelProps) {
  const panel = usePanel(messageId);
  const setSide = useStepsPanels((s) => s.setSide);
  const setOpen = useStepsPanels((s) => s.setOpen);
  const wide = useWideWindow();
  const byKey = new Map(calls.map((c) => [c.key, c]));
  const beside = panel.side && wide;
  const dock = useRef<HTMLButtonElement>(null);
  // Moved beside the chat (or back), the panel is drawn anew elsewhere: the focus follows it instead of falling to the page.
  useEffect(() => {
    if (document.activeElement === document.body) dock.current?.focus();
  }, [beside]);
  // Escape closes a panel beside the chat, as it closes other panels (one under its answer stays, like the answer).
  useEscape(beside, () => setOpen(messageId, false));
  return (
    <section
      id={`steps-${messageId}`}
      className={`steps-panel${panel.side && wide ? ' steps-side' : ''}`}
      aria-label="Steps of this answer"
      data-testid="steps-panel"
    >
      <div className="steps-panel-bar">
        <span className="steps-panel-title">Steps</span>
        {streaming ? (
          <span className="steps-live" role="status">
            updating live
          </span>
        ) : null}
        {wide ? (
          <button type="button" className="link steps-dock" ref={dock} onClick={() => setSide(messageId, !panel.side)} data-testid="steps-dock">
            {panel.side ? 'Show under the answer' : 'Show beside the chat'}
          </button>
        ) : null}
        <button type="button" className="link" onClick={() => setOpen(messageId, false)} data-testid="steps-close">
          Close
        </button>
      </div>
      {steps.length === 0 ? (
        <p className="steps-empty">{streaming ? 'Waiting for the first step…' : 'No steps were saved for this answer.'}</p>
      ) : (
        <ol className="steps-list">
          {steps.map((step, i) => (
            <Step
              key={i}
              messageId={messageId}
              index={i}
              step={step}
              calls={step.callKeys.flatMap((key) => byKey.get(key) ?? [])}
              last={i === steps.length - 1}
              streaming={streaming}
            />
          ))}
        </ol>
      )}
      {timing ? (
        <Section messageId={messageId} id="timing" title="Timing" defaultOpen={false}>
          {timing}
        </Section>
      ) : null}
    </section>
  );
}

/** The start of an answer as plain text, for the panel (the whole answer is rendered above it). */
const EXCERPT_CHARS = 280;
function excerpt(markdown: string): string {
  const text = markdownToPlainText(markdown);
  return text.length <= EXCERPT_CHARS ? text : `${text.slice(0, EXCERPT_CHARS).trimEnd()}… (in full above)`;
}

function Step({
  messageId,
  index,
  step,
  calls,
  last,
  streaming,
}: {
  messageId: string;
  index: number;
  step: StepView;
  calls: ToolCallView[];
  last: boolean;
  streaming: boolean;
}) {
  const isAnswer = step.callKeys.length === 0 && last;
  return (
    <li className="step" data-testid="step" data-kind={step.kind}>
      <Section
        messageId={messageId}
        id={`step-${index}`}
        title={stepTitle(step, index, last, streaming)}
        meta={step.durationMs === null ? '' : `model ${duration(step.durationMs)}`}
        defaultOpen
      >
        {step.reasoning ? (
          <Section messageId={messageId} id={`step-${index}-reasoning`} title="Reasoning" defaultOpen testId="step-reasoning">
            <div className="steps-text steps-reasoning">{step.reasoning}</div>
          </Section>
        ) : null}
        {step.text ? (
          <div className="step-said" data-testid={isAnswer ? 'step-answer' : 'step-reason'}>
            <span className="step-label">{isAnswer ? 'Answer' : 'Why'}</span>
            {/* The answer is rendered above in full; here its start, as written, says which text this step produced. */}
            <div className="steps-text">{isAnswer && !streaming ? excerpt(step.text) : step.text}</div>
          </div>
        ) : null}
        {calls.length > 0 ? (
          <ul className="step-calls">
            {calls.map((call) => (
              <CallRow key={call.key} messageId={messageId} call={call} />
            ))}
          </ul>
        ) : null}
        {overheadText(step.overhead) ? (
          <p className="step-overhead" data-testid="step-overhead">
            {overheadText(step.overhead)}
          </p>
        ) : null}
      </Section>
    </li>
  );
}

function CallRow({ messageId, call }: { messageId: string; call: ToolCallView }) {
  const { server, tool } = callName(call.name);
  const title = server ? `${server} › ${tool}` : tool;
  const asking = call.status === 'running' && (call.elicitations ?? []).some((e) => !e.answer);
  return (
    <li className={`step-call tool-${call.status}`} data-testid="step-call" data-status={call.status}>
      <Section
        messageId={messageId}
        id={`call-${call.key}`}
        title={title}
        meta={[asking ? 'asks you' : STATUS_LABEL[call.status], duration(call.durationMs)].filter(Boolean).join(' · ')}
        badges={<EvaluationBadges call={call} />}
        defaultOpen={false}
        code
      >
        <dl className="step-call-facts">
          <dt>Tool</dt>
          <dd>{tool}</dd>
          <dt>Server</dt>
          <dd>{server ?? 'none (the model named a tool no server has)'}</dd>
        </dl>
        <Value label={`Arguments of ${title}`} heading="Arguments" value={call.input} testId="step-call-arguments" />
        {call.status === 'running' || call.status === 'pending' ? (
          <p className="steps-empty">{call.status === 'pending' ? 'Waiting for you to allow it.' : 'Running…'}</p>
        ) : (
          <Value
            label={`${call.status === 'error' ? 'Error' : 'Result'} of ${title}`}
            heading={call.status === 'error' ? 'Error' : 'Result'}
            value={call.output}
            testId="step-call-result"
          />
        )}
        <EvaluationDetails evaluation={call.evaluation} />
      </Section>
    </li>
  );
}

function Value({ label, heading, value, testId }: { label: string; heading: string; value: unknown; testId: string }) {
  const view = valueView(value);
  return (
    <div className="step-value" data-testid={testId}>
      <span className="step-label">{heading}</span>
      {view.viewer === 'none' ? <span className="steps-empty">none</span> : null}
      {view.viewer === 'text' ? <div className="steps-text steps-plain">{view.text}</div> : null}
      {view.viewer === 'code' ? <CodeView text={view.text} language={view.language} label={label} testId={`${testId}-code`} /> : null}
    </div>
  );
}

interface SectionProps {
  messageId: string;
  /** Its key in the remembered state of this answer's panel. */
  id: string;
  title: string;
  meta?: string;
  /** Shown after the meta in the heading (a tool call's evaluation badges). */
  badges?: ReactNode;
  defaultOpen: boolean;
  /** The title is a name (a tool's): shown as code. */
  code?: boolean;
  testId?: string;
  children: ReactNode;
}

/**
 * A collapsible part of the panel. A button with aria-expanded rather than <details>, so its open state is the
 * remembered one, and its content is not rendered at all while closed (no editor is made for a closed call).
 */
function Section({ messageId, id, title, meta, badges, defaultOpen, code, testId, children }: SectionProps) {
  const open = usePanel(messageId).sections[id] ?? defaultOpen;
  const setSection = useStepsPanels((s) => s.setSection);
  const bodyId = `steps-${messageId}-${id}`;
  return (
    <div className="steps-section" data-testid={testId} data-open={open}>
      <button
        type="button"
        className="steps-section-toggle"
        aria-expanded={open}
        aria-controls={open ? bodyId : undefined}
        onClick={() => setSection(messageId, id, !open)}
      >
        <span className="steps-chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
        {code ? <code>{title}</code> : <span>{title}</span>}
        {meta ? <span className="steps-meta">{meta}</span> : null}
        {badges}
      </button>
      {open ? (
        <div id={bodyId} className="steps-section-body">
          {children}
        </div>
      ) : null}
    </div>
  );
}

function duration(ms: number | null): string {
  if (ms === null) return '';
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`;
}
