import { render, screen } from '@solidjs/testing-library';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Composer } from './Composer';

function setup(options: { fakeTimers?: boolean } = {}) {
  if (options.fakeTimers) vi.useFakeTimers();
  const onSend = vi.fn<(body: string) => void>();
  const onTyping = vi.fn<(isTyping: boolean) => void>();
  const user = userEvent.setup(options.fakeTimers ? { advanceTimers: (ms) => vi.advanceTimersByTime(ms) } : {});
  render(() => <Composer onSend={onSend} onTyping={onTyping} />);
  const box = screen.getByLabelText('Message') as HTMLTextAreaElement;
  return { onSend, onTyping, user, box };
}

afterEach(() => vi.useRealTimers());

describe('Composer', () => {
  it('sends the trimmed text on Enter and clears the box', async () => {
    const { onSend, user, box } = setup();
    await user.type(box, '  hello there  {Enter}');
    expect(onSend).toHaveBeenCalledExactlyOnceWith('hello there');
    expect(box.value).toBe('');
  });

  it('inserts a new line on Shift+Enter and does not send', async () => {
    const { onSend, user, box } = setup();
    await user.type(box, 'line one{Shift>}{Enter}{/Shift}line two');
    expect(onSend).not.toHaveBeenCalled();
    expect(box.value).toBe('line one\nline two');
    await user.keyboard('{Enter}');
    expect(onSend).toHaveBeenCalledExactlyOnceWith('line one\nline two');
  });

  it('does not send blank text', async () => {
    const { onSend, user, box } = setup();
    await user.type(box, '   {Enter}');
    expect(onSend).not.toHaveBeenCalled();
    expect((screen.getByRole('button', { name: 'Send' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('sends with the Send button too', async () => {
    const { onSend, user, box } = setup();
    await user.type(box, 'hi');
    await user.click(screen.getByRole('button', { name: 'Send' }));
    expect(onSend).toHaveBeenCalledExactlyOnceWith('hi');
  });

  it('reports typing once when it starts, not again within 3 s, and renews it after', async () => {
    const { onTyping, user, box } = setup({ fakeTimers: true });
    await user.type(box, 'h');
    expect(onTyping.mock.calls).toEqual([[true]]);

    await vi.advanceTimersByTimeAsync(2000);
    await user.type(box, 'ello');
    expect(onTyping.mock.calls).toEqual([[true]]);

    await vi.advanceTimersByTimeAsync(1500);
    await user.type(box, '!');
    expect(onTyping.mock.calls).toEqual([[true], [true]]);
  });

  it('reports typing stopped after sending', async () => {
    const { onTyping, onSend, user, box } = setup({ fakeTimers: true });
    await user.type(box, 'hello{Enter}');
    expect(onSend).toHaveBeenCalledOnce();
    expect(onTyping.mock.calls).toEqual([[true], [false]]);
  });

  it('reports typing stopped after 4 s without typing', async () => {
    const { onTyping, user, box } = setup({ fakeTimers: true });
    await user.type(box, 'hello');
    await vi.advanceTimersByTimeAsync(3999);
    expect(onTyping.mock.calls).toEqual([[true]]);
    await vi.advanceTimersByTimeAsync(1);
    expect(onTyping.mock.calls).toEqual([[true], [false]]);
  });
});
