// `newsroom`: serve services, migrate, check the config, inspect dead letters, make an edition.
import { Command, InvalidArgumentError } from "commander";
import { isSlot, SLOTS } from "@newsroom/platform/editions/slot";
import { PIPELINE_SERVICES, SERVICE_NAMES } from "@newsroom/platform/newsroom";
import { runCommand } from "./run-command.js";

const program = new Command()
  .name("newsroom")
  .description("An AI-only newsroom: feeds in, a spoken briefing out.")
  .showHelpAfterError("(run `newsroom --help` for usage)");

program
  .command("edition")
  .description("make one whole edition in this process (embedded database, in-process bus) and print where it is")
  .requiredOption("-c, --config <file>", "newsroom YAML config")
  .option("-o, --out <dir>", "output folder (feed.xml and one folder per edition)", "editions")
  .option("-s, --slot <slot>", "morning or evening (default: from --now in the edition's time zone)", parseSlot)
  .option("-n, --now <iso>", "the edition's now, ISO-8601 (default: the clock); freshness is measured from it", parseNow)
  .option("-d, --data <dir>", "embedded database folder (keeps editions between runs)", ".newsroom/data")
  .option("-v, --verbose", "print service logs too")
  .action(runCommand("edition"));

program
  .command("request")
  .description("ask a running newsroom (the ingest service's gRPC API) for an edition, and follow it")
  .requiredOption("--server <host:port>", "address of the ingest service's gRPC API")
  .option("-s, --slot <slot>", "morning or evening (default: from --now in the edition's time zone)", parseSlot)
  .option("-n, --now <iso>", "the edition's now, ISO-8601 (default: the server's clock)", parseNow)
  .option("--no-watch", "return once the edition is requested")
  .action(runCommand("request"));

program
  .command("serve")
  .description(`run services: ${SERVICE_NAMES.join(" ")}, or all (the ${PIPELINE_SERVICES.length} that make editions; add site to serve them too). NATS_URL/DATABASE_URL select the real bus and database`)
  .argument("<services...>", "service names, or all")
  .action(runCommand("serve"));

program.command("migrate").description("create or update the database schema (DATABASE_URL, or the embedded DATA_DIR)").action(runCommand("migrate"));

program
  .command("check-config")
  .description("validate a config file and print it resolved, secrets masked")
  .option("-c, --config <file>", "newsroom YAML config (default: NEWSROOM_CONFIG or newsroom.yaml)")
  .action(runCommand("check-config"));

const dl = program.command("dead-letters").description("messages that failed every delivery");
dl.command("list")
  .option("--consumer <name>", "only this consumer")
  .option("--all", "include replayed ones")
  .action(runCommand("dead-letters list"));
dl.command("replay")
  .argument("<id>", "dead letter id", parseId)
  .description("publish a dead letter again on its subject")
  .action(runCommand("dead-letters replay"));

const reports = program.command("reports").description("listener reports and the corrections desk's decisions (DATABASE_URL, or the embedded DATA_DIR)");
reports
  .command("list")
  .description("every report, oldest first")
  .option("--status <status>", "filed, upheld or rejected", parseReportStatus)
  .option("--edition <id>", "only reports on this edition")
  .action(runCommand("reports list"));
reports.command("show").argument("<id>", "report id (r-...)").description("one report, its decision and correction").action(runCommand("reports show"));
reports
  .command("decide")
  .argument("<id>", "report id (r-...)")
  .argument("<decision>", "uphold or reject")
  .requiredOption("--reason <text>", "why; for an upheld report, what the correction read on air says")
  .description("decide a report (an upheld one is read at the top of the show's next edition)")
  .action(runCommand("reports decide"));

await program.parseAsync(process.argv);

function parseSlot(v: string) {
  if (!isSlot(v)) throw new InvalidArgumentError(`expected ${SLOTS.join(" or ")}`);
  return v;
}
function parseNow(v: string) {
  const d = new Date(v);
  if (!/^\d{4}-\d{2}-\d{2}/.test(v) || Number.isNaN(d.getTime())) throw new InvalidArgumentError("expected an ISO-8601 time such as 2026-11-28T07:00:00+08:00");
  return d;
}
function parseReportStatus(v: string) {
  if (!["filed", "upheld", "rejected"].includes(v)) throw new InvalidArgumentError("expected filed, upheld or rejected");
  return v;
}
function parseId(v: string) {
  if (!/^\d+$/.test(v)) throw new InvalidArgumentError("expected a number");
  return Number(v);
}
