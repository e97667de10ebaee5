package io.streamfold.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/** {@code clients} threads, each repeating {@code request} until the time is up (closed loop). */
final class ClosedLoop {
  /** One request; may throw, which the loop counts as a failure of the whole run. */
  interface Request {
    void send() throws Exception;
  }

  private ClosedLoop() {}

  /**
   * @return the seconds the run took
   */
  static double run(int clients, Duration duration, Request request) throws Exception {
    long deadline = System.nanoTime() + duration.toNanos();
    ExecutorService pool = Executors.newFixedThreadPool(clients);
    List<Future<?>> running = new ArrayList<>();
    long start = System.nanoTime();
    for (int c = 0; c < clients; c++) {
      running.add(
          pool.submit(
              () -> {
                while (System.nanoTime() < deadline) {
                  request.send();
                }
                return null;
              }));
    }
    for (Future<?> client : running) {
      client.get();
    }
    pool.shutdown();
    return (System.nanoTime() - start) / 1e9;
  }
}
