package io.streamfold.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The load generator's client against a socket server that answers in pieces cut where a parser
 * over its own buffer can go wrong: a line's CR and LF in two reads, a body split from its headers,
 * a chunked body.
 */
class RawHttpTest {
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private final List<Integer> readsPerRequest = new CopyOnWriteArrayList<>();
  private ServerSocket server;

  @AfterEach
  void stop() throws IOException {
    server.close();
  }

  /** Serves one connection: for each request, the next answer, written in the pieces given. */
  private RawHttp serve(List<List<String>> answers) throws IOException {
    server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
    Thread thread =
        new Thread(
            () -> {
              try (Socket socket = server.accept()) {
                socket.setTcpNoDelay(true);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                for (List<String> pieces : answers) {
                  requests.add(request(in));
                  for (String piece : pieces) {
                    out.write(piece.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (pieces.size() > 1) {
                      Thread.sleep(20); // each piece its own read on the client's side
                    }
                  }
                }
              } catch (IOException | InterruptedException e) {
                // the test's assertions say what was missing
              }
            });
    thread.setDaemon(true);
    thread.start();
    return new RawHttp("127.0.0.1", server.getLocalPort());
  }

  /** One whole request, counting the reads it took. */
  private String request(InputStream in) throws IOException {
    ByteArrayOutputStream request = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int reads = 0;
    while (!complete(request.toString(StandardCharsets.ISO_8859_1))) {
      int n = in.read(buffer);
      if (n < 0) {
        throw new IOException("closed");
      }
      reads++;
      request.write(buffer, 0, n);
    }
    readsPerRequest.add(reads);
    return request.toString(StandardCharsets.UTF_8);
  }

  private static boolean complete(String request) {
    int end = request.indexOf("\r\n\r\n");
    if (end < 0) {
      return false;
    }
    int length = request.indexOf("Content-Length: ");
    int body =
        length < 0
            ? 0
            : Integer.parseInt(request.substring(length + 16, request.indexOf('\r', length)));
    return request.length() >= end + 4 + body;
  }

  @Test
  void shouldParseAnswersCutAnywhere() throws Exception {
    try (RawHttp http =
        serve(
            List.of(
                List.of(
                    "HTTP/1.1 200 OK\r",
                    "\nETag: \"7\"\r\nX-Streamfold-Served-By: a:1\r\nContent-Length: 11\r\n\r\n{\"ok\"",
                    ":true}"),
                List.of(
                    "HTTP/1.1 412 Precondition Failed\r\nTransfer-Encoding: chunked\r\n\r\n5\r\n",
                    "{\"cur\r\n6",
                    "\r\nrent\":\r\n1\r\n7\r\n0\r\n\r\n")))) {
      RawHttp.Response first =
          http.post("/api/v1/accounts/a-1/deposit", "{\"amount\":\"1.00\"}", "If-Match", "\"6\"");
      RawHttp.Response second = http.get("/api/v1/accounts/a-1");

      assertThat(first.status()).isEqualTo(200);
      assertThat(first.etag()).isEqualTo("\"7\"");
      assertThat(first.servedBy()).isEqualTo("a:1");
      assertThat(first.body()).isEqualTo("{\"ok\":true}");
      assertThat(second.status()).isEqualTo(412);
      assertThat(second.body()).isEqualTo("{\"current\":7");
    }
    assertThat(requests)
        .containsExactly(
            "POST /api/v1/accounts/a-1/deposit HTTP/1.1\r\nHost: 127.0.0.1:"
                + server.getLocalPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: 17\r\n"
                + "If-Match: \"6\"\r\n\r\n{\"amount\":\"1.00\"}",
            "GET /api/v1/accounts/a-1 HTTP/1.1\r\nHost: 127.0.0.1:"
                + server.getLocalPort()
                + "\r\n\r\n");
  }

  @Test
  void shouldSendEachRequestInOneWrite() throws Exception {
    int posts = 50;
    List<String> ok = List.of("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
    try (RawHttp http = serve(java.util.Collections.nCopies(posts, ok))) {
      for (int i = 0; i < posts; i++) {
        assertThat(http.post("/deposit", "{\"amount\":\"1.00\"}").status()).isEqualTo(200);
      }
    }
    // the server, waiting in a read, found each request whole: headers and body in one segment
    // (written in two, a read that wakes on the first finds the body missing in a good share)
    assertThat(readsPerRequest).hasSize(posts).containsOnly(1);
  }
}
