import { DataSet, englishDataset, parseRawPattern, pattern, type ParsedPattern } from 'obscenity';

/*
 * The default Spanish list. Seeded from the Spanish list of "List of Dirty, Naughty, Obscene,
 * and Otherwise Bad Words" (Shutterstock, CC BY 4.0, as packaged by naughty-words 1.2), then
 * curated for a chat under a live event: out went the ordinary words it lists (concha, martillo,
 * infierno, sexo, orina, heroína, idiota, drogas, pinche, paja…), kept are the insults and
 * obscenities, with their plurals and inflections, and a few Latin American ones it lacks
 * (puto, chingar, culero, pelotudo, malparido, hijueputa) were added.
 *
 * Patterns are obscenity's: `|` is a word boundary, `[x]` an optional part, `?` any one
 * letter. They are written in the form the filter reduces text to (reduce-text.ts: lower case,
 * no accents but ñ, each letter single except l, r, c, n, b, e, o, s and g, which may come
 * doubled). Every word of a Spanish dictionary was run through the filter to find the
 * ordinary words these patterns must leave alone.
 */

/**
 * A Spanish pattern whose o and e may come doubled: the reduced text keeps "oo" and "ee" for
 * English words, and "coñooooo" reduces to "coñoo".
 */
function spanish(raw: string): ParsedPattern {
  return parseRawPattern(raw.replace(/[oe]/g, '$&[$&]'));
}

/** `|stem+ending|` for each ending: the word and its inflections, never a longer word. */
function inflected(stem: string, endings: readonly string[]) {
  return endings.map((ending) => spanish(`|${stem}${ending}|`));
}

const plural = ['', 's'];

const entries: Array<{ word: string; patterns: ParsedPattern[] }> = [
  { word: 'cabrón', patterns: inflected('cabron', ['', 'es', 'a', 'as', 'azo', 'azos']) },
  { word: 'coño', patterns: inflected('coño', plural) },
  // Not "cálculo", "vehículo", "película": the word starts at a boundary.
  { word: 'culo', patterns: inflected('culo', plural) },
  { word: 'culero', patterns: inflected('culer', ['o', 'os', 'a', 'as']) },
  // Not "folleto" nor "follaje".
  {
    word: 'follar',
    patterns: inflected('foll', ['ar', 'ando', 'a', 'as', 'o', 'an', 'ada', 'adas', 'ado', 'ados', 'ador', 'adora', 'adores', 'adoras']),
  },
  { word: 'gilipollas', patterns: [spanish('gilipoll'), spanish('jilipoll')] },
  { word: 'hijo de puta', patterns: [spanish('|hij?puta'), spanish('|hij?deputa'), spanish('|hijueputa')] },
  { word: 'lameculos', patterns: inflected('lameculo', plural) },
  { word: 'mamada', patterns: inflected('mamada', plural) },
  { word: 'marica', patterns: inflected('marica', plural) },
  { word: 'maricón', patterns: [spanish('|maricon')] },
  { word: 'mierda', patterns: [spanish('mierd')] },
  { word: 'pendejo', patterns: [spanish('|pendej')] },
  // Not "pollo", "pollito", "ampollas" nor "repollo".
  { word: 'polla', patterns: [...inflected('polla', plural), ...inflected('chupapolla', plural), ...inflected('soplapolla', plural)] },
  // Not "computadora", "disputa", "diputado", "reputación", "imputado", "putativo".
  { word: 'puta', patterns: inflected('puta', plural) },
  { word: 'puto', patterns: inflected('puto', plural) },
  { word: 'ramera', patterns: inflected('ramera', plural) },
  { word: 'verga', patterns: inflected('verga', plural) },
  // Not "bollería".
  { word: 'bollera', patterns: inflected('bollera', plural) },
  { word: 'chingar', patterns: [...inflected('chinga', ['', 'r', 's']), spanish('|chingad')] },
  { word: 'pelotudo', patterns: [spanish('|pelotud')] },
  { word: 'malparido', patterns: [spanish('|malparid')] },
  { word: 'concha de tu madre', patterns: [spanish('|concha de tu madre|'), spanish('|concha tu madre|'), spanish('|conchatumadre|')] },
];

/** Metadata of each phrase: the word a match reports. */
export interface WordMetadata {
  originalWord: string;
}

function datasetOf(list: typeof entries): DataSet<WordMetadata> {
  return list.reduce(
    (dataset, entry) =>
      dataset.addPhrase((phrase) => entry.patterns.reduce((built, item) => built.addPattern(item), phrase.setMetadata({ originalWord: entry.word }))),
    new DataSet<WordMetadata>(),
  );
}

export const spanishDataset = datasetOf(entries);

/**
 * obscenity's English list, less what misfires in a Spanish-speaking chat: "negro" is the
 * Spanish for black, and "anal" glued after other letters (danal, panal, tanal…) is also
 * "ventanal", "panal", "mundanal", so "anal" counts only as a word of its own.
 */
export const englishDatasetForSpanishChats = new DataSet<WordMetadata>()
  .addAll(englishDataset as DataSet<WordMetadata>)
  .removePhrasesIf((phrase) => phrase.metadata?.originalWord === 'negro' || phrase.metadata?.originalWord === 'anal')
  .addPhrase((phrase) => phrase.setMetadata({ originalWord: 'anal' }).addPattern(pattern`|anal|`));

/**
 * Ordinary words that hold a pattern of the English list, in the form the whitelist reads text
 * (lower case, no accents but ñ, nothing collapsed): a match inside one of them does not count.
 * Found by running every word of a Spanish and an English dictionary through the filter.
 */
export const ordinaryWordsWithEnglishMatches: readonly string[] = [
  // Spanish
  'cumpl', // cumplir, cumpleaños, cumplido
  'retardo',
  'retardar',
  'retardac',
  'retardador',
  'bestial', // "¡bestial!": great
  'sement', // semental, sementera
  'semenc',
  'fagot', // the bassoon
  'fagoc',
  'fagac',
  'invagina',
  'bastardill', // italic type
  'rapero', // rapper
  'rapera',
  // English
  'assort',
  'assonan',
  'assyria',
  'traffick',
  'feckless',
  'cockpit',
  'cumin',
  'cummerbund',
  'cumquat',
  'pussycat',
  'pussyfoot',
  'niggard',
  'retardant',
  'retardation',
  'shiitake',
  'rapped',
];
