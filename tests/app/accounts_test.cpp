// Accounts: the password policy (zxcvbn), scopes checked against the store, tokens listed and
// revoked, what a reset, a disable and a change of password end, and the login throttle (its
// backoff, its atomic reservation, and that no one can lock an account out).
#include "app/accounts.h"

#include <gtest/gtest.h>

#include <sstream>

#include "import/importer.h"
#include "store_fixture.h"

namespace poles::app {
namespace {

using Clock = LoginThrottle::Clock;
using std::chrono::seconds;

bool has_code(const std::vector<Refusal>& r, const std::string& code) {
  for (const auto& x : r)
    if (x.code == code) return true;
  return false;
}
// Whether the English reason names this.
bool says(const std::vector<Refusal>& r, const std::string& what) {
  return !r.empty() && r[0].en.find(what) != std::string::npos;
}

TEST(PasswordPolicy, RefusesShortCommonAndPatternedPasswordsWithReasons) {
  auto r = check_password("short");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].code, "password.too_short");
  EXPECT_EQ(r[0].value, "") << "a password is never echoed";
  EXPECT_NE(r[0].fr.find("au moins 10 caractères"), std::string::npos) << r[0].fr;
  EXPECT_NE(r[0].en.find("at least 10 characters"), std::string::npos) << r[0].en;
  // Characters, not bytes: nine accented letters are still too short.
  EXPECT_TRUE(has_code(check_password("éééééàààà"), "password.too_short"));
  EXPECT_TRUE(has_code(check_password(std::string(2000, 'x') + "Zq9!"), "password.too_long"));

  r = check_password("password123");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].code, "password.common");
  EXPECT_NE(r[0].fr.find("mot de passe ou un mot courant"), std::string::npos) << r[0].fr;
  EXPECT_NE(r[0].en.find("common password or word"), std::string::npos) << r[0].en;
  EXPECT_TRUE(says(check_password("qwerty-uiop1"), "keyboard"))
      << check_password("qwerty-uiop1")[0].en;
  EXPECT_TRUE(has_code(check_password("1234567890"), "password.sequence"));
  EXPECT_TRUE(says(check_password("abcabcabcabc"), "repetitions"))
      << check_password("abcabcabcabc")[0].en;
  EXPECT_TRUE(says(check_password("01/02/1990xy"), "date")) << check_password("01/02/1990xy")[0].en;
  // French passwords that zxcvbn's English dictionary lacks are common too.
  EXPECT_TRUE(has_code(check_password("motdepasse2024"), "password.common"));
  EXPECT_TRUE(has_code(check_password("Marseille1313"), "password.common"));
  EXPECT_FALSE(check_password("soleil123456").empty());

  // Passphrases and long random strings pass.
  EXPECT_TRUE(check_password("correct horse battery").empty());
  EXPECT_TRUE(check_password("une phrase de passe longue").empty());
  EXPECT_TRUE(check_password("gH7#kq9!Lm2xW").empty());
}

TEST(PasswordPolicy, RefusesThePersonsOwnNameAndThePlatform) {
  const std::vector<std::string> personal = {"marie.durand", ""};
  EXPECT_TRUE(check_password("marie.durand1987").empty());
  EXPECT_FALSE(check_password("marie.durand1987", personal).empty());
  auto r = check_password("durand.marie.1", personal);
  ASSERT_FALSE(r.empty());
  EXPECT_NE(r[0].en.find("your name"), std::string::npos) << r[0].en;
  EXPECT_FALSE(check_password("poles2024!", {}).empty());
}

TEST(Lang, AcceptLanguageAndLocale) {
  EXPECT_EQ(lang_from_accept_language(""), Lang::kEn);
  EXPECT_EQ(lang_from_accept_language("*"), Lang::kEn);
  EXPECT_EQ(lang_from_accept_language("fr-FR,fr;q=0.9,en;q=0.8"), Lang::kFr);
  EXPECT_EQ(lang_from_accept_language("en-GB,en;q=0.9,fr;q=0.8"), Lang::kEn);
  EXPECT_EQ(lang_from_accept_language("de-DE, fr;q=0.5, en;q=0.7"), Lang::kEn);
  EXPECT_EQ(lang_from_accept_language("de, FR;q=0.3"), Lang::kFr);
  EXPECT_EQ(lang_from_locale("fr_FR.UTF-8"), Lang::kFr);
  EXPECT_EQ(lang_from_locale("C.UTF-8"), Lang::kEn);
}

