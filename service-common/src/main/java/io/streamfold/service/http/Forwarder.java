package io.streamfold.service.http;

import io.javalin.http.Context;
import io.streamfold.service.DaemonThreads;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import org.apache.kafka.streams.state.HostInfo;

/**
 * Answers a read by asking the instance that owns the key (its {@code application.server}), copying
 * its status, body and the headers that matter. A forwarded request is never forwarded again: if
 * the receiver is not the owner either, ownership is moving, and the answer is 503 with
 * Retry-After.
 *
 * <p>Instances talk HTTP/1.1 with keep-alive (the JDK client would otherwise offer an h2c upgrade
 * that Jetty declines). Reads are forwarded asynchronously ({@link #tryForwardAsync}): no thread
 * waits for the owner, so a slow owner cannot take this instance's request threads with it.
 *
 * <p>The client's own work (writing a request, reading its answer) runs on a thread per core. With
 * the JDK's default, a pool handing every step to a thread of its own, that client took two thirds
 * of a forwarding instance's CPU with 16 readers, most of it waking threads: a forwarded read cost
 * the instance about 225 µs against 49 µs for a read it answered itself ({@code
 * bench/profiles/2026-12-05-forwarded-reads/}). Those threads run only the client's own
 * non-blocking steps: the JDK completes what {@code sendAsync} returns on the common fork-join
 * pool, so the caller's answer is never written on them.
 */
public final class Forwarder {
  public static final String FORWARDED_BY = "X-Streamfold-Forwarded-By";
  private static final List<String> COPIED_HEADERS =
      List.of(
          "Content-Type",
          "ETag",
          "Retry-After",
          "X-Streamfold-Served-By",
          "X-Streamfold-Staleness");

  /** What a forwarded command carries besides its body and the caller's credentials. */
  private static final List<String> COMMAND_HEADERS =
      List.of("Content-Type", "If-Match", "If-None-Match", "Idempotency-Key", "X-Correlation-Id");

  private static final List<String> COMMAND_ANSWER_HEADERS =
      List.of("Content-Type", "ETag", "Location", "Retry-After", "X-Streamfold-Served-By");

  private static final List<String> CREDENTIAL_HEADERS = List.of("Authorization", "X-API-Key");

  private final HttpClient http;
  private final String self;
  private final Duration timeout;
  private final String scheme;

  /**
   * @param self this instance's {@code host:port}, sent along so a loop is detected
   */
  public Forwarder(String self, Duration timeout) {
    this(self, timeout, "http");
  }

