package io.streamfold.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The load generator's clients on one selector, against a socket server with several connections
 * that answers in pieces, closes connections after an answer or under a request, and breaks one off
 * mid-answer.
 */
class LoopClientsTest {
  /** How the server answers the {@code n}th request of a connection; false: close instead. */
  interface Answer {
    boolean write(int connection, int n, String path, OutputStream out) throws IOException;
  }

  private final List<String> paths = new CopyOnWriteArrayList<>();
  private final AtomicInteger connections = new AtomicInteger();
  private ServerSocket server;

  /** Counted down when the test ends, for a server that keeps silent until then. */
  private final CountDownLatch stopped = new CountDownLatch(1);

  @AfterEach
  void stop() throws IOException {
    stopped.countDown();
    server.close();
  }

  private URI serve(Answer answer) throws IOException {
    server = new ServerSocket(0, 64, InetAddress.getLoopbackAddress());
    Thread acceptor =
        new Thread(
            () -> {
              while (!server.isClosed()) {
                try {
                  Socket socket = server.accept();
                  int connection = connections.getAndIncrement();
                  Thread serving = new Thread(() -> serveOne(socket, connection, answer));
                  serving.setDaemon(true);
                  serving.start();
                } catch (IOException e) {
                  return; // closed
                }
              }
            });
    acceptor.setDaemon(true);
    acceptor.start();
    return URI.create("http://127.0.0.1:" + server.getLocalPort());
  }

  private void serveOne(Socket socket, int connection, Answer answer) {
    try (socket) {
      socket.setTcpNoDelay(true);
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      for (int n = 0; ; n++) {
        String request = request(in);
        if (request == null) {
          return;
        }
        String path = request.substring(request.indexOf(' ') + 1, request.indexOf(" HTTP/1.1"));
        paths.add(path);
        if (!answer.write(connection, n, path, out)) {
          return;
        }
      }
    } catch (IOException e) {
      // the client's side says what went wrong
    }
  }

  /** One whole request, or null when the client closed. */
  private static String request(InputStream in) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    while (true) {
      String text = request.toString(StandardCharsets.ISO_8859_1);
      int end = text.indexOf("\r\n\r\n");
      if (end >= 0) {
        int length = text.indexOf("Content-Length: ");
        int body =
            length < 0
                ? 0
                : Integer.parseInt(text.substring(length + 16, text.indexOf('\r', length)));
        if (text.length() >= end + 4 + body) {
          return text;
        }
      }
      int b = in.read();
      if (b < 0) {
        return null;
      }
      request.write(b);
    }
  }

  /** An answer whose body is the path, with a length or chunked, written in pieces. */
  private static void echo(int n, String path, OutputStream out, boolean close) throws IOException {
    String head =
        "HTTP/1.1 200 OK\r\nETag: \"" + n + "\"\r\n" + (close ? "Connection: close\r\n" : "");
    String whole =
        n % 2 == 0
            ? head + "Content-Length: " + path.length() + "\r\n\r\n" + path
            : head
                + "Transfer-Encoding: chunked\r\n\r\n"
                + Integer.toHexString(path.length())
                + "\r\n"
                + path
                + "\r\n0\r\n\r\n";
    int cut = 1 + n % (whole.length() - 1);
    out.write(whole.substring(0, cut).getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
    out.write(whole.substring(cut).getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Client {@code c} asks for /c/0 ... /c/(count-1) and keeps what it was answered. */
  private static LoopClients.Conversation asking(
      int c, int count, Map<Integer, List<String>> answers) {
    List<String> mine = new ArrayList<>();
    answers.put(c, mine);
    AtomicInteger sent = new AtomicInteger();
    return (previous, nanos) -> {
      if (previous != null) {
        assertThat(nanos).isPositive();
        mine.add(previous.status() + " " + previous.body());
      }
      int next = sent.getAndIncrement();
      return next == count ? null : new LoopClients.Request("GET", "/" + c + "/" + next, null);
    };
  }

  /** {@code clients} conversations of {@code count} requests, each answered all of its own. */
  private static void runAndCheck(URI target, int clients, int count) throws IOException {
    Map<Integer, List<String>> answers = new ConcurrentHashMap<>();

    LoopClients.run(target, clients, c -> asking(c, count, answers));

    for (int c = 0; c < clients; c++) {
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        expected.add("200 /" + c + "/" + i);
      }
      assertThat(answers.get(c)).as("client " + c).isEqualTo(expected);
    }
  }

  @Test
  void shouldCarryEachConversationToItsEndOnItsOwnConnection() throws Exception {
    URI target =
        serve(
            (connection, n, path, out) -> {
              echo(n, path, out, false);
              return true;
            });
    runAndCheck(target, 8, 25);

    assertThat(paths).hasSize(200);
    assertThat(connections.get()).isEqualTo(8);
  }

  @Test
  void shouldOpenAgainWhatTheServerClosedAndRepeatARequestClosedUnder() throws Exception {
    URI target =
        serve(
            (connection, n, path, out) -> {
              if (path.equals("/1/3") && paths.stream().filter(path::equals).count() == 1) {
                return false; // closes under the request, before any of its answer
              }
              boolean close = n == 2; // every connection closes after its third answer
              echo(n, path, out, close);
              return !close;
            });
    runAndCheck(target, 3, 10);

    assertThat(paths.stream().filter("/1/3"::equals)).hasSize(2);
    assertThat(paths).hasSize(31);
    assertThat(connections.get()).isGreaterThan(3);
  }

  @Test
  void shouldFailOnAnAnswerBrokenOff() throws Exception {
    URI target =
        serve(
            (connection, n, path, out) -> {
              out.write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n{\"ha".getBytes());
              out.flush();
              return false;
            });
    Map<Integer, List<String>> answers = new ConcurrentHashMap<>();

    assertThatThrownBy(() -> LoopClients.run(target, 2, c -> asking(c, 3, answers)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("in the middle of an answer");
  }

  @Test
  void shouldGiveUpOnAServerThatDoesNotAnswer() throws Exception {
    URI target =
        serve(
            (connection, n, path, out) -> {
              if (n == 0) {
                echo(n, path, out, false);
                return true;
              }
              try {
                stopped.await(); // reads the next request and keeps silent until the test ends
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              return false;
            });
    Map<Integer, List<String>> answers = new ConcurrentHashMap<>();

    // the server keeps silent until the test ends: only the client's patience ends the run
    assertTimeoutPreemptively(
        Duration.ofSeconds(30),
        () ->
            assertThatThrownBy(
                    () ->
                        LoopClients.run(
                            target, 2, c -> asking(c, 3, answers), Duration.ofMillis(300)))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("No whole answer within 300 ms"));
  }
}
