package io.streamfold.launcher.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamfold.service.http.Json;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The operator's command line, {@code ./streamfold <command>}: talks to the projection service's
 * HTTP API ({@code --projections}, or {@code STREAMFOLD_PROJECTIONS}, default {@code
 * http://127.0.0.1:8081}; {@code STREAMFOLD_API_KEY} is sent as {@code X-API-Key}). Each command
 * prints a table, or JSON with {@code --json}; {@code --help} everywhere. Exit codes: 0 done, 1 the
 * service refused or failed (its problem is printed), 2 a usage error.
 */
public final class Streamfold {
  static final String USAGE =
      String.join(
          "\n",
          "Usage: streamfold <command> [options]",
          "",
          "Commands:",
          "  stream <collection> <id> [--from V] [--limit N]   print an aggregate's events",
          "  tail [--collection C] [--types T1,T2] [--from start|end|<position>] [--count N]",
          "                                                    follow the event log (resumes after a drop)",
          "  lag                                               projection lag per partition",
          "  dlq list [--from ID] [--limit N]                  the projections' dead letters",
          "  dlq show <id>                                     one dead letter, its error and stack trace",
          "  dlq replay <id>... | --all [--no-wait]            replay dead letters into the projections",
          "                                                    once their cause is fixed (never into the",
          "                                                    event log); waits until each is applied",
          "  projection rebuild --app-id NEW [--port 8091] [--state-dir D] [--detach]",
          "           [--bootstrap-servers B] [--registry URL] [--topic-prefix P] [--key-file F]",
          "                                                    start projection-service under a new",
          "                                                    application id; show its progress",
          "  projection wait <url> [--max-lag N]               until that deployment has caught up",
          "  projection compare --with <url>                   equal store digests? (exit 1 if not)",
          "  projection switch --to <url> [--force]            hand the readers to that deployment",
          "  schemas check [--registry URL] [--topic-prefix P] [--set-levels] [--strict]",
          "                                                    this build's schemas against a running",
          "                                                    registry: registered, level, compatible",
          "",
          "Options for every command:",
          "  --projections URL   the projection service (default $STREAMFOLD_PROJECTIONS or",
          "                      http://127.0.0.1:8081)",
          "  --json              JSON instead of a table (one event per line for tail)",
          "  --help              this text");

  private final PrintStream out;
  private final PrintStream err;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final String classpath;

  Streamfold(PrintStream out, PrintStream err) {
    this(out, err, System.getProperty("java.class.path"));
  }

  /**
   * @param classpath what {@code projection rebuild} starts projection-service with
   */
  Streamfold(PrintStream out, PrintStream err, String classpath) {
    this.out = out;
    this.err = err;
    this.classpath = classpath;
  }

  String classpath() {
    return classpath;
  }

  public static void main(String[] args) {
    System.exit(new Streamfold(System.out, System.err).run(args));
  }

  /** Runs one command; returns the exit code. */
  int run(String[] arguments) {
    Args args;
    try {
      args = Args.parse(arguments);
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      err.println(USAGE);
      return 2;
    }
    if (args.flag("help") || args.positional().isEmpty()) {
      out.println(USAGE);
      return args.flag("help") ? 0 : 2;
    }
    String base =
        args.option(
            "projections",
            System.getenv().getOrDefault("STREAMFOLD_PROJECTIONS", "http://127.0.0.1:8081"));
    try {
      return switch (args.positional().get(0)) {
        case "stream" -> stream(base, args);
        case "tail" -> tail(base, args);
        case "lag" -> lag(base, args);
        case "dlq" -> new DeadLetters(this, base, args).run();
        case "schemas" -> new Schemas(this, args).run();
        case "projection" -> new Projections(this, base, args).run();
        default -> {
          err.println("Unknown command " + args.positional().get(0));
          err.println(USAGE);
          yield 2;
        }
      };
    } catch (Refused e) {
      err.println(e.getMessage());
      return 1;
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage());
      return 2;
    } catch (IOException e) {
      err.println("Cannot reach " + base + ": " + e);
      return 1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 1;
    }
  }

  /** Every page of a stream, in version order. */
  private int stream(String base, Args args) throws IOException, InterruptedException {
    if (args.positional().size() != 3) {
      throw new IllegalArgumentException("Usage: streamfold stream <collection> <id>");
    }
    String path =
        "/api/v1/streams/"
            + encode(args.positional().get(1))
            + "/"
            + encode(args.positional().get(2))
            + "/events?limit=";
    long limit = args.number("limit", Long.MAX_VALUE);
    String from = Long.toString(args.number("from", 1));
    List<JsonNode> events = new ArrayList<>();
    while (from != null && events.size() < limit) {
      JsonNode page = get(base, path + Math.min(1_000, limit - events.size()) + "&from=" + from);
      page.get("events").forEach(events::add);
      from = page.get("nextCursor").isNull() ? null : page.get("nextCursor").asText();
    }
    if (args.flag("json")) {
      out.println(Json.mapper().writeValueAsString(events));
      return 0;
    }
    List<List<String>> rows = new ArrayList<>();
    for (JsonNode event : events) {
      rows.add(
          List.of(
              event.get("version").asText(),
              event.get("type").asText(),
              event.get("occurredAt").asText(),
              event.get("data").toString()));
    }
    Table.print(out, List.of("VERSION", "TYPE", "OCCURRED AT", "DATA"), rows);
    return 0;
  }

  /**
   * Follows the log from {@code --from} (the end by default); reconnects with its last position
   * when the connection drops, so nothing is missed or printed twice. Stops after {@code --count}
   * events if given.
   */
  private int tail(String base, Args args) throws IOException, InterruptedException {
    Map<String, String> query = new LinkedHashMap<>();
    query.put("collection", args.option("collection", null));
    query.put("types", args.option("types", null));
    String position = args.option("from", "end");
    long count = args.number("count", Long.MAX_VALUE);
    long printed = 0;
    int failures = 0;
    while (printed < count) {
      StringBuilder url =
          new StringBuilder(base).append("/api/v1/events?from=").append(encode(position));
      query.forEach(
          (name, value) -> {
            if (value != null) {
              url.append('&').append(name).append('=').append(encode(value));
            }
          });
      HttpResponse<InputStream> response;
      try {
        response =
            http.send(
                request(url.toString()).header("Accept", "text/event-stream").build(),
                HttpResponse.BodyHandlers.ofInputStream());
      } catch (IOException e) {
        if (++failures > 5) {
          throw e;
        }
        Thread.sleep(1_000L * failures); // the service restarting: try again, from where we were
        continue;
      }
      if (response.statusCode() != 200) {
        throw new Refused(
            problem(
                response.statusCode(),
                new String(response.body().readAllBytes(), StandardCharsets.UTF_8)));
      }
      failures = 0;
      try (BufferedReader lines =
          new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
        String id = null;
        String data = null;
        for (String line = lines.readLine();
            line != null && printed < count;
            line = lines.readLine()) {
          if (line.startsWith("id:")) {
            id = line.substring(3).strip();
          } else if (line.startsWith("data:")) {
            data = line.substring(5).strip();
          } else if (line.isEmpty()) {
            if (id != null) {
              position = id;
            }
            if (data != null) {
              print(args.flag("json"), data);
              printed++;
            }
            id = null;
            data = null;
          }
        }
      } catch (IOException dropped) {
        // reconnect from the last position
      }
    }
    return 0;
  }

  private void print(boolean json, String data) throws IOException {
    if (json) {
      out.println(data);
      return;
    }
    JsonNode event = Json.mapper().readTree(data);
    if (!event.has("type") || !event.has("aggregateId")) {
      out.println(data); // an undecodable record's report
      return;
    }
    out.println(
        event.get("occurredAt").asText()
            + "  "
            + event.get("collection").asText()
            + "/"
            + event.get("aggregateId").asText()
            + "  v"
            + event.get("version").asText()
            + "  "
            + event.get("type").asText()
            + "  "
            + event.get("data"));
  }

  private int lag(String base, Args args) throws IOException, InterruptedException {
    JsonNode status = get(base, "/api/v1/status");
    if (args.flag("json")) {
      out.println(Json.mapper().writeValueAsString(status.get("lag")));
      return 0;
    }
    List<List<String>> rows = new ArrayList<>();
    JsonNode lag = status.get("lag");
    lag.get("partitions")
        .fields()
        .forEachRemaining(
            partition ->
                rows.add(
                    List.of(
                        "summaries, history, statistics",
                        partition.getKey(),
                        partition.getValue().asText())));
    rows.add(List.of("owner index (repartition hop)", "all", lag.path("repartition").asText("?")));
    Table.print(out, List.of("PROJECTION", "PARTITION", "LAG (RECORDS)"), rows);
    out.println("total " + lag.get("total").asText() + ", state " + status.get("state").asText());
    return 0;
  }

  JsonNode get(String base, String path) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(request(base + path).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new Refused(problem(response.statusCode(), response.body()));
    }
    return Json.mapper().readTree(response.body());
  }

  static HttpRequest.Builder request(String url) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    String key = System.getenv("STREAMFOLD_API_KEY");
    if (key != null && !key.isBlank()) {
      request.header("X-API-Key", key);
    }
    return request;
  }

  static String problem(int status, String body) {
    try {
      JsonNode problem = Json.mapper().readTree(body);
      if (problem.has("detail")) {
        return status
            + " "
            + problem.path("title").asText()
            + ": "
            + problem.get("detail").asText();
      }
    } catch (IOException notJson) {
      // fall through
    }
    return status + ": " + body;
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** Sends {@code request}; the answer's JSON when it is one of {@code accepted}, else refused. */
  JsonNode send(HttpRequest request, int... accepted) throws IOException, InterruptedException {
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    for (int status : accepted) {
      if (response.statusCode() == status) {
        return Json.mapper().readTree(response.body());
      }
    }
    throw new Refused(problem(response.statusCode(), response.body()));
  }

  PrintStream out() {
    return out;
  }

  PrintStream err() {
    return err;
  }

  /** The service answered with an error. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message, null, false, false);
    }
  }
}
