#include "core/proc_files.hpp"
#include "probe/env_facts.hpp"

#include <doctest/doctest.h>

using namespace zc;

TEST_CASE("/proc/net/snmp pairs of lines become named counters")
{
    const char* text =
        "Ip: Forwarding DefaultTTL InReceives\n"
        "Ip: 2 64 1234\n"
        "Udp: InDatagrams NoPorts InErrors OutDatagrams RcvbufErrors SndbufErrors InCsumErrors IgnoredMulti MemErrors\n"
        "Udp: 10 0 3 12 1 0 7 0 0\n";
    const auto m = parse_snmp(text);
    CHECK(m.at("Ip.InReceives") == 1234);
    CHECK(m.at("Udp.InCsumErrors") == 7);
    CHECK(m.at("Udp.RcvbufErrors") == 1);
    CHECK(m.count("Udp.Missing") == 0);
}

TEST_CASE("a malformed snmp text yields what was readable - never a crash")
{
    CHECK(parse_snmp("").empty());
    CHECK(parse_snmp("Udp: A B\nTcp: 1 2\n").empty());
    const auto m = parse_snmp("Udp: A B\nUdp: 1 2\nTcp: X\n");
    CHECK(m.at("Udp.B") == 2);
}

TEST_CASE("status fields are found by exact key")
{
    const char* status = "Name:\tzcprobe\nCapEff:\t000001fffeffffff\nSeccomp:\t2\nSeccomp_filters:\t1\n";
    CHECK(status_field(status, "CapEff") == "000001fffeffffff");
    CHECK(status_field(status, "Seccomp") == "2");
    CHECK(status_field(status, "Seccomp_filters") == "1");
    CHECK_FALSE(status_field(status, "Cap"));
}

TEST_CASE("capability bits")
{
    const uint64_t root_without_sys_resource = 0x000001fffeffffffULL;
    CHECK(has_capability(root_without_sys_resource, cap_net_raw));
    CHECK(has_capability(root_without_sys_resource, cap_net_admin));
    CHECK(has_capability(root_without_sys_resource, cap_sys_admin));
    CHECK_FALSE(has_capability(root_without_sys_resource, cap_sys_resource));
    CHECK_FALSE(has_capability(0, cap_net_raw));
}

TEST_CASE("os-release values are unquoted and empty ones stay null")
{
    const auto j = probe::parse_os_release(
        "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nID=debian\n");
    CHECK(j["id"] == "debian");
    CHECK(j["version_id"] == "12");
    CHECK(j["pretty_name"] == "Debian GNU/Linux 12 (bookworm)");
    const auto empty = probe::parse_os_release("ID=\"\"\n");
    CHECK(empty["id"].is_null());
    CHECK(empty["pretty_name"].is_null());
}

TEST_CASE("/proc/net/snmp6 name-value lines become counters")
{
    const auto m = parse_snmp6("Ip6InReceives                   \t12\nUdp6InCsumErrors\t3\nUdp6NoPorts 0\ngarbage\n");
    CHECK(m.at("Udp6InCsumErrors") == 3);
    CHECK(m.at("Ip6InReceives") == 12);
    CHECK(m.at("Udp6NoPorts") == 0);
    CHECK(m.count("garbage") == 0);
}
