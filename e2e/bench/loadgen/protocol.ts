/** What the benchmark and its load generator processes say to each other over IPC. */

/** One socket to open: the token it authenticates with and the one subscription it starts. */
export type SocketSpec = { authorization?: string; query: string; variables: Record<string, unknown> };

export type LoadgenCommand =
  /** open these sockets, `concurrency` handshakes at a time, spread over the local addresses */
  | { type: 'open'; url: string; sockets: SocketSpec[]; concurrency: number; localAddresses?: string[]; group?: string }
  /** the frame carrying `marker` is about to be sent to the sockets of `group`: say 'complete' once they all have it */
  | { type: 'expect'; marker: number; group: string }
  /** the receive times recorded so far for a marker */
  | { type: 'receipts'; marker: number }
  | { type: 'forget' }
  | { type: 'stats' }
  | { type: 'close' };

export type LoadgenReply =
  /** started; `clockOffset` is (timeOrigin + now()) − Date.now() in this process, in ms */
  | { type: 'ready'; clockOffset: number }
  | { type: 'opened'; subscribed: number; failed: number; firstError: string | null; ms: number }
  /** every subscribed socket of this process received the frame carrying `marker` */
  | { type: 'complete'; marker: number; times: number[] }
  | { type: 'receipts'; marker: number; times: number[] }
  | { type: 'forgotten' }
  | { type: 'stats'; open: number; subscribed: number; failed: number; rss: number }
  | { type: 'closed' };
