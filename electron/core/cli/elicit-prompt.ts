import {
  ApiError,
  type CodaClient,
  fieldLabel,
  fieldOptions,
  fieldProblem,
  isRequired,
  type ElicitationAction,
  type ElicitationContent,
  type ElicitationField,
  type ElicitationValue,
  type RunEvent,
} from '../../../shared/index.js';
import type { PromptIo } from './terminal.js';

type Question = Extract<RunEvent, { type: 'elicitation-request' }>;

/**
 * Asks on the terminal (stderr, so stdout keeps only the answer) and sends the answer with chat.elicit. Without a
 * terminal the question is declined, with a note. `closed` aborts when the question ends another way (a stop).
 */
export async function answerOnTerminal(client: CodaClient, runId: string, question: Question, io: PromptIo, closed: AbortSignal): Promise<void> {
  if (closed.aborted) return;
  const send = (answer: { action: ElicitationAction; content?: ElicitationContent }) =>
    client.call('chat.elicit', { runId, elicitationId: question.elicitationId, ...answer });
  try {
    const answer = await promptElicitation(question, io, closed);
    await send(answer).catch(async (error: unknown) => {
      if (!(error instanceof ApiError)) throw error;
      // The question was closed meanwhile: there is nothing left to answer.
      if (error.code === 'not_found') return;
      // Checked field by field already, so this is rare; the server still gets an answer rather than waiting.
      io.write(`coda: ${error.message} Declined instead.\n`);
      await send({ action: 'decline' });
    });
  } catch (error) {
    if (!closed.aborted) throw error;
    io.write('\n(The question was closed before it was answered.)\n');
  }
}

/**
 * A tool server's question on the terminal: its message, then each field in turn with its default in brackets
 * (Enter keeps it). Answers are checked as core checks them, and a field is asked again until it fits.
 */
export async function promptElicitation(
  question: Question,
  io: PromptIo,
  signal: AbortSignal,
): Promise<{ action: ElicitationAction; content?: ElicitationContent }> {
  // Everything here is the server's text: control characters could recolour, move or hide what the terminal shows.
  const questionAsked = io.ask;
  const terminal: PromptIo = {
    ask: questionAsked ? (prompt, stop) => questionAsked(withoutControls(prompt), stop) : null,
    write: (text) => io.write(withoutControls(text)),
  };
  return ask(question, terminal, signal);
}

/** Strips C0 and C1 control characters (escape sequences among them), keeping new lines. */
export function withoutControls(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, '');
}

async function ask(question: Question, io: PromptIo, signal: AbortSignal): Promise<{ action: ElicitationAction; content?: ElicitationContent }> {
  io.write(`\n[${question.serverLabel}] asks (this question comes from the tool server, not from Coda):\n  ${question.message.replace(/\n/g, '\n  ')}\n`);
  if (!io.ask) {
    io.write("Declined: there is no terminal to answer on (run coda chat in a terminal to answer a server's questions).\n");
    return { action: 'decline' };
  }
  const choice = (await io.ask('Answer (a), decline (d) or cancel (c)? [a] ', signal)).trim().toLowerCase();
  if (choice.startsWith('d')) return { action: 'decline' };
  if (choice.startsWith('c')) return { action: 'cancel' };
  const schema = question.requestedSchema;
  const content: ElicitationContent = {};
  for (const [name, field] of Object.entries(schema.properties)) {
    const options = fieldOptions(field);
    const hint = [isRequired(schema, name) ? 'required' : '', field.description ?? ''].filter(Boolean).join('; ');
    io.write(`${fieldLabel(name, field)}${hint ? ` (${hint})` : ''}\n`);
    if (options) io.write(options.map((o, i) => `  ${i + 1}) ${o.label}`).join('\n') + '\n');
    for (;;) {
      const typed = (await io.ask(`  ${inputHint(field)}${defaultHint(field)}: `, signal)).trim();
      const value = typed === '' ? field.default : parseAnswer(field, typed);
      const problem = fieldProblem(schema, name, value);
      if (!problem) {
        if (value !== undefined) content[name] = value;
        break;
      }
      io.write(`  ${fieldLabel(name, field)} ${problem}\n`);
    }
  }
  return { action: 'accept', content };
}

function inputHint(field: ElicitationField): string {
  if (field.type === 'boolean') return 'y/n';
  if (field.type === 'array') return 'numbers, separated by commas';
  if (fieldOptions(field)) return 'number';
  if (field.type === 'number' || field.type === 'integer') return field.type;
  return field.format ?? 'text';
}

function defaultHint(field: ElicitationField): string {
  const value = field.default;
  if (value === undefined) return '';
  const options = fieldOptions(field);
  const show = (v: string) => options?.find((o) => o.value === v)?.label ?? v;
  return ` [${typeof value === 'boolean' ? (value ? 'y' : 'n') : Array.isArray(value) ? value.map(show).join(', ') : typeof value === 'string' ? show(value) : String(value)}]`;
}

/** What was typed, as the field's type; an answer that cannot be read is returned as typed, so the check names it. */
function parseAnswer(field: ElicitationField, typed: string): ElicitationValue {
  const options = fieldOptions(field);
  const pick = (part: string) => {
    const index = Number(part);
    if (options && Number.isInteger(index) && index >= 1 && index <= options.length) return options[index - 1]!.value;
    return options?.find((o) => o.label.toLowerCase() === part.toLowerCase())?.value ?? part;
  };
  switch (field.type) {
    case 'boolean':
      return /^y(es)?$/i.test(typed) ? true : /^no?$/i.test(typed) ? false : typed;
    case 'number':
    case 'integer': {
      const number = Number(typed);
      return Number.isFinite(number) ? number : typed;
    }
    case 'array':
      return typed
        .split(',')
        .map((part) => pick(part.trim()))
        .filter(Boolean);
    case 'string':
      return options ? pick(typed) : typed;
  }
}
