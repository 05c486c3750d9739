// The two slots of a day, listed once: the editions table, the CLI, the API and the schedule use
// these names, and the wire (proto `Slot`) converts to and from them here.
import { Slot } from "@newsroom/proto/events";

export const SLOTS = ["morning", "evening"] as const;
export type SlotName = (typeof SLOTS)[number];

const WIRE: Record<SlotName, Slot> = { morning: Slot.SLOT_MORNING, evening: Slot.SLOT_EVENING };

export function isSlot(value: unknown): value is SlotName {
  return (SLOTS as readonly unknown[]).includes(value);
}

export function slotToWire(slot: SlotName): Slot {
  return WIRE[slot];
}

/** The slot a wire value names; undefined for SLOT_UNSPECIFIED or a value this code does not know. */
export function slotFromWire(slot: Slot): SlotName | undefined {
  return SLOTS.find((s) => WIRE[s] === slot);
}

/** The local calendar date (YYYY-MM-DD) and hour of `at` in `timeZone`. */
export function localDateHour(at: Date, timeZone: string): { date: string; hour: number } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", hourCycle: "h23" })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, hour: Number(parts.hour) };
}

export function slotAt(at: Date, timeZone: string): SlotName {
  return localDateHour(at, timeZone).hour < 14 ? "morning" : "evening";
}
