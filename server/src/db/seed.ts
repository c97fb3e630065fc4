import { newId } from '../shared/uuid.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Account } from '../modules/accounts/account.entity.js';
import { newWidgetKey } from '../modules/accounts/accounts.service.js';
import { Agent } from '../modules/agents/agent.entity.js';
import { hashPassword, hashToken, newToken } from '../modules/auth/secrets.js';
import { Conversation } from '../modules/conversations/conversation.entity.js';
import { Message } from '../modules/messages/message.entity.js';
import { PageView, Visitor } from '../modules/visitors/visitor.entity.js';

export const demoSignIn = { email: 'demo@example.com', password: 'demo-password' };

/**
 * On an empty database, creates a demo account with one agent, one visitor and one
 * conversation, so a first run has something to look at. Returns null when not empty.
 */
export async function seedDemo(em: EntityManager): Promise<{ email: string; password: string; widgetKey: string } | null> {
  if ((await em.count(Account, {})) > 0) return null;
  const passwordHash = await hashPassword(demoSignIn.password);
  return em.transactional(async (tx) => {
    const account = tx.create(Account, { id: newId(), name: 'Demo Company', widgetKey: newWidgetKey() });
    const agent = tx.create(Agent, { id: newId(),
      accountId: account.id,
      name: 'Dana Demo',
      email: demoSignIn.email,
      passwordHash,
      role: 'OWNER',
      jobTitle: 'Customer care',
      motto: 'Happy to help!',
    });
    const visitor = tx.create(Visitor, { id: newId(),
      accountId: account.id,
      tokenHash: hashToken(newToken('visitor')),
      name: 'Alex Visitor',
      email: 'alex@example.org',
      ipAddress: '81.0.0.0',
      userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36',
      browserName: 'Chrome',
      browserVersion: '130.0',
      osName: 'Linux',
      country: 'CZ',
      city: 'Prague',
    });
    tx.create(PageView, { id: newId(), accountId: account.id, visitorId: visitor.id, url: 'https://example.org/pricing', title: 'Pricing' });
    const now = Date.now();
    const lines: [Message['authorKind'], string][] = [
      ['VISITOR', 'Hi! Is the yearly plan billed up front?'],
      ['AGENT', 'Hello Alex, yes, it is billed once a year, with two months free.'],
      ['VISITOR', 'Great, thank you!'],
    ];
    const conversation = tx.create(Conversation, { id: newId(),
      accountId: account.id,
      visitorId: visitor.id,
      assigneeId: agent.id,
      lastSeq: lines.length,
      lastMessageAt: new Date(now),
      lastActivityAt: new Date(now),
    });
    lines.forEach(([authorKind, body], i) =>
      tx.create(Message, { id: newId(),
        accountId: account.id,
        conversationId: conversation.id,
        seq: i + 1,
        authorKind,
        agentId: authorKind === 'AGENT' ? agent.id : null,
        body,
        createdAt: new Date(now - (lines.length - i) * 60_000),
      }),
    );
    await tx.flush();
    return { ...demoSignIn, widgetKey: account.widgetKey };
  });
}
