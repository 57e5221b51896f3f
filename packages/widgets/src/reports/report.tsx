import { useEffect, useMemo, useState } from 'preact/hooks';
import {
  ErrorCode,
  errorText,
  type EventReport,
  type ParticipantReport,
  type ParticipantSort,
  type Question,
  type QuestionSort,
  type QuestionStatus,
  type ReportExport,
} from '@palco/sdk';
import { CommonAttributes, type WidgetProps } from '../element.js';
import type { WidgetClient } from '../event-session.js';
import { Notice } from '../shared.js';
import { ConcurrencyChart, DistributionChart } from './charts.js';
import { ReportTable, type Column } from './table.js';
import { formatters, type Formatters } from '../format.js';
import { PollResultsView } from '../widgets/poll-results.js';
import { pollTexts } from '../widgets/poll-texts.js';
import { reportTexts, type ReportTexts } from './texts.js';

export const ReportAttributes = {
  ...CommonAttributes,
  /** Seconds between refreshes while the event is live; 15 by default. */
  refresh: 'refresh',
} as const;

const defaultRefreshSeconds = 15;
const statuses: readonly QuestionStatus[] = ['pending', 'approved', 'read', 'rejected'];

function refreshSeconds(attribute: string | null): number {
  const seconds = Number(attribute);
  return Number.isFinite(seconds) && seconds >= 1 ? Math.min(seconds, 3600) : defaultRefreshSeconds;
}

/** The report, fetched again every few seconds while the event is live and once when it has closed. */
function useLiveReport(client: WidgetClient, everySeconds: number) {
  const [report, setReport] = useState<EventReport | null>(null);
  const [failure, setFailure] = useState<ErrorCode | null>(null);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const load = async () => {
      let live = true;
      try {
        const next = await client.report();
        if (stopped) return;
        setReport(next);
        setFailure(null);
        live = next.event.is_active;
      } catch (error) {
        if (stopped) return;
        const code = (error as { code?: ErrorCode }).code ?? ErrorCode.internalError;
        setFailure(code);
        // Signing in or being given the role needs the person: retrying would not help.
        if (code === ErrorCode.notAuthenticated || code === ErrorCode.forbidden || code === ErrorCode.eventNotFound) return;
      }
      if (live) timer = setTimeout(load, everySeconds * 1000);
    };
    void load();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [client, everySeconds]);
  return { report, failure };
}

function Figure(props: { label: string; value: string; detail?: string; name: string }) {
  return (
    <div class="figure" data-figure={props.name}>
      <span class="figure-label">{props.label}</span>
      <strong class="figure-value">{props.value}</strong>
      {props.detail && <span class="hint">{props.detail}</span>}
    </div>
  );
}

function Figures({ report, texts, format }: { report: EventReport; texts: ReportTexts; format: Formatters }) {
  const live = report.event.is_active;
  return (
    <div class="figures">
      {live && <Figure name="active_now" label={texts.activeNow} value={format.number(report.active_now)} />}
      <Figure name="registered" label={texts.registered} value={format.number(report.total_participants)} />
      <Figure name="watchers" label={texts.watchers} value={format.number(report.watch.watchers)} />
      <Figure
        name="peak"
        label={texts.peak}
        value={report.peak ? format.number(report.peak.viewers) : '—'}
        detail={report.peak ? texts.peakAt(format.time(report.peak.at)) : texts.noPeak}
      />
      <Figure name="total_minutes" label={texts.totalMinutes} value={format.number(report.watch.total_minutes)} />
      <Figure name="average_minutes" label={texts.averageMinutes} value={format.number(report.watch.average_minutes)} />
      <Figure name="chat_messages" label={texts.chatMessages} value={format.number(report.chat_messages)} />
      <Figure name="questions" label={texts.questions} value={format.number(report.questions.total)} />
    </div>
  );
}

/**
 * A download link. On the backend's own pages the session cookie goes with it; on another
 * site the token does not, so the file is fetched with it and saved from memory, BOM first.
 */
function CsvLink({ client, kind, label, lang, slug }: { client: WidgetClient; kind: ReportExport; label: string; lang: 'es' | 'en'; slug: string }) {
  const fileName = `${slug}-${kind}.csv`;
  const saveWithToken = async (event: MouseEvent) => {
    event.preventDefault();
    const text = await client.reportCsv(kind);
    const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }));
    const link = Object.assign(document.createElement('a'), { href: url, download: fileName });
    link.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <a class="button-link" href={client.reportCsvUrl(kind, lang)} download={fileName} onClick={client.token ? saveWithToken : undefined}>
      {label}
    </a>
  );
}

function participantColumns(texts: ReportTexts, format: Formatters): Array<Column<ParticipantReport, ParticipantSort>> {
  return [
    { label: texts.name, sort: 'name', cell: (row) => row.name },
    { label: texts.email, sort: 'email', cell: (row) => row.email },
    { label: texts.phone, sort: 'phone', cell: (row) => row.phone ?? '' },
    { label: texts.registeredAt, sort: 'registered_at', cell: (row) => format.dateTime(row.registered_at) },
    { label: texts.minutes, sort: 'minutes', numeric: true, cell: (row) => format.number(row.total_minutes) },
    { label: texts.pollAnswers, numeric: true, cell: (row) => format.number(row.poll_answers) },
  ];
}

