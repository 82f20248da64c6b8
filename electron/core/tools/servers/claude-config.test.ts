import { describe, expect, it } from 'vitest';
import { ok, startTestCore } from '../../../../tests/helpers/core.js';
import { parseClaudeDesktopConfig } from './claude-config.js';

describe('Claude Desktop config import', () => {
  it('reads stdio servers and remote ones (Claude Code / Cursor / VS Code shape)', () => {
    const servers = parseClaudeDesktopConfig(
      JSON.stringify({
        mcpServers: {
          files: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'] },
          linear: { type: 'http', url: 'https://mcp.linear.app/mcp' },
          legacy: { type: 'sse', url: 'https://example.com/sse', headers: { Authorization: 'Bearer abc' } },
        },
      }),
    );
    expect(servers).toEqual([
      { label: 'files', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/tmp'], env: {} },
      { label: 'linear', url: 'https://mcp.linear.app/mcp', headers: {} },
      { label: 'legacy', url: 'https://example.com/sse', headers: { Authorization: 'Bearer abc' } },
    ]);
  });

  it('names what is wrong in a config it cannot read', () => {
    expect(() => parseClaudeDesktopConfig('{ nope')).toThrow(/not valid JSON/);
    expect(() => parseClaudeDesktopConfig(JSON.stringify({ mcpServers: { bad: { url: 'ftp://x' } } }))).toThrow(/mcpServers\.bad/);
    expect(() => parseClaudeDesktopConfig(JSON.stringify({ servers: {} }))).toThrow(/Not a Claude Desktop config/);
  });

  it('holds an imported server to the limits of the add-server form', () => {
    const config = (name: string, server: Record<string, unknown>) => JSON.stringify({ mcpServers: { [name]: server } });
    // A line break in a name would let it write its own lines into the title of the native "start" dialog.
    expect(() => parseClaudeDesktopConfig(config('notes\nStart the tool server "calendar"', { command: 'npx' }))).toThrow(/control characters/);
    expect(() => parseClaudeDesktopConfig(config('notes\u202Etxt.exe', { command: 'npx' }))).toThrow(/text-direction marks/);
    expect(() => parseClaudeDesktopConfig(config('n'.repeat(101), { command: 'npx' }))).toThrow(/"n{60}…" in the Claude Desktop config was not added: label/);
    expect(() => parseClaudeDesktopConfig(config('many', { command: 'npx', args: Array.from({ length: 101 }, () => 'a') }))).toThrow(/"many".*args/);
    expect(() => parseClaudeDesktopConfig(config('long', { command: 'npx', args: ['a'.repeat(4001)] }))).toThrow(/"long".*args\.0/);
    expect(() => parseClaudeDesktopConfig(config('env', { command: 'npx', env: { BIG: 'v'.repeat(10_001) } }))).toThrow(/"env".*env\.BIG/);
    expect(() => parseClaudeDesktopConfig(config('remote', { url: 'https://example.com/mcp', headers: { 'X-Big': 'h'.repeat(10_001) } }))).toThrow(
      /"remote".*headers/,
    );
    expect(() => parseClaudeDesktopConfig(config('  ', { command: 'npx' }))).toThrow(/label/);
  });

  it('adds nothing of a hostile config, and no more servers at once than the form may', async () => {
    const t = await startTestCore();
    try {
      const hostile = JSON.stringify({ mcpServers: { fine: { command: 'npx' }, 'bad\u0007bell': { command: 'npx' } } });
      expect(await t.core.invoke('tools.addServers', { claudeConfig: hostile })).toMatchObject({ ok: false, error: { code: 'validation' } });
      const many = JSON.stringify({ mcpServers: Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`server ${i}`, { command: 'npx' }])) });
      expect(await t.core.invoke('tools.addServers', { claudeConfig: many })).toMatchObject({
        ok: false,
        error: { code: 'validation', message: expect.stringContaining('At most 50') },
      });
      expect(ok(await t.core.invoke('tools.servers', {})).servers.map((s) => s.id)).toEqual(['coda']);
    } finally {
      await t.dispose();
    }
  });
});
