import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrationsDir } from '../helpers/core.js';
import { MessagesRepository, type FinishedAnswer } from '../../electron/core/store/repositories/messages.js';
import { SessionsRepository } from '../../electron/core/store/repositories/sessions.js';
import { Store } from '../../electron/core/store/store.js';
import { DEFAULT_SETTINGS } from '../../electron/core/core.js';
import { textReply } from '../provider-server/script.js';
import { pickModel, startAppUnderTest, type AppUnderTest } from './app-under-test.js';

// Answers again, edited questions and deleted messages as branches of the conversation tree, and long chats read
// back to their first message.
let app: AppUnderTest;

beforeAll(async () => {
  app = await startAppUnderTest('coda-branches-');
});

afterAll(async () => {
  await app?.stop();
});

const answers = (page: Page) => page.getByTestId('message-assistant').getByTestId('message-text').allInnerTexts();
const users = (page: Page) => page.getByTestId('message-user').getByTestId('message-text').allInnerTexts();

describe('branches in the chat', () => {
  it('answers again (with another model too), keeps every attempt reachable, edits a question as a new branch, and deletes with undo', async () => {
    const page = await app.openApp();
    app.provider.enqueue(textReply('Blue.'));
    await page.getByTestId('composer-input').fill('Name a colour');
    await page.getByTestId('composer-input').press('Enter');
    await expect.poll(() => answers(page)).toEqual(['Blue.']);

    app.provider.enqueue(textReply('Green.'));
    await page.getByTestId('regenerate').click();
    await expect.poll(() => answers(page)).toEqual(['Green.']);
    const answer = page.getByTestId('message-assistant');
    expect(await answer.getByTestId('sibling-position').innerText()).toBe('2/2');
    app.provider.enqueue(textReply('Red.'));
    await pickModel(page, 'regenerate-with', 'openai/gpt-4.1');
    await expect.poll(() => answers(page)).toEqual(['Red.']);
    expect(await answer.getByTestId('sibling-position').innerText()).toBe('3/3');
    expect(await answer.innerText()).toContain('gpt-4.1');
    await answer.getByTestId('sibling-previous').click();
    await expect.poll(() => answers(page)).toEqual(['Green.']);
    await answer.getByTestId('sibling-previous').click();
    await expect.poll(() => answers(page)).toEqual(['Blue.']);
    expect(await answer.getByTestId('sibling-position').innerText()).toBe('1/3');

    // Edit the question: sent as a sibling, the original kept with its answers.
    app.provider.enqueue(textReply('Yellow.'));
    await page.getByTestId('message-user').getByTestId('edit-message').click();
    await page.getByTestId('edit-text').fill('Name a warm colour');
    await page.getByTestId('edit-text').press('Control+Enter');
    await expect.poll(() => answers(page)).toEqual(['Yellow.']);
    expect(await users(page)).toEqual(['Name a warm colour']);
    expect(await page.getByTestId('message-user').getByTestId('sibling-position').innerText()).toBe('2/2');
    await page.getByTestId('message-user').getByTestId('sibling-previous').click();
    await expect.poll(() => users(page)).toEqual(['Name a colour']);
    // A branch opens at its latest attempt.
    expect(await answers(page)).toEqual(['Red.']);
    await answer.getByTestId('sibling-previous').click();
    await answer.getByTestId('sibling-previous').click();
    await expect.poll(() => answers(page)).toEqual(['Blue.']);

    // Delete this answer (after a confirmation): the chat shows its neighbour; Undo brings it back.
    await answer.getByTestId('delete-message').click();
    await answer.getByTestId('confirm-delete-message').click();
    await expect.poll(() => answers(page)).not.toEqual(['Blue.']);
    await page.getByTestId('undo-delete-message').click();
    await expect.poll(() => answers(page)).toEqual(['Blue.']);
    expect(page.problems).toEqual([]);
    await page.close();
  });

  it('reads a long chat back to its first message as the reader scrolls up', async () => {
    // 300 exchanges written straight to the data folder, as a long-lived chat would hold them.
    const store = await Store.open(app.dataDir, migrationsDir);
    const sessions = new SessionsRepository(store);
    const repo = new MessagesRepository(store);
    const session = await sessions.create({ title: 'A long chat', titleSource: 'user', settings: DEFAULT_SETTINGS });
    let parent = null;
    for (let i = 0; i < 300; i++) {
      const { assistant } = await repo.addExchange(session.id, parent, `Question ${i}`, {
        provider: 'openai',
        model: 'gpt-4.1-mini',
        estimatedInputTokens: null,
        traceId: null,
      });
      const done: FinishedAnswer = {
        status: 'complete',
        provider: 'openai',
        model: 'gpt-4.1-mini',
        route: [],
        estimatedInputTokens: null,
        text: `Answer ${i}`,
        reasoning: '',
        usage: null,
        costUsd: null,
        providerResponseId: null,
        firstTokenAt: null,
        error: null,
      };
      parent = await repo.finish(assistant.id, done);
    }
    await store.close();

    const page = await app.openApp();
    await page.getByTestId('session-row').filter({ hasText: 'A long chat' }).getByRole('button', { name: 'A long chat', exact: true }).click();
    await expect.poll(() => users(page)).toContain('Question 299');
    const list = page.getByTestId('message-list');
    await list.hover();
    await expect
      .poll(
        async () => {
          await page.mouse.wheel(0, -20_000);
          return users(page);
        },
        { timeout: 30_000 },
      )
      .toContain('Question 0');
    await page.close();
  });
});
