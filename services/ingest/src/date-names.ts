// Month and weekday names in the languages feeds are written in, taken from ICU (Intl) rather
// than a hand-written table, so "mer, 16 nov 2022" (it), "Seg, 24 Set 2018" (pt) and
// "Κυρ, 11 Ιούλ 2004" (el) read like "Wed, 16 Nov 2022".

const LOCALES = ["en", "it", "pt", "de", "fr", "es", "ca", "nl", "el", "hu", "pl", "cs", "sv", "da", "nb", "fi", "ro", "tr", "ru", "id"];

/** Lower case, no accents, no trailing dot: "Févr." -> "fevr", "Ιούλ" -> "ιουλ". */
export function normalizeName(word: string): string {
  return word.normalize("NFD").replace(/\p{M}/gu, "").replace(/\.$/, "").toLowerCase();
}

function buildMonths(): Map<string, number> {
  const months = new Map<string, number>();
  const ambiguous = new Set<string>();
  const add = (name: string, month: number) => {
    const key = normalizeName(name);
    if (key.length < 3 || /\d/.test(key)) return;
    const seen = months.get(key);
    if (seen !== undefined && seen !== month) ambiguous.add(key);
    months.set(key, month);
  };
  for (const locale of LOCALES) {
    for (const width of ["short", "long"] as const) {
      const standalone = new Intl.DateTimeFormat(locale, { month: width, timeZone: "UTC" });
      // In a date ("16. März", "11 Ιουλίου") some languages use another form than standalone.
      const inDate = new Intl.DateTimeFormat(locale, { month: width, day: "numeric", timeZone: "UTC" });
      for (let m = 0; m < 12; m++) {
        const date = new Date(Date.UTC(2021, m, 15));
        add(standalone.format(date), m + 1);
        for (const part of inDate.formatToParts(date)) if (part.type === "month") add(part.value, m + 1);
      }
    }
  }
  // English spellings seen in feeds that ICU does not produce.
  for (const [name, m] of [["sept", 9], ["june", 6], ["july", 7]] as const) add(name, m);
  for (const key of ambiguous) months.delete(key);
  return months;
}

function buildWeekdays(): Set<string> {
  const days = new Set<string>();
  for (const locale of LOCALES) {
    for (const width of ["short", "long"] as const) {
      const fmt = new Intl.DateTimeFormat(locale, { weekday: width, timeZone: "UTC" });
      for (let d = 0; d < 7; d++) {
        const key = normalizeName(fmt.format(new Date(Date.UTC(2021, 0, 3 + d))));
        if (key.length >= 2) days.add(key);
      }
    }
  }
  return days;
}

const MONTHS = buildMonths();
const WEEKDAYS = buildWeekdays();

/** 1..12, or undefined for a word that is no month name in any known language. */
export function monthNumber(word: string): number | undefined {
  return MONTHS.get(normalizeName(word));
}

export function isWeekdayName(word: string): boolean {
  return WEEKDAYS.has(normalizeName(word));
}
