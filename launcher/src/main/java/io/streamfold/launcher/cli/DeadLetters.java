package io.streamfold.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.launcher.cli.Streamfold.Refused;
import io.streamfold.service.http.Json;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code streamfold dlq list|show|replay}: the projections' dead letters, through the projection
 * service's {@code /api/v1/dead-letters}. A replay is written to the log's replay topic by the
 * service (never to the event log); this waits until the projections show the event in its
 * aggregate's stream, so "done" means applied.
 */
final class DeadLetters {
  private static final Duration APPLY_TIMEOUT = Duration.ofSeconds(60);

  private final Streamfold cli;
  private final String base;
  private final Args args;

  DeadLetters(Streamfold cli, String base, Args args) {
    this.cli = cli;
    this.base = base;
    this.args = args;
  }

  int run() throws IOException, InterruptedException {
    List<String> words = args.positional();
    String action = words.size() > 1 ? words.get(1) : "";
    return switch (action) {
      case "list" -> list();
      case "show" -> {
        if (words.size() != 3) {
          throw new IllegalArgumentException("Usage: streamfold dlq show <id>");
        }
        JsonNode letter = cli.get(base, "/api/v1/dead-letters/" + Streamfold.encode(words.get(2)));
        cli.out()
            .println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(letter));
        yield 0;
      }
      case "replay" -> replay(words.subList(2, words.size()));
      default ->
          throw new IllegalArgumentException(
              "Usage: streamfold dlq list|show <id>|replay <id>...|replay --all");
    };
  }

  private int list() throws IOException, InterruptedException {
    List<JsonNode> letters = all(args.option("from", null), args.number("limit", Long.MAX_VALUE));
    if (args.flag("json")) {
      cli.out().println(Json.mapper().writeValueAsString(letters));
      return 0;
    }
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode letter : letters) {
      JsonNode source = letter.get("source");
      JsonNode event = letter.path("event");
      rows.add(
          List.of(
              letter.get("id").asText(),
              letter.get("at").asText(),
              letter.path("key").asText(""),
              source.path("topic").asText("?")
                  + ":"
                  + source.path("partition").asText("?")
                  + ":"
                  + source.path("offset").asText("?"),
              event.isMissingNode()
                  ? "-"
                  : event.get("type").asText() + " v" + event.get("version").asText(),
              letter.path("decodable").asBoolean(false) ? "yes" : "no",
              oneLine(letter.get("error").path("message").asText(""))));
    }
    Table.print(
        cli.out(), List.of("ID", "AT", "KEY", "SOURCE", "EVENT", "DECODES NOW", "ERROR"), rows);
    return 0;
  }

  /** Replays the given dead letters, or with {@code --all} every one that decodes now. */
  private int replay(List<String> ids) throws IOException, InterruptedException {
    List<String> chosen = new ArrayList<>(ids);
    int skipped = 0;
    if (args.flag("all")) {
      if (!ids.isEmpty()) {
        throw new IllegalArgumentException("Give dead letter ids or --all, not both");
      }
      for (JsonNode letter : all(null, Long.MAX_VALUE)) {
        if (letter.path("decodable").asBoolean(false)) {
          chosen.add(letter.get("id").asText());
        } else {
          skipped++;
          cli.err()
              .println(
                  "Skipping "
                      + letter.get("id").asText()
                      + ": it still does not decode ("
                      + oneLine(letter.path("decodeError").asText(""))
                      + ")");
        }
      }
    } else if (ids.isEmpty()) {
      throw new IllegalArgumentException("Usage: streamfold dlq replay <id>... | --all");
    }
    List<JsonNode> replayed = new ArrayList<>();
    int failed = 0;
    Progress progress = new Progress(cli.err(), "replaying", chosen.size());
    for (String id : chosen) {
      try {
        JsonNode answer =
            cli.send(
                Streamfold.request(
                        base + "/api/v1/dead-letters/" + Streamfold.encode(id) + "/replay")
                    .POST(HttpRequest.BodyPublishers.noBody())
                    .build(),
                202);
        if (!args.flag("no-wait")) {
          awaitApplied(answer);
        }
        replayed.add(answer);
      } catch (Refused e) {
        failed++;
        cli.err().println();
        cli.err().println(id + ": " + e.getMessage());
      }
      progress.show(replayed.size() + failed);
    }
    progress.done();
    if (args.flag("json")) {
      cli.out().println(Json.mapper().writeValueAsString(replayed));
    } else {
      List<List<String>> rows = new ArrayList<>();
      for (JsonNode answer : replayed) {
        rows.add(
            List.of(
                answer.get("id").asText(),
                answer.get("collection").asText() + "/" + answer.get("aggregateId").asText(),
                answer.get("version").asText(),
                answer.get("type").asText(),
                args.flag("no-wait") ? "written" : "applied"));
      }
      Table.print(cli.out(), List.of("ID", "STREAM", "VERSION", "TYPE", "STATE"), rows);
      cli.out()
          .println(
              replayed.size()
                  + " replayed, "
                  + failed
                  + " refused"
                  + (skipped > 0 ? ", " + skipped + " skipped (still not decodable)" : ""));
    }
    return failed > 0 ? 1 : 0;
  }

  /** Waits until the projections show the replayed version in its stream. */
  private void awaitApplied(JsonNode answer) throws IOException, InterruptedException {
    String path =
        "/api/v1/streams/"
            + Streamfold.encode(answer.get("collection").asText())
            + "/"
            + Streamfold.encode(answer.get("aggregateId").asText())
            + "/events?limit=1&from="
            + answer.get("version").asLong();
    long deadline = System.nanoTime() + APPLY_TIMEOUT.toNanos();
    while (true) {
      try {
        JsonNode events = cli.get(base, path).get("events");
        if (events.size() > 0
            && events.get(0).get("version").asLong() == answer.get("version").asLong()) {
          return;
        }
      } catch (Refused notYet) {
        // the stream may not exist yet, or its partition is moving
      }
      if (System.nanoTime() > deadline) {
        throw new Refused(
            "Dead letter "
                + answer.get("id").asText()
                + " was written to the replay topic but not applied within "
                + APPLY_TIMEOUT.toSeconds()
                + " s: see the projection service's log and `streamfold dlq list`");
      }
      Thread.sleep(200);
    }
  }

  /** Every dead letter from {@code from}, page by page, up to {@code limit}. */
  private List<JsonNode> all(String from, long limit) throws IOException, InterruptedException {
    List<JsonNode> letters = new ArrayList<>();
    String next = from;
    do {
      String path =
          "/api/v1/dead-letters?limit="
              + Math.min(1_000, limit - letters.size())
              + (next == null ? "" : "&from=" + Streamfold.encode(next));
      JsonNode page = cli.get(base, path);
      page.get("deadLetters").forEach(letters::add);
      next = page.get("next").isNull() ? null : page.get("next").asText();
    } while (next != null && letters.size() < limit);
    return letters;
  }

  private static String oneLine(String text) {
    String line = text.replaceAll("\\s+", " ").strip();
    return line.length() > 100 ? line.substring(0, 97) + "..." : line;
  }
}
