package io.streamfold.schemas.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamfold.schemas.compat.CompatibilityLevel;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import org.apache.avro.Schema;

/**
 * A client of the Confluent Schema Registry REST API. Connection failures, time-outs, 5xx and 429
 * answers are retried with exponential backoff ({@code attempts} in all). Every failure that says
 * nothing about the data is a {@link RegistryUnavailableException} naming the URL: unreachable,
 * still failing after the retries, refusing our credentials (401, 403), or answering something that
 * is not the registry's API (an unexpected status, a 404 without the registry's own error code, a
 * body that is not its JSON). Only the registry's own verdicts on the data are other exceptions: an
 * unknown schema id ({@link SchemaNotFoundException}) and an incompatible schema ({@link
 * IncompatibleSchemaException}).
 *
 * <p>After a call found the registry unavailable, calls fail at once for {@code coolDown} rather
 * than each waiting through the retries again, so a thread that needs the registry is not held for
 * the whole of every call while it is down. Wrap it in a {@link CachedSchemaRegistry} for use on a
 * hot path ({@link #cached(String)} does).
 */
public final class HttpSchemaRegistry implements SchemaRegistry {
  private static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final String baseUrl;
  private final HttpClient http;
  private final int attempts;
  private final Duration initialBackoff;
  private final Duration requestTimeout;
  private final Duration coolDown;
  private volatile long unavailableUntilNanos;
  private volatile String lastFailure;

  /**
   * @param baseUrl e.g. {@code http://127.0.0.1:8080/apis/ccompat/v7} (a trailing slash is ignored)
   * @param attempts how many times a request is tried before the registry counts as unavailable
   */
  public HttpSchemaRegistry(
      String baseUrl, int attempts, Duration initialBackoff, Duration requestTimeout) {
    this(baseUrl, attempts, initialBackoff, requestTimeout, Duration.ZERO);
  }

  /**
   * @param coolDown how long calls fail at once after one found the registry unavailable
   */
  public HttpSchemaRegistry(
      String baseUrl,
      int attempts,
      Duration initialBackoff,
      Duration requestTimeout,
      Duration coolDown) {
    this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
    this.attempts = Math.max(1, attempts);
    this.initialBackoff = initialBackoff;
    this.requestTimeout = requestTimeout;
    this.coolDown = coolDown;
    this.http = HttpClient.newBuilder().connectTimeout(requestTimeout).build();
  }

  /**
   * A cached client for services: 3 attempts, 100 ms initial backoff, 2 s request time-out (at most
   * about 6.3 s for a call that finds the registry down), then 5 s of failing at once.
   */
  public static SchemaRegistry cached(String baseUrl) {
    return new CachedSchemaRegistry(
        new HttpSchemaRegistry(
            baseUrl, 3, Duration.ofMillis(100), Duration.ofSeconds(2), Duration.ofSeconds(5)));
  }

  public String baseUrl() {
    return baseUrl;
  }

  @Override
  public int register(String subject, Schema schema) {
    Answer answer = post("/subjects/" + encode(subject) + "/versions", schemaBody(schema));
    if (answer.status == 409) {
      // Apicurio answers a conflict to the loser of two simultaneous first registrations of a
      // subject (two instances starting together): if the schema is there now, that is its id
      OptionalInt registered = lookup(subject, schema);
      if (registered.isPresent()) {
        return registered.getAsInt();
      }
      throw new IncompatibleSchemaException(
          "Registry at "
              + baseUrl
              + " refused the schema for subject \""
              + subject
              + "\": "
              + answer.message());
    }
    return answer.expectOk("register under " + subject).path("id").asInt();
  }

  @Override
  public OptionalInt lookup(String subject, Schema schema) {
    Answer answer = post("/subjects/" + encode(subject), schemaBody(schema));
    if (answer.isNotFound()) {
      return OptionalInt.empty();
    }
    return OptionalInt.of(answer.expectOk("look up in " + subject).path("id").asInt());
  }

  @Override
  public Schema schemaById(int id) {
    Answer answer = send(request("/schemas/ids/" + id).GET());
    if (answer.isNotFound()) {
      throw new SchemaNotFoundException("Registry at " + baseUrl + " has no schema with id " + id);
    }
    return new Schema.Parser().parse(answer.expectOk("fetch schema " + id).path("schema").asText());
  }

  @Override
  public CompatibilityCheck testCompatibility(String subject, Schema schema) {
    Answer answer =
        post(
            "/compatibility/subjects/" + encode(subject) + "/versions/latest?verbose=true",
            schemaBody(schema));
    if (answer.isNotFound()) {
      return new CompatibilityCheck(true, List.of()); // no version yet: anything is compatible
    }
    JsonNode body = answer.expectOk("test compatibility in " + subject);
    List<String> messages = new ArrayList<>();
    body.path("messages").forEach(m -> messages.add(m.asText()));
    return new CompatibilityCheck(body.path("is_compatible").asBoolean(), messages);
  }

