import { useEffect, useRef, useState } from 'preact/hooks';
import type { EventSession } from '../event-session.js';
import { useSessionState } from '../shared.js';

interface Floating {
  key: number;
  emoji: string;
  /** Percent from the left edge. */
  left: number;
}

/** Emoji drawn per `reactions` frame at most: a crowd's 500 taps still float a handful. */
const perFrame = 12;
/** How long one emoji floats, in ms (the CSS animation's length). */
const floatMs = 2_400;

/**
 * The audience's reactions floating up over the player. Each `reactions` frame (one per
 * 500 ms) adds a few emoji, in proportion to the counts; with prefers-reduced-motion they
 * appear and fade in place instead of moving.
 */
export function ReactionsFloat({ session }: { session: EventSession }) {
  const { reactions } = useSessionState(session);
  const [floating, setFloating] = useState<Floating[]>([]);
  const timers = useRef(new Set<ReturnType<typeof setTimeout>>());
  useEffect(() => () => timers.current.forEach(clearTimeout), []);
  useEffect(() => {
    if (!reactions) return;
    const entries = Object.entries(reactions.counts).filter(([, count]) => count > 0);
    const total = entries.reduce((sum, [, count]) => sum + count, 0);
    const added: Floating[] = [];
    for (const [emoji, count] of entries) {
      const shown = Math.max(1, Math.round((count / total) * Math.min(total, perFrame)));
      for (let n = 0; n < shown; n += 1) added.push({ key: reactions.seq * 100 + added.length, emoji, left: 5 + Math.random() * 80 });
    }
    setFloating((current) => [...current, ...added].slice(-perFrame * 3));
    const timer = setTimeout(() => {
      timers.current.delete(timer);
      setFloating((current) => current.filter((item) => !added.includes(item)));
    }, floatMs);
    timers.current.add(timer);
  }, [reactions?.seq]);
  return (
    <div class="reactions-float" aria-hidden="true">
      {floating.map((item) => (
        <span key={item.key} class="float-emoji" style={{ left: `${item.left}%` }}>
          {item.emoji}
        </span>
      ))}
    </div>
  );
}

export const reactionsFloatStyles = `
.with-reactions { position: relative; }
.reactions-float { position: absolute; inset: 0; pointer-events: none; overflow: hidden; border-radius: var(--_radius); }
.float-emoji { position: absolute; bottom: 4%; font-size: clamp(1.4em, 3vw, 2.2em); animation: palco-float ${floatMs}ms ease-out forwards; }
@keyframes palco-float { from { transform: translateY(0); opacity: 1; } to { transform: translateY(-70cqh); opacity: 0; } }
.reactions-float { container-type: size; }
@media (prefers-reduced-motion: reduce) {
  .float-emoji { animation: palco-fade ${floatMs}ms linear forwards; }
  @keyframes palco-fade { from { opacity: 1; } to { opacity: 0; } }
}
`;
