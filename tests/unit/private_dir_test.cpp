#include "core/private_dir.hpp"

#include <doctest/doctest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

using namespace zc;

namespace {

// A scratch directory for one test case, removed at its end.
struct Scratch {
    std::string path;
    Scratch()
    {
        std::string tmpl = std::filesystem::temp_directory_path().string() + "/zcunit.XXXXXX";
        path = ::mkdtemp(tmpl.data()) != nullptr ? tmpl : "";
    }
    ~Scratch()
    {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
    }
};

std::string read_all(const std::string& path)
{
    std::ifstream f(path);
    return {std::istreambuf_iterator<char>(f), std::istreambuf_iterator<char>()};
}

} // namespace

TEST_CASE("create_private_file makes a new 0600 file - close-on-exec")
{
    Scratch s;
    REQUIRE(!s.path.empty());
    Fd fd;
    const SysResult r = create_private_file(s.path, "probe-file", fd);
    REQUIRE(r.ok());
    struct stat st{};
    REQUIRE(::fstat(fd.get(), &st) == 0);
    CHECK((st.st_mode & 07777) == 0600);
    CHECK((::fcntl(fd.get(), F_GETFD) & FD_CLOEXEC) != 0);
    CHECK(::write(fd.get(), "x", 1) == 1);
}

TEST_CASE("create_private_file never follows a planted symlink nor truncates an existing file")
{
    Scratch s;
    REQUIRE(!s.path.empty());
    const std::string target = s.path + "/victim";
    {
        std::ofstream(target) << "keep me";
    }
    REQUIRE(::symlink(target.c_str(), (s.path + "/link").c_str()) == 0);
    Fd fd;
    CHECK(create_private_file(s.path, "link", fd).err == EEXIST);
    CHECK(!fd);
    CHECK(create_private_file(s.path, "victim", fd).err == EEXIST);
    CHECK(read_all(target) == "keep me");
    // A dangling symlink must not be followed to create its target either.
    REQUIRE(::symlink((s.path + "/not-yet").c_str(), (s.path + "/dangling").c_str()) == 0);
    CHECK(create_private_file(s.path, "dangling", fd).err == EEXIST);
    CHECK(!std::filesystem::exists(s.path + "/not-yet"));
}

TEST_CASE("create_private_file keeps the file inside the directory")
{
    Scratch s;
    REQUIRE(!s.path.empty());
    Fd fd;
    CHECK(create_private_file(s.path, "../escape", fd).err == EINVAL);
    CHECK(create_private_file(s.path, "a/b", fd).err == EINVAL);
    CHECK(create_private_file(s.path, "..", fd).err == EINVAL);
    CHECK(create_private_file(s.path, "", fd).err == EINVAL);
    CHECK(create_private_file("", "name", fd).err == EINVAL);
    CHECK(!std::filesystem::exists(std::filesystem::path(s.path).parent_path() / "escape"));
}

TEST_CASE("check_tmpdir names TMPDIR and what is valid")
{
    Scratch s;
    REQUIRE(!s.path.empty());
    const char* old = std::getenv("TMPDIR");
    const std::string saved = old != nullptr ? old : "";
    ::setenv("TMPDIR", s.path.c_str(), 1);
    CHECK(check_tmpdir().empty());
    ::setenv("TMPDIR", (s.path + "/missing").c_str(), 1);
    const std::string missing = check_tmpdir();
    CHECK(missing.find("TMPDIR '" + s.path + "/missing'") != std::string::npos);
    CHECK(missing.find("ENOENT") != std::string::npos);
    CHECK(missing.find("set TMPDIR to an existing directory") != std::string::npos);
    {
        std::ofstream(s.path + "/file") << "x";
    }
    ::setenv("TMPDIR", (s.path + "/file").c_str(), 1);
    CHECK(check_tmpdir().find("is not a directory") != std::string::npos);
    if (old != nullptr) {
        ::setenv("TMPDIR", saved.c_str(), 1);
    } else {
        ::unsetenv("TMPDIR");
    }
}
