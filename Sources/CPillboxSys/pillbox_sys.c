#define _GNU_SOURCE
#include <stddef.h>
#include <fcntl.h>
#include <malloc.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>
#include "pillbox_sys.h"

_Static_assert(sizeof(struct ucred) == sizeof(pillbox_ucred), "ucred size");
_Static_assert(offsetof(struct ucred, pid) == offsetof(pillbox_ucred, pid), "ucred pid");
_Static_assert(offsetof(struct ucred, uid) == offsetof(pillbox_ucred, uid), "ucred uid");
_Static_assert(offsetof(struct ucred, gid) == offsetof(pillbox_ucred, gid), "ucred gid");

int pillbox_peer_credentials(int fd, pillbox_ucred *out) {
    struct ucred cred;
    socklen_t len = sizeof(cred);
    if (getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0) return -1;
    out->pid = cred.pid;
    out->uid = cred.uid;
    out->gid = cred.gid;
    return 0;
}

int pillbox_so_peercred(void) { return SO_PEERCRED; }

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

int pillbox_rename_exchange(const char *first, const char *second) {
    // The system call itself: glibc's renameat2 wrapper is newer than some of the systems we build on.
    return (int)syscall(SYS_renameat2, AT_FDCWD, first, AT_FDCWD, second, RENAME_EXCHANGE);
}

#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE (1 << 0)
#endif

int pillbox_rename_noreplace(const char *from, const char *to) {
    return (int)syscall(SYS_renameat2, AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE);
}

int pillbox_limit_malloc_arenas(int count) { return mallopt(M_ARENA_MAX, count); }
