import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Client, InStatement } from '@libsql/client';
import { DATABASE_FILE, type Database } from '../../electron/core/store/open-database.js';
import { Store } from '../../electron/core/store/store.js';
import { Rng, uuidv7 } from './prng.js';
import { createTextGenerator } from './text.js';

/**
 * The store benchmark's dataset: N sessions of M messages each (linear user/assistant chains, all complete so the
 * FTS triggers index them) plus one long session, built through the real migrations into bench/.cache and reused
 * until the migrations, the spec or this generator change.
 */

/** Bump when the generated data changes, so cached datasets are rebuilt. */
const GENERATOR_VERSION = 1;

export interface DatasetSpec {
  sessions: number;
  messagesPerSession: number;
  largeSessionMessages: number;
  seed: number;
}

export const DEFAULT_SPEC: DatasetSpec = { sessions: 10_000, messagesPerSession: 100, largeSessionMessages: 10_000, seed: 20_260_101 };

export interface Dataset extends DatasetSpec {
  dataDir: string;
  migrationsHash: string;
  largeSessionId: string;
  largeLeafId: string;
  /** Mean length of a message's text, in characters. */
  avgTextChars: number;
  builtAt: string;
  buildSeconds: number;
  builtThisRun: boolean;
}

interface Marker extends Omit<Dataset, 'dataDir' | 'builtThisRun'> {
  generatorVersion: number;
}

const SESSIONS_PER_TRANSACTION = 25;
const ROWS_PER_STATEMENT = 100;
/** Timeline of the generated history: two years ending here (fixed, so the data is reproducible). */
const END_MS = Date.UTC(2026, 0, 1);
const SPAN_MS = 2 * 365 * 24 * 3600 * 1000;
const HLC_NODE = 'b0b0b0b0b0b0';

const MODELS = [
  { provider: 'openai', model: 'gpt-4.1-mini', inPerM: 0.4, outPerM: 1.6 },
  { provider: 'openai', model: 'gpt-4.1', inPerM: 2, outPerM: 8 },
  { provider: 'openai', model: 'o4-mini', inPerM: 1.1, outPerM: 4.4 },
  { provider: 'anthropic', model: 'claude-sonnet-4', inPerM: 3, outPerM: 15 },
] as const;

const SESSION_COLUMNS = ['id', 'title', 'title_source', 'settings', 'active_leaf_id', 'message_count', 'last_activity_at', 'created_at', 'updated_at'] as const;
const MESSAGE_COLUMNS = [
  'id',
  'session_id',
  'parent_id',
  'depth',
  'role',
  'content',
  'text',
  'provider',
  'model',
  'status',
  'input_tokens',
  'output_tokens',
  'cost_usd',
  'started_at',
  'first_token_at',
  'finished_at',
  'created_at',
  'updated_at',
] as const;

type Value = string | number | null;

/** Opens the cached dataset, building it first if it is missing, stale or `rebuild` is set. */
export async function ensureDataset(
  cacheDir: string,
  migrationsDir: string,
  options: { rebuild: boolean; spec?: DatasetSpec; log: (line: string) => void },
): Promise<Dataset> {
  const spec = options.spec ?? DEFAULT_SPEC;
  const dataDir = path.join(cacheDir, 'data');
  const markerFile = path.join(cacheDir, 'dataset.json');
  const migrationsHash = await hashMigrations(migrationsDir);

  const marker = await readMarker(markerFile);
  const fresh =
    marker &&
    !options.rebuild &&
    marker.generatorVersion === GENERATOR_VERSION &&
    marker.migrationsHash === migrationsHash &&
    marker.sessions === spec.sessions &&
    marker.messagesPerSession === spec.messagesPerSession &&
    marker.largeSessionMessages === spec.largeSessionMessages &&
    marker.seed === spec.seed &&
    existsSync(path.join(dataDir, DATABASE_FILE));
  if (fresh) {
    const { generatorVersion: _, ...rest } = marker;
    return { ...rest, dataDir, builtThisRun: false };
  }

  options.log(
    marker && !options.rebuild ? 'Dataset is stale (migrations, spec or generator changed): rebuilding.' : 'Building the dataset (cached for later runs).',
  );
  await rm(cacheDir, { recursive: true, force: true });
  await mkdir(dataDir, { recursive: true });
  const started = performance.now();
  const built = await build(dataDir, migrationsDir, spec, options.log);
  const buildSeconds = Math.round((performance.now() - started) / 100) / 10;
  const next: Marker = {
    generatorVersion: GENERATOR_VERSION,
    ...spec,
    migrationsHash,
    ...built,
    builtAt: new Date().toISOString(),
    buildSeconds,
  };
  // Written last: an interrupted build leaves no marker and is redone next time.
  await writeFile(markerFile, `${JSON.stringify(next, null, 2)}\n`);
  const { generatorVersion: _, ...rest } = next;
  return { ...rest, dataDir, builtThisRun: true };
}

