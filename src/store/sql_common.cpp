#include <fmt/format.h>

#include <cctype>

#include "store/store.h"

namespace poles::store {

std::string quote_ident(std::string_view name) { return fmt::format("\"{}\"", name); }

namespace {

const char* sql_type(schema::Type t) {
  switch (t) {
    case schema::Type::kInt:
    case schema::Type::kBool:
      return "BIGINT";
    case schema::Type::kReal:
      return "DOUBLE PRECISION";
    default:
      return "TEXT";
  }
}

}  // namespace

std::string create_table_sql(const schema::Entity& e, Dialect) {
  std::string cols;
  for (const auto& f : e.fields) {
    cols += fmt::format("  {} {}{},\n", quote_ident(f.name), sql_type(f.type),
                        f.required ? " NOT NULL" : "");
  }
  std::string keys;
  for (int k : schema::key_indices(e)) {
    keys += (keys.empty() ? "" : ", ") + quote_ident(e.fields[static_cast<size_t>(k)].name);
  }
  cols += fmt::format("  PRIMARY KEY ({})", keys);
  std::string indexes;
  for (size_t i = 0; i < e.fields.size(); ++i) {
    const auto& f = e.fields[i];
    if (f.unique) {
      indexes += fmt::format("CREATE UNIQUE INDEX {} ON {} ({});\n",
                             quote_ident(fmt::format("{}_{}_key", e.name, f.name)),
                             quote_ident(e.name), quote_ident(f.name));
    }
    if (f.references.empty()) continue;
    const schema::Entity& target = *schema::find_entity(f.references);
    const auto& target_key = target.fields[static_cast<size_t>(schema::single_key_index(target))];
    std::string action;
    if (f.references == e.name) {
      // Checked at commit, so a file may refer to rows that come later in it.
      action = " ON DELETE SET NULL DEFERRABLE INITIALLY DEFERRED";
    } else if (f.references == e.owner) {
      action = " ON DELETE CASCADE";
    }
    cols += fmt::format(",\n  FOREIGN KEY ({}) REFERENCES {} ({}){}", quote_ident(f.name),
                        quote_ident(target.name), quote_ident(target_key.name), action);
    // An index for references that do not lead the primary key.
    const auto key_idx = schema::key_indices(e);
    if (key_idx.empty() || key_idx[0] != static_cast<int>(i)) {
      indexes += fmt::format("CREATE INDEX {} ON {} ({});\n",
                             quote_ident(fmt::format("{}_{}_idx", e.name, f.name)),
                             quote_ident(e.name), quote_ident(f.name));
    }
  }
  return fmt::format("CREATE TABLE {} (\n{}\n);\n{}", quote_ident(e.name), cols, indexes);
}

std::string key_text(const schema::Entity& e, const Row& row) {
  std::string out;
  bool first = true;
  for (int k : schema::key_indices(e)) {
    if (!first) out += "|";
    first = false;
    out += value_to_text(row[static_cast<size_t>(k)]);
  }
  return out;
}

Row key_of(const schema::Entity& e, const Row& row) {
  Row key;
  for (int k : schema::key_indices(e)) key.push_back(row[static_cast<size_t>(k)]);
  return key;
}

namespace {

// Reads SQL words and identifiers, skipping white space.
class SqlWords {
 public:
  explicit SqlWords(std::string_view sql) : sql_(sql) {}
  // The next bare word, upper-cased ("" when the next token is not one).
  std::string word() {
    skip();
    std::string out;
    while (pos_ < sql_.size() &&
           (std::isalnum(static_cast<unsigned char>(sql_[pos_])) != 0 || sql_[pos_] == '_')) {
      out += static_cast<char>(std::toupper(static_cast<unsigned char>(sql_[pos_++])));
    }
    return out;
  }
  // The next identifier, quoted or bare, lower-cased when bare; the last part of a qualified name.
  std::string identifier() {
    std::string out;
    while (true) {
      skip();
      out.clear();
      if (pos_ < sql_.size() && sql_[pos_] == '"') {
        const size_t end = sql_.find('"', pos_ + 1);
        if (end == std::string_view::npos) return "";
        out = std::string(sql_.substr(pos_ + 1, end - pos_ - 1));
        pos_ = end + 1;
      } else {
        out = word();
        for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      }
      skip();
      if (pos_ >= sql_.size() || sql_[pos_] != '.') return out;
      ++pos_;  // schema.table: the table follows
    }
  }
  // Whether the text holds one statement: nothing but white space and semicolons after the
  // first semicolon (one inside a literal also says no, which errs on the safe side).
  bool single_statement() const {
    const size_t semi = sql_.find(';');
    return semi == std::string_view::npos ||
           sql_.find_first_not_of(" \t\r\n;", semi) == std::string_view::npos;
  }

