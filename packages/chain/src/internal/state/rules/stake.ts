// Stake (STK-1..4): THB bonded by an account. Stake exempts its holder from PoW stamps, adds to
// an authority's voting power, and is what double-signing costs: slashing burns a fraction of
// bonded and unbonding stake and jails the validator.
import { reject } from '../../../errors.ts';
import type { Rejection } from '../../../errors.ts';
import type { SignedTx } from '../../tx/tx.ts';
import type { ChainParams } from '../params.ts';
import { getRecord, putRecord } from '../view.ts';
import type { Overlay } from '../view.ts';
import { accountOf, addSupply, emptyAccount, requireAmount } from './context.ts';
import type { TxContext } from './context.ts';

const MAX_UNBONDING = 64;

export function stakeBond(ctx: TxContext, tx: SignedTx<'STAKE_BOND'>): Rejection | null {
  const b = tx.body;
  const err = requireAmount(b.amountSatang, 'amountSatang');
  if (err !== null) return err;
  const spent = ctx.spend(b.inputs, tx.signer, 'THB');
  if ('ok' in spent) return spent;
  if (spent.THB < b.amountSatang) {
    return reject(
      'CHAIN_INSUFFICIENT_FUNDS',
      `inputs hold ${spent.THB} satang, bond needs ${b.amountSatang}`,
    );
  }
  if (spent.THB > b.amountSatang) ctx.create(tx.signer, 'THB', spent.THB - b.amountSatang);
  ctx.lock('THB', b.amountSatang);
  const account = accountOf(ctx.view, tx.signer) ?? emptyAccount();
  putRecord(ctx.view, 'account', tx.signer, {
    ...account,
    bondedSatang: account.bondedSatang + b.amountSatang,
  });
  return null;
}

export function stakeUnbond(ctx: TxContext, tx: SignedTx<'STAKE_UNBOND'>): Rejection | null {
  const amount = tx.body.amountSatang;
  const err = requireAmount(amount, 'amountSatang');
  if (err !== null) return err;
  const account = accountOf(ctx.view, tx.signer);
  if (account === undefined || account.bondedSatang < amount) {
    return reject(
      'CHAIN_STAKE_INSUFFICIENT',
      `bonded stake is ${account?.bondedSatang ?? 0n} satang`,
    );
  }
  if (account.unbonding.length >= MAX_UNBONDING)
    return reject('CHAIN_BAD_FIELD', 'too many unbonding entries');
  putRecord(ctx.view, 'account', tx.signer, {
    ...account,
    bondedSatang: account.bondedSatang - amount,
    unbonding: [
      ...account.unbonding,
      { amountSatang: amount, releaseHeight: ctx.env.height + ctx.env.params.unbondingBlocks },
    ],
  });
  return null;
}

export function stakeWithdraw(ctx: TxContext, tx: SignedTx<'STAKE_WITHDRAW'>): Rejection | null {
  const account = accountOf(ctx.view, tx.signer);
  const matured = account?.unbonding.filter((u) => u.releaseHeight <= ctx.env.height) ?? [];
  const total = matured.reduce((s, u) => s + u.amountSatang, 0n);
  if (account === undefined || total === 0n) {
    return reject('CHAIN_NOTHING_TO_WITHDRAW', 'no unbonded stake has matured');
  }
  putRecord(ctx.view, 'account', tx.signer, {
    ...account,
    unbonding: account.unbonding.filter((u) => u.releaseHeight > ctx.env.height),
  });
  ctx.unlock('THB', total);
  ctx.create(tx.signer, 'THB', total);
  return null;
}

/** STK-4: burns slashBps of bonded and unbonding stake, jails the validator; returns the burn. */
export function slash(view: Overlay, validator: string, params: ChainParams): bigint {
  const bps = BigInt(params.slashBps);
  const account = getRecord(view, 'account', validator);
  let burned = 0n;
  if (account !== undefined) {
    const bondedCut = (account.bondedSatang * bps) / 10_000n;
    burned += bondedCut;
    const unbonding = account.unbonding.map((u) => {
      const cut = (u.amountSatang * bps) / 10_000n;
      burned += cut;
      return { ...u, amountSatang: u.amountSatang - cut };
    });
    putRecord(view, 'account', validator, {
      ...account,
      bondedSatang: account.bondedSatang - bondedCut,
      unbonding: unbonding.filter((u) => u.amountSatang > 0n),
    });
  }
  const record = getRecord(view, 'validator', validator);
  if (record !== undefined) {
    putRecord(view, 'validator', validator, {
      ...record,
      jailed: true,
      slashedSatang: record.slashedSatang + burned,
    });
  }
  if (burned > 0n) addSupply(view, 'THB', 0n, burned);
  return burned;
}