export async function databaseBytes(dataDir: string): Promise<number> {
  let total = 0;
  for (const suffix of ['', '-wal']) {
    try {
      total += (await stat(path.join(dataDir, DATABASE_FILE + suffix))).size;
    } catch {
      // no WAL file
    }
  }
  return total;
}

async function readMarker(file: string): Promise<Marker | null> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as Marker;
  } catch {
    return null;
  }
}

/** Hash of the migration journal and SQL files: any schema change invalidates the cached dataset. */
async function hashMigrations(migrationsDir: string): Promise<string> {
  const hash = createHash('sha256');
  const files = [path.join('meta', '_journal.json'), ...(await readdir(migrationsDir)).filter((f) => f.endsWith('.sql')).sort()];
  for (const file of files) {
    hash.update(file);
    hash.update(await readFile(path.join(migrationsDir, file)));
  }
  return hash.digest('hex').slice(0, 16);
}

async function build(
  dataDir: string,
  migrationsDir: string,
  spec: DatasetSpec,
  log: (line: string) => void,
): Promise<{ largeSessionId: string; largeLeafId: string; avgTextChars: number }> {
  const store = await Store.open(dataDir, migrationsDir);
  try {
    // A bigger page cache for the bulk load only; the measurements reopen the store with the app's settings.
    await store.write((db) => clientOf(db).execute('PRAGMA cache_size = -262144'));
    const rng = new Rng(spec.seed);
    const text = createTextGenerator(spec.seed + 1);
    const started = performance.now();
    let messagesWritten = 0;
    let textChars = 0;
    const progress = (sessionsDone: number) => {
      const seconds = (performance.now() - started) / 1000;
      log(
        `  ${sessionsDone.toLocaleString('en-US')}/${spec.sessions.toLocaleString('en-US')} sessions, ` +
          `${messagesWritten.toLocaleString('en-US')} messages, ${seconds.toFixed(1)} s (${Math.round(messagesWritten / seconds).toLocaleString('en-US')} messages/s)`,
      );
    };

    const slot = SPAN_MS / spec.sessions;
    for (let first = 0; first < spec.sessions; first += SESSIONS_PER_TRANSACTION) {
      const sessionRows: Value[][] = [];
      const messageStatements: InStatement[] = [];
      for (let i = first; i < Math.min(first + SESSIONS_PER_TRANSACTION, spec.sessions); i++) {
        const startMs = END_MS - SPAN_MS + Math.floor((i + rng.next() * 0.5) * slot);
        const session = generateSession(rng, text, startMs, spec.messagesPerSession, text.title(), { gapScale: 1 });
        sessionRows.push(session.row);
        messageStatements.push(...session.statements);
        textChars += session.textChars;
        messagesWritten += spec.messagesPerSession;
      }
      const statements = [insertStatement('sessions', SESSION_COLUMNS, sessionRows), ...messageStatements];
      await store.write((db) => clientOf(db).batch(statements, 'write'));
      const done = first + sessionRows.length;
      if (done % 1000 === 0 || done === spec.sessions) progress(done);
    }

    // The long session: the most recently active one, its messages a few minutes apart.
    const large = generateSession(
      rng,
      text,
      END_MS + 3600_000,
      spec.largeSessionMessages,
      `Long-running session (${spec.largeSessionMessages.toLocaleString('en-US')} messages)`,
      { gapScale: 0.2 },
    );
    await store.write((db) => clientOf(db).batch([insertStatement('sessions', SESSION_COLUMNS, [large.row])], 'write'));
    for (let i = 0; i < large.statements.length; i += SESSIONS_PER_TRANSACTION) {
      const chunk = large.statements.slice(i, i + SESSIONS_PER_TRANSACTION);
      await store.write((db) => clientOf(db).batch(chunk, 'write'));
    }
    messagesWritten += spec.largeSessionMessages;
    textChars += large.textChars;
    log(`  + 1 session of ${spec.largeSessionMessages.toLocaleString('en-US')} messages (${messagesWritten.toLocaleString('en-US')} messages in all)`);

    log('  checkpointing the WAL...');
    await store.write((db) => clientOf(db).execute('PRAGMA wal_checkpoint(TRUNCATE)'));
    progress(spec.sessions);
    return { largeSessionId: large.id, largeLeafId: large.leafId, avgTextChars: Math.round(textChars / messagesWritten) };
  } finally {
    await store.close();
  }
}

