// The funding programmes' names (the referential's, GET /api/v1/programme).
import { lang } from "/i18n.js";
import { label, hasLabel } from "/vocab.js";
import { api } from "/lib/api.js";

// A programme of the referential in the page's language.
export const programmeName = (p) => (lang === "en" && p.name_en ? p.name_en : p.name);
// A programme's code as a word: the vocabulary's short word for the programmes it knows, else the
// referential's name (a programme the State added; loadProgrammes), else the code.
let programmeNames = {};
export async function loadProgrammes() {
  try { programmeNames = Object.fromEntries((await api("GET", "/api/v1/programme?limit=1000")).items.map((p) => [p.code, p])); } catch { /* role without access */ }
}
export const programmeLabel = (code) => (!code || hasLabel("programme", code) || !programmeNames[code] ? label("programme", code) : programmeName(programmeNames[code]));
