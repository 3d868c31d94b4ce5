// The regulator's daily reports: built once a day is complete (its last metering window closed
// and its intervals settled), signed with the engine's reporting key, and stored once per day in
// `daily_report` — a later download returns the same bytes. ERC (the regulator) and admins read
// them; anyone can fetch the public key and verify a file with verifyReport.
import type { KeyVault } from '../auth/keys.ts';
import type { ChainHost } from '../chain/host.ts';
import { loadReportingKey } from '../chain/identity.ts';
import type { Clock } from '../clock.ts';
import type { Database } from '../db/index.ts';
import type { DailyReport } from '../db/generated/client.ts';
import { METERING_WINDOW_MS, WATERMARK_KEY } from '../delivery/window.ts';
import { dayStartMs } from '../market/calendar.ts';
import { accepted, rejected, type Caller, type Result } from '../outcome.ts';
import { audit } from '../audit.ts';
import { buildDailyReport } from './daily.ts';
import { reportCsv, reportJson } from './format.ts';
import { reportingPublicKeyHex, signReport } from './signature.ts';

const DAY_MS = 86_400_000;
/** The authority that regulates the exchange and receives its reports. */
export const REGULATOR_AUTHORITY = 'ERC';

export interface ReportDeps {
  db: Database;
  vault: KeyVault;
  clock: Clock;
  chain: ChainHost | null;
  clearingAccountId: () => string | null;
}

export class ReportService {
  private key: { seed: Uint8Array; publicKeyHex: string } | null = null;

  constructor(private readonly deps: ReportDeps) {}

  private async reportingKey(): Promise<{ seed: Uint8Array; publicKeyHex: string }> {
    if (!this.key) {
      const seed = await loadReportingKey(
        this.deps.db.prisma,
        this.deps.vault,
        this.deps.clock.now(),
      );
      this.key = { seed, publicKeyHex: reportingPublicKeyHex(seed) };
    }
    return this.key;
  }

  async publicKeyHex(): Promise<string> {
    return (await this.reportingKey()).publicKeyHex;
  }

  /** Whether `caller` may read reports: an admin, or an authority account acting for ERC. */
  async mayRead(caller: Caller): Promise<boolean> {
    if (caller.role === 'ADMIN') return true;
    if (caller.role !== 'AUTHORITY') return false;
    const account = await this.deps.db.prisma.account.findUnique({
      where: { id: caller.accountId },
      select: { authority: true },
    });
    return account?.authority === REGULATOR_AUTHORITY;
  }

  /**
   * When the day's figures are final: its last interval's metering window has closed and the
   * delivery watermark (when deliveries run) has passed the day's end. Null: ready now.
   */
  private async readyAtMs(day: string): Promise<number | null> {
    const end = dayStartMs(day) + DAY_MS;
    const windowClosed = end + METERING_WINDOW_MS;
    if (this.deps.clock.now() < windowClosed) return windowClosed;
    const row = await this.deps.db.prisma.engineState.findUnique({ where: { key: WATERMARK_KEY } });
    const watermark = row ? Number((row.value as { ms?: number }).ms) : null;
    if (watermark !== null && watermark < end) return Math.max(windowClosed, this.deps.clock.now());
    return null;
  }

  /** The day's stored report, building, signing and storing it on first request. */
  async daily(caller: Caller, day: string): Promise<Result<DailyReport>> {
    if (!(await this.mayRead(caller))) {
      return rejected('REPORT_NOT_REGULATOR', 'Only ERC (the regulator) or an admin reads reports');
    }
    const { prisma } = this.deps.db;
    const stored = await prisma.dailyReport.findUnique({ where: { day } });
    if (stored) return accepted(stored);
    const readyAt = await this.readyAtMs(day);
    if (readyAt !== null) {
      return rejected(
        'REPORT_NOT_READY',
        `The report for ${day} is ready once the day has settled (from ${new Date(readyAt).toISOString()})`,
        { readyAt: new Date(readyAt).toISOString() },
      );
    }
    const { seed, publicKeyHex } = await this.reportingKey();
    const chain = this.deps.chain;
    const data = await buildDailyReport(this.deps.db, day, {
      clearingAccountId: this.deps.clearingAccountId(),
      chain: chain ? { chainId: chain.chainId, height: chain.query.head().height } : null,
      generatedAtMs: this.deps.clock.now(),
    });
    const json = reportJson(data);
    const csv = reportCsv(data);
    const signedJson = signReport(seed, day, 'json', json);
    const signedCsv = signReport(seed, day, 'csv', csv);
    // Two first requests at once: one row wins and both return it.
    const inserted = await prisma.dailyReport.createMany({
      data: [
        {
          day,
          generatedAt: new Date(data.generatedAt),
          json,
          csv,
          jsonSha256: signedJson.sha256,
          csvSha256: signedCsv.sha256,
          jsonSignature: signedJson.signature,
          csvSignature: signedCsv.signature,
          publicKey: publicKeyHex,
        },
      ],
      skipDuplicates: true,
    });
    if (inserted.count > 0) {
      await audit(prisma, {
        actorId: caller.accountId,
        action: 'reports.generate',
        target: day,
        ip: caller.ip,
        requestId: caller.requestId,
        details: { jsonSha256: signedJson.sha256, csvSha256: signedCsv.sha256 },
      });
    }
    return accepted(await prisma.dailyReport.findUniqueOrThrow({ where: { day } }));
  }
}
