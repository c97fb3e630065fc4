/** Inline, !important: the page's own stylesheets (even `* { … !important }`) cannot move or hide the widget. */
const hostStyle = (left: boolean): [string, string][] => [
  ['all', 'initial'],
  ['display', 'block'],
  ['position', 'fixed'],
  ['z-index', '2147483000'],
  ['bottom', '20px'],
  [left ? 'left' : 'right', '20px'],
];

export type Mounted = { root: ShadowRoot; remove(): void };

/**
 * The widget's only element in the page: a custom-named host (page rules for `div` do not
 * match it) with an open shadow root that holds all markup and styles.
 */
export function mountHost(doc: Document, left: boolean): Mounted {
  const host = doc.createElement('livechat-widget');
  for (const [name, value] of hostStyle(left)) host.style.setProperty(name, value, 'important');
  const root = host.attachShadow({ mode: 'open' });
  (doc.body ?? doc.documentElement).append(host);
  return { root, remove: () => host.remove() };
}
