/** Puts text on the system clipboard; false when the page may not (the caller says so instead of pretending). */
export async function copyToClipboard(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
