// Which addresses a feed URL may reach. A feed URL is untrusted input: without this check a
// config or an OPML file could point the scout at the cloud metadata service, a database on
// the pod network or an admin page on localhost (SSRF). Only public unicast addresses are
// allowed by default; loopback and private ranges each need their own opt-in, and link-local
// (169.254.169.254 is the metadata service), multicast, unspecified and reserved ranges never.
import { lookup, type LookupAddress } from "node:dns";
import type { LookupFunction } from "node:net";
import ipaddr from "ipaddr.js";

export interface AddressPolicy {
  allow_private: boolean;
  allow_loopback: boolean;
}

export class RefusedAddressError extends Error {
  override name = "RefusedAddressError";
  constructor(
    readonly address: string,
    readonly range: string,
  ) {
    super(`refused: resolves to ${describe(range)} address ${address}`);
  }
}

function describe(range: string): string {
  if (range === "private" || range === "uniqueLocal" || range === "carrierGradeNat") return "private";
  if (range === "linkLocal") return "link-local";
  return range;
}

/** undefined when the policy allows the address; otherwise the range that refuses it. */
export function refusedRange(address: string, policy: AddressPolicy): string | undefined {
  if (!ipaddr.isValid(address)) return "invalid";
  const range = ipaddr.process(address).range();
  if (range === "unicast") return undefined;
  if (range === "loopback" && policy.allow_loopback) return undefined;
  if ((range === "private" || range === "uniqueLocal" || range === "carrierGradeNat") && policy.allow_private) return undefined;
  return range;
}

/** Throws RefusedAddressError for an address the policy does not allow. */
export function checkAddress(address: string, policy: AddressPolicy): void {
  const range = refusedRange(address, policy);
  if (range) throw new RefusedAddressError(ipaddr.isValid(address) ? ipaddr.process(address).toString() : address, range);
}

/** A DNS lookup for http.request that checks every address it returns: the check happens on the
 * address actually connected to, so a name that re-resolves to 10.x after a first check gains nothing. */
export function guardedLookup(policy: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    lookup(hostname, { ...options, all: true }, (err, addresses: LookupAddress[]) => {
      if (err) return callback(err, "", 0);
      try {
        for (const a of addresses) checkAddress(a.address, policy);
      } catch (refusal) {
        return callback(refusal as NodeJS.ErrnoException, "", 0);
      }
      if ((options as { all?: boolean }).all) return (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, addresses);
      callback(null, addresses[0].address, addresses[0].family);
    });
  };
}

/** Resolves a host name (or takes an IP literal) and checks every address; for a clear early refusal. */
export async function checkHost(hostname: string, policy: AddressPolicy): Promise<void> {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (ipaddr.isValid(host)) return checkAddress(host, policy);
  const addresses = await new Promise<LookupAddress[]>((resolve, reject) =>
    lookup(host, { all: true }, (err, all) => (err ? reject(err) : resolve(all))),
  );
  for (const a of addresses) checkAddress(a.address, policy);
}
