// Scheduled editions: at each slot's local time (config `edition.schedule`), the edition for
// that day and slot is requested. The id `<date>-<slot>` makes this safe with several ingest
// replicas and across restarts; a slot missed by up to `graceMinutes` (a restart) is caught up.
import type { LoadedConfig } from "@newsroom/platform/config/load";
import type { Db } from "@newsroom/platform/db/connect";
import type { Logger } from "@newsroom/platform/log";
import { localDateHour, requestEdition, type SlotName } from "./request.js";

export interface EditionScheduleOptions {
  db: Db;
  config: LoadedConfig;
  onCommitted?: () => void;
  log?: Logger;
  intervalMs?: number;
  graceMinutes?: number;
  clock?: () => Date;
}

/** Slots due at `at`: their local time has passed today, by no more than the grace period. */
export function dueSlots(at: Date, config: LoadedConfig, graceMinutes: number): SlotName[] {
  const tz = config.edition.timezone;
  const minutesNow = localMinutes(at, tz);
  return (Object.entries(config.edition.schedule) as [SlotName, string | undefined][])
    .filter(([, time]) => time !== undefined)
    .filter(([, time]) => {
      const [h, m] = time!.split(":").map(Number);
      const late = minutesNow - (h * 60 + m);
      return late >= 0 && late <= graceMinutes;
    })
    .map(([slot]) => slot);
}

function localMinutes(at: Date, timeZone: string): number {
  const { hour } = localDateHour(at, timeZone);
  const minute = Number(new Intl.DateTimeFormat("en", { timeZone, minute: "2-digit" }).format(at));
  return hour * 60 + minute;
}

export function startEditionSchedule(opts: EditionScheduleOptions): { tick(): Promise<string[]>; stop(): Promise<void> } {
  const clock = opts.clock ?? (() => new Date());
  const grace = opts.graceMinutes ?? 120;
  let running: Promise<string[]> | undefined;

  const tick = async () => {
    const now = clock();
    const made: string[] = [];
    for (const slot of dueSlots(now, opts.config, grace)) {
      try {
        const { editionId, created } = await requestEdition({ db: opts.db, config: opts.config, slot, now, scheduled: true, onCommitted: opts.onCommitted });
        if (created) {
          made.push(editionId);
          opts.log?.info(`scheduled edition ${editionId} requested`);
        }
      } catch (err) {
        opts.log?.warn(`scheduled ${slot} edition could not be requested: ${(err as Error).message}`);
      }
    }
    return made;
  };

  const timer = setInterval(() => {
    running ??= tick().finally(() => (running = undefined));
  }, opts.intervalMs ?? 30_000);
  timer.unref();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
