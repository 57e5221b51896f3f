/** The admin app's own styles, on top of the widgets' shared ones (same tokens, same look). */
export const adminStyles = `
.app, .event-page, .stack, .form { display: flex; flex-direction: column; gap: var(--_gap); }
.app-bar { display: flex; align-items: center; gap: 10px; flex-wrap: wrap; }
.app-bar .app-title { font-weight: 800; font-size: 1.05em; margin-right: auto; }
a { color: var(--_accent); font-weight: 600; text-decoration: none; overflow-wrap: anywhere; }
a:hover, a:focus-visible { text-decoration: underline; }
a.button {
  display: inline-flex; align-items: center; padding: .5em 1em; min-height: 2.5em;
  color: var(--_accent-fg); background: var(--_accent); border-radius: var(--_radius-sm);
}
.panel { height: auto; }
.sign-in { max-width: 420px; margin: 0 auto; width: 100%; }
.back { align-self: flex-start; font-size: .9em; }
.event-heading { font-size: 1.3em; overflow-wrap: anywhere; }
.card {
  display: flex; flex-wrap: wrap; gap: 8px 16px; align-items: center; justify-content: space-between;
  padding: 12px 14px; border: 1px solid var(--_border); border-radius: calc(var(--_radius) * .75); background: var(--_bg);
}
.card-main { display: flex; flex-direction: column; gap: 2px; min-width: 0; flex: 1 1 220px; }
.card-side { display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
.card .wide { flex-basis: 100%; min-width: 0; }
.event-title { font-size: 1.05em; }
.url { overflow-wrap: anywhere; }
.badge.open, .badge.status-delivered { background: var(--_success-surface); color: var(--_success); }
.badge.status-failed { background: var(--_danger-surface); color: var(--_danger); }
.badge.status-pending, .badge.status-sending { background: var(--_warning-surface); color: var(--_warning); }
.links { list-style: none; margin: 0; padding: 0; display: flex; gap: 6px 14px; flex-wrap: wrap; }
.tabs { display: flex; gap: 4px; flex-wrap: wrap; border-top: 1px solid var(--_border); padding-top: 10px; }
.tab { padding: .4em .8em; border-radius: 999px; color: var(--_muted); }
.tab[aria-current="page"] { background: var(--_accent-surface); color: var(--_accent); }
.field { display: flex; flex-direction: column; min-width: 0; }
.field .hint { margin-top: 4px; }
.grid { display: grid; gap: var(--_gap); grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); }
.slug-preview { font-family: var(--_font-mono); color: var(--_fg); overflow-wrap: anywhere; }
.preview { max-width: 520px; }
select {
  width: 100%; font: inherit; color: var(--_fg); background: var(--_input-bg);
  padding: .55em .7em; border: 1px solid var(--_input-border); border-radius: var(--_radius-sm);
}
fieldset { border: 1px solid var(--_border); border-radius: var(--_radius-sm); padding: 8px 12px; margin: 0; }
legend { font-size: .9em; font-weight: 600; padding: 0 4px; }
label.check { display: flex; align-items: center; gap: 8px; font-weight: 400; margin: 4px 0; }
label.check input { width: auto; }
/* A choice's one-line explanation sits under its label, lined up with the text. */
.choice .hint { margin: -2px 0 6px 24px; }
.badge.status-sent, .badge.state-live { background: var(--_success-surface); color: var(--_success); }
.badge.status-skipped { background: var(--_surface); color: var(--_muted); }
.mail-view { display: flex; flex-direction: column; gap: 10px; }
.mail-view iframe { position: static; display: block; width: 100%; height: 520px; border: 1px solid var(--_border); border-radius: var(--_radius-sm); background: #fff; }
.mail-view pre { white-space: pre-wrap; overflow-wrap: anywhere; }
.mail-view .row > :first-child { flex: none; }
.inline-form { flex-basis: 100%; flex-wrap: wrap; }
/* The buttons under a password or access code keep their own width (a .row stretches its first child). */
.password-field .row > :first-child, .form > .row > :first-child { flex: none; }
.success { color: var(--_success); font-size: var(--_text-sm); }
.confirmation {
  margin: 0 0 var(--_gap); padding: 12px 16px; border-radius: var(--_radius-sm); font-weight: 600;
  background: var(--_success-surface); color: var(--_success); overflow-wrap: anywhere;
}
.snippet { position: relative; display: flex; flex-direction: column; gap: 8px; align-items: flex-start; }
pre {
  margin: 0; width: 100%; overflow-x: auto; padding: 12px 14px; background: var(--_player-bg); color: var(--_player-fg);
  border-radius: var(--_radius-sm); font-size: .85em; line-height: 1.5;
}
code { font-family: var(--_font-mono); }
code.secret {
  display: block; padding: 6px 8px; background: var(--_surface); border-radius: 6px; font-size: .85em;
  overflow-wrap: anywhere; min-width: 0;
}
.row { flex-wrap: wrap; }
.table-wrap { overflow-x: auto; }
table { width: 100%; border-collapse: collapse; font-size: .92em; }
th, td { text-align: left; padding: 8px 10px; border-bottom: 1px solid var(--_border); vertical-align: top; }
th { color: var(--_muted); font-weight: 600; font-size: .88em; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: end; }
td.changes { overflow-wrap: anywhere; font-size: .88em; }
ol.questions { list-style: none; padding: 0; margin: 0; }
.dialog-backdrop {
  position: fixed; inset: 0; z-index: 10; display: grid; place-items: center; padding: 16px;
  background: rgb(13 17 23 / 55%);
}
.dialog {
  width: min(460px, 100%); display: flex; flex-direction: column; gap: 12px; padding: 20px;
  background: var(--_bg); border-radius: var(--_radius); box-shadow: 0 20px 50px rgb(0 0 0 / 25%);
}
@media (max-width: 600px) {
  .panel { padding: 12px; }
  .card-side { width: 100%; }
  .actions > button { flex: 1 1 auto; }
}
`;
