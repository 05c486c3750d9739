// Asking for an edition: one editions row and its `edition.requested` event, committed together.
import { randomBytes } from "node:crypto";
import type { LoadedConfig } from "@newsroom/platform/config/load";
import type { Db } from "@newsroom/platform/db/connect";
import { writeOutboxEvent } from "@newsroom/platform/outbox/write";
import { inTransaction } from "@newsroom/platform/runner/transactions";
import { showSlug } from "@newsroom/platform/editions/show-slug";
import { isSlot, localDateHour, slotAt, SLOTS, slotToWire, type SlotName } from "@newsroom/platform/editions/slot";
import type { EditionNote } from "@newsroom/platform/editorial/notes";

export type { SlotName };
export { localDateHour, slotAt };

export class EditionRequestError extends Error {
  override name = "EditionRequestError";
}

export interface RequestEditionOptions {
  db: Db;
  config: LoadedConfig;
  /** Defaults from `now` in the edition's time zone: before 14:00 morning, else evening. */
  slot?: SlotName;
  /** The edition's "now" (freshness windows are measured from it); defaults to the clock. */
  now?: Date;
  /** Called after the commit, so the outbox relay publishes at once. */
  onCommitted?: () => void;
  /**
   * A scheduled edition has the id `<date>-<slot>`: asking twice (several replicas, a restart)
   * makes one edition, and `created` says whether this call made it.
   */
  scheduled?: boolean;
}

/** The local calendar date and hour of `at` in `timeZone`. */
/** What the edition page says about how it was made, known before any work starts. */
export function initialNotes(config: LoadedConfig): EditionNote[] {
  const notes: EditionNote[] = config.warnings.map((message) => ({ kind: "warning", message }));
  const offline = Object.values(config.chains)
    .flat()
    .filter((c) => c.config.kind === "offline")
    .map((c) => c.ref);
  if (offline.length)
    notes.push({
      kind: "offline",
      message: "Made (at least in part) by the embedded offline provider: extractive, deterministic, no model was asked.",
      models: [...new Set(offline)],
    });
  return notes;
}

/** The config the edition is made with. It holds environment variable names, never their values. */
export function configSnapshot(config: LoadedConfig): unknown {
  const { chains: _chains, warnings: _warnings, ...snapshot } = config;
  return snapshot;
}

/**
 * Inserts the edition (status "requested") and its `edition.requested` outbox row in one
 * transaction. The deadline is measured from the real clock, not from `now`: an edition made
 * today for a past "now" (a replay, a test) still gets `deadline_minutes` of working time.
 */
export async function requestEdition(opts: RequestEditionOptions): Promise<{ editionId: string; created: boolean }> {
  const { db, config } = opts;
  const clock = new Date();
  const now = opts.now ?? clock;
  if (Number.isNaN(now.getTime())) throw new EditionRequestError("now: not a valid time");
  if (opts.slot !== undefined && !isSlot(opts.slot))
    throw new EditionRequestError(`slot: expected ${SLOTS.map((s) => JSON.stringify(s)).join(" or ")}; found ${JSON.stringify(opts.slot)}`);

  const tz = config.edition.timezone;
  const slot = opts.slot ?? slotAt(now, tz);
  const day = `${localDateHour(now, tz).date}-${slot}`;
  const editionId = opts.scheduled ? day : `${day}-${randomBytes(3).toString("hex")}`;
  const deadline = new Date(clock.getTime() + config.edition.deadline_minutes * 60_000);

  const created = await inTransaction(db, async (tx) => {
    const inserted = await tx
      .insertInto("editions")
      .values({
        id: editionId,
        slot,
        language: config.edition.language,
        status: "requested",
        now,
        deadline_at: deadline,
        config: JSON.stringify(configSnapshot(config)),
        notes: JSON.stringify(initialNotes(config)),
        show_slug: showSlug(config),
      })
      .onConflict((oc) => oc.column("id").doNothing())
      .returning("id")
      .executeTakeFirst();
    if (!inserted) return false;
    await writeOutboxEvent(tx, "edition.requested", { slot: slotToWire(slot), now, deadline }, { editionId, key: `requested:${editionId}` });
    return true;
  });
  if (created) opts.onCommitted?.();
  else if (!opts.scheduled) throw new EditionRequestError(`edition ${editionId} exists already`);
  return { editionId, created };
}
