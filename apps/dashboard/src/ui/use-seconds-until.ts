import { useEffect, useState } from 'react';

/** Seconds until `iso` (negative once past), ticking every `everyMs`. */
export function useSecondsUntil(iso: string, everyMs = 500): number {
  const target = Date.parse(iso);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return (target - now) / 1000;
}
