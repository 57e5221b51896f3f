#!/usr/bin/env node
// A moderator bot: signs in, connects, and approves every pending question that contains a
// keyword — those waiting now and those that arrive later. Uses only @palco/sdk and ws.
//
//   PALCO_EMAIL=mod@example.com PALCO_PASSWORD=… node bot.mjs [baseUrl] [event] [keyword]
import { createClient } from '@palco/sdk';
import WebSocket from 'ws';

const [
  baseUrl = process.env.PALCO_URL ?? 'http://localhost:3000',
  event = process.env.PALCO_EVENT ?? 'demo-fast',
  keyword = process.env.PALCO_KEYWORD ?? 'precio',
] = process.argv.slice(2);
const email = process.env.PALCO_EMAIL;
const password = process.env.PALCO_PASSWORD;
if (!email || !password) {
  console.error('Set PALCO_EMAIL and PALCO_PASSWORD to a moderator of the event.');
  process.exit(2);
}

const client = createClient({ baseUrl, event, WebSocket, lang: 'en', logger: console });
const wanted = keyword.toLocaleLowerCase();

async function approveIfWanted(question) {
  if (!question.question.toLocaleLowerCase().includes(wanted)) return;
  try {
    await client.approve(question.id);
    console.log(`approved #${question.id}: ${question.question}`);
  } catch (error) {
    // Another moderator may have been quicker (invalid_state); the bot just moves on.
    console.warn(`could not approve #${question.id}: ${error.code} ${error.message}`);
  }
}

client.on('pending_question', (question) => void approveIfWanted(question));
client.on('state', ({ current, reason, retryInMs }) =>
  console.log(`connection: ${current} (${reason}${retryInMs === undefined ? '' : `, retry in ${retryInMs} ms`})`),
);
client.on('event_closed', ({ message }) => console.log(`event closed: ${message}`));

try {
  const { user } = await client.login({ email, password });
  console.log(`signed in as ${user.name} (${user.role}); approving questions containing "${keyword}"`);
  const welcome = await client.connect();
  for (const question of welcome.questions) {
    if (question.status === 'pending') await approveIfWanted(question);
  }
} catch (error) {
  console.error(`${error.code ?? 'error'}: ${error.message}`);
  process.exit(1);
}

process.on('SIGINT', () => {
  client.disconnect();
  process.exit(0);
});
