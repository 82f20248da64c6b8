import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import type { RunEvent } from '../../shared/index.js';
import { memoryNow, type MemorySnapshot } from './memory.js';
import { round, summarize, target } from './stats.js';
import { followRun, forgetRequests, log, newSession, type Bench, type ProviderSpec } from './stream-harness.js';
import type { Check, Measure, Throughput } from './types.js';

/**
 * Delivery (bench/stream.ts): 4,000 chunks paced at 2,000/s by the scripted server, received over the WebSocket;
 * every chunk checked once and in order, its lag timed, and the chat service's progress saves timed.
 */

export const CHUNKS = 4_000;
export const CHUNKS_PER_SECOND = 2_000;
const TARGET_LAG_P95_MS = 50;
/** The lag of the last tenth of the chunks may exceed the first tenth's by this much before the client counts as falling behind. */
const GROWTH_ALLOWANCE_MS = 10;
/** ProgressSaver saves every 250 ms; the allowance covers timer lateness and the write itself. */
const SAVE_INTERVAL_MS = 250;
const SAVE_GAP_ALLOWANCE_MS = 10;
/** Chunk i's text; the client reads the index back to check order, loss and duplicates, and to time each chunk. */
export const chunkText = (i: number) => ` t${i}`;
const CHUNK_INDEX = /t(\d+)/g;

interface ProgressSave {
  start: number;
  end: number;
  chars: number;
}

