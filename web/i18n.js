// French by default, English on request (the choice is remembered in localStorage).
const fr = {
  skip: "Aller au contenu", tagline: "observatoire des pôles de compétitivité",
  "nav.map": "Carte", "nav.clusters": "Pôles", "nav.import": "Import", "nav.users": "Comptes", "nav.audit": "Journal", "nav.account": "Mon compte",
  logout: "Se déconnecter", footer: "Données de démonstration synthétiques — secret statistique appliqué aux agrégats d'entreprises.",
  "login.title": "Connexion", "login.name": "Identifiant", "login.password": "Mot de passe", "login.submit": "Se connecter",
  "map.title": "Les pôles par région", "map.indicator": "Indicateur", "map.year": "Année", "map.overseas": "Outre-mer",
  "ind.clusters": "Pôles", "ind.members": "Membres actifs", "ind.projects": "Projets labellisés", "ind.public_aid": "Aides publiques (€)",
  "region": "Région", "clusters.title": "Pôles de compétitivité", "search": "Rechercher", "all": "Toutes",
  "name": "Nom", "members": "Membres", "companies": "Entreprises", "sme_share": "Part de PME", "projects": "Projets", "phase": "Phase",
  "profile.identity": "Identité", "profile.labels": "Historique des labels", "profile.members_kind": "Membres par type",
  "profile.members_size": "Entreprises membres par taille", "profile.projects_status": "Projets par statut",
  "profile.projects_programme": "Projets par programme", "profile.services": "Services aux PME", "profile.targets": "Objectifs du contrat de performance",
  "profile.project_list": "Projets labellisés", "year": "Année", "value": "Valeur", "indicator": "Indicateur", "kind": "Type",
  "status": "Statut", "programme": "Programme", "start": "Début", "rating": "Notation", "theme": "Thèmes", "scale": "Échelle",
  "org.memberships": "Adhésions", "org.participations": "Participations aux projets", "cluster": "Pôle", "role": "Rôle", "cost": "Coût (€)", "aid": "Aide (€)",
  "project.partners": "Partenaires", "project.events": "Cycle de vie", "project.results": "Résultats", "date": "Date",
  "import.title": "Importer un fichier", "import.entity": "Entité", "import.file": "Fichier CSV", "import.check": "Vérifier",
  "import.confirm": "Confirmer l'import", "import.valid": "Fichier valide : {rows} lignes ({inserted} nouvelles, {updated} modifiées, {unchanged} inchangées).",
  "import.done": "Import terminé : {rows} lignes.", "import.errors": "{n} erreur(s) : rien n'a été écrit.", "line": "Ligne", "column": "Colonne", "field": "Champ", "rule": "Règle",
  "account.title": "Mon compte", "account.role": "Rôle", "account.scope": "Périmètre", "account.token": "Créer un jeton d'API", "account.token_label": "Libellé",
  "users.title": "Comptes", "users.add": "Créer le compte", "users.disable": "Désactiver", "disabled": "désactivé",
  "audit.title": "Journal des modifications", "audit.at": "Quand", "audit.actor": "Qui", "audit.action": "Action", "audit.entity": "Entité", "audit.key": "Clé",
  "nav.network": "Réseau", "net.title": "Réseau de coopération", "net.apply": "Appliquer", "net.from": "Depuis", "net.to": "Jusqu'à",
  "net.organisations": "Organisations", "net.links": "Liens", "net.giant": "Composante principale", "net.communities": "Communautés",
  "net.modularity": "Modularité", "net.graph": "Graphe des coopérations", "net.graph_note": "Les 800 organisations les plus liées ; couleur : communauté (Leiden) ; cliquer un nœud pour son réseau.",
  "net.pick": "Choisissez une organisation (clic sur le graphe ou recherche) pour voir ses partenaires et des recommandations.",
  "net.clusters": "Projets co-labellisés entre pôles", "net.regions": "Projets entre régions", "net.sme": "Intégration des PME par pôle",
  "net.export": "Exporter le graphe (Gephi) :", "net.ego_title": "Réseau d'une organisation", "net.organisation": "Identifiant",
  "net.show": "Afficher", "net.ego_caption": "{degree} partenaires, {projects} projets", "net.recommend": "Partenaires suggérés",
  "net.score": "Score", "net.reasons": "Raisons", "net.sme_share": "PME parmi les partenaires", "net.sme_coord": "PME coordinatrices",
  "net.sme_centrality": "Centralité PME / autres",
  "reason.shared_partners": "partenaires communs ({v})", "reason.shared_cluster": "même pôle ({d})", "reason.same_region": "même région",
  "reason.same_department": "même département", "reason.sector_complementarity": "secteurs complémentaires {d} (×{v})", "reason.sme": "PME",
  "reason.sector_experience": "expérience du secteur {d}", "reason.theme_experience": "expérience du thème", "reason.active": "{v} partenaires",
  "loading": "Chargement…", "notfound": "Page introuvable", "denied": "Accès refusé",
};
const en = {
  skip: "Skip to content", tagline: "observatory of France's competitiveness clusters",
  "nav.map": "Map", "nav.clusters": "Clusters", "nav.import": "Import", "nav.users": "Accounts", "nav.audit": "Audit log", "nav.account": "My account",
  logout: "Log out", footer: "Synthetic demo data — statistical secrecy applied to firm aggregates.",
  "login.title": "Log in", "login.name": "User name", "login.password": "Password", "login.submit": "Log in",
  "map.title": "Clusters by region", "map.indicator": "Indicator", "map.year": "Year", "map.overseas": "Overseas",
  "ind.clusters": "Clusters", "ind.members": "Active members", "ind.projects": "Labelled projects", "ind.public_aid": "Public aid (€)",
  "region": "Region", "clusters.title": "Competitiveness clusters", "search": "Search", "all": "All",
  "name": "Name", "members": "Members", "companies": "Companies", "sme_share": "SME share", "projects": "Projects", "phase": "Phase",
  "profile.identity": "Identity", "profile.labels": "Label history", "profile.members_kind": "Members by kind",
  "profile.members_size": "Member companies by size", "profile.projects_status": "Projects by status",
  "profile.projects_programme": "Projects by programme", "profile.services": "SME services", "profile.targets": "Performance contract targets",
  "profile.project_list": "Labelled projects", "year": "Year", "value": "Value", "indicator": "Indicator", "kind": "Kind",
  "status": "Status", "programme": "Programme", "start": "Start", "rating": "Rating", "theme": "Themes", "scale": "Scale",
  "org.memberships": "Memberships", "org.participations": "Project participations", "cluster": "Cluster", "role": "Role", "cost": "Cost (€)", "aid": "Aid (€)",
  "project.partners": "Partners", "project.events": "Lifecycle", "project.results": "Results", "date": "Date",
  "import.title": "Import a file", "import.entity": "Entity", "import.file": "CSV file", "import.check": "Check",
  "import.confirm": "Confirm the import", "import.valid": "Valid file: {rows} rows ({inserted} new, {updated} changed, {unchanged} unchanged).",
  "import.done": "Imported: {rows} rows.", "import.errors": "{n} error(s): nothing was written.", "line": "Line", "column": "Column", "field": "Field", "rule": "Rule",
  "account.title": "My account", "account.role": "Role", "account.scope": "Scope", "account.token": "Create an API token", "account.token_label": "Label",
  "users.title": "Accounts", "users.add": "Create the account", "users.disable": "Disable", "disabled": "disabled",
  "audit.title": "Audit log", "audit.at": "When", "audit.actor": "Who", "audit.action": "Action", "audit.entity": "Entity", "audit.key": "Key",
  "nav.network": "Network", "net.title": "Cooperation network", "net.apply": "Apply", "net.from": "From", "net.to": "To",
  "net.organisations": "Organisations", "net.links": "Links", "net.giant": "Giant component", "net.communities": "Communities",
  "net.modularity": "Modularity", "net.graph": "Cooperation graph", "net.graph_note": "The 800 most connected organisations; colour: community (Leiden); click a node for its network.",
  "net.pick": "Pick an organisation (click the graph or search) to see its partners and recommendations.",
  "net.clusters": "Projects co-labelled by two clusters", "net.regions": "Projects across regions", "net.sme": "SME integration by cluster",
  "net.export": "Export the graph (Gephi):", "net.ego_title": "An organisation's network", "net.organisation": "Identifier",
  "net.show": "Show", "net.ego_caption": "{degree} partners, {projects} projects", "net.recommend": "Suggested partners",
  "net.score": "Score", "net.reasons": "Reasons", "net.sme_share": "SMEs among partners", "net.sme_coord": "SME coordinators",
  "net.sme_centrality": "SME / other centrality",
  "reason.shared_partners": "shared partners ({v})", "reason.shared_cluster": "same cluster ({d})", "reason.same_region": "same region",
  "reason.same_department": "same department", "reason.sector_complementarity": "complementary sectors {d} (×{v})", "reason.sme": "SME",
  "reason.sector_experience": "experience of sector {d}", "reason.theme_experience": "experience of the theme", "reason.active": "{v} partners",
  "loading": "Loading…", "notfound": "Page not found", "denied": "Access denied",
};
const dictionaries = { fr, en };
export let lang = localStorage.getItem("poles.lang") || "fr";
export function setLang(l) { lang = l; localStorage.setItem("poles.lang", l); document.documentElement.lang = l; }
export function t(key, vars = {}) {
  let s = dictionaries[lang][key] ?? dictionaries.fr[key] ?? key;
  for (const [k, v] of Object.entries(vars)) s = s.replace(`{${k}}`, v);
  return s;
}
export function applyStatic(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) el.textContent = t(el.dataset.i18n);
}
export function fmt(n, digits = 0) {
  if (n === null || n === undefined) return "—";
  return new Intl.NumberFormat(lang === "fr" ? "fr-FR" : "en-GB", { maximumFractionDigits: digits }).format(n);
}
