import { graphql } from '../../gql';

export const ApiTokensQuery = graphql(`
  query ApiTokens {
    viewer {
      account {
        id
        apiTokens(first: 100) {
          edges {
            node { id name createdAt lastUsedAt revokedAt }
          }
        }
      }
    }
  }
`);

export const CreateApiTokenMutation = graphql(`
  mutation CreateApiToken($input: CreateApiTokenInput!) {
    createApiToken(input: $input) {
      token
      apiToken { id name createdAt lastUsedAt revokedAt }
    }
  }
`);

export const RevokeApiTokenMutation = graphql(`
  mutation RevokeApiToken($id: ID!) {
    revokeApiToken(id: $id)
  }
`);

export const BillingQuery = graphql(`
  query Billing {
    viewer {
      account {
        id
        billingProfile { companyName billingEmail vatId plan }
      }
    }
  }
`);

export const UpdateBillingProfileMutation = graphql(`
  mutation UpdateBillingProfile($input: UpdateBillingProfileInput!) {
    updateBillingProfile(input: $input) { companyName billingEmail vatId plan }
  }
`);

export const WidgetSettingsFields = graphql(`
  fragment WidgetSettingsFields on WidgetSettings {
    color
    position
    greeting
    language
    preChatFields { name required }
    allowedOrigins
  }
`);

export const WidgetSettingsQuery = graphql(`
  query WidgetSettings {
    viewer {
      account {
        id
        widgetSettings { ...WidgetSettingsFields }
      }
    }
  }
`);

export const UpdateWidgetSettingsMutation = graphql(`
  mutation UpdateWidgetSettings($input: UpdateWidgetSettingsInput!) {
    updateWidgetSettings(input: $input) { ...WidgetSettingsFields }
  }
`);

export const PrivacySettingsQuery = graphql(`
  query PrivacySettings {
    viewer {
      account {
        id
        privacySettings { ipHandling retentionDays }
      }
    }
  }
`);

export const UpdatePrivacySettingsMutation = graphql(`
  mutation UpdatePrivacySettings($input: UpdatePrivacySettingsInput!) {
    updatePrivacySettings(input: $input) { ipHandling retentionDays }
  }
`);

/** One page of the audit log, newest first. */
export const AuditLogQuery = graphql(`
  query AuditLog($first: Int!, $after: String) {
    viewer {
      account {
        id
        auditLog(first: $first, after: $after) {
          edges {
            cursor
            node { action actorKind actorName visitorId details createdAt }
          }
          pageInfo { hasNextPage endCursor }
        }
      }
    }
  }
`);

/** Enough of an audited visitor to name them and open their latest conversation. */
export const AuditVisitorQuery = graphql(`
  query AuditVisitor($id: ID!) {
    node(id: $id) {
      __typename
      ... on Visitor {
        id
        name
        email
        conversations(first: 1) {
          edges { node { id } }
        }
      }
    }
  }
`);

export const DeleteAccountMutation = graphql(`
  mutation DeleteAccount($input: DeleteAccountInput!) {
    deleteAccount(input: $input)
  }
`);
