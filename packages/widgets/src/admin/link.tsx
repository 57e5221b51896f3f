import type { ComponentChildren } from 'preact';
import type { AdminContext } from './context.js';
import type { AdminView } from './routes.js';

/** A real link to a view; a plain click stays in the app, a middle or modified click opens a tab. */
export function ViewLink(props: {
  context: AdminContext;
  to: AdminView;
  class?: string;
  current?: boolean;
  children: ComponentChildren;
}) {
  return (
    <a
      href={props.context.href(props.to)}
      class={props.class}
      aria-current={props.current ? 'page' : undefined}
      onClick={(event) => {
        if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
        event.preventDefault();
        props.context.navigate(props.to);
      }}
    >
      {props.children}
    </a>
  );
}
