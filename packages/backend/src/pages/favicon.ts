import { lightPalette } from '@palco/widgets/tokens';

export const faviconSvgPath = '/favicon.svg';
export const faviconIcoPath = '/favicon.ico';

/** Palco's mark: a white P on the accent, for tabs, bookmarks and the header of pages without an event. */
export const faviconSvg = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="7" fill="${lightPalette.accent}"/><path fill="#fff" fill-rule="evenodd" d="M10 6h7.5a6.5 6.5 0 0 1 0 13H14.5v7H10zM14.5 10.5v4h3a2 2 0 0 0 0-4z"/></svg>`;

/**
 * The same mark as an ICO (one 32×32 PNG inside, which every current browser reads), for the
 * clients that ask for /favicon.ico without reading the page's <link rel="icon">. Rendered
 * from faviconSvg by Chromium; redo it if the mark changes.
 */
export const faviconIco = Buffer.from(
  'AAABAAEAICAAAAEAIABsAgAAFgAAAIlQTkcNChoKAAAADUlIRFIAAAAgAAAAIAgGAAAAc3p69AAAAiFJREFUeJzsl81LG0EYxp8Z1/QjtLY9SGPBBkopLS0k7SWSeGsr7a3SS21pg/TSY/tHFHrqpaUtlFbQiCJGPPl19ANPuhcVQUk0GtFT/BYTd3xnJSEBwy7r7ubiDyaZybzZ5+Gd2dl9FRQRDUxfy3p3P1M3RC0AhlrYgcAGfarUJqt3vd/b1GAmP8XynbfhsRcC+MsY6uAgQiBNoh9j45GBgoGWhokmVqUNwk0EXkoTrCUyep1czJAXH1xEZiKr8UcKE+wD5cFVcYlcag/X3is42XCVIqTQxgsxE5Edo+Gyc0c5gdTiHhZmtzHUk8Zaah9mkNqcUnEbZ6RKYfDf8+Lpq5v42hbQv80gtTlsptrDEf1yB89fm9tWthvI8+aTH7V1Fw3jFFhkTt3C3PSm3vdc4HgSuQFf/aXCvMzEs2YfYj8ScMYAicf/LRfGXb+S+NYexC3/5cJvdx9eMbyOrUswO7VZMi42Uw7LGTiNB49rSsbrqweG/7Fs4H6wBs2t9Xr/tD0gSczvGF7HuoHAVb2VI5cV+qHkmAEjuv8ksZLYM4yz3UD2UEPnzyRG4mum4m0xUPwsGO5NI71k7llwJgPx/6mSc8Aqjh3F5wbODZg2QG+n66gQUlsBE1SxsCaj4HeN47Ad0pZLoKJyqFzLKb8pGRm4jshIbd412ZCkUStcRmg8KrX1uyA21tgnazVZLsFhdA3S6pwI98txSU1SifL8GAAA//9lWtshAAAABklEQVQDAAWUtckArKuZAAAAAElFTkSuQmCC',
  'base64',
);
