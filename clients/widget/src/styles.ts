/** A #rrggbb the server sent, or our blue: the value ends up in CSS, so nothing else gets through. */
export function safeColor(color: string | null | undefined): string {
  return color && /^#[0-9a-f]{6}$/i.test(color) ? color : '#2563eb';
}

/** Black or white text, whichever reads better on the accent colour (WCAG relative luminance). */
export function textOn(color: string): string {
  const channel = (i: number) => {
    const c = parseInt(color.slice(i, i + 2), 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const luminance = 0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5);
  return luminance > 0.4 ? '#111' : '#fff';
}

/**
 * Everything lives in the shadow root, so these rules reach nothing of the host page and the
 * page's rules reach nothing here (the host element resets inherited properties with
 * `all: initial`). System fonts only: nothing is downloaded.
 */
export const css = `
*{box-sizing:border-box}
[hidden]{display:none!important}
.w{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1f2328;display:flex;flex-direction:column;align-items:flex-end;gap:12px}
.w.l{align-items:flex-start}
button,input,textarea{font:inherit;color:inherit}
:focus-visible{outline:3px solid var(--c);outline-offset:2px}
.hd :focus-visible,.ln:focus-visible{outline-color:#1f2328;box-shadow:0 0 0 5px #fff}
.ln{position:relative;width:56px;height:56px;border:0;border-radius:50%;background:var(--c);color:var(--t);cursor:pointer;display:grid;place-items:center;box-shadow:0 4px 14px rgba(0,0,0,.25)}
.ln .i svg{width:26px;height:26px}
.bd{position:absolute;top:-4px;right:-4px;min-width:20px;height:20px;padding:0 6px;border-radius:10px;background:#cf222e;color:#fff;font-size:12px;font-weight:700;line-height:20px;text-align:center}
.p{width:min(370px,calc(100vw - 40px));height:min(560px,calc(100vh - 110px));background:#fff;border-radius:14px;box-shadow:0 10px 34px rgba(0,0,0,.24);display:flex;flex-direction:column;overflow:hidden}
.hd{background:var(--c);color:var(--t);padding:12px 12px 12px 16px;display:flex;gap:10px;align-items:center}
.av{flex:none;width:36px;height:36px;border-radius:50%;background:rgba(255,255,255,.25);display:grid;place-items:center;font-weight:700}
.ht{flex:1;min-width:0}
.tt{font-weight:700;font-size:15px;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.st{font-size:12px;opacity:.9;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.x{flex:none;width:36px;height:36px;border:0;border-radius:8px;background:transparent;color:inherit;cursor:pointer;display:grid;place-items:center}
.x:hover{background:rgba(0,0,0,.12)}
.cn{background:#fff8c5;color:#4d2d00;font-size:12px;padding:4px 16px}
.lg{flex:1;overflow-y:auto;padding:14px 12px;display:flex;flex-direction:column;gap:6px;background:#f6f8fa}
.m{display:flex;flex-direction:column;align-items:flex-start;max-width:85%}
.m.v{align-self:flex-end;align-items:flex-end}
.au{font-size:11px;color:#59636e;margin:4px 4px 1px}
.b{padding:8px 12px;border-radius:14px;background:#fff;border:1px solid #d1d9e0;white-space:pre-wrap;overflow-wrap:anywhere}
.v .b{background:var(--c);color:var(--t);border-color:transparent}
.b a{color:inherit}
.n{font-size:11px;color:#59636e;margin:1px 4px}
.n button{border:0;background:none;padding:0;margin-left:4px;color:#0969da;text-decoration:underline;cursor:pointer;font-size:11px}
.f .n{color:#cf222e}
.ty{min-height:20px;padding:0 16px;font-size:12px;color:#59636e;font-style:italic;background:#f6f8fa}
.cp{display:flex;gap:8px;align-items:flex-end;padding:10px;border-top:1px solid #d1d9e0}
textarea{flex:1;resize:none;border:1px solid #d1d9e0;border-radius:10px;padding:8px 10px;max-height:120px;min-height:38px;background:#fff}
.sb{flex:none;width:38px;height:38px;border:0;border-radius:10px;background:var(--c);color:var(--t);cursor:pointer;display:grid;place-items:center}
.fm{flex:1;overflow-y:auto;padding:16px;display:flex;flex-direction:column;gap:12px}
.fm form{display:flex;flex-direction:column;gap:12px}
.fm p{margin:0}
.fm .gr{background:#f1f3f6;border-radius:12px;padding:8px 12px}
.fd{display:flex;flex-direction:column;gap:4px}
.fd label{font-weight:600;font-size:13px}
.fd input,.fd textarea{border:1px solid #d1d9e0;border-radius:8px;padding:8px 10px;background:#fff;width:100%}
.fd textarea{min-height:90px;max-height:none}
[aria-invalid=true]{border-color:#cf222e!important}
.er{color:#cf222e;font-size:12px}
.go{align-self:flex-start;border:0;border-radius:8px;padding:9px 16px;background:var(--c);color:var(--t);font-weight:600;cursor:pointer}
.go[aria-disabled=true]{opacity:.6;cursor:default}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
@media (prefers-reduced-motion:no-preference){.p{animation:in .18s ease-out}@keyframes in{from{opacity:0;transform:translateY(8px)}}}
`;
