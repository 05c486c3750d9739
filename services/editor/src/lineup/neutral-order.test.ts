import { describe, expect, it } from "vitest";
import { neutralOrder } from "./neutral-order.js";

// Story ids as ingest makes them; listed newest first, as loadCandidates returns them.
const ids = Array.from({ length: 12 }, (_, i) => ({ id: `2018-09-18-evening-3f9c-s${String(i + 1).padStart(2, "0")}` }));
const order = (items: { id: string }[]) => items.map((c) => c.id);
const byId = [...ids].sort((a, b) => a.id.localeCompare(b.id));

describe("neutral candidate order", () => {
  it("is a permutation that is neither the input order nor the id (hash) order", () => {
    const shown = neutralOrder(ids, "2018-09-18-evening-3f9c/editor_in_chief");
    expect([...order(shown)].sort()).toEqual(order(byId));
    expect(order(shown)).not.toEqual(order(ids));
    expect(order(shown)).not.toEqual(order(byId));
    expect(order(shown)).not.toEqual(order(byId).reverse());
  });
  it("is the same for one edition whatever order the rows come in, and differs between editions and editors", () => {
    const seed = "2018-09-18-evening-3f9c/editor_in_chief";
    const once = order(neutralOrder(ids, seed));
    expect(order(neutralOrder([...ids].reverse(), seed))).toEqual(once);
    expect(order(neutralOrder(ids, seed))).toEqual(once);
    expect(order(neutralOrder(ids, "2018-09-19-morning-77aa/editor_in_chief"))).not.toEqual(once);
    expect(order(neutralOrder(ids, "2018-09-18-evening-3f9c/deputy_editor"))).not.toEqual(once);
  });
  it("puts no candidate first more often than chance across editions", () => {
    const firsts = new Map<string, number>();
    for (let e = 0; e < 1200; e++) {
      const first = neutralOrder(ids, `edition-${e}/editor_in_chief`)[0].id;
      firsts.set(first, (firsts.get(first) ?? 0) + 1);
    }
    // 100 expected each; a fixed (hash or input) order would put one candidate first 1200 times.
    expect(firsts.size).toBe(ids.length);
    for (const n of firsts.values()) expect(n).toBeLessThan(160);
  });
});
