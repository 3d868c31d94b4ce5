#!/usr/bin/env node
// Clears one day-ahead auction: `node bin/clear-auction.mjs < day.json > result.json`.
// A stable command-line contract (issue 3 §3): invalid input exits 2 with a JSON error on stderr
// naming the field. Optional flags: --relative-gap=<number>, --max-nodes=<integer>.
import { clearAuction } from '../dist/index.js';

function fail(field, message) {
  process.stderr.write(
    `${JSON.stringify({ error: 'MATCH_AUCTION_INVALID_INPUT', field, message })}\n`,
  );
  process.exit(2);
}

const options = {};
for (const arg of process.argv.slice(2)) {
  const [name, value] = arg.split('=');
  if (name === '--relative-gap') options.relativeGap = Number(value);
  else if (name === '--max-nodes') options.maxNodes = Number(value);
  else fail(`argv`, `unknown argument ${arg}`);
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
let input;
try {
  input = JSON.parse(Buffer.concat(chunks).toString('utf8'));
} catch (e) {
  fail('', `input is not JSON: ${e instanceof Error ? e.message : String(e)}`);
}
const outcome = await clearAuction(input, options);
if (!outcome.ok) fail(outcome.field, outcome.message);
process.stdout.write(`${JSON.stringify(outcome.result)}\n`);
