// Typed results and their JSON: one declaration of a struct's fields gives its JSON writer, its
// JSON Schema (for the OpenAPI document) and, for request bodies, a reader that collects every
// field error. The fields are declared with Boost.Describe, after the struct, in its namespace:
//
//   struct Stage { std::string name; int64_t projects = 0; std::optional<double> conversion; };
//   POLES_JSON(Stage, name, projects, conversion)
//
// Mapping (writer and schema agree by construction):
//   bool -> boolean; integers -> integer; floating point -> number (NaN and infinities are
//   written as null, which a "number" schema rejects: use std::optional where a value may be
//   missing); std::string -> string; std::optional<T> -> T or null; std::vector<T> -> array;
//   std::map<std::string, T> -> object of T; described structs -> object (all fields required,
//   in declaration order) registered once under #/components/schemas/<Name>; Json -> any value.
// Three shapes for answers a plain struct does not give:
//   Omittable<T> — a field present only when it holds a value (absent, not null, otherwise; not
//     required in the schema): a masked cell has "secret" and no "firms";
//   OrderedFields<T> — an object whose keys come at run time, kept in the order given (a
//     std::map would sort them): pillars in a method's order;
//   ByCode<T, kCodes> — one value per code of a fixed code list, keyed by the codes in the list's
//     order, every code named in the schema.
// A type may bring its own mapping with two functions found by argument-dependent lookup:
//   Json poles_to_json(const T&);  Json poles_json_schema(const T*, Schemas&);
#pragma once

#include <array>
#include <boost/describe.hpp>
#include <boost/mp11.hpp>
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <typeindex>
#include <utility>
#include <vector>

#include "core/status.h"

