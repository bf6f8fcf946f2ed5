#include "impact/stata.h"

#include <fmt/format.h>

#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <limits>

#include "numeric/stats.h"

namespace poles::impact {
namespace {

using numeric::kNaN;

class Reader {
 public:
  Reader(std::string bytes, std::string name) : b_(std::move(bytes)), name_(std::move(name)) {}
  Status expect(std::string_view tag) {
    if (b_.compare(pos_, tag.size(), tag) != 0)
      return error(fmt::format("expected {} at byte {}", tag, pos_));
    pos_ += tag.size();
    return Status::ok();
  }
  template <class T>
  Result<T> read() {
    if (pos_ + sizeof(T) > b_.size()) return error("the file ends early");
    T v;
    std::memcpy(&v, b_.data() + pos_, sizeof(T));
    if (!little_) {
      auto* p = reinterpret_cast<unsigned char*>(&v);
      for (size_t i = 0; i < sizeof(T) / 2; ++i) std::swap(p[i], p[sizeof(T) - 1 - i]);
    }
    pos_ += sizeof(T);
    return v;
  }
  Result<std::string> text(size_t n) {
    if (pos_ + n > b_.size()) return error("the file ends early");
    std::string s = b_.substr(pos_, n);
    pos_ += n;
    if (auto z = s.find('\0'); z != std::string::npos) s.resize(z);
    return s;
  }
  void seek(size_t p) { pos_ = p; }
  size_t pos() const { return pos_; }
  void set_little(bool l) { little_ = l; }
  Status error(const std::string& what) const {
    return Status::invalid_argument(fmt::format("{}: not a readable Stata file ({})", name_, what));
  }

 private:
  std::string b_, name_;
  size_t pos_ = 0;
  bool little_ = true;
};

}  // namespace

Result<Frame> read_dta(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::not_found(fmt::format("cannot open {}", path));
  Reader r(std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>()),
           path);
  POLES_RETURN_IF_ERROR(r.expect("<stata_dta><header><release>"));
  POLES_ASSIGN_OR_RETURN(const std::string release, r.text(3));
  if (release != "117" && release != "118" && release != "119")
    return r.error(fmt::format("format {} (117, 118 and 119 are read)", release));
  POLES_RETURN_IF_ERROR(r.expect("</release><byteorder>"));
  POLES_ASSIGN_OR_RETURN(const std::string order, r.text(3));
  r.set_little(order == "LSF");
  POLES_RETURN_IF_ERROR(r.expect("</byteorder><K>"));
  uint32_t K = 0;
  if (release == "119") {
    POLES_ASSIGN_OR_RETURN(K, r.read<uint32_t>());
  } else {
    POLES_ASSIGN_OR_RETURN(const uint16_t k16, r.read<uint16_t>());
    K = k16;
  }
  POLES_RETURN_IF_ERROR(r.expect("</K><N>"));
  uint64_t N = 0;
  if (release == "117") {
    POLES_ASSIGN_OR_RETURN(const uint32_t n32, r.read<uint32_t>());
    N = n32;
  } else {
    POLES_ASSIGN_OR_RETURN(N, r.read<uint64_t>());
  }
  POLES_RETURN_IF_ERROR(r.expect("</N><label>"));
  uint64_t label_len = 0;
  if (release == "117") {
    POLES_ASSIGN_OR_RETURN(const uint8_t l, r.read<uint8_t>());
    label_len = l;
  } else {
    POLES_ASSIGN_OR_RETURN(const uint16_t l, r.read<uint16_t>());
    label_len = l;
  }
  POLES_ASSIGN_OR_RETURN(const auto label, r.text(label_len));
  (void)label;
  POLES_RETURN_IF_ERROR(r.expect("</label><timestamp>"));
  POLES_ASSIGN_OR_RETURN(const uint8_t ts_len, r.read<uint8_t>());
  POLES_ASSIGN_OR_RETURN(const auto ts, r.text(ts_len));
  (void)ts;
  // The map gives the offset of every section.
  POLES_RETURN_IF_ERROR(r.expect("</timestamp></header><map>"));
  uint64_t map[14];
  for (auto& m : map) {
    POLES_ASSIGN_OR_RETURN(m, r.read<uint64_t>());
  }
  r.seek(map[2]);
  POLES_RETURN_IF_ERROR(r.expect("<variable_types>"));
  std::vector<uint16_t> types(K);
  for (auto& t : types) {
    POLES_ASSIGN_OR_RETURN(t, r.read<uint16_t>());
  }
  r.seek(map[3]);
  POLES_RETURN_IF_ERROR(r.expect("<varnames>"));
  const size_t name_len = release == "117" ? 33 : 129;
  std::vector<std::string> names(K);
  for (auto& n : names) {
    POLES_ASSIGN_OR_RETURN(n, r.text(name_len));
  }
  r.seek(map[9]);
  POLES_RETURN_IF_ERROR(r.expect("<data>"));
  std::vector<Column> cols(K);
  for (uint32_t j = 0; j < K; ++j) {
    cols[j].name = names[j];
    cols[j].numeric = types[j] > 2045 && types[j] != 32768;
    if (types[j] == 32768)
      return r.error(
          fmt::format("variable '{}' is a strL (long string), which is not read", names[j]));
    if (cols[j].numeric) {
      cols[j].values.reserve(N);
    } else {
      cols[j].text.reserve(N);
    }
  }
  for (uint64_t i = 0; i < N; ++i) {
    for (uint32_t j = 0; j < K; ++j) {
      const uint16_t t = types[j];
      double v = kNaN;
      switch (t) {
        case 65526: {  // double
          POLES_ASSIGN_OR_RETURN(const double d, r.read<double>());
          v = d > 8.988465674311579e307 ? kNaN : d;
          break;
        }
        case 65527: {  // float
          POLES_ASSIGN_OR_RETURN(const float f, r.read<float>());
          v = f > 1.701e38f ? kNaN : f;
          break;
        }
        case 65528: {  // long
          POLES_ASSIGN_OR_RETURN(const int32_t l, r.read<int32_t>());
          v = l > 2147483620 ? kNaN : l;
          break;
        }
        case 65529: {  // int
          POLES_ASSIGN_OR_RETURN(const int16_t s, r.read<int16_t>());
          v = s > 32740 ? kNaN : s;
          break;
        }
        case 65530: {  // byte
          POLES_ASSIGN_OR_RETURN(const int8_t b, r.read<int8_t>());
          v = b > 100 ? kNaN : b;
          break;
        }
        default: {
          if (t > 2045)
            return r.error(fmt::format("variable '{}' has an unknown type {}", names[j], t));
          POLES_ASSIGN_OR_RETURN(auto s, r.text(t));
          cols[j].text.push_back(std::move(s));
          continue;
        }
      }
      cols[j].values.push_back(v);
    }
  }
  Frame f;
  for (auto& c : cols) {
    POLES_RETURN_IF_ERROR(f.add(std::move(c)));
  }
  return f;
}

Result<Frame> read_data(const std::string& path) {
  if (path.size() > 4 && path.substr(path.size() - 4) == ".dta") return read_dta(path);
  return read_csv(path);
}

}  // namespace poles::impact
