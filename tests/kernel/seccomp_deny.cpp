// Test tool: runs a command under a seccomp filter that makes the named
// syscalls fail with EPERM, the way a container runtime's profile does.
// Usage: seccomp_deny unshare,io_uring_setup -- COMMAND [ARGS...]
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <map>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    if (argc < 4 || std::strcmp(argv[2], "--") != 0) {
        std::fprintf(stderr, "usage: seccomp_deny SYSCALL[,SYSCALL...] -- COMMAND [ARGS...]\n");
        return 2;
    }
    const std::map<std::string, int> known = {
        {"unshare", SYS_unshare}, {"io_uring_setup", SYS_io_uring_setup}, {"vmsplice", SYS_vmsplice},
        {"splice", SYS_splice},   {"sendfile", SYS_sendfile},
    };
    std::vector<int> numbers;
    std::string list = argv[1];
    for (size_t start = 0; start <= list.size();) {
        size_t end = list.find(',', start);
        if (end == std::string::npos) end = list.size();
        const auto it = known.find(list.substr(start, end - start));
        if (it == known.end()) {
            std::fprintf(stderr, "seccomp_deny: unknown syscall '%s'\n", list.substr(start, end - start).c_str());
            return 2;
        }
        numbers.push_back(it->second);
        start = end + 1;
    }
    std::vector<sock_filter> prog = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(seccomp_data, nr)),
    };
    for (const int nr : numbers) {
        prog.push_back(BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, static_cast<unsigned>(nr), 0, 1));
        prog.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)));
    }
    prog.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW));
    sock_fprog fprog{static_cast<unsigned short>(prog.size()), prog.data()};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 || prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) != 0) {
        std::perror("seccomp_deny: installing the filter");
        return 77;
    }
    execvp(argv[3], argv + 3);
    std::perror("seccomp_deny: exec");
    return 127;
}
