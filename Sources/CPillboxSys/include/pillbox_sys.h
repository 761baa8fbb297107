#ifndef PILLBOX_SYS_H
#define PILLBOX_SYS_H
#include <stdint.h>
#include <sys/types.h>

/// Layout-identical copy of Linux `struct ucred` (glibc only declares it under _GNU_SOURCE).
typedef struct pillbox_ucred {
    int32_t pid;
    uint32_t uid;
    uint32_t gid;
} pillbox_ucred;

/// Reads SO_PEERCRED of a connected Unix socket. Returns 0 on success, -1 with errno set.
int pillbox_peer_credentials(int fd, pillbox_ucred *out);

/// The SO_PEERCRED option number, for callers that read it through another API.
int pillbox_so_peercred(void);

/// Swaps two paths of one filesystem atomically (Linux `renameat2` with `RENAME_EXCHANGE`):
/// both must exist. Returns 0 on success, -1 with errno set (EINVAL: the filesystem cannot
/// exchange; ENOSYS: the kernel has no renameat2).
int pillbox_rename_exchange(const char *first, const char *second);

/// Renames `from` to `to` unless `to` exists (Linux `renameat2` with `RENAME_NOREPLACE`).
/// Returns 0 on success, -1 with errno set (EEXIST: `to` exists; EINVAL: the filesystem
/// cannot refuse to replace; ENOSYS: the kernel has no renameat2).
int pillbox_rename_noreplace(const char *from, const char *to);

/// Caps glibc's malloc at `count` arenas (`mallopt(M_ARENA_MAX, count)`; Swift cannot see
/// `mallopt`): by default each thread gets an arena of its own at its first allocation, up to
/// eight per core. Returns 1 on success, 0 if glibc refused.
int pillbox_limit_malloc_arenas(int count);

#endif
