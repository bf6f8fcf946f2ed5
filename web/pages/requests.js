// Requests made by the caller's scope, and those it decides (co-labels, master data).
import { t, date, dateTime } from "/i18n.js";
import { label } from "/vocab.js";
import { api, me } from "/lib/api.js";
import { el } from "/lib/dom.js";
import { table } from "/lib/table.js";
import { problemBox } from "/lib/blocks.js";

export async function pageRequests(root) {
  const list = el("div", { id: "requests" });
  async function load() {
    const r = await api("GET", "/api/v1/requests");
    const act = (x) => {
      if (x.status !== "pending") return x.answer ? el("span", { translate: "no" }, x.answer) : "";
      const answer = el("input", { class: "fr-input", "aria-label": t("req.answer"), placeholder: t("req.answer"), maxlength: 500 });
      const decide = (verb) => async () => {
        try { await api("POST", `/api/v1/requests/${encodeURIComponent(x.id)}/${verb}`, { answer: answer.value || undefined }); load(); }
        catch (err) { list.prepend(problemBox(err)); }
      };
      if (x.may_decide) return el("div", { class: "filters" }, answer,
        el("button", { type: "button", onclick: decide("accept") }, t("req.accept")),
        el("button", { type: "button", class: "secondary", onclick: decide("refuse") }, t("req.refuse")));
      if (["cluster_manager", "region"].includes(me().user.role)) return el("button", { type: "button", class: "secondary", onclick: async () => {
        try { await api("DELETE", `/api/v1/requests/${encodeURIComponent(x.id)}`); load(); } catch (err) { list.prepend(problemBox(err)); } } }, t("req.withdraw"));
      return "";
    };
    const target = (x) => el("a", { href: `#/${x.kind === "colabel" ? "project" : "organisation"}/${encodeURIComponent(x.target)}`, translate: "no" }, x.target_name || x.target);
    const what = (x) => (x.kind === "colabel" ? t("req.kind_colabel", { d: date(x.date) })
      : Object.entries(x.changes).map(([k, v]) => `${t(k) === k ? k : t(k)} → ${v}`).join(" ; "));
    list.replaceChildren(r.items.length ? table([
      { label: t("req.requested"), value: (x) => dateTime(x.requested_at) }, { label: t("req.target"), value: target },
      { label: t("req.what"), value: what }, { label: t("req.cluster"), value: (x) => el("a", { href: `#/cluster/${encodeURIComponent(x.cluster_id)}`, translate: "no" }, x.cluster_name || x.cluster_id) },
      { label: t("req.comment"), value: (x) => el("span", { translate: "no" }, x.comment || "") },
      { label: t("status"), value: (x) => label("request_status", x.status) }, { label: t("req.action"), value: act },
    ], r.items, null, { id: "requests-table" }) : el("p", {}, t("req.none")));
  }
  root.append(el("h1", {}, t("req.title")), el("p", { class: "muted" }, t("req.intro")), list);
  await load();
}
