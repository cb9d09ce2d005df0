/**
 * Saves a file through the browser: a Blob behind a temporary <a download>. Used in the preview
 * host (no OS dialog there) and for diagram exports. Navigation to blob: is not a fetch, so the
 * strict CSP does not block it.
 */
export function downloadBlob(filename: string, blob: Blob, doc: Document = document): void {
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = filename;
  a.rel = 'noopener';
  a.hidden = true;
  doc.body.appendChild(a);
  a.click();
  a.remove();
  // Chromium reads the blob when the click is handled; revoke on the next task, not synchronously.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

export function downloadText(filename: string, text: string, type = 'text/plain;charset=utf-8'): void {
  downloadBlob(filename, new Blob([text], { type }));
}
