package io.streamfold.projection.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VersionWaitersTest {
  private final ExecutorService readers =
      Executors.newSingleThreadExecutor(task -> new Thread(task, "query-side"));
  private final VersionWaiters waiters = new VersionWaiters(readers);

  @AfterEach
  void stop() {
    readers.shutdownNow();
  }

  @Test
  void shouldWakeReadersOnTheQuerySideNeverOnTheApplyingThread() throws Exception {
    CompletableFuture<String> ranOn =
        waiters.await("a", 2).thenApply(version -> Thread.currentThread().getName());
    waiters.applied("a", 1);
    assertThat(ranOn).isNotDone();
    waiters.applied("a", 3); // the projector's thread, here the test's
    assertThat(ranOn.get(5, TimeUnit.SECONDS)).isEqualTo("query-side");
  }
}
