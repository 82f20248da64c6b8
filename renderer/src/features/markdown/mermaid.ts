import type { Mermaid } from 'mermaid';

export type DiagramResult = { ok: true; imageUrl: string; width: number; height: number } | { ok: false; error: string };

let mermaid: Promise<Mermaid> | null = null;
let queue: Promise<unknown> = Promise.resolve();
let nextId = 0;

/** Mermaid, loaded the first time an answer has a diagram. */
function loadMermaid(): Promise<Mermaid> {
  mermaid ??= import('mermaid').then(({ default: instance }) => instance);
  return mermaid;
}

/**
 * The SVG as an image address with a fixed size. Shown through <img>, the diagram is a picture: nothing in it can run
 * or reach the page, whatever the model wrote.
 */
function asImage(svg: string): DiagramResult {
  const doc = new DOMParser().parseFromString(svg, 'image/svg+xml');
  const root = doc.documentElement;
  const viewBox =
    root
      .getAttribute('viewBox')
      ?.split(/[\s,]+/)
      .map(Number) ?? [];
  const width = Math.ceil(viewBox[2] ?? 0) || 600;
  const height = Math.ceil(viewBox[3] ?? 0) || 400;
  root.setAttribute('width', String(width));
  root.setAttribute('height', String(height));
  const serialized = new XMLSerializer().serializeToString(root);
  return { ok: true, imageUrl: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(serialized)}`, width, height };
}

async function render(source: string, dark: boolean): Promise<DiagramResult> {
  const id = `coda-mermaid-${nextId++}`;
  try {
    const instance = await loadMermaid();
    // Strict: labels sanitized, click handlers and links off; plain SVG text labels (no HTML in foreignObject).
    instance.initialize({ startOnLoad: false, securityLevel: 'strict', htmlLabels: false, theme: dark ? 'dark' : 'default' });
    await instance.parse(source);
    const { svg } = await instance.render(id, source);
    return asImage(svg);
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  } finally {
    // Mermaid draws in a hidden element of the page (`d<id>`) and may leave it behind when drawing fails.
    document.getElementById(`d${id}`)?.remove();
    document.getElementById(id)?.remove();
  }
}

/** Renders one diagram at a time (mermaid keeps global state, its theme included, while it draws). */
export function renderDiagram(source: string, dark: boolean): Promise<DiagramResult> {
  const result = queue.then(() => render(source, dark));
  queue = result.catch(() => undefined);
  return result;
}
