// AccountStore: users, roles and scopes, tokens that expire, are revoked, and die with their user.
#include "store/accounts.h"

#include <gtest/gtest.h>

#include "support/temp_dir.h"

namespace linli {
namespace {

User committee_user() {
  User u;
  u.name = "hebin.li";
  u.display_name = "李主任";
  u.role = Role::Committee;
  u.scope = "河滨花园";
  return u;
}

TEST(Accounts, AUserIsStoredWithRoleAndScope) {
  test::TempDir dir;
  auto store = AccountStore::open(dir.file("a.db"));
  ASSERT_TRUE(store) << store.error().detail;
  auto added = store->add_user(committee_user(), "$argon2id$fake", 1000);
  ASSERT_TRUE(added) << added.error().detail;
  auto found = store->find_user("hebin.li");
  ASSERT_TRUE(found && found->has_value());
  EXPECT_EQ((*found)->display_name, "李主任");
  EXPECT_EQ((*found)->role, Role::Committee);
  EXPECT_EQ((*found)->scope, "河滨花园");
  EXPECT_EQ(*store->password_hash_of((*found)->id), "$argon2id$fake");
  auto all = store->list_users();
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), 1u);
}

TEST(Accounts, NamesScopesAndDuplicatesAreChecked) {
  test::TempDir dir;
  auto store = AccountStore::open(dir.file("a.db"));
  ASSERT_TRUE(store);
  User bad = committee_user();
  bad.name = "Li Ming";
  EXPECT_EQ(store->add_user(bad, "h", 1).error().code, ErrorCode::InvalidArgument);
  bad.name = "server";  // What the server's own changes name as their author.
  EXPECT_EQ(store->add_user(bad, "h", 1).error().code, ErrorCode::InvalidArgument);
  User unscoped = committee_user();
  unscoped.scope.clear();
  auto r = store->add_user(unscoped, "h", 1);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().detail, "[accounts.add_user] hebin.li: a committee user needs a scope (its community or department)");
  ASSERT_TRUE(store->add_user(committee_user(), "h", 1));
  EXPECT_EQ(store->add_user(committee_user(), "h", 1).error().detail, "[accounts.add_user] user \"hebin.li\" exists");
  User centre;
  centre.name = "zhang.bin";
  centre.role = Role::Centre;
  EXPECT_TRUE(store->add_user(centre, "h", 1));  // The centre sees everything: no scope.
}

TEST(Accounts, ATokenSignsInUntilItExpires) {
  test::TempDir dir;
  auto store = AccountStore::open(dir.file("a.db"));
  ASSERT_TRUE(store);
  auto u = store->add_user(committee_user(), "h", 1000);
  ASSERT_TRUE(u);
  ASSERT_TRUE(store->add_token({"abc", u->id, 1000, 5000}));
  auto at = [&](int64_t now) { return *store->user_for_token("abc", now); };
  ASSERT_TRUE(at(4999).has_value());
  EXPECT_EQ(at(4999)->name, "hebin.li");
  EXPECT_FALSE(at(5000).has_value());
  EXPECT_FALSE(store->user_for_token("unknown", 2000)->has_value());
}

TEST(Accounts, RevokedTokensAndDisabledUsersSignInNoMore) {
  test::TempDir dir;
  auto store = AccountStore::open(dir.file("a.db"));
  ASSERT_TRUE(store);
  auto u = store->add_user(committee_user(), "h", 1000);
  ASSERT_TRUE(u);
  ASSERT_TRUE(store->add_token({"t1", u->id, 1000, 99'000}));
  ASSERT_TRUE(store->add_token({"t2", u->id, 1000, 99'000}));
  EXPECT_TRUE(*store->revoke_token("t1", 2000));
  EXPECT_FALSE(*store->revoke_token("t1", 2001));  // Already revoked.
  EXPECT_FALSE(store->user_for_token("t1", 3000)->has_value());
  EXPECT_TRUE(store->user_for_token("t2", 3000)->has_value());
  ASSERT_TRUE(store->set_disabled("hebin.li", true, 4000));
  EXPECT_FALSE(store->user_for_token("t2", 5000)->has_value());
  ASSERT_TRUE(store->set_disabled("hebin.li", false, 6000));
  EXPECT_FALSE(store->user_for_token("t2", 7000)->has_value());  // Re-enabling does not revive tokens.
}

TEST(Accounts, ANewPasswordSignsEveryoneOut) {
  test::TempDir dir;
  auto store = AccountStore::open(dir.file("a.db"));
  ASSERT_TRUE(store);
  auto u = store->add_user(committee_user(), "old", 1000);
  ASSERT_TRUE(u);
  ASSERT_TRUE(store->add_token({"t", u->id, 1000, 99'000}));
  ASSERT_TRUE(store->set_password_hash("hebin.li", "new", 2000));
  EXPECT_EQ(*store->password_hash_of(u->id), "new");
  EXPECT_FALSE(store->user_for_token("t", 3000)->has_value());
  EXPECT_EQ(store->set_password_hash("nobody", "x", 1).error().code, ErrorCode::NotFound);
}

TEST(Accounts, LivesBesideTheReplicatedStoreInOneFile) {
  test::TempDir dir;
  { ASSERT_TRUE(AccountStore::open(dir.file("one.db"))); }
  { ASSERT_TRUE(AccountStore::open(dir.file("one.db"))); }  // Opening twice migrates nothing.
}

}  // namespace
}  // namespace linli
