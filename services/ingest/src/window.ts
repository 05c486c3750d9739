// The freshness window: an item is in when its source timestamp lies within the edition's
// window before the edition's `now` (and not further ahead than clock skew explains).
// This goes by timestamps only, never by anyone's opinion; an item with no usable date is
// out, with the reason recorded.

export interface WindowOptions {
  now: Date;
  windowHours: number;
  /** How far ahead of `now` a source clock may be and still count (minutes). */
  futureSkewMinutes?: number;
}

export interface OutOfWindow<T> {
  item: T;
  reason: string;
}

export function applyWindow<T extends { published?: Date }>(items: T[], opts: WindowOptions): { kept: (T & { published: Date })[]; dropped: OutOfWindow<T>[] } {
  const now = opts.now.getTime();
  const earliest = now - opts.windowHours * 3_600_000;
  const latest = now + (opts.futureSkewMinutes ?? 15) * 60_000;
  const kept: (T & { published: Date })[] = [];
  const dropped: OutOfWindow<T>[] = [];
  for (const item of items) {
    const at = item.published?.getTime();
    if (at === undefined || Number.isNaN(at)) dropped.push({ item, reason: "no usable date" });
    else if (at < earliest) dropped.push({ item, reason: `published ${iso(at)}, ${hours(now - at)} h before the edition's now (window ${opts.windowHours} h)` });
    else if (at > latest) dropped.push({ item, reason: `dated ${iso(at)}, ${hours(at - now)} h after the edition's now` });
    else kept.push(item as T & { published: Date });
  }
  return { kept, dropped };
}

const iso = (ms: number) => new Date(ms).toISOString().replace(".000Z", "Z");
const hours = (ms: number) => (ms / 3_600_000).toFixed(1);