  @Override
  public CompatibilityLevel compatibility(String subject) {
    Answer answer = send(request("/config/" + encode(subject) + "?defaultToGlobal=true").GET());
    CompatibilityLevel level =
        answer.isNotFound()
            ? null
            : CompatibilityLevel.valueOf(
                answer.expectOk("read compatibility").path("compatibilityLevel").asText());
    if (level == null || level == CompatibilityLevel.NONE) {
      // Apicurio answers NONE for a subject without a rule of its own, and applies the global one
      level =
          CompatibilityLevel.valueOf(
              send(request("/config").GET())
                  .expectOk("read compatibility")
                  .path("compatibilityLevel")
                  .asText());
    }
    return level;
  }

  @Override
  public void setCompatibility(String subject, CompatibilityLevel level) {
    ObjectNode body = JSON.createObjectNode().put("compatibility", level.name());
    send(request("/config/" + encode(subject))
            .PUT(HttpRequest.BodyPublishers.ofString(body.toString())))
        .expectOk("set compatibility of " + subject);
  }

  private static String schemaBody(Schema schema) {
    return JSON.createObjectNode()
        .put("schema", schema.toString())
        .put("schemaType", "AVRO")
        .toString();
  }

  private Answer post(String path, String body) {
    return send(request(path).POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path))
        .timeout(requestTimeout)
        .header("Content-Type", CONTENT_TYPE)
        .header("Accept", CONTENT_TYPE + ", application/json");
  }

  private Answer send(HttpRequest.Builder builder) {
    HttpRequest request = builder.build();
    if (System.nanoTime() - unavailableUntilNanos < 0) {
      throw new RegistryUnavailableException(
          "Schema registry at "
              + baseUrl
              + " unavailable (failing at once for up to "
              + coolDown.toMillis()
              + " ms after: "
              + lastFailure
              + ")",
          null);
    }
    try {
      return attempt(request);
    } catch (RegistryUnavailableException e) {
      if (!coolDown.isZero()) {
        lastFailure = e.getMessage();
        unavailableUntilNanos = System.nanoTime() + coolDown.toNanos();
      }
      throw e;
    }
  }

  private Answer attempt(HttpRequest request) {
    Exception last = null;
    Duration backoff = initialBackoff;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        int status = response.statusCode();
        if (status == 401 || status == 403) {
          throw new RegistryUnavailableException(
              "Schema registry at "
                  + baseUrl
                  + " refused our credentials (HTTP "
                  + status
                  + ", "
                  + request.method()
                  + " "
                  + request.uri().getPath()
                  + "): check the registry's credentials and permissions",
              null);
        }
        if (status < 500 && status != 429) {
          return new Answer(status, response.body());
        }
        last = new IOException("HTTP " + response.statusCode() + ": " + response.body());
      } catch (IOException e) {
        last = e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new RegistryUnavailableException(
            "Interrupted while calling the registry at " + baseUrl, e);
      }
      if (attempt < attempts) {
        sleep(backoff);
        backoff = backoff.multipliedBy(2);
      }
    }
    throw new RegistryUnavailableException(
        "Schema registry at "
            + baseUrl
            + " unavailable after "
            + attempts
            + " attempts ("
            + request.method()
            + " "
            + request.uri().getPath()
            + "): "
            + last,
        last);
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8);
  }

  private final class Answer {
    final int status;
    final String body;

    Answer(int status, String body) {
      this.status = status;
      this.body = body;
    }

    String message() {
      try {
        JsonNode json = JSON.readTree(body);
        return json.hasNonNull("message") ? json.get("message").asText() : body;
      } catch (IOException notJson) {
        return body;
      }
    }

    /**
     * A 404 that is the registry's own "not found" (its error codes 404xx), not a wrong URL or a
     * proxy's page.
     */
    boolean isNotFound() {
      if (status != 404) {
        return false;
      }
      try {
        return JSON.readTree(body).path("error_code").asInt() / 100 == 404;
      } catch (IOException notJson) {
        return false;
      }
    }

    JsonNode expectOk(String what) {
      if (status / 100 != 2) {
        throw new RegistryUnavailableException(
            "Registry at " + baseUrl + " could not " + what + ": HTTP " + status + " " + message(),
            null);
      }
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new RegistryUnavailableException(
            "Registry at " + baseUrl + " answered something other than its JSON: " + body, e);
      }
    }
  }
}
