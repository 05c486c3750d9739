// Deadlines: an edition ships on time with what is ready. Every interval, each unpublished
// edition past its deadline is published (or marked failed when no story was voiced), its
// `edition.published` event written to the outbox in the same transaction. No bus needed.
import type { LoadedConfig } from "@newsroom/platform/config/load";
import type { Db } from "@newsroom/platform/db/connect";
import type { Logger } from "@newsroom/platform/log";
import { outboxEmit } from "@newsroom/platform/outbox/write";
import { inTransaction } from "@newsroom/platform/runner/transactions";
import type { AudioOptions } from "./audio.js";
import { publishInTransaction, type PublishOutcome } from "./publish.js";

export interface DeadlineSweeperOptions {
  db: Db;
  config: LoadedConfig;
  outDir: string;
  intervalMs?: number;
  log?: Logger;
  audio?: AudioOptions;
  /** Called after a commit that queued events, so the outbox relay publishes them at once. */
  onCommitted?: () => void;
  /** Wall clock (deadlines are real time, not the edition's "now"). */
  clock?: () => Date;
}

export interface DeadlineSweeper {
  /** One pass now; resolves with what happened to each overdue edition. */
  sweep(): Promise<{ editionId: string; outcome: PublishOutcome }[]>;
  stop(): Promise<void>;
}

export function startDeadlineSweeper(opts: DeadlineSweeperOptions): DeadlineSweeper {
  const clock = opts.clock ?? (() => new Date());
  let running: Promise<{ editionId: string; outcome: PublishOutcome }[]> | undefined;
  let stopped = false;

  const pass = async () => {
    const now = clock();
    const due = await opts.db
      .selectFrom("editions")
      .select("id")
      .where("status", "not in", ["published", "failed"])
      .where("deadline_at", "<=", now)
      .orderBy("deadline_at")
      .execute();
    const results: { editionId: string; outcome: PublishOutcome }[] = [];
    for (const { id } of due) {
      if (stopped) break;
      try {
        let queued = false;
        const outcome = await inTransaction(opts.db, (tx) =>
          publishInTransaction(tx, outboxEmit(tx, () => (queued = true)), { config: opts.config, outDir: opts.outDir, log: opts.log, audio: opts.audio }, id, "deadline", { clock: now }),
        );
        if (queued) opts.onCommitted?.();
        if (outcome.status === "published")
          opts.log?.info("edition published at its deadline", { edition: id, stories: outcome.assembled.storyCount, leftOut: outcome.assembled.leftOut.length });
        results.push({ editionId: id, outcome });
      } catch (err) {
        // One broken edition must not stop the others; the next pass tries again.
        opts.log?.error("publishing an overdue edition failed", { edition: id, error: (err as Error).message });
      }
    }
    return results;
  };

  const sweep = () => {
    // Passes never overlap: a slow assembly makes the next tick wait, not run twice.
    running ??= pass().finally(() => (running = undefined));
    return running;
  };
  const timer = setInterval(() => void sweep().catch((err) => opts.log?.error("deadline sweep failed", { error: (err as Error).message })), opts.intervalMs ?? 10_000);
  timer.unref();

  return {
    sweep,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running?.catch(() => {});
    },
  };
}
