import { useLocation, useNavigate } from '@solidjs/router';
import { createMutation } from '@urql/solid';
import { createSignal, Show } from 'solid-js';
import { errorMessage } from '../../lib/errors';
import { FormError } from '../../ui/Field';
import { canManage, useViewer } from '../shell/viewer';
import { downloadJson } from './download';
import { plural, shortId } from './format';
import { announce } from './notice';
import { EraseVisitorMutation, ExportVisitorMutation } from './visitors.graphql';
import './VisitorPrivacy.css';

type Props = { visitorId: string; visitorName?: string | null };

/** OWNER/ADMIN: export everything stored about the visitor, or erase them. Nothing for other agents. */
export function VisitorPrivacy(props: Props) {
  const viewer = useViewer();
  return (
    <Show when={canManage(viewer.agent())}>
      <PrivacyActions {...props} />
    </Show>
  );
}

function PrivacyActions(props: Props) {
  const navigate = useNavigate();
  const location = useLocation();
  const [exporting, exportVisitor] = createMutation(ExportVisitorMutation);
  const [erasing, eraseVisitor] = createMutation(EraseVisitorMutation);
  const [status, setStatus] = createSignal('');
  const busy = () => exporting.fetching || erasing.fetching;

  async function exportData() {
    setStatus('');
    const result = await exportVisitor({ id: props.visitorId });
    if (!result.data) return;
    const fileName = `visitor-${shortId(props.visitorId)}.json`;
    downloadJson(result.data.exportVisitor.document, fileName);
    setStatus(`Exported ${fileName}.`);
  }

  async function erase() {
    setStatus('');
    const who = props.visitorName ? `“${props.visitorName}”` : 'this visitor';
    const warning =
      `Erase ${who} for good?\n\n` +
      'Their profile, the pages they viewed, all their conversations and every message in them are deleted now, for everyone. ' +
      'This cannot be undone. Export their data first if you need a copy.';
    if (!confirm(warning)) return;
    const result = await eraseVisitor({ id: props.visitorId });
    if (!result.data) return;
    const erased = result.data.eraseVisitor;
    const counts = [
      plural(erased.erasedConversations, 'conversation'),
      plural(erased.erasedMessages, 'message'),
      plural(erased.erasedPageViews, 'page view'),
    ];
    // the visitor's conversations are gone, and this panel with them: the page-wide notice outlives it
    announce(`Visitor erased: ${counts[0]}, ${counts[1]} and ${counts[2]} deleted.`);
    navigate(`/inbox${location.search}`);
  }

  return (
    <section class="visitor-privacy" aria-labelledby="visitor-privacy-heading">
      <h3 id="visitor-privacy-heading">Privacy</h3>
      <div class="actions">
        <button type="button" disabled={busy()} onClick={exportData}>
          Export data
        </button>
        <button type="button" class="danger" disabled={busy()} onClick={erase}>
          Erase visitor
        </button>
      </div>
      <FormError message={errorMessage(erasing.error) ?? errorMessage(exporting.error)} />
      <p role="status">{status()}</p>
    </section>
  );
}
