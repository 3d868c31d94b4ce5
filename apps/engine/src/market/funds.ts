// Buying power: a buy order rests only if the buyer can pay for it. Available satang is the
// buyer's THB on chain minus trades not yet escrowed on chain minus what open buy orders reserve
// (each at its limit price plus the highest wheeling it could pay, plus fees).
export interface BalanceSource {
  /** THB (satang) the account holds on chain, spendable. */
  thbSatang(accountId: string): bigint;
  /** Satang of the account's trades that are not yet escrowed on chain. */
  unsettledBuySatang(accountId: string): bigint;
}

export class Reservations {
  private readonly byOrder = new Map<string, { accountId: string; satang: bigint }>();
  private readonly byAccount = new Map<string, bigint>();

  constructor(private readonly balances: BalanceSource) {}

  reserved(accountId: string): bigint {
    return this.byAccount.get(accountId) ?? 0n;
  }

  available(accountId: string): bigint {
    return (
      this.balances.thbSatang(accountId) -
      this.balances.unsettledBuySatang(accountId) -
      this.reserved(accountId)
    );
  }

  /** Reserves `satang` for a new order; false (and nothing reserved) when it would overdraw. */
  tryReserve(accountId: string, orderId: string, satang: bigint): boolean {
    if (satang > this.available(accountId)) return false;
    this.put(accountId, orderId, satang);
    return true;
  }

  /** Sets an order's reservation without a check (replay, or a decrease after a fill). */
  put(accountId: string, orderId: string, satang: bigint): void {
    this.release(orderId);
    if (satang <= 0n) return;
    this.byOrder.set(orderId, { accountId, satang });
    this.byAccount.set(accountId, this.reserved(accountId) + satang);
  }

  release(orderId: string): void {
    const held = this.byOrder.get(orderId);
    if (!held) return;
    this.byOrder.delete(orderId);
    const left = this.reserved(held.accountId) - held.satang;
    if (left === 0n) this.byAccount.delete(held.accountId);
    else this.byAccount.set(held.accountId, left);
  }

  clear(): void {
    this.byOrder.clear();
    this.byAccount.clear();
  }
}
