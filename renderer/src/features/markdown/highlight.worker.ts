import { tokenize } from './shiki-tokenize.js';
import type { HighlightRequest, HighlightResponse } from './highlight.js';

// Highlighting runs here, off the page's thread, so a long block never stalls a streaming answer or typing.
self.onmessage = async (event: MessageEvent<HighlightRequest>) => {
  const { id, code, lang } = event.data;
  let response: HighlightResponse;
  try {
    response = { id, lines: await tokenize(code, lang) };
  } catch {
    response = { id, lines: null };
  }
  self.postMessage(response);
};
