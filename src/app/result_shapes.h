// Two shapes of JSON results that a plain described struct (core/typed_json.h) does not give:
//  - Omittable<T>: a field present only when it holds a value (absent, not null, otherwise), for
//    answers whose objects carry some keys only in some cases (a masked cell has "secret" and no
//    "firms"; the last stage of a funnel has no conversion to a next one). A described struct with
//    such fields gets its writer and its schema from the two functions below, found by
//    argument-dependent lookup: the same fields in the same order, the omittable ones not
//    required.
//  - ByCode<T, kCodes>: one value per code of a code list (the model's enumerations), written as
//    an object keyed by the codes in the list's order (a std::map would sort them), whose schema
//    names every code.
#pragma once

#include <array>
#include <boost/describe.hpp>
#include <boost/mp11.hpp>
#include <cstddef>
#include <optional>
#include <string>
#include <type_traits>

#include "core/typed_json.h"

namespace poles::app {

template <class T>
struct Omittable : std::optional<T> {
  using std::optional<T>::optional;  // assigned from a T through these (and its own assignment)
};

namespace shapes_detail {

template <class T>
struct is_omittable : std::false_type {};
template <class T>
struct is_omittable<Omittable<T>> : std::true_type {};

template <class T>
struct member_is_omittable {
  template <class D>
  using fn = is_omittable<std::remove_cvref_t<decltype(std::declval<const T&>().*D::pointer)>>;
};

template <class T>
constexpr bool has_omittable_fields() {
  if constexpr (tj::detail::is_described<T>) {
    return boost::mp11::mp_any_of_q<
        boost::describe::describe_members<T, boost::describe::mod_public>,
        member_is_omittable<T>>::value;
  } else {
    return false;
  }
}

}  // namespace shapes_detail

template <class T>
concept WithOmittableFields = shapes_detail::has_omittable_fields<T>();

template <WithOmittableFields T>
tj::Json poles_to_json(const T& v) {
  tj::Json out = tj::Json::object();
  boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
      [&](auto m) {
        const auto& field = v.*m.pointer;
        using F = std::remove_cvref_t<decltype(field)>;
        if constexpr (shapes_detail::is_omittable<F>::value) {
          if (field) tj::write(out[m.name], *field);
        } else {
          tj::write(out[m.name], field);
        }
      });
  return out;
}

// Registered once under its POLES_JSON name, like any described struct.
template <WithOmittableFields T>
tj::Json poles_json_schema(const T*, tj::Schemas& s) {
  const std::string name(poles_json_name(static_cast<const T*>(nullptr)));
  if (s.components().contains(name)) return tj::Schemas::ref(name);
  s.add(name, tj::Json::object());  // claimed first: a field of the same type refers to it
  tj::Json props = tj::Json::object(), required = tj::Json::array();
  boost::mp11::mp_for_each<boost::describe::describe_members<T, boost::describe::mod_public>>(
      [&](auto m) {
        using F = std::remove_cvref_t<decltype(std::declval<const T&>().*m.pointer)>;
        if constexpr (shapes_detail::is_omittable<F>::value) {
          props[m.name] = s.of<typename F::value_type>();
        } else {
          props[m.name] = s.of<F>();
          required.push_back(m.name);
        }
      });
  tj::Json schema{{"type", "object"}, {"properties", props}, {"additionalProperties", false}};
  if (!required.empty()) schema["required"] = required;
  return s.add(name, std::move(schema));
}

template <class T, const auto& kCodes>
struct ByCode {
  static constexpr size_t kSize = std::tuple_size_v<std::remove_cvref_t<decltype(kCodes)>>;
  std::array<T, kSize> values{};
  T& operator[](size_t k) { return values[k]; }
  const T& operator[](size_t k) const { return values[k]; }
};

template <class T, const auto& kCodes>
tj::Json poles_to_json(const ByCode<T, kCodes>& v) {
  tj::Json out = tj::Json::object();
  for (size_t k = 0; k < v.kSize; ++k) tj::write(out[std::string(kCodes[k])], v.values[k]);
  return out;
}

template <class T, const auto& kCodes>
tj::Json poles_json_schema(const ByCode<T, kCodes>*, tj::Schemas& s) {
  tj::Json props = tj::Json::object(), required = tj::Json::array();
  for (const auto& code : kCodes) {
    props[std::string(code)] = s.of<T>();
    required.push_back(std::string(code));
  }
  return tj::Json{{"type", "object"},
                  {"properties", props},
                  {"required", required},
                  {"additionalProperties", false}};
}

}  // namespace poles::app
