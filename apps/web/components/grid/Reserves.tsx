'use client';
// Balancing reserve in the control room: what battery owners offer per zone for the current and
// next hour (grid.reserves), the activations so far with their pay-as-clear price, and — for an
// operator — activation through a confirmation dialog that previews the merit order the engine
// will clear (RES-1), with a reason that goes to the audit log.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { keys, type Reserves, type ReserveOffer } from '../../lib/api';
import { useNow } from '../../lib/clock';
import { useI18n } from '../../lib/i18n';
import { toast } from '../../lib/toast';
import { toMs } from '../../lib/time';
import { trpc } from '../../lib/trpc';
import { parseScaled } from '../../lib/units';
import { Dialog, DialogActions, ErrorNote, Loading, Segmented } from '../ui';

const HOUR_MS = 3_600_000;
type Direction = 'UP' | 'DOWN';

/** Megawatts typed with up to 3 decimals → W. */
function mwToW(text: string): number | null {
  const kw = parseScaled(text, 3);
  if (kw === null || kw <= 0n) return null;
  const w = Number(kw * 1000n);
  return Number.isSafeInteger(w) ? w : null;
}

export function ReservesPanel({
  data,
  error,
  zones,
  operator,
}: {
  data: Reserves | undefined;
  error: unknown;
  zones: string[];
  operator: boolean;
}) {
  const { t, f } = useI18n();
  const now = useNow();
  const [open, setOpen] = useState(false);
  const hour = Math.floor(now / HOUR_MS) * HOUR_MS;
  const hours = [hour, hour + HOUR_MS];
  const offered = (zone: string, h: number, d: Direction) =>
    (data?.offers ?? [])
      .filter(
        (o) =>
          o.zone === zone && toMs(o.hourStart) === h && o.direction === d && o.status === 'OFFERED',
      )
      .reduce((s, o) => s + BigInt(o.powerW), 0n);
  const activated = (zone: string, h: number, d: Direction) =>
    (data?.activations ?? [])
      .filter((a) => a.zone === zone && toMs(a.hourStart) === h && a.direction === d)
      .reduce((s, a) => s + BigInt(a.activatedW), 0n);

  return (
    <section className="panel" aria-labelledby="reserves-title" data-testid="reserves">
      <header className="panel-header">
        <h2 id="reserves-title">{t('grid.reservesTitle')}</h2>
        {operator ? (
          <button
            type="button"
            className="btn btn-primary btn-sm"
            onClick={() => setOpen(true)}
            disabled={!data || now === 0}
            data-testid="activate-reserve"
          >
            {t('grid.activateReserve')}
          </button>
        ) : null}
      </header>
      <div className="panel-body">
        <ErrorNote error={error} />
        {!data ? (
          error ? null : (
            <Loading />
          )
        ) : (
          <>
            <div className="table-wrap">
              <table className="data-table cr-table" data-testid="reserve-summary">
                <caption className="sr-only">{t('grid.reserveSummary')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('trade.zone')}</th>
                    {hours.map((h) => (
                      <th key={h} scope="col" className="num">
                        {f.hm(h)}–{f.hm(h + HOUR_MS)}
                        <span className="th-sub">{t('grid.upDown')}</span>
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {zones.map((z) => (
                    <tr key={z}>
                      <th scope="row" translate="no">
                        {z}
                      </th>
                      {hours.map((h) => (
                        <td key={h} className="num">
                          <span aria-label={t('grid.offeredUp')}>
                            ↑ {f.power(offered(z, h, 'UP'))}
                          </span>
                          <br />
                          <span aria-label={t('grid.offeredDown')} className="muted">
                            ↓ {f.power(offered(z, h, 'DOWN'))}
                          </span>
                          {activated(z, h, 'UP') + activated(z, h, 'DOWN') > 0n ? (
                            <>
                              <br />
                              <span className="pill pill-warn">
                                {t('grid.activatedShort', {
                                  mw: f.power(activated(z, h, 'UP') + activated(z, h, 'DOWN')),
                                })}
                              </span>
                            </>
                          ) : null}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <h3 className="cr-subhead">{t('grid.activations')}</h3>
            {data.activations.length === 0 ? (
              <p className="empty">{t('grid.noActivations')}</p>
            ) : (
              <ul className="activation-list" data-testid="activations">
                {[...data.activations].reverse().map((a) => (
                  <li key={a.id} className="activation" data-testid="activation">
                    <strong translate="no">{a.zone}</strong>{' '}
                    <span className={`pill ${a.direction === 'UP' ? 'pill-ok' : 'pill-warn'}`}>
                      {t(`grid.dir.${a.direction}`)}
                    </span>{' '}
                    {t('grid.activationLine', {
                      hour: `${f.hm(a.hourStart)}–${f.hm(toMs(a.hourStart) + HOUR_MS)}`,
                      activated: f.power(a.activatedW),
                      requested: f.power(a.requestedW),
                      price:
                        a.clearingPriceTicks === null ? '—' : f.priceUnit(a.clearingPriceTicks),
                    })}
                    <span className="muted small"> · {a.reason}</span>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
      {operator && data ? (
        <ActivateDialog
          open={open}
          onClose={() => setOpen(false)}
          offers={data.offers}
          zones={zones}
          hours={hours}
        />
      ) : null}
    </section>
  );
}

function ActivateDialog({
  open,
  onClose,
  offers,
  zones,
  hours,
}: {
  open: boolean;
  onClose: () => void;
  offers: ReserveOffer[];
  zones: string[];
  hours: number[];
}) {
  const { t, f } = useI18n();
  const qc = useQueryClient();
  const [zone, setZone] = useState(zones[0] ?? '');
  const [which, setWhich] = useState<'0' | '1'>('0');
  const [direction, setDirection] = useState<Direction>('UP');
  const [mw, setMw] = useState('');
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const hourStart = hours[Number(which)] ?? hours[0] ?? 0;
  const merit = offers
    .filter(
      (o) =>
        o.zone === zone &&
        toMs(o.hourStart) === hourStart &&
        o.direction === direction &&
        o.status === 'OFFERED',
    )
    .sort((a, b) => a.priceTicks - b.priceTicks || toMs(a.createdAt) - toMs(b.createdAt));
  const available = merit.reduce((s, o) => s + BigInt(o.powerW), 0n);
  const requestedW = mwToW(mw);
  let clearing: number | null = null;
  if (requestedW !== null) {
    let sum = 0n;
    for (const o of merit) {
      clearing = o.priceTicks;
      sum += BigInt(o.powerW);
      if (sum >= BigInt(requestedW)) break;
    }
  }
  const mutation = useMutation({
    mutationFn: (w: number) =>
      trpc.grid.activateReserve.mutate({
        zone,
        hourStart: new Date(hourStart).toISOString(),
        direction,
        requestedW: w,
        reason: reason.trim(),
      }),
    onSuccess: (a) => {
      toast(
        t('grid.activatedToast', {
          zone: a.zone,
          mw: f.power(a.activatedW),
          price: a.clearingPriceTicks === null ? '—' : f.priceUnit(a.clearingPriceTicks),
        }),
        'success',
      );
      void qc.invalidateQueries({ queryKey: keys.reserves });
      close();
    },
  });
  const close = () => {
    setMw('');
    setReason('');
    setProblem(null);
    mutation.reset();
    onClose();
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (requestedW === null) return setProblem(t('grid.mwInvalid'));
    if (reason.trim().length < 3) return setProblem(t('grid.reasonShort'));
    setProblem(null);
    mutation.mutate(requestedW);
  };
  return (
    <Dialog open={open} title={t('grid.activateTitle')} onClose={close} testId="reserve-dialog">
      <form onSubmit={submit} className="dialog-form" noValidate>
        <div className="field">
          <label htmlFor="reserve-zone">{t('trade.zone')}</label>
          <select
            id="reserve-zone"
            value={zone}
            onChange={(e) => setZone(e.target.value)}
            data-testid="reserve-zone"
          >
            {zones.map((z) => (
              <option key={z} value={z}>
                {z}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <span id="reserve-hour-label">{t('grid.hour')}</span>
          <Segmented
            label={t('grid.hour')}
            value={which}
            onChange={setWhich}
            choices={hours.map((h, i) => ({
              value: String(i) as '0' | '1',
              label: `${f.hm(h)}–${f.hm(h + HOUR_MS)}`,
            }))}
          />
        </div>
        <div className="field">
          <span>{t('grid.direction')}</span>
          <Segmented
            label={t('grid.direction')}
            value={direction}
            onChange={setDirection}
            choices={[
              { value: 'UP', label: t('grid.dir.UP') },
              { value: 'DOWN', label: t('grid.dir.DOWN') },
            ]}
          />
        </div>
        <div className="field">
          <label htmlFor="reserve-mw">{t('grid.requestMw')}</label>
          <input
            id="reserve-mw"
            inputMode="decimal"
            value={mw}
            onChange={(e) => setMw(e.target.value)}
            aria-describedby="reserve-available"
            data-testid="reserve-mw"
          />
          <small id="reserve-available" className="muted">
            {t('grid.available', { mw: f.power(available), n: merit.length })}
          </small>
        </div>
        {requestedW !== null ? (
          <p className="note note-warn" data-testid="reserve-preview">
            {merit.length === 0
              ? t('grid.noOffers')
              : t('grid.activatePreview', {
                  mw: f.power(BigInt(requestedW) < available ? BigInt(requestedW) : available),
                  zone,
                  price: clearing === null ? '—' : f.priceUnit(clearing),
                })}
          </p>
        ) : null}
        <div className="field">
          <label htmlFor="reserve-reason">{t('grid.reason')}</label>
          <textarea
            id="reserve-reason"
            rows={2}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            required
            data-testid="reserve-reason"
          />
        </div>
        <DialogActions
          problem={problem}
          error={mutation.error}
          pending={mutation.isPending}
          onCancel={close}
          testId="confirm-reserve"
        >
          {t('grid.confirmActivate')}
        </DialogActions>
      </form>
    </Dialog>
  );
}
