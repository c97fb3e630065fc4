/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      token\n      agent { id name }\n    }\n  }\n": typeof types.SignInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n      agent { id name }\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  mutation AcceptInvite($input: AcceptInviteInput!) {\n    acceptInvite(input: $input) {\n      token\n      agent { id name }\n    }\n  }\n": typeof types.AcceptInviteDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": typeof types.SignOutDocument,
    "\n  fragment MessageFields on Message {\n    id\n    seq\n    body\n    authorKind\n    createdAt\n    clientMessageId\n    agent { id name }\n  }\n": typeof types.MessageFieldsFragmentDoc,
    "\n  query Conversation($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Conversation {\n        id\n        status\n        lastSeq\n        agentReadSeq\n        visitorReadSeq\n        createdAt\n        assignee { id name }\n        visitor { id name email online }\n      }\n    }\n    viewer {\n      account {\n        id\n        agents(first: 100) {\n          edges { node { id name status removedAt invitePending } }\n        }\n      }\n    }\n  }\n": typeof types.ConversationDocument,
    "\n  query MessagesPage($id: ID!, $last: Int!, $before: String) {\n    node(id: $id) {\n      __typename\n      ... on Conversation {\n        id\n        messages(last: $last, before: $before) {\n          edges { cursor node { ...MessageFields } }\n          pageInfo { hasPreviousPage startCursor endCursor }\n        }\n      }\n    }\n  }\n": typeof types.MessagesPageDocument,
    "\n  subscription ConversationEvents($conversationId: ID!, $after: String) {\n    conversationEvents(conversationId: $conversationId, after: $after) {\n      __typename\n      ... on MessageAdded {\n        cursor\n        message { ...MessageFields }\n      }\n      ... on TypingChanged {\n        authorKind\n        isTyping\n        agent { id name }\n      }\n      ... on MessagesRead {\n        authorKind\n        seq\n        messageId\n      }\n      ... on ConversationUpdated {\n        conversation { id status assignee { id name } }\n      }\n    }\n  }\n": typeof types.ConversationEventsDocument,
    "\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      message { ...MessageFields }\n      conversation { id lastSeq lastActivityAt }\n    }\n  }\n": typeof types.SendMessageDocument,
    "\n  mutation SetTyping($input: SetTypingInput!) {\n    setTyping(input: $input)\n  }\n": typeof types.SetTypingDocument,
    "\n  mutation MarkRead($input: MarkReadInput!) {\n    markRead(input: $input)\n  }\n": typeof types.MarkReadDocument,
    "\n  mutation AssignConversation($input: AssignConversationInput!) {\n    assignConversation(input: $input) { id assignee { id name } }\n  }\n": typeof types.AssignConversationDocument,
    "\n  mutation SetConversationStatus($input: SetConversationStatusInput!) {\n    setConversationStatus(input: $input) { id status }\n  }\n": typeof types.SetConversationStatusDocument,
    "\n  query Inbox($status: ConversationStatus, $assignment: ConversationAssignment, $first: Int!) {\n    viewer {\n      account {\n        id\n        conversations(first: $first, status: $status, assignment: $assignment) {\n          edges {\n            cursor\n            node {\n              id\n              status\n              lastActivityAt\n              unreadCount\n              visitor { id name email online }\n              assignee { id name }\n              lastMessage { id body authorKind createdAt }\n            }\n          }\n          pageInfo { hasNextPage endCursor }\n        }\n      }\n    }\n  }\n": typeof types.InboxDocument,
    "\n  query ApiTokens {\n    viewer {\n      account {\n        id\n        apiTokens(first: 100) {\n          edges {\n            node { id name createdAt lastUsedAt revokedAt }\n          }\n        }\n      }\n    }\n  }\n": typeof types.ApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken { id name createdAt lastUsedAt revokedAt }\n    }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id)\n  }\n": typeof types.RevokeApiTokenDocument,
    "\n  query Billing {\n    viewer {\n      account {\n        id\n        billingProfile { companyName billingEmail vatId plan }\n      }\n    }\n  }\n": typeof types.BillingDocument,
    "\n  mutation UpdateBillingProfile($input: UpdateBillingProfileInput!) {\n    updateBillingProfile(input: $input) { companyName billingEmail vatId plan }\n  }\n": typeof types.UpdateBillingProfileDocument,
    "\n  fragment WidgetSettingsFields on WidgetSettings {\n    color\n    position\n    greeting\n    language\n    preChatFields { name required }\n    allowedOrigins\n  }\n": typeof types.WidgetSettingsFieldsFragmentDoc,
    "\n  query WidgetSettings {\n    viewer {\n      account {\n        id\n        widgetSettings { ...WidgetSettingsFields }\n      }\n    }\n  }\n": typeof types.WidgetSettingsDocument,
    "\n  mutation UpdateWidgetSettings($input: UpdateWidgetSettingsInput!) {\n    updateWidgetSettings(input: $input) { ...WidgetSettingsFields }\n  }\n": typeof types.UpdateWidgetSettingsDocument,
    "\n  query PrivacySettings {\n    viewer {\n      account {\n        id\n        privacySettings { ipHandling retentionDays }\n      }\n    }\n  }\n": typeof types.PrivacySettingsDocument,
    "\n  mutation UpdatePrivacySettings($input: UpdatePrivacySettingsInput!) {\n    updatePrivacySettings(input: $input) { ipHandling retentionDays }\n  }\n": typeof types.UpdatePrivacySettingsDocument,
    "\n  query AuditLog($first: Int!, $after: String) {\n    viewer {\n      account {\n        id\n        auditLog(first: $first, after: $after) {\n          edges {\n            cursor\n            node { action actorKind actorName visitorId details createdAt }\n          }\n          pageInfo { hasNextPage endCursor }\n        }\n      }\n    }\n  }\n": typeof types.AuditLogDocument,
    "\n  query AuditVisitor($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Visitor {\n        id\n        name\n        email\n        conversations(first: 1) {\n          edges { node { id } }\n        }\n      }\n    }\n  }\n": typeof types.AuditVisitorDocument,
    "\n  mutation DeleteAccount($input: DeleteAccountInput!) {\n    deleteAccount(input: $input)\n  }\n": typeof types.DeleteAccountDocument,
    "\n  query Shell {\n    viewer {\n      kind\n      agent { id name email role status jobTitle motto }\n      account { id name widgetKey }\n    }\n  }\n": typeof types.ShellDocument,
    "\n  mutation SetPresence($status: PresenceStatus!) {\n    setPresence(status: $status) { id status }\n  }\n": typeof types.SetPresenceDocument,
    "\n  subscription AccountEvents {\n    accountEvents {\n      __typename\n      ... on ConversationStarted {\n        conversation { id status visitor { id name } }\n      }\n      ... on MessageAdded {\n        cursor\n        message { id seq body authorKind createdAt conversation { id } }\n      }\n      ... on ConversationUpdated {\n        conversation { id status assignee { id name } }\n      }\n      ... on VisitorUpdated {\n        visitor { id name email online lastSeenAt }\n      }\n      ... on AgentUpdated {\n        agent { id name status role jobTitle motto }\n      }\n    }\n  }\n": typeof types.AccountEventsDocument,
    "\n  query Unread {\n    viewer {\n      account {\n        id\n        conversations(first: 100, status: OPEN) {\n          edges { node { id unreadCount } }\n        }\n      }\n    }\n  }\n": typeof types.UnreadDocument,
    "\n  query Team {\n    viewer {\n      account {\n        id\n        agents(first: 100) {\n          edges {\n            node { id name email role status jobTitle invitePending removedAt }\n          }\n        }\n      }\n    }\n  }\n": typeof types.TeamDocument,
    "\n  mutation InviteAgent($input: InviteAgentInput!) {\n    inviteAgent(input: $input) {\n      inviteToken\n      agent { id name email role status invitePending removedAt }\n    }\n  }\n": typeof types.InviteAgentDocument,
    "\n  mutation RemoveAgent($id: ID!) {\n    removeAgent(id: $id) { id status removedAt }\n  }\n": typeof types.RemoveAgentDocument,
    "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) { id name jobTitle motto }\n  }\n": typeof types.UpdateProfileDocument,
    "\n  query VisitorPanel($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Visitor {\n        id\n        name\n        email\n        online\n        ipAddress\n        firstSeenAt\n        lastSeenAt\n        browser { name version }\n        os { name version }\n        location { city country }\n        pageViews(first: 20) { url title viewedAt }\n        conversations(first: 10) {\n          edges { node { id status createdAt lastActivityAt } }\n        }\n      }\n    }\n  }\n": typeof types.VisitorPanelDocument,
    "\n  mutation ExportVisitor($id: ID!) {\n    exportVisitor(id: $id) { exportedAt document }\n  }\n": typeof types.ExportVisitorDocument,
    "\n  mutation EraseVisitor($id: ID!) {\n    eraseVisitor(id: $id) { erasedConversations erasedMessages erasedPageViews }\n  }\n": typeof types.EraseVisitorDocument,
};
const documents: Documents = {
    "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      token\n      agent { id name }\n    }\n  }\n": types.SignInDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n      agent { id name }\n    }\n  }\n": types.SignUpDocument,
    "\n  mutation AcceptInvite($input: AcceptInviteInput!) {\n    acceptInvite(input: $input) {\n      token\n      agent { id name }\n    }\n  }\n": types.AcceptInviteDocument,
    "\n  mutation SignOut {\n    signOut\n  }\n": types.SignOutDocument,
    "\n  fragment MessageFields on Message {\n    id\n    seq\n    body\n    authorKind\n    createdAt\n    clientMessageId\n    agent { id name }\n  }\n": types.MessageFieldsFragmentDoc,
    "\n  query Conversation($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Conversation {\n        id\n        status\n        lastSeq\n        agentReadSeq\n        visitorReadSeq\n        createdAt\n        assignee { id name }\n        visitor { id name email online }\n      }\n    }\n    viewer {\n      account {\n        id\n        agents(first: 100) {\n          edges { node { id name status removedAt invitePending } }\n        }\n      }\n    }\n  }\n": types.ConversationDocument,
    "\n  query MessagesPage($id: ID!, $last: Int!, $before: String) {\n    node(id: $id) {\n      __typename\n      ... on Conversation {\n        id\n        messages(last: $last, before: $before) {\n          edges { cursor node { ...MessageFields } }\n          pageInfo { hasPreviousPage startCursor endCursor }\n        }\n      }\n    }\n  }\n": types.MessagesPageDocument,
    "\n  subscription ConversationEvents($conversationId: ID!, $after: String) {\n    conversationEvents(conversationId: $conversationId, after: $after) {\n      __typename\n      ... on MessageAdded {\n        cursor\n        message { ...MessageFields }\n      }\n      ... on TypingChanged {\n        authorKind\n        isTyping\n        agent { id name }\n      }\n      ... on MessagesRead {\n        authorKind\n        seq\n        messageId\n      }\n      ... on ConversationUpdated {\n        conversation { id status assignee { id name } }\n      }\n    }\n  }\n": types.ConversationEventsDocument,
    "\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      message { ...MessageFields }\n      conversation { id lastSeq lastActivityAt }\n    }\n  }\n": types.SendMessageDocument,
    "\n  mutation SetTyping($input: SetTypingInput!) {\n    setTyping(input: $input)\n  }\n": types.SetTypingDocument,
    "\n  mutation MarkRead($input: MarkReadInput!) {\n    markRead(input: $input)\n  }\n": types.MarkReadDocument,
    "\n  mutation AssignConversation($input: AssignConversationInput!) {\n    assignConversation(input: $input) { id assignee { id name } }\n  }\n": types.AssignConversationDocument,
    "\n  mutation SetConversationStatus($input: SetConversationStatusInput!) {\n    setConversationStatus(input: $input) { id status }\n  }\n": types.SetConversationStatusDocument,
    "\n  query Inbox($status: ConversationStatus, $assignment: ConversationAssignment, $first: Int!) {\n    viewer {\n      account {\n        id\n        conversations(first: $first, status: $status, assignment: $assignment) {\n          edges {\n            cursor\n            node {\n              id\n              status\n              lastActivityAt\n              unreadCount\n              visitor { id name email online }\n              assignee { id name }\n              lastMessage { id body authorKind createdAt }\n            }\n          }\n          pageInfo { hasNextPage endCursor }\n        }\n      }\n    }\n  }\n": types.InboxDocument,
    "\n  query ApiTokens {\n    viewer {\n      account {\n        id\n        apiTokens(first: 100) {\n          edges {\n            node { id name createdAt lastUsedAt revokedAt }\n          }\n        }\n      }\n    }\n  }\n": types.ApiTokensDocument,
    "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken { id name createdAt lastUsedAt revokedAt }\n    }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id)\n  }\n": types.RevokeApiTokenDocument,
    "\n  query Billing {\n    viewer {\n      account {\n        id\n        billingProfile { companyName billingEmail vatId plan }\n      }\n    }\n  }\n": types.BillingDocument,
    "\n  mutation UpdateBillingProfile($input: UpdateBillingProfileInput!) {\n    updateBillingProfile(input: $input) { companyName billingEmail vatId plan }\n  }\n": types.UpdateBillingProfileDocument,
    "\n  fragment WidgetSettingsFields on WidgetSettings {\n    color\n    position\n    greeting\n    language\n    preChatFields { name required }\n    allowedOrigins\n  }\n": types.WidgetSettingsFieldsFragmentDoc,
    "\n  query WidgetSettings {\n    viewer {\n      account {\n        id\n        widgetSettings { ...WidgetSettingsFields }\n      }\n    }\n  }\n": types.WidgetSettingsDocument,
    "\n  mutation UpdateWidgetSettings($input: UpdateWidgetSettingsInput!) {\n    updateWidgetSettings(input: $input) { ...WidgetSettingsFields }\n  }\n": types.UpdateWidgetSettingsDocument,
    "\n  query PrivacySettings {\n    viewer {\n      account {\n        id\n        privacySettings { ipHandling retentionDays }\n      }\n    }\n  }\n": types.PrivacySettingsDocument,
    "\n  mutation UpdatePrivacySettings($input: UpdatePrivacySettingsInput!) {\n    updatePrivacySettings(input: $input) { ipHandling retentionDays }\n  }\n": types.UpdatePrivacySettingsDocument,
    "\n  query AuditLog($first: Int!, $after: String) {\n    viewer {\n      account {\n        id\n        auditLog(first: $first, after: $after) {\n          edges {\n            cursor\n            node { action actorKind actorName visitorId details createdAt }\n          }\n          pageInfo { hasNextPage endCursor }\n        }\n      }\n    }\n  }\n": types.AuditLogDocument,
    "\n  query AuditVisitor($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Visitor {\n        id\n        name\n        email\n        conversations(first: 1) {\n          edges { node { id } }\n        }\n      }\n    }\n  }\n": types.AuditVisitorDocument,
    "\n  mutation DeleteAccount($input: DeleteAccountInput!) {\n    deleteAccount(input: $input)\n  }\n": types.DeleteAccountDocument,
    "\n  query Shell {\n    viewer {\n      kind\n      agent { id name email role status jobTitle motto }\n      account { id name widgetKey }\n    }\n  }\n": types.ShellDocument,
    "\n  mutation SetPresence($status: PresenceStatus!) {\n    setPresence(status: $status) { id status }\n  }\n": types.SetPresenceDocument,
    "\n  subscription AccountEvents {\n    accountEvents {\n      __typename\n      ... on ConversationStarted {\n        conversation { id status visitor { id name } }\n      }\n      ... on MessageAdded {\n        cursor\n        message { id seq body authorKind createdAt conversation { id } }\n      }\n      ... on ConversationUpdated {\n        conversation { id status assignee { id name } }\n      }\n      ... on VisitorUpdated {\n        visitor { id name email online lastSeenAt }\n      }\n      ... on AgentUpdated {\n        agent { id name status role jobTitle motto }\n      }\n    }\n  }\n": types.AccountEventsDocument,
    "\n  query Unread {\n    viewer {\n      account {\n        id\n        conversations(first: 100, status: OPEN) {\n          edges { node { id unreadCount } }\n        }\n      }\n    }\n  }\n": types.UnreadDocument,
    "\n  query Team {\n    viewer {\n      account {\n        id\n        agents(first: 100) {\n          edges {\n            node { id name email role status jobTitle invitePending removedAt }\n          }\n        }\n      }\n    }\n  }\n": types.TeamDocument,
    "\n  mutation InviteAgent($input: InviteAgentInput!) {\n    inviteAgent(input: $input) {\n      inviteToken\n      agent { id name email role status invitePending removedAt }\n    }\n  }\n": types.InviteAgentDocument,
    "\n  mutation RemoveAgent($id: ID!) {\n    removeAgent(id: $id) { id status removedAt }\n  }\n": types.RemoveAgentDocument,
    "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) { id name jobTitle motto }\n  }\n": types.UpdateProfileDocument,
    "\n  query VisitorPanel($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Visitor {\n        id\n        name\n        email\n        online\n        ipAddress\n        firstSeenAt\n        lastSeenAt\n        browser { name version }\n        os { name version }\n        location { city country }\n        pageViews(first: 20) { url title viewedAt }\n        conversations(first: 10) {\n          edges { node { id status createdAt lastActivityAt } }\n        }\n      }\n    }\n  }\n": types.VisitorPanelDocument,
    "\n  mutation ExportVisitor($id: ID!) {\n    exportVisitor(id: $id) { exportedAt document }\n  }\n": types.ExportVisitorDocument,
    "\n  mutation EraseVisitor($id: ID!) {\n    eraseVisitor(id: $id) { erasedConversations erasedMessages erasedPageViews }\n  }\n": types.EraseVisitorDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      token\n      agent { id name }\n    }\n  }\n"): (typeof documents)["\n  mutation SignIn($input: SignInInput!) {\n    signIn(input: $input) {\n      token\n      agent { id name }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n      agent { id name }\n    }\n  }\n"): (typeof documents)["\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      token\n      agent { id name }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvite($input: AcceptInviteInput!) {\n    acceptInvite(input: $input) {\n      token\n      agent { id name }\n    }\n  }\n"): (typeof documents)["\n  mutation AcceptInvite($input: AcceptInviteInput!) {\n    acceptInvite(input: $input) {\n      token\n      agent { id name }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOut {\n    signOut\n  }\n"): (typeof documents)["\n  mutation SignOut {\n    signOut\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MessageFields on Message {\n    id\n    seq\n    body\n    authorKind\n    createdAt\n    clientMessageId\n    agent { id name }\n  }\n"): (typeof documents)["\n  fragment MessageFields on Message {\n    id\n    seq\n    body\n    authorKind\n    createdAt\n    clientMessageId\n    agent { id name }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Conversation($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Conversation {\n        id\n        status\n        lastSeq\n        agentReadSeq\n        visitorReadSeq\n        createdAt\n        assignee { id name }\n        visitor { id name email online }\n      }\n    }\n    viewer {\n      account {\n        id\n        agents(first: 100) {\n          edges { node { id name status removedAt invitePending } }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Conversation($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Conversation {\n        id\n        status\n        lastSeq\n        agentReadSeq\n        visitorReadSeq\n        createdAt\n        assignee { id name }\n        visitor { id name email online }\n      }\n    }\n    viewer {\n      account {\n        id\n        agents(first: 100) {\n          edges { node { id name status removedAt invitePending } }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query MessagesPage($id: ID!, $last: Int!, $before: String) {\n    node(id: $id) {\n      __typename\n      ... on Conversation {\n        id\n        messages(last: $last, before: $before) {\n          edges { cursor node { ...MessageFields } }\n          pageInfo { hasPreviousPage startCursor endCursor }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query MessagesPage($id: ID!, $last: Int!, $before: String) {\n    node(id: $id) {\n      __typename\n      ... on Conversation {\n        id\n        messages(last: $last, before: $before) {\n          edges { cursor node { ...MessageFields } }\n          pageInfo { hasPreviousPage startCursor endCursor }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ConversationEvents($conversationId: ID!, $after: String) {\n    conversationEvents(conversationId: $conversationId, after: $after) {\n      __typename\n      ... on MessageAdded {\n        cursor\n        message { ...MessageFields }\n      }\n      ... on TypingChanged {\n        authorKind\n        isTyping\n        agent { id name }\n      }\n      ... on MessagesRead {\n        authorKind\n        seq\n        messageId\n      }\n      ... on ConversationUpdated {\n        conversation { id status assignee { id name } }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription ConversationEvents($conversationId: ID!, $after: String) {\n    conversationEvents(conversationId: $conversationId, after: $after) {\n      __typename\n      ... on MessageAdded {\n        cursor\n        message { ...MessageFields }\n      }\n      ... on TypingChanged {\n        authorKind\n        isTyping\n        agent { id name }\n      }\n      ... on MessagesRead {\n        authorKind\n        seq\n        messageId\n      }\n      ... on ConversationUpdated {\n        conversation { id status assignee { id name } }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      message { ...MessageFields }\n      conversation { id lastSeq lastActivityAt }\n    }\n  }\n"): (typeof documents)["\n  mutation SendMessage($input: SendMessageInput!) {\n    sendMessage(input: $input) {\n      message { ...MessageFields }\n      conversation { id lastSeq lastActivityAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetTyping($input: SetTypingInput!) {\n    setTyping(input: $input)\n  }\n"): (typeof documents)["\n  mutation SetTyping($input: SetTypingInput!) {\n    setTyping(input: $input)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation MarkRead($input: MarkReadInput!) {\n    markRead(input: $input)\n  }\n"): (typeof documents)["\n  mutation MarkRead($input: MarkReadInput!) {\n    markRead(input: $input)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AssignConversation($input: AssignConversationInput!) {\n    assignConversation(input: $input) { id assignee { id name } }\n  }\n"): (typeof documents)["\n  mutation AssignConversation($input: AssignConversationInput!) {\n    assignConversation(input: $input) { id assignee { id name } }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetConversationStatus($input: SetConversationStatusInput!) {\n    setConversationStatus(input: $input) { id status }\n  }\n"): (typeof documents)["\n  mutation SetConversationStatus($input: SetConversationStatusInput!) {\n    setConversationStatus(input: $input) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Inbox($status: ConversationStatus, $assignment: ConversationAssignment, $first: Int!) {\n    viewer {\n      account {\n        id\n        conversations(first: $first, status: $status, assignment: $assignment) {\n          edges {\n            cursor\n            node {\n              id\n              status\n              lastActivityAt\n              unreadCount\n              visitor { id name email online }\n              assignee { id name }\n              lastMessage { id body authorKind createdAt }\n            }\n          }\n          pageInfo { hasNextPage endCursor }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Inbox($status: ConversationStatus, $assignment: ConversationAssignment, $first: Int!) {\n    viewer {\n      account {\n        id\n        conversations(first: $first, status: $status, assignment: $assignment) {\n          edges {\n            cursor\n            node {\n              id\n              status\n              lastActivityAt\n              unreadCount\n              visitor { id name email online }\n              assignee { id name }\n              lastMessage { id body authorKind createdAt }\n            }\n          }\n          pageInfo { hasNextPage endCursor }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiTokens {\n    viewer {\n      account {\n        id\n        apiTokens(first: 100) {\n          edges {\n            node { id name createdAt lastUsedAt revokedAt }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ApiTokens {\n    viewer {\n      account {\n        id\n        apiTokens(first: 100) {\n          edges {\n            node { id name createdAt lastUsedAt revokedAt }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken { id name createdAt lastUsedAt revokedAt }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiToken($input: CreateApiTokenInput!) {\n    createApiToken(input: $input) {\n      token\n      apiToken { id name createdAt lastUsedAt revokedAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id)\n  }\n"): (typeof documents)["\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Billing {\n    viewer {\n      account {\n        id\n        billingProfile { companyName billingEmail vatId plan }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Billing {\n    viewer {\n      account {\n        id\n        billingProfile { companyName billingEmail vatId plan }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateBillingProfile($input: UpdateBillingProfileInput!) {\n    updateBillingProfile(input: $input) { companyName billingEmail vatId plan }\n  }\n"): (typeof documents)["\n  mutation UpdateBillingProfile($input: UpdateBillingProfileInput!) {\n    updateBillingProfile(input: $input) { companyName billingEmail vatId plan }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WidgetSettingsFields on WidgetSettings {\n    color\n    position\n    greeting\n    language\n    preChatFields { name required }\n    allowedOrigins\n  }\n"): (typeof documents)["\n  fragment WidgetSettingsFields on WidgetSettings {\n    color\n    position\n    greeting\n    language\n    preChatFields { name required }\n    allowedOrigins\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WidgetSettings {\n    viewer {\n      account {\n        id\n        widgetSettings { ...WidgetSettingsFields }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WidgetSettings {\n    viewer {\n      account {\n        id\n        widgetSettings { ...WidgetSettingsFields }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateWidgetSettings($input: UpdateWidgetSettingsInput!) {\n    updateWidgetSettings(input: $input) { ...WidgetSettingsFields }\n  }\n"): (typeof documents)["\n  mutation UpdateWidgetSettings($input: UpdateWidgetSettingsInput!) {\n    updateWidgetSettings(input: $input) { ...WidgetSettingsFields }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PrivacySettings {\n    viewer {\n      account {\n        id\n        privacySettings { ipHandling retentionDays }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PrivacySettings {\n    viewer {\n      account {\n        id\n        privacySettings { ipHandling retentionDays }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdatePrivacySettings($input: UpdatePrivacySettingsInput!) {\n    updatePrivacySettings(input: $input) { ipHandling retentionDays }\n  }\n"): (typeof documents)["\n  mutation UpdatePrivacySettings($input: UpdatePrivacySettingsInput!) {\n    updatePrivacySettings(input: $input) { ipHandling retentionDays }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLog($first: Int!, $after: String) {\n    viewer {\n      account {\n        id\n        auditLog(first: $first, after: $after) {\n          edges {\n            cursor\n            node { action actorKind actorName visitorId details createdAt }\n          }\n          pageInfo { hasNextPage endCursor }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditLog($first: Int!, $after: String) {\n    viewer {\n      account {\n        id\n        auditLog(first: $first, after: $after) {\n          edges {\n            cursor\n            node { action actorKind actorName visitorId details createdAt }\n          }\n          pageInfo { hasNextPage endCursor }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditVisitor($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Visitor {\n        id\n        name\n        email\n        conversations(first: 1) {\n          edges { node { id } }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditVisitor($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Visitor {\n        id\n        name\n        email\n        conversations(first: 1) {\n          edges { node { id } }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteAccount($input: DeleteAccountInput!) {\n    deleteAccount(input: $input)\n  }\n"): (typeof documents)["\n  mutation DeleteAccount($input: DeleteAccountInput!) {\n    deleteAccount(input: $input)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Shell {\n    viewer {\n      kind\n      agent { id name email role status jobTitle motto }\n      account { id name widgetKey }\n    }\n  }\n"): (typeof documents)["\n  query Shell {\n    viewer {\n      kind\n      agent { id name email role status jobTitle motto }\n      account { id name widgetKey }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SetPresence($status: PresenceStatus!) {\n    setPresence(status: $status) { id status }\n  }\n"): (typeof documents)["\n  mutation SetPresence($status: PresenceStatus!) {\n    setPresence(status: $status) { id status }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AccountEvents {\n    accountEvents {\n      __typename\n      ... on ConversationStarted {\n        conversation { id status visitor { id name } }\n      }\n      ... on MessageAdded {\n        cursor\n        message { id seq body authorKind createdAt conversation { id } }\n      }\n      ... on ConversationUpdated {\n        conversation { id status assignee { id name } }\n      }\n      ... on VisitorUpdated {\n        visitor { id name email online lastSeenAt }\n      }\n      ... on AgentUpdated {\n        agent { id name status role jobTitle motto }\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription AccountEvents {\n    accountEvents {\n      __typename\n      ... on ConversationStarted {\n        conversation { id status visitor { id name } }\n      }\n      ... on MessageAdded {\n        cursor\n        message { id seq body authorKind createdAt conversation { id } }\n      }\n      ... on ConversationUpdated {\n        conversation { id status assignee { id name } }\n      }\n      ... on VisitorUpdated {\n        visitor { id name email online lastSeenAt }\n      }\n      ... on AgentUpdated {\n        agent { id name status role jobTitle motto }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Unread {\n    viewer {\n      account {\n        id\n        conversations(first: 100, status: OPEN) {\n          edges { node { id unreadCount } }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Unread {\n    viewer {\n      account {\n        id\n        conversations(first: 100, status: OPEN) {\n          edges { node { id unreadCount } }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Team {\n    viewer {\n      account {\n        id\n        agents(first: 100) {\n          edges {\n            node { id name email role status jobTitle invitePending removedAt }\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Team {\n    viewer {\n      account {\n        id\n        agents(first: 100) {\n          edges {\n            node { id name email role status jobTitle invitePending removedAt }\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteAgent($input: InviteAgentInput!) {\n    inviteAgent(input: $input) {\n      inviteToken\n      agent { id name email role status invitePending removedAt }\n    }\n  }\n"): (typeof documents)["\n  mutation InviteAgent($input: InviteAgentInput!) {\n    inviteAgent(input: $input) {\n      inviteToken\n      agent { id name email role status invitePending removedAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveAgent($id: ID!) {\n    removeAgent(id: $id) { id status removedAt }\n  }\n"): (typeof documents)["\n  mutation RemoveAgent($id: ID!) {\n    removeAgent(id: $id) { id status removedAt }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) { id name jobTitle motto }\n  }\n"): (typeof documents)["\n  mutation UpdateProfile($input: UpdateProfileInput!) {\n    updateProfile(input: $input) { id name jobTitle motto }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VisitorPanel($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Visitor {\n        id\n        name\n        email\n        online\n        ipAddress\n        firstSeenAt\n        lastSeenAt\n        browser { name version }\n        os { name version }\n        location { city country }\n        pageViews(first: 20) { url title viewedAt }\n        conversations(first: 10) {\n          edges { node { id status createdAt lastActivityAt } }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query VisitorPanel($id: ID!) {\n    node(id: $id) {\n      __typename\n      ... on Visitor {\n        id\n        name\n        email\n        online\n        ipAddress\n        firstSeenAt\n        lastSeenAt\n        browser { name version }\n        os { name version }\n        location { city country }\n        pageViews(first: 20) { url title viewedAt }\n        conversations(first: 10) {\n          edges { node { id status createdAt lastActivityAt } }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExportVisitor($id: ID!) {\n    exportVisitor(id: $id) { exportedAt document }\n  }\n"): (typeof documents)["\n  mutation ExportVisitor($id: ID!) {\n    exportVisitor(id: $id) { exportedAt document }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EraseVisitor($id: ID!) {\n    eraseVisitor(id: $id) { erasedConversations erasedMessages erasedPageViews }\n  }\n"): (typeof documents)["\n  mutation EraseVisitor($id: ID!) {\n    eraseVisitor(id: $id) { erasedConversations erasedMessages erasedPageViews }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;