import { useState } from 'preact/hooks';
import { ErrorCode, Limits, errorText, isStaffRole, type Question } from '@palco/sdk';
import { CommonAttributes, type WidgetProps } from '../element.js';
import { ParticipationNotice, participation, participationStyles } from './participation.js';
import { AnswerLine, Announcer, ErrorLine, MessageComposer, Notice, SessionGate, useAction, useNewsAnnouncement, useSessionState } from '../shared.js';
import { announcedTextMax } from './chat.js';
import type { WidgetTexts } from '../texts.js';

export const QaAttributes = { ...CommonAttributes } as const;

/** Most votes first; among equals, the earliest asked. */
export function byVotes(a: Question, b: Question): number {
  return b.upvotes - a.upvotes || a.id - b.id;
}

export function statusText(question: Question, texts: WidgetTexts): string {
  switch (question.status) {
    case 'pending':
      return texts.statusPending;
    case 'rejected':
      return texts.statusRejected;
    case 'read':
      return texts.statusRead;
    default:
      return texts.statusApproved;
  }
}

/** Ask a question, see the approved ones, upvote each once. */
export function PalcoQa({ session, lang, texts, emit, host }: WidgetProps<typeof QaAttributes>) {
  const state = useSessionState(session);
  const ask = useAction(
    async (text: string) => {
      const question = await session.ask(text, anonymous);
      emit('palco:question-asked', { question });
    },
    lang,
    emit,
  );
  const vote = useAction((id: number) => session.upvote(id), lang, emit);
  const [asked, setAsked] = useState(false);
  const [anonymous, setAnonymous] = useState(false);
  // A question newly approved (not each vote that reorders the list) is worth a polite word.
  const news = useNewsAnnouncement(
    state.questions.filter((q) => q.status === 'approved'),
    (fresh) => texts.approvedNews(fresh.length, fresh.at(-1)!.question.slice(0, announcedTextMax)),
    state.status === 'live',
  );

  return (
    <section class="panel" part="panel" aria-labelledby="palco-qa-title">
      <div class="panel-header">
        <h2 id="palco-qa-title">{texts.qaTitle}</h2>
      </div>
      <SessionGate state={state} texts={texts} lang={lang} visibleTo="member" brief={!session.speaksFor(host)}>
        {() => {
          const user = state.user!;
          const visible = state.questions.filter((q) => (q.status === 'approved' || q.status === 'read') && !q.archived_at).sort(byVotes);
          const mine = state.questions.filter((q) => q.user_id === user.id && (q.status === 'pending' || q.status === 'rejected'));
          const mayWrite = participation(state) === 'open';
          const canVote = !isStaffRole(user.role) && mayWrite;
          return (
            <>
              <ParticipationNotice session={session} state={state} lang={lang} />
              {!mayWrite ? null : user.qa_blocked ? (
                <Notice tone="error">{errorText(ErrorCode.qaBlocked, lang)}</Notice>
              ) : (
                <>
                  <ErrorLine message={ask.error} />
                  <MessageComposer
                    id="palco-question-input"
                    label={texts.askLabel}
                    placeholder={texts.askPlaceholder}
                    button={texts.askButton}
                    maxLength={Limits.questionMax}
                    offline={state.reconnecting}
                    texts={texts}
                    onSend={async (text) => {
                      const sent = await ask.run(text);
                      setAsked(sent);
                      return sent;
                    }}
                  />
                  {state.event?.allow_anonymous_questions && (
                    <label class="check">
                      <input type="checkbox" checked={anonymous} onChange={(event) => setAnonymous(event.currentTarget.checked)} />
                      {texts.askAnonymously}
                    </label>
                  )}
                  {asked && (
                    <p class="hint" role="status">
                      {texts.asked}
                    </p>
                  )}
                </>
              )}
              {mine.length > 0 && (
                <div class="mine">
                  <h3>{texts.myQuestions}</h3>
                  <ul class="list">
                    {mine.map((question) => (
                      <li key={question.id} class="question" part="question">
                        <p class="text">{question.question}</p>
                        <span class="badge">{statusText(question, texts)}</span>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
              <h3>{texts.approvedQuestions}</h3>
              <ErrorLine message={vote.error} />
              {visible.length === 0 ? (
                <p class="hint">{texts.qaEmpty}</p>
              ) : (
                <ul class="list questions" part="list">
                  {visible.map((question) => {
                    const voted = state.voted.has(question.id);
                    return (
                      <li key={question.id} class="question" part="question">
                        <div class="body">
                          <div class="meta">
                            <bdi class="author">{question.user_name || texts.anonymous}</bdi>
                            {question.label && <span class="badge">{question.label}</span>}
                            {state.highlighted === question.id && <span class="badge accent">{texts.onScreen}</span>}
                            {question.status === 'read' && <span class="badge">{texts.statusRead}</span>}
                          </div>
                          <p class="text">{question.question}</p>
                        </div>
                        <div class="votes">
                          {canVote && question.status === 'approved' ? (
                            <button
                              type="button"
                              class="secondary small"
                              part="button"
                              aria-pressed={voted}
                              aria-label={texts.upvoteQuestion(question.user_name)}
                              disabled={voted || vote.pending}
                              onClick={() => vote.run(question.id)}
                            >
                              ▲ {voted ? texts.upvoted : texts.upvote}
                            </button>
                          ) : null}
                          <span class="meta">{texts.votes(question.upvotes)}</span>
                        </div>
                        {/* Below question and votes, the card's whole width: beside the votes a phone left it a sliver. */}
                        <AnswerLine question={question} texts={texts} />
                      </li>
                    );
                  })}
                </ul>
              )}
            </>
          );
        }}
      </SessionGate>
      <Announcer text={news} />
    </section>
  );
}

export const qaStyles = `
${participationStyles}
.questions { overflow-y: auto; min-height: 0; }
.question {
  display: flex; flex-wrap: wrap; gap: 10px; justify-content: space-between; align-items: flex-start;
  padding: 10px 12px; border-radius: var(--_radius-sm); background: var(--_surface);
}
.question .body { min-width: 0; flex: 1; }
.question > .answer { flex-basis: 100%; margin-top: 0; }
.question .meta { display: flex; gap: 6px; align-items: center; flex-wrap: wrap; }
.votes { display: flex; flex-direction: column; align-items: flex-end; gap: 4px; white-space: nowrap; }
.mine .list { margin-top: 6px; }
.check { display: flex; gap: 6px; align-items: center; font-weight: 400; }
.check input { width: auto; }
`;
