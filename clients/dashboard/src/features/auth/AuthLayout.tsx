import type { JSX } from 'solid-js';

/** The frame of the signed-out pages. */
export function AuthLayout(props: { title: string; children: JSX.Element }) {
  return (
    <main class="auth">
      <div class="auth-card">
        <p class="brand">Livechat</p>
        <h1>{props.title}</h1>
        {props.children}
      </div>
    </main>
  );
}
