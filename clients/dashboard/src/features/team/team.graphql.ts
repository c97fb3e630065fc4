import { graphql } from '../../gql';

export const TeamQuery = graphql(`
  query Team {
    viewer {
      account {
        id
        agents(first: 100) {
          edges {
            node { id name email role status jobTitle invitePending removedAt }
          }
        }
      }
    }
  }
`);

export const InviteAgentMutation = graphql(`
  mutation InviteAgent($input: InviteAgentInput!) {
    inviteAgent(input: $input) {
      inviteToken
      agent { id name email role status invitePending removedAt }
    }
  }
`);

export const RemoveAgentMutation = graphql(`
  mutation RemoveAgent($id: ID!) {
    removeAgent(id: $id) { id status removedAt }
  }
`);

export const UpdateProfileMutation = graphql(`
  mutation UpdateProfile($input: UpdateProfileInput!) {
    updateProfile(input: $input) { id name jobTitle motto }
  }
`);
