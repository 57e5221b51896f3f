export interface PageResponse {
  status: number;
  html: string;
  headers: Headers;
}

/** Posts an HTML form the way a browser without JavaScript does; pairs repeat a name, as checkboxes do. */
export async function submitForm(
  baseUrl: string,
  path: string,
  fields: Record<string, string> | Array<[string, string]>,
  headers: Record<string, string> = {},
): Promise<PageResponse> {
  const response = await fetch(baseUrl + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(fields).toString(),
    redirect: 'manual',
  });
  return { status: response.status, html: await response.text(), headers: response.headers };
}

export async function getPage(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<PageResponse> {
  const response = await fetch(baseUrl + path, { headers, redirect: 'manual' });
  return { status: response.status, html: await response.text(), headers: response.headers };
}

/** The `value` of the input named `name`, or null when the page has no value for it. */
export function inputValue(html: string, name: string): string | null {
  // Quoted attribute values may hold ">", so the tag ends at the first ">" outside quotes.
  const input = new RegExp(`<input(?:[^>"]|"[^"]*")*\\bname="${name}"(?:[^>"]|"[^"]*")*>`).exec(html)?.[0];
  const value = input && /\bvalue="([^"]*)"/.exec(input)?.[1];
  return value == null ? null : decodeEntities(value);
}

export function decodeEntities(text: string): string {
  return text
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
