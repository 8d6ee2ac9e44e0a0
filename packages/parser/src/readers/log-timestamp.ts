/** Offsets in minutes east of UTC for the zone abbreviations PostgreSQL and MySQL print. */
const ZONE_OFFSETS: Record<string, number> = {
  UTC: 0,
  GMT: 0,
  Z: 0,
  UT: 0,
  WET: 0,
  WEST: 60,
  BST: 60,
  CET: 60,
  CEST: 120,
  MET: 60,
  MEST: 120,
  EET: 120,
  EEST: 180,
  MSK: 180,
  MSD: 240,
  IST: 330,
  PKT: 300,
  ICT: 420,
  WIB: 420,
  SGT: 480,
  HKT: 480,
  AWST: 480,
  CST8: 480,
  JST: 540,
  KST: 540,
  ACST: 570,
  ACDT: 630,
  AEST: 600,
  AEDT: 660,
  NZST: 720,
  NZDT: 780,
  HST: -600,
  AKST: -540,
  AKDT: -480,
  PST: -480,
  PDT: -420,
  MST: -420,
  MDT: -360,
  CST: -360,
  CDT: -300,
  EST: -300,
  EDT: -240,
  AST: -240,
  ADT: -180,
  BRT: -180,
  ART: -180,
  NST: -210,
  NDT: -150,
};

const dayCache = new Map<string, number>();

/**
 * Parses the timestamps logs print — `2024-06-27 00:00:07.369 CEST`, `2016-06-07T19:07:02.558338Z`,
 * `2018-09-07T18:45:40.098124+08:00`, `2021-05-27 17:00:00 UTC`, `071015 21:43:52` — into
 * microseconds since the epoch. A timestamp without a zone is read in `defaultOffsetMinutes`.
 * Returns NaN when the text is not a timestamp; `onUnknownZone` hears about zones we cannot place.
 */
let lastText = '';
let lastOffset = NaN;
let lastValue = NaN;

export function parseLogTimestamp(text: string, defaultOffsetMinutes = 0, onUnknownZone?: (zone: string) => void): number {
  // Logs print thousands of lines per second: reuse the last parse when only the fraction differs.
  if (text.length === lastText.length && defaultOffsetMinutes === lastOffset && text.charCodeAt(19) === 46) {
    let same = true;
    for (let k = 18; k >= 0; k--) {
      if (text.charCodeAt(k) !== lastText.charCodeAt(k)) {
        same = false;
        break;
      }
    }
    if (same) {
      // The same second: the fraction, then the same zone text.
      const micros = readFraction(text, 20);
      let k = fractionEnd;
      while (k < text.length && text.charCodeAt(k) === lastText.charCodeAt(k)) k++;
      if (k === text.length) return lastValue + micros;
    }
  }
  const value = parseUncached(text, defaultOffsetMinutes, onUnknownZone);
  if (text.charCodeAt(19) === 46 && !Number.isNaN(value)) {
    lastText = text;
    lastOffset = defaultOffsetMinutes;
    lastValue = value - readFraction(text, 20);
  }
  return value;
}

/** Where the digits read by the last {@link readFraction} ended. */
let fractionEnd = 0;

/** The fraction of a second whose digits start at `from`, in µs (digits past the sixth dropped); sets `fractionEnd`. */
function readFraction(text: string, from: number): number {
  let e = from;
  let micros = 0;
  for (let d = text.charCodeAt(e) - 48; e < text.length && d >= 0 && d <= 9; d = text.charCodeAt(++e) - 48) if (e < from + 6) micros = micros * 10 + d;
  for (let k = Math.min(e, from + 6); k < from + 6; k++) micros *= 10;
  fractionEnd = e;
  return micros;
}

function parseUncached(text: string, defaultOffsetMinutes: number, onUnknownZone?: (zone: string) => void): number {
  let day: string;
  let i: number;
  if (text.charCodeAt(4) === 45) {
    day = text.slice(0, 10);
    i = 11;
  } else if (text.charCodeAt(6) === 32 && isDigits(text, 0, 6)) {
    // MySQL YYMMDD, with the hour possibly space-padded (`061226  5:42:36`)
    day = `20${text.slice(0, 2)}-${text.slice(2, 4)}-${text.slice(4, 6)}`;
    i = 7;
    if (text.charCodeAt(i) === 32) i++;
  } else {
    return NaN;
  }
  let base = dayCache.get(day);
  if (base === undefined) {
    if (!isDigits(day, 0, 4) || !isDigits(day, 5, 7) || !isDigits(day, 8, 10)) return NaN;
    base = Date.UTC(+day.slice(0, 4), +day.slice(5, 7) - 1, +day.slice(8, 10)) * 1000;
    if (dayCache.size > 10_000) dayCache.clear();
    dayCache.set(day, base);
  }
  const colon = text.indexOf(':', i);
  if (colon === -1 || colon - i > 2) return NaN;
  const h = +text.slice(i, colon);
  const m = +text.slice(colon + 1, colon + 3);
  const s = +text.slice(colon + 4, colon + 6);
  if (Number.isNaN(h) || Number.isNaN(m) || Number.isNaN(s)) return NaN;
  let j = colon + 6;
  let micros = 0;
  if (text.charCodeAt(j) === 46) {
    micros = readFraction(text, j + 1);
    j = fractionEnd;
  }
  let offset = defaultOffsetMinutes;
  if (j < text.length) {
    let zone = text.slice(j).trim();
    if (zone.length > 0) {
      const c = zone.charCodeAt(0);
      if (c === 43 || c === 45) {
        const sign = c === 45 ? -1 : 1;
        const digits = zone.slice(1).replace(':', '');
        offset = sign * (+digits.slice(0, 2) * 60 + (digits.length >= 4 ? +digits.slice(2, 4) : 0));
      } else {
        const space = zone.indexOf(' ');
        if (space !== -1) zone = zone.slice(0, space);
        const known = ZONE_OFFSETS[zone];
        if (known !== undefined) offset = known;
        else onUnknownZone?.(zone);
      }
    }
  }
  return base + ((h * 60 + m - offset) * 60 + s) * 1_000_000 + micros;
}

function isDigits(text: string, from: number, to: number): boolean {
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