 private:
  void skip() {
    while (pos_ < sql_.size() && std::isspace(static_cast<unsigned char>(sql_[pos_])) != 0) ++pos_;
  }
  std::string_view sql_;
  size_t pos_ = 0;
};

}  // namespace

bool writes_only_accounts(std::string_view sql) {
  SqlWords words(sql);
  if (!words.single_statement()) return false;
  const std::string verb = words.word();
  std::string next;
  if (verb == "INSERT") {
    next = words.word();
    if (next == "OR") {
      words.word();  // IGNORE, REPLACE, …
      next = words.word();
    }
    if (next != "INTO") return false;
  } else if (verb == "UPDATE") {
    // UPDATE [OR …] table: the table is read below.
  } else if (verb == "DELETE") {
    if (words.word() != "FROM") return false;
  } else {
    return false;
  }
  std::string table = words.identifier();
  if (verb == "UPDATE" && table == "or") {
    words.word();
    table = words.identifier();
  }
  return table == "app_user" || table == "api_token" || table == "session" || table == "audit" ||
         table == "support_request" || table == "sirene_unit" || table == "siren_match" ||
         table == "evaluation_decision" || table == "impact_job" || table == "login_event";
}

std::string render_migration(std::string_view sql, Dialect d) {
  std::string out(sql);
  const auto replace = [&](std::string_view from, std::string_view to) {
    for (size_t pos = out.find(from); pos != std::string::npos;
         pos = out.find(from, pos + to.size())) {
      out.replace(pos, from.size(), to);
    }
  };
  replace("{{serial_pk}}",
          d == Dialect::kSqlite ? "INTEGER PRIMARY KEY AUTOINCREMENT" : "BIGSERIAL PRIMARY KEY");
  // The current year (UTC), as an integer, whatever the session's date style.
  replace("{{current_year}}",
          d == Dialect::kSqlite ? "CAST(strftime('%Y', 'now') AS INTEGER)"
                                : "CAST(EXTRACT(YEAR FROM (now() AT TIME ZONE 'UTC')) AS BIGINT)");
  // 32 random hexadecimal digits.
  replace("{{random_id}}", d == Dialect::kSqlite
                               ? "lower(hex(randomblob(16)))"
                               : "md5(random()::text || clock_timestamp()::text)");
  // 64 hexadecimal digits from the backend's strong random source (a secret).
  replace("{{random_secret}}",
          d == Dialect::kSqlite
              ? "lower(hex(randomblob(32)))"
              : "replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '')");
  return out;
}

}  // namespace poles::store

#include "store/sql_builder.h"

