import { defineMissing, widgetElement } from '../element.js';
import { PalcoReport, ReportAttributes } from './report.js';
import { reportStyles } from './styles.js';

/** <palco-report event="…">: reads over HTTP only, so it opens no socket. */
export const PalcoReportElement = widgetElement({
  attributes: ReportAttributes,
  styles: reportStyles,
  component: PalcoReport,
  realtime: false,
});

/** Defines <palco-report> unless the page already has it. */
export function defineReportElement(registry: CustomElementRegistry = customElements): void {
  defineMissing(registry, { 'palco-report': PalcoReportElement });
}

declare global {
  interface HTMLElementTagNameMap {
    'palco-report': HTMLElement & { event: string | null; api: string | null; refresh: string | null };
  }
}
