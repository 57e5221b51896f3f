import { toString } from 'qrcode';

/**
 * An SVG QR code of `text` (markup, `viewBox` only, so it scales to its box). Built as its own
 * module, dist/qr-code.js, served at /embed/qr-code.js and imported by the speaker board's
 * presentation only: the qrcode library would add a third to embed.js.
 */
export default function qrSvg(text: string): Promise<string> {
  // Level M survives a smudge or a projector's glare; a margin of 2 modules is enough on a light card.
  return toString(text, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
