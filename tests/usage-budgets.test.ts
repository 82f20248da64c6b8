import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { usageCsv } from '../shared/data/usage-csv.js';
import { startOfMonth } from '../electron/core/usage/budgets.js';
import { collectRun, startTestCore, type TestCore } from './helpers/core.js';
import { textReply } from './provider-server/script.js';

let t: TestCore;
beforeEach(async () => {
  t = await startTestCore();
});
afterEach(async () => {
  await t.dispose();
});

/** gpt-4.1-mini (the default model) bills $0.40 per million input tokens and $1.60 per million output tokens: this answer costs $0.75. */
const PRICEY = { input: 375_000, output: 375_000 };

async function answer(sessionId: string, text: string, extra: { overBudget?: true } = {}): Promise<void> {
  t.provider.enqueue(textReply(`Answer to ${text}`, PRICEY));
  const { runId } = await t.client.call('chat.send', { sessionId, text, ...extra });
  await collectRun(t.client, runId);
}

describe('usage reports', () => {
  it('lists every answer with its tokens and cost, filtered by time and chat, and as CSV', async () => {
    const first = await t.client.call('sessions.create', { title: '=HYPERLINK("x")' });
    const second = await t.client.call('sessions.create', { title: 'Second' });
    const before = Date.now();
    await answer(first.id, 'one');
    await answer(second.id, 'two');
    const { rows, truncated } = await t.client.call('usage.answers', {});
    expect(truncated).toBe(false);
    expect(rows.map((r) => r.sessionTitle)).toEqual(['=HYPERLINK("x")', 'Second']);
    expect(rows[0]).toMatchObject({ inputTokens: 375_000, outputTokens: 375_000, provider: 'openai', model: 'gpt-4.1-mini', estimated: false });
    expect(rows[0]!.costUsd).toBeCloseTo(0.75, 6);
    expect((await t.client.call('usage.answers', { sessionId: second.id })).rows.map((r) => r.sessionTitle)).toEqual(['Second']);
    expect((await t.client.call('usage.answers', { from: before - 60_000, to: before })).rows).toEqual([]);
    // A deleted chat's answers were still paid for.
    await t.client.call('sessions.delete', { id: second.id });
    expect((await t.client.call('usage.answers', {})).rows).toHaveLength(2);

    const csv = usageCsv(rows).split('\r\n');
    expect(csv[0]).toBe(
      'started_at,chat,chat_id,message_id,provider,model,status,input_tokens,cached_input_tokens,cache_write_tokens,output_tokens,reasoning_tokens,cost_usd,estimated',
    );
    // A title a spreadsheet would run as a formula is escaped; quotes are doubled.
    expect(csv[1]).toContain(`,"'=HYPERLINK(""x"")",${first.id},`);
    expect(csv[1]).toMatch(/,openai,gpt-4.1-mini,complete,375000,0,0,375000,0,0\.750000,no$/);
  });

  it('refuses a range that ends before it starts', async () => {
    await expect(t.client.call('usage.answers', { from: 2000, to: 1000 })).rejects.toMatchObject({ code: 'validation' });
  });
});

describe('budgets', () => {
  it('warns from 80% of the monthly limit and reports being over it, without blocking unless asked', async () => {
    const chat = await t.client.call('sessions.create', {});
    expect(await t.client.call('budgets.status', {})).toEqual({ month: null, chat: null, block: false, spentThisMonthUsd: 0 });
    await t.client.call('budgets.update', { monthlyUsd: 0.9 });
    await answer(chat.id, 'one');
    const warned = await t.client.call('budgets.status', {});
    expect(warned.month).toMatchObject({ level: 'warn', limitUsd: 0.9 });
    expect(warned.month!.spentUsd).toBeCloseTo(0.75, 6);
    await answer(chat.id, 'two');
    expect((await t.client.call('budgets.status', {})).month).toMatchObject({ level: 'over' });
    // Not blocking: a third message is answered.
    await answer(chat.id, 'three');
    expect((await t.client.call('usage.answers', {})).rows).toHaveLength(3);
  });

  it('blocks sending at a per-chat limit when blocking is on, lets one message through on request, and leaves other chats alone', async () => {
    const chat = await t.client.call('sessions.create', {});
    const other = await t.client.call('sessions.create', {});
    expect(await t.client.call('budgets.update', { chatUsd: 0.7, block: true })).toEqual({ monthlyUsd: null, chatUsd: 0.7, block: true });
    await answer(chat.id, 'one');
    const status = await t.client.call('budgets.status', { sessionId: chat.id });
    expect(status.chat).toMatchObject({ level: 'over', limitUsd: 0.7 });
    const refused = t.client.call('chat.send', { sessionId: chat.id, text: 'two' });
    await expect(refused).rejects.toMatchObject({
      code: 'budget_exceeded',
      message:
        'The per-chat spending limit of $0.700 is reached: $0.750 spent in this chat. Raise it in Settings › Usage and budgets, or send this message anyway.',
    });
    // Nothing was saved for the refused message.
    expect((await t.client.call('messages.path', { sessionId: chat.id })).messages).toHaveLength(2);
    await answer(chat.id, 'two', { overBudget: true });
    expect((await t.client.call('messages.path', { sessionId: chat.id })).messages).toHaveLength(4);
    // The override was for that one message.
    await expect(t.client.call('chat.send', { sessionId: chat.id, text: 'three' })).rejects.toMatchObject({ code: 'budget_exceeded' });
    const last = (await t.client.call('messages.path', { sessionId: chat.id })).messages.at(-1)!;
    await expect(t.client.call('chat.retry', { messageId: last.id })).rejects.toMatchObject({ code: 'budget_exceeded' });
    // Another chat has its own per-chat budget.
    await answer(other.id, 'elsewhere');
    // Turning blocking off lets sending go on, still reported as over.
    await t.client.call('budgets.update', { block: false });
    await answer(chat.id, 'four');
  });

  it('counts a calendar month from its first day in local time, and survives a restart', async () => {
    const now = new Date(2026, 11, 17, 15, 30).getTime();
    expect(startOfMonth(now)).toBe(new Date(2026, 11, 1).getTime());
    await t.client.call('budgets.update', { monthlyUsd: 25, block: true });
    await t.reopen();
    expect(await t.client.call('budgets.get', {})).toEqual({ monthlyUsd: 25, chatUsd: null, block: true });
    await expect(t.client.call('budgets.update', { monthlyUsd: -1 })).rejects.toMatchObject({ code: 'validation' });
    await t.client.call('budgets.update', { monthlyUsd: null });
    expect((await t.client.call('budgets.get', {})).monthlyUsd).toBeNull();
  });
});
