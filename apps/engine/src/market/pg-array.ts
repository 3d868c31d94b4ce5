// PostgreSQL array literals (`{1,"b c",NULL}`) for query parameters, built in one pass. The
// journal sends ~50 array parameters per batch; node-postgres would regex-escape every element and
// format every Date in local time, so the journal hands it these strings instead and the SQL's
// `$n::type[]` casts parse them exactly as they would parse node-postgres's own encoding.

/**
 * For int, bigint, float and bool columns: elements written bare. `String()` of a number or bigint
 * (digits, `-`, `.`, `e+`, NaN, Infinity) and `t`/`f` never hold what the array parser treats
 * specially (`{}",\`, whitespace), are never empty and never read as NULL. `null` is SQL NULL.
 */
export function scalarArray(values: readonly (number | bigint | boolean | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    if (v === null || v === undefined) out += 'NULL';
    else if (typeof v === 'boolean') out += v ? 't' : 'f';
    else out += String(v);
  }
  return out + '}';
}

/**
 * For every string column (text, uuid, enum names, numeric, JSON text): each element quoted, so
 * '', 'NULL', braces, commas and whitespace all read back as themselves. `null` is SQL NULL.
 * Quoting costs less than checking whether an element could have gone bare.
 */
export function textArray(values: readonly (string | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    out += v === null || v === undefined ? 'NULL' : quote(v);
  }
  return out + '}';
}

/**
 * For timestamptz columns: ISO-8601 in UTC with milliseconds, as `toISOString()` writes it
 * (timestamptz(3) keeps every millisecond). `null` is SQL NULL; an invalid Date throws.
 */
export function timestampArray(values: readonly (Date | null)[]): string {
  let out = '{';
  for (let i = 0; i < values.length; i++) {
    if (i > 0) out += ',';
    const v = values[i];
    out += v === null || v === undefined ? 'NULL' : iso(v);
  }
  return out + '}';
}

/** `"…"` with `\` and `"` backslash-escaped; inside quotes nothing else is special. */
function quote(s: string): string {
  if (s.indexOf('"') === -1 && s.indexOf('\\') === -1) return '"' + s + '"';
  let out = '"';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c) {
      out += s.slice(from, i) + '\\';
      from = i; // the quote or backslash itself starts the next slice
    }
  }
  return out + s.slice(from) + '"';
}

/**
 * `toISOString()` built from the UTC fields, about twice as fast. Only four-digit years take this
 * path; other years (and invalid Dates, whose year is NaN) go to `toISOString()` itself, whose
 * forms for them PostgreSQL rejects rather than misreads (or which throws).
 */
function iso(d: Date): string {
  const y = d.getUTCFullYear();
  if (!(y >= 1000 && y <= 9999)) return d.toISOString();
  const ms = d.getUTCMilliseconds();
  return (
    `${y}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())}T${two(d.getUTCHours())}:` +
    `${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())}.${ms < 10 ? '00' : ms < 100 ? '0' : ''}${ms}Z`
  );
}

const two = (n: number): string => (n < 10 ? '0' : '') + n;
