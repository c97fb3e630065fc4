import { defineEntity, type InferEntity } from '@mikro-orm/core';

/** A website visitor of one account, known by the widget's visitor token. */
export const Visitor = defineEntity({
  name: 'Visitor',
  tableName: 'visitors',
  properties: (p) => ({
    id: p.uuid().primary(),
    accountId: p.uuid(),
    tokenHash: p.text().unique(),
    name: p.text().nullable(),
    email: p.text().nullable(),
    ipAddress: p.text().nullable(),
    userAgent: p.text().nullable(),
    browserName: p.text().nullable(),
    browserVersion: p.text().nullable(),
    osName: p.text().nullable(),
    osVersion: p.text().nullable(),
    country: p.text().nullable(),
    city: p.text().nullable(),
    firstSeenAt: p.datetime().onCreate(() => new Date()),
    lastSeenAt: p.datetime().onCreate(() => new Date()),
  }),
});
export type Visitor = InferEntity<typeof Visitor>;

/** One page a visitor opened with the widget on it. */
export const PageView = defineEntity({
  name: 'PageView',
  tableName: 'page_views',
  properties: (p) => ({
    id: p.uuid().primary(),
    accountId: p.uuid(),
    visitorId: p.uuid(),
    url: p.text(),
    title: p.text().nullable(),
    referrer: p.text().nullable(),
    viewedAt: p.datetime().onCreate(() => new Date()),
  }),
});
export type PageView = InferEntity<typeof PageView>;
