import { render, screen } from '@solidjs/testing-library';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { onDrop, onReconnect, reportConnected, reportDropped, resetConnection } from '../../lib/connection';
import { ConnectionBanner } from './ConnectionBanner';

beforeEach(() => resetConnection());

describe('ConnectionBanner', () => {
  it('says nothing while connecting and connected, from a status region that stays in the page', () => {
    render(() => <ConnectionBanner />);
    expect(screen.getByRole('status').textContent).toBe('');
    reportConnected();
    expect(screen.getByRole('status').textContent).toBe('');
  });

  it('shows after a drop and hides once connected again', () => {
    render(() => <ConnectionBanner />);
    reportConnected();
    reportDropped();
    expect(screen.getByRole('status').textContent).toMatch(/Connection lost/);
    reportConnected();
    expect(screen.getByRole('status').textContent).toBe('');
  });

  it('shows when the first connection attempt fails', () => {
    render(() => <ConnectionBanner />);
    reportDropped();
    expect(screen.getByRole('status').textContent).toMatch(/Connection lost/);
  });
});

describe('connection listeners', () => {
  it('runs onReconnect listeners on a reconnect, not on the first connect', () => {
    const listener = vi.fn();
    const stop = onReconnect(listener);
    reportConnected();
    expect(listener).not.toHaveBeenCalled();
    reportDropped();
    reportConnected();
    expect(listener).toHaveBeenCalledOnce();
    stop();
    reportDropped();
    reportConnected();
    expect(listener).toHaveBeenCalledOnce();
  });

  it('runs onDrop listeners once per drop', () => {
    const listener = vi.fn();
    const stop = onDrop(listener);
    reportConnected();
    reportDropped();
    reportDropped(); // the socket retrying while still down
    expect(listener).toHaveBeenCalledOnce();
    stop();
  });

  it('treats the first connect after resetConnection (a new session) as first', () => {
    const listener = vi.fn();
    const stop = onReconnect(listener);
    reportConnected();
    resetConnection();
    reportConnected();
    expect(listener).not.toHaveBeenCalled();
    stop();
  });
});
