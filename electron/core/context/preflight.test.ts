import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../../../tests/helpers/core.js';
import { textReply } from '../../../tests/provider-server/script.js';
import { turnTokens } from '../chat/estimate.js';

// An answer's pre-flight estimate counts the request the context builder chose, not the whole candidate history.
let t: TestCore;
beforeAll(async () => {
  t = await startTestCore();
});
afterAll(async () => {
  await t.dispose();
});

describe('pre-flight estimate', { timeout: 60_000 }, () => {
  it('counts what is sent once older turns are left out', async () => {
    // An unknown model: a 32,768-token window, half of it kept for the answer.
    const session = await t.client.call('sessions.create', { settings: { provider: 'openai', model: 'local-small-model', maxOutputTokens: 100_000 } });
    const texts = ['OLDEST', 'MIDDLE', 'NEWER'].map((label) => `${label} ${'lorem ipsum dolor sit amet '.repeat(2_000)}`.trim());
    let last = null;
    for (const text of [...texts, 'What came last?']) {
      t.provider.enqueue(textReply('Noted.'));
      const started = await t.client.call('chat.send', { sessionId: session.id, text });
      last = (await t.client.followRun(started.runId)).message;
    }
    const request = t.provider.requests.filter((r) => r.body['stream'] === true).at(-1)!;
    const sent = request.body['messages'] as { role: 'user' | 'assistant'; content: string }[];
    expect(sent.some((m) => m.content.startsWith('OLDEST'))).toBe(false);
    const sentTokens = 3 + sent.reduce((n, m) => n + turnTokens({ role: m.role, content: m.content }), 0);
    const everything = 3 + [...texts, 'What came last?'].reduce((n, text) => n + turnTokens({ role: 'user', content: text }), 0);
    expect(last!.estimatedInputTokens).toBe(sentTokens);
    expect(last!.estimatedInputTokens).toBeLessThan(everything - 10_000);
  });
});
