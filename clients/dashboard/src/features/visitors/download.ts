/**
 * Saves `data` as a pretty-printed JSON file through the browser's download, all in memory:
 * a Blob, an object URL and a temporary `<a download>`; nothing goes over the network.
 */
export function downloadJson(data: unknown, fileName: string) {
  const blob = new Blob([`${JSON.stringify(data, null, 2)}\n`], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  try {
    link.click();
  } finally {
    link.remove();
    // some browsers read the URL only after click() returns
    setTimeout(() => URL.revokeObjectURL(url), 1_000);
  }
}