// --- the throttle, on a clock the test moves ----------------------------------------------

LoginThrottle::Options options() {
  LoginThrottle::Options o;
  o.free_per_pair = 5;
  o.free_per_address = 20;
  o.free_per_account = 20;
  return o;
}

TEST(LoginThrottle, BacksOffExponentiallyAfterTheFreeAttempts) {
  LoginThrottle t(options());
  auto now = Clock::now();
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(t.begin("admin", "10.0.0.1", now).allowed) << i;
    t.failed("admin", "10.0.0.1", now);
  }
  auto d = t.begin("admin", "10.0.0.1", now);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_seconds, 1);
  now += seconds(1);
  ASSERT_TRUE(t.begin("admin", "10.0.0.1", now).allowed);
  t.failed("admin", "10.0.0.1", now);
  d = t.begin("admin", "10.0.0.1", now + seconds(1));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.retry_after_seconds, 1);  // 2 s after the last failure
  now += seconds(2);
  ASSERT_TRUE(t.begin("admin", "10.0.0.1", now).allowed);
  t.failed("admin", "10.0.0.1", now);
  EXPECT_EQ(t.begin("admin", "10.0.0.1", now).retry_after_seconds, 4);
  // Capped.
  for (int i = 0; i < 20; ++i) {
    now += seconds(1000);
    ASSERT_TRUE(t.begin("admin", "10.0.0.1", now).allowed);
    t.failed("admin", "10.0.0.1", now);
  }
  EXPECT_EQ(t.begin("admin", "10.0.0.1", now).retry_after_seconds, 900);
}

// Regression (issue 17): 40 parallel wrong passwords got 20 real checks instead of 5. Checks
// are reserved before they run: while five are in flight, the sixth waits.
TEST(LoginThrottle, ReservesChecksSoThatConcurrentAttemptsCannotOverrunTheAllowance) {
  LoginThrottle t(options());
  const auto now = Clock::now();
  int allowed = 0;
  for (int i = 0; i < 40; ++i) allowed += t.begin("admin", "10.0.0.1", now).allowed ? 1 : 0;
  EXPECT_EQ(allowed, 5);
  for (int i = 0; i < 5; ++i) t.failed("admin", "10.0.0.1", now);
  EXPECT_FALSE(t.begin("admin", "10.0.0.1", now).allowed);
}

// Regression (issue 17): anyone could lock `admin` out for 60 s. The attacker's own address
// slows down; the owner, from an address it logged in from, is never held back, and from a
// new address it is not held back by failures from one other address.
TEST(LoginThrottle, NoOneCanLockAnAccountOut) {
  LoginThrottle t(options());
  auto now = Clock::now();
  ASSERT_TRUE(t.begin("admin", "192.0.2.1", now).allowed);  // the owner's office
  t.succeeded("admin", "192.0.2.1", now);
  // One attacker's address: slowed after 5.
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(t.begin("admin", "203.0.113.9", now).allowed);
    t.failed("admin", "203.0.113.9", now);
  }
  EXPECT_FALSE(t.begin("admin", "203.0.113.9", now).allowed);
  // A new address of the owner is not affected by another address's failures.
  EXPECT_TRUE(t.begin("admin", "198.51.100.7", now).allowed);
  t.succeeded("admin", "198.51.100.7", now);
  // Many attacking addresses (a botnet): the account slows checks from new addresses...
  for (int a = 0; a < 10; ++a) {
    const std::string addr = "203.0.113." + std::to_string(100 + a);
    for (int i = 0; i < 3; ++i) {
      if (!t.begin("admin", addr, now).allowed) continue;
      t.failed("admin", addr, now);
    }
  }
  EXPECT_FALSE(t.begin("admin", "203.0.113.250", now).allowed)
      << "an unknown address waits once the account saw too many failures";
  // ...but never from the addresses the owner logged in from.
  EXPECT_TRUE(t.begin("admin", "192.0.2.1", now).allowed);
  t.succeeded("admin", "192.0.2.1", now);
  EXPECT_TRUE(t.begin("admin", "198.51.100.7", now).allowed);
  t.release("admin", "198.51.100.7");
  // The account's backoff is capped, and forgotten in time.
  now += seconds(3601);
  EXPECT_TRUE(t.begin("admin", "203.0.113.250", now + seconds(61)).allowed);
}

