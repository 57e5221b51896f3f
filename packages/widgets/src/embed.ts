// The script tag's entry: <script src="https://live.example.com/embed.js" async></script>.
import { defineElements } from './elements.js';

defineElements();
