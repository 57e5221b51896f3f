import type { ErrorCode, Question, SessionUser, WaitlistedResult } from '@palco/sdk';

/** The DOM events the elements dispatch (bubbling and composed, so the producer's page hears them). */
export interface PalcoEventDetails {
  /** A new attendee registered through <palco-register>. */
  'palco:registered': { user: SessionUser };
  /** The event was full: the person is on its waitlist, with no session until an administrator admits them. */
  'palco:waitlisted': { user: WaitlistedResult['user'] };
  /** Someone signed in: with the login form, an identity token, or an earlier registration. */
  'palco:signed-in': { user: SessionUser };
  'palco:signed-out': Record<string, never>;
  /** The realtime session is open: chat, questions and live numbers flow. */
  'palco:ready': { user: SessionUser };
  'palco:closed': { message: string };
  'palco:question-asked': { question: Question };
  'palco:error': { code: ErrorCode; message: string };
}
export type PalcoEventName = keyof PalcoEventDetails;
export type PalcoEvent<N extends PalcoEventName> = CustomEvent<PalcoEventDetails[N]>;

declare global {
  interface HTMLElementEventMap extends PalcoEventMap {}
}
/** `element.addEventListener('palco:closed', (e) => e.detail.message)` is typed through this map. */
export type PalcoEventMap = { [N in PalcoEventName]: PalcoEvent<N> };

export type EmitPalcoEvent = <N extends PalcoEventName>(name: N, detail: PalcoEventDetails[N]) => void;

export function emitFrom(target: EventTarget): EmitPalcoEvent {
  return (name, detail) => target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true }));
}
