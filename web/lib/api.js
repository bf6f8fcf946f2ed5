// The JSON API (/api/v1), and the session it runs in.
import { lang } from "/i18n.js";

// The session once logged in ({ user, csrf }), null before and after. Importers cannot assign an
// imported binding: the shell logs in and out with setMe (api() drops a session the server ended),
// the pages read it with me().
let session = null;
export const me = () => session;
export function setMe(value) { session = value; }

export class ApiError extends Error {
  constructor(problem) { super(problem.detail || problem.title); this.problem = problem; }
}

export async function api(method, path, body, { raw = false, headers = {} } = {}) {
  const h = { "Accept-Language": lang, ...headers };  // the server explains refusals in it
  if (method !== "GET") {
    if (session?.csrf) h["X-CSRF-Token"] = session.csrf;
    if (!raw) h["Content-Type"] = "application/json";
  }
  const res = await fetch(path, { method, headers: h, credentials: "same-origin", body: body === undefined ? undefined : raw ? body : JSON.stringify(body) });
  const text = await res.text();
  const data = text ? JSON.parse(text) : null;
  if (!res.ok) {
    if (res.status === 401 && path !== "/api/v1/login") { session = null; location.hash = "#/login"; }
    throw new ApiError(data || { title: res.statusText, status: res.status });
  }
  return data;
}

// A file the server writes from a JSON body (a workbook): its bytes as a Blob.
export async function apiBlob(path, body) {
  const res = await fetch(path, { method: "POST", credentials: "same-origin", body: JSON.stringify(body),
    headers: { "Accept-Language": lang, "Content-Type": "application/json", ...(session?.csrf ? { "X-CSRF-Token": session.csrf } : {}) } });
  if (!res.ok) {
    if (res.status === 401) { session = null; location.hash = "#/login"; }
    const problem = (res.headers.get("content-type") || "").includes("json") ? await res.json() : null;
    throw new ApiError(problem || { title: res.statusText, status: res.status });
  }
  return res.blob();
}