function generateSession(
  rng: Rng,
  text: ReturnType<typeof createTextGenerator>,
  startMs: number,
  messageCount: number,
  title: string,
  options: { gapScale: number },
): { id: string; leafId: string; row: Value[]; statements: InStatement[]; textChars: number } {
  const id = uuidv7(startMs, rng);
  const m = rng.pick(MODELS);
  const settings = JSON.stringify({ provider: m.provider, model: m.model, systemPrompt: '', temperature: null, enabledTools: [] });
  const rows: Value[][] = [];
  let t = startMs;
  let parentId: string | null = null;
  let contextTokens = 0;
  let textChars = 0;
  for (let depth = 0; depth < messageCount; depth++) {
    const role = depth % 2 === 0 ? 'user' : 'assistant';
    const body = text.message(role);
    const content = JSON.stringify([{ type: 'text', text: body }]);
    const messageId = uuidv7(t + (role === 'assistant' ? 1 : 0), rng);
    const tokens = Math.ceil(body.length / 4);
    textChars += body.length;
    contextTokens += tokens;
    if (role === 'user') {
      rows.push([messageId, id, parentId, depth, role, content, body, null, null, 'complete', null, null, null, null, null, t, t, hlc(t)]);
    } else {
      const firstToken = t + rng.int(300, 2500);
      const finished = firstToken + Math.floor(tokens * rng.int(8, 30));
      const cost = (contextTokens * m.inPerM + tokens * m.outPerM) / 1e6;
      rows.push([
        messageId,
        id,
        parentId,
        depth,
        role,
        content,
        body,
        m.provider,
        m.model,
        'complete',
        contextTokens,
        tokens,
        Math.round(cost * 1e6) / 1e6,
        t,
        firstToken,
        finished,
        t,
        hlc(finished),
      ]);
      t = finished;
    }
    parentId = messageId;
    // The user reads and types (assistant -> user) or the model answers (user -> assistant, accounted above).
    t += role === 'assistant' ? Math.floor(rng.int(20_000, 900_000) * options.gapScale) : 0;
  }
  const statements: InStatement[] = [];
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT)
    statements.push(insertStatement('messages', MESSAGE_COLUMNS, rows.slice(i, i + ROWS_PER_STATEMENT)));
  const row: Value[] = [id, title, 'auto', settings, parentId, messageCount, t, startMs, hlc(t)];
  return { id, leafId: parentId!, row, statements, textChars };
}

/** The libSQL client under drizzle (drizzle() sets `$client`; the store's Database type does not declare it). */
function clientOf(db: Database): Client {
  const client = (db as Database & { $client?: Client }).$client;
  if (!client) throw new Error('The drizzle database does not expose its libSQL client ($client).');
  return client;
}

function hlc(ms: number): string {
  return `${ms.toString().padStart(15, '0')}-0000-${HLC_NODE}`;
}

const placeholderCache = new Map<string, string>();

function insertStatement(table: string, columns: readonly string[], rows: readonly Value[][]): InStatement {
  const key = `${table}:${rows.length}`;
  let sql = placeholderCache.get(key);
  if (!sql) {
    const tuple = `(${columns.map(() => '?').join(',')})`;
    sql = `INSERT INTO ${table} (${columns.join(',')}) VALUES ${Array.from({ length: rows.length }, () => tuple).join(',')}`;
    placeholderCache.set(key, sql);
  }
  return { sql, args: rows.flat() };
}
