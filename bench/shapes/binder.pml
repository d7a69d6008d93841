/*
 * Benchmark shape 3 (Binder-style allocator) in Promela, the twin of bench/shapes/binder.ts:
 * one d_step per protocheck step, the same variables, process order = protocheck's thread
 * order (workers _pid 0..N-1, shrinker N). -DN=3 sets the workers, -DP=3 the pages;
 * -DZAP_AFTER_UNLOCK is the variant zap-after-mutex-unlock.
 *
 *   spin -DN=3 -DP=3 -a bench/shapes/binder.pml && gcc -O2 -DBFS -DNOREDUCE -o pan pan.c && ./pan
 *
 * A finished worker blocks at `end_done: false` instead of running off its end (a process
 * that ends can die, one more state than protocheck has).
 */
#ifndef N
#define N 2
#endif
#ifndef P
#define P 3
#endif
#define NT (N + 1)
#define NONE NT          /* alloc.mutex owner: a _pid or NONE */
#define NOPAGE P         /* a page index of P is NULL */

byte alloc_mutex = NONE;
/* Page 0 starts installed and first on the LRU (a one-element list initialises every cell). */
#if P == 1
#define PAGE0 {1}
#elif P == 2
#define PAGE0 {1, 0}
#elif P == 3
#define PAGE0 {1, 0, 0}
#elif P == 4
#define PAGE0 {1, 0, 0, 0}
#elif P == 5
#define PAGE0 {1, 0, 0, 0, 0}
#elif P == 6
#define PAGE0 {1, 0, 0, 0, 0, 0}
#endif
bool page_busy[P];
bool page_installed[P] = PAGE0;
byte lru_rank[P] = PAGE0;  /* place on binder_freelist from the head, 0: not on it */
byte lru_nr_items = 1;
byte shrink_page = NOPAGE;
byte i, j;               /* loop counters, back to 0 at the end of every d_step (pan -DBFS refuses hidden) */

#define MUTEX_LOCK \
  (alloc_mutex == NONE || alloc_mutex == _pid) -> \
  assert(alloc_mutex != _pid);           /* mutex.recursive */ \
  alloc_mutex = _pid
#define MUTEX_UNLOCK \
  assert(alloc_mutex == _pid);           /* mutex.unlock-not-owner */ \
  alloc_mutex = NONE

/* binder_lru_freelist_del(p) at `place` on the LRU (0: not on it): the pages behind it move up one. */
#define LRU_DEL(p, place) \
  i = 0; \
  do \
  :: i < P -> \
     if :: i == p -> lru_rank[i] = 0 \
        :: i != p && place > 0 && lru_rank[i] > place -> lru_rank[i]-- \
        :: else -> skip \
     fi; \
     i++ \
  :: else -> break \
  od; \
  i = 0; \
  if :: place > 0 -> lru_nr_items-- :: else -> skip fi

/* binder_lru_freelist_add(p): at the tail. */
#define LRU_ADD(p) \
  assert(lru_rank[p] == 0);              /* binder.lru-add-on-lru */ \
  lru_rank[p] = lru_nr_items + 1; lru_nr_items++

active [N] proctype worker() {
  byte buf = NOPAGE;
  byte lru_place;          /* rank[buf] between the two alloc steps, else 0 */
  d_step { MUTEX_LOCK }                                      /* mutex_lock */
  d_step {                                                   /* binder_alloc_new_buf: first fit */
    j = 0;
    do :: j < P && page_busy[j] -> j++ :: else -> break od;
    buf = j; j = 0;
    if :: buf != NOPAGE -> page_busy[buf] = true; lru_place = lru_rank[buf] :: else -> skip fi }
  d_step { LRU_DEL(buf, lru_place); lru_place = 0 }          /* binder_lru_freelist_del */
  d_step { MUTEX_UNLOCK }                                    /* mutex_unlock */
  if
  :: d_step { buf != NOPAGE -> page_installed[buf] = true }  /* binder_install_buffer_pages */
     d_step {                                                /* copy_to_buffer */
       assert(page_installed[buf] && lru_rank[buf] == 0) }   /* binder.page-not-in-use */
     d_step { MUTEX_LOCK }                                   /* mutex_lock_free */
     d_step { page_busy[buf] = false; LRU_ADD(buf) }         /* binder_free_buf */
     d_step { MUTEX_UNLOCK }                                 /* mutex_unlock_free */
  :: d_step { buf == NOPAGE }                                /* alloc_failed_enospc */
  fi;
end_done: false
}

/* list_lru_walk's isolate callback on the head: mutex_trylock succeeded, list_lru_isolate. */
#define ISOLATE \
  lru_nr_items > 0 && alloc_mutex == NONE -> \
  alloc_mutex = _pid; \
  i = 0; \
  do \
  :: i < P -> \
     if :: lru_rank[i] == 1 -> shrink_page = i :: else -> skip fi; \
     if :: lru_rank[i] > 0 -> lru_rank[i]-- :: else -> skip fi; \
     i++ \
  :: else -> break \
  od; \
  i = 0; lru_nr_items--
#define ZAP page_installed[shrink_page] = false

active proctype shrinker() {
end_idle:
  do
#ifndef ZAP_AFTER_UNLOCK
  :: d_step { ISOLATE }
     d_step { ZAP }                                          /* zap_page */
     d_step { MUTEX_UNLOCK; shrink_page = NOPAGE }           /* mutex_unlock_shrinker */
#else
  :: d_step { ISOLATE }
     d_step { MUTEX_UNLOCK }                                 /* mutex_unlock_shrinker */
     d_step { ZAP; shrink_page = NOPAGE }                    /* zap_page */
#endif
  od
}
