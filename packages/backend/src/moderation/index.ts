export { compileWordFilter, type WordFilter, type WordFilterOptions, type WordMatch } from './word-filter.js';
export { normaliseWord } from './reduce-text.js';
