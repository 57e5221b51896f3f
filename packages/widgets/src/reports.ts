// reports.js, the report's own script tag: uPlot makes it heavier than embed.js, which stays lean.
import { defineReportElement } from './reports/element.js';

defineReportElement();
