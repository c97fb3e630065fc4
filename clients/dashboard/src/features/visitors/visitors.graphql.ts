import { graphql } from '../../gql';

/** Everything the visitor panel shows. `online` and `lastSeenAt` also arrive live (VisitorUpdated). */
export const VisitorPanelQuery = graphql(`
  query VisitorPanel($id: ID!) {
    node(id: $id) {
      __typename
      ... on Visitor {
        id
        name
        email
        online
        ipAddress
        firstSeenAt
        lastSeenAt
        browser { name version }
        os { name version }
        location { city country }
        pageViews(first: 20) { url title viewedAt }
        conversations(first: 10) {
          edges { node { id status createdAt lastActivityAt } }
        }
      }
    }
  }
`);

/** Everything stored about the visitor, as one JSON document (OWNER/ADMIN; audited). */
export const ExportVisitorMutation = graphql(`
  mutation ExportVisitor($id: ID!) {
    exportVisitor(id: $id) { exportedAt document }
  }
`);

/** Deletes the visitor and everything about them (OWNER/ADMIN; audited without the visitor). */
export const EraseVisitorMutation = graphql(`
  mutation EraseVisitor($id: ID!) {
    eraseVisitor(id: $id) { erasedConversations erasedMessages erasedPageViews }
  }
`);
