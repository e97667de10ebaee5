package io.streamfold.projection.topology;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;

/**
 * Read-your-writes without polling: a reader waiting for version N of a key registers here, and the
 * projector wakes it when it has applied that version or a later one.
 *
 * <p>Waiters are added and removed inside the map's per-key {@code compute}, so a reader that
 * registers while the last waiter of its key is being removed is never left in a list the map no
 * longer holds. Wakened waiters complete on the query side's executor: whatever the reader does
 * next (read the store, render, write the response) never runs on the Kafka Streams thread.
 */
public final class VersionWaiters {
  private final Map<String, List<Waiter>> waiting = new ConcurrentHashMap<>();
  private final Executor completions;

  private record Waiter(long version, CompletableFuture<Long> future) {}

  /**
   * @param completions where wakened waiters complete (and their readers' dependent stages run)
   */
  public VersionWaiters(Executor completions) {
    this.completions = completions;
  }

  /** The query side's executor, for a reader's own stages that must not run elsewhere. */
  public Executor completions() {
    return completions;
  }

  /** A future that completes with the applied version once it is at least {@code version}. */
  public CompletableFuture<Long> await(String key, long version) {
    CompletableFuture<Long> future = new CompletableFuture<>();
    Waiter waiter = new Waiter(version, future);
    waiting.compute(
        key,
        (k, list) -> {
          List<Waiter> waiters = list == null ? new CopyOnWriteArrayList<>() : list;
          waiters.add(waiter);
          return waiters;
        });
    future.whenComplete(
        (v, e) ->
            waiting.computeIfPresent(
                key,
                (k, list) -> {
                  list.remove(waiter);
                  return list.isEmpty() ? null : list;
                }));
    return future;
  }

  /** Called by the projector after it applied {@code version} of {@code key}. */
  public void applied(String key, long version) {
    List<Waiter> list = waiting.get(key);
    if (list == null) {
      return;
    }
    List<Waiter> due = new ArrayList<>(1);
    for (Waiter waiter : list) {
      if (version >= waiter.version()) {
        due.add(waiter);
      }
    }
    if (!due.isEmpty()) {
      completions.execute(() -> due.forEach(waiter -> waiter.future().complete(version)));
    }
  }

  /** How many readers are waiting. */
  public int size() {
    return waiting.values().stream().mapToInt(List::size).sum();
  }
}
