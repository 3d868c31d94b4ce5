'use client';
// The meter registry (admins and the zones' distribution authorities): every meter with owner,
// zone, kind, capacity and latest reading (meter.list); registering a meter for a participant
// (meter.register — without a public key the engine generates the pair and returns the private
// seed once, shown here once for provisioning); retiring a meter after confirmation.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { keys, type RegistryMeter } from '../../lib/api';
import { useI18n } from '../../lib/i18n';
import { useZones } from '../../lib/queries';
import { toast } from '../../lib/toast';
import { trpc } from '../../lib/trpc';
import { parseScaled } from '../../lib/units';
import { TableShell } from '../TableShell';
import { CopyButton, Dialog, DialogActions, ErrorNote, Hash, Panel } from '../ui';
import { AdminPage } from './AdminPage';
import { ParticipantSearch } from './DepositForm';

const KINDS = ['SOLAR', 'WIND', 'HYDRO', 'BIOMASS', 'BATTERY', 'CONSUMPTION'] as const;
type Kind = (typeof KINDS)[number];

export function MetersScreen() {
  const { t } = useI18n();
  return (
    <AdminPage
      title={t('meters.title')}
      subtitle={t('meters.subtitle')}
      roles={['ADMIN', 'AUTHORITY']}
    >
      <RegisterMeter />
      <MeterList />
    </AdminPage>
  );
}

function MeterList() {
  const { t, f } = useI18n();
  const zones = useZones();
  const [zone, setZone] = useState('');
  const [kind, setKind] = useState<Kind | ''>('');
  const [retired, setRetired] = useState(false);
  const [retiring, setRetiring] = useState<RegistryMeter | null>(null);
  const meters = useQuery({
    queryKey: keys.meters(`${zone}|${kind}|${retired}`),
    queryFn: () =>
      trpc.meter.list.query({
        limit: 200,
        includeRetired: retired,
        ...(zone ? { zone } : {}),
        ...(kind ? { kind } : {}),
      }),
    placeholderData: (previous) => previous,
  });
  return (
    <Panel title={t('meters.list')} testId="meters">
      <div className="row-gap">
        <div className="field field-inline">
          <label htmlFor="meters-zone">{t('trade.zone')}</label>
          <select id="meters-zone" value={zone} onChange={(e) => setZone(e.target.value)}>
            <option value="">{t('registry.all')}</option>
            {(zones.data?.zones ?? []).map((z) => (
              <option key={z.code} value={z.code}>
                {z.code}
              </option>
            ))}
          </select>
        </div>
        <div className="field field-inline">
          <label htmlFor="meters-kind">{t('meters.kind')}</label>
          <select
            id="meters-kind"
            value={kind}
            onChange={(e) => setKind(e.target.value as Kind | '')}
          >
            <option value="">{t('registry.all')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`meterKind.${k}`)}
              </option>
            ))}
          </select>
        </div>
        <label className="check">
          <input type="checkbox" checked={retired} onChange={(e) => setRetired(e.target.checked)} />{' '}
          {t('meters.showRetired')}
        </label>
      </div>
      <TableShell
        rows={meters.data ?? []}
        loading={meters.isPending}
        error={meters.error}
        caption={t('meters.list')}
        empty={t('meters.none')}
        columns={[
          { label: t('meters.meter') },
          { label: t('recq.owner') },
          { label: t('meters.kind') },
          { label: t('meters.capacity'), className: 'num' },
          { label: t('meters.lastReading'), className: 'hide-sm' },
        ]}
        actions
      >
        {(rows) =>
          rows.map((m) => (
            <tr key={m.id} data-testid="meter-row">
              <td>
                <span className="mono" translate="no">
                  {m.id}
                </span>
                {m.label ? <div className="small muted">{m.label}</div> : null}
                <div className="small">
                  <Hash value={m.publicKey} length={6} />
                </div>
              </td>
              <td>
                <span translate="no">{m.owner.name}</span>
                <div className="small muted" translate="no">
                  {m.owner.email}
                </div>
              </td>
              <td>
                {t(`meterKind.${m.kind}`)} · <span translate="no">{m.zone}</span>
                {m.retiredAt ? (
                  <span className="pill pill-muted">{t('meters.retired')}</span>
                ) : null}
              </td>
              <td className="num">{f.power(m.capacityW)}</td>
              <td className="hide-sm small muted">
                {m.lastReadingAt ? f.dateTime(m.lastReadingAt) : '—'}
              </td>
              <td className="row-actions">
                {!m.retiredAt ? (
                  <button
                    type="button"
                    className="btn btn-danger-text btn-xs"
                    onClick={() => setRetiring(m)}
                    aria-label={t('meters.retireLabel', { id: m.id })}
                  >
                    {t('meters.retire')}
                  </button>
                ) : null}
              </td>
            </tr>
          ))
        }
      </TableShell>
      <RetireDialog meter={retiring} onClose={() => setRetiring(null)} />
    </Panel>
  );
}

