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