TEST(LoginThrottle, LongNamesCountAsOneAccountEach) {
  LoginThrottle t(options());
  const auto now = Clock::now();
  const std::string long_name(10000, 'a');
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(t.begin(long_name, "10.0.0.4", now).allowed);
    t.failed(long_name, "10.0.0.4", now);
  }
  EXPECT_FALSE(t.begin(long_name, "10.0.0.4", now).allowed);
  EXPECT_TRUE(t.begin(long_name + "b", "10.0.0.4", now).allowed);
}

TEST(LoginThrottle, ASuccessClearsThePairButNotTheAddress) {
  LoginThrottle t(options());
  const auto now = Clock::now();
  for (int i = 0; i < 4; ++i) {
    ASSERT_TRUE(t.begin("alice", "10.0.0.2", now).allowed);
    t.failed("alice", "10.0.0.2", now);
  }
  ASSERT_TRUE(t.begin("alice", "10.0.0.2", now).allowed);
  t.succeeded("alice", "10.0.0.2", now);
  for (int i = 0; i < 5; ++i) {
    ASSERT_TRUE(t.begin("alice", "10.0.0.2", now).allowed) << i;
    t.failed("alice", "10.0.0.2", now);
  }
  // Spraying accounts from one address: 20 failures in all, then the address waits.
  LoginThrottle u(options());
  int allowed = 0;
  for (int i = 0; i < 40; ++i) {
    const std::string name = "user" + std::to_string(i);
    if (u.begin(name, "10.0.0.3", now).allowed) {
      ++allowed;
      u.failed(name, "10.0.0.3", now);
    }
  }
  EXPECT_EQ(allowed, 20);
}

// --- accounts in a store --------------------------------------------------------------------

class AccountsTest : public testing::StoreTest {
 protected:
  void SetUp() override {
    testing::StoreTest::SetUp();
    if (IsSkipped()) return;
    import("cluster", "id,name,region,scale\naero,Aerospace Valley,76,national\n");
    import("organisation", "id,name,kind\no1,Un,company\n");
    import("reviewer", "id,name\nrev1,Expert One\n");
  }
  void import(const std::string& entity, const std::string& csv) {
    std::istringstream in(csv);
    auto r = import::import_csv(*store_, *schema::find_entity(entity), in, entity + ".csv", {});
    ASSERT_TRUE(r.has_value()) << r.error().to_string();
  }
  static constexpr const char* kPassword = "correct horse battery";
};

