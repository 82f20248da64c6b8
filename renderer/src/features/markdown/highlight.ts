import type { HighlightedLines } from './shiki-tokenize.js';

export interface HighlightRequest {
  id: number;
  code: string;
  lang: string;
}

export interface HighlightResponse {
  id: number;
  lines: HighlightedLines | null;
}

/** Highlighted blocks kept for when a message scrolls back into view (the list only mounts what is on screen). */
const CACHE_SIZE = 200;
const cache = new Map<string, Promise<HighlightedLines | null>>();

let worker: Worker | null = null;
let workerFailed = false;
let nextId = 0;
const pending = new Map<number, { request: HighlightRequest; resolve(lines: HighlightedLines | null): void }>();

/** Highlights on this thread: the fallback when a worker cannot start (shiki is then loaded here, still lazily). */
async function highlightHere(code: string, lang: string): Promise<HighlightedLines | null> {
  const { tokenize } = await import('./shiki-tokenize.js');
  return tokenize(code, lang).catch(() => null);
}

function fallBackToThisThread(): void {
  workerFailed = true;
  worker?.terminate();
  worker = null;
  for (const { request, resolve } of pending.values()) void highlightHere(request.code, request.lang).then(resolve);
  pending.clear();
}

function startWorker(): Worker | null {
  if (worker || workerFailed) return worker;
  try {
    worker = new Worker(new URL('./highlight.worker.ts', import.meta.url), { type: 'module', name: 'code-highlighter' });
  } catch {
    workerFailed = true;
    return null;
  }
  worker.onmessage = (event: MessageEvent<HighlightResponse>) => {
    pending.get(event.data.id)?.resolve(event.data.lines);
    pending.delete(event.data.id);
  };
  worker.onerror = fallBackToThisThread;
  return worker;
}

function request(code: string, lang: string): Promise<HighlightedLines | null> {
  const target = startWorker();
  if (!target) return highlightHere(code, lang);
  const id = nextId++;
  return new Promise((resolve) => {
    pending.set(id, { request: { id, code, lang }, resolve });
    target.postMessage({ id, code, lang } satisfies HighlightRequest);
  });
}

/** A finished code block's highlighted lines; null when its language has no grammar (the block stays plain). */
export function highlightCode(code: string, lang: string): Promise<HighlightedLines | null> {
  const key = `${lang}\u0000${code}`;
  const known = cache.get(key);
  if (known) {
    cache.delete(key);
    cache.set(key, known);
    return known;
  }
  const result = request(code, lang);
  cache.set(key, result);
  if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value ?? key);
  return result;
}