  /**
   * @param scheme {@code http}, or {@code https} when instances serve TLS (the JDK's trust store
   *     and host name checks apply)
   */
  public Forwarder(String self, Duration timeout, String scheme) {
    this.self = self;
    this.timeout = timeout;
    this.scheme = scheme;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2))
            .executor(
                Executors.newFixedThreadPool(
                    Math.max(2, Runtime.getRuntime().availableProcessors()),
                    DaemonThreads.named("forwarder")))
            .build();
  }

  /**
   * The receiver authenticates a forwarded request like any other, with the caller's own
   * credentials: forwarding never widens access, and no instance-to-instance secret exists to leak.
   */
  private static void copyCredentials(Context ctx, HttpRequest.Builder request) {
    for (String name : CREDENTIAL_HEADERS) {
      String value = ctx.header(name);
      if (value != null) {
        request.header(name, value);
      }
    }
  }

  /**
   * The URI of a path on another instance. A query Jetty accepted but {@link URI} refuses (e.g. an
   * unescaped {@code |} or {@code ^}) is the caller's error: 400, not a 500 on this path.
   */
  URI uri(HostInfo instance, String pathAndQuery) {
    try {
      return new URI(scheme + "://" + instance.host() + ":" + instance.port() + pathAndQuery);
    } catch (URISyntaxException e) {
      throw ProblemException.badRequest(
          "invalid-uri",
          "The request's path or query is not a valid URI and cannot be forwarded: "
              + e.getReason()
              + "; percent-encode reserved characters");
    }
  }

  /** Whether this request already came from another instance. */
  public static boolean wasForwarded(Context ctx) {
    return ctx.header(FORWARDED_BY) != null;
  }

  /**
   * Answers with the owner's answer, or 503 when the owner does not answer; for {@code ctx.future}.
   */
  public CompletableFuture<Void> forwardAsync(Context ctx, HostInfo owner) {
    return unreachableUnless(
        tryForwardAsync(ctx, owner, Map.of()),
        "The instance owning this key (" + owner + ") did not answer");
  }

  /**
   * Completes once {@code answered} has; fails with a 503 {@code owner-unreachable} problem saying
   * {@code detail} when it completed with false (no instance answered).
   */
  public static CompletableFuture<Void> unreachableUnless(
      CompletableFuture<Boolean> answered, String detail) {
    return answered.thenAccept(
        yes -> {
          if (!yes) {
            throw ProblemException.unavailable("owner-unreachable", detail, 1);
          }
        });
  }

  /**
   * Asks {@code owner} for this request; once it answers, answers with its answer and completes
   * with true. Completes with false, having answered nothing, when it cannot be reached (no
   * connection, no answer within the timeout), so the caller may try elsewhere.
   */
  public CompletableFuture<Boolean> tryForwardAsync(
      Context ctx, HostInfo owner, Map<String, String> extraHeaders) {
    if (wasForwarded(ctx)) {
      throw ProblemException.unavailable(
          "rebalancing", "Ownership of this key is moving between instances; retry shortly", 1);
    }
    String query = ctx.queryString();
    URI target = uri(owner, ctx.path() + (query == null ? "" : "?" + query));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target).timeout(timeout).GET().header(FORWARDED_BY, self);
    extraHeaders.forEach(request::header);
    copyCredentials(ctx, request);
    return http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, failure) -> {
              if (failure != null) {
                Throwable cause =
                    failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause()
                        : failure;
                if (cause instanceof IOException) {
                  return false;
                }
                throw new CompletionException(cause);
              }
              ctx.status(response.statusCode());
              for (String name : COPIED_HEADERS) {
                response.headers().firstValue(name).ifPresent(value -> ctx.header(name, value));
              }
              ctx.result(response.body());
              return true;
            });
  }

  /**
   * POSTs the request of {@code ctx} (path, body, command headers and credentials) to {@code
   * owner}, marked as forwarded; null when no connection could be made (nothing was sent); a 504
   * problem when it was sent but not answered in time. The caller copies the answer with {@link
   * #answer} or, when the owner refused it as not its own, asks elsewhere.
   */
  public HttpResponse<byte[]> post(Context ctx, HostInfo owner) {
    URI target = uri(owner, ctx.path());
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target)
            .timeout(timeout)
            .POST(HttpRequest.BodyPublishers.ofByteArray(ctx.bodyAsBytes()))
            .header(FORWARDED_BY, self);
    for (String name : COMMAND_HEADERS) {
      String value = ctx.header(name);
      if (value != null) {
        request.header(name, value);
      }
    }
    copyCredentials(ctx, request);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (java.net.ConnectException e) {
      return null; // never delivered: safe to send elsewhere
    } catch (IOException e) {
      throw new ProblemException(
          Problem.of(
              504,
              "outcome-unknown",
              "Outcome unknown",
              "The instance owning this aggregate ("
                  + owner
                  + ") did not answer in time; the command may still be applied. Retrying with the"
                  + " same Idempotency-Key is safe."));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ProblemException.unavailable("owner-unreachable", "Interrupted while forwarding", 1);
    }
  }

  /** Answers {@code ctx} with a forwarded command's answer. */
  public static void answer(Context ctx, HttpResponse<byte[]> response) {
    ctx.status(response.statusCode());
    for (String name : COMMAND_ANSWER_HEADERS) {
      response.headers().firstValue(name).ifPresent(value -> ctx.header(name, value));
    }
    ctx.result(response.body());
  }

  /**
   * GETs {@code pathAndQuery} from another instance on behalf of the caller of {@code ctx} (whose
   * credentials go along), marked as forwarded; null if unreachable.
   */
  public HttpResponse<byte[]> get(Context ctx, HostInfo instance, String pathAndQuery) {
    URI target = uri(instance, pathAndQuery);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(target).timeout(timeout).GET().header(FORWARDED_BY, self);
    copyCredentials(ctx, request);
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }
}
