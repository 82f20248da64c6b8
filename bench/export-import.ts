import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { sql } from 'drizzle-orm';
import type { ImportReport, Message, SessionSettings } from '../shared/index.js';
import { exportChats } from '../electron/core/export/json-export.js';
import { importFile } from '../electron/core/import/import-file.js';
import { wholeFileImport } from './lib/whole-file-import.js';
import { ExportReader } from '../electron/core/store/repositories/export-reader.js';
import { ImportWriter } from '../electron/core/store/repositories/import-writer.js';
import { MessagesRepository } from '../electron/core/store/repositories/messages.js';
import { SessionsRepository } from '../electron/core/store/repositories/sessions.js';
import { Store } from '../electron/core/store/store.js';
import { DEFAULT_SETTINGS } from '../electron/core/settings/default-settings.js';
import { completeAnswer } from '../tests/helpers/seed.js';
import { gc } from './lib/gc.js';
import { withMemory, type MemoryPeak } from './lib/memory-phase.js';
import { createResult } from './lib/report.js';
import { round, summarize } from './lib/stats.js';
import { createTextGenerator } from './lib/text.js';
import type { BenchResult, Check, Throughput } from './lib/types.js';

/**
 * Export and import of 100,000 messages through the code `coda export --all --format json` and `coda import` run:
 * `exportChats` with `ExportReader`, and `importFile` (streaming) with `ImportWriter`, against the whole-file import it replaced,, on real libSQL stores (real
 * migrations) in a temporary folder. Memory is sampled with `process.memoryUsage()` every 10 ms; a synchronous step
 * (the import's `JSON.parse`) blocks the sampler, so the process's RSS high-water mark (`resourceUsage().maxRSS`)
 * is recorded too.
 */
export const description = 'export of 100k messages as JSON and import into an empty data folder: messages/s, file size, peak memory';

const CHATS = 100;
const MESSAGES_PER_CHAT = 1_000;
const SEED = 27;
const SAMPLE_EVERY_MS = 10;
/** docs/decisions/0027-export.md: an export holds one chat at a time, so its memory must not grow with the file. */
const EXPORT_RSS_GROWTH_MAX_MB = 150;
/** docs/decisions/0033-streaming-import.md: the import streams one chat at a time too. */
const IMPORT_RSS_GROWTH_MAX_MB = 150;

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const rootDir = path.resolve(benchDir, '..');
const migrationsDir = path.join(rootDir, 'resources', 'migrations');
const SETTINGS: SessionSettings = { ...DEFAULT_SETTINGS, enabledTools: [] };
const BY = { provider: 'openai', model: 'gpt-4.1-mini' };
const log = (line: string) => console.log(line);
const mb = (bytes: number) => round(bytes / 1024 ** 2, 1);

async function seed(store: Store): Promise<number> {
  const sessions = new SessionsRepository(store);
  const messages = new MessagesRepository(store);
  const text = createTextGenerator(SEED);
  const questions = Array.from({ length: 256 }, () => text.message('user'));
  const answers = Array.from({ length: 256 }, () => text.answer(700));
  const started = performance.now();
  for (let c = 0; c < CHATS; c++) {
    const session = await sessions.create({ title: `Export bench chat ${c}`, titleSource: 'user', settings: SETTINGS });
    let parent: Message | null = null;
    for (let e = 0; e < MESSAGES_PER_CHAT / 2; e++) {
      const k = (c * 131 + e) % 256;
      const { assistant } = await messages.addExchange(session.id, parent, questions[k]!, { ...BY, estimatedInputTokens: null, traceId: null });
      parent = await messages.finish(assistant.id, completeAnswer(answers[k]!, BY));
    }
    if ((c + 1) % 20 === 0) log(`  seeded ${c + 1} chats`);
  }
  return (performance.now() - started) / 1000;
}

