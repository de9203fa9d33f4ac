// A vessel's flag from its MMSI's Maritime Identification Digits, by the
// ITU table internal/ais keeps (turned into a module at build time).

import { MID } from "virtual:mid-table";

export function midOf(mmsi) {
  const s = String(mmsi || "");
  if (s.length !== 9) return 0;
  if (s.startsWith("00")) return 0; // coast station
  if (s.startsWith("0")) return +s.slice(1, 4); // group
  if (s.startsWith("111")) return +s.slice(3, 6); // SAR aircraft
  if (s.startsWith("98") || s.startsWith("99")) return +s.slice(2, 5); // craft with a parent ship, aids to navigation
  return +s.slice(0, 3);
}

// flagOf returns the ISO 3166-1 alpha-2 code and the ITU's name of the
// flag, or null.
export function flagOf(mmsi) {
  const e = MID[midOf(mmsi)];
  return e ? { code: e[0], name: e[1] } : null;
}

// emoji writes a flag as regional indicator symbols (a code the font may
// draw as a flag).
export function emoji(code) {
  if (!/^[A-Z]{2}$/.test(code)) return "";
  return String.fromCodePoint(...[...code].map((c) => 0x1f1e6 + c.charCodeAt(0) - 65));
}
