import { darkPalette, paletteDeclarations, tokenDeclarations } from '@palco/widgets/tokens';

/**
 * The stylesheet of every hosted page (forms, event pages, admin), served at /assets/pages.css.
 * Its tokens are the widgets' own (@palco/widgets/tokens): the page sets `--palco-*` for a
 * dark scheme and the widgets inside inherit them, so pages and widgets look like one thing.
 */
export const pagesCss = `
:root {
  ${tokenDeclarations()}
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root {
    ${paletteDeclarations(darkPalette)}
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body {
  margin: 0; min-height: 100vh; display: flex; flex-direction: column;
  font-family: var(--_font); font-size: var(--_font-size); line-height: var(--_line-height);
  color: var(--_fg); background: var(--_page);
}
a { color: var(--_accent); text-underline-offset: 0.15em; }
:focus-visible { outline: 3px solid var(--_accent); outline-offset: 2px; border-radius: 4px; }

/* The one header (pages/site-header.tsx). */
.site-header { background: var(--_bg); border-bottom: 1px solid var(--_border); }
.site-header-inner {
  display: flex; align-items: center; justify-content: space-between; gap: var(--_space-2) var(--_space-4); flex-wrap: wrap;
  max-width: 1440px; margin: 0 auto; padding: var(--_space-3) clamp(var(--_space-3), 3vw, var(--_space-6));
}
.site-brand { display: flex; align-items: center; gap: var(--_space-3); min-width: 0; flex: 1 1 16rem; }
.site-heading { min-width: 0; }
.site-title { margin: 0; font-size: var(--_text-lg); line-height: 1.25; overflow-wrap: anywhere; }
.site-section { margin: 0; color: var(--_muted); font-size: var(--_text-sm); }
.site-home { display: inline-flex; align-items: center; gap: var(--_space-2); color: var(--_fg); font-weight: 800; font-size: var(--_text-lg); text-decoration: none; }
.site-brand .site-home + .site-section { border-left: 1px solid var(--_border); padding-left: var(--_space-3); }
.palco-mark { display: block; border-radius: var(--_radius-sm); }
/* A logo that fails to load shows this instead of the broken-image icon: Chromium and Firefox draw ::after only then. */
.event-logo { position: relative; flex: none; width: 44px; height: 44px; object-fit: contain; border-radius: var(--_radius-sm); }
.event-logo::after {
  content: attr(data-initials); position: absolute; inset: 0; display: grid; place-items: center;
  border-radius: inherit; background: var(--_accent-surface); color: var(--_accent); font-weight: 800; font-size: var(--_text-sm);
}
.site-tools { display: flex; align-items: center; justify-content: flex-end; gap: var(--_space-3); margin-left: auto; }
@media (max-width: 40rem) { .site-tools:has(.site-account) { width: 100%; } .site-tools .lang-switch { margin-left: auto; } }
.site-account { margin: 0; min-width: 0; display: flex; align-items: center; gap: var(--_space-2); flex-wrap: wrap; font-size: var(--_text-sm); overflow-wrap: anywhere; }
.site-role {
  padding: 1px 8px; border-radius: var(--_radius-pill); background: var(--_accent-surface); color: var(--_accent);
  font-size: var(--_text-xs); font-weight: 700;
}
.lang-switch {
  display: inline-flex; align-items: center; min-height: 2.25rem; padding: 0 var(--_space-3);
  border: 1px solid var(--_input-border); border-radius: var(--_radius-pill);
  font-size: var(--_text-sm); font-weight: 600; text-decoration: none;
}
.lang-switch:hover { background: var(--_surface); }
.sign-out { display: block; }
.sign-out-button {
  min-height: 2.25rem; padding: 0 var(--_space-3); font-size: var(--_text-sm); font-weight: 600; white-space: nowrap;
  color: var(--_fg); background: transparent; border: 1px solid var(--_input-border); border-radius: var(--_radius-pill);
}
.sign-out-button:hover { background: var(--_surface); filter: none; }

/* Form pages: registration, sign-in, the landing page and messages. */
.page { flex: 1; display: flex; flex-direction: column; width: 100%; max-width: 34rem; margin: 0 auto; padding: var(--_space-5) var(--_space-4) var(--_space-4); }
.card {
  background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius);
  padding: var(--_space-5) var(--_space-4); box-shadow: 0 10px 30px rgb(20 22 40 / 0.06);
}
@media (min-width: 40rem) { .page { padding-top: var(--_space-6); } .card { padding: var(--_space-6) 2.5rem; } }
.page-title { margin: 0 0 var(--_space-2); font-size: var(--_text-xl); line-height: 1.25; overflow-wrap: anywhere; }
h2 { font-size: var(--_text-lg); margin: 0 0 var(--_space-1); }
.intro { color: var(--_muted); margin: 0 0 var(--_space-5); }
.hint { color: var(--_muted); font-size: var(--_text-sm); margin: var(--_space-1) 0 0; }
.event-description { margin: 0 0 var(--_space-4); white-space: pre-line; overflow-wrap: anywhere; }
.schedule { margin: 0 0 var(--_space-5); padding: var(--_space-3) var(--_space-4); border-radius: var(--_radius-sm); background: var(--_surface); overflow-wrap: anywhere; }
.schedule p { margin: 0; }
.schedule-when { font-weight: 600; }
.schedule .countdown { margin-top: var(--_space-2); font-size: var(--_text-xl); font-weight: 800; font-variant-numeric: tabular-nums; }
.schedule .countdown.soon { font-size: var(--_text-lg); }
.schedule .calendar { margin-top: var(--_space-2); display: flex; flex-wrap: wrap; gap: 4px 14px; font-size: var(--_text-sm); }
.schedule .calendar-label { color: var(--_muted); }
.notice { margin: 0 0 var(--_space-5); padding: var(--_space-3) var(--_space-4); border-radius: var(--_radius-sm); background: var(--_surface); }
.notice p { margin: var(--_space-1) 0; }
form { display: grid; gap: var(--_space-4); }
.field { display: grid; gap: var(--_space-1); }
label { font-weight: 600; }
input {
  width: 100%; min-height: 2.75rem; font: inherit; color: var(--_fg); background: var(--_input-bg);
  padding: 0.6rem 0.75rem; border: 1px solid var(--_input-border); border-radius: var(--_radius-sm);
}
input:focus-visible { border-color: var(--_accent); }
input[aria-invalid="true"] { border-color: var(--_danger); border-width: 2px; }
.field-error { color: var(--_danger); font-size: var(--_text-sm); font-weight: 600; margin: 0; }
button {
  font: inherit; font-weight: 700; min-height: 2.75rem; padding: 0.6rem 1rem; cursor: pointer;
  color: var(--_accent-fg); background: var(--_accent); border: 1px solid var(--_accent); border-radius: var(--_radius-sm);
}
button:hover { filter: brightness(1.08); }
.error-summary {
  margin: 0 0 var(--_space-5); padding: var(--_space-3) var(--_space-4);
  border: 2px solid var(--_danger); border-radius: var(--_radius-sm); background: var(--_danger-surface);
}
.error-summary h2 { color: var(--_danger); }
.error-summary p, .error-summary ul { margin: var(--_space-1) 0 0; }
.error-summary ul { padding-left: 1.2rem; }
.alternate { margin: var(--_space-5) 0 0; text-align: center; }
.links { margin: var(--_space-4) 0 0; padding-left: 1.2rem; display: grid; gap: var(--_space-2); }
.footer { margin-top: auto; padding: var(--_space-5) 0 var(--_space-2); text-align: center; font-size: var(--_text-sm); color: var(--_muted); }

/* Pages built from widgets: watch, moderation, speaker, report, admin. */
.shell { flex: 1; width: 100%; max-width: 1440px; margin: 0 auto; padding: clamp(var(--_space-3), 3vw, var(--_space-6)); }
.shell.admin { max-width: 1200px; }
.watch {
  display: grid; gap: var(--_space-5); align-items: start;
  grid-template-columns: minmax(0, 1fr) minmax(300px, 380px); grid-template-areas: "player side" "about side" "polls side";
  grid-template-rows: auto auto 1fr;
}
.watch palco-player { grid-area: player; }
.watch palco-polls { grid-area: polls; }
.watch .side { grid-area: side; display: flex; flex-direction: column; gap: var(--_space-5); min-width: 0; }
.watch .about { grid-area: about; }
.mod { display: grid; gap: var(--_space-5); grid-template-columns: minmax(0, 3fr) minmax(320px, 2fr); align-items: start; }
@media (max-width: 900px) { .mod { grid-template-columns: minmax(0, 1fr); } }
.watch palco-chat { --palco-chat-height: 460px; }
/* On a phone the player stays in view (sticky) while the attendee reads and writes in the chat below it. */
@media (max-width: 900px) {
  .watch { grid-template-columns: minmax(0, 1fr); grid-template-areas: "player" "polls" "side" "about"; grid-template-rows: none; }
  .watch palco-player { position: sticky; top: 0; z-index: 2; background: var(--_page); padding-bottom: var(--_space-2); }
  .watch palco-chat { --palco-chat-height: 380px; }
}
.about { background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius); padding: var(--_space-5); }
.about-heading { display: flex; align-items: center; gap: var(--_space-3); margin-bottom: var(--_space-4); }
.about-heading .event-logo { width: 56px; height: 56px; }
.about-heading h2 { margin: 0; font-size: var(--_text-xl); overflow-wrap: anywhere; }
.about-kicker { margin: 0; color: var(--_muted); font-size: var(--_text-sm); font-weight: 600; }
.about-description { margin: 0 0 var(--_space-4); white-space: pre-line; overflow-wrap: anywhere; }
.about h3 { margin: 0 0 var(--_space-2); font-size: 1em; }
.about-steps { margin: 0; padding-left: 1.2rem; display: grid; gap: var(--_space-2); color: var(--_fg); }
.speaker palco-speaker-board { min-height: calc(100vh - 140px); }
/* The projector's page shows the presentation alone: no header, no margins. */
body:has(palco-speaker-board[mode="present"]) .site-header { display: none; }
.speaker:has(palco-speaker-board[mode="present"]) { max-width: none; padding: 0; }
.speaker palco-speaker-board[mode="present"] { min-height: 100vh; --palco-present-min-height: 100vh; }
`;

export const stylesheetPath = '/assets/pages.css';
