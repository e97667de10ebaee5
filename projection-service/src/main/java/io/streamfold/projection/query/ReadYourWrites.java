package io.streamfold.projection.query;

import io.javalin.http.Context;
import io.streamfold.projection.topology.VersionWaiters;
import io.streamfold.service.http.Problem;
import io.streamfold.service.http.Problems;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * {@code minVersion}: a read answered once the version its reader asks for is applied, with no
 * polling (the projector wakes the waiting request, which reads and answers on the query side's
 * pool, never on the Kafka Streams thread nor the JDK's timeout thread), or 503 {@code
 * version-not-yet-applied} with {@code Retry-After} and the current version when not within the
 * wait.
 */
final class ReadYourWrites {
  private ReadYourWrites() {}

  /**
   * Answers {@code read}'s value through {@code answer} now if {@code minVersion} is null or
   * applied, else once it is.
   */
  static <T> void answer(
      Context ctx,
      VersionWaiters waiters,
      String id,
      Long minVersion,
      Duration wait,
      Supplier<T> read,
      ToLongFunction<T> version,
      Consumer<T> answer) {
    T found = read.get();
    if (minVersion == null || (found != null && version.applyAsLong(found) >= minVersion)) {
      answer.accept(found);
      return;
    }
    var applied = waiters.await(id, minVersion);
    T again = read.get(); // it may have been applied meanwhile
    if (again != null && version.applyAsLong(again) >= minVersion) {
      applied.complete(version.applyAsLong(again));
    }
    ctx.future(
        () ->
            applied
                .orTimeout(wait.toMillis(), TimeUnit.MILLISECONDS)
                .handleAsync(
                    (appliedVersion, timeout) -> {
                      T now = read.get();
                      if (timeout == null) {
                        answer.accept(now);
                        return null;
                      }
                      ctx.header("Retry-After", "1");
                      Problems.write(
                          ctx,
                          Problem.of(
                                  503,
                                  "version-not-yet-applied",
                                  "Version not yet applied",
                                  "Version "
                                      + minVersion
                                      + " of "
                                      + id
                                      + " was not applied within "
                                      + wait.toMillis()
                                      + " ms")
                              .with("currentVersion", now == null ? 0 : version.applyAsLong(now)));
                      return null;
                    },
                    waiters.completions()));
  }
}
