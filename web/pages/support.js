// Support requests firms sent from the public portal (/public/support) to the caller's clusters:
// statuses, answer times, take, answer, close (the region reads; its clusters' managers answer).
import { t, fmt, dateTime } from "/i18n.js";
import { label } from "/vocab.js";
import { api } from "/lib/api.js";
import { el } from "/lib/dom.js";
import { table } from "/lib/table.js";
import { problemBox } from "/lib/blocks.js";

export async function pageSupport(root) {
  const list = el("div", { id: "support" });
  const summary = el("p", { class: "muted", id: "support-summary" });
  async function load() {
    const r = await api("GET", "/api/v1/support-requests");
    summary.replaceChildren(t("sup.summary", { r: r.received, t: r.taken, a: r.answered, c: r.closed }), " ",
      r.median_hours_to_answer == null ? t("sup.no_delay") : t("sup.median", { h: fmt(r.median_hours_to_answer, 1) }));
    const act = (x) => {
      if (!x.may_update || x.status === "closed") return x.answer ? el("span", { translate: "no", class: "pre" }, x.answer) : "";
      const answer = el("textarea", { class: "fr-input", "aria-label": t("sup.answer"), placeholder: t("sup.answer"), maxlength: 4000, rows: 3 }, x.answer || "");
      const move = (status) => async () => {
        try { await api("POST", `/api/v1/support-requests/${encodeURIComponent(x.id)}`, { status, answer: answer.value.trim() || undefined }); load(); }
        catch (err) { list.prepend(problemBox(err)); }
      };
      return el("div", { class: "filters" }, answer,
        x.status === "received" ? el("button", { type: "button", class: "secondary", onclick: move("taken") }, t("sup.take")) : "",
        el("button", { type: "button", onclick: move("answered") }, t("sup.send")),
        el("button", { type: "button", class: "secondary", onclick: move("closed") }, t("sup.close")));
    };
    const who = (x) => el("span", { translate: "no" }, x.name, el("br"), el("a", { href: `mailto:${encodeURIComponent(x.email).replace("%40", "@")}` }, x.email), el("br"), `SIREN ${x.siren}`);
    list.replaceChildren(r.items.length ? table([
      { label: t("sup.received"), value: (x) => dateTime(x.created_at) },
      { label: t("sup.firm"), value: who },
      { label: t("sup.need"), value: (x) => el("span", { translate: "no", class: "pre" }, x.need) },
      { label: t("sup.theme"), value: (x) => (x.theme ? label("theme", x.theme) : "—") },
      { label: t("sup.cluster"), value: (x) => (x.cluster_id ? el("a", { href: `#/cluster/${encodeURIComponent(x.cluster_id)}`, translate: "no" }, x.cluster_name || x.cluster_id) : t("sup.unrouted")) },
      { label: t("status"), value: (x) => label("support_status", x.status) },
      { label: t("sup.delay"), value: (x) => (x.hours_to_answer == null ? "" : t("sup.hours", { h: fmt(x.hours_to_answer, 1) })) },
      { label: t("sup.action"), value: act },
    ], r.items, null, { id: "support-table" }) : el("p", {}, t("sup.none")));
  }
  root.append(el("h1", {}, t("sup.title")), el("p", { class: "muted" }, t("sup.intro")), summary, list);
  await load();
}
