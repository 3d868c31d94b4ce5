// Applying an executed market change to the engine: the `market_parameter` or `link` row, the
// proposal's application mark and a `gov.apply` audit row in one transaction; then both markets
// reload their reference data, open books get a new link capacity, and the streams hear it.
import type { GovernanceDeps } from './service.ts';
import type { GovAction } from './actions.ts';
import { audit } from '../audit.ts';
import { parseMarketParam, specProblem, withScalar } from './market-params.ts';

export type ApplyDeps = Pick<
  GovernanceDeps,
  'db' | 'markets' | 'dayAhead' | 'clock' | 'logger' | 'publish'
>;

/** What the chain reports of an executed proposal. */
export interface Executed {
  effectiveHeight: number;
  outcome: string;
}

/**
 * Applies an executed market change to the engine, in one transaction with its audit row, at
 * the height it took effect on chain; then the books reload and the streams hear it. A change
 * the engine's tables cannot take (it would leave the market inconsistent) is recorded as not
 * applied, logged and announced as a grid alert.
 */
export async function applyMarketChange(
  deps: ApplyDeps,
  id: string,
  action: Extract<GovAction, { type: 'MARKET_PARAM_SET' }>,
  p: Executed,
): Promise<void> {
  const { db, markets, dayAhead, clock, logger, publish } = deps;
  const param = parseMarketParam(action.name);
  const value = BigInt(action.value);
  const reference = markets.referenceData;
  const problem = !param
    ? `unknown market parameter ${action.name}`
    : param.kind === 'scalar'
      ? specProblem(withScalar(reference.params, param.name, value))
      : reference.links.some((l) => l.from === param.from && l.to === param.to)
        ? null
        : `there is no link ${param.from} → ${param.to}`;
  const at = new Date(clock.now());
  await db.prisma.$transaction(async (tx) => {
    let from: string | null = null;
    if (problem === null && param?.kind === 'scalar') {
      const before = await tx.marketParameter.findUnique({ where: { key: param.name } });
      from = before ? before.value.toString() : null;
      await tx.marketParameter.upsert({
        where: { key: param.name },
        create: { key: param.name, value },
        update: { value },
      });
    } else if (problem === null && param?.kind === 'link') {
      const where = { fromZone_toZone: { fromZone: param.from, toZone: param.to } };
      const before = await tx.link.findUniqueOrThrow({ where });
      from = String(param.param === 'wheeling_ticks' ? before.wheelingTicks : before.capacityWh);
      await tx.link.update({
        where,
        data:
          param.param === 'wheeling_ticks'
            ? { wheelingTicks: Number(value) }
            : { capacityWh: value },
      });
    }
    await tx.proposal.update({
      where: { id },
      data: {
        appliedAt: at,
        appliedHeight: problem === null ? BigInt(p.effectiveHeight) : null,
        outcome:
          problem === null
            ? `${p.outcome}; applied by the engine`
            : `${p.outcome}; not applied by the engine: ${problem}`,
      },
    });
    await audit(tx, {
      actorId: null,
      action: problem === null ? 'gov.apply' : 'gov.applyRefused',
      target: id,
      details: {
        name: action.name,
        from,
        to: value.toString(),
        effectiveHeight: p.effectiveHeight,
        ...(problem === null ? {} : { problem }),
      },
    });
  });
  if (problem !== null || !param) {
    logger.error({ proposalId: id, problem }, 'an executed market change cannot be applied');
    publish('grid', 'alert', {
      level: 'ALERT',
      cause: 'GOVERNANCE',
      proposalId: id,
      message: `Proposal ${id} executed on chain but the engine could not apply it: ${problem}`,
    });
    return;
  }
  await markets.reloadReference();
  await dayAhead.reloadReference();
  if (param.kind === 'link') {
    if (param.param === 'link_capacity_wh') {
      await markets.setLinkCapacity(param.from, param.to, Number(value), null);
    }
    const link = markets.referenceData.links.find(
      (l) => l.from === param.from && l.to === param.to,
    );
    publish('grid', 'link', {
      from: param.from,
      to: param.to,
      capacityWh: link?.capacityWh ?? null,
      wheelingTicks: link?.wheelingTicks ?? null,
      proposalId: id,
    });
  }
  publish('market', 'parameters', {
    name: action.name,
    value: value.toString(),
    proposalId: id,
    effectiveHeight: p.effectiveHeight,
    params: markets.referenceData.params,
  });
  logger.info(
    { proposalId: id, name: action.name, value: value.toString() },
    'governed change applied',
  );
}