// Regression (issue 17): a cluster manager for `no-such-cluster` was created.
TEST_P(AccountsTest, ScopesMustNameSomethingThatExists) {
  auto st = Accounts::add_user(*store_, "cm", kPassword, Role::kClusterManager, "no-such-cluster",
                               "test", Lang::kFr);
  ASSERT_EQ(st.code(), ErrorCode::kInvalidArgument) << st.to_string();
  ASSERT_EQ(st.field_errors().size(), 1u);
  EXPECT_EQ(st.field_errors()[0].field, "scope");
  EXPECT_EQ(st.field_errors()[0].value, "no-such-cluster");
  EXPECT_NE(st.field_errors()[0].rule.find("aucun pôle « no-such-cluster »"), std::string::npos)
      << st.field_errors()[0].rule;
  EXPECT_FALSE(Accounts::find_user(*store_, "cm")->has_value());
  for (auto [role, bad, good] :
       {std::tuple{Role::kRegion, "99", "76"}, std::tuple{Role::kClusterManager, "nope", "aero"},
        std::tuple{Role::kReviewer, "nope", "rev1"}, std::tuple{Role::kMember, "nope", "o1"}}) {
    auto refusals = check_scope(*store_, role, bad);
    ASSERT_TRUE(refusals.has_value());
    ASSERT_EQ(refusals->size(), 1u) << role_name(role);
    EXPECT_EQ((*refusals)[0].code, "scope.unknown");
    EXPECT_NE((*refusals)[0].en.find(std::string("'") + bad + "'"), std::string::npos);
    EXPECT_TRUE(check_scope(*store_, role, good)->empty()) << role_name(role);
  }
  EXPECT_EQ((*check_scope(*store_, Role::kState, "76"))[0].code, "scope.unexpected");
  EXPECT_EQ((*check_scope(*store_, Role::kRegion, ""))[0].code, "scope.missing");
  // And when an account changes role.
  ASSERT_TRUE(
      Accounts::add_user(*store_, "cm", kPassword, Role::kClusterManager, "aero", "test").is_ok());
  EXPECT_EQ(Accounts::set_role(*store_, "cm", Role::kClusterManager, "elsewhere", "test").code(),
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(Accounts::set_role(*store_, "cm", Role::kRegion, "76", "test").is_ok());
  EXPECT_EQ((*Accounts::find_user(*store_, "cm"))->scope, "76");
}

TEST_P(AccountsTest, WeakPasswordsAreRefusedEverywhere) {
  auto st = Accounts::add_user(*store_, "u1", "azerty123456", Role::kState, "", "test");
  ASSERT_EQ(st.code(), ErrorCode::kInvalidArgument);
  EXPECT_EQ(st.field_errors()[0].field, "password");
  ASSERT_TRUE(Accounts::add_user(*store_, "u1", kPassword, Role::kState, "", "test").is_ok());
  EXPECT_EQ(Accounts::reset_password(*store_, "u1", "password1234", "test").code(),
            ErrorCode::kInvalidArgument);
}

// Regression (issue 17): a reset did not revoke bearer tokens, and no token could be revoked.
TEST_P(AccountsTest, TokensAreListedRevokedAndEndedByAResetOrADisable) {
  ASSERT_TRUE(Accounts::add_user(*store_, "u1", kPassword, Role::kState, "", "test").is_ok());
  const User u = **Accounts::find_user(*store_, "u1");
  auto a = Accounts::issue_token(*store_, u, "nightly");
  auto b = Accounts::issue_token(*store_, u, "laptop");
  ASSERT_TRUE(a.has_value() && b.has_value());
  auto list = Accounts::list_tokens(*store_, "u1");
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 2u);
  for (const auto& t : *list) {
    EXPECT_EQ(t.id.size(), 16u);
    EXPECT_EQ(a->token.find(t.id), std::string::npos) << "the id is not part of the secret";
    EXPECT_FALSE(t.last_used_at.has_value());
  }
  // Use is recorded.
  ASSERT_TRUE(Accounts::token(*store_, a->token)->has_value());
  const auto used = Accounts::list_tokens(*store_, "u1");  // kept: the loop reads into it
  ASSERT_TRUE(used.is_ok());
  for (const auto& t : *used) EXPECT_EQ(t.last_used_at.has_value(), t.id == a->id);
  // Revoking one: it no longer authenticates; another user's id is not found.
  EXPECT_EQ(Accounts::revoke_token(*store_, "someone", a->id, "test").code(), ErrorCode::kNotFound);
  ASSERT_TRUE(Accounts::revoke_token(*store_, "u1", a->id, "test").is_ok());
  EXPECT_FALSE(Accounts::token(*store_, a->token)->has_value());
  EXPECT_TRUE(Accounts::token(*store_, b->token)->has_value());
  EXPECT_EQ(Accounts::revoke_token(*store_, "u1", a->id, "test").code(), ErrorCode::kNotFound);
  // A reset ends sessions and tokens.
  auto session = Accounts::create_session(*store_, u);
  ASSERT_TRUE(session.has_value());
  ASSERT_TRUE(
      Accounts::reset_password(*store_, "u1", "une autre phrase de passe", "admin").is_ok());
  EXPECT_FALSE(Accounts::token(*store_, b->token)->has_value()) << "reset kept a token";
  EXPECT_FALSE(Accounts::session(*store_, session->token)->has_value());
  // So does a disable.
  auto c = Accounts::issue_token(*store_, u, "again");
  ASSERT_TRUE(Accounts::set_disabled(*store_, "u1", true, "admin").is_ok());
  ASSERT_TRUE(Accounts::set_disabled(*store_, "u1", false, "admin").is_ok());
  EXPECT_FALSE(Accounts::token(*store_, c->token)->has_value()) << "disable kept a token";
}