namespace poles::tj {

using Json = nlohmann::ordered_json;

// Declares the JSON fields of struct T (after its definition, in its namespace).
#define POLES_JSON(T, ...)                    \
  BOOST_DESCRIBE_STRUCT(T, (), (__VA_ARGS__)) \
  [[maybe_unused]] inline constexpr std::string_view poles_json_name(const T*) { return #T; }

// The components of an OpenAPI document: one schema per described struct, by name.
// Not thread-safe; built once when the route table is made.
class Schemas {
 public:
  // The schema of T: inline for scalars and containers, a $ref for described structs (which
  // are added to the components the first time).
  template <class T>
  Json of();
  // Adds a named schema written by hand (entities of the registry, the problem document).
  // Returns its $ref.
  Json add(const std::string& name, Json schema);
  static Json ref(const std::string& name) {
    return Json{{"$ref", "#/components/schemas/" + name}};
  }
  const Json& components() const { return components_; }

 private:
  Json components_ = Json::object();
  std::map<std::string, std::type_index> owners_;
  template <class T>
  friend struct SchemaOf;
  // Registers the described struct's name for T; InternalError-style abort on a name clash
  // between two types (caught by the OpenAPI test).
  bool claim(const std::string& name, std::type_index type);
};

template <class T>
struct Omittable : std::optional<T> {
  using std::optional<T>::optional;
};

template <class T>
struct OrderedFields {
  std::vector<std::pair<std::string, T>> items;
  // The value of `key`, or null when absent.
  const T* find(std::string_view key) const {
    for (const auto& [k, v] : items) {
      if (k == key) return &v;
    }
    return nullptr;
  }
};

template <class T, const auto& kCodes>
struct ByCode {
  static constexpr size_t kSize = std::tuple_size_v<std::remove_cvref_t<decltype(kCodes)>>;
  std::array<T, kSize> values{};
  T& operator[](size_t k) { return values[k]; }
  const T& operator[](size_t k) const { return values[k]; }
};

namespace detail {

template <class T>
struct is_omittable : std::false_type {};
template <class T>
struct is_omittable<Omittable<T>> : std::true_type {};
template <class T>
struct is_ordered_fields : std::false_type {};
template <class T>
struct is_ordered_fields<OrderedFields<T>> : std::true_type {};
template <class T>
struct is_by_code : std::false_type {};
template <class T, const auto& kCodes>
struct is_by_code<ByCode<T, kCodes>> : std::true_type {};

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};
template <class T>
struct is_vector : std::false_type {};
template <class T, class A>
struct is_vector<std::vector<T, A>> : std::true_type {};
template <class T>
struct is_string_map : std::false_type {};
template <class T, class C, class A>
struct is_string_map<std::map<std::string, T, C, A>> : std::true_type {};

template <class T, class = void>
struct has_custom : std::false_type {};
template <class T>
struct has_custom<T, std::void_t<decltype(poles_to_json(std::declval<const T&>()))>>
    : std::true_type {};

template <class T>
constexpr bool is_described = boost::describe::has_describe_members<T>::value;

template <class B>
struct by_code_codes;
template <class T, const auto& kCodes>
struct by_code_codes<ByCode<T, kCodes>> {
  static constexpr const auto& codes() { return kCodes; }
};
template <class B>
constexpr const auto& codes_of() {
  return by_code_codes<B>::codes();
}

}  // namespace detail

// --- writer ----------------------------------------------------------------------------------

template <class T>
Json to_json(const T& v);

template <class T>
void write(Json& out, const T& v) {
  using U = std::remove_cv_t<T>;
  if constexpr (detail::has_custom<U>::value) {
    out = poles_to_json(v);
  } else if constexpr (std::is_same_v<U, Json>) {
    out = v;
  } else if constexpr (std::is_same_v<U, bool>) {
    out = v;
  } else if constexpr (std::is_integral_v<U>) {
    out = v;
  } else if constexpr (std::is_floating_point_v<U>) {
    if (std::isfinite(v)) {
      out = v;
    } else {
      out = nullptr;
    }
  } else if constexpr (std::is_same_v<U, std::string> || std::is_same_v<U, std::string_view>) {
    out = std::string(v);
  } else if constexpr (detail::is_optional<U>::value || detail::is_omittable<U>::value) {
    if (v) {
      write(out, *v);
    } else {
      out = nullptr;
    }
  } else if constexpr (detail::is_ordered_fields<U>::value) {
    out = Json::object();
    for (const auto& [k, x] : v.items) write(out[k], x);
  } else if constexpr (detail::is_by_code<U>::value) {
    out = Json::object();
    for (size_t k = 0; k < U::kSize; ++k)
      write(out[std::string(detail::codes_of<U>()[k])], v.values[k]);
  } else if constexpr (detail::is_vector<U>::value) {
    out = Json::array();
    for (const auto& x : v) write(out.emplace_back(), x);
  } else if constexpr (detail::is_string_map<U>::value) {
    out = Json::object();
    for (const auto& [k, x] : v) write(out[k], x);
  } else if constexpr (detail::is_described<U>) {
    out = Json::object();
    boost::mp11::mp_for_each<boost::describe::describe_members<U, boost::describe::mod_public>>(
        [&](auto m) {
          const auto& field = v.*m.pointer;
          if constexpr (detail::is_omittable<std::remove_cvref_t<decltype(field)>>::value) {
            if (!field) return;  // absent, not null
          }
          write(out[m.name], field);
        });
  } else {
    static_assert(sizeof(U) == 0, "no JSON mapping for this type: describe it with POLES_JSON");
  }
}

template <class T>
Json to_json(const T& v) {
  Json out;
  write(out, v);
  return out;
}

// --- schema ----------------------------------------------------------------------------------

template <class T>
struct SchemaOf {
  static Json get(Schemas& s) {
    using U = std::remove_cv_t<T>;
    if constexpr (detail::has_custom<U>::value) {
      return poles_json_schema(static_cast<const U*>(nullptr), s);
    } else if constexpr (std::is_same_v<U, Json>) {
      return Json::object();
    } else if constexpr (std::is_same_v<U, bool>) {
      return Json{{"type", "boolean"}};
    } else if constexpr (std::is_integral_v<U>) {
      return Json{{"type", "integer"}};
    } else if constexpr (std::is_floating_point_v<U>) {
      return Json{{"type", "number"}};
    } else if constexpr (std::is_same_v<U, std::string> || std::is_same_v<U, std::string_view>) {
      return Json{{"type", "string"}};
    } else if constexpr (detail::is_optional<U>::value) {
      Json inner = SchemaOf<typename U::value_type>::get(s);
      if (inner.contains("type") && inner["type"].is_string() && inner.size() == 1) {
        return Json{{"type", Json::array({inner["type"], "null"})}};
      }
      return Json{{"anyOf", Json::array({inner, Json{{"type", "null"}}})}};
    } else if constexpr (detail::is_omittable<U>::value) {
      return SchemaOf<typename U::value_type>::get(s);
    } else if constexpr (detail::is_ordered_fields<U>::value) {
      using V = typename decltype(U::items)::value_type::second_type;
      return Json{{"type", "object"}, {"additionalProperties", SchemaOf<V>::get(s)}};
    } else if constexpr (detail::is_by_code<U>::value) {
      Json props = Json::object(), required = Json::array();
      using V = typename decltype(U::values)::value_type;
      for (const auto& code : detail::codes_of<U>()) {
        props[std::string(code)] = SchemaOf<V>::get(s);
        required.push_back(std::string(code));
      }
      return Json{{"type", "object"},
                  {"properties", props},
                  {"required", required},
                  {"additionalProperties", false}};
    } else if constexpr (detail::is_vector<U>::value) {
      return Json{{"type", "array"}, {"items", SchemaOf<typename U::value_type>::get(s)}};
    } else if constexpr (detail::is_string_map<U>::value) {
      return Json{{"type", "object"},
                  {"additionalProperties", SchemaOf<typename U::mapped_type>::get(s)}};
    } else if constexpr (detail::is_described<U>) {
      const std::string name(poles_json_name(static_cast<const U*>(nullptr)));
      if (s.claim(name, typeid(U))) {
        Json props = Json::object();
        Json required = Json::array();
        boost::mp11::mp_for_each<boost::describe::describe_members<U, boost::describe::mod_public>>(
            [&](auto m) {
              using F =
                  std::remove_cv_t<std::remove_reference_t<decltype(std::declval<U>().*m.pointer)>>;
              props[m.name] = SchemaOf<F>::get(s);
              if constexpr (!detail::is_omittable<F>::value) required.push_back(m.name);
            });
        Json schema{{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
        if (!required.empty()) schema["required"] = required;
        s.components_[name] = std::move(schema);
      }
      return Schemas::ref(name);
    } else {
      static_assert(sizeof(U) == 0, "no JSON schema for this type: describe it with POLES_JSON");
    }
  }
};

template <class T>
Json Schemas::of() {
  return SchemaOf<T>::get(*this);
}

// --- reader (request bodies) -----------------------------------------------------------------

// A body's errors listed at most: a reader stops there (a body of millions of wrong values must
// not answer with millions of errors).
inline constexpr size_t kMaxBodyErrors = 50;

namespace detail {

void type_error(std::vector<FieldError>& errors, const std::string& field, const Json& value,
                std::string_view expected);

// Whether a JSON integer fits in U.
template <class U>
bool fits(const Json& j) {
  if (j.is_number_unsigned())
    return j.get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<U>::max());
  const int64_t v = j.get<int64_t>();
  if constexpr (std::is_unsigned_v<U>) {
    return v >= 0 &&
           static_cast<uint64_t>(v) <= static_cast<uint64_t>(std::numeric_limits<U>::max());
  } else {
    return v >= static_cast<int64_t>(std::numeric_limits<U>::min()) &&
           v <= static_cast<int64_t>(std::numeric_limits<U>::max());
  }
}

// Set while from_stored_json reads: null stands for a number that was not finite.
inline thread_local bool reading_stored = false;

template <class T>
void read(const Json& j, T& out, const std::string& field, std::vector<FieldError>& errors) {
  using U = std::remove_cv_t<T>;
  if constexpr (std::is_same_v<U, Json>) {
    out = j;
  } else if constexpr (std::is_same_v<U, bool>) {
    if (!j.is_boolean()) return type_error(errors, field, j, "must be true or false");
    out = j.get<bool>();
  } else if constexpr (std::is_integral_v<U>) {
    if (!j.is_number_integer()) return type_error(errors, field, j, "must be a whole number");
    if (!fits<U>(j)) return type_error(errors, field, j, "is out of range");
    out = j.get<U>();
  } else if constexpr (std::is_floating_point_v<U>) {
    if (j.is_null() && reading_stored) {  // written for a value that was not finite
      out = std::numeric_limits<U>::quiet_NaN();
      return;
    }
    if (!j.is_number()) return type_error(errors, field, j, "must be a number");
    out = j.get<U>();
  } else if constexpr (std::is_same_v<U, std::string>) {
    if (!j.is_string()) return type_error(errors, field, j, "must be a string");
    out = j.get<std::string>();
  } else if constexpr (is_optional<U>::value || is_omittable<U>::value) {
    if (j.is_null()) {
      out.reset();
    } else {
      typename U::value_type v{};
      read(j, v, field, errors);
      out = std::move(v);
    }
  } else if constexpr (is_vector<U>::value) {
    if (!j.is_array()) return type_error(errors, field, j, "must be an array");
    out.clear();
    for (size_t i = 0; i < j.size() && errors.size() < kMaxBodyErrors; ++i) {
      typename U::value_type v{};
      read(j[i], v, field + "[" + std::to_string(i) + "]", errors);
      out.push_back(std::move(v));
    }
  } else if constexpr (is_ordered_fields<U>::value) {
    if (!j.is_object()) return type_error(errors, field, j, "must be an object");
    out.items.clear();
    for (const auto& [k, x] : j.items()) {
      typename decltype(out.items)::value_type::second_type v{};
      read(x, v, field.empty() ? k : std::string(field).append(".").append(k), errors);
      out.items.emplace_back(k, std::move(v));
    }
  } else if constexpr (is_string_map<U>::value) {
    if (!j.is_object()) return type_error(errors, field, j, "must be an object");
    out.clear();
    for (const auto& [k, x] : j.items()) {
      typename U::mapped_type v{};
      read(x, v, field.empty() ? k : std::string(field).append(".").append(k), errors);
      out.emplace(k, std::move(v));
    }
  } else if constexpr (is_described<U>) {
    if (!j.is_object()) return type_error(errors, field, j, "must be a JSON object");
    const std::string prefix = field.empty() ? "" : field + ".";
    std::vector<std::string_view> known;
    boost::mp11::mp_for_each<boost::describe::describe_members<U, boost::describe::mod_public>>(
        [&](auto m) {
          known.emplace_back(m.name);
          using F = std::remove_cv_t<std::remove_reference_t<decltype(out.*m.pointer)>>;
          auto it = j.find(m.name);
          if (it == j.end()) {
            if constexpr (!is_optional<F>::value && !is_omittable<F>::value) {
              errors.push_back(FieldError{"request", 0, 0, prefix + m.name, "", "is required"});
            }
            return;
          }
          read(*it, out.*m.pointer, prefix + m.name, errors);
        });
    for (const auto& [k, x] : j.items()) {
      bool found = false;
      for (auto n : known) found = found || n == k;
      if (!found) {
        std::string names;
        for (auto n : known) names += (names.empty() ? "" : ", ") + std::string(n);
        errors.push_back(FieldError{"request", 0, 0, prefix + k, "",
                                    "is not a field of this body (fields: " + names + ")"});
      }
    }
  } else {
    static_assert(sizeof(U) == 0, "no JSON reader for this type");
  }
}

}  // namespace detail

// Reads a request body into T: every field error is collected (wrong type, missing required
// field, unknown field) and returned together as one bad-input Status.
template <class T>
Result<T> from_json(const Json& j) {
  T out{};
  std::vector<FieldError> errors;
  detail::read(j, out, "", errors);
  if (errors.size() > kMaxBodyErrors) errors.resize(kMaxBodyErrors);
  if (!errors.empty()) return Status::bad_input(std::move(errors));
  return out;
}

// Reads back what to_json wrote and the program stored (a job's result): as from_json, except
// that null in a number's place is NaN (to_json writes a number that is not finite as null).
template <class T>
Result<T> from_stored_json(const Json& j) {
  struct Reading {
    Reading() { detail::reading_stored = true; }
    ~Reading() { detail::reading_stored = false; }
  } reading;
  return from_json<T>(j);
}

}  // namespace poles::tj