async function countMessages(store: Store): Promise<number> {
  return Number((await store.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM messages`)).n);
}

export async function run(): Promise<BenchResult> {
  const work = await mkdtemp(path.join(os.tmpdir(), 'coda-bench-export-'));
  const file = path.join(work, 'export.json');
  const expected = CHATS * MESSAGES_PER_CHAT;
  const checks: Check[] = [];
  const throughput: Throughput[] = [];
  try {
    log(`Seeding ${CHATS} chats x ${MESSAGES_PER_CHAT} messages...`);
    const source = await Store.open(path.join(work, 'source'), migrationsDir);
    let seedSeconds: number;
    let exported: Awaited<ReturnType<typeof exportChats>>;
    const chatMs: number[] = [];
    let exportRun: Awaited<ReturnType<typeof withMemory>>;
    try {
      seedSeconds = await seed(source);
      log(`Seeded in ${round(seedSeconds, 1)} s. Exporting...`);
      const reader = new ExportReader(source);
      let last = 0;
      exportRun = await withMemory(async () => {
        last = performance.now();
        return exportChats({
          reader,
          chatIds: await reader.liveChatIds(),
          format: 'json',
          outFile: file,
          onProgress: () => {
            const now = performance.now();
            chatMs.push(now - last);
            last = now;
          },
        });
      });
      exported = exportRun.value as typeof exported;
    } finally {
      await source.close();
    }
    const bytes = (await stat(file)).size;
    throughput.push({
      id: 'export.json',
      label: `export ${exported.messages.toLocaleString('en-US')} messages as JSON`,
      seconds: round(exportRun.seconds, 2),
      perSecond: {
        messages: round(exported.messages / exportRun.seconds, 0),
        chats: round(exported.chats / exportRun.seconds, 1),
        MB: round(mb(bytes) / exportRun.seconds, 1),
      },
      latency: { chat: summarize(chatMs) },
      info: { fileMb: mb(bytes), ...exportRun.memory, rssGrowthMb: round(exportRun.memory.peakRssMb - exportRun.memory.startRssMb, 1) },
    });
    log(`Exported ${exported.messages} messages, ${mb(bytes)} MB in ${round(exportRun.seconds, 1)} s. Importing...`);
    checks.push({
      id: 'export.complete',
      label: 'the export holds every chat and message',
      pass: exported.chats === CHATS && exported.messages === expected && exported.bytes === bytes,
      detail: `${exported.chats}/${CHATS} chats, ${exported.messages}/${expected} messages, ${exported.bytes} bytes written, ${bytes} on disk`,
    });
    const growth = exportRun.memory.peakRssMb - exportRun.memory.startRssMb;
    checks.push({
      id: 'export.boundedMemory',
      label: `export memory bounded by one chat (RSS growth ≤ ${EXPORT_RSS_GROWTH_MAX_MB} MB for a ${Math.round(mb(bytes))} MB file)`,
      pass: growth <= EXPORT_RSS_GROWTH_MAX_MB,
      detail: `RSS ${exportRun.memory.startRssMb} → ${exportRun.memory.peakRssMb} MB, heap ${exportRun.memory.startHeapMb} → ${exportRun.memory.peakHeapMb} MB`,
    });

    // Baseline: what only reading and parsing the file costs, the floor of an import that reads it whole.
    const parseRun = await withMemory(async () => (JSON.parse(await readFile(file, 'utf8')) as { chats: unknown[] }).chats.length);
    // A quarter of the chats in a file of their own: the streaming import's peak should not grow with the file.
    const quarterFile = path.join(work, 'export-quarter.json');
    {
      const again = await Store.open(path.join(work, 'source'), migrationsDir);
      try {
        const reader = new ExportReader(again);
        await exportChats({ reader, chatIds: (await reader.liveChatIds()).slice(0, CHATS / 4), format: 'json', outFile: quarterFile });
      } finally {
        await again.close();
      }
    }
    const quarterBytes = (await stat(quarterFile)).size;
    const quarterTarget = await Store.open(path.join(work, 'target-quarter'), migrationsDir);
    let quarter: Awaited<ReturnType<typeof withMemory<ImportReport>>>;
    try {
      quarter = await withMemory(() => importFile({ file: quarterFile, from: 'auto', writer: new ImportWriter(quarterTarget), onConflict: 'copy' }));
    } finally {
      await quarterTarget.close();
    }
    // The streaming import (docs/decisions/0033) first, then the whole-file import it replaced, each into an empty
    // data folder, so the two peaks are measured in the same run on the same file.
    const streamTarget = await Store.open(path.join(work, 'target-stream'), migrationsDir);
    let streamed: Awaited<ReturnType<typeof withMemory<ImportReport>>>;
    let progressEvents = 0;
    try {
      streamed = await withMemory(() =>
        importFile({ file, from: 'auto', writer: new ImportWriter(streamTarget), onConflict: 'copy', onProgress: () => progressEvents++ }),
      );
      const stored = await countMessages(streamTarget);
      const report = streamed.value;
      checks.push({
        id: 'import.complete',
        label: 'the streaming import brings back every chat and message',
        pass: report.imported === CHATS && report.failed === 0 && report.messages === expected && stored === expected,
        detail: `${report.imported} imported, ${report.skipped} skipped, ${report.failed} failed; ${report.messages} messages reported, ${stored} in the database`,
      });
    } finally {
      await streamTarget.close();
    }
    log(
      `Streamed import in ${round(streamed.seconds, 1)} s, RSS +${round(streamed.memory.peakRssMb - streamed.memory.startRssMb, 1)} MB. Whole-file import...`,
    );
    const wholeTarget = await Store.open(path.join(work, 'target-whole'), migrationsDir);
    let whole: Awaited<ReturnType<typeof withMemory<ImportReport>>>;
    try {
      whole = await withMemory(() => wholeFileImport(file, new ImportWriter(wholeTarget)));
      const stored = await countMessages(wholeTarget);
      checks.push({
        id: 'import.wholeFile.complete',
        label: 'the whole-file import (the baseline) brings back every chat and message',
        pass: whole.value.imported === CHATS && stored === expected,
        detail: `${whole.value.imported} imported, ${stored} messages in the database`,
      });
    } finally {
      await wholeTarget.close();
    }
    const rssGrowth = (run: { memory: MemoryPeak }) => round(run.memory.peakRssMb - run.memory.startRssMb, 1);
    const importThroughput = (
      id: string,
      label: string,
      run: { seconds: number; memory: MemoryPeak; value: ImportReport },
      fileBytes: number,
      extra: Record<string, number | boolean>,
    ): Throughput => ({
      id,
      label,
      seconds: round(run.seconds, 2),
      perSecond: { messages: round(run.value.messages / run.seconds, 0), MB: round(mb(fileBytes) / run.seconds, 1) },
      latency: {},
      info: {
        fileMb: mb(fileBytes),
        ...run.memory,
        rssGrowthMb: rssGrowth(run),
        peakRssOverFileSize: round(rssGrowth(run) / mb(fileBytes), 2),
        baselineReadParseSeconds: round(parseRun.seconds, 2),
        ratioToReadParse: round(run.seconds / parseRun.seconds, 1),
        gcAvailable: gc !== null,
        ...extra,
      },
    });
    throughput.push(
      importThroughput(
        'import.json',
        `streaming import of ${expected.toLocaleString('en-US')} messages into an empty data folder (check pass + write pass)`,
        streamed,
        bytes,
        {
          progressEvents,
          rssGrowthVsWholeFile: round(rssGrowth(streamed) / Math.max(rssGrowth(whole), 1), 3),
          secondsVsWholeFile: round(streamed.seconds / whole.seconds, 2),
        },
      ),
      importThroughput(
        'import.quarter',
        `streaming import of a quarter of the chats (${mb(quarterBytes)} MB), to show memory does not follow the file`,
        quarter,
        quarterBytes,
        {},
      ),
      importThroughput('import.wholeFile', `the import before 0033 (whole file read and parsed) of the same file, as the baseline`, whole, bytes, {}),
    );
    log(`Whole-file import in ${round(whole.seconds, 1)} s, RSS +${rssGrowth(whole)} MB (read + parse alone ${round(parseRun.seconds, 1)} s).`);
    checks.push({
      id: 'import.memoryFlat',
      label: 'the streaming import needs about the same memory for 4× the file (peak within 1.5× + 20 MB of the quarter file’s)',
      pass: rssGrowth(streamed) <= rssGrowth(quarter) * 1.5 + 20,
      detail: `RSS +${rssGrowth(quarter)} MB for ${mb(quarterBytes)} MB, +${rssGrowth(streamed)} MB for ${mb(bytes)} MB`,
    });
    checks.push({
      id: 'import.boundedMemory',
      label: `streaming import memory well under the file (RSS growth ≤ ${IMPORT_RSS_GROWTH_MAX_MB} MB for a ${Math.round(mb(bytes))} MB file)`,
      pass: rssGrowth(streamed) <= IMPORT_RSS_GROWTH_MAX_MB,
      detail: `streaming RSS +${rssGrowth(streamed)} MB (heap ${streamed.memory.startHeapMb} → ${streamed.memory.peakHeapMb} MB); whole-file RSS +${rssGrowth(whole)} MB`,
    });
    return createResult('export-import', rootDir, {
      dataset: {
        chats: CHATS,
        messagesPerChat: MESSAGES_PER_CHAT,
        messages: expected,
        answerChars: 700,
        seed: SEED,
        seedSeconds: round(seedSeconds, 1),
        fileMb: mb(bytes),
        sampleEveryMs: SAMPLE_EVERY_MS,
        loadAverage1m: round(os.loadavg()[0]!, 2),
        note: 'issue 12: files up to 500 MB with bounded memory; the streaming import is compared with the whole-file import it replaced (bench/lib/whole-file-import.ts)',
      },
      measures: [],
      throughput,
      checks,
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