namespace poles::store {

std::string placeholder(Dialect d, int n) {
  return d == Dialect::kSqlite ? fmt::format("?{}", n) : fmt::format("${}", n);
}

namespace {

// Byte-wise ordering of text keys in both backends (PostgreSQL would otherwise follow the
// database locale).
std::string order_expr(const schema::Field& f, Dialect d) {
  const bool text = f.type == schema::Type::kText || f.type == schema::Type::kDate;
  return text && d == Dialect::kPostgres ? quote_ident(f.name) + " COLLATE \"C\""
                                         : quote_ident(f.name);
}

}  // namespace

EntitySql build_entity_sql(const schema::Entity& e, Dialect d) {
  EntitySql out;
  const std::string table = quote_ident(e.name);
  std::string values, set, changed, keys, key_where, order;
  int n = 0;
  for (const auto& f : e.fields) {
    const std::string col = quote_ident(f.name);
    out.columns += (out.columns.empty() ? "" : ", ") + col;
    values += (values.empty() ? "" : ", ") + placeholder(d, ++n);
    if (f.key) {
      keys += (keys.empty() ? "" : ", ") + col;
      order += (order.empty() ? "" : ", ") + order_expr(f, d);
    } else {
      set += (set.empty() ? "" : ", ") + fmt::format("{} = excluded.{}", col, col);
      changed += (changed.empty() ? "" : " OR ") +
                 fmt::format("{}.{} {} excluded.{}", table, col,
                             d == Dialect::kSqlite ? "IS NOT" : "IS DISTINCT FROM", col);
    }
  }
  int k = 0;
  for (int ki : schema::key_indices(e)) {
    key_where += (key_where.empty() ? "" : " AND ") +
                 fmt::format("{} = {}", quote_ident(e.fields[static_cast<size_t>(ki)].name),
                             placeholder(d, ++k));
  }
  out.on_conflict = fmt::format("ON CONFLICT ({}) ", keys);
  out.on_conflict +=
      set.empty() ? "DO NOTHING" : fmt::format("DO UPDATE SET {} WHERE {}", set, changed);
  out.upsert = fmt::format("INSERT INTO {} ({}) VALUES ({}) {}", table, out.columns, values,
                           out.on_conflict);
  out.select_by_key = fmt::format("SELECT {} FROM {} WHERE {}", out.columns, table, key_where);
  out.select_for_update = out.select_by_key + (d == Dialect::kPostgres ? " FOR UPDATE" : "");
  out.delete_by_key = fmt::format("DELETE FROM {} WHERE {}", table, key_where);
  out.scan = fmt::format("SELECT {} FROM {} ORDER BY {}", out.columns, table, order);
  out.count = fmt::format("SELECT COUNT(*) FROM {}", table);
  return out;
}

std::string build_list_sql(const schema::Entity& e, const ListQuery& q, Dialect d,
                           std::vector<Value>& params) {
  const EntitySql base = build_entity_sql(e, d);
  std::string where;
  const auto add = [&](const std::string& cond) {
    where += (where.empty() ? " WHERE " : " AND ") + cond;
  };
  for (const auto& f : q.filters) {
    const auto& field = e.fields[static_cast<size_t>(f.field)];
    params.push_back(f.value);
    const std::string ph = placeholder(d, static_cast<int>(params.size()));
    if (f.contains) {
      // The searched text is matched literally: its own % and _ are not wildcards (escaped by
      // '!', which means the same whatever PostgreSQL's standard_conforming_strings). Both sides
      // are lowered by the database, the same way (ASCII in SQLite, Unicode in PostgreSQL).
      std::string text = "%";
      for (char c : value_to_text(f.value)) {
        if (c == '%' || c == '_' || c == '!') text += '!';
        text += c;
      }
      params.back() = text + "%";
      const auto like = [&](const schema::Field& x) {
        // Identifiers are in collation "C" on PostgreSQL: lowered in the database's own.
        const std::string col = d == Dialect::kPostgres
                                    ? quote_ident(x.name) + " COLLATE \"default\""
                                    : quote_ident(x.name);
        return fmt::format("LOWER({}) LIKE LOWER({}) ESCAPE '!'", col, ph);
      };
      std::string any = like(field);
      for (int i : f.or_fields) any += " OR " + like(e.fields[static_cast<size_t>(i)]);
      add("(" + any + ")");
    } else if (is_null(f.value)) {
      params.pop_back();
      add(fmt::format("{} IS NULL", quote_ident(field.name)));
    } else {
      add(fmt::format("{} = {}", quote_ident(field.name), ph));
    }
  }
  std::string order;
  std::string lhs, rhs;
  const auto keys = schema::key_indices(e);
  for (size_t i = 0; i < keys.size(); ++i) {
    const auto& f = e.fields[static_cast<size_t>(keys[i])];
    order += (order.empty() ? "" : ", ") + order_expr(f, d);
    if (q.after) {
      params.push_back((*q.after)[i]);
      lhs += (lhs.empty() ? "" : ", ") + order_expr(f, d);
      rhs += (rhs.empty() ? "" : ", ") + placeholder(d, static_cast<int>(params.size()));
    }
  }
  if (q.after)
    add(keys.size() == 1 ? fmt::format("{} > {}", lhs, rhs) : fmt::format("({}) > ({})", lhs, rhs));
  return fmt::format("SELECT {} FROM {}{} ORDER BY {} LIMIT {}", base.columns, quote_ident(e.name),
                     where, order, q.limit + 1);
}

std::string number_placeholders(const std::string& sql, Dialect d) {
  std::string out;
  int n = 0;
  bool in_string = false;
  for (char c : sql) {
    if (c == '\'') in_string = !in_string;
    if (c == '?' && !in_string) {
      out += placeholder(d, ++n);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace poles::store