function RetireDialog({ meter, onClose }: { meter: RegistryMeter | null; onClose: () => void }) {
  const { t } = useI18n();
  const qc = useQueryClient();
  const mutation = useMutation({
    mutationFn: (id: string) => trpc.meter.retire.mutate({ meterId: id }),
    onSuccess: (_r, id) => {
      toast(t('meters.retiredToast', { id }), 'success');
      void qc.invalidateQueries({ queryKey: ['private', 'staff', 'meters'] });
      close();
    },
  });
  const close = () => {
    mutation.reset();
    onClose();
  };
  return (
    <Dialog
      open={meter !== null}
      title={meter ? t('meters.retireTitle', { id: meter.id }) : ''}
      onClose={close}
      tone="danger"
    >
      {meter ? (
        <form
          className="dialog-form"
          onSubmit={(e) => {
            e.preventDefault();
            mutation.mutate(meter.id);
          }}
        >
          <p>{t('meters.retireWarning', { owner: meter.owner.name })}</p>
          <DialogActions
            error={mutation.error}
            pending={mutation.isPending}
            onCancel={close}
            danger
          >
            {t('meters.retire')}
          </DialogActions>
        </form>
      ) : null}
    </Dialog>
  );
}

interface Registered {
  meterId: string;
  publicKey: string;
  secretKey: string | null;
  chainId: string | null;
}

function RegisterMeter() {
  const { t } = useI18n();
  const qc = useQueryClient();
  const zones = useZones();
  const [owner, setOwner] = useState<{ id: string; label: string } | null>(null);
  const [zone, setZone] = useState('');
  const [kind, setKind] = useState<Kind>('SOLAR');
  const [capacity, setCapacity] = useState('');
  const [publicKey, setPublicKey] = useState('');
  const [label, setLabel] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<Registered | null>(null);
  const chosenZone = zone || zones.data?.zones[0]?.code || '';
  const mutation = useMutation({
    mutationFn: (capacityW: number) =>
      trpc.meter.register.mutate({
        ownerId: owner?.id ?? '',
        zone: chosenZone,
        kind,
        capacityW,
        ...(publicKey.trim() ? { publicKey: publicKey.trim().toLowerCase() } : {}),
        ...(label.trim() ? { label: label.trim() } : {}),
      }),
    onSuccess: (r) => {
      setDone(r);
      setCapacity('');
      setPublicKey('');
      setLabel('');
      void qc.invalidateQueries({ queryKey: ['private', 'staff', 'meters'] });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const kw = parseScaled(capacity, 3);
    if (!owner) return setProblem(t('meters.ownerMissing'));
    if (kw === null || kw <= 0n) return setProblem(t('meters.capacityInvalid'));
    if (publicKey.trim() && !/^[0-9a-fA-F]{64}$/.test(publicKey.trim())) {
      return setProblem(t('meters.keyInvalid'));
    }
    setProblem(null);
    setDone(null);
    mutation.mutate(Number(kw * 1000n));
  };
  return (
    <Panel title={t('meters.register')} testId="meter-register">
      <form className="stack" onSubmit={submit} noValidate>
        <ParticipantSearch onPick={(id, l) => setOwner({ id, label: l })} />
        <p className="small">
          {t('meters.owner')}: <strong>{owner ? owner.label : '—'}</strong>
        </p>
        <div className="row-gap">
          <div className="field">
            <label htmlFor="meter-zone">{t('trade.zone')}</label>
            <select id="meter-zone" value={chosenZone} onChange={(e) => setZone(e.target.value)}>
              {(zones.data?.zones ?? []).map((z) => (
                <option key={z.code} value={z.code}>
                  {z.code}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="meter-kind">{t('meters.kind')}</label>
            <select id="meter-kind" value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`meterKind.${k}`)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="meter-capacity">{t('meters.capacityKw')}</label>
            <input
              id="meter-capacity"
              inputMode="decimal"
              value={capacity}
              onChange={(e) => setCapacity(e.target.value)}
            />
          </div>
          <div className="field">
            <label htmlFor="meter-label">{t('meters.label')}</label>
            <input
              id="meter-label"
              value={label}
              maxLength={100}
              onChange={(e) => setLabel(e.target.value)}
            />
          </div>
        </div>
        <div className="field">
          <label htmlFor="meter-key">{t('meters.publicKey')}</label>
          <input
            id="meter-key"
            className="mono"
            value={publicKey}
            onChange={(e) => setPublicKey(e.target.value)}
            aria-describedby="meter-key-help"
            autoComplete="off"
          />
          <small id="meter-key-help" className="muted">
            {t('meters.publicKeyHelp')}
          </small>
        </div>
        {problem ? (
          <p className="note note-error" role="alert">
            {problem}
          </p>
        ) : (
          <ErrorNote error={mutation.error} />
        )}
        <div>
          <button type="submit" className="btn btn-primary" disabled={mutation.isPending}>
            {t('meters.registerSubmit')}
          </button>
        </div>
        {done ? (
          <div className="secret-box" role="status">
            <p>
              <strong>{t('meters.registered', { id: done.meterId })}</strong>
            </p>
            <p className="small">
              {t('meters.publicKey')}: <span className="mono">{done.publicKey}</span>
            </p>
            {done.secretKey ? (
              <>
                <p className="small">{t('meters.secretOnce')}</p>
                <p className="small">
                  <span className="mono">{done.secretKey}</span>{' '}
                  <CopyButton text={done.secretKey} label={t('meters.copySecret')} />
                </p>
              </>
            ) : null}
            {done.chainId ? (
              <p className="small muted">{t('meters.chainId', { id: done.chainId })}</p>
            ) : null}
          </div>
        ) : null}
      </form>
    </Panel>
  );
}
