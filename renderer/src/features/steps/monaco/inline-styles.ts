/*
 * Monaco draws its lines as HTML strings with style attributes (top, height, widths), which the page's CSP
 * refuses (style-src 'self' applies to attributes too), leaving every line at the top of the editor. Monaco
 * passes each such string through a Trusted Types policy it asks the embedder for; this one moves the style
 * attributes to a data attribute, and an observer of the editor copies them back through the CSSOM
 * (element.style), which the CSP allows. The policy stays as strict as it is.
 */

export const STYLE_DATA = 'data-coda-style';

/**
 * The HTML with the style attribute of each tag renamed. Only tags are touched: Monaco escapes "<" in the text it
 * shows, so a tool output that contains ` style="` is never changed.
 */
export function moveStyleAttributes(html: string): string {
  return html.replace(/(<[a-zA-Z][^<>]*?\s)style="/g, `$1${STYLE_DATA}="`);
}

/** Gives the elements added under `root` (now and later) the styles moved aside by moveStyleAttributes. */
export function restoreStyles(root: HTMLElement): () => void {
  const apply = (element: Element) => {
    for (const el of [element, ...element.querySelectorAll(`[${STYLE_DATA}]`)]) {
      const css = el.getAttribute(STYLE_DATA);
      if (css === null || !(el instanceof HTMLElement)) continue;
      el.style.cssText = css;
      el.removeAttribute(STYLE_DATA);
    }
  };
  const observer = new MutationObserver((records) => {
    for (const record of records) for (const node of record.addedNodes) if (node instanceof Element) apply(node);
  });
  observer.observe(root, { childList: true, subtree: true });
  apply(root);
  return () => observer.disconnect();
}
