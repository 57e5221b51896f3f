import uPlotStyles from 'uplot/dist/uPlot.min.css';
import { pollResultsStyles } from '../widgets/poll-results.js';

/** The report's layout: figures as cards, charts side by side on wide screens, tables that scroll sideways on phones. */
export const reportStyles = `${uPlotStyles}
${pollResultsStyles}
.poll-results { list-style: none; margin: 0; padding: 0; display: grid; gap: var(--_space-5); grid-template-columns: repeat(auto-fill, minmax(min(100%, 320px), 1fr)); }
.poll-question { display: flex; gap: var(--_space-2); flex-wrap: wrap; align-items: center; margin-bottom: var(--_space-2); }
.report { display: flex; flex-direction: column; gap: calc(var(--_gap) * 1.5); }
.report-header { display: flex; justify-content: space-between; align-items: flex-start; gap: 12px; flex-wrap: wrap; }
.report-header h2 { font-size: 1.3em; }
.report-status { display: flex; flex-direction: column; align-items: flex-end; gap: 4px; }
.badge.live { background: var(--_danger-surface); color: var(--_danger); }
.badge.live::before { content: "● "; }
.card { margin: 0; padding: 16px; background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius); min-width: 0; }
.figures { display: grid; gap: var(--_gap); grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); }
.figure { display: flex; flex-direction: column; gap: 2px; padding: 14px 16px; background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius); }
.figure-label { color: var(--_muted); font-size: .85em; }
.figure-value { font-size: var(--_text-2xl); line-height: 1.15; font-variant-numeric: tabular-nums; }
.statuses { display: grid; gap: var(--_gap); grid-template-columns: repeat(auto-fill, minmax(160px, 1fr)); }
.status { display: flex; align-items: baseline; gap: 8px; padding: 10px 14px; border-radius: var(--_radius); background: var(--_surface); }
.status strong { font-size: 1.3em; font-variant-numeric: tabular-nums; }
.status-pending { background: var(--_warning-surface); color: var(--_warning); }
.status-approved { background: var(--_success-surface); color: var(--_success); }
.status-read { background: var(--_accent-surface); color: var(--_accent); }
.status-rejected { background: var(--_bg); color: var(--_muted); box-shadow: inset 0 0 0 1px var(--_border); }
.charts { display: grid; gap: var(--_gap); grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); }
@media (max-width: 860px) { .charts { grid-template-columns: minmax(0, 1fr); } }
.chart-card h3 { margin-bottom: 8px; }
.chart { width: 100%; min-height: 240px; }
.uplot { font-family: inherit; }
.u-legend { font-size: .85em; color: var(--_muted); }
.downloads { display: flex; align-items: center; justify-content: space-between; gap: 12px; flex-wrap: wrap; }
.button-link {
  display: inline-flex; align-items: center; min-height: 2.2em; padding: .3em .9em; font-weight: 600; text-decoration: none;
  color: var(--_accent); border: 1px solid var(--_border); border-radius: var(--_radius-sm);
}
.button-link::before { content: "⬇ "; margin-right: 4px; }
.button-link:hover { background: var(--_surface); }
.table-card { display: flex; flex-direction: column; gap: 10px; }
.table-header { display: flex; justify-content: space-between; align-items: center; gap: 10px; flex-wrap: wrap; }
.table-tools { display: flex; gap: 8px; flex-wrap: wrap; flex: 1; justify-content: flex-end; }
.search { margin: 0; flex: 0 1 280px; min-width: 180px; }
select { font: inherit; padding: .5em .6em; border: 1px solid var(--_input-border); border-radius: var(--_radius-sm); background: var(--_input-bg); color: var(--_fg); }
.table-scroll { overflow-x: auto; -webkit-overflow-scrolling: touch; }
/* On a phone the table keeps readable columns and scrolls sideways inside its card. */
.table-scroll table { width: 100%; min-width: 640px; border-collapse: collapse; font-size: .92em; }
.table-scroll th, .table-scroll td { padding: 8px 10px; text-align: left; border-bottom: 1px solid var(--_border); vertical-align: top; }
.table-scroll th { white-space: nowrap; color: var(--_muted); font-weight: 600; }
.table-scroll td { overflow-wrap: break-word; }
.table-scroll .numeric { text-align: right; font-variant-numeric: tabular-nums; }
button.sort { all: unset; cursor: pointer; font-weight: 600; }
button.sort:focus-visible { outline: 3px solid color-mix(in srgb, var(--_accent) 55%, transparent); }
th[aria-sort] { color: var(--_fg); }
.pager { display: flex; justify-content: space-between; align-items: center; gap: 8px; flex-wrap: wrap; }
`;
