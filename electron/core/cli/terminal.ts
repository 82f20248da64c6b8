import { createInterface, type Interface } from 'node:readline/promises';

/** Asks one line; rejects when `signal` aborts (the question was closed meanwhile). */
export type AskLine = (prompt: string, signal: AbortSignal) => Promise<string>;

/** What a single prompt needs: a way to ask a line (null without a terminal: a pipe, CI) and to show text. */
export type PromptIo = Pick<Terminal, 'ask' | 'write'>;

/** Where the CLI asks the user things: tool approvals and tool servers' questions. */
export interface Terminal {
  /** Null without a terminal (a pipe, CI): nothing can be asked. */
  readonly ask: AskLine | null;
  write(text: string): void;
  /**
   * Runs prompts one at a time, in the order they came: a question is shown only once the one before it is answered,
   * so each answer belongs to the question on screen.
   */
  queue<T>(prompt: () => Promise<T>): Promise<T>;
  close(): void;
}

export interface TerminalStreams {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream;
}

/**
 * One line reader for the whole command, opened at the first question (so typing while an answer streams is not
 * echoed or consumed). A line typed while no question is on screen answers nothing: readline drops it, so no
 * answer typed ahead can land on a question the user has not seen. Ctrl-C at a prompt calls `onInterrupt`, as it
 * would anywhere else.
 */
export function openTerminal(streams: TerminalStreams, onInterrupt: () => void): Terminal {
  let reader: Interface | null = null;
  let tail: Promise<unknown> = Promise.resolve();
  const lineReader = () => {
    if (!reader) {
      reader = createInterface({ input: streams.input, output: streams.output });
      reader.on('SIGINT', onInterrupt);
    }
    return reader;
  };
  return {
    ask: streams.input.isTTY ? (prompt, signal) => lineReader().question(prompt, { signal }) : null,
    write: (text) => void streams.output.write(text),
    queue<T>(prompt: () => Promise<T>): Promise<T> {
      const next = tail.then(prompt);
      tail = next.catch(() => undefined);
      return next;
    },
    close() {
      reader?.close();
      reader = null;
    },
  };
}
