/**
 * The hosted pages' stylesheet, served at /assets/pages.css. Kept as a string so the
 * esbuild bundle carries it; no build step and no file to find at run time.
 */
export const pagesCss = `
:root {
  --palco-accent: #4f46e5;
  --palco-accent-strong: #3730a3;
  --palco-text: #17181c;
  --palco-muted: #5b6070;
  --palco-surface: #ffffff;
  --palco-page: #f3f4f8;
  --palco-border: #cfd3de;
  --palco-danger: #b42318;
  --palco-danger-surface: #fef3f2;
  --palco-font: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    --palco-accent: #a5b4fc;
    --palco-accent-strong: #c7d2fe;
    --palco-text: #eceef4;
    --palco-muted: #a7acbb;
    --palco-surface: #1c1e26;
    --palco-page: #111218;
    --palco-border: #3a3e4c;
    --palco-danger: #fda29b;
    --palco-danger-surface: #2b1614;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0;
  min-height: 100vh;
  font-family: var(--palco-font);
  font-size: 1rem;
  line-height: 1.5;
  color: var(--palco-text);
  background: var(--palco-page);
}
a { color: var(--palco-accent-strong); text-underline-offset: 0.15em; }
@media (prefers-color-scheme: dark) { a { color: var(--palco-accent); } }
:focus-visible { outline: 3px solid var(--palco-accent); outline-offset: 2px; border-radius: 4px; }
.page { display: flex; flex-direction: column; min-height: 100vh; max-width: 34rem; margin: 0 auto; padding: 1rem; }
.topbar { display: flex; justify-content: space-between; align-items: center; gap: 1rem; padding: 0.25rem 0 1rem; }
.brand { font-weight: 700; letter-spacing: 0.02em; text-decoration: none; color: var(--palco-text); }
.lang-switch { font-size: 0.95rem; padding: 0.35rem 0.6rem; }
.card {
  background: var(--palco-surface);
  border: 1px solid var(--palco-border);
  border-radius: 16px;
  padding: 1.5rem 1.25rem;
  box-shadow: 0 10px 30px rgb(20 22 40 / 0.06);
}
@media (min-width: 40rem) { .page { padding-top: 3rem; } .card { padding: 2.25rem 2.5rem; } }
.event-header { display: flex; align-items: center; gap: 0.9rem; margin-bottom: 1.25rem; }
.event-logo { width: 56px; height: 56px; object-fit: contain; border-radius: 12px; flex: none; }
.event-title { margin: 0; font-size: 1.45rem; line-height: 1.25; overflow-wrap: anywhere; }
h2 { font-size: 1.15rem; margin: 0 0 0.35rem; }
.intro, .hint { color: var(--palco-muted); margin: 0 0 1.25rem; }
.hint { font-size: 0.92rem; margin: 0.25rem 0 0; }
.notice { margin: 0 0 1.25rem; padding: 0.75rem 1rem; border-radius: 10px; background: var(--palco-page); }
.notice p { margin: 0.2rem 0; }
form { display: grid; gap: 1.1rem; }
.field { display: grid; gap: 0.3rem; }
label { font-weight: 600; }
input {
  width: 100%;
  font: inherit;
  color: inherit;
  padding: 0.7rem 0.8rem;
  border: 1px solid var(--palco-border);
  border-radius: 10px;
  background: var(--palco-surface);
  min-height: 2.9rem;
}
input:focus-visible { border-color: var(--palco-accent); }
input[aria-invalid="true"] { border-color: var(--palco-danger); border-width: 2px; }
.field-error { color: var(--palco-danger); font-size: 0.92rem; font-weight: 600; margin: 0; }
button {
  font: inherit;
  font-weight: 700;
  min-height: 3rem;
  padding: 0.7rem 1rem;
  border: 0;
  border-radius: 10px;
  color: #fff;
  background: var(--palco-accent-strong);
  cursor: pointer;
}
@media (prefers-color-scheme: dark) { button { color: #15172a; background: var(--palco-accent); } }
button:hover { filter: brightness(1.08); }
.error-summary {
  margin: 0 0 1.25rem;
  padding: 0.9rem 1rem;
  border: 2px solid var(--palco-danger);
  border-radius: 10px;
  background: var(--palco-danger-surface);
}
.error-summary h2 { color: var(--palco-danger); }
.error-summary p, .error-summary ul { margin: 0.25rem 0 0; }
.error-summary ul { padding-left: 1.2rem; }
.alternate { margin: 1.25rem 0 0; text-align: center; }
.footer { margin-top: auto; padding: 1.5rem 0 0.5rem; text-align: center; font-size: 0.85rem; color: var(--palco-muted); }
`;

export const stylesheetPath = '/assets/pages.css';
