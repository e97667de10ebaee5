package io.streamfold.service.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.state.HostInfo;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Forwarding over real HTTP between two servers on loopback: the owner's answer is copied (status,
 * body, the headers that matter) over plain HTTP/1.1; an owner that does not answer in time leaves
 * the caller free to try elsewhere; and while forwarded requests wait for a slow owner, the
 * forwarding instance's request threads stay free for other requests.
 */
class ForwardingHttpTest {
  private final CountDownLatch release = new CountDownLatch(1);
  private final java.util.concurrent.atomic.AtomicInteger slowArrived =
      new java.util.concurrent.atomic.AtomicInteger();
  private final List<String> protocols = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** The threads a forwarded answer was completed on, at the front. */
  private final List<String> answeredOn = new java.util.concurrent.CopyOnWriteArrayList<>();

  private final List<Javalin> servers = new ArrayList<>();

  @AfterEach
  void stop() {
    release.countDown();
    servers.forEach(Javalin::stop);
  }

  private Javalin owner() {
    return start(
        LoopbackServer.create(
            config -> {
              config.routes.get(
                  "/quick",
                  ctx -> {
                    protocols.add(ctx.protocol() + " upgrade=" + ctx.header("Upgrade"));
                    ctx.status(209).header("ETag", "\"3\"").result("owner's body");
                  });
              config.routes.get(
                  "/slow",
                  ctx -> {
                    slowArrived.incrementAndGet();
                    release.await(30, TimeUnit.SECONDS);
                    ctx.result("late");
                  });
            }));
  }

  /** A server of {@code threads} request threads that forwards everything to {@code owner}. */
  private Javalin front(HostInfo owner, Duration timeout, int threads) {
    Forwarder forwarder = new Forwarder("127.0.0.1:1", timeout);
    return start(
        LoopbackServer.create(
            config -> {
              config.jetty.threadPool = new QueuedThreadPool(threads, threads, 60_000);
              Problems.install(config);
              config.routes.get("/local", ctx -> ctx.result("here"));
              config.routes.get(
                  "/{path}",
                  ctx ->
                      ctx.future(
                          () ->
                              forwarder
                                  .tryForwardAsync(ctx, owner, Map.of())
                                  .thenAccept(
                                      answered -> {
                                        answeredOn.add(Thread.currentThread().getName());
                                        if (!answered) {
                                          ctx.status(599).result("unreachable");
                                        }
                                      })));
            }));
  }

  private Javalin start(Javalin server) {
    server.start();
    servers.add(server);
    return server;
  }

  private static CompletableFuture<HttpResponse<String>> get(Javalin server, String path) {
    return HttpClient.newHttpClient()
        .sendAsync(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(20))
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldCopyTheOwnersAnswerOverHttp11() throws Exception {
    Javalin owner = owner();
    Javalin front = front(new HostInfo("127.0.0.1", owner.port()), Duration.ofSeconds(5), 16);

    HttpResponse<String> answer = get(front, "/quick").get(20, TimeUnit.SECONDS);

    assertThat(answer.statusCode()).isEqualTo(209);
    assertThat(answer.body()).isEqualTo("owner's body");
    assertThat(answer.headers().firstValue("ETag")).contains("\"3\"");
    assertThat(protocols).containsExactly("HTTP/1.1 upgrade=null");
    // the answer is written where it may wait for its caller: never on the forwarding client's
    // own few threads, which the JDK keeps for its non-blocking steps
    assertThat(answeredOn).hasSize(1).noneMatch(thread -> thread.startsWith("forwarder"));
  }

  @Test
  void shouldLetTheCallerTryElsewhereWhenTheOwnerDoesNotAnswer() throws Exception {
    Javalin owner = owner();
    Javalin slowOwner = front(new HostInfo("127.0.0.1", owner.port()), Duration.ofMillis(300), 16);
    int closed = io.streamfold.devstack.Ports.freeLoopbackPort();
    Javalin nobody = front(new HostInfo("127.0.0.1", closed), Duration.ofSeconds(5), 16);

    assertThat(get(slowOwner, "/slow").get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(599);
    assertThat(get(nobody, "/quick").get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(599);
  }

  @Test
  void shouldKeepRequestThreadsFreeWhileForwardedRequestsWait() throws Exception {
    Javalin owner = owner();
    // Jetty needs a few of these threads for its acceptor and selectors; far fewer than 24
    Javalin front = front(new HostInfo("127.0.0.1", owner.port()), Duration.ofSeconds(20), 8);

    List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
    for (int i = 0; i < 24; i++) {
      waiting.add(get(front, "/slow"));
    }
    // all 24 forwarded and held by the owner: the front's own threads hold none of them
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> slowArrived.get() == 24);
    HttpResponse<String> local = get(front, "/local").get(5, TimeUnit.SECONDS);
    assertThat(local.body()).isEqualTo("here");
    assertThat(waiting).allMatch(response -> !response.isDone());

    release.countDown();
    for (CompletableFuture<HttpResponse<String>> response : waiting) {
      assertThat(response.get(20, TimeUnit.SECONDS).body()).isEqualTo("late");
    }
  }
}
