import type { JSX } from 'solid-js';
import { useViewer } from '../shell/viewer';
import { CopyButton } from '../../ui/CopyButton';

/** The embed code for the account's website; the widget key in it is public by design. Children follow the snippet. */
export function WidgetSnippet(props: { children?: JSX.Element }) {
  const viewer = useViewer();
  const snippet = () => `<script src="${location.origin}/widget.js" data-widget-key="${viewer.account().widgetKey}" async></script>`;
  return (
    <section class="card" aria-labelledby="widget-heading">
      <h2 id="widget-heading">Widget</h2>
      <p>Paste this code before the closing <code>&lt;/body&gt;</code> tag of every page where visitors may chat with you.</p>
      <pre class="snippet" role="figure" aria-label="Widget install snippet">
        {snippet()}
      </pre>
      <CopyButton text={snippet()} label="Copy snippet" />
      {props.children}
    </section>
  );
}
