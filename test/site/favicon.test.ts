// Browsers ask for /favicon.ico on every page: without one the site answers 204 (no console
// error on each edition page), a folder that has one gets it served, other misses stay 404.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildSite } from "@newsroom/site/site";

describe("site: /favicon.ico", () => {
  it("204 without an icon, the file when the folder has one, 404 for other missing files", async () => {
    const root = mkdtempSync(join(tmpdir(), "newsroom-favicon-"));
    const app = await buildSite({ root });
    try {
      expect((await app.inject({ url: "/favicon.ico" })).statusCode).toBe(204);
      const missing = await app.inject({ url: "/nothing.png" });
      expect(missing.statusCode).toBe(404);
      expect(missing.body).toBe("not found: /nothing.png\n");
      writeFileSync(join(root, "favicon.ico"), Buffer.from([0, 0, 1, 0]));
      const icon = await app.inject({ url: "/favicon.ico" });
      expect(icon.statusCode).toBe(200);
      expect(icon.rawPayload).toEqual(Buffer.from([0, 0, 1, 0]));
    } finally {
      await app.close();
    }
  });
});
