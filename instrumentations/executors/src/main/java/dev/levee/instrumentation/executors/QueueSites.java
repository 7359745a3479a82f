package dev.levee.instrumentation.executors;

import java.lang.ref.WeakReference;

/**
 * Which site each pool's queue was made at, keyed by the queue's identity and holding it weakly (a pool the
 * application drops is collected as without Levee). Every {@code execute} looks here, so a lookup allocates
 * nothing and takes no lock: open addressing over an array whose slots {@link #put} only ever fills, under
 * the lock (a reader that misses a slot being filled finds it under that lock, see
 * {@code UnboundedQueues.register}); a bigger array replaces it whole. A queue's class cannot gain a field
 * (it is loaded before Levee), hence a table of Levee's own.
 */
final class QueueSites {

  private static final class Slot extends WeakReference<Object> {
    final PoolQueueSite site;

    Slot(Object queue, PoolQueueSite site) {
      super(queue);
      this.site = site;
    }
  }

  private volatile Slot[] slots = new Slot[64];
  private int used;

  /** The site {@code queue} was registered with, or null. */
  PoolQueueSite get(Object queue) {
    Slot[] table = slots;
    int mask = table.length - 1;
    for (int i = System.identityHashCode(queue) & mask; ; i = (i + 1) & mask) {
      Slot slot = table[i];
      if (slot == null) {
        return null;
      }
      if (slot.get() == queue) {
        return slot.site;
      }
    }
  }

  synchronized void put(Object queue, PoolQueueSite site) {
    Slot[] table = slots;
    if ((used + 1) * 2 > table.length) {
      table = rebuilt(table);
      slots = table;
    }
    insert(table, new Slot(queue, site));
    used++;
  }

  /** The live entries in a table sized for them: collected queues' slots are dropped here, not before. */
  private Slot[] rebuilt(Slot[] table) {
    int live = 0;
    for (Slot slot : table) {
      if (slot != null && slot.get() != null) {
        live++;
      }
    }
    int length = 64;
    while (length < (live + 1) * 4) {
      length *= 2;
    }
    Slot[] fresh = new Slot[length];
    for (Slot slot : table) {
      if (slot != null && slot.get() != null) {
        insert(fresh, slot);
      }
    }
    used = live;
    return fresh;
  }

  private static void insert(Slot[] table, Slot slot) {
    int mask = table.length - 1;
    int i = System.identityHashCode(slot.get()) & mask;
    while (table[i] != null) {
      i = (i + 1) & mask;
    }
    table[i] = slot;
  }
}
