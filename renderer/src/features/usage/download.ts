/** Saves text as a file through the browser's download (the desktop app asks where to save it). */
export function downloadText(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once click() returns; the address can go at the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}
