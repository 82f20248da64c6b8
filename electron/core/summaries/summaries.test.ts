import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AppEvent, Message } from '../../../shared/index.js';
import { startTestCore, type TestCore } from '../../../tests/helpers/core.js';
import type { RecordedRequest } from '../../../tests/provider-server/server.js';
import { textReply } from '../../../tests/provider-server/script.js';

// Summaries through the real OpenAI and Anthropic SDKs against the scripted provider: what the summarizer is asked,
// what requests send afterwards, and on which branches.
let t: TestCore;
const events: AppEvent[] = [];
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => {
  await t.dispose();
});
let unsubscribe = () => {};
beforeEach(async () => {
  t.provider.requests.length = 0;
  events.length = 0;
  // Subscribed again each time: a test may have reopened core.
  unsubscribe();
  unsubscribe = t.client.onApp((event) => void events.push(event));
  await t.client.call('summaries.updateSettings', { auto: true, thresholdPercent: 50, model: null });
});

// An unknown model gets a 32,768-token window: the default threshold is 16,384 tokens.
const small = { provider: 'openai', model: 'local-small-model', maxOutputTokens: 1_000 } as const;
/** About 10,000 tokens of plain words. */
const long = (label: string) => `${label} ` + 'lorem ipsum dolor sit amet '.repeat(2_000);
const SUMMARIZER = 'You condense a conversation';

type Sent = { role: string; content: string };
const streamed = () => t.provider.requests.filter((r) => r.body['stream'] === true);
const messagesOf = (r: RecordedRequest) => r.body['messages'] as Sent[];
const isSummarizer = (r: RecordedRequest) => messagesOf(r)?.[0]?.content.startsWith(SUMMARIZER) === true;
const lastAnswerRequest = () =>
  streamed()
    .filter((r) => !isSummarizer(r))
    .at(-1)!;

async function say(sessionId: string, text: string, options: { parentId?: string; then?: string } = {}) {
  t.provider.enqueue(textReply('Noted.'));
  if (options.then) t.provider.enqueue(textReply(options.then));
  const started = await t.client.call('chat.send', { sessionId, text, ...(options.parentId ? { parentId: options.parentId } : {}) });
  const last = await t.client.followRun(started.runId);
  // The automatic summary is made after the answer, in the background.
  await t.core.chat.settle();
  return { user: started.userMessage, answer: last.message as Message };
}

/** A chat past its threshold: facts, a long turn, then a second long turn that triggers the summary. */
async function longChat(summaryText: string) {
  const session = await t.client.call('sessions.create', { settings: small });
  const first = await say(session.id, 'Project Falcon ships on 2027-03-01 with a budget of 40 kg. We decided to use Postgres.');
  const old = await say(session.id, long('OLDEST'));
  expect(await t.client.call('summaries.current', { sessionId: session.id })).toBeNull();
  const middle = await say(session.id, long('MIDDLE'), { then: summaryText });
  return { session, first, old, middle };
}

