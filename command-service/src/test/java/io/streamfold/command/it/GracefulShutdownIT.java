package io.streamfold.command.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamfold.bank.account.AccountEvent;
import io.streamfold.command.CommandService;
import io.streamfold.devstack.SharedStack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Closing an instance under load answers the commands it accepted before stopping. A request caught
 * by the stop itself (a refused connection, or a keep-alive connection closed under a request that
 * was on its way) has an unknown outcome, as after any network failure: retried with the same
 * Idempotency-Key on the next instance, it is answered, and nothing is applied twice.
 */
class GracefulShutdownIT {
  static final int COMMANDS = 200;

  @Test
  void shouldAnswerInFlightCommandsBeforeStopping() throws Exception {
    Map<String, String> env = Instances.environment("graceful");
    CommandService service = Instances.start(env);
    await().atMost(Duration.ofSeconds(60)).until(service::isReady);
    String api = Instances.url(service) + "/api/v1/accounts/";
    ExecutorService clients = Executors.newFixedThreadPool(16);
    List<Future<Integer>> answers = new ArrayList<>();
    for (int i = 0; i < COMMANDS; i++) {
      String id = "graceful-" + i;
      answers.add(clients.submit(() -> open(api, id)));
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
        .as(
            "answered (201), refused while draining (503), or cut by the stop (-1); others: %s",
            UNEXPECTED)
        .isSubsetOf(201, 503, -1)
        .contains(201);

    try (CommandService next = Instances.start(env)) {
      await().atMost(Duration.ofSeconds(60)).until(next::isReady);
      String nextApi = Instances.url(next) + "/api/v1/accounts/";
      for (int i = 0; i < COMMANDS; i++) {
        if (statuses.get(i) != 201) {
          assertThat(open(nextApi, "graceful-" + i))
              .as("graceful-%d retried with its key after %d", i, statuses.get(i))
              .isEqualTo(201);
        }
      }
    }
    List<EventLog.Entry<AccountEvent>> log =
        EventLog.readAccounts(
            SharedStack.broker().bootstrapServers(),
            SharedStack.registry().url(),
            env.get("TOPIC_PREFIX") + "accounts.events");
    assertThat(
            log.stream().collect(Collectors.groupingBy(EventLog.Entry::key, Collectors.counting())))
        .as("every account opened exactly once")
        .hasSize(COMMANDS)
        .allSatisfy((id, events) -> assertThat(events).isEqualTo(1L));
  }

  /** Answers other than 201 and 503, with their bodies, for the failure message. */
  static final List<String> UNEXPECTED = java.util.Collections.synchronizedList(new ArrayList<>());

  /** The status, or -1 when the request failed on the wire (its outcome unknown). */
  private static int open(String api, String id) {
    try {
      Http.Response response =
          Http.post(
              api + id + "/open",
              "{\"owner\":\"Ada\",\"currency\":\"EUR\"}",
              "Idempotency-Key",
              "open-" + id);
      if (response.status() != 201 && response.status() != 503) {
        UNEXPECTED.add(id + ": " + response.status() + " " + response.raw().body());
      }
      return response.status();
    } catch (IllegalStateException failedOnTheWire) {
      return -1;
    }
  }
}
