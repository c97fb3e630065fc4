/** The shapes the widget selects from the API (schema/schema.graphql). */
export type AuthorKind = 'AGENT' | 'SYSTEM' | 'VISITOR';
export type ConversationStatus = 'OPEN' | 'PENDING' | 'CLOSED';

export type AgentInfo = { id?: string; name: string; jobTitle?: string | null; motto?: string | null };

export type Message = {
  id: string;
  seq: number;
  body: string;
  authorKind: AuthorKind;
  createdAt: string;
  clientMessageId: string | null;
  agent: AgentInfo | null;
};

export type PreChatField = { name: 'NAME' | 'EMAIL'; required: boolean };

export type WidgetSettings = {
  color: string;
  position: 'BOTTOM_LEFT' | 'BOTTOM_RIGHT';
  greeting: string | null;
  language: 'EN' | 'CS';
  preChatFields: PreChatField[];
};

export type VisitorInfo = { id: string; name: string | null; email: string | null };

export type Session = {
  visitorToken: string;
  visitor: VisitorInfo;
  widget: WidgetSettings;
  agentsOnline: boolean;
};

export type ConversationNode = {
  id: string;
  status: ConversationStatus;
  lastSeq: number;
  agentReadSeq: number;
  visitorReadSeq: number;
  messages: { edges: { cursor: string; node: Message }[]; pageInfo: { endCursor: string | null } };
};

export type ConversationEvent =
  | { __typename: 'MessageAdded'; cursor: string; message: Message }
  | { __typename: 'TypingChanged'; authorKind: AuthorKind; isTyping: boolean; agent: { name: string } | null }
  | { __typename: 'MessagesRead'; authorKind: AuthorKind; seq: number }
  | { __typename: 'ConversationUpdated'; conversation: { id: string; status: ConversationStatus } };
