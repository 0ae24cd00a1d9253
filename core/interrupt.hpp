// SIGINT, SIGTERM and SIGHUP end a run without leaving anything behind: the
// probe processes are killed, the private directory and any half-written
// output file are removed, one line says so, and the tool exits 128+signal.
//
// How: install() blocks the three signals (threads inherit the mask, so it
// runs before any thread exists) and start() launches one thread that waits
// for them with sigwait(). They are two steps because a multithreaded
// process may not unshare(CLONE_NEWUSER): a tool that enters a user
// namespace calls start() after it; a signal that comes earlier waits,
// blocked, and is handled the moment the thread starts. Cleanup therefore runs in an ordinary
// thread, not in a signal handler, so it may allocate, walk a directory tree
// and format a message. What it must not do is race the thread that creates
// things: every creation (fork, mkdtemp, mkostemp) and every disposal (reap,
// rename, remove) goes through this registry under one lock, and the
// interrupt thread takes that lock and keeps it until _exit. So it never
// sees a file created but not yet registered, and never kills a pid that
// has already been reaped (and may have been reused).
#pragma once

#include <sys/types.h>

#include <string>

namespace zc::interrupt {

// Call first in main(). Signals the tool inherited as ignored (nohup, a
// background job of a non-interactive shell) stay ignored. tool prefixes
// the message ("zcprobe: interrupted by SIGINT; ...").
void install(const char* tool);

// Starts the interrupt thread (once; later calls do nothing). Call it before
// anything is created that an interrupt must remove, and before anything
// that may block for long.
void start();

// In a forked child before it runs anything: the signal mask the tool
// started with, so the child is an ordinary process again.
void restore_in_child();

// fork(); the parent registers the child before any interrupt can look.
// The child (own process group, see the probe runner) is killed with its
// group on interrupt. Returns fork's result; errno is kept on failure.
pid_t fork_child();

// Waits for a child from fork_child() to end, reaps it and forgets it.
// Returns the wait status.
int wait_child(pid_t pid);

// mkdtemp(tmpl) and register the directory; on interrupt its whole tree is
// removed. Returns false with errno set when mkdtemp fails.
bool create_dir(std::string& tmpl);
// Removes the tree and forgets it. Empty string, or the error.
std::string remove_dir(const std::string& path);

// mkostemp(tmpl, flags) and register the file. Returns the descriptor or -1
// with errno set; tmpl holds the name made.
int create_temp_file(std::string& tmpl, int flags);
// rename(tmp, to) and forget tmp; returns rename's result, errno kept.
int rename_temp_file(const std::string& tmp, const std::string& to);
// unlink(tmp) and forget it.
void remove_temp_file(const std::string& tmp);

} // namespace zc::interrupt
