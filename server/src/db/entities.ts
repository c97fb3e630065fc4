import { Account } from '../modules/accounts/account.entity.js';
import { Agent } from '../modules/agents/agent.entity.js';
import { AgentSession, ApiToken } from '../modules/auth/token.entities.js';
import { Conversation } from '../modules/conversations/conversation.entity.js';
import { Message } from '../modules/messages/message.entity.js';
import { PageView, Visitor } from '../modules/visitors/visitor.entity.js';
import { AuditEntry } from '../modules/privacy/audit-entry.entity.js';

export const entities = [Account, Agent, AgentSession, ApiToken, Visitor, PageView, Conversation, Message, AuditEntry];
