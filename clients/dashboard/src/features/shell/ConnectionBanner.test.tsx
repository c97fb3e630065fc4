import { render, screen } from '@solidjs/testing-library';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { onDrop, onReconnect, reportConnected, reportDropped, resetConnection } from '../../lib/connection';
import { ConnectionBanner } from './ConnectionBanner';

beforeEach(() => resetConnection());

describe('ConnectionBanner', () => {
  it('is hidden while connecting and connected', () => {
    render(() => <ConnectionBanner />);
    expect(screen.queryByRole('status')).toBeNull();
    reportConnected();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('shows after a drop and hides once connected again', () => {
    render(() => <ConnectionBanner />);
    reportConnected();
    reportDropped();
    expect(screen.getByRole('status').textContent).toMatch(/Connection lost/);
    reportConnected();
    expect(screen.queryByRole('status')).toBeNull();
  });

  it('shows when the first connection attempt fails', () => {
    render(() => <ConnectionBanner />);
    reportDropped();
    expect(screen.getByRole('status')).toBeTruthy();
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
