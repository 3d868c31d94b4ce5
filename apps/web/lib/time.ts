// Times are UTC instants inside the system and shown in Asia/Bangkok (ICT, UTC+7).
export const MARKET_TIME_ZONE = 'Asia/Bangkok';

export function formatIct(instant: Date | string, locale = 'en-GB'): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  return `${new Intl.DateTimeFormat(locale, {
    timeZone: MARKET_TIME_ZONE,
    year: 'numeric',
    month: 'short',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hour12: false,
  }).format(date)} ICT`;
}

export function formatDuration(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return h > 0 ? `${h}h ${m}m ${sec}s` : m > 0 ? `${m}m ${sec}s` : `${sec}s`;
}
