import { useState } from 'preact/hooks';
import { ErrorCode, errorText, isStaffRole, type Lang } from '@palco/sdk';
import type { EventSession, SessionState } from '../event-session.js';
import { journeyTexts } from '../journey-texts.js';
import { ErrorLine } from '../shared.js';
import { describeFailure } from '../texts.js';

/**
 * Whether the person may write (chat, ask, vote, answer) now: `replay` while the event is on
 * demand, `confirm` while an attendee of an event with `require_confirmation` has not opened
 * the link in their inbox (or the server just said so), `open` otherwise.
 */
export function participation(state: SessionState): 'open' | 'replay' | 'confirm' {
  if (state.event?.state === 'on_demand') return 'replay';
  const user = state.user;
  if (state.confirmationNeeded) return 'confirm';
  if (state.event?.require_confirmation && user && !user.confirmed && !isStaffRole(user.role)) return 'confirm';
  return 'open';
}

/**
 * What a widget shows instead of its box to write in when the person may not write: one line
 * saying it is a replay, or why to confirm the email with a button that mails the link again
 * and says where to look.
 */
export function ParticipationNotice({ session, state, lang }: { session: EventSession; state: SessionState; lang: Lang }) {
  const texts = journeyTexts(lang);
  const [sent, setSent] = useState(false);
  const [pending, setPending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const kind = participation(state);
  if (kind === 'open') return null;
  if (kind === 'replay') {
    return (
      <p class="replay-note" part="replay-note" role="note">
        {texts.replayLine}
      </p>
    );
  }
  const resend = async () => {
    setPending(true);
    setProblem(null);
    try {
      await session.requestSignInLink();
      setSent(true);
    } catch (error) {
      setProblem(describeFailure(error, lang));
    } finally {
      setPending(false);
    }
  };
  return (
    <div class="confirm-note" part="confirm-note">
      <p>
        <strong>{texts.confirmTitle}</strong>
        {errorText(ErrorCode.confirmationRequired, lang)}
      </p>
      <button type="button" class="secondary small" part="button" disabled={pending} onClick={resend}>
        {pending ? texts.resending : texts.resend}
      </button>
      <p class="hint" role="status">
        {sent && state.user && state.event ? texts.resent(state.user.email, texts.signInSubject(state.event.title)) : ''}
      </p>
      <ErrorLine message={problem} />
    </div>
  );
}

export const participationStyles = `
.replay-note { margin: 0; padding: 6px 10px; border-radius: var(--_radius-sm); font-size: var(--_text-sm); background: var(--_accent-surface); color: var(--_accent); font-weight: 600; }
.confirm-note { display: flex; flex-direction: column; align-items: flex-start; gap: var(--_space-2); padding: var(--_space-3); border-radius: var(--_radius-sm); background: var(--_warning-surface); color: var(--_warning); }
.confirm-note p { margin: 0; max-width: 100%; overflow-wrap: anywhere; }
.confirm-note strong { display: block; color: var(--_fg); }
.confirm-note .hint:empty { display: none; }
`;
