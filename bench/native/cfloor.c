/*
 * The C floor for NativeCallBenchmark: the same system calls made straight from C, so that the
 * JNA and JNI figures can be read as "overhead over the kernel's own cost".
 *
 * Prints one tab-separated line per call: name, median, min and max of ROUNDS rounds, each the
 * mean ns per call over CALLS calls. Build and run: cc -O2 -o cfloor cfloor.c && ./cfloor
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define CALLS 1000000
#define ROUNDS 7

static int empty_epfd, rt_epfd, efd;
static struct epoll_event events[4];

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* getpid through syscall(): glibc no longer caches it, but be explicit. */
static long call_getpid(void) { return syscall(SYS_getpid); }

static long call_epoll_wait(void) { return epoll_wait(empty_epfd, events, 4, 0); }

static long call_round_trip(void) {
  uint64_t one = 1, value;
  long r = write(efd, &one, 8);
  r += epoll_wait(rt_epfd, events, 4, 0);
  r += read(efd, &value, 8);
  return r;
}

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

static void measure(const char *name, long (*fn)(void)) {
  double per_call[ROUNDS];
  volatile long sink = 0;
  for (int i = 0; i < CALLS / 10; i++) sink += fn(); /* warm up */
  for (int r = 0; r < ROUNDS; r++) {
    double start = now_ns();
    for (int i = 0; i < CALLS; i++) sink += fn();
    per_call[r] = (now_ns() - start) / CALLS;
  }
  qsort(per_call, ROUNDS, sizeof(double), cmp);
  printf("%s\t%.1f\t%.1f\t%.1f\n", name, per_call[ROUNDS / 2], per_call[0],
         per_call[ROUNDS - 1]);
}

int main(void) {
  empty_epfd = epoll_create1(EPOLL_CLOEXEC);
  rt_epfd = epoll_create1(EPOLL_CLOEXEC);
  efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  struct epoll_event ev = {.events = EPOLLIN, .data.fd = efd};
  if (empty_epfd < 0 || rt_epfd < 0 || efd < 0 || epoll_ctl(rt_epfd, EPOLL_CTL_ADD, efd, &ev)) {
    perror("setup");
    return 1;
  }
  printf("# name\tmedian_ns\tmin_ns\tmax_ns\n");
  measure("getpid", call_getpid);
  measure("epoll_wait_empty", call_epoll_wait);
  measure("wakeup_round_trip", call_round_trip);
  return 0;
}
