import { describe, expect, it } from 'vitest';
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
});
