// Test tool: runs a command under a seccomp filter that makes the named
// syscalls fail with EPERM (or --enosys: ENOSYS, as Podman's profile answers
// io_uring_*), the way a container runtime's profile does; --hide DIR first
// masks DIR with an empty read-only tmpfs in a mount namespace of its own
// (as a runtime masks /proc paths, or a kernel before 6.6 lacks
// kernel.io_uring_disabled). Exit 77 when the filter or the mask cannot be
// set up here.
// Usage: seccomp_deny [--enosys] [--hide DIR] unshare,io_uring_setup -- COMMAND [ARGS...]
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <sys/mount.h>
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
    int answer = EPERM;
    const char* hide = nullptr;
    while (argc > 1 && argv[1][0] == '-' && argv[1][1] == '-' && argv[1][2] != '\0') {
        if (std::strcmp(argv[1], "--enosys") == 0) {
            answer = ENOSYS;
            argv += 1;
            argc -= 1;
        } else if (std::strcmp(argv[1], "--hide") == 0 && argc > 2) {
            hide = argv[2];
            argv += 2;
            argc -= 2;
        } else {
            break;
        }
    }
    if (argc < 4 || std::strcmp(argv[2], "--") != 0) {
        std::fprintf(stderr, "usage: seccomp_deny [--enosys] [--hide DIR] SYSCALL[,SYSCALL...] -- COMMAND [ARGS...]\n");
        return 2;
    }
    if (hide != nullptr) {
        // Root only: an unprivileged user namespace would change the
        // command's capabilities, which is what the tests look at.
        if (unshare(CLONE_NEWNS) != 0 || mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0 ||
            mount("seccomp_deny", hide, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, "size=4k") != 0) {
            std::perror("seccomp_deny: masking the directory in a mount namespace");
            return 77;
        }
    }
    const std::map<std::string, int> known = {
        {"unshare", SYS_unshare}, {"io_uring_setup", SYS_io_uring_setup}, {"vmsplice", SYS_vmsplice},
        {"splice", SYS_splice},   {"sendfile", SYS_sendfile}, {"io_uring_enter", SYS_io_uring_enter},
        {"io_uring_register", SYS_io_uring_register},
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
        prog.push_back(BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (static_cast<unsigned>(answer) & SECCOMP_RET_DATA)));
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
