// Array literals against a real PostgreSQL: whatever the elements (quotes, backslashes, braces,
// commas, whitespace, unicode, '' and 'NULL' strings, SQL nulls), the cast the journal uses reads
// back exactly the input, and the same as node-postgres's own encoding of the same JS array.
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../testing/database.ts';
import { scalarArray, textArray, timestampArray } from './pg-array.ts';

// One element of text: the characters the array syntax treats specially, plus any code point
// PostgreSQL text can hold (everything but NUL).
const unit = fc.oneof(
  fc.constantFrom('"', '\\', ',', '{', '}', ' ', '\t', '\n', "'", 'N', 'U', 'L', 'é', '🙂'),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }).filter((c) => c !== '\0'),
);
const text = fc.oneof(
  fc.constantFrom('', 'NULL', 'null', 'Null', ' NULL', '{}', '"', '\\', 'a,b', 'x y'),
  fc.string({ unit }),
);
const nullable = <T>(a: fc.Arbitrary<T>) => fc.array(fc.option(a, { nil: null }));
const json = fc.jsonValue({ stringUnit: unit }).map((v) => JSON.stringify(v));
const date = fc.date({
  min: new Date('0001-01-01T00:00:00.000Z'),
  max: new Date('9999-12-31T23:59:59.999Z'),
  noInvalidDate: true,
});
const int8 = fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n });

describe('PostgreSQL array literals', () => {
  let testDb: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    testDb = await createTestDatabase('pg_array', process.env.DATABASE_URL, { contents: 'empty' });
    client = new pg.Client({ connectionString: testDb.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await testDb?.drop();
  });

  /** `sql` run with `values`; its one row. */
  async function row(sql: string, values: unknown[]): Promise<Record<string, unknown>> {
    const r = await client.query<Record<string, unknown>>(sql, values);
    return r.rows[0]!;
  }

  it('writes empty arrays as {}', () => {
    expect([textArray([]), scalarArray([]), timestampArray([])]).toEqual(['{}', '{}', '{}']);
  });

  it('quotes every string, writes numbers and booleans bare and null as NULL', () => {
    expect(textArray(['a', '', 'NULL', 'x"y\\z', null])).toBe('{"a","","NULL","x\\"y\\\\z",NULL}');
    expect(scalarArray([1, -2n, true, false, null, 1.5])).toBe('{1,-2,t,f,NULL,1.5}');
  });

  it('writes a Date as toISOString() does, and throws on an invalid one', () => {
    fc.assert(
      fc.property(fc.date({ noInvalidDate: true }), (d) => {
        expect(timestampArray([d])).toBe(`{${d.toISOString()}}`);
      }),
      { numRuns: 10_000 },
    );
    expect(timestampArray([new Date('0999-12-31T23:59:59.999Z'), null])).toBe(
      '{0999-12-31T23:59:59.999Z,NULL}',
    );
    expect(() => timestampArray([new Date(NaN)])).toThrow(RangeError);
  });

  it('reads back any text array as text[], quoted text and NULL apart', async () => {
    await fc.assert(
      fc.asyncProperty(nullable(text), async (xs) => {
        const r = await row('SELECT $1::text[] AS a', [textArray(xs)]);
        expect(r.a).toEqual(xs);
      }),
      { numRuns: 300 },
    );
  });

  it('reads back JSON text as jsonb[], JSON null apart from SQL NULL', async () => {
    await fc.assert(
      fc.asyncProperty(nullable(json), async (xs) => {
        const r = await row(
          'SELECT $1::jsonb[] AS a, array(SELECT x IS NULL FROM unnest($1::jsonb[]) x) AS n',
          [textArray(xs)],
        );
        expect(r.a).toEqual(xs.map((x): unknown => (x === null ? null : JSON.parse(x))));
        expect(r.n).toEqual(xs.map((x) => x === null));
      }),
    );
  });

  it('reads back bigints, ints, doubles, booleans and uuids', async () => {
    await fc.assert(
      fc.asyncProperty(
        nullable(int8),
        nullable(fc.integer()),
        nullable(fc.double()),
        nullable(fc.boolean()),
        nullable(fc.uuid()),
        async (bigs, ints, doubles, bools, uuids) => {
          const r = await row(
            'SELECT $1::bigint[] AS b, $2::int[] AS i, $3::float8[] AS d, $4::bool[] AS t, ' +
              '$5::uuid[] AS u',
            [
              scalarArray(bigs),
              scalarArray(ints),
              scalarArray(doubles),
              scalarArray(bools),
              textArray(uuids),
            ],
          );
          // node-postgres reads int8 as decimal strings; String(-0) is '0', as it writes it too.
          expect(r.b).toEqual(bigs.map((b) => (b === null ? null : b.toString())));
          expect(r.i).toEqual(ints);
          expect(r.d).toEqual(doubles.map((d) => (Object.is(d, -0) ? 0 : d)));
          expect(r.t).toEqual(bools);
          expect(r.u).toEqual(uuids);
        },
      ),
    );
  });

  it('reads back Dates as timestamptz to the same millisecond', async () => {
    await fc.assert(
      fc.asyncProperty(nullable(date), async (ds) => {
        const r = await row('SELECT $1::timestamptz[] AS a, $1::timestamptz(3)[] AS b', [
          timestampArray(ds),
        ]);
        const ms = ds.map((d) => (d === null ? null : d.getTime()));
        for (const got of [r.a, r.b] as (Date | null)[][]) {
          expect(got.map((d) => (d === null ? null : d.getTime()))).toEqual(ms);
        }
      }),
    );
    const r = await row('SELECT $1::timestamptz(3)[] AS a', [
      timestampArray([new Date('2026-12-01T06:00:00.123Z')]),
    ]);
    expect((r.a as Date[])[0]?.toISOString()).toBe('2026-12-01T06:00:00.123Z');
  });

  it('means what node-postgres means for the same JS arrays', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          text: nullable(text),
          json: nullable(json),
          bigs: nullable(int8),
          bools: nullable(fc.boolean()),
          uuids: nullable(fc.uuid()),
          // node-postgres writes Dates in local time with a whole-minute offset, which misplaces
          // instants where the local zone had seconds in its offset (local mean time before ~1920).
          dates: nullable(date.filter((d) => d.getUTCFullYear() >= 1970)),
        }),
        async (c) => {
          const bigs = c.bigs.map((b) => (b === null ? null : b.toString()));
          const mine = await row(
            'SELECT $1::text[] AS a, $2::jsonb[] AS b, $3::bigint[] AS c, $4::bool[] AS d, ' +
              '$5::uuid[] AS e, $6::timestamptz[] AS f',
            [
              textArray(c.text),
              textArray(c.json),
              scalarArray(c.bigs),
              scalarArray(c.bools),
              textArray(c.uuids),
              timestampArray(c.dates),
            ],
          );
          const theirs = await row(
            'SELECT $1::text[] AS a, $2::jsonb[] AS b, $3::bigint[] AS c, $4::bool[] AS d, ' +
              '$5::uuid[] AS e, $6::timestamptz[] AS f',
            [c.text, c.json, bigs, c.bools, c.uuids, c.dates],
          );
          expect(mine).toEqual(theirs);
        },
      ),
    );
  });
});