TEST_P(AccountsTest, ChangingOnesPasswordNeedsTheCurrentOneAndKeepsOnlyThisCredential) {
  ASSERT_TRUE(Accounts::add_user(*store_, "u1", kPassword, Role::kState, "", "test").is_ok());
  const User u = **Accounts::find_user(*store_, "u1");
  auto mine = Accounts::issue_token(*store_, u, "mine");
  auto other = Accounts::issue_token(*store_, u, "other");
  auto session = Accounts::create_session(*store_, u);
  const Session caller = **Accounts::token(*store_, mine->token);
  EXPECT_EQ(
      Accounts::change_password(*store_, caller, "wrong password here", "new phrase de passe X")
          .code(),
      ErrorCode::kUnauthenticated);
  EXPECT_EQ(Accounts::change_password(*store_, caller, kPassword, "1234567890").code(),
            ErrorCode::kInvalidArgument);
  ASSERT_TRUE(
      Accounts::change_password(*store_, caller, kPassword, "quatre mots sans rapport").is_ok());
  EXPECT_TRUE(Accounts::verify_password(*store_, "u1", "quatre mots sans rapport").has_value());
  EXPECT_FALSE(Accounts::verify_password(*store_, "u1", kPassword).has_value());
  EXPECT_TRUE(Accounts::token(*store_, mine->token)->has_value());
  EXPECT_FALSE(Accounts::token(*store_, other->token)->has_value());
  EXPECT_FALSE(Accounts::session(*store_, session->token)->has_value());
}

// Issue #25: with two servers on one store, each had its own allowance of wrong passwords (an
// attacker behind a round-robin proxy got twice as many guesses). The failures one records are
// read by the other before its next check; so are the addresses the owner logged in from.
TEST_P(AccountsTest, TheThrottleHoldsAcrossServersOfOneStore) {
  LoginThrottle::Options o;
  o.free_per_pair = 5;
  o.free_per_address = 20;
  o.free_per_account = 20;
  SharedLogins a(o), b(o);
  auto other = reopen();  // the second server's own connection
  ASSERT_NE(a.server(), b.server());
  ASSERT_TRUE(a.begin(*store_, "admin", "192.0.2.1").allowed);  // the owner's office, on A
  a.succeeded(*store_, "admin", "192.0.2.1");
  for (int i = 0; i < 3; ++i) {
    ASSERT_TRUE(a.begin(*store_, "admin", "203.0.113.9").allowed) << i;
    a.failed(*store_, "admin", "203.0.113.9");
  }
  for (int i = 0; i < 2; ++i) {
    ASSERT_TRUE(b.begin(*other, "admin", "203.0.113.9").allowed) << i;
    b.failed(*other, "admin", "203.0.113.9");
  }
  // Five failures in all, three on A and two on B: both servers now make the address wait.
  auto on_b = b.begin(*other, "admin", "203.0.113.9");
  EXPECT_FALSE(on_b.allowed);
  EXPECT_EQ(on_b.retry_after_seconds, 1);
  EXPECT_FALSE(a.begin(*store_, "admin", "203.0.113.9").allowed);
  // Botnet on the account through B: unknown addresses wait on A as well...
  for (int n = 0; n < 20; ++n) {
    const std::string addr = "198.51.100." + std::to_string(n);
    if (b.begin(*other, "admin", addr).allowed) b.failed(*other, "admin", addr);
  }
  EXPECT_FALSE(a.begin(*store_, "admin", "198.51.100.200").allowed);
  // ...but the owner's address, known from its login on A, is let through by B.
  EXPECT_TRUE(b.begin(*other, "admin", "192.0.2.1").allowed);
  b.release("admin", "192.0.2.1");
  // Events are the accounts' data: the data version did not move.
  EXPECT_EQ(*store_->data_version(), 3u) << "three imports in SetUp, nothing since";
}

POLES_BOTH_BACKENDS(AccountsTest);

}  // namespace
}  // namespace poles::app
