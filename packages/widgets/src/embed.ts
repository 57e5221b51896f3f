// The script tag's entry: <script src="https://live.example.com/embed.js" async></script>.
// The moderator queue has its own, moderation.js.
import { defineAudienceElements } from './audience-elements.js';

defineAudienceElements();
