export function VisitorPanel(props: { visitorId: string; currentConversationId?: string }) {
  return <aside class="visitor-panel" aria-label="Visitor">{props.visitorId}</aside>;
}
