import { render, screen } from '@solidjs/testing-library';
import { describe, expect, it } from 'vitest';
import { Field, FormError } from './Field';

describe('Field', () => {
  it('labels its input', () => {
    render(() => <Field label="Email" name="email" type="email" />);
    const input = screen.getByLabelText('Email') as HTMLInputElement;
    expect(input.tagName).toBe('INPUT');
    expect(input.name).toBe('email');
    expect(input.type).toBe('email');
    expect(input.getAttribute('aria-invalid')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('keeps a given id', () => {
    render(() => <Field label="Name" id="agent-name" />);
    expect(screen.getByLabelText('Name').id).toBe('agent-name');
  });

  it('announces its error and ties it to the input', () => {
    render(() => <Field label="Password" type="password" error="Too short." />);
    const input = screen.getByLabelText('Password');
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toBe('Too short.');
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(input.getAttribute('aria-describedby')).toBe(alert.id);
  });

  it('gives each field its own id', () => {
    render(() => (
      <>
        <Field label="First" />
        <Field label="Second" />
      </>
    ));
    expect(screen.getByLabelText('First').id).not.toBe(screen.getByLabelText('Second').id);
  });
});

describe('FormError', () => {
  it('renders an alert only with a message', () => {
    render(() => (
      <>
        <FormError message={null} />
        <FormError message="Wrong email or password." />
      </>
    ));
    expect(screen.getAllByRole('alert').map((e) => e.textContent)).toEqual(['Wrong email or password.']);
  });
});
