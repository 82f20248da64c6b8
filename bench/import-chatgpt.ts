import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { ImportReport } from '../shared/index.js';
import { makeChatGptConversation } from '../electron/core/import/formats/chatgpt-sample.js';
import { importFile } from '../electron/core/import/import-file.js';
import { ImportWriter } from '../electron/core/store/repositories/import-writer.js';
import { Store } from '../electron/core/store/store.js';
import { withMemory, type MemoryPeak } from './lib/memory-phase.js';
import { createResult } from './lib/report.js';
import { round } from './lib/stats.js';
import type { BenchResult, Check, Throughput } from './lib/types.js';

/**
 * Issue 12's import benchmark: a 100 MB ChatGPT `conversations.json` (realistic conversations with regenerated
 * answers as branches, code-interpreter calls and reasoning; electron/core/import/formats/chatgpt-sample.ts) imported
 * with `--from auto` as `coda import` does (`importFile`: sniff, check pass, write pass) into an empty data folder.
 * Throughput and peak memory; the baseline is reading the file alone (a stream with no parsing), in the same run.
 */
export const description = 'import of a 100 MB ChatGPT export (auto-detected, streamed): messages/s, MB/s, peak memory';

const TARGET_BYTES = 100 * 1024 * 1024;
/** docs/decisions/0033-streaming-import.md: memory follows the largest conversation, not the file. */
const RSS_GROWTH_MAX_MB = 150;

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(benchDir, '..');
const migrationsDir = path.join(rootDir, 'resources', 'migrations');
const log = (line: string) => console.log(line);
const mb = (bytes: number) => round(bytes / 1024 ** 2, 1);

/** Writes conversations into a JSON array until the file passes the target size; returns how many. */
async function writeExport(file: string): Promise<number> {
  const out = createWriteStream(file);
  let bytes = 0;
  let count = 0;
  const put = async (text: string) => {
    bytes += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await put('[');
  while (bytes < TARGET_BYTES) {
    await put(`${count === 0 ? '' : ','}${JSON.stringify(makeChatGptConversation(count, { messages: 40, branchEvery: 4, answerLength: 1200 }))}`);
    count++;
  }
  await put(']');
  out.end();
  await once(out, 'finish');
  return count;
}

async function readOnly(file: string): Promise<number> {
  const { createReadStream } = await import('node:fs');
  let bytes = 0;
  for await (const chunk of createReadStream(file)) bytes += (chunk as Buffer).length;
  return bytes;
}

export async function run(): Promise<BenchResult> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'coda-bench-chatgpt-'));
  const file = path.join(work, 'conversations.json');
  try {
    log('Writing a 100 MB ChatGPT export...');
    const conversations = await writeExport(file);
    const bytes = (await stat(file)).size;
    const readRun = await withMemory(() => readOnly(file));
    log(`${conversations} conversations, ${mb(bytes)} MB (read alone in ${round(readRun.seconds, 2)} s). Importing...`);
    const store = await Store.open(path.join(work, 'data'), migrationsDir);
    let imported: Awaited<ReturnType<typeof withMemory<ImportReport>>>;
    let stored = 0;
    let branched = 0;
    try {
      imported = await withMemory(() => importFile({ file, from: 'auto', writer: new ImportWriter(store), onConflict: 'copy' }));
      stored = Number((await store.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM messages`)).n);
      // Chats in which some message has two answers: the regenerated answers kept as branches.
      branched = Number(
        (
          await store.db.get<{ n: number }>(
            sql`SELECT count(DISTINCT session_id) AS n FROM (SELECT session_id FROM messages WHERE parent_id IS NOT NULL GROUP BY parent_id HAVING count(*) > 1)`,
          )
        ).n,
      );
    } finally {
      await store.close();
    }
    const report = imported.value;
    const growth = (memory: MemoryPeak) => round(memory.peakRssMb - memory.startRssMb, 1);
    log(`Imported ${report.messages} messages in ${round(imported.seconds, 1)} s, RSS +${growth(imported.memory)} MB.`);
    const throughput: Throughput[] = [
      {
        id: 'import.chatgpt',
        label: `import a ${Math.round(mb(bytes))} MB ChatGPT export (${conversations} conversations) into an empty data folder`,
        seconds: round(imported.seconds, 2),
        perSecond: {
          messages: round(report.messages / imported.seconds, 0),
          conversations: round(conversations / imported.seconds, 1),
          MB: round(mb(bytes) / imported.seconds, 1),
        },
        latency: {},
        info: {
          fileMb: mb(bytes),
          ...imported.memory,
          rssGrowthMb: growth(imported.memory),
          peakRssOverFileSize: round(growth(imported.memory) / mb(bytes), 2),
          baselineReadSeconds: round(readRun.seconds, 2),
          ratioToRead: round(imported.seconds / readRun.seconds, 1),
        },
      },
    ];
    const checks: Check[] = [
      {
        id: 'import.complete',
        label: 'every conversation imported, every message stored',
        pass: report.imported === conversations && report.failed === 0 && stored === report.messages,
        detail: `${report.imported}/${conversations} imported, ${report.failed} failed, ${report.messages} messages reported, ${stored} stored`,
      },
      {
        id: 'import.branches',
        label: 'regenerated answers kept as branches',
        pass: branched === conversations,
        detail: `${branched} of ${conversations} chats have a message with two answers`,
      },
      {
        id: 'import.boundedMemory',
        label: `memory bounded by one conversation (RSS growth ≤ ${RSS_GROWTH_MAX_MB} MB for a ${Math.round(mb(bytes))} MB file)`,
        pass: growth(imported.memory) <= RSS_GROWTH_MAX_MB,
        detail: `RSS ${imported.memory.startRssMb} → ${imported.memory.peakRssMb} MB, heap ${imported.memory.startHeapMb} → ${imported.memory.peakHeapMb} MB`,
      },
    ];
    return createResult('import-chatgpt', rootDir, {
      dataset: {
        conversations,
        messagesPerConversation: 40,
        branchEvery: 4,
        answerChars: 1200,
        fileMb: mb(bytes),
        loadAverage1m: round(os.loadavg()[0]!, 2),
        note: 'issue 12: import of a 100 MB ChatGPT export (throughput and peak memory)',
      },
      measures: [],
      throughput,
      checks,
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
