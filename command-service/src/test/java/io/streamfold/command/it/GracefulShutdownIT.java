package io.streamfold.command.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamfold.command.CommandService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Closing an instance under load answers every command it accepted before stopping. */
class GracefulShutdownIT {
  @Test
  void shouldAnswerInFlightCommandsBeforeStopping() throws Exception {
    CommandService service = Instances.start(Instances.environment("graceful"));
    await().atMost(Duration.ofSeconds(60)).until(service::isReady);
    String api = Instances.url(service) + "/api/v1/accounts/";
    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      String id = "graceful-" + i;
      answers.add(
          clients.submit(
              () -> {
                try {
                  return Http.post(api + id + "/open", "{\"owner\":\"Ada\",\"currency\":\"EUR\"}")
                      .status();
                } catch (IllegalStateException failed) {
                  // refused: the listener was already closed, the command never accepted; anything
                  // else
                  // (a reset or an unanswered request) would be a command accepted and then dropped
                  return failed.getCause() instanceof java.net.ConnectException ? -1 : -2;
                }
              }));
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(1))
        .until(() -> service.inFlight() > 0);

    service.close();

    List<Integer> statuses = new ArrayList<>();
    for (Future<Integer> answer : answers) {
      statuses.add(answer.get());
    }
    clients.shutdown();
    assertThat(statuses)
        .as("accepted commands answered, later ones refused cleanly")
        .isSubsetOf(201, 503, -1);
    assertThat(statuses).contains(201);
  }
}
