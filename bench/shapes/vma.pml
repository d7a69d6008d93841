/*
 * Benchmark shape 2 (rwsem/VMA) in Promela, the twin of bench/shapes/vma.ts: one d_step per
 * protocheck step, the same variables, process order = protocheck's thread order (readers
 * _pid 0..N-1, munmap N). -DN=3 sets the readers; -DNO_WAIT_READERS is the variant
 * no-wait-readers (vma_start_write does not wait for vm_refcnt readers).
 *
 *   spin -DN=3 -a bench/shapes/vma.pml && gcc -O2 -DBFS -DNOREDUCE -o pan pan.c && ./pan
 *
 * A finished process blocks at `end_done: false` instead of running off its end (a process
 * that ends can die, one more state than protocheck has).
 */
#ifndef N
#define N 2
#endif
#define NT (N + 1)
#define NONE NT

/* mmap_lock (model/primitives/locks.ts rwsem): the writer's _pid or NONE, a read flag per
 * thread, and their count (a function of the flags, so it adds no state). */
byte mmap_writer = NONE;
bool mmap_readers[NT];
byte mmap_nreaders;
byte mm_lock_seq;              /* odd while write-locked */
short vm_lock_seq = -1;        /* -1: UINT_MAX, never write-locked */
byte vma_readers;              /* vm_refcnt read references */
bool vma_detached, vma_freed;

#define HELD (mmap_readers[_pid] || mmap_writer == _pid)

active [N] proctype reader() {
  if
  :: d_step { !vma_detached && vm_lock_seq != mm_lock_seq ->   /* vma_start_read */
       vma_readers++ }
     d_step { assert(!vma_freed) }                              /* handle_mm_fault: vma.use-after-free */
     d_step { vma_readers-- }                                   /* vma_end_read */
  :: d_step { !(!vma_detached && vm_lock_seq != mm_lock_seq) }  /* vma_start_read_failed */
     d_step { (mmap_writer == NONE || mmap_writer == _pid) ->   /* mmap_read_lock */
       assert(!HELD);                                           /* rwsem.recursive */
       mmap_readers[_pid] = true; mmap_nreaders++ }
     if
     :: d_step { !vma_detached -> assert(!vma_freed) }          /* handle_mm_fault_locked */
     :: d_step { vma_detached }                                 /* bad_area */
     fi;
     d_step {                                                   /* mmap_read_unlock */
       assert(mmap_readers[_pid]);                              /* rwsem.unlock-not-owner */
       mmap_readers[_pid] = false; mmap_nreaders-- }
  fi;
end_done: false
}

active proctype munmap() {
  d_step { ((mmap_writer == NONE && mmap_nreaders == 0) || HELD) ->   /* mmap_write_lock */
    assert(!HELD); mmap_writer = _pid; mm_lock_seq++ }
  d_step { vm_lock_seq = mm_lock_seq }                          /* vma_start_write */
#ifndef NO_WAIT_READERS
  d_step { vma_readers == 0 -> skip }                           /* vma_wait_readers */
#endif
  d_step { vma_detached = true }                                /* vma_mark_detached */
  d_step {                                                      /* mmap_write_downgrade */
    assert(mmap_writer == _pid);                                /* rwsem.downgrade-not-owner */
    mmap_writer = NONE; mmap_readers[_pid] = true; mmap_nreaders++; mm_lock_seq++ }
  d_step { vma_freed = true }                                   /* remove_vma */
  d_step {                                                      /* mmap_read_unlock */
    assert(mmap_readers[_pid]);
    mmap_readers[_pid] = false; mmap_nreaders-- }
end_done: false
}
