// Exercises the WASI filesystem functions the official suite does not cover. Run with a writable directory
// mounted at guest "/" (cwd "/"). Prints one "ok <name>" line per check; exits non-zero at the first failure.
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>
#include <wasi/libc.h>

#define CHECK(name, cond)                                                              \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      printf("FAIL %s (line %d, errno %d: %s)\n", name, __LINE__, errno, strerror(errno)); \
      return 1;                                                                        \
    }                                                                                  \
    printf("ok %s\n", name);                                                           \
  } while (0)

static int write_file(const char *path, const char *text) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return -1;
  int n = write(fd, text, strlen(text));
  close(fd);
  return n == (int)strlen(text) ? 0 : -1;
}

static int read_file(const char *path, char *buf, size_t cap) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  int n = read(fd, buf, cap - 1);
  close(fd);
  if (n >= 0) buf[n] = 0;
  return n;
}

int main(void) {
  char buf[256];
  struct stat st, st2;

  mkdir("work", 0755);
  CHECK("write", write_file("work/a.txt", "hello") == 0);

  // append moves the offset to the end
  int fd = open("work/a.txt", O_WRONLY | O_APPEND);
  CHECK("open append", fd >= 0);
  CHECK("lseek 0", lseek(fd, 0, SEEK_SET) == 0);
  CHECK("append write", write(fd, " world", 6) == 6);
  CHECK("append offset", lseek(fd, 0, SEEK_CUR) == 11);
  close(fd);
  CHECK("append content", read_file("work/a.txt", buf, sizeof buf) == 11 && strcmp(buf, "hello world") == 0);

  // pread / pwrite leave the offset alone
  fd = open("work/a.txt", O_RDWR);
  CHECK("open rdwr", fd >= 0);
  CHECK("pwrite", pwrite(fd, "HE", 2, 0) == 2);
  CHECK("pread", pread(fd, buf, 5, 6) == 5 && memcmp(buf, "world", 5) == 0);
  CHECK("offset unchanged", lseek(fd, 0, SEEK_CUR) == 0);
  CHECK("ftruncate", ftruncate(fd, 4) == 0);
  CHECK("fstat size", fstat(fd, &st) == 0 && st.st_size == 4);
  CHECK("ftruncate grow", ftruncate(fd, 10) == 0 && fstat(fd, &st) == 0 && st.st_size == 10);
  CHECK("posix_fallocate", posix_fallocate(fd, 0, 20) == 0 && fstat(fd, &st) == 0 && st.st_size == 20);
  CHECK("fsync", fsync(fd) == 0);
  CHECK("fdatasync", fdatasync(fd) == 0);
  CHECK("posix_fadvise", posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL) == 0);
  close(fd);

  // dev / ino / nlink from the host
  CHECK("write b", write_file("work/b.txt", "b") == 0);
  CHECK("stat a", stat("work/a.txt", &st) == 0);
  CHECK("stat b", stat("work/b.txt", &st2) == 0);
  CHECK("same dev, other ino", st.st_dev == st2.st_dev && st.st_ino != st2.st_ino && st.st_ino != 0);

  // timestamps
  struct timespec times[2] = {{.tv_sec = 1000000000, .tv_nsec = 0}, {.tv_sec = 1234567890, .tv_nsec = 0}};
  CHECK("utimensat", utimensat(AT_FDCWD, "work/b.txt", times, 0) == 0);
  CHECK("times read back", stat("work/b.txt", &st2) == 0 && st2.st_mtim.tv_sec == 1234567890 && st2.st_atim.tv_sec == 1000000000);
  fd = open("work/b.txt", O_RDONLY);
  struct timespec omit[2] = {{.tv_nsec = UTIME_OMIT}, {.tv_sec = 1300000000, .tv_nsec = 0}};
  CHECK("futimens", futimens(fd, omit) == 0 && fstat(fd, &st2) == 0 && st2.st_mtim.tv_sec == 1300000000 && st2.st_atim.tv_sec == 1000000000);
  close(fd);

  // hard links share the inode
  CHECK("link", link("work/b.txt", "work/b-link.txt") == 0);
  CHECK("link ino", stat("work/b-link.txt", &st) == 0 && stat("work/b.txt", &st2) == 0 && st.st_ino == st2.st_ino && st.st_nlink == 2);
  CHECK("link exists", link("work/b.txt", "work/b-link.txt") != 0 && errno == EEXIST);
  // writes go through a hard link (the path is confined; the link adds no path out of the preopen)
  CHECK("write through link", write_file("work/b-link.txt", "linked") == 0);
  CHECK("seen via other name", read_file("work/b.txt", buf, sizeof buf) == 6 && strcmp(buf, "linked") == 0);
  fd = open("work/b.txt", O_WRONLY | O_APPEND);
  CHECK("append through other name", fd >= 0 && write(fd, "!", 1) == 1);
  close(fd);
  CHECK("truncate through link", truncate("work/b-link.txt", 3) == 0 && stat("work/b.txt", &st2) == 0 && st2.st_size == 3);
  CHECK("link a directory refused", link("work", "work/dir-link") != 0);

  // symlinks: create, read, follow, lstat, nofollow
  CHECK("symlink", symlink("a.txt", "work/sym") == 0);
  ssize_t n = readlink("work/sym", buf, sizeof buf);
  CHECK("readlink", n == 5 && memcmp(buf, "a.txt", 5) == 0);
  CHECK("readlink truncates", readlink("work/sym", buf, 2) == 2);
  CHECK("lstat symlink", lstat("work/sym", &st) == 0 && S_ISLNK(st.st_mode));
  CHECK("stat follows", stat("work/sym", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 20);
  CHECK("open nofollow", open("work/sym", O_RDONLY | O_NOFOLLOW) < 0 && errno == ELOOP);
  CHECK("readlink regular", readlink("work/a.txt", buf, sizeof buf) < 0 && errno == EINVAL);
  CHECK("symlink outside refused", symlink("../../../etc/passwd", "work/evil") != 0 && errno == ENOTCAPABLE);
  CHECK("absolute symlink refused", symlink("/etc/passwd", "work/evil") != 0);
  CHECK("dangling symlink", symlink("missing", "work/dangling") == 0 && open("work/dangling", O_RDONLY) < 0 && errno == ENOENT);
  CHECK("unlink symlink", unlink("work/dangling") == 0);

  // rename
  CHECK("rename", rename("work/b-link.txt", "work/c.txt") == 0 && access("work/b-link.txt", F_OK) != 0 && access("work/c.txt", F_OK) == 0);
  mkdir("work/d1", 0755);
  mkdir("work/d2", 0755);
  CHECK("write d2/x", write_file("work/d2/x", "x") == 0);
  CHECK("rename onto non-empty dir", rename("work/d1", "work/d2") != 0 && errno == ENOTEMPTY);
  CHECK("rename file onto dir", rename("work/c.txt", "work/d1") != 0 && errno == EISDIR);

  // unlink / rmdir errno
  CHECK("unlink dir", unlink("work/d1") != 0 && errno == EISDIR);
  CHECK("rmdir file", rmdir("work/c.txt") != 0 && errno == ENOTDIR);
  CHECK("rmdir non-empty", rmdir("work/d2") != 0 && errno == ENOTEMPTY);
  CHECK("rmdir", rmdir("work/d1") == 0);
  CHECK("open O_EXCL", open("work/c.txt", O_WRONLY | O_CREAT | O_EXCL, 0644) < 0 && errno == EEXIST);
  CHECK("open dir for writing is EISDIR", open("work/d2", O_WRONLY) < 0 && errno == EISDIR);
  CHECK("O_DIRECTORY on a file", open("work/c.txt", O_RDONLY | O_DIRECTORY) < 0 && errno == ENOTDIR);
  CHECK("missing", open("work/nope", O_RDONLY) < 0 && errno == ENOENT);
  CHECK("escape", open("../outside", O_RDONLY) < 0 && errno == ENOTCAPABLE);

  // readdir: . and .., d_ino agrees with lstat
  DIR *d = opendir("work");
  CHECK("opendir", d != NULL);
  int dots = 0, seen = 0;
  struct dirent *e;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
      dots++;
      continue;
    }
    char p[300];
    snprintf(p, sizeof p, "work/%s", e->d_name);
    if (lstat(p, &st) != 0 || st.st_ino != e->d_ino) {
      printf("FAIL readdir ino %s\n", e->d_name);
      return 1;
    }
    seen++;
  }
  closedir(d);
  CHECK("readdir dots", dots == 2);
  CHECK("readdir entries", seen == 5); // a.txt b.txt c.txt d2 sym

  // poll_oneoff: a clock alone sleeps; fds are ready
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  struct timespec ten = {.tv_sec = 0, .tv_nsec = 10 * 1000 * 1000};
  CHECK("nanosleep", nanosleep(&ten, NULL) == 0);
  clock_gettime(CLOCK_MONOTONIC, &t1);
  CHECK("slept", (t1.tv_sec - t0.tv_sec) * 1000000000LL + (t1.tv_nsec - t0.tv_nsec) >= 10 * 1000 * 1000);
  fd = open("work/a.txt", O_RDONLY);
  struct pollfd pfd[2] = {{.fd = fd, .events = POLLRDNORM}, {.fd = 1, .events = POLLWRNORM}};
  CHECK("poll fds", poll(pfd, 2, 1000) == 2 && (pfd[0].revents & POLLRDNORM) && (pfd[1].revents & POLLWRNORM));
  close(fd);

  // descriptors: fd_renumber
  fd = open("work/a.txt", O_RDONLY);
  CHECK("fd_renumber", __wasilibc_fd_renumber(fd, 40) == 0 && read(40, buf, 2) == 2 && memcmp(buf, "HE", 2) == 0);
  CHECK("old fd closed", read(fd, buf, 1) < 0 && errno == EBADF);
  close(40);

  printf("all ok\n");
  return 0;
}
