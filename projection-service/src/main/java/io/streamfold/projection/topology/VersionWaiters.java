package io.streamfold.projection.topology;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Read-your-writes without polling: a reader waiting for version N of a key registers here, and the
 * projector wakes it when it has applied that version or a later one.
 */
public final class VersionWaiters {
  private final Map<String, List<Waiter>> waiting = new ConcurrentHashMap<>();

  private record Waiter(long version, CompletableFuture<Long> future) {}

  /** A future that completes with the applied version once it is at least {@code version}. */
  public CompletableFuture<Long> await(String key, long version) {
    CompletableFuture<Long> future = new CompletableFuture<>();
    Waiter waiter = new Waiter(version, future);
    waiting.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(waiter);
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
    if (list != null) {
      for (Waiter waiter : list) {
        if (version >= waiter.version()) {
          waiter.future().complete(version);
        }
      }
    }
  }

  /** How many readers are waiting. */
  public int size() {
    return waiting.values().stream().mapToInt(List::size).sum();
  }
}
