/*
 * Benchmark shape 1 (mm-style refcount) in Promela, the twin of bench/shapes/mm.ts: one
 * d_step per protocheck step, the same variables, process order = protocheck's thread order
 * (owner _pid 0, senders 1..N, kworker N+1). -DN=3 sets the senders; -DK10 is the variant
 * pasid-freed-in-mmput (mm_pasid_drop in __mmput rather than __mmdrop).
 *
 *   spin -DN=3 -a bench/shapes/mm.pml && gcc -O2 -DBFS -DNOREDUCE -o pan pan.c && ./pan
 *
 * A finished process blocks at `end_done: false` instead of running off its end: a process
 * that ends can die, and its death would be one more state than protocheck has.
 */
#ifndef N
#define N 2
#endif

bool mm_pasid_valid = true;
byte mm_users = 1;             /* the owner's current->mm */
byte mm_count = N + 1;         /* each sender's mmgrab + the users' one */
bool mm_torn_down, mm_freed, async_put_pending;
/* mm_users_held / mm_count_held are per-process locals (the kworker's stay 0: not stored). */

#ifdef K10
#define EXIT_MMAP_RELEASE mm_pasid_valid = false
#define MMDROP_RELEASE skip
#else
#define EXIT_MMAP_RELEASE skip
#define MMDROP_RELEASE mm_pasid_valid = false
#endif

/* __mmput in the context of the last putter: exit_mmap, then the users' mmdrop. */
#define MMPUT_TEARDOWN \
  mm_torn_down = true; EXIT_MMAP_RELEASE; \
  mm_count--; if :: mm_count == 0 -> mm_freed = true; MMDROP_RELEASE :: else -> skip fi

active proctype owner() {
  bit mm_users_held = 1;
  d_step {   /* exit_mm: mmput */
    assert(!mm_freed);                     /* mm.use-after-free */
    assert(mm_users_held > 0);       /* mm.mmput-without-reference */
    mm_users_held = 0; mm_users--;
    if :: mm_users == 0 -> MMPUT_TEARDOWN :: else -> skip fi
  }
end_done: false
}

active [N] proctype sender() {
  bit mm_users_held = 0, mm_count_held = 1;
  if
  :: d_step { mm_users > 0 ->             /* mmget_not_zero */
       assert(!mm_freed); mm_users++; mm_users_held = 1 }
     d_step {                              /* access */
       assert(mm_users_held > 0);   /* mm.access-without-mm_users */
       assert(!mm_torn_down) }            /* mm.access-after-teardown */
     d_step {                              /* mmput_async */
       assert(!mm_freed); assert(mm_users_held > 0);
       mm_users_held = 0; mm_users--;
       if :: mm_users == 0 -> async_put_pending = true :: else -> skip fi }
  :: d_step { mm_users == 0 -> assert(!mm_freed) }   /* mmget_not_zero_failed */
  fi;
  d_step { assert(mm_pasid_valid) }        /* sva_unbind: mm.pasid-use-after-free */
  d_step {                                 /* mmdrop */
    assert(!mm_freed); assert(mm_count_held > 0);
    mm_count_held = 0;
    mm_count--; if :: mm_count == 0 -> mm_freed = true; MMDROP_RELEASE :: else -> skip fi }
end_done: false
}

active proctype kworker() {
end_idle:
  do
  :: d_step { async_put_pending ->         /* mmput_async_fn */
       async_put_pending = false; MMPUT_TEARDOWN }
  od
}
