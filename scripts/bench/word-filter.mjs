// node scripts/bench/word-filter.mjs [--words 500] [--batches 300] [--batch 200] [--budget-us 50]
//
// The chat word filter's cost per message: an event's list of --words blocked words plus the
// default Spanish and English lists, against a mix of ordinary chat messages in both languages
// and a few that hold blocked words, some disguised. Prints the median and p95 of the mean cost
// per message over --batches batches of --batch messages, and fails when the median is over
// --budget-us. Runs on the build (npm run build); `npm run bench` runs it before the load bench.
import { cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { compileWordFilter } from '../../packages/backend/dist/index.js';
import { summarize } from './stats.mjs';

const { values: flags } = parseArgs({
  options: {
    words: { type: 'string', default: '500' },
    batches: { type: 'string', default: '300' },
    batch: { type: 'string', default: '200' },
    'budget-us': { type: 'string', default: '50' },
  },
});
const wordCount = Number(flags.words);
const batches = Number(flags.batches);
const batchSize = Number(flags.batch);
const budgetUs = Number(flags['budget-us']);

/** A fixed pseudo-random sequence, so every run compiles the same list. */
function random(seed) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

/** Made-up words of two to four Spanish-like syllables, one in ten a two-word phrase. */
function blockedWords(count, seed) {
  const next = random(seed);
  const syllables = ['ba', 'ca', 'che', 'do', 'fi', 'ga', 'jo', 'lu', 'ma', 'ne', 'ño', 'pi', 'que', 'rra', 'sol', 'ta', 'tri', 'vo', 'za', 'ble'];
  const word = () => Array.from({ length: 2 + Math.floor(next() * 3) }, () => syllables[Math.floor(next() * syllables.length)]).join('');
  const words = new Set();
  while (words.size < count) words.add(next() < 0.1 ? `${word()} ${word()}` : word());
  return [...words];
}

const messages = [
  'Hola a todos, ¿a qué hora empieza la segunda parte de la charla?',
  'Great talk, thanks! Can you share the slides afterwards?',
  'No se escucha bien el audio, ¿alguien más tiene el problema?',
  '¡Buenísimo! 👏👏👏',
  'Where can I find the recording?',
  'Saludos desde Bogotá 🇨🇴',
  '¿Habrá certificado de asistencia?',
  'The demo at minute 12 was impressive, what stack is that?',
  'Muy interesante el análisis de los datos del último trimestre.',
  '+1 a la pregunta anterior',
  'Can you repeat the last point about pricing? I missed it.',
  'Gracias por la computadora nueva, funciona genial jajaja',
  'qué mierda de conexión',
  'this is fucking great',
  'p u t a madre, se cortó otra vez',
  'Se ve pixelado en el móvil, en el portátil va bien.',
  'Una pregunta para la ponente: ¿cómo escaláis la base de datos en picos de tráfico?',
  'ok',
  'Is there a Spanish version of the documentation?',
  'Feliz cumpleaños a la organizadora 🎂',
];

const filter = compileWordFilter({ words: blockedWords(wordCount, 42) });
const compileStart = process.hrtime.bigint();
compileWordFilter({ words: blockedWords(wordCount, 7) });
const compileMs = Number(process.hrtime.bigint() - compileStart) / 1e6;

let sink = 0;
for (let i = 0; i < 5_000; i += 1) sink += filter.match(messages[i % messages.length]).words.length;

const perMessageUs = [];
for (let b = 0; b < batches; b += 1) {
  const start = process.hrtime.bigint();
  for (let i = 0; i < batchSize; i += 1) sink += filter.match(messages[(b * batchSize + i) % messages.length]).words.length;
  perMessageUs.push(Number(process.hrtime.bigint() - start) / 1e3 / batchSize);
}
const stats = summarize(perMessageUs);
const [load1] = loadavg();

console.log(`word filter: ${wordCount} event words + default es/en lists, ${messages.length} messages cycled, ${batches} batches of ${batchSize}`);
console.log(`  compiling another list of ${wordCount} words (default lists already compiled): ${compileMs.toFixed(1)} ms`);
console.log(`  per message: median ${stats.p50.toFixed(2)} µs, p95 ${stats.p95.toFixed(2)} µs (budget ${budgetUs} µs)`);
console.log(`  conditions: Node ${process.versions.node}, ${cpus().length} cores, load average ${load1.toFixed(2)} (${sink} matches)`);
if (stats.p50 > budgetUs) {
  console.error(`word filter: the median ${stats.p50.toFixed(2)} µs is over the budget of ${budgetUs} µs`);
  process.exit(1);
}