function questionColumns(texts: ReportTexts, format: Formatters): Array<Column<Question, QuestionSort>> {
  return [
    { label: texts.question, cell: (row) => <span class="text">{row.question}</span> },
    { label: texts.author, cell: (row) => row.user_name },
    { label: texts.votes, sort: 'votes', numeric: true, cell: (row) => format.number(row.upvotes) },
    { label: texts.statusColumn, sort: 'status', cell: (row) => <span class={`badge status-${row.status}`}>{texts.statusOne[row.status]}</span> },
    { label: texts.askedAt, sort: 'created_at', cell: (row) => format.time(row.created_at) },
  ];
}

/** <palco-report>: the event's analytics for its moderators and administrators. */
export function PalcoReport({ session, lang, texts: widgetTexts, attributes }: WidgetProps<typeof ReportAttributes>) {
  const client = session.client;
  const texts = reportTexts(lang);
  const format = formatters(lang);
  const { report, failure } = useLiveReport(client, refreshSeconds(attributes.refresh));
  const [status, setStatus] = useState<QuestionStatus | ''>('');
  const participants = useMemo(() => participantColumns(texts, format), [texts, format]);
  const questions = useMemo(() => questionColumns(texts, format), [texts, format]);

  if (!report) {
    if (failure === ErrorCode.notAuthenticated) return <Notice>{texts.signIn}</Notice>;
    if (failure === ErrorCode.forbidden) return <Notice tone="error">{widgetTexts.forbidden}</Notice>;
    if (failure) return <Notice tone="error">{errorText(failure, lang)}</Notice>;
    return <Notice>{widgetTexts.loading}</Notice>;
  }

  const live = report.event.is_active;
  const version = `${report.generated_at}|${lang}`;
  return (
    <section class="report" part="panel" aria-labelledby="palco-report-title" data-state={live ? 'live' : 'final'}>
      <header class="report-header">
        <div>
          <h2 id="palco-report-title">{texts.title}</h2>
          <p class="hint">{report.event.title}</p>
        </div>
        <div class="report-status">
          <span class={live ? 'badge live' : 'badge accent'}>{live ? texts.live : texts.final}</span>
          <span class="hint" data-updated-at={report.generated_at}>
            {texts.updatedAt(format.timeWithSeconds(report.generated_at))}
          </span>
        </div>
      </header>
      {failure && <Notice tone="error">{errorText(failure, lang)}</Notice>}

      <Figures report={report} texts={texts} format={format} />

      <div class="statuses" aria-label={texts.byStatus} role="group">
        {statuses.map((name) => (
          <div class={`status status-${name}`} data-status={name}>
            <strong>{format.number(report.questions[name])}</strong>
            <span>{texts.status[name]}</span>
          </div>
        ))}
      </div>

      <div class="charts">
        <figure class="card chart-card" data-chart="concurrency">
          <figcaption>
            <h3>{texts.concurrencyTitle}</h3>
          </figcaption>
          <ConcurrencyChart report={report} texts={texts} format={format} version={version} />
        </figure>
        <figure class="card chart-card" data-chart="distribution">
          <figcaption>
            <h3>{texts.distributionTitle}</h3>
          </figcaption>
          <DistributionChart report={report} texts={texts} version={version} />
        </figure>
      </div>

      <nav class="card downloads" aria-label={texts.downloads}>
        <h3>{texts.downloads}</h3>
        <div class="actions">
          <CsvLink client={client} kind="participants" label={texts.downloadParticipants} lang={lang} slug={report.event.slug} />
          <CsvLink client={client} kind="questions" label={texts.downloadQuestions} lang={lang} slug={report.event.slug} />
          <CsvLink client={client} kind="chat" label={texts.downloadChat} lang={lang} slug={report.event.slug} />
          <CsvLink client={client} kind="polls" label={texts.downloadPolls} lang={lang} slug={report.event.slug} />
          <CsvLink client={client} kind="moderation" label={texts.downloadModeration} lang={lang} slug={report.event.slug} />
        </div>
      </nav>

      {report.polls.length > 0 && (
        <section class="card polls" aria-labelledby="palco-report-polls">
          <h3 id="palco-report-polls">{texts.pollsTitle}</h3>
          <ol class="poll-results">
            {report.polls.map(({ poll, results }) => (
              <li key={poll.id} data-poll={poll.id}>
                <p class="poll-question">
                  <strong>{poll.question}</strong> <span class="badge">{pollTexts[lang].kinds[poll.kind]}</span>{' '}
                  <span class="badge">{pollTexts[lang].statuses[poll.status]}</span>
                </p>
                <PollResultsView poll={poll} results={results} texts={pollTexts[lang]} />
              </li>
            ))}
          </ol>
        </section>
      )}

      <ReportTable
        id="questions"
        title={texts.questionsTitle}
        columns={questions}
        rowKey={(row) => row.id}
        load={(request) => client.reportQuestions({ ...request, ...(status ? { status } : {}) })}
        initialSort="votes"
        initialDir="desc"
        searchPlaceholder={texts.searchQuestions}
        texts={texts}
        format={format}
        lang={lang}
        reloadKey={report.generated_at}
        filterKey={status}
        filters={
          <select aria-label={texts.byStatus} value={status} onChange={(event) => setStatus(event.currentTarget.value as QuestionStatus | '')}>
            <option value="">{texts.allStatuses}</option>
            {statuses.map((name) => (
              <option value={name}>{texts.status[name]}</option>
            ))}
          </select>
        }
      />

      <ReportTable
        id="participants"
        title={texts.participantsTitle}
        columns={participants}
        rowKey={(row) => row.user_id}
        load={(request) => client.reportParticipants(request)}
        initialSort="registered_at"
        initialDir="asc"
        searchPlaceholder={texts.searchParticipants}
        texts={texts}
        format={format}
        lang={lang}
        reloadKey={report.generated_at}
      />
    </section>
  );
}
