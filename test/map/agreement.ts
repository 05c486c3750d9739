// Where the code and the newsroom's map (platform/src/newsroom.ts) disagree, in sentences. The
// code side is observed, not declared: the registrations a service's spec really returns, the
// gRPC services it really serves, the events its source writes to the outbox, the role files and
// service folders on disk.
import { consumerName, consumesOf, emitsOf, isServiceName, SERVICE_NAMES, type NewsroomDeclaration, type ServiceName } from "@newsroom/platform/newsroom";

export interface ObservedService {
  name: string;
  registrations: { event: string; consumer: string }[];
  /** Full proto names of the gRPC services it serves (besides health). */
  grpc: string[];
  /** Events its own folder's code writes to the outbox literally. */
  emitted: string[];
}

export interface ObservedCode {
  services: ObservedService[];
  /** Events any runtime code writes to the outbox (shared helpers in platform/ included). */
  emittedAnywhere: string[];
  /** Folders under services/. */
  serviceFolders: string[];
  /** The text of a repository file, or undefined when there is none. */
  readFile(path: string): string | undefined;
  /** Roles that call a model (config), and the anchors' personas. */
  modelRoles: readonly string[];
  personas: readonly string[];
}

export function mapDisagreements(map: NewsroomDeclaration, code: ObservedCode): string[] {
  const problems: string[] = [];
  const say = (p: string) => problems.push(p);

  for (const folder of code.serviceFolders) if (!isServiceName(folder)) say(`folder services/${folder} is not a service the map declares`);
  for (const svc of SERVICE_NAMES) if (!code.services.some((s) => s.name === svc)) say(`the map declares service ${svc}, but nothing runs it`);

  for (const s of code.services) {
    if (!isServiceName(s.name)) {
      say(`service ${s.name} runs, but the map declares no such service`);
      continue;
    }
    const svc: ServiceName = s.name;
    const consumes = consumesOf(svc, map);
    for (const r of s.registrations) {
      if (!consumes.includes(r.event as never)) say(`${svc} consumes ${r.event} (consumer ${r.consumer}), but the map does not name ${svc} among its consumers`);
      else if (r.consumer !== consumerName(svc, r.event as never))
        say(`${svc} consumes ${r.event} as "${r.consumer}", but the map names that consumer "${consumerName(svc, r.event as never)}"`);
    }
    for (const e of consumes) if (!s.registrations.some((r) => r.event === e)) say(`the map says ${svc} consumes ${e}, but ${svc} registers no consumer of it`);

    const emits = emitsOf(svc, map);
    for (const e of s.emitted) if (!emits.includes(e as never)) say(`${svc} writes ${e} to its outbox, but the map does not name ${svc} among its producers`);
    for (const e of emits) if (!code.emittedAnywhere.includes(e)) say(`the map says ${svc} emits ${e}, but no code writes it to the outbox`);

    const grpc = map.services[svc].grpc;
    for (const api of s.grpc) if (!grpc.includes(api)) say(`${svc} serves ${api}, but the map does not say so`);
    for (const api of grpc) if (!s.grpc.includes(api)) say(`the map says ${svc} serves ${api}, but it does not`);
  }

  for (const [event, d] of Object.entries(map.events)) if (!d.from.length) say(`event ${event} has no producer in the map`);

  for (const [role, d] of Object.entries(map.roles)) {
    const text = code.readFile(d.module);
    if (text === undefined) say(`role ${role}: its module ${d.module} does not exist`);
    else if (!d.module.startsWith(`services/${d.service}/src/`)) say(`role ${role}: its module ${d.module} is not in the ${d.service} service's folder`);
    // A model role's module defines the role's task; other roles' modules at least name them.
    else if (d.kind === "model" ? !text.includes(`role: "${role}"`) : !text.includes(role)) say(`role ${role}: ${d.module} does not say it is the ${role}`);
  }
  const ofKind = (kind: string) => Object.entries(map.roles).flatMap(([r, d]) => (d.kind === kind ? [r] : [])).sort();
  if (ofKind("model").join() !== [...code.modelRoles].sort().join()) say(`the map's model roles (${ofKind("model").join(", ")}) are not the config's (${code.modelRoles.join(", ")})`);
  if (ofKind("voice").join() !== [...code.personas].sort().join()) say(`the map's voice roles (${ofKind("voice").join(", ")}) are not the config's personas (${code.personas.join(", ")})`);

  return problems;
}
