import { describe, expect, it } from "vitest";
import { parseFeedDate } from "./dates.js";

const utc = (raw: string, timezone?: string) => parseFeedDate(raw, { timezone })?.toISOString();

describe("parseFeedDate", () => {
  it("reads RFC 822 and its real-world variants", () => {
    expect(utc("Thu, 01 Jan 2004 19:48:21 GMT")).toBe("2004-01-01T19:48:21.000Z");
    expect(utc("Thu, 01 Jan 04 19:48:21 GMT")).toBe("2004-01-01T19:48:21.000Z"); // two-digit year
    expect(utc("Thu, 01 Jan 99 19:48:21 GMT")).toBe("1999-01-01T19:48:21.000Z");
    expect(utc("Thu, 01 Jan 2004 19:48 GMT")).toBe("2004-01-01T19:48:00.000Z"); // no seconds
    expect(utc("Fri,24 Nov 2023 18:28:36 -0000")).toBe("2023-11-24T18:28:36.000Z");
    expect(utc("Mon, 13 Feb, 2012 06:28:00 UTC")).toBe("2012-02-13T06:28:00.000Z");
    expect(utc("Tue, 15 Nov 2022 20:15:04 Z")).toBe("2022-11-15T20:15:04.000Z");
    expect(utc("Wed, 02 Oct 2002 13:00:00 +0000 (UTC)")).toBe("2002-10-02T13:00:00.000Z");
  });

  it("knows named and military zones", () => {
    expect(utc("Sat, 28 Nov 2026 08:00:00 EST")).toBe("2026-11-28T13:00:00.000Z");
    expect(utc("Sat, 28 Nov 2026 08:00:00 EDT")).toBe("2026-11-28T12:00:00.000Z");
    expect(utc("Sat, 28 Nov 2026 08:00:00 PST")).toBe("2026-11-28T16:00:00.000Z");
    expect(utc("Sat, 28 Nov 2026 08:00:00 UT")).toBe("2026-11-28T08:00:00.000Z");
    expect(utc("Sat, 28 Nov 2026 08:00:00 A")).toBe("2026-11-28T07:00:00.000Z"); // Alpha = UTC+1
    expect(utc("Sat, 28 Nov 2026 08:00:00 N")).toBe("2026-11-28T09:00:00.000Z"); // November = UTC-1
    expect(utc("Sat, 28 Nov 2026 08:00:00 Europe/Berlin")).toBe("2026-11-28T07:00:00.000Z");
  });

  it("reads AM/PM and month-first order, in the feed's zone when none is written", () => {
    expect(utc("Sat, Dec 16 2023 02:02:33 PM", "America/New_York")).toBe("2023-12-16T19:02:33.000Z");
    expect(utc("Sat, Dec 16 2023 12:02:33 AM")).toBe("2023-12-16T00:02:33.000Z");
    expect(utc("Thu Aug 30 2012 17:26:16 +0200")).toBe("2012-08-30T15:26:16.000Z");
  });

  it("reads zone-less dates in the configured zone, across daylight saving", () => {
    expect(utc("2018-09-18 14:38:10", "Asia/Shanghai")).toBe("2018-09-18T06:38:10.000Z");
    expect(utc("2018-09-18 14:38:10")).toBe("2018-09-18T14:38:10.000Z"); // no zone configured: UTC
    expect(utc("2026-07-01 12:00:00", "Europe/Berlin")).toBe("2026-07-01T10:00:00.000Z");
    expect(utc("2026-01-01 12:00:00", "Europe/Berlin")).toBe("2026-01-01T11:00:00.000Z");
  });

  it("reads ISO 8601 / W3CDTF and asctime", () => {
    expect(utc("2003-12-31T10:14:55.1234Z")).toBe("2003-12-31T10:14:55.000Z");
    expect(utc("2003-12-31T18:14:55+08:00")).toBe("2003-12-31T10:14:55.000Z");
    expect(utc("2003-12")).toBe("2003-12-01T00:00:00.000Z");
    expect(utc("20031231T101455Z")).toBe("2003-12-31T10:14:55.000Z");
    expect(utc("Sun Jan  4 16:29:06 2004")).toBe("2004-01-04T16:29:06.000Z");
  });

  it("reads localized day and month names", () => {
    expect(utc("mer, 16 nov 2022 00:38:15 +0100")).toBe("2022-11-15T23:38:15.000Z"); // Italian
    expect(utc("Seg, 24 Set 2018 19:42:40 -0300")).toBe("2018-09-24T22:42:40.000Z"); // Portuguese
    expect(utc("Mi, 16 Okt 2024 10:00:00 +0200")).toBe("2024-10-16T08:00:00.000Z"); // German
    expect(utc("mer., 16 oct. 2024 10:00:00 +0200")).toBe("2024-10-16T08:00:00.000Z"); // French
    expect(utc("Κυρ, 11 Ιούλ 2004 12:00:00 EST")).toBe("2004-07-11T17:00:00.000Z"); // Greek
    expect(utc("2004-július-13T9:15-05:00")).toBe("2004-07-13T14:15:00.000Z"); // Hungarian
    expect(utc("2004-05-25 오후 11:23:17")).toBe("2004-05-25T14:23:17.000Z"); // Korean, KST
    expect(utc("2018年9月18日 14:38", "Asia/Shanghai")).toBe("2018-09-18T06:38:00.000Z");
  });

  it("gives undefined for what is no valid date", () => {
    for (const bad of ["", "   ", "yesterday", "Sun, 16 Dec 2012 1:2:3:4 GMT", "Sun, 16 zzz 2012 11:47:32 GMT", "Sun, 99 Jun 2009 12:00:00 GMT",
      "Mon, 30 Feb 2026 10:00:00 GMT", "2003-12-31T25:14:55Z", "2013-01-28T11:30:00-06:00Textra", "Sun, 16 Dec 2012 11:47:32 +zz:00", "Sat, 28 Nov 2026 08:00:00 XYZ"])
      expect(parseFeedDate(bad), bad).toBeUndefined();
  });
});
