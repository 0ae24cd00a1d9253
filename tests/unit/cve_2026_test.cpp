#include "probe/cve_2026.hpp"

#include <doctest/doctest.h>

using namespace zc::probe;

TEST_CASE("module lists: /proc/modules - modules.builtin and /proc/crypto")
{
    const auto loaded = parse_proc_modules("algif_aead 20480 0 - Live 0x0\naf_alg 32768 1 algif_aead, Live 0x0\n");
    CHECK(loaded == std::set<std::string>{"af_alg", "algif_aead"});
    const auto builtin = parse_modules_builtin("kernel/crypto/authencesn.ko\nkernel/net/xfrm/xfrm-user.ko\n\nbogus\n");
    CHECK(builtin == std::set<std::string>{"authencesn", "xfrm_user"});
    const auto crypto = parse_proc_crypto("name         : cbc(aes)\ndriver       : cbc(aes-generic)\nmodule       : kernel\n");
    CHECK(crypto == std::set<std::string>{"cbc(aes)", "cbc(aes-generic)"});
}

TEST_CASE("modules_missing: decided from what the kernel says - unknown means may load")
{
    ModuleFacts none;
    CHECK(!may_autoload(none));
    CHECK(no_autoload_reason(none).find("/proc/modules") != std::string::npos);
    CHECK(modules_missing({{{"af_alg"}, ""}}, none).empty());
    // Module support and nothing else known (a container that cannot read
    // the sysctls, no /lib/modules of its own): the host may still load.
    none.modules_supported = true;
    CHECK(may_autoload(none));
    CHECK(modules_missing({{{"af_alg"}, ""}}, none) == std::vector<std::string>{"af_alg"});
    none.modprobe = "/sbin/modprobe";
    none.modules_disabled = false;
    CHECK(modules_missing({{{"af_alg"}, ""}}, none) == std::vector<std::string>{"af_alg"});
    none.modules_disabled = true;
    CHECK(!may_autoload(none));
    CHECK(no_autoload_reason(none) == "kernel.modules_disabled is 1");
    CHECK(modules_missing({{{"af_alg"}, ""}}, none).empty());
    none.modules_disabled = false;
    none.modprobe = "";
    CHECK(!may_autoload(none));
    CHECK(no_autoload_reason(none).find("kernel.modprobe is empty") != std::string::npos);
}

TEST_CASE("module sysctls: modules_disabled and modprobe text")
{
    CHECK(parse_modules_disabled("0\n") == false);
    CHECK(parse_modules_disabled("1\n") == true);
    CHECK(!parse_modules_disabled("x\n").has_value());
    CHECK(parse_modprobe("/sbin/modprobe\n") == "/sbin/modprobe");
    CHECK(parse_modprobe("\n").empty());
}

TEST_CASE("modules_missing: loaded - built in or registered in /proc/crypto is present")
{
    ModuleFacts f;
    f.modules_supported = true;
    f.loaded = {"af_alg"};
    f.builtin = {"xfrm_user"};
    f.crypto = {"sha256"};
    const std::vector<ModuleNeed> needs = {{{"af_alg"}, ""},
                                           {{"xfrm-user"}, ""},
                                           {{"sha256_generic", "sha256"}, "sha256"},
                                           {{"algif_aead"}, ""},
                                           {{"aes_generic", "aesni_intel"}, "aes"}};
    CHECK(modules_missing(needs, f) == std::vector<std::string>{"algif_aead", "aes_generic"});
    f.loaded.insert("aesni_intel");
    CHECK(modules_missing(needs, f) == std::vector<std::string>{"algif_aead"});
}

TEST_CASE("modules_added names what a run loaded")
{
    CHECK(modules_added({"af_alg"}, {"af_alg", "algif_aead", "authencesn"}) ==
          std::vector<std::string>{"algif_aead", "authencesn"});
    CHECK(modules_added({"af_alg"}, {"af_alg"}).empty());
}

TEST_CASE("byte_changes: offset and both sides in hex - nearby runs merge")
{
    std::vector<uint8_t> before(64, 'A');
    auto after = before;
    CHECK(byte_changes(before, after).empty());
    CHECK(bytes_changed(before, after) == 0);
    after[40] = 'Z';
    after[41] = 'C';
    after[42] = 'P';
    after[43] = 'B';
    auto runs = byte_changes(before, after);
    REQUIRE(runs.size() == 1);
    CHECK(runs[0].offset == 40);
    CHECK(runs[0].before == "41414141");
    CHECK(runs[0].after == "5a435042");
    CHECK(bytes_changed(before, after) == 4);
    after[0] = 0;
    runs = byte_changes(before, after);
    REQUIRE(runs.size() == 2);
    CHECK(runs[0].offset == 0);
    CHECK(runs[0].after == "00");
    after[44 + 10] = 1; // within 16 bytes of the run at 40: merged
    runs = byte_changes(before, after);
    REQUIRE(runs.size() == 2);
    CHECK(runs[1].offset == 40);
    CHECK(runs[1].before.size() == 2 * 15);
    CHECK(byte_changes(before, after, 1).size() == 1);
}

TEST_CASE("snmp_counter: a named counter of a group from its names line and values line")
{
    const std::string snmp = "Ip: Forwarding DefaultTTL InReceives ReasmReqds ReasmOKs ReasmFails\n"
                             "Ip: 2 64 12 2 1 0\n"
                             "Icmp: InMsgs ReasmOKs\n"
                             "Icmp: 7 9\n";
    CHECK(snmp_counter(snmp, "Ip", "ReasmOKs") == 1);
    CHECK(snmp_counter(snmp, "Ip", "ReasmReqds") == 2);
    CHECK(snmp_counter(snmp, "Icmp", "ReasmOKs") == 9);
    CHECK_FALSE(snmp_counter(snmp, "Ip", "FragCreates").has_value());
    CHECK_FALSE(snmp_counter(snmp, "Udp", "InDatagrams").has_value());
    CHECK_FALSE(snmp_counter("Ip: ReasmOKs\nIp: x\n", "Ip", "ReasmOKs").has_value());
    CHECK_FALSE(snmp_counter("Ip: ReasmOKs\n", "Ip", "ReasmOKs").has_value());
}
