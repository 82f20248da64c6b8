import { InvalidArgumentError, type Command } from 'commander';
import type { Feedback } from '../../../shared/index.js';
import type { CliContext } from './context.js';
import { writeJsonLine } from './output.js';
import { withClient } from './with-client.js';

type Rating = NonNullable<Feedback['rating']>;

function parseRating(value: string): Rating {
  if (value === 'up' || value === 'down') return value;
  throw new InvalidArgumentError('give up or down.');
}

/** `coda feedback MESSAGE_ID up|down [--comment TEXT]`: what the thumbs and the comment field of the app do. */
export function feedbackCommand(program: Command, cli: CliContext): void {
  program
    .command('feedback')
    .description('rate an answer up or down, with an optional comment (its id may be shortened to its start, as with git)')
    .argument('<message-id>', 'the answer (see: coda sessions show ID)')
    .argument('<rating>', 'up or down', parseRating)
    .option('--comment <text>', 'a comment kept with the rating (replaces an earlier one)')
    .option('--json', 'print JSON: the answer with its feedback')
    .action((id: string, rating: Rating, options: { comment?: string; json?: boolean }) =>
      withClient(cli, {}, async (client) => {
        const answer = await client.call('messages.resolve', { idPrefix: id });
        const saved = await client.call('messages.setFeedback', {
          messageId: answer.id,
          feedback: { rating, ...(options.comment === undefined ? {} : { comment: options.comment }) },
        });
        if (options.json) return writeJsonLine(cli.out, saved);
        cli.out.write(`Rated answer ${saved.id} ${rating}${saved.feedback?.comment ? `, with your comment` : ''}.\n`);
      }),
    );
}
