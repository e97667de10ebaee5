package io.streamfold.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 client over one keep-alive connection, for the load generator: a request is
 * one write and the answer one parse of the status line, headers and body (Content-Length or
 * chunked), a few tens of microseconds of CPU where the JDK's HttpClient costs milliseconds. Not
 * thread-safe: one per load-generating thread.
 */
final class RawHttp implements AutoCloseable {
  private final String host;
  private final int port;
  private Socket socket;
  private OutputStream out;
  private InputStream in;

  private final byte[] buffer = new byte[16 * 1024];
  private final ResponseParser answers = new ResponseParser();

  RawHttp(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** A response: status, the headers we look at, the body. */
  record Response(int status, String etag, String servedBy, String body) {}

  Response post(String path, String json, String... headers) throws IOException {
    return send("POST", path, json, headers);
  }

  Response get(String path) throws IOException {
    return send("GET", path, null);
  }

  private Response send(String method, String path, String json, String... headers)
      throws IOException {
    byte[] request = encode(host, port, method, path, json, headers);
    for (int attempt = 0; ; attempt++) {
      try {
        connect();
        out.write(request);
        return read();
      } catch (IOException e) {
        close(); // a connection the server closed while idle: one fresh try
        if (attempt > 0) {
          throw e;
        }
      }
    }
  }

  /**
   * A request as one array, so it leaves in one write and one segment, as a client that buffers its
   * request sends it: two writes cost a second system call here and can wake the server twice.
   */
  static byte[] encode(
      String host, int port, String method, String path, String json, String... headers) {
    byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
    StringBuilder head = new StringBuilder(256);
    head.append(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: ");
    head.append(host).append(':').append(port).append("\r\n");
    if (json != null) {
      head.append("Content-Type: application/json\r\nContent-Length: ");
      head.append(body.length).append("\r\n");
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
    }
    head.append("\r\n");
    byte[] request = new byte[head.length() + body.length];
    for (int i = 0; i < head.length(); i++) {
      request[i] = (byte) head.charAt(i);
    }
    System.arraycopy(body, 0, request, head.length(), body.length);
    return request;
  }

  private void connect() throws IOException {
    if (socket == null) {
      socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress(host, port), 5_000);
      socket.setSoTimeout(60_000);
      out = socket.getOutputStream();
      in = socket.getInputStream();
      answers.reset();
    }
  }

  private Response read() throws IOException {
    while (true) {
      ResponseParser.Parsed parsed = answers.next();
      if (parsed != null) {
        if (parsed.close()) {
          close();
        }
        return parsed.response();
      }
      int n = in.read(buffer, 0, buffer.length);
      if (n < 0) {
        throw new IOException("Connection closed");
      }
      answers.feed(buffer, 0, n);
    }
  }

  @Override
  public void close() {
    if (socket != null) {
      try {
        socket.close();
      } catch (IOException ignored) {
        // closing anyway
      }
      socket = null;
    }
  }
}
