/** Browser downloads of files made in the page. */

/** Offers `blob` as a download named `name`. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.click();
  // Revoke after the click has been handled (a large Blob stays alive until then).
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** A file name base made of safe characters from a free-form name (`run` when nothing is left). */
export function fileBase(name: string): string {
  const base = name
    .replace(/\.zarr\.zip$|\.[^.]*$/i, '')
    .replace(/[^A-Za-z0-9_-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return base || 'run';
}
