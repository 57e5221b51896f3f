// moderation.js, the moderator queue's own script tag: the queue is for a few of the event's
// staff, so its code stays out of embed.js, which every attendee downloads.
import { defineModerationElements } from './moderation-elements.js';

defineModerationElements();
