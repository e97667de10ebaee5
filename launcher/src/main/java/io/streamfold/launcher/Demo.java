package io.streamfold.launcher;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sample data for {@code --demo}: three accounts and a few transactions, sent through the public
 * API with fixed idempotency keys (a second run within the idempotency window changes nothing).
 */
final class Demo {
  private static final Logger LOG = LoggerFactory.getLogger(Demo.class);
  private final HttpClient http = HttpClient.newHttpClient();
  private final String commands;

  Demo(String commands) {
    this.commands = commands;
  }

  void load() {
    List<String[]> steps =
        List.of(
            new String[] {
              "demo-alice",
              "open",
              "{\"owner\":\"Alice\",\"currency\":\"EUR\",\"initialDeposit\":\"100.00\"}"
            },
            new String[] {
              "demo-bob",
              "open",
              "{\"owner\":\"Bob\",\"currency\":\"EUR\",\"initialDeposit\":\"20.00\"}"
            },
            new String[] {"demo-carol", "open", "{\"owner\":\"Carol\",\"currency\":\"USD\"}"},
            new String[] {"demo-alice", "deposit", "{\"amount\":\"250.00\"}"},
            new String[] {"demo-alice", "withdraw", "{\"amount\":\"75.25\"}"},
            new String[] {"demo-bob", "withdraw", "{\"amount\":\"20.00\"}"},
            new String[] {"demo-bob", "close", "{\"reason\":\"demo\"}"},
            new String[] {"demo-carol", "deposit", "{\"amount\":\"12.34\"}"});
    int step = 0;
    for (String[] command : steps) {
      step++;
      HttpRequest request =
          HttpRequest.newBuilder(
                  URI.create(commands + "/api/v1/accounts/" + command[0] + "/" + command[1]))
              .header("Content-Type", "application/json")
              .header("Idempotency-Key", "demo-" + step)
              .POST(HttpRequest.BodyPublishers.ofString(command[2]))
              .build();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        LOG.info("demo: {} {} -> {}", command[1], command[0], response.statusCode());
      } catch (IOException e) {
        LOG.warn("demo: {} {} failed: {}", command[1], command[0], e.toString());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
