import type { PromptIo } from '../../electron/core/cli/terminal.js';

/** A terminal where the given lines are typed in turn, recording everything it showed (prompts included). */
export function typedTerminal(lines: string[]): PromptIo & { shown: string } {
  const io = {
    shown: '',
    write: (text: string) => void (io.shown += text),
    ask: async (prompt: string) => {
      io.shown += prompt;
      const line = lines.shift();
      if (line === undefined) throw new Error(`nothing left to type at: ${prompt}`);
      return line;
    },
  };
  return io;
}