export async function measureDelivery(bench: Bench, p: ProviderSpec): Promise<{ measures: Measure[]; throughput: Throughput; checks: Check[] }> {
  const { core } = bench;
  const steps = Array.from({ length: CHUNKS }, (_, i) => ({ text: chunkText(i) }));
  const expected = steps.map((s) => s.text).join('');
  const sent = new Float64Array(CHUNKS).fill(Number.NaN);
  const received = new Float64Array(CHUNKS).fill(Number.NaN);
  let duplicates = 0;
  let outOfOrder = 0;
  let lastIndex = -1;
  let seqGaps = 0;
  let lastSeq = 0;
  let deltas = 0;
  let streamed = '';

  const session = await newSession(core, p, `bench: ${CHUNKS_PER_SECOND} chunks/s`);
  // Watch the progress saves the chat service makes (the same repository instance it holds).
  const saves: ProgressSave[] = [];
  const saveProgress = core.messages.saveProgress;
  core.messages.saveProgress = async (...args) => {
    const start = performance.now();
    await saveProgress.apply(core.messages, args);
    saves.push({ start, end: performance.now(), chars: args[1].length });
  };

  const memoryBefore = memoryNow();
  const loopDelay = monitorEventLoopDelay({ resolution: 5 });
  bench.provider.forProvider(p.id).enqueue({
    kind: 'stream',
    steps,
    usage: { input: 24, output: CHUNKS },
    stepsPerSecond: CHUNKS_PER_SECOND,
    onStepSent: (index, at) => (sent[index] = at),
  });
  loopDelay.enable();
  const t0 = performance.now();
  let run: { end: RunEvent; assistantId: string };
  try {
    run = await followRun(bench.ws.client, { sessionId: session.id, text: 'Count to four thousand.' }, (event) => {
      const now = performance.now();
      if (event.seq !== lastSeq + 1) seqGaps += 1;
      lastSeq = event.seq;
      if (event.type !== 'text-delta') return;
      deltas += 1;
      streamed += event.text;
      for (const match of event.text.matchAll(CHUNK_INDEX)) {
        const index = Number(match[1]);
        if (!Number.isNaN(received[index]!)) duplicates += 1;
        else received[index] = now;
        if (index !== lastIndex + 1) outOfOrder += 1;
        lastIndex = index;
      }
    });
  } finally {
    core.messages.saveProgress = saveProgress;
    loopDelay.disable();
  }
  const doneAt = performance.now();
  await core.chat.settle();
  forgetRequests(bench.provider);
  const memoryAfter = memoryNow();
  const saved = await core.messages.require(run.assistantId);
  const savedText = saved.content.map((part) => (part.type === 'text' ? part.text : '')).join('');
  const doneText = run.end.type === 'done' ? run.end.message.content.map((part) => (part.type === 'text' ? part.text : '')).join('') : '';

  // Lag: client receive time minus the server's write time of the same chunk (one process, one clock).
  const period = 1000 / CHUNKS_PER_SECOND;
  const lag: number[] = [];
  const lagVsSchedule: number[] = [];
  const lateness: number[] = [];
  for (let i = 0; i < CHUNKS; i++) {
    lateness.push(sent[i]! - (sent[0]! + i * period));
    if (Number.isNaN(received[i]!)) continue;
    lag.push(received[i]! - sent[i]!);
    lagVsSchedule.push(received[i]! - (sent[0]! + i * period));
  }
  const tenth = Math.max(1, Math.floor(lag.length / 10));
  const firstTenth = summarize(lag.slice(0, tenth));
  const lastTenth = summarize(lag.slice(-tenth));
  const growthMs = round(lastTenth.p50 - firstTenth.p50);
  const lagStats = summarize(lag);
  const missing = CHUNKS - received.filter((t) => !Number.isNaN(t)).length;
  const sendSeconds = (sent[CHUNKS - 1]! - sent[0]!) / 1000;
  const receiveSeconds = (received[CHUNKS - 1]! - received[0]!) / 1000;

  // How long streamed text stayed only in memory: from the first chunk to the first save, between saves, and from
  // the last save to the final one (done).
  const persisted = [sent[0]!, ...saves.map((s) => s.end), doneAt];
  const gaps = persisted.slice(1).map((t, i) => t - persisted[i]!);
  const gapStats = summarize(gaps);
  const growingSaves = saves.every((s, i) => i === 0 || s.chars >= saves[i - 1]!.chars);

  log(
    `  lag p50/p95/p99/max ${lagStats.p50}/${lagStats.p95}/${lagStats.p99}/${lagStats.max} ms, first/last tenth p50 ${firstTenth.p50}/${lastTenth.p50} ms; ` +
      `${CHUNKS - missing}/${CHUNKS} chunks, ${duplicates} duplicates, ${outOfOrder} out of order; ${saves.length} saves, longest gap ${gapStats.max} ms; ` +
      `RSS ${memoryBefore.rssMb} -> ${memoryAfter.rssMb} MB`,
  );

  const mb = (m: MemorySnapshot, prefix: string) => ({ [`${prefix}RssMb`]: m.rssMb, [`${prefix}HeapUsedMb`]: m.heapUsedMb });
  const throughput: Throughput = {
    id: `delivery.${p.id}`,
    label: `${p.id}: ${CHUNKS.toLocaleString('en-US')} chunks at ${CHUNKS_PER_SECOND.toLocaleString('en-US')}/s over WebSocket`,
    seconds: round((doneAt - t0) / 1000, 3),
    perSecond: {
      'chunks sent': round((CHUNKS - 1) / sendSeconds, 1),
      'chunks received': round((CHUNKS - 1 - missing) / receiveSeconds, 1),
      'progress saves': round(saves.length / ((doneAt - t0) / 1000), 2),
    },
    latency: {
      lag: lagStats,
      'lag vs schedule': summarize(lagVsSchedule),
      'server lateness': summarize(lateness),
      'progress save': summarize(saves.map((s) => s.end - s.start)),
    },
    info: {
      chunks: CHUNKS,
      received: CHUNKS - missing,
      missing,
      duplicates,
      outOfOrder,
      seqGaps,
      textDeltaEvents: deltas,
      lagFirstTenthP50Ms: firstTenth.p50,
      lagLastTenthP50Ms: lastTenth.p50,
      lagGrowthMs: growthMs,
      progressSaves: saves.length,
      longestUnsavedMs: gapStats.max,
      eventLoopDelayP99Ms: round(loopDelay.percentile(99) / 1e6, 2),
      eventLoopDelayMaxMs: round(loopDelay.max / 1e6, 2),
      ...mb(memoryBefore, 'before'),
      ...mb(memoryAfter, 'after'),
    },
  };

  const measures: Measure[] = [
    {
      id: `delivery.lag.${p.id}`,
      label: `${p.id}: chunk lag at ${CHUNKS_PER_SECOND}/s (server write -> client)`,
      ms: lagStats,
      target: target(lagStats, TARGET_LAG_P95_MS),
      info: { firstTenthP50Ms: firstTenth.p50, lastTenthP50Ms: lastTenth.p50 },
    },
    {
      id: `delivery.unsaved.${p.id}`,
      label: `${p.id}: time between progress saves`,
      ms: gapStats,
      target: target(gapStats, SAVE_INTERVAL_MS + SAVE_GAP_ALLOWANCE_MS, 'max'),
      info: { note: `first chunk -> save -> ... -> final save; ${SAVE_INTERVAL_MS} ms interval + ${SAVE_GAP_ALLOWANCE_MS} ms allowance`, saves: saves.length },
    },
  ];
  const checks: Check[] = [
    {
      id: `delivery.complete.${p.id}`,
      label: `${p.id}: every chunk once, in order`,
      pass: missing === 0 && duplicates === 0 && outOfOrder === 0 && seqGaps === 0,
      detail: `${CHUNKS - missing}/${CHUNKS} chunks, ${duplicates} duplicated, ${outOfOrder} out of order, ${seqGaps} seq gaps`,
    },
    {
      id: `delivery.text.${p.id}`,
      label: `${p.id}: streamed text = script = done message`,
      pass: streamed === expected && doneText === expected,
      detail: `${streamed.length}/${expected.length} chars streamed${doneText === expected ? '' : ', done message differs'}`,
    },
    {
      id: `delivery.saved.${p.id}`,
      label: `${p.id}: saved message = streamed text`,
      pass: savedText === expected && saved.status === 'complete' && growingSaves,
      detail: `status ${saved.status}, ${savedText.length}/${expected.length} chars, ${saves.length} progress saves${growingSaves ? '' : ' (not monotonic)'}`,
    },
    {
      id: `delivery.keeps-up.${p.id}`,
      label: `${p.id}: client keeps up`,
      pass: growthMs <= GROWTH_ALLOWANCE_MS,
      detail: `lag p50 first tenth ${firstTenth.p50} ms, last tenth ${lastTenth.p50} ms (allowed growth ${GROWTH_ALLOWANCE_MS} ms)`,
    },
  ];
  return { measures, throughput, checks };
}
