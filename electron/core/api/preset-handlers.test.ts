import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startTestCore, type TestCore } from '../../../tests/helpers/core.js';

let t: TestCore;
beforeEach(async () => {
  t = await startTestCore();
});
afterEach(async () => {
  await t.dispose();
});

describe('presets', () => {
  it('saves, renames, duplicates and deletes presets, kept across a restart, and a chat can start from one', async () => {
    const settings = (await t.client.call('app.info', {})).defaultSettings;
    const { presets } = await t.client.call('presets.save', {
      name: 'Translator',
      settings: { ...settings, systemPrompt: 'Translate into French.', temperature: 0.2 },
    });
    const [translator] = presets;
    expect(translator).toMatchObject({ name: 'Translator', settings: { systemPrompt: 'Translate into French.', temperature: 0.2 } });

    await t.client.call('presets.save', { id: translator!.id, name: 'French translator', settings: translator!.settings });
    await t.client.call('presets.duplicate', { id: translator!.id });
    const copied = await t.client.call('presets.duplicate', { id: translator!.id });
    expect(copied.presets.map((p) => p.name)).toEqual(['French translator', 'French translator (copy)', 'French translator (copy 2)']);

    await t.reopen();
    const kept = (await t.client.call('presets.list', {})).presets;
    expect(kept).toHaveLength(3);
    await t.client.call('presets.delete', { id: kept[2]!.id });
    expect((await t.client.call('presets.list', {})).presets.map((p) => p.name)).toEqual(['French translator', 'French translator (copy)']);

    const chat = await t.client.call('sessions.create', { settings: kept[0]!.settings });
    expect(chat.settings).toMatchObject({ systemPrompt: 'Translate into French.', temperature: 0.2 });
  });

  it('refuses a second preset of the same name, and an unknown one', async () => {
    const settings = (await t.client.call('app.info', {})).defaultSettings;
    await t.client.call('presets.save', { name: 'Coder', settings });
    await expect(t.client.call('presets.save', { name: 'coder', settings })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('"coder" exists already'),
    });
    await expect(t.client.call('presets.delete', { id: '0190a000-0000-7000-8000-000000000000' })).rejects.toMatchObject({ code: 'not_found' });
  });
});
