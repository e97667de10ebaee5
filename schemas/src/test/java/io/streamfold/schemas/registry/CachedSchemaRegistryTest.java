package io.streamfold.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamfold.schemas.compat.CompatibilityLevel;
import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

class CachedSchemaRegistryTest {
  static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"long\"}]}");

  /** A registry whose registrations wait for a gate, and which counts them. */
  static final class Slow implements SchemaRegistry {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch gate = new CountDownLatch(1);
    final AtomicInteger registrations = new AtomicInteger();
    volatile RuntimeException failure;

    @Override
    public int register(String subject, Schema schema) {
      registrations.incrementAndGet();
      entered.countDown();
      try {
        gate.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (failure != null) {
        throw failure;
      }
      return 42;
    }

    @Override
    public OptionalInt lookup(String subject, Schema schema) {
      return OptionalInt.empty();
    }

    @Override
    public Schema schemaById(int id) {
      throw new SchemaNotFoundException("none");
    }

    @Override
    public CompatibilityCheck testCompatibility(String subject, Schema schema) {
      throw new UnsupportedOperationException();
    }

    @Override
    public CompatibilityLevel compatibility(String subject) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void setCompatibility(String subject, CompatibilityLevel level) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void shouldRegisterASchemaOnceWhenThreadsMissItTogether() throws Exception {
    Slow slow = new Slow();
    CachedSchemaRegistry cached = new CachedSchemaRegistry(slow);
    List<CompletableFuture<Integer>> both = registerTwiceAtOnce(cached, slow);
    CompletableFuture<Integer> first = both.get(0);
    CompletableFuture<Integer> second = both.get(1);

    slow.gate.countDown();

    assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(42);
    assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(42);
    assertThat(cached.register("s", SCHEMA)).isEqualTo(42);
    assertThat(slow.registrations).hasValue(1);
  }

  @Test
  void shouldGiveTheWaitersTheSameFailureAndCallAgainLater() throws Exception {
    Slow slow = new Slow();
    slow.failure = new RegistryUnavailableException("down", null);
    CachedSchemaRegistry cached = new CachedSchemaRegistry(slow);
    List<CompletableFuture<Integer>> both = registerTwiceAtOnce(cached, slow);
    CompletableFuture<Integer> first = both.get(0);
    CompletableFuture<Integer> second = both.get(1);

    slow.gate.countDown();

    assertThatThrownBy(() -> second.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(RegistryUnavailableException.class);
    assertThatThrownBy(() -> first.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(RegistryUnavailableException.class);
    slow.failure = null;
    assertThat(cached.register("s", SCHEMA)).isEqualTo(42);
    assertThat(slow.registrations).hasValue(2);
  }

  /** A first registration that is inside the slow registry, and a second one begun meanwhile. */
  private static List<CompletableFuture<Integer>> registerTwiceAtOnce(
      CachedSchemaRegistry cached, Slow slow) throws InterruptedException {
    CompletableFuture<Integer> first =
        CompletableFuture.supplyAsync(() -> cached.register("s", SCHEMA));
    assertThat(slow.entered.await(10, TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Integer> second = new CompletableFuture<>();
    Thread caller =
        new Thread(
            () -> {
              try {
                second.complete(cached.register("s", SCHEMA));
              } catch (RuntimeException e) {
                second.completeExceptionally(e);
              }
            });
    caller.start();
    // the second caller parks, waiting for the first call's answer rather than calling again
    await().atMost(Duration.ofSeconds(10)).until(() -> caller.getState() == Thread.State.WAITING);
    return List.of(first, second);
  }
}