describe('summaries', { timeout: 60_000 }, () => {
  it('summarizes past the threshold and sends the summary in place of the messages it covers', async () => {
    const { session, first, old, middle } = await longChat('Project Falcon ships on 2027-03-01; budget 40 kg. The assistant noted a long OLDEST text.');

    const summarizer = streamed().find(isSummarizer)!;
    const asked = messagesOf(summarizer)[1]!.content;
    expect(asked).toContain('User: Project Falcon ships');
    expect(asked).toContain('User: OLDEST lorem');
    // The newest turn stays as written.
    expect(asked).not.toContain('MIDDLE');

    const summary = (await t.client.call('summaries.current', { sessionId: session.id }))!;
    expect(summary).toMatchObject({ trigger: 'auto', fromMessageId: first.user.id, toMessageId: old.answer.id, messageCount: 4, provider: 'openai' });
    expect(events.some((e) => e.type === 'summary-changed' && e.summary.id === summary.id)).toBe(true);
    // The decision was lost; the names and numbers were kept.
    expect(summary.quality.lost).toEqual([
      { kind: 'decision', text: 'We decided to use Postgres.' },
      { kind: 'name', text: 'Postgres' },
    ]);
    expect(summary.quality.coverage).toBeGreaterThan(0.5);
    expect(summary.quality.coverage).toBeLessThan(1);
    expect(summary.inputTokens).toBe(12);

    await say(session.id, 'When does it ship?');
    const sent = messagesOf(lastAnswerRequest()).map((m) => m.content);
    expect(sent[0]).toBe(`Summary of the earlier conversation:\n${summary.text}`);
    expect(sent.some((c) => c.startsWith('Project Falcon') || c.startsWith('OLDEST'))).toBe(false);
    expect(sent.some((c) => c.startsWith('MIDDLE'))).toBe(true);
    expect(sent.at(-1)).toBe('When does it ship?');

    // The preview and the gauge count the summary and name what it covers.
    const next = await t.client.call('context.show', { sessionId: session.id });
    expect(next.summary).toBeGreaterThan(10);
    expect(next.messages.filter((m) => m.status === 'summarized').map((m) => m.messageId)).toEqual([
      first.user.id,
      first.answer.id,
      old.user.id,
      old.answer.id,
    ]);
    expect(next.included).toContain(middle.user.id);
    expect(next.included).not.toContain(first.user.id);
  });

  it('folds new turns into the existing summary on demand, and checks every fact of the range', async () => {
    const { session, old } = await longChat('Project Falcon ships on 2027-03-01; budget 40 kg; Postgres was chosen (decided).');
    const before = (await t.client.call('summaries.current', { sessionId: session.id }))!;
    const asked = await say(session.id, 'Add Lisbon as the second site, 12 people.');

    t.provider.enqueue(textReply('Project Falcon ships on 2027-03-01 with 40 kg; second site Lisbon for 12 people.'));
    const folded = await t.client.call('summaries.create', { sessionId: session.id });
    const prompt = messagesOf(streamed().filter(isSummarizer).at(-1)!)[1]!.content;
    expect(prompt).toContain(`Summary so far:\n${before.text}`);
    expect(prompt).toContain('User: MIDDLE');
    expect(prompt).toContain('User: Add Lisbon');
    expect(prompt).not.toContain('OLDEST');
    expect(folded).toMatchObject({
      trigger: 'manual',
      fromMessageId: before.fromMessageId,
      toMessageId: asked.answer.id,
      messageCount: before.messageCount + 4,
    });
    expect(old.answer.id).toBe(before.toMessageId);
    // Facts of the earlier range count too: the Postgres decision is lost now.
    expect(folded.quality.checked).toBeGreaterThan(before.quality.checked);
    expect(folded.quality.lost.map((f) => f.text)).toContain('Postgres');

    // Nothing new: asking again gives the same summary without a call.
    const calls = streamed().length;
    expect((await t.client.call('summaries.create', { sessionId: session.id })).id).toBe(folded.id);
    expect(streamed()).toHaveLength(calls);
  });

  it("folds a range longer than the summarizer's window in parts, each into the summary so far", async () => {
    await t.client.call('summaries.updateSettings', { auto: false });
    const session = await t.client.call('sessions.create', { settings: small });
    await say(session.id, long('FIRST'));
    await say(session.id, long('SECOND'));
    t.provider.enqueue(textReply('Part one.'), textReply('Parts one and two.'));
    const summary = await t.client.call('summaries.create', { sessionId: session.id });
    const prompts = streamed()
      .filter(isSummarizer)
      .map((r) => messagesOf(r)[1]!.content);
    expect(prompts).toHaveLength(2);
    expect(prompts[0]).toContain('User: FIRST');
    expect(prompts[0]).not.toContain('SECOND');
    expect(prompts[1]).toMatch(/^Summary so far:\nPart one\.\n\nNew messages to fold into it:\n\nUser: SECOND/);
    expect(summary).toMatchObject({ text: 'Parts one and two.', messageCount: 4, inputTokens: 24, outputTokens: 14 });
  });

  it('applies a summary only to branches that go through its whole range', async () => {
    const { session, first, old, middle } = await longChat('Falcon summary text.');
    const summary = (await t.client.call('summaries.current', { sessionId: session.id }))!;

    // A branch that leaves the path inside the range (an edit of the OLDEST question) does not get it.
    const edited = await say(session.id, 'A different second question.', { parentId: first.answer.id });
    expect(await t.client.call('summaries.current', { sessionId: session.id })).toBeNull();
    expect(messagesOf(lastAnswerRequest()).some((m) => m.content.includes('Falcon summary text.'))).toBe(false);
    expect(messagesOf(lastAnswerRequest()).some((m) => m.content.startsWith('Project Falcon'))).toBe(true);
    expect((await t.client.call('context.show', { sessionId: session.id })).messages.filter((m) => m.status === 'summarized')).toEqual([]);

    // A branch after the range's end (an edit of the MIDDLE question) does.
    await t.client.call('sessions.switchBranch', { sessionId: session.id, messageId: middle.answer.id });
    await say(session.id, 'Another newest question.', { parentId: old.answer.id });
    expect((await t.client.call('summaries.current', { sessionId: session.id }))?.id).toBe(summary.id);
    expect(messagesOf(lastAnswerRequest())[0]!.content).toContain('Falcon summary text.');
    expect(edited.user.id).not.toBe(middle.user.id);
  });

  it('sends the edited text from then on, and keeps it across restarts', async () => {
    const { session } = await longChat('Model text.');
    const summary = (await t.client.call('summaries.current', { sessionId: session.id }))!;
    const edited = await t.client.call('summaries.update', {
      summaryId: summary.id,
      text: 'Project Falcon, 40 kg, ships 2027-03-01; we decided to use Postgres. Then an OLDEST text.',
    });
    expect(edited.editedAt).not.toBeNull();
    expect(edited.quality.lost).toEqual([]);
    expect(edited.quality.coverage).toBe(1);
    expect(events.some((e) => e.type === 'summary-changed' && e.summary.text === edited.text)).toBe(true);

    await t.reopen();
    expect((await t.client.call('summaries.current', { sessionId: session.id }))?.text).toBe(edited.text);
    await say(session.id, 'And now?');
    expect(messagesOf(lastAnswerRequest())[0]!.content).toBe(`Summary of the earlier conversation:\n${edited.text}`);

    const empty = await t.core.invoke('summaries.update', { summaryId: summary.id, text: '   ' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('uses the summarizer model of the settings, and says why when it fails; the chat carries on without a summary', async () => {
    await t.client.call('summaries.updateSettings', { model: { provider: 'anthropic', model: 'claude-sonnet-4-5' } });
    const session = await t.client.call('sessions.create', { settings: small });
    await say(session.id, 'Hello, Ada Lovelace here.');
    t.provider.forProvider('anthropic').enqueue({ kind: 'error', status: 400, message: 'model: no such model' });
    const failed = await t.core.invoke('summaries.create', { sessionId: session.id });
    expect(failed).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/^The summarizer \(anthropic\/claude-sonnet-4-5\) failed: .*no such model/) },
    });
    expect(t.provider.requests.some((r) => r.provider === 'anthropic')).toBe(true);

    await t.client.call('summaries.updateSettings', { model: { provider: 'vllm', model: 'qwen' } });
    const noKey = await t.core.invoke('summaries.create', { sessionId: session.id });
    expect(noKey).toMatchObject({
      ok: false,
      error: { code: 'provider_not_configured', message: expect.stringContaining('The summarizer (vllm/qwen) failed') },
    });

    const reply = await say(session.id, 'Still there?');
    expect(reply.answer.status).toBe('complete');
    expect(await t.client.call('summaries.current', { sessionId: session.id })).toBeNull();

    // Past the threshold, an automatic summary that fails says why in an event; the next answer comes all the same.
    await t.client.call('summaries.updateSettings', { model: { provider: 'anthropic', model: 'claude-sonnet-4-5' } });
    await say(session.id, long('ONE'));
    t.provider.forProvider('anthropic').enqueue({ kind: 'error', status: 529, message: 'Overloaded' });
    await say(session.id, long('TWO'));
    expect(events).toContainEqual({
      type: 'summary-failed',
      sessionId: session.id,
      message: expect.stringMatching(/^Could not summarize this chat automatically: The summarizer \(anthropic\/claude-sonnet-4-5\) failed: .*[Oo]verloaded/),
    });
    expect((await say(session.id, 'And now?')).answer.status).toBe('complete');
  });

  it('counts what the summarizer cost toward the spending of the month and the chat', async () => {
    const session = await t.client.call('sessions.create', { settings: { provider: 'openai', model: 'gpt-4o' } });
    const { answer } = await say(session.id, 'Hello, Ada Lovelace here.');
    t.provider.enqueue(textReply('Ada Lovelace said hello.', { input: 1_000_000, output: 0 }));
    const summary = await t.client.call('summaries.create', { sessionId: session.id });
    // gpt-4o: $2.50 per million input tokens.
    expect(summary.costUsd).toBeCloseTo(2.5, 6);
    const status = await t.client.call('budgets.status', { sessionId: session.id });
    expect(status.spentThisMonthUsd).toBeGreaterThanOrEqual(2.5 + (answer.costUsd ?? 0) - 1e-9);
    await t.client.call('budgets.update', { chatUsd: 2 });
    expect((await t.client.call('budgets.status', { sessionId: session.id })).chat).toMatchObject({ level: 'over' });
    await t.client.call('budgets.update', { chatUsd: null });
  });

  it('summarizes nothing automatically when switched off, and refuses an empty chat', async () => {
    await t.client.call('summaries.updateSettings', { auto: false });
    const session = await t.client.call('sessions.create', { settings: small });
    await say(session.id, long('ONE'));
    await say(session.id, long('TWO'));
    expect(streamed().some(isSummarizer)).toBe(false);
    expect(await t.client.call('summaries.current', { sessionId: session.id })).toBeNull();

    const empty = await t.client.call('sessions.create', {});
    expect(await t.core.invoke('summaries.create', { sessionId: empty.id })).toMatchObject({
      ok: false,
      error: { code: 'validation', message: 'This chat has no messages to summarize yet.' },
    });
  });
});
