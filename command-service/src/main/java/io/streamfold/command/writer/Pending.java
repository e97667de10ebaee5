package io.streamfold.command.writer;

import io.streamfold.command.aggregate.CommandEnvelope;
import io.streamfold.schemas.core.CommandOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A command waiting in a writer's queue, the future its request waits on, and when it was queued.
 */
record Pending<C>(
    CommandEnvelope<C> command, CompletableFuture<CommandOutcome> outcome, long queuedNanos) {

  static <C> Pending<C> of(CommandEnvelope<C> command) {
    return new Pending<>(command, new CompletableFuture<>(), System.nanoTime());
  }

  /**
   * Completes on {@code executor}: what follows (rendering and writing the HTTP answer) must not
   * run on the writer's thread.
   */
  void complete(CommandOutcome value, Executor executor) {
    executor.execute(() -> outcome.complete(value));
  }

  void fail(WriteFailure failure, Executor executor) {
    executor.execute(() -> outcome.completeExceptionally(failure));
  }
}
